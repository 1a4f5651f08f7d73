"""Databases and app processes for benchmarks and soak tests, on loopback only.

Each run gets a fresh database (a temporary SQLite file, or a new PostgreSQL database created on
the server named by ``HEARD_BENCH_POSTGRES_URL``), so figures never depend on leftovers.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("HEARD_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _pg(url: str, sql: str):
    import asyncpg

    connection = await asyncpg.connect(url, timeout=10)
    try:
        return await connection.fetchval(sql)
    finally:
        await connection.close()


@contextmanager
def fresh_database(engine: str):
    """Yield a DATABASE_URL for a new, empty database; drop it afterwards."""
    if engine == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="heard-bench-"))
        yield f"sqlite:///{folder / 'heard.sqlite3'}"
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()
        return
    name = f"heard_bench_{os.getpid()}_{secrets.token_hex(3)}"
    asyncio.run(_pg(POSTGRES_URL, f'CREATE DATABASE "{name}"'))
    try:
        yield urlunparse(urlparse(POSTGRES_URL)._replace(path=f"/{name}"))
    finally:
        asyncio.run(_pg(POSTGRES_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def count(database_url: str, sql: str) -> int:
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url[len("sqlite:///"):]) as connection:
            return connection.execute(sql).fetchone()[0]
    return asyncio.run(_pg(database_url, sql))


def environment(database_url: str, data_dir: str | None = None) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "HEARD_DATA_DIR": data_dir or tempfile.mkdtemp(prefix="heard-bench-data-"),
        "HEARD_SECRET_KEY": os.environ.get("HEARD_SECRET_KEY") or secrets.token_urlsafe(32),
        "PYTHONPATH": str(ROOT),
    }


SEED = """
import asyncio, sys
from surveys.schema import migrate
from surveys.demo import ensure_demo_sessions
from surveys.sessions import create_session

async def seed(extra):
    anew = (await ensure_demo_sessions())["anew"]
    tokens = [anew["token"]]
    for i in range(extra):
        row = await create_session(anew["initiative"], anew["questionnaire_version"], audience="parent",
                                   phase="after", site=f"Bench site {i}")
        tokens.append(row["token"])
    print(" ".join(tokens))

asyncio.run(migrate())
asyncio.run(seed(int(sys.argv[1])))
"""


def prepare(env: dict[str, str], sessions: int = 1) -> list[str]:
    """Migrate the database and make ``sessions`` ANEW sessions (the demo one first); their tokens.

    Respondent routes are rate-limited per session, so load spread over many sessions is what a
    busy service sees (many families at many sessions), not one session hammered.
    """
    out = subprocess.run([sys.executable, "-c", SEED, str(sessions - 1)], env=env, capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return out.stdout.strip().splitlines()[-1].split()


class Server:
    """An app process tree (uvicorn, ``workers`` processes) on a free loopback port."""

    def __init__(self, app: str, env: dict[str, str], *, workers: int = 1, factory: bool = True,
                 port: int | None = None, log: Path | None = None) -> None:
        self.app, self.env, self.workers, self.factory = app, env, workers, factory
        self.port = port or free_port()
        self.log_path = log
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, wait_path: str = "/healthz", timeout: float = 30) -> Server:
        args = [sys.executable, "-m", "uvicorn", self.app, "--host", "127.0.0.1", "--port", str(self.port),
                "--workers", str(self.workers), "--no-access-log", "--log-level", "warning"]
        if self.factory:
            args.append("--factory")
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
        self.process = subprocess.Popen(args, env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(self.url + wait_path, timeout=1):
                    return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{self.app} did not start on port {self.port}") from None
                time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL the whole process group: the app dies mid-request, as in a crash."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, 9)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
