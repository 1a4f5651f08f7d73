"""Sign-in throttling, kept in the database so it holds across every app process.

After :data:`ACCOUNT_LIMIT` failed attempts for one account, or :data:`ADDRESS_LIMIT` from one
address, within :data:`WINDOW`, further attempts are refused until the window has moved past
enough of them (at most :data:`WINDOW` after the last failure). Refused attempts are not counted,
so someone locked out is free again 15 minutes later, whatever they tried meanwhile.

Keys are keyed hashes made by the caller (the web layer, which holds the secret key): an email
or an IP address is never stored here.
"""

from __future__ import annotations

import datetime as dt

from surveys.tables import LoginAttempt

WINDOW = dt.timedelta(minutes=15)
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20
LIMITS = {"account": ACCOUNT_LIMIT, "address": ADDRESS_LIMIT}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def refused_until(keys: dict[str, str]) -> dt.datetime | None:
    """When attempts for these keys (``{"account": …, "address": …}``) are allowed again, or None if now."""
    since = _now() - WINDOW
    until = None
    for kind, key in keys.items():
        limit = LIMITS[kind]
        recent = await LoginAttempt.select(LoginAttempt.at).where(
            (LoginAttempt.kind == kind) & (LoginAttempt.key == key) & (LoginAttempt.at > since)
        ).order_by(LoginAttempt.at, ascending=False).limit(limit)
        if len(recent) >= limit:
            # Free again once the limit-th most recent failure leaves the window.
            free_at = recent[limit - 1]["at"] + WINDOW
            until = max(until, free_at) if until else free_at
    return until


async def failed(keys: dict[str, str]) -> None:
    async with LoginAttempt._meta.db.transaction():
        for kind, key in keys.items():
            await LoginAttempt.insert(LoginAttempt(kind=kind, key=key))
        # Old attempts say nothing any more: don't keep them.
        await LoginAttempt.delete().where(LoginAttempt.at < _now() - 4 * WINDOW)


async def succeeded(account_key: str) -> None:
    await LoginAttempt.delete().where((LoginAttempt.kind == "account") & (LoginAttempt.key == account_key))
