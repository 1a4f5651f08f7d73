"""New answers are themed by the app's worker after they are stored, never while the person waits.

Ids handed to the worker are only a hint: what a stopped process left unthemed is themed when
the app starts again.
"""

from __future__ import annotations

import uuid

from surveys.demo import ensure_demo_sessions
from surveys.responses import submit
from surveys.sessions import open_session
from surveys.tables import Answer
from tests.support import run, themed
from voice.tables import AnswerAnalysis, AnswerTheme

CHOICES = {"listened": "yes", "next_steps": "yes", "helpful": "yes", "child_views": "yes"}


def _analysis(answer_id: int):
    return run(AnswerAnalysis.select().where(AnswerAnalysis.answer == answer_id).first())


def _text_answer(text: str) -> int:
    return run(Answer.select(Answer.id).where(Answer.text == text).first())["id"]


def test_submissions_are_themed_after_they_are_stored(client, db):
    token = run(ensure_demo_sessions())["anew"]["token"]
    texts = [f"Everyone listened to me, thank you ({n})" for n in range(12)]
    for text in texts:
        body = {"submission_id": str(uuid.uuid4()), "answers": {**CHOICES, "better": text}}
        assert client.post(f"/api/v1/sessions/{token}/responses", json=body).status_code == 201
    themed(client)
    for text in texts:
        answer_id = _text_answer(text)
        assert _analysis(answer_id) is not None
        keys = run(AnswerTheme.select(AnswerTheme.theme_key).where(AnswerTheme.answer == answer_id)
                   .output(as_list=True))
        assert keys.count("listened-to") == 1  # one theming per answer, no duplicates


def test_answers_left_unthemed_are_themed_when_the_app_starts(app, db):
    from litestar.testing import TestClient

    token = run(ensure_demo_sessions())["anew"]["token"]
    session = run(open_session(token))
    # Stored with no app running (as if the process died before its worker got to it).
    run(submit(session, uuid.uuid4(), {**CHOICES, "better": "Nobody listened to what I said"}))
    answer_id = _text_answer("Nobody listened to what I said")
    assert _analysis(answer_id) is None
    with TestClient(app=app) as client:
        themed(client)
    assert _analysis(answer_id) is not None
