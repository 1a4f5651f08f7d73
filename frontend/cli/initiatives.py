"""``heard initiative``: create, list, rename, archive and restore initiatives, and list packs.

    heard initiative create --name "Together to Thrive" [--slug …] [--from-pack generic-parent-group]
    heard initiative list
    heard initiative rename SLUG --name "New name"
    heard initiative archive SLUG [--restore]
    heard initiative packs

A mistake (a name or address already used, an address that isn't URL-safe, a pack that doesn't
exist or has a broken file) is printed as ``heard: field: problem`` with exit code 2, and
nothing is made. Every change is on the audit log, by ``cli``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from frontend.cli.common import fail, migrate_database


def _migrated(job):
    """Run a coroutine on an up-to-date database (every command migrates first, as the others do)."""
    migrate_database()
    return asyncio.run(job)


def cmd_create(args: argparse.Namespace) -> int:
    from surveys import packs
    from surveys.initiatives import InitiativeError, create_initiative

    async def create():
        return await create_initiative(args.name, slug=args.slug, pack=args.from_pack, actor="cli")

    try:
        row = _migrated(create())
    except InitiativeError as error:
        for field, problem in error.errors.items():
            print(f"heard: {field}: {problem}", file=sys.stderr)
        return 2
    made = f"from the pack {packs.get(row['pack']).title!r}" if row["pack"] else "blank"
    print(
        f"Made {row['name']} ({made}); its web address is /lead/{row['slug']}/ and its key is kept apart "
        f"from the database."
    )
    print("Next:")
    print(f"  heard user add EMAIL --role lead --initiative {row['slug']}    give a lead access")
    print(
        f"  heard session create --initiative {row['slug']} --questionnaire SLUG --audience parent"
        "    a session and its QR code"
    )
    if not row["pack"]:
        print(f"  heard questionnaire import FILE --initiative {row['slug']}    its first questionnaire")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from surveys.initiatives import all_initiatives

    for row in _migrated(all_initiatives()):
        status = "archived" if row["archived_at"] else "open"
        print(f"{row['slug']}\t{row['name']}\t{row['pack'] or 'blank'}\t{status}")
    return 0


def cmd_rename(args: argparse.Namespace) -> int:
    from surveys.errors import NotFound
    from surveys.initiatives import InitiativeError, rename_initiative

    async def rename():
        return await rename_initiative(args.slug, args.name, actor="cli")

    try:
        row = _migrated(rename())
    except NotFound:
        return fail(f"no initiative {args.slug!r} (heard initiative list shows them)")
    except InitiativeError as error:
        return fail(f"name: {error.errors['name']}")
    print(f"{row['slug']} is now called {row['name']}.")
    return 0


def cmd_archive(args: argparse.Namespace) -> int:
    from surveys.errors import NotFound
    from surveys.initiatives import archive_initiative

    async def archive():
        return await archive_initiative(args.slug, archived=not args.restore, actor="cli")

    try:
        row = _migrated(archive())
    except NotFound:
        return fail(f"no initiative {args.slug!r} (heard initiative list shows them)")
    if args.restore:
        print(f"{row['name']} is open again: it takes new sessions.")
    else:
        print(
            f"{row['name']} is archived: no new sessions; its answers are kept until its retention period "
            f"ends. Undo with: heard initiative archive {row['slug']} --restore"
        )
    return 0


def cmd_packs(args: argparse.Namespace) -> int:
    from surveys import packs

    for pack in packs.all_packs():
        print(f"{pack.name}\t{pack.title}: {pack.about}")
    return 0


def add_parser(sub) -> None:
    """Add ``heard initiative …`` to the ``heard`` command's subcommands."""
    initiative = sub.add_parser("initiative", help="create, list, rename or archive initiatives; list the packs")
    actions = initiative.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="make an initiative, from a pack or blank, and its key")
    create.add_argument("--name", required=True, help='its name, e.g. "Together to Thrive"')
    create.add_argument("--slug", help="its web address, e.g. together-to-thrive (default: made from the name)")
    create.add_argument(
        "--from-pack", metavar="PACK", help="start from this pack (heard initiative packs lists them); default: blank"
    )
    create.set_defaults(func=cmd_create)
    listing = actions.add_parser("list", help="list initiatives: web address, name, pack, open or archived")
    listing.set_defaults(func=cmd_list)
    rename = actions.add_parser("rename", help="give an initiative a new name (its web address stays)")
    rename.add_argument("slug", metavar="SLUG", help="the initiative's web address")
    rename.add_argument("--name", required=True, help="the new name")
    rename.set_defaults(func=cmd_rename)
    archive = actions.add_parser("archive", help="archive an initiative (no new sessions, data kept) or restore it")
    archive.add_argument("slug", metavar="SLUG", help="the initiative's web address")
    archive.add_argument("--restore", action="store_true", help="undo: open it for new sessions again")
    archive.set_defaults(func=cmd_archive)
    listing_packs = actions.add_parser("packs", help="list the packs a new initiative can start from")
    listing_packs.set_defaults(func=cmd_packs)
