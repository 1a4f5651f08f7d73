"""Theme tallies, kept by triggers (``voice.tables.ThemeTally``), like the response and answer tallies.

How many answers each theme was found in, per session, questionnaire version and hour: the
quotes page and every summary show it, and counting it from the themes walked every themed
answer of an initiative out to its response (a second at a million responses). The tally has
the response's columns, so the summary's filters apply to it unchanged.

The triggers keep it in the statement that writes the rows, on both engines:

* a theme found in an answer adds one; a theme removed (retheming replaces an answer's themes)
  takes one off, while its answer and response can still be found;
* a response deleted takes all its answers' themes off *before* it goes, and an answer deleted
  on its own takes its themes off before it goes; the themes then go by the foreign keys'
  cascade, when their answer can no longer be found, so nothing is taken off twice;
* a change to a response's counted columns, or to the answer a theme belongs to, moves them.

An answer holds a theme once: a unique index on ``answer_theme (answer, theme_key)`` says so
(and serves as the covering index a theme's answers are read by), after dropping any repeat.
Existing themes are counted once, here.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-07T09:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "Theme tallies kept by triggers"

KEY = "initiative, questionnaire_version, session, submitted_hour, theme_key"
COLUMNS = (
    "initiative INTEGER NOT NULL, questionnaire_version INTEGER NOT NULL, session INTEGER NOT NULL, "
    "submitted_hour TIMESTAMPTZ NOT NULL, theme_key VARCHAR(64) NOT NULL, n INTEGER NOT NULL DEFAULT 0"
)
RESPONSE_OF_ANSWER = (
    "SELECT r.initiative, r.questionnaire_version, r.session, r.submitted_hour FROM answer a "
    "JOIN response r ON r.id = a.response WHERE a.id = {answer}"
)
ADD_THEME = (
    f"INSERT INTO theme_tally ({KEY}, n) "
    "SELECT r.initiative, r.questionnaire_version, r.session, r.submitted_hour, {t}.theme_key, 1 "
    "FROM answer a JOIN response r ON r.id = a.response WHERE a.id = {t}.answer "
    f"ON CONFLICT ({KEY}) DO UPDATE SET n = theme_tally.n + 1"
)
TAKE_THEME = (
    "UPDATE theme_tally SET n = n - 1 WHERE (initiative, questionnaire_version, session, submitted_hour) = "
    f"({RESPONSE_OF_ANSWER.format(answer='{t}.answer')}) AND theme_key = {{t}}.theme_key"
)
# Every theme of one response's answers, under the response's keys (as ``{r}`` has them).
THEMES_OF_RESPONSE = "FROM answer_theme t JOIN answer a ON a.id = t.answer WHERE a.response = {r}.id"
TAKE_THEMES_OF_RESPONSE = (
    f"UPDATE theme_tally SET n = n - (SELECT COUNT(*) {THEMES_OF_RESPONSE} AND t.theme_key = theme_tally.theme_key) "
    "WHERE initiative = {r}.initiative AND questionnaire_version = {r}.questionnaire_version "
    "AND session = {r}.session AND submitted_hour = {r}.submitted_hour "
    f"AND theme_key IN (SELECT t.theme_key {THEMES_OF_RESPONSE})"
)
ADD_THEMES_OF_RESPONSE = (
    f"INSERT INTO theme_tally ({KEY}, n) "
    "SELECT {r}.initiative, {r}.questionnaire_version, {r}.session, {r}.submitted_hour, t.theme_key, COUNT(*) "
    f"{THEMES_OF_RESPONSE} GROUP BY t.theme_key "
    f"ON CONFLICT ({KEY}) DO UPDATE SET n = theme_tally.n + excluded.n"
)
# Every theme of one answer, under its response's keys (the response looked up by ``{a}``).
TAKE_THEMES_OF_ANSWER = (
    "UPDATE theme_tally SET n = n - (SELECT COUNT(*) FROM answer_theme t WHERE t.answer = {a}.id "
    "AND t.theme_key = theme_tally.theme_key) "
    "WHERE (initiative, questionnaire_version, session, submitted_hour) = "
    "(SELECT r.initiative, r.questionnaire_version, r.session, r.submitted_hour FROM response r WHERE r.id = {a}.response) "
    "AND theme_key IN (SELECT t.theme_key FROM answer_theme t WHERE t.answer = {a}.id)"
)
ADD_THEMES_OF_ANSWER = (
    f"INSERT INTO theme_tally ({KEY}, n) "
    "SELECT r.initiative, r.questionnaire_version, r.session, r.submitted_hour, t.theme_key, COUNT(*) "
    "FROM answer_theme t JOIN response r ON r.id = {a}.response WHERE t.answer = {a}.id "
    "GROUP BY r.initiative, r.questionnaire_version, r.session, r.submitted_hour, t.theme_key "
    f"ON CONFLICT ({KEY}) DO UPDATE SET n = theme_tally.n + excluded.n"
)

# name: (table, timing, event, statements)
TRIGGERS = {
    "theme_tally_insert": ("answer_theme", "AFTER", "INSERT", [ADD_THEME.format(t="NEW")]),
    "theme_tally_delete": ("answer_theme", "AFTER", "DELETE", [TAKE_THEME.format(t="OLD")]),
    "theme_tally_update": (
        "answer_theme",
        "AFTER",
        "UPDATE OF answer, theme_key",
        [TAKE_THEME.format(t="OLD"), ADD_THEME.format(t="NEW")],
    ),
    "theme_tally_response_delete": ("response", "BEFORE", "DELETE", [TAKE_THEMES_OF_RESPONSE.format(r="OLD")]),
    "theme_tally_response_update": (
        "response",
        "AFTER",
        "UPDATE OF initiative, questionnaire_version, session, submitted_hour",
        [TAKE_THEMES_OF_RESPONSE.format(r="OLD"), ADD_THEMES_OF_RESPONSE.format(r="NEW")],
    ),
    "theme_tally_answer_delete": ("answer", "BEFORE", "DELETE", [TAKE_THEMES_OF_ANSWER.format(a="OLD")]),
    "theme_tally_answer_update": (
        "answer",
        "AFTER",
        "UPDATE OF response",
        [TAKE_THEMES_OF_ANSWER.format(a="OLD"), ADD_THEMES_OF_ANSWER.format(a="NEW")],
    ),
}

BACKFILL = (
    f"INSERT INTO theme_tally ({KEY}, n) "  # nosec B608
    "SELECT r.initiative, r.questionnaire_version, r.session, r.submitted_hour, t.theme_key, COUNT(*) "
    "FROM answer_theme t JOIN answer a ON a.id = t.answer JOIN response r ON r.id = a.response "
    "GROUP BY r.initiative, r.questionnaire_version, r.session, r.submitted_hour, t.theme_key"
)


# On PostgreSQL themes found are counted once per statement (a theming batch is one), as the
# answer tallies are: see the surveys migration of the same day.
STATEMENT_INSERT = (
    f"INSERT INTO theme_tally ({KEY}, n) "  # nosec B608
    "SELECT r.initiative, r.questionnaire_version, r.session, r.submitted_hour, t.theme_key, COUNT(*) "
    "FROM new_rows t JOIN answer a ON a.id = t.answer JOIN response r ON r.id = a.response "
    "GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5 "
    f"ON CONFLICT ({KEY}) DO UPDATE SET n = theme_tally.n + excluded.n"
)


def statements(engine_type: str) -> list[str]:
    """Every statement that makes the theme tally and its triggers, for ``engine_type``."""
    postgres = engine_type == "postgres"
    out = [
        "DELETE FROM answer_theme WHERE id NOT IN (SELECT MIN(id) FROM answer_theme GROUP BY answer, theme_key)",
        "CREATE UNIQUE INDEX answer_theme_once ON answer_theme (answer, theme_key)",
        f"CREATE TABLE theme_tally ({'id SERIAL PRIMARY KEY' if postgres else 'id INTEGER PRIMARY KEY'}, {COLUMNS})",
        f"CREATE UNIQUE INDEX theme_tally_key ON theme_tally ({KEY})",
    ]
    for name, (table, timing, event, body) in TRIGGERS.items():
        if postgres and name == "theme_tally_insert":
            out.append(
                f"CREATE FUNCTION heard_{name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"{STATEMENT_INSERT}; RETURN NULL; END $$"
            )
            out.append(
                f"CREATE TRIGGER {name} AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows "
                f"FOR EACH STATEMENT EXECUTE FUNCTION heard_{name}()"
            )
        elif postgres:
            returned = "OLD" if timing == "BEFORE" else "NULL"
            out.append(
                f"CREATE FUNCTION heard_{name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + " ".join(f"{s};" for s in body)
                + f" RETURN {returned}; END $$"
            )
            out.append(f"CREATE TRIGGER {name} {timing} {event} ON {table} FOR EACH ROW EXECUTE FUNCTION heard_{name}()")
        else:
            out.append(f"CREATE TRIGGER {name} {timing} {event} ON {table} BEGIN " + " ".join(f"{s};" for s in body) + " END")
    return out + [BACKFILL]


def undo(engine_type: str) -> list[str]:
    postgres = engine_type == "postgres"
    out = [f"DROP TRIGGER IF EXISTS {name}" + (f" ON {t[0]}" if postgres else "") for name, t in TRIGGERS.items()]
    if postgres:
        out += [f"DROP FUNCTION IF EXISTS heard_{name}()" for name in TRIGGERS]
    return out + ["DROP TABLE IF EXISTS theme_tally", "DROP INDEX IF EXISTS answer_theme_once"]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voice", description=DESCRIPTION)

    async def make():
        from voice.tables import AnswerTheme

        for sql in statements(AnswerTheme._meta.db.engine_type):
            await AnswerTheme.raw(sql)

    async def unmake():
        from voice.tables import AnswerTheme

        for sql in undo(AnswerTheme._meta.db.engine_type):
            await AnswerTheme.raw(sql)

    manager.add_raw(make)
    manager.add_raw_backwards(unmake)
    return manager
