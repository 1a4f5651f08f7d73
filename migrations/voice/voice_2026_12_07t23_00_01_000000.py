"""The theme tally's triggers plan index lookups, as the answer tallies' do (see the surveys
migration of the same hour): a plan made while the tables were small must not scan them all
once they have grown."""

import importlib

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-07T23:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "Theme tally triggers plan index lookups"

FUNCTIONS = [
    "theme_tally_insert",
    "theme_tally_delete",
    "theme_tally_update",
    "theme_tally_response_delete",
    "theme_tally_response_update",
    "theme_tally_answer_delete",
    "theme_tally_answer_update",
]
SURVEYS = importlib.import_module("migrations.surveys.surveys_2026_12_07t23_00_00_000000")


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voice", description=DESCRIPTION)

    async def make():
        from voice.tables import AnswerTheme

        for sql in SURVEYS.statements(AnswerTheme._meta.db.engine_type, FUNCTIONS):
            await AnswerTheme.raw(sql)

    async def unmake():
        from voice.tables import AnswerTheme

        for sql in SURVEYS.undo(AnswerTheme._meta.db.engine_type, FUNCTIONS):
            await AnswerTheme.raw(sql)

    manager.add_raw(make)
    manager.add_raw_backwards(unmake)
    return manager
