"""The service's daily purge: runs in the background, deletes what expired, stops cleanly."""

from __future__ import annotations

import asyncio
import datetime as dt

from surveys.retention import DailyPurge
from surveys.tables import Response
from tests.privacy.helpers import ANEW, answer, phase_session
from tests.support import run


def test_the_daily_purge_runs_in_the_background_and_stops(db):
    session = run(phase_session("anew", "after"))
    run(answer(session, ANEW, when=dt.datetime(2021, 1, 1, tzinfo=dt.UTC)))
    kept = run(answer(session, ANEW))

    async def one_day():
        daily = DailyPurge(first_delay=0, interval=3600)
        daily.start()
        await asyncio.wait_for(daily.ran.wait(), timeout=60)
        await daily.stop()
        await daily.stop()  # stopping twice is harmless
        return daily.runs

    assert run(one_day()) == 1
    assert [r["id"] for r in run(Response.select(Response.id))] == [kept]


def test_two_processes_purging_at_once_delete_each_response_once(db):
    """Several app processes each run the daily purge; together they delete each row once."""
    from surveys.erasure import purge

    session = run(phase_session("anew", "after"))
    for _ in range(6):
        run(answer(session, ANEW, when=dt.datetime(2021, 1, 1, tzinfo=dt.UTC)))

    async def both():
        return await asyncio.gather(purge(batch=2), purge(batch=2))

    first, second = run(both())
    assert first["anew"] + second["anew"] == 6
    assert run(Response.count()) == 0
