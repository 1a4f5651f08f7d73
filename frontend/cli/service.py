"""``heard serve``, ``heard demo``, ``heard migrate`` and ``heard backup``: running the service and its database."""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
from pathlib import Path

from frontend.cli.common import fail, migrate_database

DEMO_PASSWORD = "heard-demo"


DEMO_KIOSK_PIN = "2468"


DEMO_PASSWORD = "heard-demo"  # nosec B105 # The published password of the made-up demo accounts


DEMO_ACCOUNTS = (
    ("lead@anew.example", "lead", ["anew"]),
    ("admin@heard.example", "admin", []),
    ("viewer@anew.example", "viewer", ["anew"]),
)


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


def _serve(host: str, port: int, workers: int) -> None:
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


def _unsafe_keys() -> str | None:
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


def cmd_serve(args: argparse.Namespace) -> int:
    from frontend.core.settings import Settings, SettingsError

    try:
        Settings.from_env()
    except SettingsError as e:
        return fail(str(e))
    if problem := _unsafe_keys():
        return fail(problem)
    migrate_database()
    asyncio.run(_seed(0))
    _serve(args.host, args.port, args.workers)
    return 0


def _demo_secret(data_dir: Path) -> str:
    """A secret for the demo, kept in the data folder so sign-ins survive a restart."""
    path = data_dir / "demo-secret-key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(32))
    return path.read_text().strip()


async def _seed(responses: int, *, demo: bool = False) -> dict:
    from surveys import accounts
    from surveys.aggregation import response_count
    from surveys.demo import ensure_demo_sessions, generate_responses
    from surveys.initiatives import ensure_defaults

    initiatives = await ensure_defaults()
    if not demo:
        return {}
    sessions = await ensure_demo_sessions()
    if responses and not any([await response_count(i["id"]) for i in initiatives.values()]):
        await generate_responses(responses)
    if responses:
        from surveys.practitioner_demo import ensure_practitioner_demo

        await ensure_practitioner_demo(initiatives)
    for email, role, slugs in DEMO_ACCOUNTS:
        await accounts.add_account(email, DEMO_PASSWORD, role, slugs)
    from surveys.kiosk import set_kiosk_pin

    await set_kiosk_pin(sessions["cmhwf"]["token"], DEMO_KIOSK_PIN)
    return sessions


def cmd_demo(args: argparse.Namespace) -> int:
    from surveys import tokens
    from surveys.db import data_dir

    if not os.environ.get("HEARD_SECRET_KEY"):
        os.environ["HEARD_SECRET_KEY"] = _demo_secret(data_dir())
    base = os.environ.get("HEARD_BASE_URL") or f"http://{args.host}:{args.port}"
    os.environ["HEARD_BASE_URL"] = base
    if problem := _unsafe_keys():
        return fail(problem)
    migrate_database()
    sessions = asyncio.run(_seed(args.responses, demo=True))
    parent, kiosk = sessions["anew"], sessions["cmhwf"]
    print(
        f"""
Heard is running with demo data (made up; nobody real).

  A parent's form (ANEW, after a meeting):   {base}/s/{tokens.display(parent['token'])}
  A child's tablet (CMHWF, faces):           {base}/k/{tokens.display(kiosk['token'])}
      the adult's PIN to leave it: {DEMO_KIOSK_PIN}
  Art at the Start parents:                  {base}/s/{tokens.display(sessions['art-at-the-start']['token'])}
  The lead pages:                            {base}/lead/
      sessions, QR codes, posters and cards: {base}/lead/anew/sessions
      questionnaires (download, edit, upload): {base}/lead/anew/questionnaires
      sign in as {DEMO_ACCOUNTS[0][0]} (ANEW only) or {DEMO_ACCOUNTS[1][0]} (all initiatives)
      sign in as {DEMO_ACCOUNTS[0][0]} (ANEW only), {DEMO_ACCOUNTS[1][0]} (all initiatives)
      or {DEMO_ACCOUNTS[2][0]} (reads ANEW's summaries only)
      password: {DEMO_PASSWORD}
  API description:                           {base}/schema/openapi.json

Press Ctrl+C to stop.
""",
        flush=True,
    )
    _serve(args.host, args.port, 1)
    return 0
