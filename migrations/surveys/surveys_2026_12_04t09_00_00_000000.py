"""Indexes for the lead's pages at a million responses (``bench/lead_pages.py``).

* answers by response with their question and option: the count-by-answer behind the initiative
  page, the summary and reach reads only this index, never the answer rows;
* an initiative's responses by the hour sent, with session and way: the newest-first page of
  responses, and the live counts of the last weeks from the index alone;
* an initiative's responses by questionnaire version, session and way: a questionnaire's count
  and the live counts per session, from the index alone;
* written answers by response (partial, ``text IS NOT NULL``): the moderation queue and its
  count walk the fifth of answers that are text, not all of them.

``IF NOT EXISTS`` and partial indexes read the same on SQLite and PostgreSQL.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-04T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Indexes for the lead pages"

INDEXES = {
    "answer_response_question_option": "answer (response, question_key, option_key)",
    "response_initiative_hour": "response (initiative, submitted_hour, session, way)",
    "response_initiative_version": "response (initiative, questionnaire_version, session, way)",
    "answer_written": "answer (response) WHERE text IS NOT NULL",
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="surveys", description=DESCRIPTION)

    async def create_indexes():
        from surveys.tables import Answer

        for name, on in INDEXES.items():
            await Answer.raw(f"CREATE INDEX IF NOT EXISTS {name} ON {on}")

    async def drop_indexes():
        from surveys.tables import Answer

        for name in INDEXES:
            await Answer.raw(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
