"""Shared pieces of Heard's downloads: safe spreadsheet cells and the data dictionary."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

from surveys.tables import QuestionnaireVersion
from surveys.text import for_document
from surveys.versions import definition_of, questionnaires_of

# A cell starting with one of these is run as a formula by Excel and LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

COLUMN_MEANINGS = {
    "response": "Number of the response (one person's answers at one session).",
    "questionnaire": "Which questionnaire was answered.",
    "version": "Version of that questionnaire (a response keeps the version it answered).",
    "audience": "Who answered: parent, child or practitioner.",
    "phase": "before, after or single (a one-off session).",
    "site": "Where the session was held, as the lead named it.",
    "submitted_hour": "When the answers were sent, to the hour (UTC).",
    "participant": "A pseudonym: the same for the same participant code in this initiative, blank if none "
    "was given. It cannot be turned back into a code without the initiative's key.",
    "language": "The language the person answered in.",
    "way": "How the answers were given: phone (a phone or browser form), tablet (a shared tablet) or paper "
    "(a printed sheet, typed in by staff).",
    "sheet": "For paper: the number printed on the sheet, to find the sheet again; blank otherwise.",
    "question": "Which question (see the rows below for its wording).",
    "answer": "The answer chosen (see the rows below), blank for written answers.",
    "answer_code": "The answer as a number where answers have an order (higher is more positive); blank for "
    "'not sure' and similar.",
    "text": "A written answer, after names, phone numbers, addresses and similar were removed.",
    "quote_consent": "True if the person agreed that their words may be quoted without their name.",
}


def safe_cell(value: object) -> object:
    """A value that spreadsheets show as text, never run as a formula, and that the workbook's XML
    can hold: a control character stored before :mod:`surveys.text` refused it is dropped here,
    the one cell every Excel and CSV download writes through."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:00")
    if isinstance(value, str):
        value = for_document(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


async def data_dictionary_rows(initiative: dict) -> AsyncIterator[dict]:
    for column, meaning in COLUMN_MEANINGS.items():
        yield {"variable": column, "value": "", "meaning": meaning}
    for q in await questionnaires_of(initiative["id"]):
        versions = await QuestionnaireVersion.select(QuestionnaireVersion.id, QuestionnaireVersion.number).where(
            QuestionnaireVersion.questionnaire == q["id"]
        ).order_by(QuestionnaireVersion.number)
        for v in versions:
            definition = await definition_of(v["id"])
            for p in definition.pages:
                label = f"{q['slug']} v{v['number']}: {p.answer_key}"
                yield {"variable": label, "value": "", "meaning": p.text}
                if p.question.type == "number":
                    unit = f" ({p.question.unit})" if p.question.unit else ""
                    yield {"variable": label, "value": "answer_code",
                           "meaning": f"A whole number from {p.question.minimum} to {p.question.maximum}{unit}"}
                for o in p.question.options:
                    code = "" if o.value is None else f" (code {o.value})"
                    yield {"variable": label, "value": o.key, "meaning": f"{o.label}{code}"}
