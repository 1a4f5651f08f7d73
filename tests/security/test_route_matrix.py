"""Access control that is proven, not hoped: every route, tried as the wrong people.

The route list comes from the app itself, so a route added tomorrow is checked tomorrow.
"""

from __future__ import annotations

import pytest
from litestar import get
from litestar.params import FromPath
from litestar.testing import TestClient

from frontend.core import access
from tests.security import matrix


@pytest.fixture
def world(client):
    return matrix.make_world(client)


def test_every_route_declares_its_access(app):
    assert matrix.undeclared(app) == []


def test_the_route_list_covers_the_lead_pages(app):
    paths = {(r.method, r.path) for r in matrix.routes(app)}
    # If these vanished the matrix would pass by checking nothing.
    assert ("GET", "/lead/{slug:str}/responses.csv") in paths
    assert ("GET", "/lead/{slug:str}/audit") in paths
    assert ("POST", "/lead/admin/users/{account_id:int}") in paths
    assert ("POST", "/lead/{slug:str}/responses/{response_id:int}/delete") in paths
    initiative_routes = [r for r in matrix.routes(app) if "slug" in r.params]
    assert len(initiative_routes) >= 5


def test_no_route_lets_the_wrong_person_in_or_leaks_another_initiative(app, world):
    assert matrix.check(app, world) == []


def test_a_viewer_reads_summaries_but_not_raw_answers(client, world):
    assert world.request("viewer", "GET", "/lead/anew/").status_code == 200
    assert world.request("viewer", "GET", "/lead/anew/responses.csv").status_code == 403
    summary = world.request("viewer", "GET", "/lead/anew/").text
    assert "responses.csv" not in summary  # no link to what they can't have
    assert world.request("lead", "GET", "/lead/anew/responses.csv").status_code == 200


def test_records_of_another_initiative_are_refused_by_the_guard(world):
    """A route naming a record checks the record belongs to the initiative in its path."""
    from surveys.tables import Session

    anew_session = world.samples[("session", "anew")]
    assert matrix.run(access.RESOURCES["session"].owner(anew_session)) == matrix.run(
        Session.select(Session.initiative).where(Session.id == anew_session).first()
    )["initiative"]
    assert matrix.run(access.RESOURCES["session"].owner("not a number")) is None


# --- the check itself would catch a mistake ------------------------------------------------


@get("/lead/{slug:str}/leak", include_in_schema=False)
async def unscoped_leak(slug: FromPath[str]) -> str:
    return "Anew-Site-Marker"  # whatever was asked, ANEW's data


@get("/lead/{slug:str}/leak-declared-wrong", opt=access.account(), include_in_schema=False)
async def wrongly_scoped_leak(slug: FromPath[str]) -> str:
    return "Anew-Site-Marker"


@get("/lead/{slug:str}/sessions/{session_id:int}", opt=access.initiative("lead"), include_in_schema=False)
async def undeclared_resource(slug: FromPath[str], session_id: FromPath[int]) -> str:
    return "ok"


def _app_with(handler):
    from frontend.app import create_app

    app = create_app()
    app.register(handler)
    return app


def test_an_unscoped_route_fails_the_matrix_and_is_refused_at_run_time(db):
    app = _app_with(unscoped_leak)
    assert matrix.undeclared(app) == ["GET /lead/{slug:str}/leak: no access scope declared (see frontend/access.py)"]
    with TestClient(app=app, base_url="http://127.0.0.1:8000") as client:
        world = matrix.make_world(client)
        failures = matrix.check(app, world)
        assert any("/lead/{slug:str}/leak: no access scope" in f for f in failures)
        # Fail closed: the guard refuses an undeclared route even to an admin.
        assert world.request("admin", "GET", "/lead/anew/leak").status_code == 403


def test_a_leaky_route_with_the_wrong_scope_fails_the_matrix(db):
    app = _app_with(wrongly_scoped_leak)
    with TestClient(app=app, base_url="http://127.0.0.1:8000") as client:
        world = matrix.make_world(client)
        failures = matrix.check(app, world)
    assert "GET /lead/{slug:str}/leak-declared-wrong: takes an initiative but its scope is 'account'" in matrix.undeclared(app)
    assert any(f.startswith("GET /lead/anew/leak-declared-wrong as other-lead: 200") for f in failures)
    assert any("shows 'Anew-Site-Marker'" in f for f in failures)


def test_a_record_in_the_path_must_be_declared(db):
    app = _app_with(undeclared_resource)
    assert matrix.undeclared(app) == [
        "GET /lead/{slug:str}/sessions/{session_id:int}: path parameter 'session_id' is not declared as a resource"
    ]


def test_declaring_an_unknown_resource_kind_is_an_error():
    with pytest.raises(ValueError, match="unknown resource kind"):
        access.initiative("lead", quote_id="quote-that-nobody-registered")
