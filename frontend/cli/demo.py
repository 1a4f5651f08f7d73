"""``heard demo``: the service with the three Dundee initiatives Heard was built with (from their
packs), sessions, made-up answers and demo sign-ins. Nothing here is about real people."""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
from pathlib import Path

from frontend.cli.common import fail, migrate_database
from frontend.cli.service import serve, unsafe_keys

DEMO_KIOSK_PIN = "2468"
DEMO_PASSWORD = "heard-demo"  # nosec B105 # The published password of the made-up demo accounts
DEMO_ACCOUNTS: tuple[tuple[str, str, list[str]], ...] = (
    ("lead@anew.example", "lead", ["anew"]),
    ("admin@heard.example", "admin", []),
    ("viewer@anew.example", "viewer", ["anew"]),
)


def _demo_secret(data_dir: Path) -> str:
    """A secret for the demo, kept in the data folder so sign-ins survive a restart."""
    path = data_dir / "demo-secret-key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(32))
    return path.read_text().strip()


async def _seed(responses: int) -> dict:
    """The three Dundee initiatives from their packs, sessions, made-up answers and sign-ins."""
    from surveys import accounts
    from surveys.aggregation import response_count
    from surveys.demo import ensure_demo_initiatives, ensure_demo_sessions, generate_responses

    initiatives = await ensure_demo_initiatives()
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
    if problem := unsafe_keys():
        return fail(problem)
    migrate_database()
    sessions = asyncio.run(_seed(args.responses))
    parent, kiosk = sessions["anew"], sessions["cmhwf"]
    print(
        f"""
Heard is running with demo data (made up; nobody real).

  A parent's form (ANEW, after a meeting):   {base}/s/{tokens.display(parent["token"])}
  A child's tablet (CMHWF, faces):           {base}/k/{tokens.display(kiosk["token"])}
      the adult's PIN to leave it: {DEMO_KIOSK_PIN}
  Art at the Start parents:                  {base}/s/{tokens.display(sessions["art-at-the-start"]["token"])}
  The lead pages:                            {base}/lead/
      sessions, QR codes, posters and cards: {base}/lead/anew/sessions
      questionnaires (download, edit, upload): {base}/lead/anew/questionnaires
      sign in as {DEMO_ACCOUNTS[0][0]} (ANEW only), {DEMO_ACCOUNTS[1][0]} (all initiatives)
      or {DEMO_ACCOUNTS[2][0]} (reads ANEW's summaries only)
      password: {DEMO_PASSWORD}
  API description:                           {base}/schema/openapi.json

Press Ctrl+C to stop.
""",
        flush=True,
    )
    serve(args.host, args.port, 1)
    return 0
