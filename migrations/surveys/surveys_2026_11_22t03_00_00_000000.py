"""Composite unique constraints and the answer-counting index, which Piccolo columns can't declare."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-22T03:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Composite unique indexes"

STATEMENTS = (
    "CREATE UNIQUE INDEX questionnaire_initiative_slug ON questionnaire (initiative, slug)",
    "CREATE UNIQUE INDEX questionnaire_version_number ON questionnaire_version (questionnaire, number)",
    "CREATE UNIQUE INDEX membership_account_initiative ON membership (account, initiative)",
    "CREATE INDEX answer_question_option ON answer (question_key, option_key)",
)


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
