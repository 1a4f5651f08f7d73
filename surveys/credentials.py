"""One-time links and the second factor: how an account gets and proves its credentials.

* A **set-password link** (``heard user add … --link``, ``heard user reset EMAIL``, or an admin's
  button) carries a random token; only its SHA-256 is stored, it works once and expires. Using it
  sets the password and signs the account out everywhere.
* The **second step** of a sign-in with a second factor is a one-time token too, valid for a few
  minutes, that stands between "password right" and "code right".
* **TOTP** (RFC 6238, the codes of any authenticator app) via pyotp. An admin can require it per
  account; the account enrols by scanning a QR code and typing one code, which proves the app
  has the secret before it is relied on. Each code works once (the last accepted time step is
  kept), so a code seen over a shoulder is no use afterwards.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

import pyotp

from surveys import audit
from surveys.tables import Account, AccountToken, LoginSession

SET_PASSWORD = "set-password"  # nosec B105 # The name of a purpose, not a password
SECOND_STEP = "second-step"
LIFETIMES = {
    SET_PASSWORD: dt.timedelta(hours=72),
    SECOND_STEP: dt.timedelta(minutes=10),
}
MIN_PASSWORD_LENGTH = 10
ISSUER = "Heard"


class WeakPassword(ValueError):
    """The new password doesn't meet the rules; the message says why, for the person."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def issue(account_id: int, purpose: str) -> str:
    """A new one-time token; earlier unused tokens of the same purpose stop working."""
    token = secrets.token_urlsafe(32)
    async with AccountToken._meta.db.transaction():
        await AccountToken.delete().where(
            (AccountToken.account == account_id) & (AccountToken.purpose == purpose)
        )
        await AccountToken.insert(
            AccountToken(
                token_hash=_digest(token), account=account_id, purpose=purpose,
                expires_at=_now() + LIFETIMES[purpose],
            )
        )
    return token


async def issue_for_email(email: str, purpose: str = SET_PASSWORD) -> str | None:
    row = await Account.select(Account.id).where(Account.email == email.strip().lower()).first()
    return await issue(row["id"], purpose) if row else None


async def reset_link(account_id: int, *, actor: str, initiative_id: int | None = None) -> str:
    """A new set-password link made for an account by someone else (an admin, a lead of
    ``initiative_id``, or ``cli``); on the audit log, naming the account, never the link."""
    from surveys.accounts import email_of

    email = await email_of(account_id)
    token = await issue(account_id, SET_PASSWORD)
    await audit.record("password reset link made", actor=actor, initiative_id=initiative_id, detail=f"for {email}")
    return token


async def reset_link_for_email(email: str, *, actor: str) -> str | None:
    """:func:`reset_link` for the account with this email; None if there is none."""
    row = await Account.select(Account.id).where(Account.email == email.strip().lower()).first()
    return await reset_link(row["id"], actor=actor) if row else None


async def peek(token: str, purpose: str) -> dict | None:
    """The account (id, email) a still-valid token belongs to, without using it up."""
    if not token or len(token) > 100:
        return None
    row = await AccountToken.select(
        AccountToken.account.id.as_alias("id"), AccountToken.account.email.as_alias("email"),
        AccountToken.expires_at, AccountToken.used_at,
    ).where((AccountToken.token_hash == _digest(token)) & (AccountToken.purpose == purpose)).first()
    if row is None or row["used_at"] is not None or row["expires_at"] <= _now():
        return None
    return {"id": row["id"], "email": row["email"]}


async def use(token: str, purpose: str) -> dict | None:
    """Spend a token: the account it belonged to, or None if it was unknown, used or expired."""
    account = await peek(token, purpose)
    if account is None:
        return None
    # Only one of two racing requests changes the row from unused to used.
    changed = await AccountToken.update({AccountToken.used_at: _now()}).where(
        (AccountToken.token_hash == _digest(token)) & (AccountToken.used_at.is_null())
    ).returning(AccountToken.id)
    return account if changed else None


def check_password(password: str, email: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"Use at least {MIN_PASSWORD_LENGTH} characters: three random words work well")
    if len(password) > 200:
        raise WeakPassword("Use at most 200 characters")
    if password.strip().lower() == email.strip().lower():
        raise WeakPassword("Do not use your email address as your password")


async def set_password_with(token: str, password: str, confirm: str) -> dict:
    """Set the password through a set-password link; the account is then signed out everywhere."""
    from surveys.accounts import hash_password

    account = await peek(token, SET_PASSWORD)
    if account is None:
        raise LookupError("This link has expired or has been used")
    if password != confirm:
        raise WeakPassword("The two passwords are not the same")
    check_password(password, account["email"])
    if await use(token, SET_PASSWORD) is None:
        raise LookupError("This link has expired or has been used")
    async with Account._meta.db.transaction():
        await Account.update({Account.password_hash: hash_password(password)}).where(Account.id == account["id"])
        await LoginSession.delete().where(LoginSession.account == account["id"])
        await audit.record("password set", actor=account["email"], detail="with a one-time link")
    return account


# --- TOTP -----------------------------------------------------------------------------------


async def second_factor(account_id: int) -> dict:
    row = await Account.select(
        Account.email, Account.totp_required, Account.totp_secret, Account.totp_pending, Account.totp_last_step
    ).where(Account.id == account_id).first()
    return row or {}


async def start_enrolment(account_id: int) -> tuple[str, str]:
    """A fresh secret waiting for its first code, and the otpauth URI to show as a QR code."""
    state = await second_factor(account_id)
    secret = state.get("totp_pending") or pyotp.random_base32()
    await Account.update({Account.totp_pending: secret}).where(Account.id == account_id)
    uri = pyotp.TOTP(secret).provisioning_uri(name=state["email"], issuer_name=ISSUER)
    return secret, uri


def _step(secret: str | None, code: str, after: int | None = None) -> int | None:
    """The time step a code belongs to (now, or one step either side), if it is right and new."""
    code = "".join(c for c in (code or "") if c.isdigit())
    if not secret or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now = _now()
    # One step either side forgives a phone clock half a minute out.
    for offset in (0, -1, 1):
        moment = now + dt.timedelta(seconds=offset * totp.interval)
        if hmac.compare_digest(totp.at(moment), code):
            step = totp.timecode(moment)
            return step if after is None or step > after else None
    return None


async def confirm_enrolment(account_id: int, code: str, *, actor: str | None = None) -> bool:
    """Finish setting TOTP up with a first right code; recorded as set up by ``actor`` if given."""
    state = await second_factor(account_id)
    step = _step(state.get("totp_pending"), code)
    if step is None:
        return False
    await Account.update({
        Account.totp_secret: state["totp_pending"], Account.totp_pending: None, Account.totp_last_step: step,
    }).where(Account.id == account_id)
    if actor is not None:
        await audit.record("second factor set up", actor=actor)
    return True


async def verify_code(account_id: int, code: str) -> bool:
    """True once per code: a code seen signing in (or watched over a shoulder) can't be used again."""
    state = await second_factor(account_id)
    step = _step(state.get("totp_secret"), code, after=state.get("totp_last_step"))
    if step is None:
        return False
    # Only one of two racing sign-ins with the same code moves the step on.
    last = Account.totp_last_step
    moved = await Account.update({Account.totp_last_step: step}).where(
        (Account.id == account_id) & (last.is_null() | (last < step))
    ).returning(Account.id)
    return bool(moved)


async def second_step(account_id: int, email: str, code: str) -> tuple[bool, bool]:
    """Check the code of a sign-in's second step, setting TOTP up if the account has none yet:
    (whether it was right, whether it set TOTP up). A wrong code is on the audit log."""
    enrolling = not (await second_factor(account_id)).get("totp_secret")
    ok = await confirm_enrolment(account_id, code, actor=email) if enrolling else await verify_code(account_id, code)
    if not ok:
        await audit.record("second factor failed", actor=email)
    return ok, enrolling


async def remove_second_factor(account_id: int, *, actor: str | None = None) -> None:
    """Remove an account's own second factor; recorded as removed by ``actor`` if given."""
    await Account.update(
        {Account.totp_secret: None, Account.totp_pending: None, Account.totp_last_step: None}
    ).where(Account.id == account_id)
    if actor is not None:
        await audit.record("second factor removed", actor=actor)


async def reset_second_factor(account_id: int, *, actor: str) -> None:
    """An admin removes someone's second factor; they are signed out everywhere too."""
    from surveys.accounts import email_of, end_all_logins

    email = await email_of(account_id)
    await remove_second_factor(account_id)
    await end_all_logins(account_id)
    await audit.record("second factor reset", actor=actor, detail=f"for {email}")
