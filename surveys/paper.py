"""Paper: answers people gave on a printed sheet, typed in by staff afterwards.

Each printed sheet carries its session's code and a sheet number (see the paper form in
frontend/documents/paper.py). A sheet goes in once: its number is unique within its session (a
unique index on ``response (session, sheet)``, checked first here so the message is a clear
one), and a double-submitted entry form is one response, as every submission is, by its
``submission_id``. Blank answers are allowed, since a person may skip a question on paper that
a screen would have asked again; an answer that isn't one of the question's options is refused.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from surveys import tokens
from surveys.errors import SurveyError
from surveys.responses import Receipt, submit
from surveys.sessions import OpenSession
from surveys.tables import Response

MAX_SHEET = 99_999


class SheetError(SurveyError):
    """A sheet number that can't be used; ``errors`` maps the field to the message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.errors = {"sheet": message}


def reference(token: str, sheet: int) -> str:
    """What a printed sheet says to type in: ``ABCD-EFGH-JKLM-N / 7``."""
    return f"{tokens.display(token)} / {sheet}"


def read_sheet(typed: str, session: OpenSession) -> int:
    """The sheet number typed: "7", or a whole reference ("ABCD-EFGH-JKLM-N / 7"), whose session
    code must be this session's."""
    text = (typed or "").strip()
    match = re.fullmatch(r"(?:(.*?)[\s/#-]+)?(?:sheet\s*)?(\d{1,6})", text, re.IGNORECASE)
    if not text:
        raise SheetError("Enter the sheet number printed at the foot of the sheet")
    if match is None:
        raise SheetError("Enter the sheet number as a whole number, like 7")
    code, number = match.group(1), int(match.group(2))
    if code and code.strip().lower() != "sheet":
        if tokens.normalise(code) != session.token:
            raise SheetError(
                f"This sheet is from another session ({code.strip()}); this is session {session.display_token}"
            )
    if not 1 <= number <= MAX_SHEET:
        raise SheetError(f"Enter a sheet number from 1 to {MAX_SHEET}")
    return number


async def entered(session_id: int) -> list[int]:
    """The sheet numbers already typed in for a session, lowest first."""
    rows = (
        await Response.select(Response.sheet)
        .where((Response.session == session_id) & Response.sheet.is_not_null())
        .order_by(Response.sheet)
    )
    return [row["sheet"] for row in rows]


async def next_sheet(session_id: int) -> int:
    done = await entered(session_id)
    return (done[-1] + 1) if done else 1


async def enter_sheet(
    session: OpenSession,
    sheet: int,
    answers: Mapping[str, Any],
    *,
    submission_id: uuid.UUID,
    language: str = "en",
    pseudonym: str | None = None,
    text_filter: Callable[[str], str] | None = None,
    now: dt.datetime | None = None,
) -> Receipt:
    """Store one paper sheet's answers; SheetError if its number is taken, InvalidAnswers if an
    answer is wrong. Nothing is stored unless everything is right."""
    replay = await Response.select(Response.id, Response.session).where(Response.submission_id == submission_id).first()
    if replay is None and await Response.exists().where((Response.session == session.id) & (Response.sheet == sheet)):
        raise SheetError(f"Sheet {sheet} has already been typed in for this session")
    try:
        return await submit(
            session,
            submission_id,
            answers,
            language=language,
            pseudonym=pseudonym,
            text_filter=text_filter,
            now=now,
            way="paper",
            sheet=sheet,
            blanks=True,
        )
    except Exception as error:
        # Two people typing the same sheet at once: the unique index settles it.
        if "response_session_sheet" in str(error) or "response.session, response.sheet" in str(error):
            raise SheetError(f"Sheet {sheet} has already been typed in for this session") from None
        raise
