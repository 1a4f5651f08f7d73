"""Responses say how they were given (phone, tablet or paper) and paper ones their sheet number.

The next migration fills them in for responses stored before (Piccolo runs a migration's raw
steps before its column changes, so they can't share one).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Integer, Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-02T23:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Response.way and Response.sheet"

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
        table_class_name="Response",
        tablename="response",
        column_name="way",
        db_column_name="way",
        column_class_name="Varchar",
        column_class=Varchar,
        params={**COLUMN, "length": 10, "default": "phone", "null": False},
        schema=None,
    )
    manager.add_column(
        table_class_name="Response",
        tablename="response",
        column_name="sheet",
        db_column_name="sheet",
        column_class_name="Integer",
        column_class=Integer,
        params={**COLUMN, "default": None, "null": True},
        schema=None,
    )

    return manager
