"""Rate limits for respondent routes, counted per session token, never per address.

A classroom of tablets, or a family centre's wifi, puts many honest people behind one address,
so the respondent pages (``/s/{token}``, ``/k/{token}``) and the respondent API
(``/api/v1/sessions/{token}``) are limited per *session token*: at most :data:`PER_MINUTE`
requests a minute for one session, across everyone answering it. That is several times what a
room of thirty people answering at once needs, and it stops a script flooding one session with
made-up responses.

The counts live in this process's memory (nothing about a respondent is written down), in an
LRU table of at most :data:`MAX_TOKENS` sessions, so memory stays bounded however many tokens
are tried. With several workers each keeps its own count, so the real ceiling is
``PER_MINUTE × workers``; that is fine for its purpose. Guessing tokens is no use anyway: they
have 65 random bits.
"""

from __future__ import annotations

import time
from collections import OrderedDict

from litestar.exceptions import TooManyRequestsException
from litestar.types import ASGIApp, Receive, Scope, Send

from surveys.tokens import normalise

PER_MINUTE = 300
MAX_TOKENS = 10_000
PREFIXES = ("/s/", "/k/", "/api/v1/sessions/")


class SessionLimiter:
    """A fixed one-minute window per key, in an LRU table of bounded size."""

    def __init__(self, per_minute: int = PER_MINUTE, max_keys: int = MAX_TOKENS, clock=time.monotonic) -> None:
        self.per_minute, self.max_keys, self.clock = per_minute, max_keys, clock
        self.windows: OrderedDict[str, tuple[float, int]] = OrderedDict()

    def allow(self, key: str) -> bool:
        now = self.clock()
        started, count = self.windows.pop(key, (now, 0))
        if now - started >= 60:
            started, count = now, 0
        count += 1
        self.windows[key] = (started, count)
        while len(self.windows) > self.max_keys:
            self.windows.popitem(last=False)
        return count <= self.per_minute


def session_key(path: str) -> str | None:
    for prefix in PREFIXES:
        if path.startswith(prefix):
            typed = path[len(prefix):].split("/", 1)[0]
            return normalise(typed) if typed else None
    return None


def respondent_limits(limiter: SessionLimiter):
    """Middleware for the app; one limiter shared by every route (Litestar builds a stack per route)."""

    def wrap(app: ASGIApp) -> ASGIApp:
        return _limited(app, limiter)

    return wrap


def _limited(app: ASGIApp, limiter: SessionLimiter) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            key = session_key(scope.get("path", ""))
            if key is not None and not limiter.allow(key):
                raise TooManyRequestsException(
                    "Lots of people are answering this at once. Please wait a minute and try again.",
                    headers={"Retry-After": "60"},
                )
        await app(scope, receive, send)

    return middleware
