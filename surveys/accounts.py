"""Leads' accounts and signed-in sessions (kept in the database, shared by every app process).

Passwords are hashed with Argon2id; a sign-in token is random and only its SHA-256 is stored,
so a database dump can't be used to sign in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from piccolo.columns import Column

from surveys import audit
from surveys.errors import NotFound
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

    def has_role(self, needed: str) -> bool:
        """True if this account's role is ``needed`` or above it (viewer < lead < admin)."""
        return RANK[self.role] >= RANK[needed]


RANK = {"viewer": 0, "lead": 1, "admin": 2}
# An Argon2 verifier rejects this as malformed: an account created with a set-password link
# can't be signed in to until the link is used.
NO_PASSWORD = "!unset"  # nosec B105 # Not a password but a marker no hash matches


async def add_account(
    email: str, password: str | None, role: str, initiative_slugs: Sequence[str] = (), *, actor: str | None = None,
    new_only: bool = False,
) -> int:
    """Create or update an account; ``password=None`` leaves it unusable until a set-password link is used.

    Everything is checked before anything is written (an unknown initiative leaves no account
    behind), and the account, its initiatives and, when ``actor`` is given, its audit entry are
    written together in one transaction.
    """
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    email = email.strip().lower()
    if "@" not in email or len(email) > 320:
        raise ValueError("That is not an email address")
    slugs = list(dict.fromkeys(initiative_slugs))
    found = {
        row["slug"]: row["id"]
        for row in await Initiative.select(Initiative.id, Initiative.slug).where(Initiative.slug.is_in(slugs))
    } if slugs else {}
    if role != "admin" and not slugs and new_only:
        raise ValueError(f"A {role} needs at least one initiative")
    if new_only and await Account.exists().where(Account.email == email):
        raise ValueError(f"{email} already has an account: open it from the list to change it")
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        raise ValueError(f"No initiative {', '.join(repr(m) for m in missing)}: nothing was changed")
    hashed = _hasher.hash(password) if password is not None else None
    async with Account._meta.db.transaction():
        existing = await Account.select(Account.id).where(Account.email == email).first()
        if existing:
            account_id = existing["id"]
            changes: dict[Column | str, Any] = {Account.role: role}
            if hashed is not None:
                changes[Account.password_hash] = hashed
            await Account.update(changes).where(Account.id == account_id)
        else:
            rows = await Account.insert(Account(email=email, password_hash=hashed or NO_PASSWORD, role=role))
            account_id = rows[0]["id"]
        for slug in slugs:
            if not await Membership.exists().where(
                (Membership.account == account_id) & (Membership.initiative == found[slug])
            ):
                await Membership.insert(Membership(account=account_id, initiative=found[slug]))
        if actor is not None:
            await audit.record(
                "account changed" if existing else "account added", actor=actor,
                detail=f"{email}: {role}; {', '.join(slugs) or 'no initiatives'}",
            )
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
            expires_at=dt.datetime.now(dt.UTC) + LOGIN_LIFETIME,
        )
    )
    return token


async def sign_in(account_id: int, email: str, *, detail: str = "") -> str:
    """Start a sign-in (the cookie's token) once every check has passed; on the audit log."""
    token = await start_login(account_id)
    await audit.record("signed in", actor=email.strip().lower(), detail=detail)
    return token


async def sign_in_failed(email: str) -> None:
    """A wrong email or password: recorded against the email typed (never the password)."""
    await audit.record("sign-in failed", actor=email.strip().lower()[:320])


async def sign_in_refused(email: str) -> None:
    """A sign-in not even checked, because too many have failed for this email or address."""
    await audit.record("sign-in refused", actor=email.strip().lower()[:320], detail="too many failed attempts")


async def end_login(token: str) -> None:
    await LoginSession.delete().where(LoginSession.token_hash == _digest(token))


async def end_all_logins(account_id: int) -> int:
    """Sign an account out everywhere: every browser it is signed in on. Returns how many."""
    ended = await LoginSession.count().where(LoginSession.account == account_id)
    await LoginSession.delete().where(LoginSession.account == account_id)
    return ended


async def email_of(account_id: int) -> str:
    """An account's email address (for the audit log's words), or NotFound."""
    row = await Account.select(Account.email).where(Account.id == account_id).first()
    if row is None:
        raise NotFound("No such account")
    return row["email"]


async def sign_out_everywhere(account_id: int, *, actor: str, own: bool) -> int:
    """:func:`end_all_logins`, on the audit log: ``own`` when the account signs itself out (else
    the entry names the account). Returns how many sign-ins ended."""
    ended = await end_all_logins(account_id)
    if own:
        detail = f"{ended} sign-ins ended"
    else:
        detail = f"{await email_of(account_id)}: {ended} sign-ins ended"
    await audit.record("signed out everywhere", actor=actor, detail=detail)
    return ended


def hash_password(password: str) -> str:
    return _hasher.hash(password)


async def list_accounts() -> list[dict]:
    """Every account with its initiatives' slugs, by email."""
    rows = await Account.select(
        Account.id, Account.email, Account.role, Account.active, Account.totp_required,
        Account.totp_secret,
        Account.created_at,
    ).order_by(Account.email)
    slugs: dict[int, list[str]] = {}
    for m in await Membership.select(Membership.account, Membership.initiative.slug.as_alias("slug")):
        slugs.setdefault(m["account"], []).append(m["slug"])
    for row in rows:
        row["totp_enrolled"] = bool(row.pop("totp_secret"))
        row["initiatives"] = sorted(slugs.get(row["id"], []))
    return rows


async def get_account(account_id: int) -> dict | None:
    return next((a for a in await list_accounts() if a["id"] == account_id), None)


async def change_access(
    account_id: int, *, role: str, initiative_slugs: list[str], active: bool, totp_required: bool, actor: str
) -> tuple[dict, dict]:
    """Set an account's role, initiatives and switches; returns (before, after).

    What changed is on the audit log once for each initiative the account gained or lost or kept
    (so each initiative's leads see who has access to it), or once with none if it has none.
    """
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    before = await get_account(account_id)
    if before is None:
        raise ValueError("No such account")
    initiatives = {r["slug"]: r["id"] for r in await Initiative.select(Initiative.id, Initiative.slug)}
    unknown = [s for s in initiative_slugs if s not in initiatives]
    if unknown:
        raise ValueError(f"No initiative {unknown[0]!r}")
    async with Account._meta.db.transaction():
        await Account.update(
            {Account.role: role, Account.active: active, Account.totp_required: totp_required}
        ).where(Account.id == account_id)
        await Membership.delete().where(Membership.account == account_id)
        for slug in sorted(set(initiative_slugs)):
            await Membership.insert(Membership(account=account_id, initiative=initiatives[slug]))
        if not active:
            await LoginSession.delete().where(LoginSession.account == account_id)
    after = await get_account(account_id)
    assert after is not None  # it existed when the transaction began
    await _audit_access_change(actor, before, after, initiatives)
    return before, after


async def _audit_access_change(actor: str, before: dict, after: dict, ids: dict[str, int]) -> None:
    changes = [
        f"{field}: {_show(before[field])} → {_show(after[field])}"
        for field in ("role", "initiatives", "active", "totp_required")
        if before[field] != after[field]
    ]
    if not changes:
        return
    detail = f"{after['email']}: " + "; ".join(changes)
    touched = sorted(set(before["initiatives"]) | set(after["initiatives"]))
    for slug in touched or [None]:
        await audit.record("access changed", actor=actor, initiative_id=ids.get(slug), detail=detail)


def _show(value) -> str:
    if isinstance(value, list):
        return ", ".join(value) or "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


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
    if row is None or not row["active"] or row["expires_at"] <= dt.datetime.now(dt.UTC):
        return None
    if row["role"] == "admin":
        ids = [r["id"] for r in await Initiative.select(Initiative.id)]
    else:
        ids = [
            r["initiative"]
            for r in await Membership.select(Membership.initiative).where(Membership.account == row["account_id"])
        ]
    return SignedIn(row["account_id"], row["email"], row["role"], frozenset(ids))


# --- one initiative's people, as its leads manage them ------------------------------------------
# A lead manages who may use their own initiative, and nothing beyond it: they add leads and
# viewers to it, and remove them from it. A person's role is their account's, so a lead may
# change it, or give a new password link, only for someone who works on this initiative alone;
# admins, and people who also work on other initiatives, are an admin's to change.

INITIATIVE_ROLES = ("lead", "viewer")


class PeopleError(ValueError):
    """A change to an initiative's people a lead may not make; the message says why."""


async def members_of(initiative_id: int) -> list[dict]:
    """The accounts with access to an initiative: email, role, status, and whether they also work
    on other initiatives (never which)."""
    ids = [r["account"] for r in await Membership.select(Membership.account).where(
        Membership.initiative == initiative_id)]
    if not ids:
        return []
    counts: dict[int, int] = {}
    for m in await Membership.select(Membership.account).where(Membership.account.is_in(ids)):
        counts[m["account"]] = counts.get(m["account"], 0) + 1
    rows = await Account.select(Account.id, Account.email, Account.role, Account.active, Account.totp_secret,
                                Account.password_hash).where(Account.id.is_in(ids)).order_by(Account.email)
    for row in rows:
        row["elsewhere"] = counts.get(row["id"], 1) > 1
        row["totp_enrolled"] = bool(row.pop("totp_secret"))
        row["password_set"] = row.pop("password_hash") != NO_PASSWORD
        row["only_here"] = not row["elsewhere"] and row["role"] != "admin"
    return rows


async def member_of(account_id: int, initiative_id: int) -> dict:
    found = next((m for m in await members_of(initiative_id) if m["id"] == account_id), None)
    if found is None:
        raise PeopleError("That person has no access to this initiative")
    return found


async def add_to_initiative(email: str, role: str, initiative_id: int, *, actor: str) -> tuple[int, bool]:
    """Give ``email`` access to one initiative as a lead or viewer: a new account (to be set up by a
    one-time link) or an existing one whose role is already that; (account id, whether new)."""
    if role not in INITIATIVE_ROLES:
        raise PeopleError("Choose lead or viewer")
    email = email.strip().lower()
    if "@" not in email or len(email) > 320 or any(c.isspace() for c in email):
        raise PeopleError("Enter an email address, like name@example.org")
    slug = (await Initiative.select(Initiative.slug).where(Initiative.id == initiative_id).first())["slug"]  # type: ignore[index]  # the caller's own initiative
    existing = await Account.select(Account.id, Account.role).where(Account.email == email).first()
    if existing is None:
        return await add_account(email, None, role, [slug], actor=actor), True
    if existing["role"] == "admin":
        raise PeopleError(f"{email} is an administrator and already sees every initiative")
    if await Membership.exists().where((Membership.account == existing["id"]) & (Membership.initiative == initiative_id)):
        raise PeopleError(f"{email} already has access to this initiative")
    if existing["role"] != role:
        raise PeopleError(f"{email} has an account as a {existing['role']}: ask an administrator to change its role")
    async with Account._meta.db.transaction():
        await Membership.insert(Membership(account=existing["id"], initiative=initiative_id))
        await audit.record("access changed", actor=actor, initiative_id=initiative_id,
                           detail=f"{email}: added to {slug} as a {role}")
    return existing["id"], False


async def remove_from_initiative(account_id: int, initiative_id: int, *, actor: str, actor_id: int) -> dict:
    """Take someone's access to one initiative away; someone left with no initiative at all is
    suspended too (signed out everywhere). Not yourself, and not an administrator."""
    member = await member_of(account_id, initiative_id)
    if account_id == actor_id:
        raise PeopleError("You can't remove yourself: ask another lead or an administrator")
    if member["role"] == "admin":
        raise PeopleError("An administrator's access is an administrator's to change")
    slug = (await Initiative.select(Initiative.slug).where(Initiative.id == initiative_id).first())["slug"]  # type: ignore[index]  # the caller's own initiative
    async with Account._meta.db.transaction():
        await Membership.delete().where((Membership.account == account_id) & (Membership.initiative == initiative_id))
        suspended = not member["elsewhere"]
        if suspended:
            await Account.update({Account.active: False}).where(Account.id == account_id)
            await LoginSession.delete().where(LoginSession.account == account_id)
        await audit.record("access changed", actor=actor, initiative_id=initiative_id,
                           detail=f"{member['email']}: removed from {slug}" + ("; suspended" if suspended else ""))
    return {**member, "suspended": suspended}


async def set_initiative_role(account_id: int, initiative_id: int, role: str, *, actor: str, actor_id: int) -> dict:
    """Make someone who works on this initiative alone a lead or a viewer of it."""
    if role not in INITIATIVE_ROLES:
        raise PeopleError("Choose lead or viewer")
    member = await member_of(account_id, initiative_id)
    if not member["only_here"]:
        raise PeopleError(f"{member['email']} also works elsewhere: ask an administrator to change their role")
    if account_id == actor_id:
        raise PeopleError("You can't change your own role: ask another lead or an administrator")
    if member["role"] != role:
        async with Account._meta.db.transaction():
            await Account.update({Account.role: role}).where(Account.id == account_id)
            await audit.record("access changed", actor=actor, initiative_id=initiative_id,
                               detail=f"{member['email']}: role {member['role']} → {role}")
    return member


async def may_reset_for(account_id: int, initiative_id: int) -> dict:
    """The member a lead may give a new password link to (someone who works here alone)."""
    member = await member_of(account_id, initiative_id)
    if not member["only_here"]:
        raise PeopleError(f"{member['email']} also works elsewhere: ask an administrator for a new link")
    return member
