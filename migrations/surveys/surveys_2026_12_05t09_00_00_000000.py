"""Responses keep a digest of their answers, so a reused submission id can be told apart.

A retry with the same answers is a replay; the same id with different answers is a conflict
(see :mod:`surveys.responses`). Responses stored before have no digest and stay replays.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-05T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Response.answers_digest"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="surveys", description=DESCRIPTION)
    manager.add_column(
        table_class_name="Response",
        tablename="response",
        column_name="answers_digest",
        db_column_name="answers_digest",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 64,
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )
    return manager
