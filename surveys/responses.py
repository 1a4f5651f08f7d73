"""Taking in a submission: check every answer, then store it once, all or nothing.

The client mints ``submission_id`` (a UUID) once per person's answers and sends it with every
retry. It is unique in the database, so a retried POST finds the stored response and gets the
same success back; nothing is ever stored twice, and a failed check stores nothing at all.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from surveys.errors import SurveyError
from surveys.questionnaires import AnswerRow, check_answers
from surveys.sessions import OpenSession
from surveys.tables import Answer, Response


class SubmissionConflict(SurveyError):
    """The submission id was already used for a different session."""


@dataclass(frozen=True)
class Receipt:
    response_id: int
    submission_id: uuid.UUID
    replayed: bool  # True when this submission was already stored by an earlier try


def to_the_hour(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.timezone.utc).replace(minute=0, second=0, microsecond=0)


async def submit(
    session: OpenSession,
    submission_id: uuid.UUID,
    raw_answers: Mapping[str, Any],
    *,
    language: str = "en",
    pseudonym: str | None = None,
    text_filter: Callable[[str], str] | None = None,
    now: dt.datetime | None = None,
) -> Receipt:
    """Check and store one person's answers; raise ``InvalidAnswers`` (nothing stored) if wrong.

    ``text_filter`` (the web layer passes redaction from :mod:`voice`) runs on free text before
    it is stored, so only the filtered text ever reaches the database.
    """
    rows = check_answers(session.definition, raw_answers)
    if text_filter is not None:
        rows = [replace(r, text=text_filter(r.text)) if r.text else r for r in rows]
    hour = to_the_hour(now or dt.datetime.now(dt.timezone.utc))
    async with Response._meta.db.transaction():
        # One short write transaction (IMMEDIATE on SQLite). ON CONFLICT DO NOTHING settles a
        # retry, even one racing the first try on PostgreSQL, without an error or a second row.
        inserted = await Response.insert(
            Response(
                initiative=session.initiative_id,
                session=session.id,
                questionnaire_version=session.version_id,
                submission_id=submission_id,
                pseudonym=pseudonym,
                language=language,
                submitted_hour=hour,
            )
        ).on_conflict(target=Response.submission_id, action="DO NOTHING")
        if not inserted:
            return await _find(submission_id, session.id)
        response_id = inserted[0]["id"]
        if rows:
            await Answer.insert(*(_answer(response_id, r) for r in rows))
    return Receipt(response_id, submission_id, replayed=False)


def _answer(response_id: int, row: AnswerRow) -> Answer:
    return Answer(
        response=response_id,
        question_key=row.question_key,
        option_key=row.option_key,
        value=row.value,
        text=row.text,
        quote_consent=row.quote_consent,
    )


async def _find(submission_id: uuid.UUID, session_id: int) -> Receipt:
    row = await (
        Response.select(Response.id, Response.session)
        .where(Response.submission_id == submission_id)
        .first()
    )
    if row["session"] != session_id:
        raise SubmissionConflict("This submission id belongs to another session")
    return Receipt(row["id"], submission_id, replayed=True)
