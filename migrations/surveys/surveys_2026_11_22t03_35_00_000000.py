"""One name per delivery partner within an initiative (a composite unique index Piccolo can't declare)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-22T03:35:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Unique delivery partner names"

STATEMENTS = ("CREATE UNIQUE INDEX delivery_partner_initiative_name ON delivery_partner (initiative, name)",)


class RawTable(Table):
    """Runs raw SQL on whichever engine is configured."""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="surveys", description=DESCRIPTION)

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
