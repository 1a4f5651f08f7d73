"""Bringing a database up to date: apply every pending migration, on SQLite or PostgreSQL."""

from __future__ import annotations

import contextlib
import io

from piccolo.apps.migrations.commands.forwards import run_forwards

from surveys.db import is_sqlite, set_wal
from surveys.tables import Initiative


class MigrationFailed(RuntimeError):
    """A migration did not apply; the message says which and why."""


async def migrate(*, quiet: bool = True) -> str:
    """Apply pending migrations of every Heard app; return Piccolo's report.

    Safe to run at every start: applied migrations are skipped.
    """
    engine = Initiative._meta.db
    if is_sqlite(engine):
        set_wal(engine.path)
    report = io.StringIO()
    with contextlib.redirect_stdout(report) if quiet else contextlib.nullcontext():
        result = await run_forwards(app_name="all")
    if not result.success:
        raise MigrationFailed(f"{result.message}\n{report.getvalue()}".strip())
    return report.getvalue()
