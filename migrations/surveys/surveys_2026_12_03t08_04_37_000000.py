"""One draft per questionnaire slug in an initiative: two leads editing "parent-feedback" edit
the same draft rather than two that would publish over each other."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-03T08:04:37:000000"
VERSION = "1.38.0"
DESCRIPTION = "One questionnaire draft per slug and initiative"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="surveys", description=DESCRIPTION)

    async def unique_drafts():
        from surveys.tables import QuestionnaireDraft

        await QuestionnaireDraft.raw(
            "CREATE UNIQUE INDEX IF NOT EXISTS questionnaire_draft_slug ON questionnaire_draft (initiative, slug)"
        )

    manager.add_raw(unique_drafts)
    return manager
