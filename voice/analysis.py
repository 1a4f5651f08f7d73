"""Theming and sentiment of stored answers, done after the answer is safely committed.

Submitting never waits for this: the web layer runs :func:`theme_response` as a background step
once the response is stored (and the moderation page picks up anything a crash left unthemed).
Re-theming all of an initiative's answers against a new codebook version is on demand.

Each answer keeps only its latest theming: its themes (one row per theme, with the codebook
version that found it) and a rough sentiment, which is an aid for the lead and never a finding.
"""

from __future__ import annotations

import asyncio
import logging

from surveys.tables import Answer, Response
from voice.codebook_versions import current_codebook
from voice.tables import AnswerAnalysis, AnswerTheme
from voice.text import sentiment
from voice.themes import Codebook, match_themes

log = logging.getLogger("heard.voice")
BATCH = 200


async def _text_answers(where) -> list[dict]:
    return await Answer.select(Answer.id, Answer.text).where(where & Answer.text.is_not_null())


async def theme_answers(answers: list[dict], codebook: Codebook) -> int:
    """Theme ``[{"id", "text"}, ...]`` with ``codebook`` and store the result; return how many."""
    done = 0
    for start in range(0, len(answers), BATCH):
        batch = answers[start : start + BATCH]
        results = []
        for answer in batch:
            text = answer["text"] or ""
            mood = sentiment(text)
            results.append((answer["id"], match_themes(text, codebook), mood))
        ids = [answer_id for answer_id, _, _ in results]
        async with AnswerTheme._meta.db.transaction():
            await AnswerTheme.delete().where(AnswerTheme.answer.is_in(ids))
            await AnswerAnalysis.delete().where(AnswerAnalysis.answer.is_in(ids))
            themes = [AnswerTheme(answer=a, theme_key=k, codebook_version=codebook.version)
                      for a, keys, _ in results for k in keys]
            if themes:
                await AnswerTheme.insert(*themes)
            await AnswerAnalysis.insert(*(
                AnswerAnalysis(answer=a, codebook_version=codebook.version,
                               polarity=round(m.polarity, 3), subjectivity=round(m.subjectivity, 3))
                for a, _, m in results
            ))
        done += len(batch)
        await asyncio.sleep(0)  # let requests in between batches
    return done


async def theme_response(response_id: int) -> int:
    """Theme one stored response's free-text answers. Run after commit; never raises."""
    try:
        response = await Response.select(Response.initiative).where(Response.id == response_id).first()
        if response is None:
            return 0
        answers = await _text_answers(Answer.response == response_id)
        if not answers:
            return 0
        return await theme_answers(answers, await current_codebook(response["initiative"]))
    except Exception:  # noqa: BLE001 - a background step must not take the process down
        log.exception("theming response %s failed; the moderation page will retry", response_id)
        return 0


async def theme_unthemed(initiative_id: int, limit: int = 1000) -> int:
    """Theme answers that have no theming yet (e.g. the process stopped before its background step)."""
    themed = AnswerAnalysis.select(AnswerAnalysis.answer)
    answers = await (
        Answer.select(Answer.id, Answer.text)
        .where((Answer.response.initiative == initiative_id) & Answer.text.is_not_null()
               & Answer.id.not_in(themed))
        .limit(limit)
    )
    if not answers:
        return 0
    return await theme_answers(answers, await current_codebook(initiative_id))


async def retheme(initiative_id: int, answer_ids: list[int] | None = None) -> int:
    """Theme an initiative's answers (all, or the ones named) again with its current codebook."""
    where = Answer.response.initiative == initiative_id
    if answer_ids is not None:
        where = where & Answer.id.is_in(answer_ids or [-1])
    answers = await _text_answers(where)
    return await theme_answers(answers, await current_codebook(initiative_id))


async def theme_counts(initiative_id: int) -> dict[str, int]:
    """How many answers each theme was found in: consented to quoting or not, every answer counts.

    Raw counts, for the lead pages and for summaries to pass through ``surveys.disclosure``.
    """
    rows = await AnswerTheme.raw(
        "SELECT t.theme_key AS theme_key, COUNT(DISTINCT t.answer) AS n FROM answer_theme t "
        "JOIN answer a ON a.id = t.answer JOIN response r ON r.id = a.response "
        "WHERE r.initiative = {} GROUP BY t.theme_key",
        initiative_id,
    )
    return {r["theme_key"]: int(r["n"]) for r in rows}
