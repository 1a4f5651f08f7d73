"""Composite unique indexes for the voice tables, which Piccolo columns can't declare."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-22T03:23:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Voice composite unique indexes"

STATEMENTS = (
    "CREATE UNIQUE INDEX codebook_version_number ON codebook_version (initiative, number)",
    "CREATE UNIQUE INDEX quote_revision_number ON quote_revision (answer, number)",
)


class RawTable(Table):
    """Runs raw SQL on whichever engine is configured."""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voice", description=DESCRIPTION)

    async def create_indexes():
        for sql in STATEMENTS:
            await RawTable.raw(sql)

    async def drop_indexes():
        for sql in STATEMENTS:
            name = sql.split(" INDEX ")[1].split(" ")[0]
            await RawTable.raw(f"DROP INDEX {name}")

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
