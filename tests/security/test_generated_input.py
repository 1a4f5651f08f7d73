"""Generated text in every form, then every download and every page: never a server error.

Issue 23 ("Bad input, third pass"). Hypothesis makes the values: control characters, NUL, bidi
overrides and isolates (U+202E...), zero-width and byte-order marks, very long strings, huge and
odd numbers, and mixtures of them with ordinary words. They go into

* every ``<form>`` of every lead page, read from the pages themselves (an admin signed in with a
  password and a second factor opens each GET route of the app for the ANEW demo initiative and
  parses its forms: inputs, textareas, selects, buttons, the hidden CSRF token), so a form added
  tomorrow is fuzzed tomorrow;
* every respondent form: the parent and practitioner pages (``/s/{token}``), the child's tablet
  (``/k/{token}``, its practice, picture-code and adult pages), and API v1 submissions;

and after each round every GET route is opened again, which downloads every export (Word, PDF,
Excel, CSV, HTML summary, long and wide data, data dictionary, posters, cards, paper forms, QR
codes, questionnaire files, audit CSVs) and the shared link. Each request must answer below 500;
failures are collected over all rounds, one per (route, field) with the value that caused it and
the last lines of the logged traceback, and reported together.

The rounds run inside one test (the data is built once), ``derandomize=True`` so CI is
repeatable, without shrinking (the report names the field and value already).
"""

from __future__ import annotations

import logging
import os
import random
import re
import time
import traceback
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import httpx
import pyotp
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from frontend.core import access
from frontend.documents.summary_files import FORMATS
from tests.security import matrix
from tests.support import run

PROJECT = str(Path(__file__).resolve().parents[2])
# Each round fills every form once and opens every page (~6-12 s each on SQLite; the first,
# which also posts the button-only forms, is the longest). HEARD_FUZZ_ROUNDS=20 for a deeper run.
ROUNDS = int(os.environ.get("HEARD_FUZZ_ROUNDS", "3"))
OWN = "anew"
ADMIN_EMAIL = "fuzz-admin@heard.example"
PASSWORD = "a long password here"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
SESSION_PAGES = 2  # sessions whose posters, cards and paper forms each round downloads (PDFs are slow)
RESPONDENT_STEPS = 12  # pages walked through one respondent form before giving up

# Forms whose POST would make the rest of the round impossible; everything else is posted.
SKIPPED_ACTIONS = (
    "/lead/logout",  # signs the fuzzing admin out
    "/lead/account/sign-out-everywhere",  # ends the fuzzing admin's sign-in
    "/sessions/{token}/delete",  # deletes the sessions the respondent forms post to
    "/sessions/{token}/close",  # closes them (closed forms answer 410, so nothing more is tried)
    "/lead/admin/initiatives/anew/archive",  # archives the initiative under test (no new sessions)
)
# The admin's own account page would let the fuzz take its own admin role or deactivate it, and
# its sign-out/second-factor reset would end the sign-in: those are skipped for the admin only.
OWN_ACCOUNT_ACTIONS = ("", "/sign-out-everywhere", "/second-factor/reset")

# ---------------------------------------------------------------------------------------------
# Values

NASTY = [
    "\x00\u202e\x0b\ufeff\x1b",  # first: what the first (simplest) round puts everywhere
    "\x00",
    "\u202e",  # right-to-left override
    "\u202d",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u2066",  # isolates
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200b",  # zero width space
    "\u200d",
    "\u200e",
    "\u200f",
    "\ufeff",  # byte-order mark
    "\ufffe",  # a noncharacter
    "\uffff",
    "\x1b[31m",
    "\r\n",
    "\r",
    "\x0b",
    "\x0c",
    "\x7f",
    "\x85",  # NEL
    "\u2028",  # line and paragraph separators
    "\u2029",
    "\U0001f600",
    "\U0010ffff",
    "e\u0301\u0301\u0301",  # stacked combining marks
]
NUMBERS = [
    "9" * 30,  # first: the simplest round's number
    "0",
    "-1",
    "-0",
    str(2**31),
    str(2**63),
    str(-(2**63) - 1),
    str(2**64),
    "9" * 40,
    "9" * 400,
    "1e309",
    "-1e309",
    "NaN",
    "Infinity",
    "0x10",
    "1_000",
    "1.5",
    "١٢٣",  # Arabic-Indic digits
    "１２３",  # full-width digits
    " 7 ",
]
any_char = st.characters(exclude_categories=("Cs",))  # lone surrogates can't be sent as UTF-8
control_char = st.characters(min_codepoint=0, max_codepoint=0x1F) | st.characters(
    min_codepoint=0x7F, max_codepoint=0x9F
)
chars = st.one_of(any_char, control_char, st.sampled_from([c for c in NASTY if len(c) == 1]))
short_text = st.text(chars, max_size=24)
words = st.sampled_from(
    ["Dundee", "", "Demo", "Dundee ", "a quiet room ", "Zoë's group", "=1+1", "<b>x</b>", "{{ 7*7 }}"]
)
numbers = st.sampled_from(NUMBERS) | st.integers(-(10**30), 10**30).map(str)
mixed = st.builds(lambda a, b, c: a + b + c, words, st.sampled_from(NASTY) | short_text, words)
long_text = st.builds(
    lambda piece, n: (piece * (n // len(piece) + 1))[:n],
    st.text(chars, min_size=1, max_size=5),
    st.sampled_from([300, 2_000, 20_000]),
)
# Hypothesis starts from the simplest value of each (the first branch, the first element), so the
# first round is already hostile: "Dundee" + NUL, a right-to-left override... + "Dundee".
values = st.one_of(mixed, st.sampled_from(NASTY), numbers, long_text, short_text)


api_answer = st.one_of(
    values,
    st.integers(-(10**30), 10**30),
    st.floats(),
    st.booleans(),
    st.none(),
    st.lists(values, max_size=3),
    st.dictionaries(short_text, values, max_size=2),
)


@dataclass
class Plan:
    """One round's generated values, drawn before the round starts.

    How many values a round uses depends on the pages (how many forms, how many pages a respondent
    walks), so Hypothesis draws a fixed number up front and the round takes them in turn; its
    other choices (which option, which button, which of several like forms) come from a seeded
    random generator, so Hypothesis's draws never depend on the app's state.
    """

    texts: list[str]
    numbers: list[str]
    answers: list
    seed: int
    taken: int = 0

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.taken = self.seed % len(self.texts)  # each round starts at another kind

    def text(self) -> str:
        self.taken += 1
        return self.texts[self.taken % len(self.texts)]

    def number(self) -> str:
        self.taken += 1
        return self.numbers[self.taken % len(self.numbers)]

    def answer(self):
        self.taken += 1
        return self.answers[self.taken % len(self.answers)]

    def pick(self, items):
        return self.rng.choice(list(items))

    def chance(self, p: float) -> bool:
        return self.rng.random() < p


def _interleave(*groups: list[str]) -> list[str]:
    return [v for row in zip(*groups) for v in row]


# Each round's texts: every kind in turn (mixed, bare, number, long, short), so like forms in a
# round get unlike values, and each kind reaches every form over the rounds.
pool = st.builds(
    _interleave,
    *[
        st.lists(kind, min_size=5, max_size=5)
        for kind in (mixed, st.sampled_from(NASTY), numbers, long_text, short_text)
    ],
)
plans = st.builds(
    Plan,
    pool,
    st.lists(numbers, min_size=8, max_size=8),
    st.lists(api_answer, min_size=8, max_size=8),
    st.integers(0, 2**32),
)


# ---------------------------------------------------------------------------------------------
# Forms, as a browser reads them


@dataclass
class Field:
    name: str
    kind: str  # input type, "textarea", "select", "button"
    value: str = ""
    options: list[str] = field(default_factory=list)
    multiple: bool = False


@dataclass
class Form:
    page: str
    action: str
    method: str
    enctype: str
    fields: dict[str, Field] = field(default_factory=dict)

    def add(self, item: Field) -> None:
        known = self.fields.get(item.name)
        if known is None:
            self.fields[item.name] = item
        elif item.value not in known.options:
            known.options.append(item.value)  # radios, checkboxes and buttons of one name


class _FormParser(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: Field | None = None
        self.textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            action = a.get("action") or self.page
            self.form = Form(self.page, action, (a.get("method") or "get").lower(), a.get("enctype", ""))
            self.forms.append(self.form)
        if self.form is None or not a.get("name"):
            return
        name = a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if a.get("inputmode") in ("numeric", "decimal"):
                kind = "number"  # a year, a count, a percentage: huge numbers more often
            if kind in ("submit", "image", "reset"):
                kind = "button"
            value = a.get("value", "on" if kind in ("checkbox", "radio") else "")
            self.form.add(Field(name, kind, value, [value] if kind in ("checkbox", "radio", "button") else []))
        elif tag == "button" and (a.get("type") or "submit").lower() == "submit":
            self.form.add(Field(name, "button", a.get("value", ""), [a.get("value", "")]))
        elif tag == "textarea":
            self.textarea = Field(name, "textarea")
            self.form.add(self.textarea)
        elif tag == "select":
            self.select = Field(name, "select", multiple="multiple" in a)
            self.form.add(self.select)
        elif tag == "option" and self.select is not None:
            self.select.options.append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.value += data


def forms_of(path: str, html: str) -> list[Form]:
    parser = _FormParser(path)
    parser.feed(html)
    return parser.forms


def shape(path: str) -> str:
    """A path with its numbers and tokens generalised: one form of each kind is tried per page."""
    path = urlsplit(path).path
    path = re.sub(r"/\d+(?=/|$)", "/{id}", path)
    return re.sub(r"/(sessions|s|k|api/v1/sessions)/[A-Z0-9][A-Z0-9-]{7,}", r"/\1/{token}", path)


# ---------------------------------------------------------------------------------------------
# The run


@dataclass
class Failure:
    where: str
    status: int
    values: dict[str, str]
    trace: str
    round: int

    def __str__(self) -> str:
        shown = ", ".join(f"{k}={_short(v)}" for k, v in self.values.items()) or (
            "no value in this request: it shows what the forms stored in the rounds before"
        )
        return f"{self.where} (round {self.round}): {self.status}\n    {shown}\n    {self.trace}"


def _short(value) -> str:
    text = value if isinstance(value, str) else repr(value)
    return repr(text[:60] + (f"... ({len(text)} chars)" if len(text) > 60 else ""))


class _Tracebacks(logging.Handler):
    """Keeps the tracebacks the app logs for its 500s (frontend/core/errors.py)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)

    def last_lines(self) -> str:
        for record in reversed(self.records):
            if record.exc_info:
                _, error, tb = record.exc_info
                frames = traceback.extract_tb(tb)
                ours = [f for f in frames if f.filename.startswith(PROJECT) and "/.venv/" not in f.filename][-2:]
                shown = [*ours, *[f for f in frames[-1:] if f not in ours]]
                lines = [f"{f.filename.rsplit('/', 2)[-2:][-1]}:{f.lineno} {f.name}: {f.line}" for f in shown]
                return "\n    ".join([*lines, f"{type(error).__name__}: {str(error)[:200]!r}"])
        return "(no traceback logged)"


class Fuzz:
    def __init__(self, app, client, world: matrix.World, admin_id: int, shared_token: str) -> None:
        self.app, self.client, self.world = app, client, world
        self.admin_id, self.shared_token = admin_id, shared_token
        self.failures: dict[tuple, Failure] = {}
        self.requests = 0
        self.posted: set[str] = set()
        self.tracebacks = _Tracebacks()
        self.slowest: list[tuple[float, str, str]] = []
        self.rounds = 0

    # -- requests --

    def send(self, method: str, path: str, *, key: str, values: dict | None = None, **kwargs):
        self.tracebacks.records.clear()
        self.requests += 1
        started = time.perf_counter()
        try:
            response = self.client.request(method, path, follow_redirects=False, **kwargs)
        except httpx.HTTPError as e:
            # The app answered something no client can read (a Location header longer than
            # httpx's 64 KiB, which a proxy in front would turn into a 502): a server error too.
            self.failures.setdefault(
                (method, key, tuple(sorted(values or {})), "unreadable"),
                Failure(
                    f"{method} {path[:140]}", 0, dict(values or {}), f"unreadable response: {e!r}"[:300], self.rounds
                ),
            )
            return httpx.Response(599, request=httpx.Request(method, "http://127.0.0.1:8000" + path))
        took = time.perf_counter() - started
        self.slowest.append((took, method, path[:100]))
        if response.status_code >= 500:
            where = f"{method} {path[:140]}"
            failure_key = (method, key, tuple(sorted(values or {})))
            self.failures.setdefault(
                failure_key,
                Failure(where, response.status_code, dict(values or {}), self.tracebacks.last_lines(), self.rounds),
            )
        if response.status_code == 303 and response.headers.get("location", "").startswith("/lead/login"):
            if path.startswith("/lead") and not path.startswith("/lead/login"):
                pytest.fail(f"{method} {path[:140]} signed the fuzzing admin out; skip that form")
        return response

    # -- what there is to open --

    def sessions(self, *, per_audience: bool = False) -> list[str]:
        """ANEW's newest sessions (those the fuzz made or changed last), or the newest of each audience."""
        from surveys.tables import Session

        rows = run(
            Session.select(Session.token, Session.audience)
            .where(Session.initiative == self.initiative_id)
            .order_by(Session.id, ascending=False)
        )
        if per_audience:
            return list({r["audience"]: r["token"] for r in reversed(rows)}.values())
        return [r["token"] for r in rows[:SESSION_PAGES]]

    @property
    def initiative_id(self) -> int:
        return self.world.params["initiative_id"]

    def pages(self) -> list[str]:
        """Every GET route of the app, filled with ANEW's records as they are now."""
        samples = {kind: run(resource.sample(self.initiative_id)) for kind, resource in access.RESOURCES.items()}
        tokens = self.sessions()
        paths = []
        for route in matrix.routes(self.app):
            if route.method != "GET" or route.path.startswith(("/schema", "/static")):
                continue
            resources = route.opt.get("resources") or {}
            choices: dict[str, list] = {"slug": [OWN]}
            for param in route.params:
                kind = resources.get(param)
                if param == "token" and route.path.startswith("/shared"):
                    choices[param] = [self.shared_token]
                elif param == "token" and (kind == "session_token" or route.path.startswith(("/s/", "/k/", "/api"))):
                    choices[param] = tokens
                elif param == "token":
                    choices[param] = ["not-a-real-token"]  # /lead/password/{token}: a one-time link
                elif param == "fmt":
                    choices[param] = list(FORMATS)
                elif param == "code":
                    choices[param] = ["ABCD2345X"]
                elif kind:
                    choices[param] = [samples[kind]]
                elif param != "slug":
                    choices[param] = [self.world.params[param]]
            if any(v is None for vs in choices.values() for v in vs):
                continue  # the fuzz deleted the last record of that kind
            combos = [{}]
            for param in route.params:
                combos = [{**c, param: v} for c in combos for v in choices[param]]
            paths += [route.fill(c) for c in combos]
        return list(dict.fromkeys(paths))

    def open_everything(self) -> list[tuple[str, str]]:
        """Open every page and download every file; the HTML pages (for their forms)."""
        pages = []
        for path in self.pages():
            response = self.send("GET", path, key=shape(path))
            if response.status_code == 200 and response.headers.get("content-type", "").startswith("text/html"):
                pages.append((path, response.text))
        return pages

    # -- filling forms --

    def fill(self, form: Form, plan) -> tuple[dict[str, list[str]], dict, dict[str, str]]:
        """The fields a person (or a bot) sends: (fields, files, the generated values)."""
        fields: dict[str, list[str]] = {}
        files: dict = {}
        generated: dict[str, str] = {}
        buttons = [f for f in form.fields.values() if f.kind == "button"]
        for item in form.fields.values():
            if item.kind == "button":
                continue
            if item.name == "_csrf_token":
                fields[item.name] = [item.value]
                continue
            if item.kind == "hidden":
                # Hidden state is kept, but now and then tampered with, as a bot would.
                if plan.chance(1 / 6):
                    generated[item.name] = plan.text()
                    fields[item.name] = [generated[item.name]]
                else:
                    fields[item.name] = [item.value]
                continue
            if item.kind == "file":
                content = plan.text().encode()
                name = plan.pick(["q.toml", "form.xlsx", "x", "", plan.text()])
                files[item.name] = (name, content, "application/octet-stream")
                generated[item.name] = f"file {name!r} of {len(content)} bytes"
                continue
            if item.kind in ("checkbox", "radio", "select"):
                how = plan.pick(["valid", "valid", "generated", "none"])
                if how == "none":
                    continue
                if how == "valid" and item.options:
                    count = len(item.options) if item.multiple or item.kind == "checkbox" else 1
                    fields[item.name] = plan.rng.sample(item.options, plan.rng.randint(1, count))
                    continue
            value = plan.number() if item.kind in ("number", "range") and plan.chance(0.7) else plan.text()
            fields[item.name] = [value]
            generated[item.name] = value
        if buttons:
            button = plan.pick(buttons)
            choice = plan.pick(button.options) if button.options else button.value
            fields[button.name] = [choice]
        return fields, files, generated

    def post(self, form: Form, plan) -> object:
        fields, files, generated = self.fill(form, plan)
        key = shape(form.action)
        if form.method == "get":
            # A query string stays within what browsers and proxies carry (about 8 KB).
            query = urlencode([(k, v[:600]) for k, vs in fields.items() for v in vs])[:8000]
            return self.send("GET", f"{form.action.split('?')[0]}?{query}", key=key, values=generated)
        if files or "multipart" in form.enctype:
            return self.send("POST", form.action, key=key, values=generated, data=fields, files=files or None)
        return self.send("POST", form.action, key=key, values=generated, data=fields)

    def skipped(self, form: Form) -> bool:
        action = shape(form.action)
        if any(action == s or action.endswith(s) for s in SKIPPED_ACTIONS):
            return True
        own = f"/lead/admin/users/{self.admin_id}"
        return any(urlsplit(form.action).path == own + tail for tail in OWN_ACCOUNT_ACTIONS)

    # -- a round --

    def lead_forms(self, pages: list[tuple[str, str]], plan) -> None:
        chosen: dict[tuple, list[Form]] = {}
        for path, html in pages:
            if not path.startswith("/lead"):
                continue
            for form in forms_of(path, html):
                if not self.skipped(form):
                    chosen.setdefault((shape(form.action), form.method, tuple(form.fields)), []).append(form)
        for forms in chosen.values():
            form = plan.pick(forms)
            fuzzable = [f for f in form.fields.values() if f.kind != "button" and f.name != "_csrf_token"]
            if not fuzzable and f"{form.method.upper()} {shape(form.action)}" in self.posted:
                continue  # a button alone (approve, remove, delete): nothing new to send after once
            self.posted.add(f"{form.method.upper()} {shape(form.action)}")
            response = self.post(form, plan)
            location = response.headers.get("location", "")
            if response.status_code in (302, 303) and location.startswith("/lead"):
                self.send("GET", location, key=shape(location))

    def respondent_forms(self, plan) -> None:
        for token in self.sessions(per_audience=True):
            for start in (
                f"/s/{token}",
                f"/k/{token}",
                f"/k/{token}/practice",
                f"/k/{token}/code",
                f"/k/{token}/adult",
            ):
                self.walk(start, plan)
            self.api(token, plan)

    def walk(self, path: str, plan) -> None:
        """Answer a respondent form page after page with generated values, as far as it goes."""
        response = self.send("GET", path, key=shape(path))
        for _ in range(RESPONDENT_STEPS):
            if response.status_code != 200:
                return
            forms = [f for f in forms_of(path, response.text) if f.method == "post"]
            if not forms:
                return
            form = plan.pick(forms)
            self.posted.add(f"POST {shape(form.action)}")
            response = self.post(form, plan)
            path = form.action
            if response.status_code in (302, 303):
                path = response.headers["location"]
                if not path.startswith(("/s/", "/k/", "/c/")):
                    return
                response = self.send("GET", path, key=shape(path))

    def api(self, token: str, plan) -> None:
        described = self.send("GET", f"/api/v1/sessions/{token}", key="/api/v1/sessions/{token}")
        keys = ["better", "listened"]
        if described.status_code == 200:
            text = described.text
            keys = list(dict.fromkeys(re.findall(r'"key"\s*:\s*"([^"]+)"', text))) or keys
        self.posted.add("POST /api/v1/sessions/{token}/responses")
        for _ in range(2):
            answers = {key: plan.answer() for key in keys if plan.chance(0.8)}
            body = {"submission_id": str(uuid.uuid4()) if plan.chance(0.7) else plan.answer(), "answers": answers}
            for extra in ("lang", "code", "started_at"):
                if plan.chance(0.3):
                    body[extra] = plan.answer()
            self.send(
                "POST",
                f"/api/v1/sessions/{token}/responses",
                key="/api/v1/sessions/{token}/responses",
                values={"json": repr(body)},
                json=body,
            )

    def round(self, plan) -> None:
        self.rounds += 1
        started = time.perf_counter()
        self.respondent_forms(plan)
        self.lead_forms(self.open_everything(), plan)
        print(f"round {self.rounds}: {time.perf_counter() - started:.1f}s, {self.requests} requests so far")

    def report(self) -> str:
        return f"{len(self.failures)} server errors in {self.requests} requests:\n" + "\n".join(
            str(f) for f in self.failures.values()
        )


@pytest.fixture
def fuzz(app, client):
    from surveys import accounts
    from surveys.sessions import create_session
    from surveys.sharing import create_link
    from surveys.summary import Filters
    from surveys.tables import Account, Initiative, Questionnaire
    from surveys.versions import latest_version

    world = matrix.make_world(client)
    initiative_id = run(Initiative.select(Initiative.id).where(Initiative.slug == OWN).first())["id"]
    world.params["initiative_id"] = initiative_id
    # A session for each of ANEW's questionnaires (parent, child, practitioner), so every
    # respondent face is there: the demo made one for the first.
    for questionnaire in run(Questionnaire.select().where(Questionnaire.initiative == initiative_id)):
        version = run(latest_version(questionnaire["id"]))
        run(create_session(initiative_id, version["id"], audience=questionnaire["audience"], site="Fuzz site"))
    shared_token, _ = run(create_link(initiative_id, Filters(), label="fuzz link"))
    # The admin signs in as a person does: password, then the code from an authenticator app.
    admin_id = run(accounts.add_account(ADMIN_EMAIL, PASSWORD, "admin", []))
    run(Account.update({Account.totp_secret: TOTP_SECRET, Account.totp_required: True}).where(Account.id == admin_id))
    client.cookies.clear()
    login = client.get("/lead/login")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', login.text).group(1)
    step = client.post("/lead/login", data={"email": ADMIN_EMAIL, "password": PASSWORD, "_csrf_token": token})
    pending = re.search(r'name="pending" value="([^"]+)"', step.text).group(1)
    token = re.search(r'name="_csrf_token" value="([^"]+)"', step.text).group(1)
    signed_in = client.post(
        "/lead/login/code",
        data={"pending": pending, "code": pyotp.TOTP(TOTP_SECRET).now(), "_csrf_token": token},
        follow_redirects=False,
    )
    assert signed_in.status_code == 303 and client.cookies.get(access.LOGIN_COOKIE), signed_in.text[:500]
    fuzz = Fuzz(app, client, world, admin_id, shared_token)
    logger = logging.getLogger("heard")
    logger.addHandler(fuzz.tracebacks)
    yield fuzz
    logger.removeHandler(fuzz.tracebacks)


def test_generated_input_in_every_form_never_makes_a_server_error(fuzz):
    @settings(
        max_examples=ROUNDS,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(plan=plans)
    def one_round(plan):
        fuzz.round(plan)

    one_round()
    fuzz.open_everything()  # the last round's values in every download
    print(f"{fuzz.requests} requests in {sum(t for t, *_ in fuzz.slowest):.1f}s")
    assert not fuzz.failures, fuzz.report()
    # It really tried: the lead pages' forms, the respondent forms and the API were all posted.
    posted = "\n".join(sorted(fuzz.posted))
    for expected in (
        f"/lead/{OWN}/sessions/new",
        f"/lead/{OWN}/sessions/{{token}}/edit",
        f"/lead/{OWN}/privacy",
        f"/lead/{OWN}/questionnaires/new",
        "/lead/admin/users/new",
        "/s/",
        "/k/",
        "/api/v1/",
    ):
        assert expected in posted, f"never posted {expected}; posted:\n{posted}"
    assert len(fuzz.posted) > 40, posted
