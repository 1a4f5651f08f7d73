"""Whole numbers from outside (query strings and forms), checked before anything uses them.

``int()`` takes far more than people type: ``"٣"``, ``"1_000"``, ``" 7 "`` and numbers of any
size, which SQLite cannot bind (OverflowError: a server error). Every number a page reads from
a request goes through :func:`whole_number`, with the bounds its meaning gives.
"""

from __future__ import annotations

import re

from litestar.exceptions import ClientException

_DIGITS = re.compile(r"-?[0-9]{1,18}")  # ASCII digits, at most 18: never a huge int to convert


def whole_number(raw: object, low: int, high: int) -> int | None:
    """``raw`` as a whole number from ``low`` to ``high``, or None when it is anything else."""
    if not isinstance(raw, str) or not _DIGITS.fullmatch(raw.strip()):
        return None
    number = int(raw.strip())
    return number if low <= number <= high else None


def required_number(raw: object, name: str, low: int, high: int) -> int:
    """``raw`` as :func:`whole_number`, or a 400 naming the field and the range it must be in."""
    number = whole_number(raw, low, high)
    if number is None:
        # The sentence names the field for people; ``errors`` names it for programs.
        raise ClientException(
            f"The {name} must be a whole number from {low} to {high}.",
            extra={"errors": {name: f"Enter a whole number from {low} to {high}"}},
        )
    return number
