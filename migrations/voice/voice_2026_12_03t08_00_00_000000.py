"""Voice notes carry a machine draft of what was said, for the lead to correct.

``draft`` is the redacted draft text (None until the worker has tried), ``draft_state`` says what
happened ("" waiting, "done", "none" when no engine here knows the note's language, "failed"
when the recording could not be read), ``draft_engine`` names the engine and ``draft_note`` says
why there is no draft, for the lead.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Text, Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-03T08:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "VoiceNote draft transcript"

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
    manager = MigrationManager(migration_id=ID, app_name="voice", description=DESCRIPTION)
    manager.add_column(
        table_class_name="VoiceNote",
        tablename="voice_note",
        column_name="draft",
        db_column_name="draft",
        column_class_name="Text",
        column_class=Text,
        params={**COLUMN, "default": None, "null": True},
        schema=None,
    )
    for name, length in (("draft_state", 12), ("draft_engine", 80), ("draft_note", 300)):
        manager.add_column(
            table_class_name="VoiceNote",
            tablename="voice_note",
            column_name=name,
            db_column_name=name,
            column_class_name="Varchar",
            column_class=Varchar,
            params={**COLUMN, "length": length, "default": "", "null": False},
            schema=None,
        )
    return manager
