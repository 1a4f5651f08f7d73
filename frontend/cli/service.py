"""``heard serve``, ``heard migrate``, ``heard backup`` and ``heard tallies``: running the service
and its database."""

from __future__ import annotations

import argparse
import asyncio
import sys

from frontend.cli.common import fail, migrate_database

LOG_CONFIG = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}},
    "loggers": {
        "heard": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn.error": {"level": "INFO"},
    },
}


async def _has_initiatives() -> bool:
    from surveys.tables import Initiative

    return await Initiative.exists()


def serve(host: str, port: int, workers: int) -> None:
    import uvicorn

    # The request log is our own (frontend.app.request_log): it never records tokens or IPs.
    uvicorn.run(
        "frontend.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,
        log_config=LOG_CONFIG,
        proxy_headers=False,
        server_header=False,
        timeout_graceful_shutdown=10,
    )


def unsafe_keys() -> str | None:
    """Why the service must not start with these key files, or None (checked again at app start)."""
    from surveys.keys import KeyFileUnsafe, check_all

    try:
        check_all()
    except KeyFileUnsafe as e:
        return f"refusing to start: {e}"
    return None


def cmd_migrate(args: argparse.Namespace) -> int:
    migrate_database()
    print("The database is up to date.")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from surveys.db import backup_sqlite, database_url

    url = database_url()
    if not url.startswith("sqlite:///"):
        return fail("for PostgreSQL use pg_dump (see docs/deploy.md); `heard backup` copies a SQLite database")
    pages = backup_sqlite(url[len("sqlite:///"):], args.output)
    print(f"Backed up {pages} pages to {args.output} (integrity check ok).")
    return 0


def cmd_tallies(args: argparse.Namespace) -> int:
    """Recount the tallies the pages sum (surveys.tallies) and say whether they agree; rebuild them."""
    from surveys import tallies
    from voice.analysis import rebuild_theme_tally, theme_tally_differences

    async def check() -> list[tuple[str, tuple, object, object]]:
        found: list[tuple[str, tuple, object, object]] = list(await tallies.differences())
        found += [("theme_tally", key, kept, recounted) for key, kept, recounted in await theme_tally_differences()]
        return found

    async def go() -> int:
        from surveys.tables import Response

        await Response._meta.db.start_connection_pool()
        try:
            found = await check()
            if found and args.rebuild:
                await tallies.rebuild()
                await rebuild_theme_tally()
                print(f"Rebuilt the tallies ({len(found)} disagreed with the rows).")
                found = await check()
            for name, key, kept, recounted in found[:20]:
                print(f"{name} {key}: kept {kept}, the rows count {recounted}")
            if found:
                print(f"{len(found)} tallies disagree with the rows; `heard tallies --rebuild` counts them again.")
                return 1
            print("The tallies agree with the rows.")
            return 0
        finally:
            await Response._meta.db.close_connection_pool()

    migrate_database()
    return asyncio.run(go())


def cmd_serve(args: argparse.Namespace) -> int:
    from frontend.core.settings import Settings, SettingsError

    try:
        Settings.from_env()
    except SettingsError as e:
        return fail(str(e))
    if problem := unsafe_keys():
        return fail(problem)
    migrate_database()
    if not asyncio.run(_has_initiatives()):
        # A new service starts empty: its first admin creates the first initiative on the web.
        print(
            "heard: no initiative yet. Sign in as an admin at /lead/ and create one (or: heard initiative "
            "create --name NAME --from-pack PACK). Make an admin with: heard user add EMAIL --role admin",
            file=sys.stderr,
        )
    serve(args.host, args.port, args.workers)
    return 0


