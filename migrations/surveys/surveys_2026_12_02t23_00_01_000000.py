"""Responses stored before Response.way existed say how they were given; paper sheets can't clash.

They were given on a phone form or, for children's sessions, on the tablet (the only two ways
there were), so the way is filled in from their session's audience. A unique index on (session,
sheet) stops a paper sheet being typed in twice; other responses have no sheet, and NULLs never
clash, on either engine.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-02T23:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "Response.way for earlier responses; one paper sheet per number and session"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="surveys", description=DESCRIPTION)

    async def ways_and_sheets():
        from surveys.tables import Response

        await Response.raw(
            "UPDATE response SET way = 'tablet' WHERE session IN (SELECT id FROM survey_session WHERE audience = 'child')"
        )
        await Response.raw("CREATE UNIQUE INDEX IF NOT EXISTS response_session_sheet ON response (session, sheet)")

    manager.add_raw(ways_and_sheets)
    return manager
