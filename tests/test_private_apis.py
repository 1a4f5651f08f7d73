"""surveys/db.py leans on private parts of Piccolo, aiosqlite and asyncpg (its single SQLite
writer, group commit and one-round-trip PostgreSQL submissions are built on them). They can change
in any release without notice, so this test names each one: an upgrade that moves one fails here,
saying which and where, instead of as a wrong answer or a hang under load."""

from __future__ import annotations

import inspect

import aiosqlite
import asyncpg
import pytest
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction

# (owner, name, the parameters surveys/db.py passes, in order)
METHODS = [
    (SQLiteEngine, "_run_in_new_connection", ["self", "query", "args", "query_type", "table"]),
    (SQLiteEngine, "_run_in_existing_connection", ["self", "connection", "query", "args", "query_type", "table"]),
    (aiosqlite.Connection, "_execute", ["self", "fn", "args", "kwargs"]),
    (PostgresEngine, "start_connection_pool", None),
]


@pytest.mark.parametrize(("owner", "name", "parameters"), METHODS, ids=[f"{o.__name__}.{n}" for o, n, _ in METHODS])
def test_private_methods_heard_overrides_or_calls_are_still_there(owner, name, parameters):
    method = getattr(owner, name, None)
    assert callable(method), (
        f"{owner.__module__}.{owner.__name__}.{name} is gone: surveys/db.py overrides or calls it; "
        "read the new release's code and change surveys/db.py to match before upgrading"
    )
    if parameters is not None:
        found = list(inspect.signature(method).parameters)
        assert found == parameters, (
            f"{owner.__name__}.{name} now takes {found}, surveys/db.py passes {parameters}: "
            "check what the new release does with them before upgrading"
        )


def test_piccolo_sqlite_transaction_keeps_the_state_the_single_writer_sets():
    """WriterTransaction (surveys/db.py) replaces SQLiteTransaction's enter/commit/rollback and
    sets these attributes itself; Piccolo's own methods must still read the same names."""
    source = inspect.getsource(SQLiteTransaction)
    for attribute in ("self._parent", "self._committed", "self._rolled_back", "self.transaction_type"):
        assert attribute in source, f"Piccolo's SQLiteTransaction no longer uses {attribute}: see WriterTransaction"
    assert "current_transaction" in inspect.getsource(SQLiteTransaction.__init__)


def test_aiosqlite_connection_still_holds_its_sqlite3_connection_as_conn():
    source = inspect.getsource(aiosqlite.Connection)
    assert "self._conn" in source, "aiosqlite.Connection no longer keeps its sqlite3 connection as ._conn"


def test_asyncpg_pools_still_take_a_reset_hook():
    """HeardPostgresEngine passes reset= (no reset statement on release: one round trip less)."""
    assert "reset" in inspect.signature(asyncpg.create_pool).parameters, (
        "asyncpg.create_pool no longer takes reset=: see HeardPostgresEngine.start_connection_pool"
    )
