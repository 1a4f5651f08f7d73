"""Leads' accounts and signed-in sessions (kept in the database, shared by every app process).

Passwords are hashed with Argon2id; a sign-in token is random and only its SHA-256 is stored,
so a database dump can't be used to sign in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from surveys.tables import ROLES, Account, Initiative, LoginSession, Membership

LOGIN_LIFETIME = dt.timedelta(hours=12)
_hasher = PasswordHasher()
# Verifying against a dummy hash when the email is unknown keeps both paths equally slow.
_DUMMY_HASH = _hasher.hash("not a real password")


@dataclass(frozen=True)
class SignedIn:
    account_id: int
    email: str
    role: str
    initiative_ids: frozenset[int]  # every initiative for admins

    def may_see(self, initiative_id: int) -> bool:
        return initiative_id in self.initiative_ids


async def add_account(email: str, password: str, role: str, initiative_slugs: list[str] = ()) -> int:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    email = email.strip().lower()
    existing = await Account.select(Account.id).where(Account.email == email).first()
    if existing:
        account_id = existing["id"]
        await Account.update({Account.password_hash: _hasher.hash(password), Account.role: role}).where(
            Account.id == account_id
        )
    else:
        rows = await Account.insert(Account(email=email, password_hash=_hasher.hash(password), role=role))
        account_id = rows[0]["id"]
    for slug in initiative_slugs:
        initiative = await Initiative.select(Initiative.id).where(Initiative.slug == slug).first()
        if initiative is None:
            raise ValueError(f"No initiative {slug!r}")
        if not await Membership.exists().where(
            (Membership.account == account_id) & (Membership.initiative == initiative["id"])
        ):
            await Membership.insert(Membership(account=account_id, initiative=initiative["id"]))
    return account_id


async def authenticate(email: str, password: str) -> int | None:
    """The account id if the password is right, else None."""
    row = await (
        Account.select(Account.id, Account.password_hash)
        .where((Account.email == email.strip().lower()) & (Account.active == True))  # noqa: E712
        .first()
    )
    try:
        _hasher.verify(row["password_hash"] if row else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    return row["id"] if row else None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def start_login(account_id: int) -> str:
    token = secrets.token_urlsafe(32)
    await LoginSession.insert(
        LoginSession(
            token_hash=_digest(token),
            account=account_id,
            expires_at=dt.datetime.now(dt.timezone.utc) + LOGIN_LIFETIME,
        )
    )
    return token


async def end_login(token: str) -> None:
    await LoginSession.delete().where(LoginSession.token_hash == _digest(token))


async def signed_in(token: str | None) -> SignedIn | None:
    if not token:
        return None
    row = await (
        LoginSession.select(
            LoginSession.account.id.as_alias("account_id"),
            LoginSession.account.email.as_alias("email"),
            LoginSession.account.role.as_alias("role"),
            LoginSession.account.active.as_alias("active"),
            LoginSession.expires_at,
        )
        .where(LoginSession.token_hash == _digest(token))
        .first()
    )
    if row is None or not row["active"] or row["expires_at"] <= dt.datetime.now(dt.timezone.utc):
        return None
    if row["role"] == "admin":
        ids = [r["id"] for r in await Initiative.select(Initiative.id)]
    else:
        ids = [
            r["initiative"]
            for r in await Membership.select(Membership.initiative).where(Membership.account == row["account_id"])
        ]
    return SignedIn(row["account_id"], row["email"], row["role"], frozenset(ids))
