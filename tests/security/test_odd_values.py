"""Every GET route, given odd but plausible values, answers without a server error.

Unknown and hand-typed tokens, empty filters, impossible or far-off dates, huge numbers and very
long query strings are what people (and link checkers) really send. The route list comes from
the app itself, as in the route matrix, so a route added tomorrow is tried tomorrow; each is
called signed out and as an admin, who gets past every guard to the handler itself.
"""

from __future__ import annotations

import itertools
from urllib.parse import quote, urlencode

import pytest

from frontend.documents.summary_files import FORMATS
from tests.security import matrix

# Every query parameter a page reads (filters, periods, counts, flags); odd values for all.
QUERY_NAMES = (
    "questionnaire",
    "from",
    "to",
    "site",
    "audience",
    "phase",
    "lang",
    "count",
    "format",
    "version",
    "code",
    "session",
    "status",
    "theme",
    "created",
    "done",
    "ended",
    "error",
    "imported",
    "saved",
    "password",
)
ODD_QUERIES = (
    "",
    urlencode({name: "" for name in QUERY_NAMES}),
    "from=0000-01-01&to=9999-12-31",
    "from=9999-12-31&to=9999-12-31",
    "from=0001-01-01&to=0001-01-01",
    "from=2026-02-30&to=yesterday",
    "from=2026-12-31&to=2026-01-01",
    urlencode({name: "-1" for name in QUERY_NAMES}),
    urlencode({name: str(2**63) for name in QUERY_NAMES}),
    urlencode({name: "nope ünïcødé" for name in QUERY_NAMES}),
    urlencode({"site": "x" * 8192}),
    urlencode({name: "x" * 400 for name in QUERY_NAMES}),
)
LONG = "x" * 300


def odd_values(world: matrix.World) -> dict[str, tuple[list[str], list[str]]]:
    """For each path parameter: real values (the queries are tried on each), then odd ones."""
    token = world.samples[("session_token", world.own)]
    code = "ABCD2345X"
    ids = ["0", "-1", str(2**31), str(2**63), str(10**30)]
    return {
        "slug": ([world.own], ["nope", world.own.upper(), LONG]),
        # Typed tokens: lower case, no dashes, spaced out; unknown; far too long; digits only.
        "token": ([token], [token.lower().replace("-", ""), " ".join(token.lower()), "ZZZZ-ZZZZ-ZZZZ-Z", LONG, "0"]),
        "code": ([code], [code.lower(), "ABCD-2345-Y", "0", LONG]),
        "questionnaire": ([world.samples[("questionnaire_slug", world.own)]], ["nope", LONG]),
        "fmt": (list(FORMATS), ["exe", LONG]),  # each format makes its own file
        "note_id": ([str(world.samples[("voice_note", world.own)])], ids),
        "response_id": ([str(world.samples[("response", world.own)])], ids),
        "account_id": ([str(world.params["account_id"])], ids),
        "file_path": (["heard.css"], ["nope.css", "../pyproject.toml", "%00", LONG]),
        "path": (["openapi.json"], ["nope", LONG]),
        "draft": ([world.samples[("questionnaire_draft", world.own)]], ["nope", LONG, "..", "%00"]),
        "number": (["1"], ["0", "-1", "99", str(2**63)]),
        "lang": (["pl", "ar"], ["en", "xx", LONG]),
    }


def odd_requests(app, world: matrix.World) -> list[str]:
    """Paths to try: each odd query on the real paths, and each odd value of each path parameter."""
    values = odd_values(world)
    paths = []
    for route in matrix.routes(app):
        if route.method != "GET":
            continue
        missing = [p for p in route.params if p not in values]
        assert not missing, f"{route.path}: no odd values for {missing}; add them to odd_values()"

        def fill(chosen: dict[str, str]) -> str:
            return route.fill({p: quote(v, safe="/") for p, v in chosen.items()})

        for real in itertools.product(*(values[p][0] for p in route.params)):
            path = fill(dict(zip(route.params, real)))
            paths += [f"{path}?{query}" if query else path for query in ODD_QUERIES]
        first = {p: values[p][0][0] for p in route.params}
        for param in route.params:
            paths += [fill({**first, param: value}) for value in values[param][1]]
    return list(dict.fromkeys(paths))


@pytest.fixture
def world(client):
    return matrix.make_world(client)


def test_every_get_route_answers_odd_values_without_a_server_error(app, world):
    tried = odd_requests(app, world)
    failures, admitted = [], 0
    for path in tried:
        for who in ("nobody", "admin"):
            response = world.request(who, "GET", path)
            if response.status_code >= 500:
                failures.append(f"GET {path[:160]} as {who}: {response.status_code}")
            admitted += who == "admin" and response.status_code == 200
    assert not failures, "\n".join(failures)
    # If the list shrank, or every request were turned away, this would pass by trying nothing.
    assert len({p.split("?")[0] for p in tried}) > 200 and len(tried) > 900
    assert admitted > len(tried) / 2
