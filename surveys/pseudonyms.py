"""Participant codes and the keyed pseudonyms Heard stores instead of them.

A family keeps a printed card with a random code (``ABCD-2345-X``); a child on the kiosk may pick
three pictures instead. Heard never stores or logs the code itself: only
``HMAC-SHA256(initiative key, normalised code)``, hex, in ``Response.pseudonym``. The key is the
initiative's own (:mod:`surveys.keys`), held outside the database, so a database dump cannot be
turned back into codes, and the same card used in two initiatives gives two unrelated pseudonyms.

Codes
    8 random characters from Crockford's base-32 alphabet (no I, L, O, U: 40 bits, about a
    trillion codes) and one check character computed with the Luhn mod N algorithm (N = 32), so
    any single mistyped character and almost every swap of two neighbours is caught before a
    wrong pseudonym is stored. Reading is forgiving: any case, spaces and dashes ignored, O read
    as 0 and I or L as 1.

Picture codes
    Three of the 16 pictures in ``frontend/static/pictures/index.json``, in order, written
    ``pic:cat-sun-boat``. That is only 16^3 = 4,096 combinations: enough to tell apart the
    children of one group and pair their before and after answers, but guessable, and two
    children in a large initiative may well pick the same three. They link answers; they do not
    protect them. Reports treat a pairing as a pairing, so leads should prefer printed cards
    where a group is larger than a few dozen children.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from functools import lru_cache
from pathlib import Path

from surveys.keys import initiative_key

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base 32: no I, L, O, U
BODY_LENGTH = 8
LENGTH = BODY_LENGTH + 1  # with the check character
_CONFUSED = str.maketrans({"O": "0", "I": "1", "L": "1"})
_IGNORED = str.maketrans("", "", " -_.\t\n")

PICTURE_PREFIX = "pic:"
PICTURES_IN_CODE = 3
PICTURES_INDEX = Path(__file__).resolve().parent.parent / "frontend" / "static" / "pictures" / "index.json"

# Keeps pseudonyms apart from anything else the same initiative key may one day be used for.
_PURPOSE = b"heard participant code v1\x00"


class InvalidCode(ValueError):
    """What was typed is not a participant code (wrong length, letter or check character)."""


def check_character(body: str) -> str:
    """The Luhn mod 32 check character for ``body`` (characters of ALPHABET)."""
    n = len(ALPHABET)
    total, factor = 0, 2
    for char in reversed(body):
        addend = factor * ALPHABET.index(char)
        total += addend // n + addend % n
        factor = 1 if factor == 2 else 2
    return ALPHABET[(n - total % n) % n]


def new_code() -> str:
    """A fresh random participant code, canonical form (9 characters, no dashes)."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return body + check_character(body)


def display(code: str) -> str:
    """``ABCD2345X`` as people see it on a card: ``ABCD-2345-X``. Picture codes are unchanged."""
    if code.startswith(PICTURE_PREFIX):
        return code
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


@lru_cache(maxsize=1)
def pictures() -> tuple[str, ...]:
    """The keys of the pictures a picture code is made of, in their index order."""
    return tuple(entry["key"] for entry in json.loads(PICTURES_INDEX.read_text(encoding="utf-8")))


def picture_code(keys: list[str] | tuple[str, ...]) -> str:
    """``["cat", "sun", "boat"]`` as a picture code, ``pic:cat-sun-boat``; InvalidCode if not one."""
    keys = [str(k).strip().lower() for k in keys]
    if len(keys) != PICTURES_IN_CODE or any(k not in pictures() for k in keys):
        raise InvalidCode(f"a picture code is {PICTURES_IN_CODE} of the pictures, in order")
    return PICTURE_PREFIX + "-".join(keys)


def normalise(typed: str | None) -> str | None:
    """The canonical code for what someone typed or scanned, or None if it is not a valid code.

    Printed codes come back as 9 characters without dashes; picture codes as ``pic:a-b-c``.
    """
    if not typed:
        return None
    typed = typed.strip()
    if typed.lower().startswith(PICTURE_PREFIX):
        try:
            return picture_code(typed[len(PICTURE_PREFIX):].split("-"))
        except InvalidCode:
            return None
    code = typed.upper().translate(_IGNORED).translate(_CONFUSED)
    if len(code) != LENGTH or any(c not in ALPHABET for c in code):
        return None
    if check_character(code[:BODY_LENGTH]) != code[BODY_LENGTH]:
        return None
    return code


def pseudonym(initiative_slug: str, code: str) -> str:
    """The pseudonym stored for ``code`` in this initiative: HMAC-SHA256, 64 hex characters.

    ``code`` may be typed loosely; it is normalised first, so ``abcd 2345 x`` and ``ABCD-2345-X``
    give the same pseudonym. Raises InvalidCode when it is not a valid code.
    """
    canonical = normalise(code)
    if canonical is None:
        raise InvalidCode("not a valid participant code")
    key = initiative_key(initiative_slug)
    return hmac.new(key, _PURPOSE + canonical.encode("ascii"), hashlib.sha256).hexdigest()


def is_pseudonym(value: str | None) -> bool:
    """Whether ``value`` looks like a pseudonym (for state carried between pages)."""
    return value is not None and len(value) == 64 and all(c in "0123456789abcdef" for c in value)


# A pseudonym that travels between the pages of one form comes back from the respondent's
# device: the tag proves the server made it for this initiative and this submission.
_CARRY_PURPOSE = b"heard carried pseudonym v1\x00"
_TAG_LENGTH = 32  # hex characters: 128 bits


class ForgedPseudonym(ValueError):
    """A carried pseudonym that the server did not issue for this initiative and submission."""


def _carry_tag(initiative_slug: str, pseudonym_: str, submission_id: str) -> str:
    message = _CARRY_PURPOSE + submission_id.encode("ascii") + b"\x00" + pseudonym_.encode("ascii")
    return hmac.new(initiative_key(initiative_slug), message, hashlib.sha256).hexdigest()[:_TAG_LENGTH]


def carried(initiative_slug: str, pseudonym_: str, submission_id: str) -> str:
    """The form of a pseudonym that a page carries on to the next: ``pseudonym.tag``."""
    return f"{pseudonym_}.{_carry_tag(initiative_slug, pseudonym_, submission_id)}"


def from_carried(initiative_slug: str, value: str, submission_id: str) -> str:
    """The pseudonym a carried value holds; raises ForgedPseudonym unless its tag is the server's."""
    pseudonym_, _, tag = value.partition(".")
    if not is_pseudonym(pseudonym_) or not submission_id.isascii() or not hmac.compare_digest(
        tag.encode(), _carry_tag(initiative_slug, pseudonym_, submission_id).encode()
    ):
        raise ForgedPseudonym("the carried pseudonym was not made by this service for this form")
    return pseudonym_
