"""Counting answers in SQL, on either engine, without loading responses into Python.

Every figure that leaves Heard must then pass through :mod:`surveys.disclosure`; this module
only counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator

from piccolo.query.functions.aggregate import Count

from surveys.tables import Answer, Response


async def response_count(initiative_id: int, questionnaire_id: int | None = None) -> int:
    query = Response.count().where(Response.initiative == initiative_id)
    if questionnaire_id is not None:
        query = query.where(Response.questionnaire_version.questionnaire == questionnaire_id)
    return await query


async def answer_counts(initiative_id: int, questionnaire_id: int) -> dict[str, dict[str | None, int]]:
    """``{answer_key: {option_key: respondents}}`` over every version of a questionnaire.

    Free-text answers count under option ``None`` (how many wrote something).
    """
    rows = await (
        Answer.select(Answer.question_key, Answer.option_key, Count(Answer.id, alias="n"))
        .where(
            (Answer.response.initiative == initiative_id)
            & (Answer.response.questionnaire_version.questionnaire == questionnaire_id)
        )
        .group_by(Answer.question_key, Answer.option_key)
    )
    counts: dict[str, dict[str | None, int]] = defaultdict(dict)
    for row in rows:
        counts[row["question_key"]][row["option_key"]] = row["n"]
    return dict(counts)


EXPORT_COLUMNS = (
    "response",
    "questionnaire",
    "version",
    "audience",
    "phase",
    "site",
    "submitted_hour",
    "participant",
    "language",
    "question",
    "answer",
    "answer_code",
    "text",
    "quote_consent",
)


async def answer_rows(initiative_id: int, *, batch_size: int = 1000) -> AsyncIterator[dict]:
    """Every answer of an initiative, one pseudonymised row each, streamed in batches.

    ``participant`` is a prefix of the keyed pseudonym (never a code), blank when none was given.
    Pages by answer id (keyset pagination) so memory stays flat and no read stays open long;
    Piccolo's own ``batch()`` can't bind parameters on SQLite.
    """
    def page_after(last: int):
        return (
            Answer.select(
                Answer.response.id.as_alias("response"),
                Answer.response.questionnaire_version.questionnaire.slug.as_alias("questionnaire"),
                Answer.response.questionnaire_version.number.as_alias("version"),
                Answer.response.session.audience.as_alias("audience"),
                Answer.response.session.phase.as_alias("phase"),
                Answer.response.session.site.as_alias("site"),
                Answer.response.submitted_hour.as_alias("submitted_hour"),
                Answer.response.pseudonym.as_alias("participant"),
                Answer.response.language.as_alias("language"),
                Answer.question_key.as_alias("question"),
                Answer.option_key.as_alias("answer"),
                Answer.value.as_alias("answer_code"),
                Answer.text,
                Answer.quote_consent,
                Answer.id.as_alias("answer_id"),
            )
            .where((Answer.response.initiative == initiative_id) & (Answer.id > last))
            .order_by(Answer.id)
            .limit(batch_size)
        )

    last = 0
    while True:
        batch = await page_after(last)
        for row in batch:
            if row["participant"]:
                row["participant"] = row["participant"][:12]
            yield row
        if len(batch) < batch_size:
            return
        last = batch[-1]["answer_id"]
