"""Session tokens people can type: 13 Crockford base-32 characters (65 random bits).

Shown in groups of four (``K7Q2-MX4P-A9BC-D``) so a short URL fits in 40 characters with the
default base URL. Reading is forgiving: any case, dashes and spaces ignored, and the letters
people confuse with digits (O, I, L) read as 0 and 1, as Crockford's alphabet intends.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # no I, L, O, U
LENGTH = 13
_CONFUSED = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_token() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(typed: str) -> str | None:
    """The canonical token for what someone typed, or None if it can't be one."""
    token = typed.upper().replace("-", "").replace(" ", "").translate(_CONFUSED)
    if len(token) != LENGTH or any(c not in ALPHABET for c in token):
        return None
    return token


def display(token: str) -> str:
    return "-".join(token[i : i + 4] for i in range(0, len(token), 4))
