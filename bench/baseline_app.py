"""The baseline for the submission benchmark: a bare Litestar endpoint that inserts one row.

Same engine classes and pool as Heard (so the same single-writer SQLite design, or the same
PostgreSQL pool): what's left of the difference is Heard's own work per submission.
"""

from __future__ import annotations

from litestar import Litestar, Request, get, post
from piccolo.columns import UUID, Text
from piccolo.table import Table

from surveys.db import database_url, engine_from_url

ENGINE = engine_from_url(database_url())


class BenchRow(Table, db=ENGINE):
    submission_id = UUID(unique=True)
    payload = Text()


@post("/insert", status_code=201)
async def insert(request: Request) -> dict:
    body = await request.json()
    await BenchRow.insert(BenchRow(submission_id=body["submission_id"], payload=str(body.get("answers"))))
    return {"stored": True}


@get("/healthz")
async def healthz() -> dict:
    return {"status": "ok"}


async def _start() -> None:
    await ENGINE.start_connection_pool()
    try:
        await BenchRow.create_table(if_not_exists=True)
    except Exception:  # noqa: BLE001 - two workers starting at once race to make it on PostgreSQL
        if not await BenchRow.table_exists():
            raise


async def _stop() -> None:
    await ENGINE.close_connection_pool()


app = Litestar([insert, healthz], on_startup=[_start], on_shutdown=[_stop])
