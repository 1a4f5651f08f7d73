"""The tally triggers' own queries look rows up by key, however few rows the tables had when planned.

PostgreSQL plans a PL/pgSQL statement once per connection and keeps the plan. A connection
that first fires a tally trigger while ``response`` holds a handful of rows (a new service, a
new database) plans the answer tally's join as a scan of every response, and keeps doing that
as the table grows, until an ANALYZE happens to invalidate the plan: at a few thousand
responses that took 0.6 ms of the database's CPU per submission, and halved the submissions
a pool could store (``bench/submissions.py``). A trigger only ever sees one statement's rows,
so the right plan is always a lookup by primary key; each tally function now plans its
statements with sequential scans, hash and merge joins off (``ALTER FUNCTION … SET``), which
leaves it an index lookup per row whatever the tables' statistics say. SQLite's triggers are
planned each time and need nothing.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-07T23:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Tally triggers plan index lookups"

FUNCTIONS = [
    "response_tally_insert",
    "response_tally_delete",
    "response_tally_update",
    "answer_tally_insert",
    "answer_tally_delete",
    "answer_tally_update",
]
# The planner settings each tally function runs with (and so plans with).
SETTINGS = {"enable_seqscan": "off", "enable_hashjoin": "off", "enable_mergejoin": "off"}


def statements(engine_type: str, functions: list[str] = FUNCTIONS) -> list[str]:
    if engine_type != "postgres":
        return []
    settings = " ".join(f"SET {name} = {value}" for name, value in SETTINGS.items())
    return [f"ALTER FUNCTION heard_{name}() {settings}" for name in functions]


def undo(engine_type: str, functions: list[str] = FUNCTIONS) -> list[str]:
    if engine_type != "postgres":
        return []
    return [f"ALTER FUNCTION heard_{name}() RESET ALL" for name in functions]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="surveys", description=DESCRIPTION)

    async def make():
        from surveys.tables import Response

        for sql in statements(Response._meta.db.engine_type):
            await Response.raw(sql)

    async def unmake():
        from surveys.tables import Response

        for sql in undo(Response._meta.db.engine_type):
            await Response.raw(sql)

    manager.add_raw(make)
    manager.add_raw_backwards(unmake)
    return manager
