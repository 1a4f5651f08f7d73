"""Browsing an initiative's responses: a filtered, paged list, one response with its answers as
they were offered, and the wide table (one row per response) the wide exports write.

This is raw data, for leads only. Free text is the text stored on arrival, which voice/ redacted
before it was stored; nothing else is ever shown. Neither the list nor a response names a
participant code or a pseudonym. Nothing here loads every response: the list asks the database
for one page, and the wide rows come in batches by response id.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import cast

from piccolo.columns.combination import CombinableMixin

from surveys.errors import NotFound
from surveys.questionnaires import Definition, Page
from surveys.reach import in_period
from surveys.summary import Filters
from surveys.tables import STORABLE_INTEGERS, Answer, Response
from surveys.versions import definition_of, questionnaires_of, versions_of

PAGE_SIZE = 25
WIDE_BATCH = 500
MULTI_JOIN = "; "
# The columns every wide row starts with, before one column per question.
WIDE_FIXED = (
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
)


@dataclass(frozen=True)
class Listed:
    """One response in the list: when, which questionnaire, where and who; never its answers."""

    id: int
    submitted_hour: dt.datetime
    questionnaire: str  # the questionnaire's title
    version: int
    audience: str
    phase: str
    site: str
    language: str
    way: str  # phone, tablet or paper (surveys.tables.WAYS)
    sheet: int | None  # a paper sheet's number


@dataclass(frozen=True)
class ResponsePage:
    responses: tuple[Listed, ...]
    number: int  # this page, from 1
    pages: int  # how many pages the filters make (at least 1)


@dataclass(frozen=True)
class ShownAnswer:
    question: str
    answers: tuple[str, ...]  # option labels (several for a multiple choice), a number, or the text
    written: bool  # a free-text answer (as stored: redacted)
    quote_consent: bool


@dataclass(frozen=True)
class ResponseDetail:
    response: Listed
    answers: tuple[ShownAnswer, ...]


def _conditions(initiative_id: int, filters: Filters):
    """A Piccolo condition on ``Response`` for the initiative's responses the filters cover."""
    where: CombinableMixin = Response.initiative == initiative_id
    if filters.questionnaire:
        where &= Response.questionnaire_version._.questionnaire._.slug == filters.questionnaire
    if filters.site:
        where &= Response.session.site == filters.site
    if filters.audience:
        where &= Response.session.audience == filters.audience
    if filters.phase:
        where &= Response.session.phase == filters.phase
    if (dates := in_period(Response.submitted_hour, filters.period)) is not None:
        where &= dates
    return where


_LISTED = (
    Response.id,
    Response.submitted_hour,
    Response.questionnaire_version._.questionnaire._.title.as_alias("questionnaire"),
    Response.questionnaire_version.number.as_alias("version"),
    Response.session.audience.as_alias("audience"),
    Response.session.phase.as_alias("phase"),
    Response.session.site.as_alias("site"),
    Response.language,
    Response.way,
    Response.sheet,
)


def _listed(row: dict) -> Listed:
    return Listed(**{k: row[k] for k in Listed.__dataclass_fields__})


async def response_page(
    initiative_id: int, filters: Filters, number: int = 1, *, size: int = PAGE_SIZE
) -> ResponsePage:
    """Page ``number`` (from 1) of the responses the filters cover, newest first.

    Ordered by the hour sent, then by id, so every response has one place and paging through
    shows each exactly once. A number past the last page gives the last page.
    """
    where = _conditions(initiative_id, filters)
    total = await Response.count().where(where)
    pages = max(1, math.ceil(total / size))
    number = min(max(1, number), pages)
    rows = await (
        Response.select(*_LISTED)
        .where(where)
        .order_by(Response.submitted_hour, Response.id, ascending=False)
        .limit(size)
        .offset((number - 1) * size)
    )
    return ResponsePage(tuple(_listed(r) for r in rows), number, pages)


async def sites_of(initiative_id: int) -> list[str]:
    """The sites the initiative's sessions were held at, for the list's filter."""
    from surveys.tables import Session

    rows = await Session.select(Session.site).where(Session.initiative == initiative_id).distinct()
    return sorted({r["site"] for r in rows if r["site"]})


def _answer_labels(page: Page | None, rows: list[dict]) -> tuple[str, ...] | tuple[int, ...]:
    """The answers to one page as people saw them: option labels in the order offered, a number
    (with its unit), or the stored (redacted) text."""
    if page is None:  # an answer to a question its version no longer describes: show what is stored
        return tuple(
            str(next((v for v in (r["option_key"], r["text"], r["value"]) if v is not None), "")) for r in rows
        )
    question = page.question
    if question.type == "text":
        return tuple(r["text"] for r in rows if r["text"])
    if question.type == "number":
        return tuple(r["value"] for r in rows if r["value"] is not None)
    order = {o.key: i for i, o in enumerate(question.options)}
    chosen = sorted((r["option_key"] for r in rows if r["option_key"]), key=lambda k: order.get(k, len(order)))
    return tuple(o.label if (o := question.option(k)) else k for k in chosen)


async def response_detail(initiative_id: int, response_id: int) -> ResponseDetail:
    """One response of the initiative with every answer as its label, in the questionnaire's order."""
    if response_id not in STORABLE_INTEGERS:
        raise NotFound("No such response")
    row = await (
        Response.select(
            *_LISTED,
            Response.questionnaire_version.id.as_alias("version_id"),
            Response.questionnaire_version.fingerprint.as_alias("fingerprint"),
        )
        .where((Response.initiative == initiative_id) & (Response.id == response_id))
        .first()
    )
    if row is None:
        raise NotFound("No such response")
    definition = await definition_of(row["version_id"], row["fingerprint"])
    answers = await (
        Answer.select(Answer.question_key, Answer.option_key, Answer.value, Answer.text, Answer.quote_consent)
        .where(Answer.response == response_id)
        .order_by(Answer.id)
    )
    by_key: dict[str, list[dict]] = defaultdict(list)
    for answer in answers:
        by_key[answer["question_key"]].append(answer)
    shown = []
    for key in [p.answer_key for p in definition.pages if p.answer_key in by_key] + [
        k for k in by_key if definition.page(k) is None
    ]:
        page = definition.page(key)
        values = _answer_labels(page, by_key[key])
        unit = page.question.unit if page is not None and page.question.type == "number" else ""
        shown.append(
            ShownAnswer(
                question=page.text if page is not None else key,
                answers=tuple(f"{v} {unit}".strip() for v in values),
                written=page is not None and page.question.type == "text",
                quote_consent=any(a["quote_consent"] for a in by_key[key]),
            )
        )
    return ResponseDetail(_listed(row), tuple(shown))


# --- The wide table: one row per response, one column per question ---------------------------


@dataclass(frozen=True)
class WideColumn:
    variable: str  # "<questionnaire slug>.<answer key>": stable across versions and exports
    questionnaire: str  # the questionnaire's title
    question: str  # as the newest version that asks it words it


@dataclass(frozen=True)
class WideTable:
    columns: tuple[WideColumn, ...]
    definitions: dict[int, tuple[str, Definition]]  # version id -> (questionnaire slug, definition)


async def wide_table(initiative_id: int, filters: Filters) -> WideTable:
    """The question columns for the filters' questionnaires (all of them by default).

    One column per question variable: a question asked in several versions of a questionnaire is
    one column, headed with its newest wording; answers to another questionnaire stay empty.
    """
    columns: dict[str, WideColumn] = {}
    definitions: dict[int, tuple[str, Definition]] = {}
    for q in await questionnaires_of(initiative_id):
        if filters.questionnaire and q["slug"] != filters.questionnaire:
            continue
        for version in reversed(await versions_of(q["id"])):  # newest first: newest wording wins
            definition = await definition_of(version["id"], version["fingerprint"])
            definitions[version["id"]] = (q["slug"], definition)
            for page in definition.pages:
                variable = f"{q['slug']}.{page.answer_key}"
                columns.setdefault(variable, WideColumn(variable, q["title"], page.text))
    return WideTable(tuple(columns.values()), definitions)


async def wide_rows(
    initiative_id: int, filters: Filters, table: WideTable, *, batch_size: int = WIDE_BATCH
) -> AsyncIterator[dict]:
    """One row per response the filters cover, oldest first: the fixed columns, then each
    question's answer as its label (several joined with "; "), a number, or the redacted text.

    Read in batches by response id (keyset), each batch's answers in one query, so memory stays
    flat however many responses there are. ``participant`` is a prefix of the keyed pseudonym,
    as in the long export, so before and after answers can be paired; never a code.
    """
    where = _conditions(initiative_id, filters)
    last = 0
    while True:
        batch = await (
            Response.select(
                Response.id.as_alias("response"),
                Response.questionnaire_version.id.as_alias("version_id"),
                Response.questionnaire_version.number.as_alias("version"),
                Response.session.audience.as_alias("audience"),
                Response.session.phase.as_alias("phase"),
                Response.session.site.as_alias("site"),
                Response.submitted_hour,
                Response.pseudonym.as_alias("participant"),
                Response.language,
                Response.way,
                Response.sheet,
            )
            .where(where & (Response.id > last))
            .order_by(Response.id)
            .limit(batch_size)
        )
        if not batch:
            return
        answers: dict[int, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
        for answer in await (
            Answer.select(Answer.response, Answer.question_key, Answer.option_key, Answer.value, Answer.text)
            .where(Answer.response.is_in([r["response"] for r in batch]))
            .order_by(Answer.id)
        ):
            answers[answer["response"]][answer["question_key"]].append(answer)
        for row in batch:
            slug, definition = table.definitions.get(row.pop("version_id"), ("", None))
            row["questionnaire"] = slug
            row["participant"] = (row["participant"] or "")[:12]
            for key, given in answers[row["response"]].items():
                page = definition.page(key) if definition is not None else None
                if page is None:
                    continue  # no column describes it
                values = _answer_labels(page, given)
                if page.question.type == "number":
                    row[f"{slug}.{key}"] = values[0] if values else None
                else:
                    row[f"{slug}.{key}"] = MULTI_JOIN.join(cast(tuple[str, ...], values))  # labels or text, not numbers
            yield row
        if len(batch) < batch_size:
            return
        last = batch[-1]["response"]
