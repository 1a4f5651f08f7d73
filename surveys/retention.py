"""Running the retention purge once a day inside the service.

``heard serve`` starts one :class:`DailyPurge` per app process: a minute after start-up (so a
restart loop or a test run never purges by surprise), then every 24 hours, it calls
:func:`surveys.erasure.purge`. With several processes (``--workers``, or several machines on one
PostgreSQL) each runs it: that is safe because the purge is idempotent and deletes in short
transactions, so whichever process comes second finds nothing left to delete and records
nothing. No lock or claim row is needed, and a process that dies mid-purge leaves every response
whole or gone for the next run to finish. ``heard purge`` runs the same thing from cron if an
operator prefers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from surveys.erasure import purge

log = logging.getLogger("heard.retention")

FIRST_DELAY_SECONDS = 60.0
INTERVAL_SECONDS = 24 * 60 * 60.0


class DailyPurge:
    def __init__(self, *, first_delay: float = FIRST_DELAY_SECONDS, interval: float = INTERVAL_SECONDS) -> None:
        self.first_delay = first_delay
        self.interval = interval
        self.runs = 0
        self.ran = asyncio.Event()
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name="heard-daily-purge")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _loop(self) -> None:
        await asyncio.sleep(self.first_delay)
        while True:
            try:
                deleted = await purge(actor="system")
                total = sum(deleted.values())
                if total:
                    log.info("retention purge deleted %d responses", total)
            except asyncio.CancelledError:
                raise
            except Exception as e:  # noqa: BLE001 - keep the service up; try again tomorrow
                log.error("retention purge failed: %s", type(e).__name__)
            self.runs += 1
            self.ran.set()
            await asyncio.sleep(self.interval)
