"""A lead edits, closes, reopens and deletes sessions; the code never changes; all audited."""

from __future__ import annotations

import re
import uuid

import pytest

from surveys import accounts, audit, tokens
from surveys.errors import SessionClosed
from surveys.responses import submit
from surveys.sessions import open_session
from surveys.tables import Session
from tests.support import run
from tests.test_lead_pages import sign_in


@pytest.fixture
def anew(client, db):
    from surveys.demo import ensure_demo_sessions

    token = run(ensure_demo_sessions())["anew"]["token"]
    run(accounts.add_account("lead@anew.example", "correct horse", "lead", ["anew"]))
    run(accounts.add_account("viewer@anew.example", "just looking", "viewer", ["anew"]))
    sign_in(client, "lead@anew.example", "correct horse")
    return token


def _csrf(client, path="/lead/anew/sessions") -> str:
    return re.search(r'name="_csrf_token" value="([^"]+)"', client.get(path).text).group(1)


def _post(client, token, action, **data):
    return client.post(
        f"/lead/anew/sessions/{tokens.display(token)}/{action}",
        follow_redirects=False,
        data={"_csrf_token": _csrf(client), **data},
    )


def _row(token):
    return run(Session.select().where(Session.token == token).first())


def _actions():
    return [e["action"] for e in run(audit.events())]


def test_editing_keeps_the_code_and_changes_place_date_and_times(client, anew):
    form = client.get(f"/lead/anew/sessions/{tokens.display(anew)}/edit")
    assert form.status_code == 200 and 'name="site"' in form.text
    saved = _post(
        client,
        anew,
        "edit",
        site="Hilltown Library",
        held_on="2026-12-09",
        opens_at="2026-12-09T09:30",
        closes_at="2026-12-09T12:00",
    )
    assert saved.status_code == 303 and saved.headers["location"].endswith("?changed=saved")
    row = _row(anew)
    assert row["site"] == "Hilltown Library" and str(row["held_on"]) == "2026-12-09"
    assert row["token"] == anew  # posters printed before still work
    assert "session changed" in _actions()
    page = client.get(saved.headers["location"]).text
    assert "Changes saved" in page and "Hilltown Library" in page

    bad = _post(
        client, anew, "edit", site="x", held_on="9 Dec", opens_at="2026-12-09T12:00", closes_at="2026-12-09T09:00"
    )
    assert bad.status_code == 400 and "There is a problem" in bad.text
    assert "Enter the date like 2026-11-23" in bad.text and "closing time must be after" in bad.text
    assert _row(anew)["site"] == "Hilltown Library"  # nothing half-saved


def test_closing_refuses_answers_and_reopening_takes_them_again(client, anew):
    assert _post(client, anew, "close").status_code == 303
    with pytest.raises(SessionClosed):
        run(open_session(anew))
    assert "Reopen it" in client.get(f"/lead/anew/sessions/{tokens.display(anew)}").text
    assert _post(client, anew, "reopen").status_code == 303
    session = run(open_session(anew))
    answers = {p.answer_key: p.question.options[0].key for p in session.definition.pages if p.question.options}
    assert run(submit(session, uuid.uuid4(), answers)).response_id
    assert {"session closed", "session reopened"} <= set(_actions())


def test_deleting_asks_first_and_only_a_session_nobody_answered(client, anew):
    asked = _post(client, anew, "delete")
    assert asked.status_code == 200 and "Are you sure" not in asked.text  # the question is the page's heading
    assert re.search(r"<h1[^>]*>Delete the session at .*\?</h1>", asked.text)
    assert 'name="confirm" value="yes"' in asked.text and _row(anew) is not None  # nothing deleted yet
    done = _post(client, anew, "delete", confirm="yes")
    assert done.status_code == 303 and _row(anew) is None and "session deleted" in _actions()


def test_a_session_with_answers_cant_be_deleted(client, anew):
    session = run(open_session(anew))
    answers = {p.answer_key: p.question.options[0].key for p in session.definition.pages if p.question.options}
    run(submit(session, uuid.uuid4(), answers))
    page = client.get(f"/lead/anew/sessions/{tokens.display(anew)}").text
    assert "Delete this session" not in page and "1 response so far" in page
    refused = _post(client, anew, "delete", confirm="yes")
    assert refused.status_code == 409 and "close it instead" in refused.text
    assert _row(anew) is not None and "session deleted" not in _actions()


def test_viewers_cant_change_sessions(client, anew):
    client.cookies.clear()
    sign_in(client, "viewer@anew.example", "just looking")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', client.get("/lead/anew/").text).group(1)
    for action in ("edit", "close", "reopen", "delete"):
        response = client.post(
            f"/lead/anew/sessions/{tokens.display(anew)}/{action}", data={"_csrf_token": token, "confirm": "yes"}
        )
        assert response.status_code == 403, action
    assert _row(anew) is not None
