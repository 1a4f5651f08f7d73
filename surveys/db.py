"""Database engines for Heard: SQLite (embedded default) and PostgreSQL (production, scale-out).

SQLite allows one writer at a time. Piccolo's stock engine opens a new connection per query and
lets every request race for the write lock, which measured p99 over a second at 32 concurrent
submissions. So, in the style of datasette's single writer, each app process keeps:

* one long-lived **writer** connection, used under an asyncio lock, whose transactions begin
  ``IMMEDIATE`` (they take the write lock up front instead of failing half-way with "database is
  locked"), and
* a few long-lived **reader** connections that WAL lets run alongside the writer.

The hot writes (a submission, a batch of theming) are short jobs (:func:`write`): on SQLite the
jobs waiting at one moment run together on the writer's thread in one transaction, each under
its own savepoint, with one commit (group commit); each trip to that thread costs far more than
the SQL it carries. Measured on 2 cores at 32 concurrent submissions (``bench/submissions.py``):
from 117 to about 1,200 submissions a second.

Several processes may share one SQLite file: WAL plus a busy timeout makes their writers queue.
Outside a running app (scripts, migrations, tests poking the database) no pool is open and the
engine behaves exactly like Piccolo's own.

PostgreSQL uses Piccolo's engine with an asyncpg pool opened and closed with the app; a
connection handed back to the pool is not sent asyncpg's reset statement (Heard keeps no session
state), so a one-statement submission is one round trip.
"""

from __future__ import annotations

import asyncio
import errno
import os
import socket
import sqlite3
import time
from collections.abc import Callable, Generator, Iterator, MutableMapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, TypeGuard, TypeVar
from urllib.parse import unquote, urlparse

import aiosqlite
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory
from piccolo.querystring import QueryString

DEFAULT_DATA_DIR = "data"
SQLITE_FILE = "heard.sqlite3"
BUSY_TIMEOUT_SECONDS = 30.0
READERS = 4
T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")


def data_dir() -> Path:
    """Where Heard keeps its files (SQLite database, key files): ``HEARD_DATA_DIR`` or ``./data``."""
    return Path(os.environ.get("HEARD_DATA_DIR") or DEFAULT_DATA_DIR)


def private_dir(path: str | os.PathLike[str]) -> Path:
    """A folder only its owner may enter (0700): created so, or tightened if it is the data folder.

    A folder Heard did not make and that is not its data folder (``/tmp`` holding a database a
    ``DATABASE_URL`` names) is left as it is.
    """
    path = Path(path)
    if not path.exists():
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(path, 0o700)  # mkdir's mode is masked by the umask
    elif path.resolve() == data_dir().resolve():
        os.chmod(path, 0o700)
    return path


def private_sqlite(path: str | os.PathLike[str]) -> None:
    """Make a SQLite database file owner-only (0600), creating it empty if it isn't there yet.

    SQLite creates a database's ``-wal`` and ``-shm`` files with the database file's own
    permissions, so they follow; any already there are tightened too. Its folder is made 0700.
    """
    path = Path(path)
    private_dir(path.parent)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))  # an empty file is an empty database
    for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if file.exists():
            os.chmod(file, 0o600)


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


_KEPT: list[MutableMapping] = []


_Cache = TypeVar("_Cache", bound=MutableMapping)


def kept(cache: _Cache) -> _Cache:
    """Register a process-wide cache of database rows, so :func:`forget_kept` can empty it."""
    _KEPT.append(cache)
    return cache


def forget_kept() -> None:
    """Empty every cache of database rows: the app does this when it starts on a database."""
    for cache in _KEPT:
        cache.clear()


_MISSING: Any = object()


class Recent(MutableMapping[K, V]):
    """Rows read lately, each kept for at most ``seconds`` and at most ``maxsize`` of them (the
    oldest go first), for the reads every request makes (a session, a stop-list).

    Each row is kept a little less than ``seconds``, between 80% and 100% of it, spread evenly
    in the order rows arrive: rows first read together (a warm-up, a busy moment) are then not
    all read again in the same instant, which under load was a burst of queries, and a request
    tail, every ``seconds``. A look-up is one dict look-up and one clock read.
    """

    def __init__(self, maxsize: int, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.maxsize, self.seconds, self.clock = maxsize, seconds, clock
        self._rows: dict[K, tuple[float, V]] = {}
        self._added = 0

    def get(self, key: K, default: Any = None) -> Any:
        row = self._rows.get(key)
        if row is None:
            return default
        if row[0] <= self.clock():
            self._rows.pop(key, None)
            return default
        return row[1]

    def __getitem__(self, key: K) -> V:
        value = self.get(key, _MISSING)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def __setitem__(self, key: K, value: V) -> None:
        self._added += 1
        share = 1.0 - 0.2 * ((self._added * 0.6180339887) % 1.0)  # golden-ratio steps: evenly spread
        self._rows.pop(key, None)
        self._rows[key] = (self.clock() + self.seconds * share, value)
        while len(self._rows) > self.maxsize:
            del self._rows[next(iter(self._rows))]

    def __delitem__(self, key: K) -> None:
        del self._rows[key]

    def __iter__(self) -> Iterator[K]:
        now = self.clock()
        return iter([key for key, (until, _) in self._rows.items() if until > now])

    def __len__(self) -> int:
        return len(list(iter(self)))

    def clear(self) -> None:
        self._rows.clear()


def is_unavailable(error: BaseException) -> bool:
    """Whether an error means the database can't be reached just now (down, restarting, or busy
    past the timeout): nothing was stored, and trying again shortly is the right thing to do.

    The error itself, what caused it (``raise … from``), what it happened while handling, and
    each error of an exception group are all looked at: a pool that fails to hand back a broken
    connection, or a handler that wraps the error, must not turn an outage into a 500.
    """
    seen: set[int] = set()
    todo: list[BaseException | None] = [error]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if _means_unavailable(current):
            return True
        todo += [current.__cause__, current.__context__, *getattr(current, "exceptions", ())]
    return False


# Errno values of a socket that could not reach the server, or lost it.
_NETWORK_ERRNOS = {errno.ECONNREFUSED, errno.ECONNRESET, errno.ECONNABORTED, errno.EPIPE, errno.ETIMEDOUT,
                   errno.EHOSTUNREACH, errno.ENETUNREACH, errno.ENETDOWN, errno.EADDRNOTAVAIL}
# asyncpg's InterfaceError for a connection that broke or a pool that is closing; the same class
# also reports programming mistakes (wrong argument count), which stay 500s.
_BROKEN_CONNECTION = ("connection is closed", "connection was closed", "another operation is in progress",
                      "pool is clos")


def _means_unavailable(error: BaseException) -> bool:
    if isinstance(error, sqlite3.OperationalError):
        return "locked" in str(error) or "busy" in str(error)
    # Refused, reset or timed out (TimeoutError also covers a pool that had no connection to give
    # in time); asyncio reports several refused addresses as one plain OSError.
    if isinstance(error, (ConnectionError, TimeoutError, socket.gaierror)):
        return True
    if type(error) is OSError and (error.errno in _NETWORK_ERRNOS or str(error).startswith("Multiple exceptions")):
        return True
    try:
        from asyncpg import exceptions as pg
    except ImportError:  # pragma: no cover - asyncpg comes with piccolo[postgres]
        return False
    if isinstance(error, (
        pg.PostgresConnectionError,  # class 08, and ConnectionDoesNotExistError
        pg.OperatorInterventionError,  # class 57: shutting down, starting up, cancelled by the server
        pg.InsufficientResourcesError,  # class 53: too many connections, disk full, out of memory
        pg.ReadOnlySQLTransactionError,  # a standby that has not yet been promoted
        pg.InternalClientError,  # a connection left in a broken state when the server went away
    )):
        return True
    return isinstance(error, pg.InterfaceError) and any(words in str(error) for words in _BROKEN_CONNECTION)


def is_sqlite(engine: Engine) -> TypeGuard[SQLiteEngine]:
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
    # Jobs waiting for the next shared write transaction (see HeardSQLiteEngine.write_together).
    waiting: list[tuple[Callable[[sqlite3.Connection], Any], asyncio.Future]] = field(default_factory=list)
    writing_together: bool = False
    writer_task: asyncio.Task | None = None  # kept referenced while it runs


def _fetch_all(connection: sqlite3.Connection, query: str, args: list[Any], begin: str | None = None) -> list:
    """Run one statement and fetch its rows, in one trip to a connection's thread.

    ``begin`` (e.g. ``"BEGIN IMMEDIATE"``) opens the transaction in the same trip, just before
    the transaction's first statement.
    """
    if begin is not None:
        connection.execute(begin)
    cursor = connection.execute(query, args)
    try:
        return cursor.fetchall()
    finally:
        cursor.close()


def _together(connection: sqlite3.Connection, jobs: list[Callable[[sqlite3.Connection], Any]]) -> list:
    """Run ``jobs`` in one IMMEDIATE transaction, each under its own savepoint; one commit for all.

    A job that raises is rolled back alone (its savepoint) and its exception returned in its place;
    if the transaction itself fails (begin or commit), every job fails with that error.
    """
    outcomes: list[tuple[bool, Any]] = []
    connection.execute("BEGIN IMMEDIATE")
    try:
        for job in jobs:
            connection.execute("SAVEPOINT job")
            try:
                outcomes.append((True, job(connection)))
            except Exception as error:  # noqa: BLE001 - handed back to the job's caller
                connection.execute("ROLLBACK TO job")
                outcomes.append((False, error))
            connection.execute("RELEASE job")
        connection.commit()
    except BaseException:
        _rollback_if_open(connection)
        raise
    return outcomes


def _rollback_if_open(connection: sqlite3.Connection) -> None:
    if connection.in_transaction:
        connection.rollback()


class WriterTransaction(SQLiteTransaction):
    """A transaction on the process's single writer connection, when the pool is open.

    Every trip to the writer's thread costs a thread switch each way, and the write lock is held
    across all of them, so they are kept few: ``BEGIN`` travels with the first statement, each
    statement fetches its rows in the same trip, and a transaction that ran nothing sends nothing.
    """

    engine: HeardSQLiteEngine  # only HeardSQLiteEngine.transaction makes one
    _pool: _Pool | None = None
    _begin_pending = False

    async def __aenter__(self) -> SQLiteTransaction:
        if self._parent is not None:
            return self._parent
        pool = self.engine.open_pool()
        if pool is None:
            return await super().__aenter__()
        await pool.write_lock.acquire()
        self._pool = pool
        self.connection = pool.writer
        self._begin_pending = True
        self.context = self.engine.current_transaction.set(self)
        return self

    async def run(self, query: str, args: list[Any]) -> list:
        begin = f"BEGIN {self.transaction_type.value}" if self._begin_pending else None
        self._begin_pending = False  # whether it succeeds or not, rollback checks the connection
        return await self.connection._execute(_fetch_all, self.connection._conn, query, args, begin)

    async def commit(self) -> None:
        if self._pool is None:
            return await super().commit()
        if not self._begin_pending:
            await self.connection._execute(self.connection._conn.commit)
        self._committed = True

    async def rollback(self) -> None:
        if self._pool is None:
            return await super().rollback()
        if not self._begin_pending:
            await self.connection._execute(_rollback_if_open, self.connection._conn)
        self._rolled_back = True

    async def savepoint(self, name: str | None = None):
        if self._begin_pending:
            await self.run("SELECT 1", [])
        return await super().savepoint(name)

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


class SecureDeleteConnection(sqlite3.Connection):
    """A SQLite connection that overwrites what it deletes with zeros (``secure_delete``, a
    per-connection setting): an erased answer or a deleted recording leaves no bytes in the
    database file's pages or its free list. Every connection Heard opens is one of these."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.execute("PRAGMA secure_delete = ON")


CHECKPOINT_TRIES = 50  # a reader still on an older snapshot makes a checkpoint wait; 0.1 s each
FORGET_WAITS = 50  # PostgreSQL: transactions older than a deletion, waited for 0.1 s at a time


def _checkpoint(connection: sqlite3.Connection) -> bool:
    """Copy the WAL into the database file and truncate it to nothing; True when it did."""
    busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return not busy


class HeardSQLiteEngine(SQLiteEngine):
    """Piccolo's SQLite engine with one writer and pooled readers per app process (see module doc)."""

    def __init__(self, path: str, readers: int = READERS) -> None:
        super().__init__(path=path, timeout=BUSY_TIMEOUT_SECONDS, factory=SecureDeleteConnection)
        self._reader_count = readers
        self._pool: _Pool | None = None

    # -- pool lifecycle (the same names as Piccolo's PostgresEngine, so the app treats both alike)

    async def _connect(self) -> aiosqlite.Connection:
        connection = await aiosqlite.connect(**self.connection_kwargs)
        connection.row_factory = dict_factory  # type: ignore[assignment]
        await connection.execute_fetchall("PRAGMA foreign_keys = ON")
        # WAL needs fsync only at checkpoints with synchronous=NORMAL: still durable across an app
        # crash (a power cut may lose the last commits, never corrupt the file).
        await connection.execute_fetchall("PRAGMA synchronous = NORMAL")
        return connection

    async def start_connection_pool(self, **_: Any) -> None:
        if self.open_pool() is not None:
            return
        private_sqlite(self.path)
        writer = await self._connect()
        await writer.execute_fetchall("PRAGMA journal_mode = WAL")  # fetched: an unfinished statement blocks savepoints
        readers: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        pool = _Pool(loop=asyncio.get_running_loop(), writer=writer, readers=readers)
        for _n in range(self._reader_count):
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

    async def checkpoint(self) -> bool:
        """Fold the WAL into the database file and truncate the WAL (see :func:`forget_deleted`).

        On the pool's writer, under its lock, so no write of this process is half-way; a reader
        of another process still reading an older snapshot makes it wait and try again."""
        pool = self.open_pool()
        for _ in range(CHECKPOINT_TRIES):
            if pool is None:
                connection = await self._connect()
                try:
                    done = await connection._execute(_checkpoint, connection._conn)
                finally:
                    await connection.close()
            else:
                async with pool.write_lock:
                    done = await pool.writer._execute(_checkpoint, pool.writer._conn)
            if done:
                return True
            await asyncio.sleep(0.1)
        return False

    # -- group commit

    async def write_together(self, job: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``job(connection)`` on the writer's thread, committed before this returns.

        Jobs that arrive while a transaction is being written wait and then go together, in one
        transaction and one trip to the writer's thread (group commit): under load a submission
        costs a savepoint, not a transaction of its own. A job is plain synchronous SQL and must
        be short. Outside a running app (no pool) the job runs alone on a connection of its own.
        """
        pool = self.open_pool()
        if pool is None:
            connection = await self._connect()
            try:
                [(ok, value)] = await connection._execute(_together, connection._conn, [job])
            finally:
                await connection.close()
        else:
            future = pool.loop.create_future()
            pool.waiting.append((job, future))
            if not pool.writing_together:
                pool.writing_together = True
                pool.writer_task = pool.loop.create_task(self._write_waiting(pool), name="heard-group-commit")
            ok, value = await future
        if not ok:
            raise value
        return value

    @staticmethod
    async def _write_waiting(pool: _Pool) -> None:
        try:
            while pool.waiting:
                batch, pool.waiting = pool.waiting, []
                try:
                    async with pool.write_lock:
                        outcomes = await pool.writer._execute(_together, pool.writer._conn, [j for j, _ in batch])
                except Exception as error:  # noqa: BLE001 - every job of the batch fails with it
                    outcomes = [(False, error)] * len(batch)
                for (_, waiting), outcome in zip(batch, outcomes):
                    if not waiting.done():
                        waiting.set_result(outcome)
        finally:
            pool.writing_together = False

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
                return await connection._execute(_fetch_all, connection._conn, query, args or [])
            finally:
                pool.readers.put_nowait(connection)
        async with pool.write_lock:
            # isolation_level=None: the statement commits on its own.
            return await pool.writer._execute(_fetch_all, pool.writer._conn, query, args or [])

    async def _run_in_existing_connection(
        self, connection, query: str, args: list[Any] | None = None, query_type: str = "generic", table=None
    ):
        pool = self.open_pool()
        if pool is None or connection is not pool.writer:
            return await super()._run_in_existing_connection(connection, query, args, query_type, table)
        # Piccolo re-sends "PRAGMA foreign_keys" before every statement; the pooled writer set it
        # once when it connected, and a round trip saved here is one less inside the write lock.
        transaction = self.current_transaction.get()
        if isinstance(transaction, WriterTransaction) and transaction.connection is connection:
            return await transaction.run(query, args or [])
        return await connection._execute(_fetch_all, connection._conn, query, args or [])

    def transaction(
        self,
        transaction_type: TransactionType = TransactionType.immediate,
        allow_nested: bool = True,
    ) -> SQLiteTransaction:
        """A write transaction: ``BEGIN IMMEDIATE`` on the writer connection unless told otherwise."""
        return WriterTransaction(engine=self, transaction_type=transaction_type, allow_nested=allow_nested)


Statement = tuple[str, Sequence[Any]]
WriteJob = Generator[Statement, Sequence[Any], T]


async def write(job: WriteJob[T], engine: Engine | None = None) -> T:
    """Run a short write job, all or nothing, on either engine; return what the job returns.

    A job is a generator that yields ``(sql, args)`` statements (``{}`` for each argument, the same
    SQL on both engines), gets each one's rows back, and returns its result. On SQLite it runs on
    the writer's thread in one trip, committed with whatever other jobs are waiting (group
    commit); on PostgreSQL in a transaction of its own. The hot write paths (submissions,
    theming) are written this way; everything else uses Piccolo's queries.
    """
    engine = engine or _default_engine()
    if isinstance(engine, HeardSQLiteEngine):
        return await engine.write_together(partial(_drive, job))
    pool = getattr(engine, "pool", None)
    if pool is not None and engine.current_transaction.get() is None:
        # PostgreSQL with the app's pool: straight to asyncpg, as fetch does (Piccolo's per-statement
        # processing cost more than the statements of a theming batch).
        async with pool.acquire() as connection:
            try:
                async with connection.transaction():
                    rows: Sequence[Any] | None = None
                    while True:
                        done, step = _step(job, rows)
                        if done:
                            return step
                        sql, args = step
                        rows = await connection.fetch(_numbered(sql), *args)
            except Exception as error:
                if is_unavailable(error):
                    connection.terminate()  # back to the pool closed, to be replaced, never reused broken
                raise
    async with engine.transaction():
        rows = None
        try:
            while True:
                sql, args = job.send(rows)  # type: ignore[arg-type]  # None first: it starts the generator
                rows = await engine.run_querystring(QueryString(sql, *args))
        except StopIteration as done:
            return done.value


async def fetch(sql: str, *args: Any, engine: Engine | None = None) -> Sequence[Any]:
    """Run one statement (``{}`` for each argument) and return its rows; for the hottest paths.

    On PostgreSQL with the app's pool open it goes straight to asyncpg, with the statement's
    numbered form worked out once: Piccolo's per-call query processing cost more than the round
    trip. Otherwise (SQLite, or no pool) it is Piccolo's raw query.
    """
    engine = engine or _default_engine()
    pool = getattr(engine, "pool", None) if not is_sqlite(engine) else None
    if pool is None or engine.current_transaction.get() is not None:
        return await engine.run_querystring(QueryString(sql, *args))
    async with pool.acquire() as connection:
        try:
            return await connection.fetch(_numbered(sql), *args)
        except Exception as error:
            if is_unavailable(error):
                connection.terminate()  # back to the pool closed, to be replaced, never reused broken
            raise


def marks(n: int) -> str:
    """``{}, {}, {}``: ``n`` placeholders (an ``IN (…)`` list); each engine numbers them its way."""
    return ", ".join(["{}"] * n)


def value_rows(n: int, width: int) -> str:
    """``({}, {}), ({}, {})``: placeholders for ``n`` rows of ``width`` values (a multi-row VALUES)."""
    row = f"({marks(width)})"
    return ", ".join([row] * n)


@lru_cache(maxsize=512)
def _numbered(sql: str) -> str:
    parts = sql.split("{}")
    return "".join(f"{part}${n}" for n, part in enumerate(parts[:-1], start=1)) + parts[-1]


def _step(job: WriteJob[T], rows: Sequence[Any] | None) -> tuple[bool, Any]:
    """The job's next statement ``(False, (sql, args))``, or ``(True, result)`` when it is done.

    Its end is caught here, not where it would pass through a transaction's ``async with`` (which
    would take the StopIteration for a failure and roll back)."""
    try:
        return False, job.send(rows)  # type: ignore[arg-type]  # None first: it starts the generator
    except StopIteration as finished:
        return True, finished.value


def _drive(job: WriteJob[T], connection: sqlite3.Connection) -> T:
    rows: list | None = None
    try:
        while True:
            sql, args = job.send(rows)  # type: ignore[arg-type]  # None first: it starts the generator
            # every row fetched: a statement left part-way would block the savepoint
            rows = _fetch_all(connection, sql.replace("{}", "?"), list(args))
    except StopIteration as done:
        return done.value


async def forget_deleted(*, rewrite: Sequence[str] = (), engine: Engine | None = None) -> bool:
    """Make what was just deleted unreadable in the database's files, not merely unlisted.

    SQLite: every connection zeroes deleted content (:class:`SecureDeleteConnection`), but the WAL
    still holds earlier copies of the pages (the row as it was inserted); a ``TRUNCATE``
    checkpoint writes the WAL back into the file and empties it. PostgreSQL: a deleted row's
    bytes stay in its table's pages until ``VACUUM`` reuses them (a plain ``VACUUM`` frees them
    but leaves them in pages that still hold live rows); ``VACUUM FULL`` rewrites the table into
    new files, but copies rows an older transaction may still see, so it first waits (a few
    seconds at most) for transactions that began before the deletion. ``rewrite`` names the
    tables that get one: small ones (the voice-note table, which holds recordings for at most
    30 days), never the answer tables. What PostgreSQL's WAL
    segments, replicas and backups keep is the operator's to age out (docs/deploy.md).
    Returns False only when SQLite could not checkpoint because a reader held on for seconds.
    """
    engine = engine or _default_engine()
    if isinstance(engine, HeardSQLiteEngine):
        return await engine.checkpoint()
    if not rewrite:
        return True
    # A transaction that began before the deletion (another request, an auto-analyze) may still
    # see the deleted rows, and VACUUM FULL copies rows someone may still see: wait for those to
    # end (they are short), for at most a few seconds.
    [row] = await engine.run_querystring(QueryString("SELECT clock_timestamp() AS now"))
    for _ in range(FORGET_WAITS):
        [older] = await engine.run_querystring(QueryString(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_xmin IS NOT NULL AND xact_start < {}", row["now"]))
        if not older["n"]:
            break
        await asyncio.sleep(0.1)
    for table in rewrite:
        if not table.isidentifier():
            raise ValueError(f"not a table name: {table!r}")
        await engine.run_querystring(QueryString(f"VACUUM FULL {table}"))
    return True


def _default_engine() -> Engine:
    from surveys.tables import Response

    return Response._meta.db


def set_wal(path: str | os.PathLike[str]) -> None:
    """Put a SQLite file in WAL mode (persistent in the file), creating it and its folder owner-only."""
    private_sqlite(path)
    with sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS) as connection:
        connection.execute("PRAGMA journal_mode = WAL")
    connection.close()


class HeardPostgresEngine(PostgresEngine):
    """Piccolo's PostgreSQL engine, using its pool only from the event loop that opened it.

    An asyncpg pool belongs to one event loop; a script or test that runs queries on another
    loop while the app's pool is open gets a fresh connection instead of a broken one.
    """

    @property
    def pool(self):
        pool = self.__dict__.get("_pool")
        return pool if pool is not None and _running_loop_is(getattr(pool, "_loop", None)) else None

    @pool.setter
    def pool(self, value) -> None:
        self.__dict__["_pool"] = value

    async def start_connection_pool(self, **kwargs: Any) -> None:
        # asyncpg's default reset sends one more statement (close cursors, unlisten, reset
        # settings, release advisory locks) every time a connection goes back to the pool: a
        # second round trip for each one-statement submission. Heard sets none of those, so
        # only an open transaction is undone (asyncpg always does that, before this hook).
        kwargs.setdefault("reset", _nothing_to_reset)
        await super().start_connection_pool(**kwargs)


async def _nothing_to_reset(connection: Any) -> None:
    """A pooled connection's session state needs no reset: Heard never uses LISTEN, SET,
    cursors outside a transaction, or advisory locks (an open transaction is rolled back
    by asyncpg itself)."""


def backup_sqlite(source: str | os.PathLike[str], destination: str | os.PathLike[str]) -> int:
    """Copy a live SQLite database consistently (SQLite's online backup API); return its pages.

    Safe while the service runs: the copy is a snapshot of one moment, writers carry on. The copy
    holds everything the database does, so it is made owner-only (0600) before anything is in it.
    """
    private_sqlite(destination)
    with sqlite3.connect(source, timeout=BUSY_TIMEOUT_SECONDS) as src, sqlite3.connect(destination) as dst:
        src.backup(dst, pages=1024)
        pages = dst.execute("PRAGMA page_count").fetchone()[0]
        if dst.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise RuntimeError(f"the backup in {destination} failed its integrity check")
    src.close()
    dst.close()
    return pages
