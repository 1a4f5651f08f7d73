"""Sign-in throttling, kept in the database so it holds across every app process.

After :data:`ACCOUNT_LIMIT` failed attempts for one account, or :data:`ADDRESS_LIMIT` from one
address, within :data:`WINDOW`, further attempts are refused until the window has moved past
enough of them (at most :data:`WINDOW` after the last failure). Refused attempts are not counted,
so someone locked out is free again 15 minutes later, whatever they tried meanwhile.

An attempt is counted *before* its password is checked (:func:`reserve`), in one atomic step
with the check of the count: on SQLite one write job (the process's single writer, ``BEGIN
IMMEDIATE`` across processes), on PostgreSQL a transaction holding an advisory lock on each key.
So however many attempts arrive at once, at most :data:`ACCOUNT_LIMIT` passwords are checked;
a right password then gives its reservation back (:func:`succeeded`).

Keys are keyed hashes made by the caller (the web layer, which holds the secret key): an email
or an IP address is never stored here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from surveys import db
from surveys.tables import LoginAttempt

WINDOW = dt.timedelta(minutes=15)
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20
LIMITS = {"account": ACCOUNT_LIMIT, "address": ADDRESS_LIMIT}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Reservation:
    """The outcome of :func:`reserve`: ``until`` when refused, else the attempt rows it counted."""

    until: dt.datetime | None
    ids: tuple[int, ...] = ()


_RECENT = ('SELECT at FROM login_attempt WHERE kind = {} AND "key" = {} AND at > {} ORDER BY at DESC LIMIT {}')
_INSERT = 'INSERT INTO login_attempt (kind, "key", at) VALUES ({}, {}, {}) RETURNING id'
_FORGET_OLD = "DELETE FROM login_attempt WHERE at < {}"


async def reserve(keys: dict[str, str]) -> Reservation:
    """Count an attempt for these keys now, before its password is checked, unless the count is
    already at a limit (then nothing is counted and ``until`` says when to try again)."""
    engine = LoginAttempt._meta.db
    return await db.write(_reserve(keys, _now(), lock=not db.is_sqlite(engine)), engine=engine)


def _reserve(keys: dict[str, str], now: dt.datetime, *, lock: bool) -> db.WriteJob[Reservation]:
    if lock:  # PostgreSQL: one attempt at a time per key (in one order, so never a deadlock)
        for kind, key in sorted(keys.items()):
            yield "SELECT pg_advisory_xact_lock(hashtextextended({}, 0))", (f"heard-sign-in:{kind}:{key}",)
    until = None
    for kind, key in keys.items():
        limit = LIMITS[kind]
        recent: Sequence = yield _RECENT, (kind, key, now - WINDOW, limit)
        if len(recent) >= limit:
            # Free again once the limit-th most recent attempt leaves the window.
            free_at = recent[limit - 1]["at"] + WINDOW
            until = max(until, free_at) if until else free_at
    if until is not None:
        return Reservation(until)
    ids = []
    for kind, key in keys.items():
        [row] = yield _INSERT, (kind, key, now)
        ids.append(row["id"])
    # Old attempts say nothing any more: don't keep them.
    yield _FORGET_OLD, (now - 4 * WINDOW,)
    return Reservation(None, tuple(ids))


async def release(reservation: Reservation | None) -> None:
    """Give back an attempt that turned out right (a right password, with a code still to come)."""
    if reservation is not None and reservation.ids:
        await LoginAttempt.delete().where(LoginAttempt.id.is_in(list(reservation.ids)))


async def succeeded(account_key: str, reservation: Reservation | None = None) -> None:
    """Signed in: the account's count starts again, and this attempt's reservation is given back."""
    await LoginAttempt.delete().where((LoginAttempt.kind == "account") & (LoginAttempt.key == account_key))
    await release(reservation)
