"""Sessions and submissions for the privacy tests: before and after sessions of ANEW's form."""

from __future__ import annotations

import datetime as dt
import uuid

from surveys.initiatives import by_slug
from surveys.pseudonyms import pseudonym
from surveys.responses import submit
from surveys.sessions import create_session, open_session
from surveys.versions import latest_version, questionnaires_of

ANEW = {"listened": "yes", "next_steps": "partly", "helpful": "no", "child_views": "not_sure"}


async def phase_session(slug: str, phase: str) -> dict:
    initiative = await by_slug(slug)
    questionnaire = (await questionnaires_of(initiative["id"]))[0]
    version = await latest_version(questionnaire["id"])
    return await create_session(initiative["id"], version["id"], audience=questionnaire["audience"],
                                phase=phase, site="Test site")


async def answer(session: dict, answers: dict | None, *, code: str | None = None,
                 when: dt.datetime | None = None) -> int:
    opened = await open_session(session["token"])
    if answers is None:
        # The first option of every question that needs an answer.
        answers = {p.answer_key: p.question.options[0].key for p in opened.definition.pages
                   if p.question.required and p.question.options}
    person = pseudonym(opened.initiative_slug, code) if code else None
    receipt = await submit(opened, uuid.uuid4(), answers, pseudonym=person, now=when)
    return receipt.response_id
