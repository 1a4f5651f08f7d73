"""The route matrix: every route of an app, tried as the wrong people.

Used by ``test_route_matrix.py`` on the real app, and on test apps with a deliberately unscoped
or leaky route to show the check would catch one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from litestar import Litestar
from litestar.routes import HTTPRoute

from frontend.core import access
from tests.support import run

REFUSED = (403, 404)
SIGN_IN_FIRST = (303, 401)


@dataclass(frozen=True)
class Route:
    path: str  # as declared, e.g. /lead/{slug:str}/audit
    method: str
    handler: object

    @property
    def params(self) -> list[str]:
        return re.findall(r"{(\w+)(?::\w+)?}", self.path)

    @property
    def opt(self) -> dict:
        return self.handler.opt or {}

    def fill(self, values: dict) -> str:
        return re.sub(r"{(\w+)(?::\w+)?}", lambda m: str(values[m.group(1)]), self.path)


def routes(app: Litestar) -> list[Route]:
    """Every (path, method) the app answers, built from the app itself."""
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            for method in sorted(handler.http_methods - {"HEAD", "OPTIONS"}):
                found.append(Route(route.path, method, handler))
    return found


def undeclared(app: Litestar) -> list[str]:
    """Routes whose access is not declared, or declared in a way the guard can't enforce."""
    problems = []
    for r in routes(app):
        scope = access.declared_scope(r.handler)
        where = f"{r.method} {r.path}"
        if scope is None:
            if not access.is_public_path(r.path):
                problems.append(f"{where}: no access scope declared (see frontend/access.py)")
            continue
        if "slug" in r.params and scope != "initiative":
            problems.append(f"{where}: takes an initiative but its scope is {scope!r}")
        if scope == "initiative":
            resources = r.opt.get("resources") or {}
            for param in r.params:
                if param != "slug" and param not in resources and param not in r.opt.get("names", ()):
                    problems.append(f"{where}: path parameter {param!r} is not declared as a resource")
    return problems


@dataclass
class World:
    """Who is who, and what must never leak from ANEW to anyone else."""

    client: object
    csrf: tuple[str, str]  # (cookie, form token)
    logins: dict[str, str]  # identity -> login token ("nobody" has none)
    roles: dict[str, str]
    own: str  # the initiative the data belongs to
    other: str
    markers: list[str]  # strings only ANEW's pages may show
    samples: dict[tuple[str, str], object]  # (kind, initiative slug) -> a record's id
    params: dict[str, object]  # values for other path parameters (admin routes: an account id)

    def request(self, who: str, method: str, path: str, extra: dict | None = None):
        cookie = f"heard_csrf={self.csrf[0]}"
        if self.logins.get(who):
            cookie += f"; heard_login={self.logins[who]}"
        self.client.cookies.clear()
        data = {"_csrf_token": self.csrf[1], **(extra or {})} if method != "GET" else None
        return self.client.request(method, path, data=data, headers={"Cookie": cookie}, follow_redirects=False)


def check(app: Litestar, world: World) -> list[str]:
    """Every way a route lets the wrong person in or shows them ANEW's data; empty when all is well."""
    failures = [f"undeclared: {p}" for p in undeclared(app)]
    for r in routes(app):
        scope = access.declared_scope(r.handler)
        if scope in ("public", "respondent") or (scope is None and access.is_public_path(r.path)):
            continue
        takes_initiative = "slug" in r.params
        values = {"slug": world.own, **{p: world.params[p] for p in r.params if p in world.params}}
        foreign = {"slug": world.other}
        for param, kind in (r.opt.get("resources") or {}).items():
            values[param] = world.samples[(kind, world.own)]
            foreign[param] = values[param]  # ANEW's record, asked for under CMHWF
        has_resources = len(foreign) > 1
        foreign = {**values, **foreign}
        path = r.fill(values) if all(p in values for p in r.params) else None
        if path is None:
            failures.append(f"{r.method} {r.path}: can't fill {r.params}")
            continue
        needed = r.opt.get("role", "admin")

        def expect(who, target, allowed, why):
            response = world.request(who, r.method, target)
            if response.status_code not in allowed:
                failures.append(f"{r.method} {target} as {who}: {response.status_code}, expected {allowed} ({why})")
            body = response.text.lower()
            for marker in world.markers:
                if marker.lower() in body:
                    failures.append(f"{r.method} {target} as {who}: shows {marker!r} ({why})")

        expect("nobody", path, SIGN_IN_FIRST, "not signed in")
        if takes_initiative:
            expect("other-lead", path, REFUSED, "lead of another initiative")
            if has_resources:
                expect("other-lead", r.fill(foreign), REFUSED, "own initiative, someone else's record")
        if scope == "admin" or needed == "admin":
            expect("lead", path, REFUSED, "a lead on an admin route")
        if needed in ("lead", "admin"):
            expect("viewer", path, REFUSED, "a viewer on a route that needs a lead")
        elif not takes_initiative and r.method == "GET":
            # Account pages: the other initiative's lead must not see ANEW's data there either.
            expect("other-lead", path, range(100, 600), "another initiative's lead on an account page")
        if r.method == "GET":
            # The right person does get in: the refusals above are not just a broken route.
            who = {"viewer": "viewer", "lead": "lead", "admin": "admin"}[needed]
            response = world.request(who, "GET", path)
            if response.status_code != 200:
                failures.append(f"GET {path} as {who}: {response.status_code}, expected 200 (the right person)")
    return failures


def make_world(client) -> World:
    from surveys import accounts
    from surveys.demo import ensure_demo_sessions, generate_responses
    from surveys.tables import Answer, Comparison, DeliveryPartner, QuestionnaireDraft, Response, Session

    sessions = run(ensure_demo_sessions())
    run(generate_responses(12, seed=3))
    anew = sessions["anew"]
    run(Session.update({Session.site: "Anew-Site-Marker"}).where(Session.id == anew["id"]))
    response_id = run(Response.select(Response.id).where(Response.initiative == anew["initiative"]).first())["id"]
    run(Answer.insert(Answer(response=response_id, question_key="better", text="anewonlymarker words")))
    people = {
        "admin": ("admin@heard.example", "admin", []),
        "lead": ("lead@anew.example", "lead", ["anew"]),
        "viewer": ("viewer@anew.example", "viewer", ["anew"]),
        "other-lead": ("lead@cmhwf.example", "lead", ["cmhwf"]),
    }
    logins, ids = {}, {}
    for who, (email, role, slugs) in people.items():
        account_id = run(accounts.add_account(email, "a long password here", role, slugs))
        logins[who] = run(accounts.start_login(account_id))
        ids[who] = account_id
    form = client.get("/lead/login")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', form.text).group(1)
    csrf_cookie = client.cookies.get("heard_csrf")
    # One record of every kind a lead route can name, in each initiative, so every route is tried.
    import uuid as _uuid

    from surveys.sharing import create_link
    from surveys.summary import Filters
    from voice.audio import store_pending
    from voice.stoplist import add_stop_name

    for slug, session in sessions.items():
        initiative_id = session["initiative"]
        run(create_link(initiative_id, Filters(), label=f"{slug} link"))
        run(add_stop_name(initiative_id, f"Stopname{slug.replace('-', '')}", actor="test"))
        run(store_pending(initiative_id, _uuid.uuid4(), "better", b"OggS" + bytes(200), "audio/ogg"))
        run(Comparison.insert(Comparison(initiative=initiative_id, questionnaire="q", question_key="k",
                                         value_percent=35.0, description="d", source="s", year=2024)))
        run(DeliveryPartner.insert(DeliveryPartner(initiative=initiative_id, name=f"Partner of {slug}")))
        run(QuestionnaireDraft.insert(QuestionnaireDraft(
            initiative=initiative_id, slug=f"draft-of-{slug}", updated_by="test",
            definition={"slug": f"draft-of-{slug}", "title": "A draft", "audience": "parent", "about": "",
                        "minutes": 2, "questions": [{"key": "q1", "type": "text", "text": "Anything?"}]})))
    samples = {}
    for kind, resource in access.RESOURCES.items():
        for slug, session in sessions.items():
            samples[(kind, slug)] = run(resource.sample(session["initiative"]))
    return World(
        client=client, csrf=(csrf_cookie, token), logins=logins, roles={k: v[1] for k, v in people.items()},
        own="anew", other="cmhwf", markers=["Anew-Site-Marker", "anewonlymarker"], samples=samples,
        params={"account_id": ids["viewer"], "key": "listened-to", "fmt": "html", "initiative_slug": "cmhwf",
                "number": 1, "lang": "pl"},
    )
