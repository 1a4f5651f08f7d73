"""Database engines for Heard: SQLite (embedded default) and PostgreSQL (production, scale-out).

SQLite allows one writer at a time. Piccolo's stock engine opens a new connection per query and
lets every request race for the write lock, which measured p99 over a second at 32 concurrent
submissions. So, in the style of datasette's single writer, each app process keeps:

* one long-lived **writer** connection, used under an asyncio lock, whose transactions begin
  ``IMMEDIATE`` (they take the write lock up front instead of failing half-way with "database is
  locked"), and
* a few long-lived **reader** connections that WAL lets run alongside the writer.

Several processes may share one SQLite file: WAL plus a busy timeout makes their writers queue.
Outside a running app (scripts, migrations, tests poking the database) no pool is open and the
engine behaves exactly like Piccolo's own.

PostgreSQL uses Piccolo's engine with an asyncpg pool opened and closed with the app.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import aiosqlite
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory

DEFAULT_DATA_DIR = "data"
SQLITE_FILE = "heard.sqlite3"
BUSY_TIMEOUT_SECONDS = 30.0
READERS = 4


def data_dir() -> Path:
    """Where Heard keeps its files (SQLite database, key files): ``HEARD_DATA_DIR`` or ``./data``."""
    return Path(os.environ.get("HEARD_DATA_DIR") or DEFAULT_DATA_DIR)


def database_url() -> str:
    """``DATABASE_URL``, defaulting to a SQLite file in the data directory."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{data_dir() / SQLITE_FILE}"


def engine_from_url(url: str) -> Engine:
    """Build the engine a ``DATABASE_URL`` names: ``sqlite:///path`` or ``postgresql://…``."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        # sqlite:///relative/path and sqlite:////absolute/path, as SQLAlchemy spells them.
        path = unquote(url[len("sqlite:///") :]) if url.startswith("sqlite:///") else ""
        if not path or path == ":memory:":
            raise ValueError("DATABASE_URL for SQLite must name a file, e.g. sqlite:///data/heard.sqlite3")
        return HeardSQLiteEngine(path=path)
    if parsed.scheme in ("postgresql", "postgres"):
        return HeardPostgresEngine(config={"dsn": url})
    raise ValueError(f"DATABASE_URL must start with sqlite:/// or postgresql://, not {parsed.scheme!r}")


def is_sqlite(engine: Engine) -> bool:
    return engine.engine_type == "sqlite"


def _running_loop_is(loop: asyncio.AbstractEventLoop | None) -> bool:
    """Whether code is running on ``loop`` (a pool's connections belong to the loop that opened them)."""
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


def _is_read(sql: str) -> bool:
    head = sql.lstrip()[:6].upper()
    return head.startswith("SELECT") or head.startswith("WITH")


@dataclass
class _Pool:
    """The connections one app process holds open, bound to the event loop that opened them."""

    loop: asyncio.AbstractEventLoop
    writer: aiosqlite.Connection
    readers: asyncio.Queue[aiosqlite.Connection]
    all_readers: list[aiosqlite.Connection] = field(default_factory=list)
    write_lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class WriterTransaction(SQLiteTransaction):
    """A transaction on the process's single writer connection, when the pool is open."""

    _pool: _Pool | None = None

    async def __aenter__(self) -> SQLiteTransaction:
        if self._parent is not None:
            return self._parent
        pool = self.engine.open_pool()
        if pool is None:
            return await super().__aenter__()
        await pool.write_lock.acquire()
        self._pool = pool
        self.connection = pool.writer
        try:
            await self.begin()
        except BaseException:
            pool.write_lock.release()
            raise
        self.context = self.engine.current_transaction.set(self)
        return self

    async def __aexit__(self, exception_type, exception, traceback) -> bool:
        if self._parent:
            return exception is None
        if self._pool is None:
            return await super().__aexit__(exception_type, exception, traceback)
        try:
            if exception:
                if not self._rolled_back:
                    await self.rollback()
            elif not self._committed and not self._rolled_back:
                await self.commit()
        finally:
            self.engine.current_transaction.reset(self.context)
            self._pool.write_lock.release()
        return exception is None


class HeardSQLiteEngine(SQLiteEngine):
    """Piccolo's SQLite engine with one writer and pooled readers per app process (see module doc)."""

    def __init__(self, path: str, readers: int = READERS) -> None:
        super().__init__(path=path, timeout=BUSY_TIMEOUT_SECONDS)
        self._reader_count = readers
        self._pool: _Pool | None = None

    # -- pool lifecycle (the same names as Piccolo's PostgresEngine, so the app treats both alike)

    async def _connect(self) -> aiosqlite.Connection:
        connection = await aiosqlite.connect(**self.connection_kwargs)
        connection.row_factory = dict_factory  # type: ignore[assignment]
        await connection.execute("PRAGMA foreign_keys = ON")
        # WAL needs fsync only at checkpoints with synchronous=NORMAL: still durable across an app
        # crash (a power cut may lose the last commits, never corrupt the file).
        await connection.execute("PRAGMA synchronous = NORMAL")
        return connection

    async def start_connection_pool(self, **_: Any) -> None:
        if self.open_pool() is not None:
            return
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        writer = await self._connect()
        await writer.execute("PRAGMA journal_mode = WAL")
        readers: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        pool = _Pool(loop=asyncio.get_running_loop(), writer=writer, readers=readers)
        for _ in range(self._reader_count):
            reader = await self._connect()
            pool.all_readers.append(reader)
            readers.put_nowait(reader)
        self._pool = pool

    async def close_connection_pool(self) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        for connection in [pool.writer, *pool.all_readers]:
            await connection.close()

    def open_pool(self) -> _Pool | None:
        """The pool, if one is open on the running event loop."""
        pool = self._pool
        return pool if pool is not None and _running_loop_is(pool.loop) else None

    # -- query routing

    async def _run_in_new_connection(
        self, query: str, args: list[Any] | None = None, query_type: str = "generic", table=None
    ):
        pool = self.open_pool()
        if pool is None:
            return await super()._run_in_new_connection(query, args, query_type, table)
        if _is_read(query):
            connection = await pool.readers.get()
            try:
                async with connection.execute(query, args or []) as cursor:
                    return await cursor.fetchall()
            finally:
                pool.readers.put_nowait(connection)
        async with pool.write_lock:
            # isolation_level=None: the statement commits on its own.
            async with pool.writer.execute(query, args or []) as cursor:
                return await cursor.fetchall()

    async def _run_in_existing_connection(
        self, connection, query: str, args: list[Any] | None = None, query_type: str = "generic", table=None
    ):
        pool = self.open_pool()
        if pool is None or connection is not pool.writer:
            return await super()._run_in_existing_connection(connection, query, args, query_type, table)
        # Piccolo re-sends "PRAGMA foreign_keys" before every statement; the pooled writer set it
        # once when it connected, and a round trip saved here is one less inside the write lock.
        async with connection.execute(query, args or []) as cursor:
            return await cursor.fetchall()

    def transaction(
        self,
        transaction_type: TransactionType = TransactionType.immediate,
        allow_nested: bool = True,
    ) -> SQLiteTransaction:
        """A write transaction: ``BEGIN IMMEDIATE`` on the writer connection unless told otherwise."""
        return WriterTransaction(engine=self, transaction_type=transaction_type, allow_nested=allow_nested)


def set_wal(path: str | os.PathLike[str]) -> None:
    """Put a SQLite file in WAL mode (persistent in the file), creating its folder."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS) as connection:
        connection.execute("PRAGMA journal_mode = WAL")
    connection.close()


class HeardPostgresEngine(PostgresEngine):
    """Piccolo's PostgreSQL engine, using its pool only from the event loop that opened it.

    An asyncpg pool belongs to one event loop; a script or test that runs queries on another
    loop while the app's pool is open gets a fresh connection instead of a broken one.
    """

    @property  # type: ignore[override]
    def pool(self):
        pool = self.__dict__.get("_pool")
        return pool if pool is not None and _running_loop_is(getattr(pool, "_loop", None)) else None

    @pool.setter
    def pool(self, value) -> None:
        self.__dict__["_pool"] = value


def backup_sqlite(source: str | os.PathLike[str], destination: str | os.PathLike[str]) -> int:
    """Copy a live SQLite database consistently (SQLite's online backup API); return its pages.

    Safe while the service runs: the copy is a snapshot of one moment, writers carry on.
    """
    Path(destination).parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source, timeout=BUSY_TIMEOUT_SECONDS) as src, sqlite3.connect(destination) as dst:
        src.backup(dst, pages=1024)
        pages = dst.execute("PRAGMA page_count").fetchone()[0]
        if dst.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise RuntimeError(f"the backup in {destination} failed its integrity check")
    src.close()
    dst.close()
    return pages
