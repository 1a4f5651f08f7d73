"""What every ``heard`` command group shares: how a command fails, and the database it needs."""

from __future__ import annotations

import asyncio
import sys


def fail(message: str) -> int:
    print(f"heard: {message}", file=sys.stderr)
    return 2


def migrate_database() -> None:
    from surveys.schema import migrate

    asyncio.run(migrate())


async def initiative_by_slug(slug: str) -> dict:
    from surveys.initiatives import by_slug

    return await by_slug(slug)
