"""Benchmark: are the lead's pages fast at a million responses, next to the bare SQL behind them?

It loads ``--responses`` (default 1,000,000) made-up responses spread over the three demo
initiatives (ANEW, CMHWF, Art at the Start), over five years and 300 sessions, every choice
question answered and 20% with a free-text answer (themed, as the background worker leaves
them), with bulk inserts (``executemany`` on SQLite, ``COPY`` on PostgreSQL), not the app's
submit path (the database's triggers keep the tallies as the rows go in, as they do for the
app). Then, with the app running under uvicorn and a lead signed in, it times each lead page
over HTTP against its baseline: the bare SQL the page needs (its counts summed from the tallies,
one page of the rows it lists), run directly on the same engine with the pool open. For scale
it also times, once, the same counts made from the rows themselves, as the pages made them
before the tallies. Each side runs ``--rounds`` times; the fastest round counts.

Target: every page at most 3x its bare SQL and at most 300 ms.

    python -m bench.lead_pages                              # SQLite, a fresh temporary file
    python -m bench.lead_pages --sqlite /tmp/lp.sqlite3     # keep (and reuse) the loaded file
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench python -m bench.lead_pages
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import re
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

RATIO_TARGET = 3.0
MS_TARGET = 300.0
SESSIONS = 300
YEARS = 5
TEXT_SHARE = 0.2
SLUG = "anew"  # the pages are timed for this initiative (a third of the responses)
EMAIL, PASSWORD = "lead@bench.example", "bench lead password 2026"
CHUNK = 20_000
RETENTION_MONTHS = 72


def _engine() -> str:
    return "postgresql" if os.environ["DATABASE_URL"].startswith("postgres") else "sqlite"


# --- loading ------------------------------------------------------------------------------------


async def _setup() -> dict:
    """Migrations, the demo initiatives, 300 sessions over five years, the lead's account."""
    from surveys.accounts import add_account
    from surveys.demo import ensure_demo_sessions
    from surveys.schema import migrate
    from surveys.sessions import create_session
    from surveys.tables import Initiative, Session
    from surveys.versions import definition_of
    from voice.codebook_versions import current_codebook

    await migrate()
    demo = await ensure_demo_sessions()
    await add_account(EMAIL, PASSWORD, "lead", list(demo))
    # Five years of answers are kept for six: the app's daily purge must not thin them out.
    await Initiative.update({Initiative.retention_months: RETENTION_MONTHS}, force=True)
    today = dt.date.today()
    per = SESSIONS // len(demo)
    out = {}
    for slug, first in demo.items():
        rows = await Session.select().where(Session.initiative == first["initiative"]).order_by(Session.id)
        for i in range(len(rows), per):
            await create_session(
                first["initiative"],
                first["questionnaire_version"],
                audience=first["audience"],
                phase=first["phase"],
                site=f"Site {i % 12 + 1}",
                held_on=today - dt.timedelta(days=int((per - 1 - i) * 365 * YEARS / per)),
            )
        rows = await Session.select().where(Session.initiative == first["initiative"]).order_by(Session.id)
        codebook = await current_codebook(first["initiative"])
        out[slug] = {
            "initiative": first["initiative"],
            "version": first["questionnaire_version"],
            "audience": first["audience"],
            "token": first["token"],
            "sessions": [(r["id"], r["held_on"] or today) for r in rows],
            "definition": await definition_of(first["questionnaire_version"]),
            "codebook_version": codebook.version,
            "themes": [t.key for t in codebook.themes] or ["other"],
        }
    return out


def _rows(plan: dict, total: int, first_response: int, first_answer: int, rng: random.Random):
    """Chunks of (responses, answers, analyses, themes, decisions) tuples, ids given."""
    from surveys.demo import DEMO_TEXTS, WEIGHTS

    now = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
    slugs = list(plan)
    choices = {}
    for slug in slugs:
        pages = []
        for page in plan[slug]["definition"].pages:
            q = page.question
            if q.type == "text":
                pages.append((page.answer_key, None))
                continue
            ordered = sorted((o for o in q.options if not o.aside), key=lambda o: -(o.value or 0))
            pages.append((page.answer_key, (ordered, WEIGHTS[: len(ordered)])))
        choices[slug] = pages
    response_id, answer_id = first_response, first_answer
    for start in range(0, total, CHUNK):
        responses, answers, analyses, themes, decisions = [], [], [], [], []
        for n in range(start, min(total, start + CHUNK)):
            slug = slugs[n % len(slugs)]
            p = plan[slug]
            session, held_on = rng.choice(p["sessions"])
            hour = dt.datetime.combine(held_on, dt.time(9), tzinfo=dt.UTC) + dt.timedelta(hours=rng.randint(0, 71))
            hour = min(hour, now)
            way = "tablet" if p["audience"] == "child" else "phone"
            responses.append(
                (
                    response_id,
                    p["initiative"],
                    session,
                    p["version"],
                    str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    "en",
                    hour,
                    way,
                )
            )
            written = rng.random() < TEXT_SHARE
            for key, offered in choices[slug]:
                if offered is None:
                    if not written:
                        continue
                    texts = [t for t in DEMO_TEXTS["child" if p["audience"] == "child" else "parent"] if t]
                    answers.append((answer_id, response_id, key, None, None, rng.choice(texts), rng.random() < 0.7))
                    analyses.append((answer_id, p["codebook_version"], round(rng.uniform(-1, 1), 2), 0.5, hour))
                    if rng.random() < 0.5:
                        themes.append((answer_id, rng.choice(p["themes"]), p["codebook_version"]))
                    if rng.random() < 0.02:
                        decisions.append(
                            (
                                answer_id,
                                1,
                                "approved" if rng.random() < 0.7 else "rejected",
                                answers[-1][5],
                                EMAIL,
                                hour,
                            )
                        )
                else:
                    option = rng.choices(offered[0], weights=offered[1])[0]
                    answers.append((answer_id, response_id, key, option.key, option.value, None, False))
                answer_id += 1
            response_id += 1
        yield responses, answers, analyses, themes, decisions


TABLES = {
    "response": (
        "id",
        "initiative",
        "session",
        "questionnaire_version",
        "submission_id",
        "language",
        "submitted_hour",
        "way",
    ),
    "answer": ("id", "response", "question_key", "option_key", "value", "text", "quote_consent"),
    "answer_analysis": ("answer", "codebook_version", "polarity", "subjectivity", "themed_at"),
    "answer_theme": ("answer", "theme_key", "codebook_version"),
    "quote_revision": ("answer", "number", "status", "text", "decided_by", "decided_at"),
}


async def _max_ids() -> tuple[int, int]:
    from surveys.tables import Answer, Response

    r = await Response.raw("SELECT COALESCE(MAX(id), 0) AS n FROM response")
    a = await Answer.raw("SELECT COALESCE(MAX(id), 0) AS n FROM answer")
    return int(r[0]["n"]), int(a[0]["n"])


async def _load(plan: dict, total: int) -> None:
    """Bulk-load ``total`` responses with their answers, analyses, themes and a few decisions."""
    first_response, first_answer = await _max_ids()
    chunks = _rows(plan, total, first_response + 1, first_answer + 1, random.Random(2026))
    url = os.environ["DATABASE_URL"]
    if _engine() == "sqlite":
        import sqlite3

        connection = sqlite3.connect(url[len("sqlite:///") :])
        connection.execute("PRAGMA synchronous = OFF")

        def cell(v):
            if isinstance(v, dt.datetime):
                return v.isoformat(sep=" ")
            return int(v) if isinstance(v, bool) else v

        for chunk in chunks:
            for (table, columns), rows in zip(TABLES.items(), chunk):
                connection.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",  # nosec B608
                    [tuple(cell(v) for v in row) for row in rows],
                )
            connection.commit()
        connection.execute("ANALYZE")
        connection.commit()
        connection.close()
        return
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        for chunk in chunks:
            async with connection.transaction():
                for (table, columns), rows in zip(TABLES.items(), chunk):
                    if table == "response":
                        rows = [(*r[:4], uuid.UUID(r[4]), *r[5:]) for r in rows]
                    await connection.copy_records_to_table(table, records=rows, columns=columns)
        for table in ("response", "answer"):
            await connection.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"  # nosec B608
            )
        await connection.execute("ANALYZE")
    finally:
        await connection.close()


async def _fresh(total: int, reuse: bool) -> dict:
    from surveys.tables import TABLES as SURVEY_TABLES
    from surveys.tables import Initiative, Response
    from voice.tables import TABLES as VOICE_TABLES

    if _engine() == "postgresql" and not reuse:
        from surveys.schema import migrate

        await migrate()
        names = ", ".join(t._meta.tablename for t in reversed(SURVEY_TABLES + VOICE_TABLES))
        await Initiative.raw(f"TRUNCATE {names} RESTART IDENTITY CASCADE")  # nosec B608
    plan = await _setup()
    have = await Response.count()
    if have < total:
        started = time.perf_counter()
        await _load(plan, total - have)
        print(f"  loaded {total - have:,} responses in {time.perf_counter() - started:.0f} s", flush=True)
    else:
        print(f"  reusing {have:,} responses", flush=True)
        if _engine() == "sqlite":  # statistics for indexes a migration just made, as after a load
            await Response.raw("ANALYZE")
    return plan


# --- the baselines: the bare SQL each page needs ------------------------------------------------


def _baselines(plan: dict) -> dict[str, list[tuple[str, tuple]]]:
    """The bare SQL each page needs: its counts summed from the tallies the database keeps
    (``surveys.tallies``), one page of the rows it lists."""
    p = plan[SLUG]
    i = p["initiative"]
    by_option = (
        "SELECT questionnaire_version, question_key, option_key, SUM(n) AS n FROM answer_tally "
        "WHERE initiative = {} GROUP BY questionnaire_version, question_key, option_key",
        (i,),
    )
    live = ("SELECT session, way, SUM(n) AS n FROM response_tally WHERE initiative = {} GROUP BY session, way", (i,))
    count = ("SELECT SUM(n) AS n FROM response_tally WHERE initiative = {}", (i,))
    themes = ("SELECT theme_key, SUM(n) AS n FROM theme_tally WHERE initiative = {} GROUP BY theme_key", (i,))
    return {
        # The answers counted by option, and the responses counted by session and way (live counts).
        "initiative page": [by_option, live],
        # How many sessions, and one page of them newest first with their questionnaire.
        "sessions": [
            ("SELECT COUNT(*) AS n FROM survey_session WHERE initiative = {}", (i,)),
            (
                "SELECT s.*, v.number, q.title FROM survey_session s JOIN questionnaire_version v "
                "ON v.id = s.questionnaire_version JOIN questionnaire q ON q.id = v.questionnaire "
                "WHERE s.initiative = {} ORDER BY s.held_on DESC, s.id DESC LIMIT 25",
                (i,),
            ),
        ],
        # A page of written answers, newest first; how many wait (written, less those decided); themes.
        "quotes": [
            (
                "SELECT a.id, a.text, r.submitted_hour FROM answer a JOIN response r ON r.id = a.response "
                "WHERE r.initiative = {} AND a.text IS NOT NULL ORDER BY a.response DESC, a.id DESC LIMIT 25",
                (i,),
            ),
            ("SELECT SUM(written) AS n FROM answer_tally WHERE initiative = {}", (i,)),
            (
                "SELECT COUNT(DISTINCT q.answer) AS n FROM quote_revision q WHERE (SELECT r.initiative FROM answer a "
                "JOIN response r ON r.id = a.response WHERE a.id = q.answer AND a.text IS NOT NULL) = {}",
                (i,),
            ),
            themes,
        ],
        # The count, and one page of responses newest first.
        "responses": [
            ("SELECT COUNT(*) AS n FROM response WHERE initiative = {}", (i,)),
            (
                "SELECT r.id, r.submitted_hour, s.site FROM response r JOIN survey_session s ON s.id = r.session "
                "WHERE r.initiative = {} ORDER BY r.submitted_hour DESC, r.id DESC LIMIT 25",
                (i,),
            ),
        ],
        # The answers counted by option (every summary is built on it) and the themes.
        "summary": [count, by_option, themes],
        # People reached: responses by audience and distinct participant codes; the headlines.
        "reach": [
            (
                "SELECT s.audience, SUM(r.n) AS n FROM response_tally r JOIN survey_session s ON s.id = r.session "
                "WHERE r.initiative = {} GROUP BY s.audience",
                (i,),
            ),
            (
                "SELECT COUNT(DISTINCT pseudonym) AS n FROM response WHERE initiative = {} AND pseudonym IS NOT NULL",
                (i,),
            ),
            by_option,
        ],
        # The session a kiosk opens, with its questionnaire version.
        "kiosk API session": [
            (
                "SELECT s.id, s.token, v.definition FROM survey_session s JOIN questionnaire_version v "
                "ON v.id = s.questionnaire_version WHERE s.token = {}",
                (p["token"],),
            ),
        ],
    }


def _row_counts(plan: dict) -> dict[str, list[tuple[str, tuple]]]:
    """For scale: the same counts made from the rows themselves, as the pages made them before
    the tallies (a page that lists rows only is left out)."""
    i = plan[SLUG]["initiative"]
    by_option = (
        "SELECT a.question_key, a.option_key, COUNT(*) AS n FROM answer a "
        "WHERE a.response IN (SELECT id FROM response WHERE initiative = {}) GROUP BY a.question_key, a.option_key",
        (i,),
    )
    live = (
        "SELECT session, way, COUNT(*) AS n FROM response WHERE initiative = {} "
        "GROUP BY questionnaire_version, session, way",
        (i,),
    )
    themes = (
        "SELECT t.theme_key, COUNT(*) AS n FROM answer_theme t JOIN answer a ON a.id = t.answer "
        "JOIN response r ON r.id = a.response WHERE r.initiative = {} GROUP BY t.theme_key",
        (i,),
    )
    count = ("SELECT COUNT(*) AS n FROM response WHERE initiative = {}", (i,))
    return {
        "initiative page": [by_option, live],
        "summary": [count, by_option, themes],
        "reach": [
            (
                "SELECT s.audience, COUNT(*) AS n FROM response r JOIN survey_session s ON s.id = r.session "
                "WHERE r.initiative = {} GROUP BY s.audience",
                (i,),
            ),
            by_option,
        ],
        "quotes": [
            themes,
            (
                "SELECT COUNT(*) AS n FROM answer a JOIN response r ON r.id = a.response WHERE r.initiative = {} "
                "AND a.text IS NOT NULL AND NOT EXISTS (SELECT 1 FROM quote_revision q WHERE q.answer = a.id)",
                (i,),
            ),
        ],
    }


def _paths(plan: dict) -> dict[str, str]:
    return {
        "initiative page": f"/lead/{SLUG}/",
        "sessions": f"/lead/{SLUG}/sessions",
        "quotes": f"/lead/{SLUG}/quotes",
        "responses": f"/lead/{SLUG}/responses/",
        "summary": f"/lead/{SLUG}/summary/",
        "reach": f"/lead/{SLUG}/reach/",
        "kiosk API session": f"/api/v1/sessions/{plan[SLUG]['token']}",
    }


async def _time_sql(queries: list[tuple[str, tuple]], rounds: int) -> float:
    from surveys.tables import Response

    times = []
    for _ in range(rounds + 1):  # the first is a warm-up
        started = time.perf_counter()
        for sql, args in queries:
            await Response.raw(sql, *args)
        times.append(time.perf_counter() - started)
    return min(times[1:]) * 1000


def _time_page(client, path: str, rounds: int) -> tuple[float, int, int]:
    """Fastest of ``rounds`` GETs (after a warm-up) in ms, the body's size and the status."""
    times, size, status = [], 0, 200
    for _ in range(rounds + 1):
        started = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - started)
        if response.status_code != 200:
            print(f"  {path} answered {response.status_code}", flush=True)
            return min(times) * 1000, len(response.content), response.status_code
        size = len(response.content)
    return min(times[1:]) * 1000, size, status


def _sign_in(client) -> None:
    form = client.get("/lead/login")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', form.text).group(1)
    response = client.post("/lead/login", data={"email": EMAIL, "password": PASSWORD, "_csrf_token": token})
    if response.status_code != 303:
        raise SystemExit(f"sign-in answered {response.status_code}")


async def _measure(plan: dict, rounds: int, pages: set[str] | None) -> list[dict]:
    import httpx

    from bench.servers import Server, environment
    from surveys.tables import Initiative

    env = environment(os.environ["DATABASE_URL"], os.environ.get("HEARD_DATA_DIR"))
    log = Path(env["HEARD_DATA_DIR"]) / "bench-server.log"
    engine = Initiative._meta.db
    await engine.start_connection_pool()
    results = []
    try:
        with (
            Server("frontend.app:create_app", env, log=log) as server,
            httpx.Client(base_url=server.url, timeout=120) as client,
        ):
            _sign_in(client)
            # The floor: the cheapest request the app answers (one COUNT of initiatives), for scale.
            floor_ms, _, _ = _time_page(client, "/healthz", rounds)
            print(f"  HTTP floor (/healthz): {floor_ms:.2f} ms", flush=True)
            baselines, paths, row_counts = _baselines(plan), _paths(plan), _row_counts(plan)
            for name, path in paths.items():
                if pages and name not in pages:
                    continue
                base_ms = await _time_sql(baselines[name], rounds)
                rows_ms = await _time_sql(row_counts[name], 1) if name in row_counts else None
                page_ms, size, status = _time_page(client, path, rounds)
                ratio = page_ms / base_ms
                row = {
                    "page": name,
                    "path": path,
                    "baseline_ms": round(base_ms, 2),
                    "row_count_ms": None if rows_ms is None else round(rows_ms, 1),
                    "page_ms": round(page_ms, 2),
                    "ratio": round(ratio, 2),
                    "bytes": size,
                    "status": status,
                    "floor_ms": round(floor_ms, 2),
                    "meets": status == 200 and ratio <= RATIO_TARGET and page_ms <= MS_TARGET,
                }
                print(
                    f"  {name:18} SQL {base_ms:8.2f} ms  page {page_ms:8.2f} ms  {ratio:6.2f}x  "
                    f"{'ok' if row['meets'] else 'MISSES'}",
                    flush=True,
                )
                results.append(row)
    finally:
        await engine.close_connection_pool()
        if any(r["status"] != 200 for r in results) and log.exists():
            print(log.read_text()[-3000:], flush=True)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sqlite", help="SQLite file to load into and keep (reused if already loaded)")
    parser.add_argument("--reuse", action="store_true", help="on PostgreSQL, keep what DATABASE_URL holds")
    parser.add_argument("--pages", help="comma-separated page names to time (default: all)")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--quick", action="store_true", help="100,000 responses, 3 rounds")
    args = parser.parse_args()
    if args.quick:
        args.responses, args.rounds = 100_000, 3
    with tempfile.TemporaryDirectory(prefix="heard-bench-") as folder:
        if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
            os.environ["DATABASE_URL"] = f"sqlite:///{args.sqlite or Path(folder) / 'bench.sqlite3'}"
        os.environ.setdefault("HEARD_DATA_DIR", folder)
        print(f"{args.responses:,} responses on {_engine()}", flush=True)

        async def go():
            plan = await _fresh(args.responses, args.reuse or bool(args.sqlite))
            return await _measure(plan, args.rounds, set(args.pages.split(",")) if args.pages else None)

        pages = asyncio.run(go())
    figures = {"engine": _engine(), "responses": args.responses, "rounds": args.rounds, "pages": pages}
    if args.json:
        path = Path(args.json)
        # One file holds both engines: each run replaces its own engine's figures.
        previous = json.loads(path.read_text()) if path.exists() else []
        previous = previous if isinstance(previous, list) else [previous]
        if args.pages:  # some pages timed again: keep this engine's other pages
            timed = {r["page"] for r in pages}
            for r in previous:
                if r["engine"] == _engine():
                    figures["pages"] = [
                        q if q["page"] not in timed else next(n for n in pages if n["page"] == q["page"])
                        for q in r["pages"]
                    ]
        previous = [r for r in previous if r["engine"] != _engine()]
        path.write_text(json.dumps(sorted([*previous, figures], key=lambda r: r["engine"] != "sqlite"), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
