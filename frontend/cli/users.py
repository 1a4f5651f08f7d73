"""``heard user add|reset|list``: accounts, roles and set-password links."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

from frontend.cli.common import fail, migrate_database


def _set_password_link(token: str) -> str:
    base = (os.environ.get("HEARD_BASE_URL") or "http://127.0.0.1:8000").rstrip("/")
    return f"{base}/lead/password/{token}"


async def _user_add(args: argparse.Namespace, password: str | None) -> str | None:
    from surveys import accounts, credentials

    # Checked in full first, then written with its audit entry in one transaction: a failure
    # (an unknown initiative, say) leaves no account behind.
    account_id = await accounts.add_account(args.email, password, args.role, args.initiative or [], actor="cli")
    if password is None:
        return await credentials.issue(account_id, credentials.SET_PASSWORD)
    return None


def _ask_password(email: str) -> str | None:
    """Ask twice on a terminal; None if not at a terminal (then a link is printed instead)."""
    import getpass

    from surveys.credentials import WeakPassword, check_password

    if not sys.stdin.isatty():
        return None
    while True:
        first = getpass.getpass(f"Password for {email} (empty for a one-time link instead): ")
        if not first:
            return None
        try:
            check_password(first, email)
        except WeakPassword as e:
            print(e)
            continue
        if getpass.getpass("Type it again: ") == first:
            return first
        print("The two passwords are not the same.")


def cmd_user(args: argparse.Namespace) -> int:
    migrate_database()
    if args.action == "add":
        if args.role != "admin" and not args.initiative:
            return fail(f"a {args.role} needs at least one --initiative (admins see all)")
        password = None if args.link else _ask_password(args.email)
        try:
            token = asyncio.run(_user_add(args, password))
        except ValueError as e:
            return fail(str(e))
        print(f"{args.email.strip().lower()} is a {args.role}"
              + (f" of {', '.join(args.initiative)}." if args.initiative else " of every initiative."))
        if token:
            print(f"Give them this one-time link to set their password (it works once, for 3 days):\n  {_set_password_link(token)}")
        return 0
    if args.action == "reset":
        from surveys import credentials

        token = asyncio.run(credentials.reset_link_for_email(args.email, actor="cli"))
        if token is None:
            return fail(f"no account {args.email!r}")
        print(f"One-time link for {args.email.strip().lower()} to set a new password (works once, for 3 days):\n"
              f"  {_set_password_link(token)}")
        return 0
    from surveys import accounts

    for a in asyncio.run(accounts.list_accounts()):
        where = "all" if a["role"] == "admin" else (", ".join(a["initiatives"]) or "none")
        flags = ("" if a["active"] else " suspended") + (" 2FA" if a["totp_enrolled"] else "")
        print(f"{a['email']}\t{a['role']}\t{where}{flags}")
    return 0
