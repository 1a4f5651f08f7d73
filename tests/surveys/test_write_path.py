"""The hot write path: short write jobs (`surveys.db.write`), group-committed on SQLite.

Many submissions arriving at once share one SQLite transaction, each under its own savepoint;
one job failing must not take the others down, a retry inside the same batch must still store
once, and nothing is acknowledged before it is committed. On PostgreSQL each job is its own
transaction; the same checks hold.
"""

from __future__ import annotations

import asyncio
import uuid

import pytest
from asyncpg import exceptions as pg

from surveys import db
from surveys.responses import submit
from surveys.sessions import open_session
from surveys.tables import Answer, Response
from tests.support import run

ANSWERS = {"listened": "yes", "next_steps": "partly", "helpful": "yes", "child_views": "no", "better": "More time"}


@pytest.fixture
def token(db):
    from surveys.demo import ensure_demo_sessions

    return run(ensure_demo_sessions())["anew"]["token"]


def _failing_job():
    yield "INSERT INTO answer (response, question_key, quote_consent) VALUES ({}, {}, {})", (10**9, "x", False)
    return "never"


async def _at_once(token: str, ids: list[uuid.UUID]):
    engine = Response._meta.db
    await engine.start_connection_pool()
    try:
        session = await open_session(token)
        jobs = [submit(session, sid, ANSWERS) for sid in ids]
        jobs.insert(len(jobs) // 2, db.write(_failing_job()))  # a foreign key no response has
        return await asyncio.gather(*jobs, return_exceptions=True)
    finally:
        await engine.close_connection_pool()


def test_submissions_at_once_store_once_and_a_failing_job_fails_alone(token):
    ids = [uuid.uuid4() for _ in range(20)]
    outcomes = run(_at_once(token, ids + ids[:5]))  # five retried within the same moment
    failed = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(failed) == 1 and "FOREIGN KEY" in str(failed[0]).upper()
    receipts = [o for o in outcomes if not isinstance(o, BaseException)]
    assert len(receipts) == 25
    assert sum(not r.replayed for r in receipts) == 20
    assert {r.submission_id for r in receipts} == set(ids)
    # a retry gets the same response as its first try
    first = {r.submission_id: r.response_id for r in receipts if not r.replayed}
    assert all(first[r.submission_id] == r.response_id for r in receipts if r.replayed)
    assert run(Response.count()) == 20
    assert run(Answer.count()) == 20 * len(ANSWERS)
    assert run(Answer.count().where(Answer.response == 10**9)) == 0  # the failing job left nothing


def test_a_job_runs_alone_outside_a_running_app(token):
    """Scripts and the CLI write with no pool open: the same job, its own transaction."""
    session = run(open_session(token))
    receipt = run(submit(session, uuid.uuid4(), ANSWERS))
    again = run(submit(session, receipt.submission_id, ANSWERS))
    assert again.replayed and again.response_id == receipt.response_id
    with pytest.raises(Exception, match="(?i)foreign key"):
        run(db.write(_failing_job()))
    assert run(Response.count()) == 1


def _two_steps(fail: bool):
    import datetime as dt

    [row] = yield 'INSERT INTO login_attempt (kind, "key", at) VALUES ({}, {}, {}) RETURNING id', (
        "account", "k", dt.datetime.now(dt.UTC))
    if fail:
        yield "INSERT INTO answer (response, question_key, quote_consent) VALUES ({}, {}, {})", (10**9, "x", False)
    return row["id"]


async def _in_the_app(*jobs):
    engine = Response._meta.db
    await engine.start_connection_pool()
    try:
        return await asyncio.gather(*(db.write(job) for job in jobs), return_exceptions=True)
    finally:
        await engine.close_connection_pool()


def test_a_job_in_the_running_app_is_all_or_nothing(db):
    from surveys.tables import LoginAttempt

    kept, failed = run(_in_the_app(_two_steps(fail=False), _two_steps(fail=True)))
    assert isinstance(failed, Exception) and "foreign key" in str(failed).lower()
    assert isinstance(kept, int)
    assert run(LoginAttempt.select(LoginAttempt.id).output(as_list=True)) == [kept]  # the failed job's first row is gone


def _caused_by(error: Exception, cause: Exception) -> Exception:
    error.__cause__ = cause
    return error


@pytest.mark.parametrize("error, retry", [
    (__import__("sqlite3").OperationalError("database is locked"), True),
    (ConnectionRefusedError(111, "Connection refused"), True),
    (__import__("asyncpg").exceptions.AdminShutdownError("terminating connection due to administrator command"), True),
    (__import__("asyncpg").exceptions.CannotConnectNowError("the database system is starting up"), True),
    # Seen while PostgreSQL restarted under load (the 500s of issue 14): a pooled connection
    # broken mid-operation, and the pool failing to hand it back.
    (pg.InternalClientError("cannot switch to state 12; another operation (2) is in progress"), True),
    (pg.ConnectionDoesNotExistError("connection was closed in the middle of operation"), True),
    (pg.InterfaceError("cannot perform operation: connection is closed"), True),
    (pg.InterfaceError("cannot perform operation: another operation is in progress"), True),
    (pg.TooManyConnectionsError("sorry, too many clients already"), True),
    (OSError("Multiple exceptions: [Errno 111] Connect call failed ('127.0.0.1', 5432), [Errno 99] …"), True),
    (TimeoutError(), True),  # no pooled connection to be had in time
    (_caused_by(RuntimeError("while releasing"), pg.ConnectionDoesNotExistError("closed")), True),
    (ExceptionGroup("in a task group", [ValueError("bad"), ConnectionResetError()]), True),
    (__import__("sqlite3").OperationalError("no such table: response"), False),
    (ValueError("bad"), False),
    (pg.InterfaceError("the server expects 2 arguments for this query, 1 was passed"), False),  # a bug
    (FileNotFoundError(2, "No such file or directory"), False),
    (pg.UndefinedColumnError("column \"nope\" does not exist"), False),
])
def test_an_unreachable_database_is_told_apart_from_a_bug(error, retry):
    """The web layer answers 503 with Retry-After (nothing stored, try again) only for these."""
    assert db.is_unavailable(error) is retry


def test_a_database_outage_is_a_503_to_retry_not_a_500(client, token, monkeypatch):
    import sqlite3

    import surveys.submissions

    async def locked(*args, **kwargs):
        raise sqlite3.OperationalError("database is locked")

    # the store every face's submission goes through (surveys.submissions.take calls it)
    monkeypatch.setattr(surveys.submissions, "submit", locked)
    response = client.post(f"/api/v1/sessions/{token}/responses",
                           json={"submission_id": str(uuid.uuid4()), "answers": ANSWERS})
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "nothing was saved" in response.json()["detail"]
