"""Counting answers in SQL, on either engine, without loading responses into Python.

Every figure that leaves Heard must then pass through :mod:`surveys.disclosure`; this module
only counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass

from piccolo.query.functions.aggregate import Count, Sum

from surveys.questionnaires import Page
from surveys.tables import Answer, AnswerTally, QuestionnaireVersion, ResponseTally


async def response_count(initiative_id: int, questionnaire_id: int | None = None) -> int:
    """How many responses an initiative (or one of its questionnaires) has, from the tallies."""
    query = ResponseTally.select(Sum(ResponseTally.n, alias="n")).where(ResponseTally.initiative == initiative_id)
    if questionnaire_id is not None:
        query = query.where(ResponseTally.questionnaire_version.is_in(
            QuestionnaireVersion.select(QuestionnaireVersion.id).where(
                QuestionnaireVersion.questionnaire == questionnaire_id)))
    return int((await query)[0]["n"] or 0)


async def answer_counts(initiative_id: int, questionnaire_id: int) -> dict[str, dict[str | None, int]]:
    """``{answer_key: {option_key: respondents}}`` over every version of a questionnaire.

    Free-text answers count under option ``None`` (how many wrote something).
    """
    rows = await (
        Answer.select(Answer.question_key, Answer.option_key, Count(Answer.id, alias="n"))
        .where(
            (Answer.response.initiative == initiative_id)
            & (Answer.response._.questionnaire_version._.questionnaire == questionnaire_id)
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
    "way",
    "sheet",
    "question",
    "answer",
    "answer_code",
    "text",
    "quote_consent",
)


async def answer_rows(initiative_id: int, *, where=None, batch_size: int = 1000) -> AsyncIterator[dict]:
    """Every answer of an initiative (narrowed by ``where``, a Piccolo condition on ``Answer``),
    one pseudonymised row each, streamed in batches.

    ``participant`` is a prefix of the keyed pseudonym (never a code), blank when none was given.
    Pages by answer id (keyset pagination) so memory stays flat and no read stays open long;
    Piccolo's own ``batch()`` can't bind parameters on SQLite.
    """
    scope = Answer.response.initiative == initiative_id
    if where is not None:
        scope = scope & where

    def page_after(last: int):
        return (
            Answer.select(
                Answer.response.id.as_alias("response"),
                Answer.response._.questionnaire_version._.questionnaire._.slug.as_alias("questionnaire"),
                Answer.response._.questionnaire_version._.number.as_alias("version"),
                Answer.response._.session._.audience.as_alias("audience"),
                Answer.response._.session._.phase.as_alias("phase"),
                Answer.response._.session._.site.as_alias("site"),
                Answer.response.submitted_hour.as_alias("submitted_hour"),
                Answer.response.pseudonym.as_alias("participant"),
                Answer.response.language.as_alias("language"),
                Answer.response.way.as_alias("way"),
                Answer.response.sheet.as_alias("sheet"),
                Answer.question_key.as_alias("question"),
                Answer.option_key.as_alias("answer"),
                Answer.value.as_alias("answer_code"),
                Answer.text,
                Answer.quote_consent,
                Answer.id.as_alias("answer_id"),
            )
            .where(scope & (Answer.id > last))
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


@dataclass(frozen=True)
class QuestionSummary:
    """Counts for one question, over the versions that asked it in exactly the same way."""

    page: Page  # as the newest of those versions asked it
    versions: tuple[int, ...]  # version numbers combined, oldest first
    counts: dict[str | None, int]
    current: bool  # asked like this in the latest version


async def answer_counts_by_version(initiative_id: int, questionnaire_id: int) -> dict[int, dict[str, dict[str | None, int]]]:
    """``{version_id: {answer_key: {option_key: respondents}}}`` for one questionnaire.

    Summed from the answer tallies (:mod:`surveys.tallies`), a few rows per session and hour,
    never the answers themselves; a written answer's ``''`` option reads back as ``None``.
    """
    rows = await (
        AnswerTally.select(AnswerTally.questionnaire_version, AnswerTally.question_key, AnswerTally.option_key,
                           Sum(AnswerTally.n, alias="n"))
        .where((AnswerTally.initiative == initiative_id) & AnswerTally.questionnaire_version.is_in(
            QuestionnaireVersion.select(QuestionnaireVersion.id).where(
                QuestionnaireVersion.questionnaire == questionnaire_id)))
        .group_by(AnswerTally.questionnaire_version, AnswerTally.question_key, AnswerTally.option_key)
    )
    counts: dict[int, dict[str, dict[str | None, int]]] = defaultdict(lambda: defaultdict(dict))
    for row in rows:
        if row["n"]:
            counts[row["questionnaire_version"]][row["question_key"]][row["option_key"] or None] = row["n"]
    return counts


async def question_summaries(initiative_id: int, questionnaire_id: int) -> list[QuestionSummary]:
    """Each question's counts, combining versions only where the question is unchanged.

    A question whose wording, answers or coding changed between versions gets one summary per
    way it was asked (keyed by the question's own fingerprint), so "Yes" to an old wording is
    never silently added to "Yes" to a new one. The latest version's questions come first, in
    its order; questions asked differently (or dropped) follow, newest version first.
    """
    from surveys.versions import definition_of, versions_of

    versions = await versions_of(questionnaire_id)
    counts = await answer_counts_by_version(initiative_id, questionnaire_id)
    groups: dict[tuple[str, str], dict] = {}
    order: list[tuple[str, str]] = []
    for version in reversed(versions):  # newest first: each group shows its newest wording
        definition = await definition_of(version["id"], version["fingerprint"])
        for page in definition.pages:
            group_key = (page.answer_key, page.question.fingerprint)
            if group_key not in groups:
                groups[group_key] = {"page": page, "versions": [], "counts": defaultdict(int),
                                     "current": version is versions[-1]}
                order.append(group_key)
            group = groups[group_key]
            group["versions"].append(version["number"])
            for option, n in counts.get(version["id"], {}).get(page.answer_key, {}).items():
                group["counts"][option] += n
    return [
        QuestionSummary(g["page"], tuple(sorted(g["versions"])), dict(g["counts"]), g["current"])
        for g in (groups[k] for k in order)
    ]
