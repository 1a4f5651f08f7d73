"""The JSON API and Heard's errors: idempotent submissions, clear problems, never a stack trace."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from surveys.tables import Answer, Response, Session
from tests.support import run

GOOD = {"listened": "yes", "next_steps": "yes", "helpful": "partly", "child_views": "no"}


@pytest.fixture
def token(db):
    from surveys.demo import ensure_demo_sessions

    return run(ensure_demo_sessions())["anew"]["token"]


def _post(client, token, answers, submission_id=None, **extra):
    body = {"submission_id": str(submission_id or uuid.uuid4()), "answers": answers, **extra}
    return client.post(f"/api/v1/sessions/{token}/responses", json=body)


def test_submission_is_idempotent(client, token):
    submission_id = uuid.uuid4()
    first = _post(client, token, GOOD, submission_id)
    assert first.status_code == 201, first.text
    assert first.json()["replayed"] is False
    again = _post(client, token, GOOD, submission_id)
    assert again.status_code == 201
    assert again.json() == {**first.json(), "replayed": True}
    assert again.headers["idempotent-replayed"] == "true"
    assert run(Response.count()) == 1
    assert run(Answer.count()) == 4


def test_out_of_range_answer_is_422_naming_the_field_and_stores_nothing(client, token):
    response = _post(client, token, {**GOOD, "helpful": "7"})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 422
    assert set(problem["errors"]) == {"helpful"}
    assert run(Response.count()) == 0
    assert run(Answer.count()) == 0


def test_unknown_question_and_missing_required_are_named(client, token):
    response = _post(client, token, {"listened": "yes", "colour": "blue"})
    assert response.status_code == 422
    assert {"colour", "next_steps", "helpful", "child_views"} <= set(response.json()["errors"])


def test_malformed_body_is_400_problem(client, token):
    response = client.post(f"/api/v1/sessions/{token}/responses", json={"answers": GOOD, "submission_id": "nope"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "Traceback" not in response.text


def test_unknown_token_is_404_for_people_and_programs(client, db):
    page = client.get("/s/AAAA-BBBB-CCCC-D")
    assert page.status_code == 404
    assert "text/html" in page.headers["content-type"]
    assert "Page not found" in page.text
    api = client.get("/api/v1/sessions/AAAABBBBCCCCD")
    assert api.status_code == 404
    assert api.json()["status"] == 404


def test_closed_session_is_410_with_a_friendly_page(client, token):
    run(Session.update({Session.closes_at: dt.datetime.now(dt.UTC) - dt.timedelta(days=1)}).where(
        Session.token == token))
    page = client.get(f"/s/{token}")
    assert page.status_code == 410
    assert "closed" in page.text
    api = _post(client, token, GOOD)
    assert api.status_code == 410
    assert run(Response.count()) == 0


def test_body_over_the_limit_is_413(client, token):
    response = _post(client, token, {**GOOD, "better": "x" * (70 * 1024)})
    assert response.status_code == 413
    assert run(Response.count()) == 0


def test_healthz_checks_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_openapi_describes_the_api(client, db):
    schema = client.get("/schema/openapi.json").json()
    assert "/api/v1/sessions/{token}/responses" in schema["paths"]
    assert not any(path.startswith(("/s/", "/lead")) for path in schema["paths"])
