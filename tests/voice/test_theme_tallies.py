"""The theme tallies the quotes page and summaries sum (voice.tables.ThemeTally) agree with a
recount of the themes, on the engine the suite runs on, through theming, retheming, an erasure
by code, one answer deleted on its own, a response moved to another hour and the retention
purge; and theme_counts, filtered or not, gives the themes' own distinct counts."""

from __future__ import annotations

import datetime as dt
import importlib
import uuid

from piccolo.columns.combination import WhereRaw

from surveys import erasure, pseudonyms
from surveys.demo import ensure_demo_sessions, generate_responses
from surveys.initiatives import by_slug
from surveys.summary import Filters
from surveys.tables import Answer, Response
from tests.support import run, themed
from voice import quotes
from voice.analysis import retheme, theme_counts, theme_tally_differences, theme_unthemed
from voice.tables import AnswerTheme, ThemeTally

MIGRATION = importlib.import_module("migrations.voice.voice_2026_12_07t09_00_01_000000")
ANSWERS = {
    "listened": "yes",
    "next_steps": "partly",
    "helpful": "yes",
    "child_views": "not_sure",
    "better": "More time to talk, and the staff were kind and listened to my child.",
}


def recount(initiative_id: int, site: str | None = None) -> dict[str, int]:
    site_clause = " AND s.site = {}" if site else ""
    rows = run(
        AnswerTheme.raw(
            "SELECT t.theme_key AS k, COUNT(DISTINCT t.answer) AS n FROM answer_theme t JOIN answer a ON a.id = t.answer "
            "JOIN response r ON r.id = a.response JOIN survey_session s ON s.id = r.session "
            f"WHERE r.initiative = {{}}{site_clause} GROUP BY t.theme_key",
            initiative_id,
            *([site] if site else []),
        )
    )
    return {r["k"]: r["n"] for r in rows}


def test_theme_tallies_match_the_themes_through_every_change(client):
    demo = run(ensure_demo_sessions())
    run(generate_responses(40, seed=3))
    anew = run(by_slug("anew"))
    code = pseudonyms.display(pseudonyms.new_code())
    for _ in range(2):
        body = {"submission_id": str(uuid.uuid4()), "answers": ANSWERS, "participant_code": code}
        assert client.post(f"/api/v1/sessions/{demo['anew']['token']}/responses", json=body).status_code == 201
    themed(client)
    run(theme_unthemed(anew["id"]))
    assert run(AnswerTheme.count()) > 0
    assert run(theme_tally_differences()) == []
    counts = run(theme_counts(anew["id"]))
    assert counts and counts == recount(anew["id"])

    run(retheme(anew["id"]))  # every answer's themes replaced
    assert run(erasure.erase("anew", code, actor="test")) == 2
    written = run(Answer.select(Answer.id).where(Answer.id.is_in(AnswerTheme.select(AnswerTheme.answer))).first())
    run(Answer.delete().where(Answer.id == written["id"]))
    some = run(Response.select(Response.id).where(Response.initiative == anew["id"]).limit(6))
    run(
        Response.update({Response.submitted_hour: dt.datetime(2001, 1, 1, 9, tzinfo=dt.UTC)}).where(
            Response.id.is_in([r["id"] for r in some])
        )
    )
    assert run(theme_tally_differences()) == []
    assert run(erasure.purge(actor="test"))["anew"] == 6
    assert run(theme_tally_differences()) == []
    assert run(theme_counts(anew["id"])) == recount(anew["id"])
    site = run(
        Response.select(Response.session.site.as_alias("site")).where(Response.initiative == anew["id"]).first()
    )["site"]
    assert run(theme_counts(anew["id"], Filters(site=site))) == recount(anew["id"], site)

    # The moderation queue's count (from the answer tallies, less the decisions) is the answers'.
    decided = run(
        Answer.select(Answer.id)
        .where(
            Answer.text.is_not_null()
            & (Answer.quote_consent == True)  # noqa: E712 - Piccolo builds SQL from ==
            & (Answer.response.initiative == anew["id"])
        )
        .limit(3)
    )
    assert len(decided) == 3
    for d in decided[:2]:
        run(quotes.approve(anew["id"], d["id"], actor="test"))
    run(quotes.reject(anew["id"], decided[2]["id"], actor="test"))
    written = Answer.text.is_not_null() & (Answer.response.initiative == anew["id"])
    waiting = written & WhereRaw("NOT EXISTS (SELECT 1 FROM quote_revision q WHERE q.answer = answer.id)")
    assert run(quotes.queue_page(anew["id"], status="all")).total == run(Answer.count().where(written))
    assert (
        run(quotes.queue_page(anew["id"])).total
        == run(Answer.count().where(waiting))
        == (run(Answer.count().where(written)) - 3)
    )


def test_the_migration_counts_themes_that_were_there_before_it(client):
    run(ensure_demo_sessions())
    run(generate_responses(20, seed=4))
    anew = run(by_slug("anew"))
    run(theme_unthemed(anew["id"]))
    before = run(theme_counts(anew["id"]))
    assert before
    run(ThemeTally.delete(force=True))
    assert run(theme_tally_differences()) != []
    run(ThemeTally.raw(MIGRATION.BACKFILL))
    assert run(theme_tally_differences()) == []
    assert run(theme_counts(anew["id"])) == before
