"""One person's answers taken in, the same way from every face: a phone form, the tablet (through
the JSON API or its no-JavaScript pages) and a paper sheet typed in by staff.

:func:`take` is the one rule. It turns a participant code into the initiative's pseudonym, checks
the answers, filters their free text, stores them once by the client's ``submission_id`` (a
retry with the same answers is a replay, with different ones a :class:`SubmissionConflict`) and
hands the stored response on to be themed. A face keeps only its own concerns: reading the form
or JSON, showing errors as pages or problem details, voice notes, audit lines.

It lives in :mod:`surveys`, not :mod:`voice`, because what is stored, for whom and how often is
the domain's rule, and voice only lends it text work. Since ``surveys`` never imports ``voice``,
the text filter and the after-store hook are passed in: the composition root
(``frontend/app.py``) puts voice's redaction with the initiative's stop-list
(:func:`voice.stoplist.text_filter_for`) and the theming worker's ``add`` on the app's state, and
every face passes those same two.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from surveys import audit, pseudonyms
from surveys.paper import enter_sheet
from surveys.questionnaires import InvalidAnswers
from surveys.responses import Receipt, SubmissionConflict, submit
from surveys.sessions import OpenSession
from surveys.tables import Response

__all__ = ["InvalidParticipantCode", "Receipt", "SubmissionConflict", "pseudonym_of", "take"]

TextFilter = Callable[[str], str]
# The text filter of an initiative's new answers, by the initiative's id (its stop-list is read).
TextFilterFor = Callable[[int], Awaitable[TextFilter]]
# Told the id of each response stored (never waited for: theming happens in the background).
AfterStore = Callable[[int], None]

INVALID_CODE = "This is not a valid participant code"


class InvalidParticipantCode(InvalidAnswers):
    """What was given as a participant code is not one; nothing is stored."""

    def __init__(self, message: str = INVALID_CODE) -> None:
        super().__init__({"participant_code": message})


def pseudonym_of(initiative_slug: str, participant_code: str | None) -> str | None:
    """The pseudonym stored for a participant code (a card's or a picture code), or None when no
    code was given; :class:`InvalidParticipantCode` when what was given is not a valid code."""
    if not participant_code or not participant_code.strip():
        return None
    if pseudonyms.normalise(participant_code) is None:
        raise InvalidParticipantCode()
    return pseudonyms.pseudonym(initiative_slug, participant_code)


async def take(
    session: OpenSession,
    submission_id: uuid.UUID,
    raw_answers: Mapping[str, Any],
    *,
    language: str,
    way: str,
    participant_code: str | None = None,
    pseudonym: str | None = None,
    sheet: int | None = None,
    text_filter_for: TextFilterFor | None = None,
    after_store: AfterStore | None = None,
    actor: str | None = None,
    now: dt.datetime | None = None,
) -> Receipt:
    """Take one person's answers to an open session: check, filter, store once, hand on.

    Give the person either as ``participant_code`` (made into its pseudonym here) or, when a face
    has already made it (the phone form carries it between pages), as ``pseudonym``. ``way`` is
    one of :data:`surveys.tables.WAYS`; a ``"paper"`` sheet needs its ``sheet`` number, may leave
    questions blank, and is refused (:class:`surveys.paper.SheetError`) when its number is taken.

    Raises :class:`InvalidParticipantCode` or :class:`InvalidAnswers` (nothing stored, nothing
    read from the database for a bad code) and :class:`SubmissionConflict` (the id was used for
    other answers or another session; the first answers stand). ``text_filter_for`` gives the
    filter free text goes through before it is stored; ``after_store`` is told the stored
    response's id. A replay is handed on again (its first try may have been cut off between
    storing and handing on; theming twice leaves one theming) except a replayed paper sheet,
    which was handed on when it was first typed in. A paper sheet is typed in by ``actor`` (the
    staff member), and each new one is on the audit log as a count, never its answers.
    """
    if participant_code is not None and pseudonym is not None:
        raise ValueError("give the person as a participant code or as a pseudonym, not both")
    if participant_code is not None:
        pseudonym = pseudonym_of(session.initiative_slug, participant_code)
    text_filter = await text_filter_for(session.initiative_id) if text_filter_for is not None else None
    if way == "paper":
        if sheet is None or actor is None:
            raise ValueError("a paper sheet is taken with its sheet number, from the person typing it in")
        receipt = await enter_sheet(
            session,
            sheet,
            raw_answers,
            submission_id=submission_id,
            language=language,
            pseudonym=pseudonym,
            text_filter=text_filter,
            now=now,
        )
    else:
        receipt = await submit(
            session,
            submission_id,
            raw_answers,
            language=language,
            pseudonym=pseudonym,
            text_filter=text_filter,
            now=now,
            way=way,
            sheet=sheet,
        )
    if way == "paper" and not receipt.replayed:
        assert actor is not None  # checked before the sheet was taken
        count = await Response.count().where((Response.session == session.id) & Response.sheet.is_not_null())
        await audit.record(
            "paper sheet entered",
            actor=actor,
            initiative_id=session.initiative_id,
            detail=f"session {session.display_token}: sheet {sheet}; {count} sheets typed in",
        )
    if after_store is not None and not (receipt.replayed and way == "paper"):
        after_store(receipt.response_id)
    return receipt
