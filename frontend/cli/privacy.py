"""``heard codes``, ``heard erase``, ``heard purge``, ``heard purge-audio`` and ``heard kiosk-pin``: participant cards,
erasure, retention and the child tablet's PIN."""

from __future__ import annotations

import argparse
import asyncio
import os
from pathlib import Path

from frontend.cli.common import fail, migrate_database


def cmd_codes(args: argparse.Namespace) -> int:
    from frontend.core.settings import DEFAULT_BASE_URL
    from frontend.documents.printing import participant_cards_pdf
    from frontend.lead.privacy import MAX_CARDS, new_cards
    from surveys import audit
    from surveys.errors import NotFound
    from surveys.initiatives import by_slug

    if not 1 <= args.count <= MAX_CARDS:
        return fail(f"--count must be from 1 to {MAX_CARDS}")
    migrate_database()
    base = (os.environ.get("HEARD_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")

    async def make() -> bytes:
        initiative = await by_slug(args.initiative)
        pdf = participant_cards_pdf(new_cards(initiative["name"], base, args.count))
        await audit.cards_printed(initiative["id"], args.count, actor="cli")
        return pdf

    try:
        pdf = asyncio.run(make())
    except NotFound:
        return fail(f"there is no initiative {args.initiative!r}")
    Path(args.output).write_bytes(pdf)
    sheets = -(-args.count // 8)
    print(f"{args.count} participant cards on {sheets} A4 {'sheet' if sheets == 1 else 'sheets'}: {args.output}")
    print("The codes are not stored anywhere: this PDF is the only copy.")
    return 0


def cmd_erase(args: argparse.Namespace) -> int:
    from surveys import erasure
    from surveys.errors import NotFound
    from surveys.pseudonyms import InvalidCode

    migrate_database()
    try:
        count = asyncio.run(erasure.erase(args.initiative, args.code, actor=args.by or "cli"))
    except InvalidCode as e:
        return fail(str(e))
    except NotFound:
        return fail(f"there is no initiative {args.initiative!r}")
    print(f"Deleted {count} {'response' if count == 1 else 'responses'} given with that code in "
          f"{args.initiative}. The audit log records the count, not the code.")
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    from surveys import erasure

    migrate_database()
    deleted = asyncio.run(erasure.purge(actor="cli"))
    for slug, count in sorted(deleted.items()):
        print(f"{slug}: {count} expired {'response' if count == 1 else 'responses'} deleted")
    return 0


def cmd_purge_audio(args: argparse.Namespace) -> int:
    from voice.audio import purge_audio

    if args.days < 0:
        return fail("--days must be 0 or more")
    n = asyncio.run(purge_audio(days=args.days))
    print(f"Deleted {n} voice note(s) older than {args.days} days.")
    return 0


def cmd_kiosk_pin(args: argparse.Namespace) -> int:
    import getpass

    from surveys.errors import NotFound
    from surveys.kiosk import PIN_PATTERN, set_kiosk_pin

    pin = None
    if not args.clear:
        pin = args.pin
        if pin is None:
            pin = getpass.getpass("New kiosk PIN (4 to 8 digits): ")
            if getpass.getpass("The same PIN again: ") != pin:
                return fail("the two PINs were not the same; nothing changed")
        if not PIN_PATTERN.match(pin):
            return fail("a kiosk PIN must be 4 to 8 digits")
    migrate_database()
    try:
        asyncio.run(set_kiosk_pin(args.token, pin))
    except NotFound:
        return fail(f"no session has the token {args.token!r}")
    print("The kiosk PIN is cleared." if pin is None else "The kiosk PIN is set.")
    return 0
