"""The tallies the lead pages sum (surveys.tallies) agree with a recount of the rows, on the
engine the suite runs on, after every way rows are written, changed and removed: answers over
HTTP with participant codes, many at once, an erasure by code, one response deleted by a lead's
action, the retention purge, a change to a response and an answer, and a bulk insert that
bypasses the app. And the counts the pages show are the rows' counts."""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib
import os
import uuid

import asyncpg
import httpx
import pytest

from surveys import erasure, pseudonyms, tallies
from surveys.aggregation import answer_counts, answer_counts_by_version, response_count
from surveys.demo import ensure_demo_sessions, generate_responses
from surveys.initiatives import by_slug
from surveys.tables import Answer, AnswerTally, Initiative, Questionnaire, Response, ResponseTally
from tests.support import run

ANSWERS = {
    "listened": "yes",
    "next_steps": "partly",
    "helpful": "yes",
    "child_views": "not_sure",
    "better": "More time to talk before the meeting.",
}
MIGRATION = importlib.import_module("migrations.surveys.surveys_2026_12_07t09_00_00_000000")


def post(client, token, code=None, answers=ANSWERS):
    body = {"submission_id": str(uuid.uuid4()), "answers": answers}
    if code:
        body["participant_code"] = code
    response = client.post(f"/api/v1/sessions/{token}/responses", json=body)
    assert response.status_code == 201, response.text


def recount(initiative_id: int, questionnaire_id: int) -> dict:
    return run(answer_counts(initiative_id, questionnaire_id))  # the answers themselves, counted


def test_tallies_match_the_rows_through_writes_changes_and_removals(client):
    demo = run(ensure_demo_sessions())
    run(generate_responses(40, seed=5))
    anew = run(by_slug("anew"))
    token = demo["anew"]["token"]
    codes = [pseudonyms.display(pseudonyms.new_code()) for _ in range(3)]
    for code in codes:
        post(client, token, code)
        post(client, token, code, {**ANSWERS, "listened": "no"})
    assert run(tallies.differences()) == []
    assert run(ResponseTally.count()) > 0 and run(AnswerTally.count()) > 0

    # An erasure by code, a lead's deletion of one response, and the purge of old answers.
    assert run(erasure.erase("anew", codes[0], actor="test")) == 2
    one = run(Response.select(Response.id).where(Response.initiative == anew["id"]).first())
    assert run(erasure.erase_response(anew["id"], one["id"], actor="test"))
    oldest = run(Response.select(Response.id).where(Response.initiative == anew["id"]).order_by(Response.id).limit(5))
    old_hour = dt.datetime(2001, 1, 1, 9, tzinfo=dt.UTC)
    run(Response.update({Response.submitted_hour: old_hour}).where(Response.id.is_in([r["id"] for r in oldest])))
    assert run(tallies.differences()) == []  # moved to another hour, by the update trigger
    assert run(erasure.purge(actor="test"))["anew"] == 5  # the old hour is long past ANEW's retention
    # An answer changed and one removed on its own (not by its response going).
    answer = run(Answer.select().where(Answer.option_key.is_not_null()).first())
    run(Answer.update({Answer.option_key: "no"}).where(Answer.id == answer["id"]))
    other = run(Answer.select().where(Answer.id != answer["id"]).first())
    run(Answer.delete().where(Answer.id == other["id"]))
    assert run(tallies.differences()) == []

    # The counts the pages read from the tallies are the rows' own counts.
    for q in run(Questionnaire.select().where(Questionnaire.initiative == anew["id"])):
        by_version = run(answer_counts_by_version(anew["id"], q["id"]))
        summed: dict = {}
        for counts in by_version.values():
            for key, options in counts.items():
                for option, n in options.items():
                    summed.setdefault(key, {}).setdefault(option, 0)
                    summed[key][option] += n
        assert summed == recount(anew["id"], q["id"])
        assert run(response_count(anew["id"], q["id"])) == run(
            Response.count().where(
                (Response.initiative == anew["id"]) & (Response.questionnaire_version._.questionnaire == q["id"])
            )
        )
    for initiative in run(Initiative.select(Initiative.id)):
        assert run(response_count(initiative["id"])) == run(
            Response.count().where(Response.initiative == initiative["id"])
        )


def test_tallies_stay_right_under_concurrent_submissions(server, db):
    """Many submissions to one session at once, on the real server: every one counted once."""
    token = run(ensure_demo_sessions())["anew"]["token"]
    before = run(response_count(run(by_slug("anew"))["id"]))

    async def go():
        async with httpx.AsyncClient(base_url=server, timeout=30) as http:

            async def one(i: int):
                body = {
                    "submission_id": str(uuid.uuid4()),
                    "answers": {**ANSWERS, "listened": ("yes", "no", "partly")[i % 3]},
                }
                return (await http.post(f"/api/v1/sessions/{token}/responses", json=body)).status_code

            return await asyncio.gather(*(one(i) for i in range(48)))

    assert run(go()) == [201] * 48
    assert run(tallies.differences()) == []
    assert run(response_count(run(by_slug("anew"))["id"])) == before + 48


def test_the_migration_counts_rows_that_were_there_before_it(db):
    """Rows written before the tallies existed are counted once, by the migration's backfill."""
    run(ensure_demo_sessions())
    run(generate_responses(20, seed=9))
    kept = run(tallies.differences())
    assert kept == []
    run(AnswerTally.delete(force=True))
    run(ResponseTally.delete(force=True))
    assert run(tallies.differences()) != []  # with the tallies gone, every count disagrees
    for sql in MIGRATION.BACKFILL:
        run(Response.raw(sql))
    assert run(tallies.differences()) == []


def test_heard_tallies_finds_a_wrong_tally_and_rebuilds_it(db, capsys):
    """An operator's check: a tally edited behind the triggers' back is found, named and recounted."""
    from frontend.cli import main
    from voice.analysis import theme_tally_differences, theme_unthemed
    from voice.tables import ThemeTally

    run(ensure_demo_sessions())
    run(generate_responses(10, seed=2))
    run(theme_unthemed(run(by_slug("anew"))["id"]))
    assert main(["tallies"]) == 0 and "agree" in capsys.readouterr().out
    first = run(AnswerTally.select(AnswerTally.id).order_by(AnswerTally.id).first())
    run(AnswerTally.update({AnswerTally.n: AnswerTally.n + 5}).where(AnswerTally.id == first["id"]))
    run(ThemeTally.delete().where(ThemeTally.id.is_in(ThemeTally.select(ThemeTally.id).limit(1))))
    assert main(["tallies"]) == 1
    out = capsys.readouterr().out
    assert "answer_tally" in out and "theme_tally" in out and "2 tallies disagree" in out
    assert main(["tallies", "--rebuild"]) == 0
    assert "Rebuilt the tallies (2 disagreed" in capsys.readouterr().out
    assert run(tallies.differences()) == [] and run(theme_tally_differences()) == []


def test_the_tally_triggers_look_rows_up_by_key_even_when_planned_on_small_tables(db):
    """PostgreSQL keeps a trigger's plan for the connection's life: one planned while ``response``
    held a few rows must still look each row up by key once it holds millions, never scan it all.

    The plans of every tally statement a submission, a theme and an erasure fire are read back
    (auto_explain, nested statements) on a connection whose first trigger call meets near-empty
    tables, as a new service's pool does.
    """
    if db != "postgresql":
        pytest.skip("SQLite plans a trigger's statements each time it fires")

    demo = run(ensure_demo_sessions())["anew"]

    async def plans() -> list[str]:
        connection = await asyncpg.connect(os.environ["DATABASE_URL"])
        seen: list[str] = []
        connection.add_log_listener(lambda _c, message: seen.append(message.message))
        try:
            await connection.execute(
                "LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0; "
                "SET auto_explain.log_nested_statements = on; SET client_min_messages = log"
            )
            async with connection.transaction():
                answer = await connection.fetchval(
                    "WITH r AS (INSERT INTO response (initiative, session, questionnaire_version, submission_id, "
                    "language, submitted_hour, way) VALUES ($1, $2, $3, $4, 'en', date_trunc('hour', now()), 'online') "
                    "RETURNING id) INSERT INTO answer (response, question_key, option_key, text) "
                    "SELECT r.id, q, o, t FROM r, (VALUES ('listened', 'yes', NULL), ('better', NULL, 'More time')) "
                    "v(q, o, t) RETURNING id",
                    demo["initiative"],
                    demo["id"],
                    demo["questionnaire_version"],
                    uuid.uuid4(),
                )
                await connection.execute("INSERT INTO answer_theme (answer, theme_key) VALUES ($1, 'time')", answer)
                await connection.execute(
                    "DELETE FROM response WHERE id = (SELECT response FROM answer WHERE id = $1)", answer
                )
                await asyncio.sleep(0.2)  # the log messages arrive after the statements
                raise _RolledBack
        except _RolledBack:
            pass
        finally:
            await connection.close()
        return [p for p in seen if "_tally" in p.split("\n", 2)[1]]  # "Query Text: …" names the tally

    tally_plans = run(plans())
    named = " ".join(tally_plans)
    for table in ("response_tally", "answer_tally", "theme_tally"):
        assert f"INTO {table}" in named  # each tally's own statement was planned and seen
    for plan in tally_plans:
        assert "Seq Scan on response" not in plan and "Seq Scan on answer" not in plan, plan
        assert "Hash Join" not in plan, plan


class _RolledBack(Exception):
    pass
