"""A parent answers the ANEW questionnaire on a phone with plain HTML forms (no JavaScript),
and the answer travels end to end: stored once, counted on the lead pages, in the CSV."""

from __future__ import annotations

import uuid

import pytest

from surveys.tables import Answer, Response
from tests.support import element_ids, form_data, hidden_fields, run

ANEW_ANSWERS = [
    ("listened", "yes"),
    ("next_steps", "partly"),
    ("helpful", "yes"),
    ("child_views", "not_sure"),
    ("better", "A quieter room. Call me on 07700 900123"),
]


@pytest.fixture
def anew_session(db):
    from surveys.demo import ensure_demo_sessions

    return run(ensure_demo_sessions())["anew"]


def _count(table, **where):
    query = table.count()
    for column, value in where.items():
        query = query.where(getattr(table, column) == value)
    return run(query)


def _answer_all(client, token, answers=ANEW_ANSWERS, consent=True):
    """Walk the form page by page as a browser without JavaScript would; return the last response."""
    page = client.get(f"/s/{token}")
    assert page.status_code == 200
    state = hidden_fields(page.text)
    page = client.post(f"/s/{token}", data=form_data(state, nav="next"))
    assert page.status_code == 200, page.text
    for i, (key, value) in enumerate(answers):
        assert f"Question {i + 1} of {len(answers)}" in page.text
        state = hidden_fields(page.text)
        fields = {key: value}
        if key == "better" and consent:
            fields["better.consent"] = "yes"
        page = client.post(f"/s/{token}", data=form_data(state, nav="next", **fields), follow_redirects=False)
    return page, state, fields


def test_parent_answers_and_sees_thank_you(client, anew_session):
    token = anew_session["token"]
    last, state, fields = _answer_all(client, token)
    assert last.status_code == 303
    thanks = client.get(last.headers["location"])
    assert thanks.status_code == 200
    assert "Thank you" in thanks.text
    assert _count(Response) == 1
    rows = run(Answer.select().order_by(Answer.id))
    assert [(r["question_key"], r["option_key"]) for r in rows[:4]] == [
        ("listened", "yes"), ("next_steps", "partly"), ("helpful", "yes"), ("child_views", "not_sure")
    ]
    assert [r["value"] for r in rows[:4]] == [3, 2, 3, None]
    # Free text is redacted before it is stored; consent travels with it.
    assert rows[4]["text"] == "A quieter room. Call me on [phone]"
    assert rows[4]["quote_consent"] is True


def test_retried_final_submit_is_stored_once(client, anew_session):
    token = anew_session["token"]
    last, state, fields = _answer_all(client, token)
    assert last.status_code == 303
    # The phone lost the response and the parent pressed "Send" again: same form, same id.
    again = client.post(f"/s/{token}", data=form_data(state, nav="next", **fields), follow_redirects=False)
    assert again.status_code == 303
    assert again.headers["location"] == last.headers["location"]
    assert _count(Response) == 1
    assert _count(Answer) == 5


def test_missing_answer_shows_error_summary_and_stores_nothing(client, anew_session):
    token = anew_session["token"]
    start = client.get(f"/s/{token}")
    first = client.post(f"/s/{token}", data=form_data(hidden_fields(start.text), nav="next"))
    page = client.post(f"/s/{token}", data=form_data(hidden_fields(first.text), nav="next"))
    assert page.status_code == 422
    assert "<title>Error: Did you feel listened to?" in page.text
    assert "There is a problem" in page.text
    # The summary links to the first radio, which exists on the page.
    assert 'href="#q-listened"' in page.text and "q-listened" in element_ids(page.text)
    assert _count(Response) == 0


def test_back_keeps_earlier_answers(client, anew_session):
    token = anew_session["token"]
    start = client.get(f"/s/{token}")
    q1 = client.post(f"/s/{token}", data=form_data(hidden_fields(start.text), nav="next"))
    q2 = client.post(f"/s/{token}", data=form_data(hidden_fields(q1.text), nav="next", listened="no"))
    assert "Question 2 of 5" in q2.text
    back = client.post(f"/s/{token}", data=form_data(hidden_fields(q2.text), nav="back"))
    assert "Question 1 of 5" in back.text
    assert 'value="no" checked' in back.text


def test_tampered_answer_is_refused_and_nothing_stored(client, anew_session):
    token = anew_session["token"]
    last, state, fields = _answer_all(client, token)
    client.cookies.clear()
    state = [(n, "maybe" if n == "listened" else v) for n, v in state]
    tampered = {**dict(fields)}
    state = [(n, v) for n, v in state if n != "submission_id"] + [("submission_id", str(uuid.uuid4()))]
    page = client.post(f"/s/{token}", data=form_data(state, nav="next", **tampered), follow_redirects=False)
    assert page.status_code == 422
    assert "Choose one of the answers shown" in page.text
    assert _count(Response) == 1  # only the first, honest submission


def test_respondent_pages_set_no_cookie_and_leak_no_referrer(client, anew_session):
    page = client.get(f"/s/{anew_session['token']}")
    assert "set-cookie" not in page.headers
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert "<script" not in page.text  # works with JavaScript off: there is none to need


def test_token_is_read_forgivingly(client, anew_session):
    token = anew_session["token"]
    typed = "-".join(token[i : i + 4] for i in range(0, len(token), 4)).lower()
    assert client.get(f"/s/{typed}").status_code == 200


def test_page_is_light(client, anew_session):
    page = client.get(f"/s/{anew_session['token']}")
    assert len(page.content) < 14 * 1024


def test_a_changed_answer_sent_again_under_the_same_form_is_a_clear_409(client, anew_session):
    token = anew_session["token"]
    last, state, fields = _answer_all(client, token)
    assert last.status_code == 303
    # Back after sending, a different last answer, "Send" again: the same form's submission id.
    again = client.post(f"/s/{token}", data=form_data(state, nav="next", **{**fields, "better": "Something else"}),
                        follow_redirects=False)
    assert again.status_code == 409
    assert "text/html" in again.headers["content-type"]
    assert "These answers were already sent" in again.text
    assert "these changes were not saved" in again.text
    assert _count(Response) == 1
    assert [r["text"] for r in run(Answer.select(Answer.text).where(Answer.question_key == "better"))] == [
        "A quieter room. Call me on [phone]"
    ]
