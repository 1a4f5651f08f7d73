"""Initiatives remember the pack they were made from, and can be archived."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Timestamptz, Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-02T19:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Initiative.pack and Initiative.archived_at"

COLUMN = {
    "primary_key": False,
    "unique": False,
    "index": False,
    "index_method": IndexMethod.btree,
    "choices": None,
    "db_column_name": None,
    "secret": False,
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="surveys", description=DESCRIPTION)
    manager.add_column(
        table_class_name="Initiative", tablename="initiative", column_name="pack", db_column_name="pack",
        column_class_name="Varchar", column_class=Varchar,
        params={**COLUMN, "length": 64, "default": "", "null": False}, schema=None,
    )
    manager.add_column(
        table_class_name="Initiative", tablename="initiative", column_name="archived_at",
        db_column_name="archived_at", column_class_name="Timestamptz", column_class=Timestamptz,
        params={**COLUMN, "default": None, "null": True}, schema=None,
    )

    return manager
