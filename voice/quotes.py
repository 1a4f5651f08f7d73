"""Quotes: the moderation queue, a lead's decisions, and the approved quotes partners may see.

An answer's redacted text is never changed. Approving it as a quote stores a revision: the
wording the lead approved (trimmed or redacted further if they chose), who and when; rejecting
stores one too. The newest revision per answer stands, and every decision is in the audit log
(without the words themselves).

Only answers whose writer consented to quoting can be approved, and only approved ones ever
leave Heard, through :func:`approved_quotes`, attributed generically ("Parent, ANEW, 2026") and
only for a group big enough to quote from (``surveys.disclosure.is_quotable``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from piccolo.columns.combination import WhereRaw
from piccolo.query.functions.aggregate import Sum

from surveys import audit
from surveys import text as texts
from surveys.aggregation import response_count
from surveys.disclosure import is_quotable
from surveys.errors import NotFound
from surveys.summary import Filters, responses_matching
from surveys.tables import Answer, AnswerTally, Initiative
from voice.redaction import KINDS, redact
from voice.stoplist import stop_names
from voice.tables import AnswerAnalysis, AnswerTheme, QuoteRevision, Transcription

AUDIENCE_WORDS = {"parent": "Parent", "child": "Child", "practitioner": "Practitioner"}
MAX_QUOTE = 2000
# Every kind redaction writes ("[name]" ... "[health number]", "[car reg]") and the lead's "[redacted]".
PLACEHOLDER = re.compile(r"\[(?:" + "|".join(re.escape(kind) for kind in (*KINDS, "redacted")) + r")\]")


class NotQuotable(ValueError):
    """The answer can't be approved as a quote (no consent, or nothing left to quote)."""


@dataclass(frozen=True)
class Quote:
    answer_id: int
    text: str
    attribution: str  # "Parent, ANEW, 2026": never more precise than that
    themes: tuple[str, ...]


def segments(text: str) -> list[tuple[str, bool]]:
    """``text`` split into (piece, is_placeholder) so pages can highlight what was redacted."""
    out, at = [], 0
    for m in PLACEHOLDER.finditer(text):
        if m.start() > at:
            out.append((text[at : m.start()], False))
        out.append((m.group(0), True))
        at = m.end()
    if at < len(text):
        out.append((text[at:], False))
    return out


async def _answer_of(initiative_id: int, answer_id: int) -> dict:
    row = await (
        Answer.select(Answer.id, Answer.text, Answer.quote_consent, Answer.response.initiative.as_alias("initiative"))
        .where((Answer.id == answer_id) & (Answer.response.initiative == initiative_id) & Answer.text.is_not_null())
        .first()
    )
    if row is None:
        raise NotFound("No such answer")
    return row


async def _next_revision(answer_id: int) -> int:
    rows = await QuoteRevision.select(QuoteRevision.number).where(QuoteRevision.answer == answer_id).order_by(
        QuoteRevision.number, ascending=False).limit(1)
    return rows[0]["number"] + 1 if rows else 1


async def approve(initiative_id: int, answer_id: int, *, actor: str, text: str | None = None) -> str:
    """Approve an answer as a quote, in the lead's wording if given; return the wording approved.

    The lead's wording is redacted again (with the initiative's stop-list), so an edit can take
    identifiers out but never put one back in.
    """
    answer = await _answer_of(initiative_id, answer_id)
    if not answer["quote_consent"]:
        raise NotQuotable("This person did not agree to their words being quoted.")
    original = answer["text"]
    try:  # the lead's edit is refused for a control character; the person's own words are cleaned
        given = texts.wording(text, "The quote") if text is not None else texts.answer(original)
    except texts.UnsafeText as error:
        raise NotQuotable(str(error)) from None
    wording = " ".join(given.split()).strip()[:MAX_QUOTE]
    if not wording:
        raise NotQuotable("Nothing is left to quote.")
    wording = redact(wording, stop_names=await stop_names(initiative_id)).text
    edited = wording != " ".join(original.split())
    async with QuoteRevision._meta.db.transaction():
        number = await _next_revision(answer_id)
        await QuoteRevision.insert(QuoteRevision(answer=answer_id, number=number, status="approved", text=wording,
                                                 decided_by=actor))
    await audit.record("quote approved", actor=actor, initiative_id=initiative_id,
                       detail=f"answer {answer_id}, revision {number}" + (", edited by the lead" if edited else ""))
    return wording


async def reject(initiative_id: int, answer_id: int, *, actor: str) -> None:
    await _answer_of(initiative_id, answer_id)
    async with QuoteRevision._meta.db.transaction():
        number = await _next_revision(answer_id)
        await QuoteRevision.insert(QuoteRevision(answer=answer_id, number=number, status="rejected", decided_by=actor))
    await audit.record("quote rejected", actor=actor, initiative_id=initiative_id,
                       detail=f"answer {answer_id}, revision {number}")


async def revisions(answer_id: int) -> list[dict]:
    return await QuoteRevision.select().where(QuoteRevision.answer == answer_id).order_by(QuoteRevision.number)


async def _latest_decisions(answer_ids: list[int]) -> dict[int, dict]:
    if not answer_ids:
        return {}
    rows = await QuoteRevision.select().where(QuoteRevision.answer.is_in(answer_ids)).order_by(QuoteRevision.number)
    return {r["answer"]: r for r in rows}  # later numbers overwrite earlier ones


async def _themes_of(answer_ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {a: [] for a in answer_ids}
    if answer_ids:
        for r in await AnswerTheme.select(AnswerTheme.answer, AnswerTheme.theme_key).where(
                AnswerTheme.answer.is_in(answer_ids)).order_by(AnswerTheme.id):
            out[r["answer"]].append(r["theme_key"])
    return out


QUEUE_PAGE = 25  # answers on one page of the moderation queue


@dataclass(frozen=True)
class QueuePage:
    """One page of the moderation queue: its answers, which page it is and how many there are."""

    items: list[dict]
    number: int  # this page, from 1
    pages: int  # how many pages the status and theme make (at least 1)
    total: int  # answers in the queue for the status and theme


# The newest decision on an answer, in SQL: what ``_latest_decisions`` keeps in Python.
_LATEST_STATUS = ("(SELECT q.status FROM quote_revision q WHERE q.answer = answer.id "
                  "ORDER BY q.number DESC LIMIT 1)")


def _queue_where(initiative_id: int, status: str, theme_key: str | None):
    where = (Answer.response.initiative == initiative_id) & Answer.text.is_not_null()
    if theme_key:
        where &= Answer.id.is_in(AnswerTheme.select(AnswerTheme.answer).where(AnswerTheme.theme_key == theme_key))
    if status == "waiting":
        where &= WhereRaw("NOT EXISTS (SELECT 1 FROM quote_revision q WHERE q.answer = answer.id)")
    elif status in ("approved", "rejected"):
        where &= WhereRaw(f"{_LATEST_STATUS} = {{}}", status)
    return where


async def _queue_total(initiative_id: int, status: str, theme_key: str | None, where) -> int:
    """How many answers the queue holds. All written answers, or those waiting (written, never
    decided), come from the answer tallies (``surveys.tallies``) less the decisions, a small
    table; a theme or a decision status counts the answers themselves."""
    if theme_key is not None or status not in ("waiting", "all"):
        return await Answer.count().where(where)
    written = await AnswerTally.select(Sum(AnswerTally.written, alias="n")).where(AnswerTally.initiative == initiative_id)
    total = int(written[0]["n"] or 0)
    if status == "all":
        return total
    # Each decision's answer looked up on its own (a subquery no planner turns into a join):
    # PostgreSQL otherwise walked every written answer to meet a few thousand decisions.
    decided = await Answer.raw(
        "SELECT COUNT(DISTINCT q.answer) AS n FROM quote_revision q WHERE (SELECT r.initiative FROM answer a "
        "JOIN response r ON r.id = a.response WHERE a.id = q.answer AND a.text IS NOT NULL) = {}",
        initiative_id,
    )
    return total - int(decided[0]["n"])


async def queue_page(initiative_id: int, *, status: str = "waiting", theme_key: str | None = None,
                     number: int = 1, size: int = QUEUE_PAGE) -> QueuePage:
    """Page ``number`` (from 1) of the free-text answers for a lead to moderate, newest first.

    ``status`` is waiting, approved, rejected or all; the database picks the page, so only
    ``size`` answers are ever read. A number past the last page gives the last page.
    """
    where = _queue_where(initiative_id, status, theme_key)
    total = await _queue_total(initiative_id, status, theme_key, where)
    pages = max(1, -(-total // size))
    number = min(max(1, number), pages)
    # Newest first by response, then answer: the order of the index of written answers, so the
    # page is read off that index's end instead of sorting every written answer.
    answers = await Answer.select(
        Answer.id, Answer.question_key, Answer.text, Answer.quote_consent,
        Answer.response.submitted_hour.as_alias("submitted_hour"),
        Answer.response._.questionnaire_version._.questionnaire._.title.as_alias("questionnaire"),
    ).where(where).order_by(Answer.response, Answer.id, ascending=False).limit(size).offset((number - 1) * size)
    ids = [a["id"] for a in answers]
    decisions = await _latest_decisions(ids)
    themes = await _themes_of(ids)
    analyses = {r["answer"]: r for r in await AnswerAnalysis.select().where(AnswerAnalysis.answer.is_in(ids or [-1]))}
    transcribed = {r["answer"] for r in await Transcription.select(Transcription.answer).where(
        Transcription.answer.is_in(ids or [-1]))}
    items = []
    for a in answers:
        decision = decisions.get(a["id"])
        state = decision["status"] if decision else "waiting"
        analysis = analyses.get(a["id"])
        items.append({
            **a,
            "segments": segments(a["text"]),
            "redactions": sum(1 for _, placeholder in segments(a["text"]) if placeholder),
            "themes": themes[a["id"]],
            "themed": analysis is not None,
            "codebook_version": analysis["codebook_version"] if analysis else None,
            "polarity": analysis["polarity"] if analysis else None,
            "status": state,
            "approved_text": decision["text"] if decision and state == "approved" else None,
            "transcribed": a["id"] in transcribed,
        })
    return QueuePage(items, number, pages, total)


async def queue(initiative_id: int, *, status: str = "waiting", theme_key: str | None = None,
                limit: int = 100) -> list[dict]:
    """Free-text answers for a lead to moderate, newest first: the first ``limit`` of :func:`queue_page`."""
    return (await queue_page(initiative_id, status=status, theme_key=theme_key, size=limit)).items


def mood_word(polarity: float | None) -> str:
    """A rough word for a sentiment score, for the lead's eyes only."""
    if polarity is None:
        return "not known"
    if polarity >= 0.2:
        return "leans positive"
    if polarity <= -0.2:
        return "leans negative"
    return "neutral or mixed"


async def approved_quotes(initiative_id: int, theme_key: str | None = None, limit: int = 3,
                          filters: Filters | None = None) -> list[Quote]:
    """Approved quotes for partner outputs, newest approvals first; only from responses ``filters`` cover.

    Only answers whose writer consented, whose newest decision is an approval, from a
    questionnaire with enough responses to quote from (``is_quotable`` at the initiative's
    suppression threshold). Attribution says who in general terms and the year, nothing more.
    """
    initiative = await Initiative.select().where(Initiative.id == initiative_id).first()
    if initiative is None:
        raise NotFound("No such initiative")
    # The answers whose newest decision is an approval, that newest decision first, a page at a
    # time: a partner summary wants three per theme, not every approval the initiative has made.
    where = ["r.initiative = {}", "a.quote_consent = {}", "d.status = 'approved'",
             "d.number = (SELECT MAX(n.number) FROM quote_revision n WHERE n.answer = d.answer)"]
    params: list = [initiative_id, True]
    if theme_key:
        # Tested per decision through the (answer, theme) index: as a join, PostgreSQL started
        # from the theme's thousands of answers instead of the few approved ones (136 ms, not 6).
        where.append("(SELECT 1 FROM answer_theme t WHERE t.answer = d.answer AND t.theme_key = {} LIMIT 1) IS NOT NULL")
        params.append(theme_key)
    if filters is not None and filters != Filters():
        responses, matching = responses_matching(initiative_id, filters)
        where.append(f"a.response IN ({responses})")
        params += matching
    sql = (
        "SELECT a.id AS id, d.text AS text, r.submitted_hour AS submitted_hour, qv.questionnaire AS questionnaire, "  # nosec B608 # fixed SQL fragments; values are bound parameters
        "q.audience AS audience FROM quote_revision d JOIN answer a ON a.id = d.answer "
        "JOIN response r ON r.id = a.response JOIN questionnaire_version qv ON qv.id = r.questionnaire_version "
        f"JOIN questionnaire q ON q.id = qv.questionnaire WHERE {' AND '.join(where)} "
        "ORDER BY d.id DESC LIMIT {} OFFSET {}"
    )
    page = max(limit * 4, 20)
    group_sizes: dict[int, int] = {}
    chosen: list[dict] = []
    offset = 0
    while len(chosen) < limit:
        candidates = await Answer.raw(sql, *params, page, offset)
        for c in candidates:
            if c["questionnaire"] not in group_sizes:
                group_sizes[c["questionnaire"]] = await response_count(initiative_id, c["questionnaire"])
            if is_quotable(group_sizes[c["questionnaire"]], initiative["suppression_threshold"]):
                chosen.append(c)
                if len(chosen) >= limit:
                    break
        if len(candidates) < page:
            break
        offset += page
    themes = await _themes_of([c["id"] for c in chosen])
    quotes = []
    for c in chosen:
        who = AUDIENCE_WORDS.get(c["audience"], "Participant")
        quotes.append(Quote(
            answer_id=c["id"],
            text=c["text"],
            attribution=f"{who}, {initiative['name']}, {c['submitted_hour'].year}",
            themes=tuple(themes[c["id"]]),
        ))
    return quotes
