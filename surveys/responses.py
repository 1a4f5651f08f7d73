"""Taking in a submission: check every answer, then store it once, all or nothing.

The client mints ``submission_id`` (a UUID) once per person's answers and sends it with every
retry. It is unique in the database, so a retried POST finds the stored response and gets the
same success back; nothing is ever stored twice, and a failed check stores nothing at all.

A response keeps a digest of its answers as checked (before any text filter, keyed with the
initiative's secret key so it says nothing about free text to someone holding only the
database). The same id sent again with *different* answers is a client bug that would lose
the new answers behind a success: it is refused (:class:`SubmissionConflict`) instead.
Responses stored before digests existed have none, and a retry of one stays a replay.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from surveys import db
from surveys.errors import SurveyError
from surveys.keys import initiative_key
from surveys.questionnaires import AnswerRow, check_answers
from surveys.sessions import OpenSession
from surveys.tables import WAYS, Response


class SubmissionConflict(SurveyError):
    """The submission id was already used: for a different session, or for different answers."""


DIFFERENT_ANSWERS = "This submission id was already used for different answers, so these answers were not stored"


@dataclass(frozen=True)
class Receipt:
    response_id: int
    submission_id: uuid.UUID
    replayed: bool  # True when this submission was already stored by an earlier try


_INSERT_RESPONSE = (
    "INSERT INTO response (initiative, session, questionnaire_version, submission_id, pseudonym, language,"
    " submitted_hour, way, sheet, answers_digest) VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, {})"
    " ON CONFLICT (submission_id) DO NOTHING RETURNING id"
)

_FIND = "SELECT id, session, answers_digest FROM response WHERE submission_id = {}"


def _insert_answers(n: int) -> str:
    return ("INSERT INTO answer (response, question_key, option_key, value, text, quote_consent) VALUES "  # nosec B608 # only placeholders are joined in; every value is a bound parameter
            + db.value_rows(n, 6))


# What json.dumps(..., separators=(",", ":"), ensure_ascii=False) makes, without building an
# encoder for every call (six a submission). Stored digests depend on this exact text.
_compact = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def answers_digest(initiative_slug: str, rows: list[AnswerRow], pseudonym: str | None) -> str:
    """A keyed digest of checked answers (and the person's pseudonym): equal exactly when they are."""
    normalised = sorted(_compact([r.question_key, r.option_key, r.value, r.text, r.quote_consent]) for r in rows)
    message = _compact([normalised, pseudonym]).encode()
    return hmac.digest(initiative_key(initiative_slug), message, "sha256").hex()  # one call into OpenSSL


def to_the_hour(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


async def submit(
    session: OpenSession,
    submission_id: uuid.UUID,
    raw_answers: Mapping[str, Any],
    *,
    language: str = "en",
    pseudonym: str | None = None,
    text_filter: Callable[[str], str] | None = None,
    now: dt.datetime | None = None,
    way: str = "phone",
    sheet: int | None = None,
    blanks: bool = False,
) -> Receipt:
    """Check and store one person's answers; raise ``InvalidAnswers`` (nothing stored) if wrong.

    ``text_filter`` (the web layer passes redaction from :mod:`voice`) runs on free text before
    it is stored, so only the filtered text ever reaches the database. ``way`` is how it was
    given (one of :data:`surveys.tables.WAYS`); ``sheet`` a paper sheet's number; ``blanks``
    lets a required question be left unanswered (paper: a person may skip what a form can't).
    """
    if way not in WAYS:
        raise ValueError(f"way must be one of {', '.join(WAYS)}")
    rows = check_answers(session.definition, raw_answers, blanks=blanks)
    # Before the filter: a filter changed between two tries must not turn a retry into a conflict.
    digest = answers_digest(session.initiative_slug, rows, pseudonym)
    if text_filter is not None:
        rows = [replace(r, text=text_filter(r.text)) if r.text else r for r in rows]
    hour = to_the_hour(now or dt.datetime.now(dt.UTC))
    answers = [(r.question_key, r.option_key, r.value, r.text, r.quote_consent) for r in rows]
    response = (session.initiative_id, session.id, session.version_id, submission_id, pseudonym, language, hour,
                way, sheet, digest)
    # One short write, committed before this returns. ON CONFLICT DO NOTHING settles a retry, even
    # one racing the first try, without an error or a second row.
    if db.is_sqlite(Response._meta.db):  # together with other submissions waiting at that moment
        response_id, stored_session, stored_digest, replayed = await db.write(_store(response, answers))
    else:
        response_id, stored_session, stored_digest, replayed = await _store_in_one_statement(response, answers)
    if replayed and stored_session != session.id:
        raise SubmissionConflict("This submission id belongs to another session")
    if replayed and stored_digest is not None and stored_digest != digest:
        raise SubmissionConflict(DIFFERENT_ANSWERS)
    return Receipt(response_id, submission_id, replayed=replayed)


async def _store_in_one_statement(response: tuple, answers: list[tuple]) -> tuple[int, int, str | None, bool]:
    """PostgreSQL: the response and its answers in one statement, atomic on its own (one round trip
    instead of four: BEGIN, two INSERTs, COMMIT)."""
    engine = Response._meta.db
    if answers:
        rows = await db.fetch(_insert_response_and_answers(len(answers)), *response,
                              *(v for a in answers for v in a), engine=engine)
    else:
        rows = await db.fetch(_INSERT_RESPONSE, *response, engine=engine)
    if rows:
        return rows[0]["id"], response[1], response[9], False
    # A retry of a stored submission (ON CONFLICT waited for a racing first try to commit).
    found = await db.fetch(_FIND, response[3], engine=engine)
    return found[0]["id"], found[0]["session"], found[0]["answers_digest"], True


def _insert_response_and_answers(n: int) -> str:
    """One PostgreSQL statement: the response, then its answers only if the response was new."""
    values = ", ".join(["({}::varchar, {}::varchar, {}::integer, {}::text, {}::boolean)"] * n)
    return (f"WITH r AS ({_INSERT_RESPONSE}), a AS ("  # nosec B608 # only placeholders are joined in; every value is a bound parameter
            "INSERT INTO answer (response, question_key, option_key, value, text, quote_consent) "
            "SELECT r.id, v.question_key, v.option_key, v.value, v.text, v.quote_consent "
            f"FROM r CROSS JOIN (VALUES {values}) AS v(question_key, option_key, value, text, quote_consent)"
            ") SELECT id FROM r")


def _store(response: tuple, answers: list[tuple]) -> db.WriteJob[tuple[int, int, str | None, bool]]:
    """Store a response and its answers: (response id, its session, its answers' digest, whether
    it was there already)."""
    inserted = yield _INSERT_RESPONSE, response
    if not inserted:  # a retry of a stored submission
        [found] = yield _FIND, (response[3],)
        return found["id"], found["session"], found["answers_digest"], True
    response_id = inserted[0]["id"]
    if answers:
        yield _insert_answers(len(answers)), [v for a in answers for v in (response_id, *a)]
    return response_id, response[1], response[9], False
