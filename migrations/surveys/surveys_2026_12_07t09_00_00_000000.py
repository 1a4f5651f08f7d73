"""Tallies of responses and answers, kept by triggers (``surveys.tables.ResponseTally``, ``AnswerTally``).

A lead's initiative page, summary and reach page count answers by option over every response of
an initiative: at a million responses that is seconds of reading rows (``bench/lead_pages.py``).
The tallies hold the same counts per session, questionnaire version and hour (and way, or
question and option), so the pages sum a few thousand rows instead.

The triggers run inside the statement that writes a response or an answer, on both engines,
so a tally can never disagree with the rows, whichever path wrote them (a submission, paper
entry, erasure, the retention purge, a restore, a bulk load):

* a response inserted adds one to its response tally; an answer inserted adds one to its
  answer tally (the response's session, version and hour, the answer's question and option);
* a response deleted takes itself and all its answers off, *before* it goes (the answers then
  go by the foreign key's cascade, when the response can no longer be found, so they are not
  taken off twice); an answer deleted on its own takes itself off;
* a change to any counted column takes the old keys off and adds the new ones.

An answer tally also counts how many of its answers are written (have text), for the
moderation queue's count. A written answer's option is ``''`` in the tally (keys are never
empty), so the unique key has no NULL in it. Rows that fall to zero are kept; a sum does not
see them. Existing rows are counted once, here. An index of the responses that carry a participant code serves the reach
page's count of distinct codes.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-07T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Response and answer tallies kept by triggers"

R_KEY = "initiative, questionnaire_version, session, submitted_hour, way"
A_KEY = "initiative, questionnaire_version, session, submitted_hour, question_key, option_key"

TABLES = {
    "response_tally": (
        "initiative INTEGER NOT NULL, questionnaire_version INTEGER NOT NULL, session INTEGER NOT NULL, "
        "submitted_hour TIMESTAMPTZ NOT NULL, way VARCHAR(10) NOT NULL, n INTEGER NOT NULL DEFAULT 0",
        R_KEY,
    ),
    "answer_tally": (
        "initiative INTEGER NOT NULL, questionnaire_version INTEGER NOT NULL, session INTEGER NOT NULL, "
        "submitted_hour TIMESTAMPTZ NOT NULL, question_key VARCHAR(64) NOT NULL, "
        "option_key VARCHAR(64) NOT NULL, n INTEGER NOT NULL DEFAULT 0, written INTEGER NOT NULL DEFAULT 0",
        A_KEY,
    ),
}

# How many of a group of answers ``a`` are written (have text): the moderation queue's count.
WRITTEN = "SUM(CASE WHEN a.text IS NULL THEN 0 ELSE 1 END)"

# The statements each trigger runs, with OLD/NEW as both engines name them. ``{r}`` is a
# response row (OLD or NEW), ``{a}`` an answer row.
ADD_RESPONSE = (
    f"INSERT INTO response_tally ({R_KEY}, n) "
    "VALUES ({r}.initiative, {r}.questionnaire_version, {r}.session, {r}.submitted_hour, {r}.way, 1) "
    f"ON CONFLICT ({R_KEY}) DO UPDATE SET n = response_tally.n + 1"
)
TAKE_RESPONSE = (
    "UPDATE response_tally SET n = n - 1 WHERE initiative = {r}.initiative "
    "AND questionnaire_version = {r}.questionnaire_version AND session = {r}.session "
    "AND submitted_hour = {r}.submitted_hour AND way = {r}.way"
)
ADD_ANSWER = (
    f"INSERT INTO answer_tally ({A_KEY}, n, written) "
    "SELECT r.initiative, r.questionnaire_version, r.session, r.submitted_hour, {a}.question_key, "
    "COALESCE({a}.option_key, ''), 1, CASE WHEN {a}.text IS NULL THEN 0 ELSE 1 END "
    "FROM response r WHERE r.id = {a}.response "
    f"ON CONFLICT ({A_KEY}) DO UPDATE SET n = answer_tally.n + 1, written = answer_tally.written + excluded.written"
)
TAKE_ANSWER = (
    "UPDATE answer_tally SET n = n - 1, written = written - CASE WHEN {a}.text IS NULL THEN 0 ELSE 1 END WHERE "
    "(initiative, questionnaire_version, session, submitted_hour) = "
    "(SELECT r.initiative, r.questionnaire_version, r.session, r.submitted_hour FROM response r "
    "WHERE r.id = {a}.response) "
    "AND question_key = {a}.question_key AND option_key = COALESCE({a}.option_key, '')"
)
# All of one response's answers, under the response's keys (as ``{r}`` has them).
TAKE_ANSWERS_OF = (
    "UPDATE answer_tally SET n = n - (SELECT COUNT(*) FROM answer a WHERE a.response = {r}.id "
    "AND a.question_key = answer_tally.question_key AND COALESCE(a.option_key, '') = answer_tally.option_key), "
    "written = written - (SELECT COUNT(*) FROM answer a WHERE a.response = {r}.id AND a.text IS NOT NULL "
    "AND a.question_key = answer_tally.question_key AND COALESCE(a.option_key, '') = answer_tally.option_key) "
    "WHERE initiative = {r}.initiative AND questionnaire_version = {r}.questionnaire_version "
    "AND session = {r}.session AND submitted_hour = {r}.submitted_hour "
    "AND (question_key, option_key) IN (SELECT question_key, COALESCE(option_key, '') FROM answer WHERE response = {r}.id)"
)
ADD_ANSWERS_OF = (
    f"INSERT INTO answer_tally ({A_KEY}, n, written) "
    "SELECT {r}.initiative, {r}.questionnaire_version, {r}.session, {r}.submitted_hour, a.question_key, "
    f"COALESCE(a.option_key, ''), COUNT(*), {WRITTEN} FROM answer a WHERE a.response = {{r}}.id "
    "GROUP BY a.question_key, COALESCE(a.option_key, '') "
    f"ON CONFLICT ({A_KEY}) DO UPDATE SET n = answer_tally.n + excluded.n, written = answer_tally.written + excluded.written"
)

RESPONSE_COLUMNS = "initiative, questionnaire_version, session, submitted_hour, way"
ANSWER_COLUMNS = "response, question_key, option_key, text"

# name: (table, timing, event, statements)
TRIGGERS = {
    "response_tally_insert": ("response", "AFTER", "INSERT", [ADD_RESPONSE.format(r="NEW")]),
    "response_tally_delete": (
        "response",
        "BEFORE",
        "DELETE",
        [TAKE_ANSWERS_OF.format(r="OLD"), TAKE_RESPONSE.format(r="OLD")],
    ),
    "response_tally_update": (
        "response",
        "AFTER",
        f"UPDATE OF {RESPONSE_COLUMNS}",
        [
            TAKE_RESPONSE.format(r="OLD"),
            ADD_RESPONSE.format(r="NEW"),
            TAKE_ANSWERS_OF.format(r="OLD"),
            ADD_ANSWERS_OF.format(r="NEW"),
        ],
    ),
    "answer_tally_insert": ("answer", "AFTER", "INSERT", [ADD_ANSWER.format(a="NEW")]),
    "answer_tally_delete": ("answer", "AFTER", "DELETE", [TAKE_ANSWER.format(a="OLD")]),
    "answer_tally_update": (
        "answer",
        "AFTER",
        f"UPDATE OF {ANSWER_COLUMNS}",
        [TAKE_ANSWER.format(a="OLD"), ADD_ANSWER.format(a="NEW")],
    ),
}

BACKFILL = [
    f"INSERT INTO response_tally ({R_KEY}, n) SELECT {R_KEY}, COUNT(*) FROM response GROUP BY {R_KEY}",  # nosec B608
    f"INSERT INTO answer_tally ({A_KEY}, n, written) "  # nosec B608
    "SELECT r.initiative, r.questionnaire_version, r.session, r.submitted_hour, a.question_key, "
    f"COALESCE(a.option_key, ''), COUNT(*), {WRITTEN} FROM answer a JOIN response r ON r.id = a.response "
    "GROUP BY r.initiative, r.questionnaire_version, r.session, r.submitted_hour, a.question_key, "
    "COALESCE(a.option_key, '')",
]


# On PostgreSQL an insert is counted once per statement, not per row: a statement-level trigger
# sees the rows it inserted as a table (``new_rows``) and adds them up in one grouped upsert, in
# key order (so two statements take the rows' locks in the same order). A submission is one
# statement; a bulk load's COPY, one per batch. SQLite has only row triggers, and one writer.
STATEMENT_INSERTS = {
    "response_tally_insert": (
        f"INSERT INTO response_tally ({R_KEY}, n) SELECT {R_KEY}, COUNT(*) FROM new_rows "  # nosec B608
        f"GROUP BY {R_KEY} ORDER BY {R_KEY} "
        f"ON CONFLICT ({R_KEY}) DO UPDATE SET n = response_tally.n + excluded.n"
    ),
    "answer_tally_insert": (
        f"INSERT INTO answer_tally ({A_KEY}, n, written) "  # nosec B608
        "SELECT r.initiative, r.questionnaire_version, r.session, r.submitted_hour, a.question_key, "
        f"COALESCE(a.option_key, ''), COUNT(*), {WRITTEN} FROM new_rows a JOIN response r ON r.id = a.response "
        "GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6 "
        f"ON CONFLICT ({A_KEY}) DO UPDATE SET n = answer_tally.n + excluded.n, "
        "written = answer_tally.written + excluded.written"
    ),
}


def statements(engine_type: str) -> list[str]:
    """Every statement that makes the tallies and their triggers, for ``engine_type``."""
    postgres = engine_type == "postgres"
    out = []
    for table, (columns, key) in TABLES.items():
        serial = "id SERIAL PRIMARY KEY" if postgres else "id INTEGER PRIMARY KEY"
        out.append(f"CREATE TABLE {table} ({serial}, {columns})")
        out.append(f"CREATE UNIQUE INDEX {table}_key ON {table} ({key})")
    for name, (table, timing, event, body) in TRIGGERS.items():
        if postgres and name in STATEMENT_INSERTS:
            out.append(
                f"CREATE FUNCTION heard_{name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"{STATEMENT_INSERTS[name]}; RETURN NULL; END $$"
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
    # The reach page's distinct participant codes read only the responses that have one.
    out.append("CREATE INDEX response_initiative_code ON response (initiative, pseudonym) WHERE pseudonym IS NOT NULL")
    return out + BACKFILL


def undo(engine_type: str) -> list[str]:
    out = [f"DROP TRIGGER IF EXISTS {name}" + (f" ON {t[0]}" if engine_type == "postgres" else "") for name, t in TRIGGERS.items()]
    if engine_type == "postgres":
        out += [f"DROP FUNCTION IF EXISTS heard_{name}()" for name in TRIGGERS]
    return out + ["DROP INDEX IF EXISTS response_initiative_code"] + [f"DROP TABLE IF EXISTS {table}" for table in TABLES]


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
