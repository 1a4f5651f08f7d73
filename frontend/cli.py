"""The ``heard`` command: run the service, try it with demo data, manage the database.

Each subcommand is documented in ``heard --help`` and in README.md (a test checks they agree).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import sys
from pathlib import Path

DEMO_PASSWORD = "heard-demo"
DEMO_ACCOUNTS = (
    ("lead@anew.example", "lead", ["anew"]),
    ("admin@heard.example", "admin", []),
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


def _fail(message: str) -> int:
    print(f"heard: {message}", file=sys.stderr)
    return 2


def _migrate() -> None:
    from surveys.schema import migrate

    asyncio.run(migrate())


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


def cmd_migrate(args: argparse.Namespace) -> int:
    _migrate()
    print("The database is up to date.")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from frontend.settings import Settings, SettingsError

    try:
        Settings.from_env()
    except SettingsError as e:
        return _fail(str(e))
    _migrate()
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
    return sessions


def cmd_demo(args: argparse.Namespace) -> int:
    from surveys import tokens
    from surveys.db import data_dir

    if not os.environ.get("HEARD_SECRET_KEY"):
        os.environ["HEARD_SECRET_KEY"] = _demo_secret(data_dir())
    base = os.environ.get("HEARD_BASE_URL") or f"http://{args.host}:{args.port}"
    os.environ["HEARD_BASE_URL"] = base
    _migrate()
    sessions = asyncio.run(_seed(args.responses, demo=True))
    parent, kiosk = sessions["anew"], sessions["cmhwf"]
    print(
        f"""
Heard is running with demo data (made up; nobody real).

  A parent's form (ANEW, after a meeting):   {base}/s/{tokens.display(parent['token'])}
  A child's tablet (CMHWF, faces):           {base}/k/{tokens.display(kiosk['token'])}
  Art at the Start parents:                  {base}/s/{tokens.display(sessions['art-at-the-start']['token'])}
  The lead pages:                            {base}/lead/
      sign in as {DEMO_ACCOUNTS[0][0]} (ANEW only) or {DEMO_ACCOUNTS[1][0]} (all initiatives)
      password: {DEMO_PASSWORD}
  API description:                           {base}/schema/openapi.json

Press Ctrl+C to stop.
""",
        flush=True,
    )
    _serve(args.host, args.port, 1)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="heard", description="Heard: hear children and families, and prove it to partners.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="run the service (needs HEARD_SECRET_KEY); applies migrations first")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    serve.add_argument("--workers", type=int, default=1, help="app processes (default 1)")
    serve.set_defaults(func=cmd_serve)

    demo = sub.add_parser("demo", help="run the service with demo initiatives, sessions, responses and logins")
    demo.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    demo.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    demo.add_argument("--responses", type=int, default=40, help="made-up responses per initiative (default 40)")
    demo.set_defaults(func=cmd_demo)

    migrate = sub.add_parser("migrate", help="create or update the database tables")
    migrate.set_defaults(func=cmd_migrate)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
