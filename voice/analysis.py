"""Theming and sentiment of stored answers, done after the answer is safely committed.

Submitting never waits for this: the web layer hands each stored response to a
:class:`ThemingWorker`, which themes them in batches; anything a stopped process left unthemed
is picked up when the app starts and before the lead reads themes (:func:`theme_unthemed`).
Re-theming all of an initiative's answers against a new codebook version is on demand.

Each answer keeps only its latest theming: its themes (one row per theme, with the codebook
version that found it) and a rough sentiment, which is an aid for the lead and never a finding.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Sequence

from piccolo.columns.combination import WhereRaw

from surveys import audit, db
from surveys.summary import Filters, responses_joined
from surveys.tables import Answer
from voice.codebook_versions import current_codebook
from voice.tables import AnswerTheme, ThemeTally
from voice.text import sentiment
from voice.themes import Codebook, match_many

log = logging.getLogger("heard.voice")
BATCH = 200
SENTIMENT_CHUNK = 16  # answers whose sentiment is worked out between two looks at waiting requests


async def _text_answers(where) -> list[dict]:
    return await Answer.select(Answer.id, Answer.text).where(where & Answer.text.is_not_null())


async def theme_answers(answers: list[dict], codebook: Codebook) -> int:
    """Theme ``[{"id", "text"}, ...]`` with ``codebook`` and store the result; return how many.

    Each batch is one short write (:func:`surveys.db.write`; on SQLite it joins the submissions'
    group commit): this runs for every free-text answer, and the query builder cost more than
    the queries. Answers erased meanwhile are skipped; two processes theming the same answers at
    once (a catch-up racing the worker) take turns on PostgreSQL's row locks, so each answer
    ends with exactly one theming.
    """
    done = 0
    lock = "" if db.is_sqlite(AnswerTheme._meta.db) else " ORDER BY id FOR UPDATE"
    for start in range(0, len(answers), BATCH):
        batch = answers[start : start + BATCH]
        texts = [answer["text"] or "" for answer in batch]
        results = {}
        for n, (answer, text, themes) in enumerate(zip(batch, texts, match_many(texts, codebook)), start=1):
            results[answer["id"]] = (themes, sentiment(text))
            if n % SENTIMENT_CHUNK == 0:
                await asyncio.sleep(0)  # let requests in: a batch's sentiments take milliseconds
        done += await db.write(_store_theming(results, codebook.version, lock))
        await asyncio.sleep(0)  # let requests in between batches
    return done


def _store_theming(results: dict[int, tuple], version: int, lock: str) -> db.WriteJob[int]:
    """Replace the theming of the answers in ``results`` (``{id: (theme keys, sentiment)}``)."""
    present = yield f"SELECT id FROM answer WHERE id IN ({db.marks(len(results))}){lock}", list(results)  # nosec B608 # only placeholders are joined in; every value is a bound parameter
    ids = [row["id"] for row in present]
    if not ids:
        return 0
    yield f"DELETE FROM answer_theme WHERE answer IN ({db.marks(len(ids))})", ids  # nosec B608 # only placeholders are joined in; every value is a bound parameter
    yield f"DELETE FROM answer_analysis WHERE answer IN ({db.marks(len(ids))})", ids  # nosec B608 # only placeholders are joined in; every value is a bound parameter
    themes = [(a, key) for a in ids for key in results[a][0]]
    if themes:
        yield ("INSERT INTO answer_theme (answer, theme_key, codebook_version) VALUES "  # nosec B608 # only placeholders are joined in; every value is a bound parameter
               + db.value_rows(len(themes), 3), [v for a, key in themes for v in (a, key, version)])
    now = dt.datetime.now(dt.UTC)
    yield ("INSERT INTO answer_analysis (answer, codebook_version, polarity, subjectivity, themed_at) VALUES "  # nosec B608 # only placeholders are joined in; every value is a bound parameter
           + db.value_rows(len(ids), 5),
           [v for a in ids for v in (a, version, round(results[a][1].polarity, 3),
                                     round(results[a][1].subjectivity, 3), now)])
    return len(ids)


async def theme_responses(response_ids: Sequence[int]) -> int:
    """Theme the free-text answers of these stored responses (of any initiatives); return how many."""
    ids = list(dict.fromkeys(response_ids))
    if not ids:
        return 0
    rows = await db.fetch(
        "SELECT a.id AS id, a.text AS text, r.initiative AS initiative FROM answer a"  # nosec B608 # only placeholders are joined in; every value is a bound parameter
        f" JOIN response r ON r.id = a.response WHERE a.text IS NOT NULL AND a.response IN ({db.marks(len(ids))})",
        *ids,
        engine=Answer._meta.db,
    )
    by_initiative: dict[int, list] = {}
    for row in rows:
        by_initiative.setdefault(row["initiative"], []).append(row)
    done = 0
    for initiative_id, answers in by_initiative.items():
        done += await theme_answers(answers, await current_codebook(initiative_id))
    return done


class ThemingWorker:
    """Themes newly stored responses in the background, a batch at a time, in one app process.

    The web layer hands it each stored response's id (:meth:`add`, which never waits); one task
    drains the queue and themes everything waiting in one go, so under load a batch costs one
    codebook lookup and one short write transaction, not one per submission, and a submitting
    request never waits for theming. Nothing is lost if the process dies first: the ids are
    only a hint, and :func:`theme_unthemed` (run at start, and before the lead reads themes)
    themes whatever was left.
    """

    def __init__(self, *, batch: int = 128, linger: float = 0.2) -> None:
        self.batch = batch
        # After the first id arrives, wait this long for more (unless a batch is already full):
        # a batch's lookups (its answers, the codebook, the questionnaire titles) and its write
        # (seven round trips on PostgreSQL) cost about as much as theming a few answers, and the
        # keyword and example matching is cheaper per answer in bigger batches, so under load one
        # batch of 128 is far cheaper than four of 32 (measured: theming was a sixth of the app's
        # time at 32 concurrent submissions). Theming is never waited for, so the delay costs no one.
        self.linger = linger
        self.queue: asyncio.Queue[int] = asyncio.Queue()
        self._task: asyncio.Task | None = None
        self._idle = asyncio.Event()
        self._idle.set()

    def add(self, response_id: int) -> None:
        self._idle.clear()
        self.queue.put_nowait(response_id)

    def start(self, initiative_ids: Sequence[int] = ()) -> None:
        if self._task is None:
            self._idle.clear()  # until the catch-up is done
            self._task = asyncio.create_task(self._run(list(initiative_ids)), name="heard-theming")

    async def drain(self) -> None:
        """Wait until everything handed over so far is themed (tests, and a clean shutdown)."""
        await self._idle.wait()

    async def stop(self, *, grace: float = 5.0) -> None:
        task, self._task = self._task, None
        if task is None:
            return
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self.drain(), grace)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def _run(self, initiative_ids: list[int]) -> None:
        for initiative_id in initiative_ids:  # what a stopped process left unthemed, all of it
            try:
                for _ in range(1000):
                    if await theme_unthemed(initiative_id) < 1000:
                        break
            except Exception:  # noqa: BLE001 - the lead pages catch up too
                log.exception("catching up on unthemed answers of initiative %s failed", initiative_id)
        if self.queue.empty():
            self._idle.set()
        while True:
            ids = [await self.queue.get()]
            if self.linger and self.queue.qsize() < self.batch - 1:
                await asyncio.sleep(self.linger)
            while len(ids) < self.batch and not self.queue.empty():
                ids.append(self.queue.get_nowait())
            try:
                await theme_responses(ids)
            except Exception:  # noqa: BLE001 - keep the worker alive; the lead pages retry
                log.exception("theming %d responses failed; the moderation page will retry", len(ids))
            if self.queue.empty():
                self._idle.set()


# How many of the newest written answers a lead's page checks for a theming left undone: where a
# stopped process leaves them. The worker's start-up catch-up checks every answer.
RECENT_WRITTEN = 2000


async def theme_unthemed(initiative_id: int, limit: int = 1000, *, newest: int | None = None) -> int:
    """Theme answers that have no theming yet (e.g. the process stopped before its background step).

    With ``newest``, only the initiative's ``newest`` most recent written answers are looked at
    (read off the end of the written answers' index), so a page's check does not walk them all.
    """
    unthemed = WhereRaw("NOT EXISTS (SELECT 1 FROM answer_analysis x WHERE x.answer = answer.id)")
    written = (Answer.response.initiative == initiative_id) & Answer.text.is_not_null()
    if newest is not None:
        recent = (Answer.select(Answer.id).where(written)
                  .order_by(Answer.response, Answer.id, ascending=False).limit(newest))
        written = Answer.id.is_in(recent)
    answers = await Answer.select(Answer.id, Answer.text).where(written & unthemed).limit(limit)
    if not answers:
        return 0
    return await theme_answers(answers, await current_codebook(initiative_id))


async def retheme(initiative_id: int, answer_ids: list[int] | None = None, *, actor: str | None = None) -> int:
    """Theme an initiative's answers (all, or the ones named) again with its current codebook.
    Re-theming them all is on the audit log (how many, and the codebook version) if ``actor`` is given."""
    where = Answer.response.initiative == initiative_id
    if answer_ids is not None:
        where = where & Answer.id.is_in(answer_ids or [-1])
    answers = await _text_answers(where)
    codebook = await current_codebook(initiative_id)
    n = await theme_answers(answers, codebook)
    if actor is not None and answer_ids is None:
        await audit.record("answers re-themed", actor=actor, initiative_id=initiative_id,
                           detail=f"{n} answers with codebook version {codebook.version}")
    return n


async def theme_counts(initiative_id: int, filters: Filters | None = None) -> dict[str, int]:
    """How many answers each theme was found in: consented to quoting or not, every answer counts.

    Raw counts over the responses ``filters`` cover (all of the initiative's by default), for the
    lead pages and for summaries to pass through ``surveys.disclosure``. Summed from the theme
    tallies (``voice.tables.ThemeTally``), which filter as responses do (``surveys.tallies``).
    """
    joins, where, params = responses_joined(initiative_id, filters or Filters())
    rows = await ThemeTally.raw(
        f"SELECT r.theme_key AS theme_key, SUM(r.n) AS n FROM theme_tally r {joins}WHERE {where} AND r.n > 0 "  # nosec B608 # fixed SQL fragments; values are bound parameters
        "GROUP BY r.theme_key",
        *params,
    )
    return {r["theme_key"]: int(r["n"]) for r in rows}


_THEME_KEY = "r.initiative, r.questionnaire_version, r.session, r.submitted_hour, t.theme_key"
# The themes counted as the theme tally counts them (key columns first, as the tally has them).
_THEME_RECOUNT = (
    f"SELECT {_THEME_KEY}, COUNT(*) AS n FROM answer_theme t JOIN answer a ON a.id = t.answer "  # nosec B608 # fixed SQL
    f"JOIN response r ON r.id = a.response GROUP BY {_THEME_KEY}"
)


async def rebuild_theme_tally() -> None:
    """Count the theme tally again from the themes, in one transaction (see ``surveys.tallies.rebuild``)."""
    async with ThemeTally._meta.db.transaction():
        await ThemeTally.raw("DELETE FROM theme_tally")
        await ThemeTally.raw(
            "INSERT INTO theme_tally (initiative, questionnaire_version, session, submitted_hour, theme_key, n) "  # nosec B608 # fixed SQL
            + _THEME_RECOUNT
        )


async def theme_tally_differences() -> list[tuple[tuple, int, int]]:
    """``(key, kept, recounted)`` for every theme tally that disagrees with the themes; ``[]``
    when all agree. Reads every theme: for a test or an operator's check, not for a page."""
    recounted = await ThemeTally.raw(_THEME_RECOUNT)
    kept = await ThemeTally.raw("SELECT initiative, questionnaire_version, session, submitted_hour, theme_key, n "
                                "FROM theme_tally WHERE n <> 0")

    def keyed(rows) -> dict[tuple, int]:
        return {(r["initiative"], r["questionnaire_version"], r["session"], str(r["submitted_hour"]),
                 r["theme_key"]): r["n"] for r in rows}

    a, b = keyed(kept), keyed(recounted)
    return [(k, a.get(k, 0), b.get(k, 0)) for k in sorted(set(a) | set(b), key=repr) if a.get(k, 0) != b.get(k, 0)]
