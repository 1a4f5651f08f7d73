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


def test_a_reused_submission_id_with_different_answers_is_409_and_keeps_the_first(client, token):
    submission_id = uuid.uuid4()
    assert _post(client, token, GOOD, submission_id).status_code == 201
    changed = _post(client, token, {**GOOD, "helpful": "no"}, submission_id)
    assert changed.status_code == 409
    assert changed.headers["content-type"].startswith("application/problem+json")
    problem = changed.json()
    assert problem["status"] == 409
    assert "different answers" in problem["detail"]
    # A participant code given only the second time is a difference too: it would be lost.
    from surveys.pseudonyms import new_code

    with_code = _post(client, token, GOOD, submission_id, participant_code=new_code())
    assert with_code.status_code == 409, with_code.text
    # The answers sent first are the ones kept, once; the same answers again are still a replay.
    assert run(Answer.select(Answer.option_key).where(Answer.question_key == "helpful")) == [{"option_key": "partly"}]
    assert run(Response.count()) == 1
    again = _post(client, token, dict(reversed(GOOD.items())), submission_id)  # order is not a difference
    assert again.status_code == 201
    assert again.json()["replayed"] is True


def test_a_response_stored_before_digests_is_replayed_whatever_is_sent(client, token):
    submission_id = uuid.uuid4()
    assert _post(client, token, GOOD, submission_id).status_code == 201
    run(Response.update({Response.answers_digest: None}, force=True))  # as the migration leaves old rows
    again = _post(client, token, {**GOOD, "helpful": "no"}, submission_id)
    assert again.status_code == 201
    assert again.json()["replayed"] is True
    assert run(Answer.select(Answer.option_key).where(Answer.question_key == "helpful")) == [{"option_key": "partly"}]


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
