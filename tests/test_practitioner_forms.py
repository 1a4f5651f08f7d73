"""Practitioner forms over plain HTTP: light pages, numbers kept between pages, kiosk rules."""

from __future__ import annotations

import datetime as dt

import pytest

from frontend.respondent.journeys import KIOSK, PARENT
from surveys.questionnaires import parse_definition
from surveys.sessions import OpenSession
from surveys.tables import Answer, Questionnaire
from tests.support import form_data as _form
from tests.support import hidden_fields, run


def _open(audience: str) -> OpenSession:
    definition = parse_definition({"slug": "t", "title": "T", "audience": audience, "questions": [
        # optional for children: their questionnaire can't require what the tablet never asks
        {"key": "count", "type": "number", "text": "How many?", "min": 0, "max": 9, "required": audience != "child"},
        {"key": "liked", "type": "choice", "scale": "yes_no", "text": "Liked it?"},
        {"key": "say", "type": "text", "text": "Anything else?"},
    ]})
    return OpenSession(1, "t", 1, "x", "X", "", "", 1, definition, audience, "single", "")


def test_the_kiosk_skips_numbers_except_for_practitioners():
    assert [p.answer_key for p in KIOSK.pages(_open("child"))] == ["liked"]
    assert [p.answer_key for p in KIOSK.pages(_open("practitioner"))] == ["count", "liked"]
    assert [p.answer_key for p in PARENT.pages(_open("parent"))] == ["count", "liked", "say"]


@pytest.fixture
def meeting_token(db):
    from surveys.initiatives import by_slug
    from surveys.sessions import create_session
    from surveys.versions import latest_version

    async def make():
        initiative = await by_slug("art-at-the-start")
        q = await Questionnaire.select().where(
            (Questionnaire.initiative == initiative["id"])
            & (Questionnaire.slug == "art-at-the-start-practitioner-observation")).first()
        version = await latest_version(q["id"])
        row = await create_session(initiative["id"], version["id"], audience="practitioner", site="Nursery B",
                                   held_on=dt.date.today())
        return row["token"]

    return run(make())


def test_number_page_is_light_and_carries_the_number(client, meeting_token):
    state = hidden_fields(client.get(f"/s/{meeting_token}").text)
    first = client.post(f"/s/{meeting_token}", data=_form(state, nav="next"))
    assert first.status_code == 200
    assert 'inputmode="numeric"' in first.text and 'type="number"' not in first.text
    assert len(first.content) < 14 * 1024

    wrong = client.post(f"/s/{meeting_token}", data=_form(hidden_fields(first.text), nav="next", parents_carers="51"))
    assert wrong.status_code == 422 and "Enter a whole number from 0 to 50" in wrong.text

    page = client.post(f"/s/{meeting_token}", data=_form(hidden_fields(wrong.text), nav="next", parents_carers=" 1,2 "))
    assert page.status_code == 200 and "How many children took part?" in page.text
    assert ("parents_carers", " 1,2 ") in hidden_fields(page.text)  # carried as typed, checked again at the end
    for key, value in [("children", "8"), ("stayed", "sometimes"), ("tuning_in", "not_today")]:
        page = client.post(f"/s/{meeting_token}", data=_form(hidden_fields(page.text), nav="next", **{key: value}))
    assert page.status_code == 200 and "Thank you" in page.text
    stored = {r["question_key"]: (r["option_key"], r["value"]) for r in run(Answer.select())}
    assert stored == {"parents_carers": (None, 12), "children": (None, 8), "stayed": ("sometimes", 2),
                      "tuning_in": ("not_today", 1)}
