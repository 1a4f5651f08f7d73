"""What a session looks like outside Heard: its short URL and its times (the poster's words are
:func:`frontend.documents.printing.printable`).

Times are entered and shown in Dundee's time (Europe/London, GMT or BST as the date needs) and
stored as UTC, so a lead typing "10:00" for a Saturday in July means ten in the morning there.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date

from surveys import tokens
from surveys.sessions import LOCAL, show_time

__all__ = ["LOCAL", "parse_local", "short_url", "show_date", "show_time", "state", "window"]


def short_url(base_url: str, token: str, audience: str) -> str:
    """The address on posters and cards: children's sessions open the tablet (kiosk) pages."""
    prefix = "k" if audience == "child" else "s"
    return f"{base_url.rstrip('/')}/{prefix}/{tokens.display(token)}"


def parse_local(text: str | None) -> dt.datetime | None:
    """A date and time typed as ``2026-11-23 10:00`` (or ``T``, or a date alone) in Dundee time.

    A time with its own offset (``…+00:00``) is taken as given. Raises ValueError if unreadable.
    """
    text = (text or "").strip()
    if not text:
        return None
    value = dt.datetime.fromisoformat(text.replace(" ", "T", 1) if len(text) > 10 else text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=LOCAL)
    return value.astimezone(dt.UTC)


def show_date(value: dt.date | None) -> str:
    return format_date(value, "EEEE d MMMM y", locale="en") if value else ""


def window(opens_at: dt.datetime | None, closes_at: dt.datetime | None) -> str:
    """The answering window in words, e.g. "From Monday 23 November 2026, 10:00 until …"."""
    if opens_at is None and closes_at is None:
        return "Always open"
    parts = []
    if opens_at is not None:
        parts.append(f"From {show_time(opens_at)}")
    if closes_at is not None:
        parts.append(f"until {show_time(closes_at)}")
    return " ".join(parts) if opens_at is not None else f"Until {show_time(closes_at)}"


def state(opens_at: dt.datetime | None, closes_at: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """"open", "not open yet" or "closed", as respondents will find it now."""
    now = now or dt.datetime.now(dt.UTC)
    if opens_at is not None and now < opens_at:
        return "not open yet"
    if closes_at is not None and now >= closes_at:
        return "closed"
    return "open"
