"""One suite, two engines.

The engine is chosen here, from the environment, before anything touches the database:

* ``HEARD_TEST_DATABASE_URL=postgresql://…`` runs every database test on a fresh PostgreSQL
  database created on that server for this run (and dropped after). If the server can't be
  reached, the run fails: a missing PostgreSQL is never a silent skip.
* otherwise every database test runs on a SQLite file in a temporary folder.

Tests drive the real app over HTTP (Litestar's test client, or a real server for the browser
tests) against that real database; tables are migrated once per run and emptied between tests.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest

from tests.support import run

RUN_DIR = Path(tempfile.mkdtemp(prefix="heard-tests-"))
PG_SOURCE = os.environ.get("HEARD_TEST_DATABASE_URL", "")
PG_DATABASE = f"heard_test_{os.getpid()}_{secrets.token_hex(3)}"


def _with_database(url: str, name: str) -> str:
    parts = urlparse(url)
    return urlunparse(parts._replace(path=f"/{name}"))


async def _pg(url: str, sql: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url, timeout=10)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


if PG_SOURCE:
    if not PG_SOURCE.startswith(("postgresql://", "postgres://")):
        raise SystemExit("HEARD_TEST_DATABASE_URL must be a postgresql:// URL")
    asyncio.run(_pg(PG_SOURCE, f'CREATE DATABASE "{PG_DATABASE}"'))
    os.environ["DATABASE_URL"] = _with_database(PG_SOURCE, PG_DATABASE)
else:
    os.environ["DATABASE_URL"] = f"sqlite:///{RUN_DIR / 'heard.sqlite3'}"
os.environ["HEARD_DATA_DIR"] = str(RUN_DIR / "data")
os.environ["HEARD_SECRET_KEY"] = "test-secret-" + secrets.token_hex(16)
os.environ["HEARD_BASE_URL"] = "http://127.0.0.1:8000"
ENGINE_NAME = "postgresql" if PG_SOURCE else "sqlite"


def pytest_report_header(config):
    return f"heard database engine: {ENGINE_NAME} ({os.environ['DATABASE_URL']})"


def pytest_sessionfinish(session, exitstatus):
    # Print which engine ran, so CI logs show both passes happened.
    print(f"\nheard: tests ran on {ENGINE_NAME}")
    if PG_SOURCE:
        try:
            asyncio.run(_pg(PG_SOURCE, f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)'))
        except Exception as e:  # noqa: BLE001 - cleanup must not hide the run's result
            print(f"heard: could not drop {PG_DATABASE}: {e}")
    shutil.rmtree(RUN_DIR, ignore_errors=True)


@pytest.fixture(scope="session")
def migrated():
    from surveys.schema import migrate

    run(migrate())
    return ENGINE_NAME


async def _empty_tables() -> None:
    from surveys.tables import TABLES, Initiative
    from voice.tables import TABLES as VOICE_TABLES

    engine = Initiative._meta.db
    # Voice tables point at survey tables, so they are emptied first.
    names = [t._meta.tablename for t in [*reversed(VOICE_TABLES), *reversed(TABLES)]]
    if engine.engine_type == "postgres":
        import asyncpg

        # A background writer of the test before (theming, drafts) may still be finishing a
        # transaction: TRUNCATE then deadlocks with it and loses. Wait and try again.
        for attempt in range(10):
            try:
                await Initiative.raw(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE")
                break
            except asyncpg.exceptions.DeadlockDetectedError:
                if attempt == 9:
                    raise
                await asyncio.sleep(0.5)
    else:
        for name in names:
            await Initiative.raw(f"DELETE FROM {name}")


@pytest.fixture
def db(migrated):
    """An empty, migrated database with the three initiatives and their default questionnaires."""
    from surveys.db import forget_kept
    from surveys.demo import ensure_demo_initiatives

    run(_empty_tables())
    forget_kept()  # the rows emptied above may be cached (a real process never swaps its database)
    run(ensure_demo_initiatives())
    return migrated


@pytest.fixture
def empty_db(migrated):
    """A migrated database with nothing in it, as a new service starts: no initiative at all."""
    from surveys.db import forget_kept

    run(_empty_tables())
    forget_kept()
    return migrated


@pytest.fixture
def app(db):
    from frontend.app import create_app

    return create_app()


@pytest.fixture
def empty_client(empty_db):
    """The app over HTTP on a service that has just started: no initiative, no account."""
    from litestar.testing import TestClient

    from frontend.app import create_app

    with TestClient(create_app(), base_url=os.environ["HEARD_BASE_URL"]) as client:
        yield client


@pytest.fixture
def client(app):
    from litestar.testing import TestClient

    with TestClient(app=app, base_url="http://127.0.0.1:8000") as client:
        yield client




def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(migrated):
    """``uvicorn`` serving the app factory, on the test database, on a free loopback port."""
    port = _free_port()
    log = open(Path(os.environ["HEARD_DATA_DIR"]).parent / "server.log", "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "frontend.app:create_app", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--no-access-log"],
        env={**os.environ, "HEARD_BASE_URL": f"http://127.0.0.1:{port}"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("The test server did not start; see server.log") from None
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(timeout=10)
    log.close()
