"""The child's tablet: the adult's exit PIN, and whether a submission has already been sent.

The PIN only keeps children inside the kiosk; it guards no data (the kiosk never shows answers).
It must work when the tablet is offline, so it is checked on the tablet as well as here: the
kiosk page carries a salted, slow PBKDF2-SHA256 hash of it, which the browser checks with
WebCrypto. A short PIN in a hash anyone holding the session token can read is guessable with
effort, so the README tells leads never to reuse a PIN that protects anything else.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import uuid

from surveys import tokens
from surveys.errors import NotFound
from surveys.tables import Response, Session

PIN_PATTERN = re.compile(r"^[0-9]{4,8}$")
# Slow enough to make each guess cost something, fast enough for a cheap tablet (~0.2 s).
ITERATIONS = 150_000
SCHEME = "pbkdf2-sha256"


class InvalidPin(ValueError):
    """A PIN must be 4 to 8 digits."""


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def hash_pin(pin: str, *, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    """``pbkdf2-sha256$iterations$salt$hash`` (base64): the same sums the tablet does."""
    if not PIN_PATTERN.match(pin or ""):
        raise InvalidPin("A PIN must be 4 to 8 digits.")
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, iterations, dklen=32)
    return f"{SCHEME}${iterations}${_b64(salt)}${_b64(digest)}"


def pin_matches(stored: str | None, pin: str) -> bool:
    if not stored or not PIN_PATTERN.match(pin or ""):
        return False
    try:
        scheme, iterations, salt, expected = stored.split("$")
        if scheme != SCHEME:
            return False
        digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), base64.b64decode(salt), int(iterations), dklen=32)
    except ValueError:
        return False
    return hmac.compare_digest(_b64(digest), expected)


async def set_kiosk_pin(typed_token: str, pin: str | None) -> None:
    """Set (or, with ``None``, clear) the exit PIN of the session a token names."""
    token = tokens.normalise(typed_token)
    if token is None or not await Session.exists().where(Session.token == token):
        raise NotFound("No such session")
    await Session.update({Session.kiosk_pin: hash_pin(pin) if pin is not None else None}).where(
        Session.token == token
    )


async def kiosk_pin_of(session_id: int) -> str | None:
    """The stored PIN hash (what the tablet needs to check the PIN offline), or None."""
    row = await Session.select(Session.kiosk_pin).where(Session.id == session_id).first()
    return row["kiosk_pin"] if row else None


async def already_sent(submission_id: uuid.UUID) -> bool:
    """Has this submission been stored? A kiosk never shows a sent child's page again."""
    return await Response.exists().where(Response.submission_id == submission_id)
