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


def _unsafe_keys() -> str | None:
    """Why the service must not start with these key files, or None (checked again at app start)."""
    from surveys.keys import KeyFileUnsafe, check_all

    try:
        check_all()
    except KeyFileUnsafe as e:
        return f"refusing to start: {e}"
    return None


def cmd_migrate(args: argparse.Namespace) -> int:
    _migrate()
    print("The database is up to date.")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from surveys.db import backup_sqlite, database_url

    url = database_url()
    if not url.startswith("sqlite:///"):
        return _fail("for PostgreSQL use pg_dump (see docs/deploy.md); `heard backup` copies a SQLite database")
    pages = backup_sqlite(url[len("sqlite:///"):], args.output)
    print(f"Backed up {pages} pages to {args.output} (integrity check ok).")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from frontend.core.settings import Settings, SettingsError

    try:
        Settings.from_env()
    except SettingsError as e:
        return _fail(str(e))
    if problem := _unsafe_keys():
        return _fail(problem)
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
        return _fail(problem)
    _migrate()
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


def cmd_codes(args: argparse.Namespace) -> int:
    from frontend.lead.privacy import MAX_CARDS, new_cards
    from frontend.documents.printing import participant_cards_pdf
    from frontend.core.settings import DEFAULT_BASE_URL
    from surveys import audit
    from surveys.errors import NotFound
    from surveys.initiatives import by_slug

    if not 1 <= args.count <= MAX_CARDS:
        return _fail(f"--count must be from 1 to {MAX_CARDS}")
    _migrate()
    base = (os.environ.get("HEARD_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")

    async def make() -> bytes:
        initiative = await by_slug(args.initiative)
        pdf = participant_cards_pdf(new_cards(initiative["name"], base, args.count))
        await audit.record("participant cards printed", actor="cli", initiative_id=initiative["id"],
                           detail=f"{args.count} cards")
        return pdf

    try:
        pdf = asyncio.run(make())
    except NotFound:
        return _fail(f"there is no initiative {args.initiative!r}")
    Path(args.output).write_bytes(pdf)
    sheets = -(-args.count // 8)
    print(f"{args.count} participant cards on {sheets} A4 {'sheet' if sheets == 1 else 'sheets'}: {args.output}")
    print("The codes are not stored anywhere: this PDF is the only copy.")
    return 0


def cmd_erase(args: argparse.Namespace) -> int:
    from surveys import erasure
    from surveys.errors import NotFound
    from surveys.pseudonyms import InvalidCode

    _migrate()
    try:
        count = asyncio.run(erasure.erase(args.initiative, args.code, actor=args.by or "cli"))
    except InvalidCode as e:
        return _fail(str(e))
    except NotFound:
        return _fail(f"there is no initiative {args.initiative!r}")
    print(f"Deleted {count} {'response' if count == 1 else 'responses'} given with that code in "
          f"{args.initiative}. The audit log records the count, not the code.")
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    from surveys import erasure

    _migrate()
    deleted = asyncio.run(erasure.purge(actor="cli"))
    for slug, count in sorted(deleted.items()):
        print(f"{slug}: {count} expired {'response' if count == 1 else 'responses'} deleted")
    return 0


async def _initiative(slug: str) -> dict:
    from surveys.initiatives import by_slug, ensure_defaults

    await ensure_defaults()
    return await by_slug(slug)


def cmd_questionnaire_import(args: argparse.Namespace) -> int:
    from frontend.lead.questionnaire_files import read_definition
    from surveys.errors import NotFound
    from surveys.questionnaires import DefinitionError
    from surveys.versions import import_definition

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as e:
        return _fail(f"{path}: can't read it ({e.strerror})")

    async def go():
        initiative = await _initiative(args.initiative)
        definition = read_definition(data, path.name)
        version, created = await import_definition(initiative["id"], definition, source=path.name)
        if created:
            from surveys import audit

            await audit.record("questionnaire imported", actor="cli", initiative_id=initiative["id"],
                               detail=f"{definition.slug} version {version['number']}")
        return definition, version, created

    _migrate()
    try:
        definition, version, created = asyncio.run(go())
    except DefinitionError as e:
        print(str(e), file=sys.stderr)
        return 2
    except NotFound:
        return _fail(f"there is no initiative {args.initiative!r}")
    if created:
        print(f"Imported {definition.slug!r} as version {version['number']}.")
    else:
        print(f"{definition.slug!r} is unchanged: still version {version['number']}.")
    return 0


def cmd_questionnaire_export(args: argparse.Namespace) -> int:
    from surveys.errors import NotFound
    from surveys.questionnaires import to_toml
    from surveys.tables import QuestionnaireVersion
    from surveys.versions import definition_of, latest_version, questionnaire_by_slug

    async def go():
        initiative = await _initiative(args.initiative)
        questionnaire = await questionnaire_by_slug(initiative["id"], args.slug)
        if args.version is None:
            version = await latest_version(questionnaire["id"])
        else:
            version = await QuestionnaireVersion.select().where(
                (QuestionnaireVersion.questionnaire == questionnaire["id"])
                & (QuestionnaireVersion.number == args.version)
            ).first()
            if version is None:
                raise NotFound(f"{args.slug!r} has no version {args.version}")
        return to_toml(await definition_of(version["id"], version["fingerprint"]))

    _migrate()
    try:
        text = asyncio.run(go())
    except NotFound as e:
        return _fail(str(e) if "version" in str(e) else f"there is no questionnaire {args.slug!r} in {args.initiative!r}")
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"Wrote {args.output}.", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_session_create(args: argparse.Namespace) -> int:
    import datetime as dt

    from frontend.core.session_links import parse_local, short_url
    from frontend.core.settings import DEFAULT_BASE_URL
    from surveys.errors import NotFound
    from surveys.sessions import create_session
    from surveys.versions import latest_version, questionnaire_by_slug

    try:
        held_on = dt.date.fromisoformat(args.date) if args.date else None
        opens_at, closes_at = parse_local(args.opens), parse_local(args.closes)
    except ValueError:
        return _fail("dates look like 2026-11-23 and times like \"2026-11-23 10:00\" (Dundee time)")
    if opens_at and closes_at and closes_at <= opens_at:
        return _fail("--closes must be after --opens")

    async def go():
        initiative = await _initiative(args.initiative)
        questionnaire = await questionnaire_by_slug(initiative["id"], args.questionnaire)
        version = await latest_version(questionnaire["id"])
        session = await create_session(
            initiative["id"], version["id"], audience=args.audience, phase=args.phase, site=args.site,
            held_on=held_on, opens_at=opens_at, closes_at=closes_at,
        )
        from surveys import audit

        await audit.record("session created", actor="cli", initiative_id=initiative["id"],
                           detail=f"{questionnaire['slug']} version {version['number']}, {args.audience}")
        return session

    _migrate()
    try:
        session = asyncio.run(go())
    except NotFound:
        return _fail(f"there is no questionnaire {args.questionnaire!r} in initiative {args.initiative!r}")
    base = (os.environ.get("HEARD_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
    print(short_url(base, session["token"], session["audience"]))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from frontend.summary_export_cli import run_export

    return run_export(args)


def cmd_purge_audio(args: argparse.Namespace) -> int:
    from voice.audio import purge_audio

    if args.days < 0:
        return _fail("--days must be 0 or more")
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
                return _fail("the two PINs were not the same; nothing changed")
        if not PIN_PATTERN.match(pin):
            return _fail("a kiosk PIN must be 4 to 8 digits")
    _migrate()
    try:
        asyncio.run(set_kiosk_pin(args.token, pin))
    except NotFound:
        return _fail(f"no session has the token {args.token!r}")
    print("The kiosk PIN is cleared." if pin is None else "The kiosk PIN is set.")
    return 0


def _set_password_link(token: str) -> str:
    base = (os.environ.get("HEARD_BASE_URL") or "http://127.0.0.1:8000").rstrip("/")
    return f"{base}/lead/password/{token}"


async def _user_add(args: argparse.Namespace, password: str | None) -> str | None:
    from surveys import accounts, audit, credentials

    account_id = await accounts.add_account(args.email, password, args.role, args.initiative or [])
    await audit.record("account added", actor="cli",
                       detail=f"{args.email.strip().lower()}: {args.role}; {', '.join(args.initiative or []) or 'no initiatives'}")
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
    _migrate()
    if args.action == "add":
        if args.role != "admin" and not args.initiative:
            return _fail(f"a {args.role} needs at least one --initiative (admins see all)")
        password = None if args.link else _ask_password(args.email)
        try:
            token = asyncio.run(_user_add(args, password))
        except ValueError as e:
            return _fail(str(e))
        print(f"{args.email.strip().lower()} is a {args.role}"
              + (f" of {', '.join(args.initiative)}." if args.initiative else " of every initiative."))
        if token:
            print(f"Give them this one-time link to set their password (it works once, for 3 days):\n  {_set_password_link(token)}")
        return 0
    if args.action == "reset":
        from surveys import audit, credentials

        async def reset() -> str | None:
            token = await credentials.issue_for_email(args.email)
            if token:
                await audit.record("password reset link made", actor="cli", detail=f"for {args.email.strip().lower()}")
            return token

        token = asyncio.run(reset())
        if token is None:
            return _fail(f"no account {args.email!r}")
        print(f"One-time link for {args.email.strip().lower()} to set a new password (works once, for 3 days):\n"
              f"  {_set_password_link(token)}")
        return 0
    from surveys import accounts

    for a in asyncio.run(accounts.list_accounts()):
        where = "all" if a["role"] == "admin" else (", ".join(a["initiatives"]) or "none")
        flags = ("" if a["active"] else " suspended") + (" 2FA" if a["totp_enrolled"] else "")
        print(f"{a['email']}\t{a['role']}\t{where}{flags}")
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

    export = sub.add_parser("export", help="write an initiative's partner summary (docx, pdf, html) or data (xlsx, csv)")
    export.add_argument("--initiative", required=True, help="the initiative's slug, e.g. anew")
    export.add_argument("--format", required=True, choices=("docx", "pdf", "xlsx", "csv", "html"),
                        help="docx, pdf or html: the summary; xlsx or csv: the pseudonymised answers")
    export.add_argument("--from", dest="date_from", help="only responses sent on or after this date (YYYY-MM-DD)")
    export.add_argument("--to", dest="date_to", help="only responses sent on or before this date (YYYY-MM-DD)")
    export.add_argument("--site", help="only sessions held at this site")
    export.add_argument("--questionnaire", help="only this questionnaire (its slug)")
    export.add_argument("--audience", choices=("parent", "child", "practitioner"), help="only this audience")
    export.add_argument("--phase", choices=("before", "after", "single"), help="only sessions of this phase")
    export.add_argument("--lang", default="en", help="language of the summary's wording (default en)")
    export.add_argument("-o", "--output", required=True, help="file to write (csv also writes FILE's data dictionary)")
    export.set_defaults(func=cmd_export)

    pin = sub.add_parser("kiosk-pin", help="set the PIN an adult needs to leave a session's child tablet (kiosk)")
    pin.add_argument("token", help="the session's token, as on its poster or link")
    pin.add_argument("--pin", help="the new PIN, 4 to 8 digits (asked for, unseen, when left out)")
    pin.add_argument("--clear", action="store_true", help="remove the PIN, so anyone can leave the kiosk")
    pin.set_defaults(func=cmd_kiosk_pin)

    migrate = sub.add_parser("migrate", help="create or update the database tables")
    migrate.set_defaults(func=cmd_migrate)

    backup = sub.add_parser("backup", help="copy the live SQLite database to a file, safely while serving")
    backup.add_argument("-o", "--output", required=True, help="where to write the copy")
    backup.set_defaults(func=cmd_backup)
    codes = sub.add_parser("codes", help="print a PDF sheet of participant cards (random codes, never stored)")
    codes.add_argument("--initiative", required=True, help="the initiative's slug, e.g. anew")
    codes.add_argument("--count", type=int, default=24, help="how many cards (default 24; 8 per A4 sheet)")
    codes.add_argument("-o", "--output", default="participant-cards.pdf", help="PDF file to write (default participant-cards.pdf)")
    codes.set_defaults(func=cmd_codes)

    erase = sub.add_parser("erase", help="delete every response given with a participant code in an initiative")
    erase.add_argument("--initiative", required=True, help="the initiative's slug, e.g. anew")
    erase.add_argument("--code", required=True, help="the participant code from the card, e.g. ABCD-2345-X")
    erase.add_argument("--by", default="", help="who asked for or carried out the erasure, for the audit log (default cli)")
    erase.set_defaults(func=cmd_erase)

    purge = sub.add_parser("purge", help="delete responses older than each initiative's retention period")
    purge.set_defaults(func=cmd_purge)
    questionnaire = sub.add_parser("questionnaire", help="import or export a questionnaire as a TOML file")
    q_sub = questionnaire.add_subparsers(dest="action", required=True, metavar="ACTION")
    q_import = q_sub.add_parser("import", help="check a TOML file and save it (a new version if it changed)")
    q_import.add_argument("file", metavar="FILE", help="the questionnaire, a .toml file")
    q_import.add_argument("--initiative", required=True, metavar="SLUG", help="the initiative it belongs to")
    q_import.set_defaults(func=cmd_questionnaire_import)
    q_export = q_sub.add_parser("export", help="write a questionnaire's TOML (the latest version unless told)")
    q_export.add_argument("slug", metavar="SLUG", help="the questionnaire's slug")
    q_export.add_argument("--initiative", required=True, metavar="SLUG", help="the initiative it belongs to")
    q_export.add_argument("--version", type=int, metavar="N", help="an older version's number")
    q_export.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    q_export.set_defaults(func=cmd_questionnaire_export)

    session = sub.add_parser("session", help="create a session and print its short URL")
    s_sub = session.add_subparsers(dest="action", required=True, metavar="ACTION")
    s_create = s_sub.add_parser("create", help="create a session for the latest version of a questionnaire")
    s_create.add_argument("--initiative", required=True, metavar="SLUG", help="the initiative")
    s_create.add_argument("--questionnaire", required=True, metavar="SLUG", help="the questionnaire's slug")
    s_create.add_argument("--audience", required=True, choices=("parent", "child", "practitioner"),
                          help="who answers: parents answer at /s/, children on a tablet at /k/")
    s_create.add_argument("--phase", default="single", choices=("before", "after", "single"),
                          help="before or after a programme, or a single occasion (default)")
    s_create.add_argument("--site", default="", help="where it happens, e.g. \"Hilltown Library\"")
    s_create.add_argument("--date", metavar="YYYY-MM-DD", help="the day it happens")
    s_create.add_argument("--opens", metavar="\"YYYY-MM-DD HH:MM\"", help="answers accepted from (Dundee time)")
    s_create.add_argument("--closes", metavar="\"YYYY-MM-DD HH:MM\"", help="answers accepted until (Dundee time)")
    s_create.set_defaults(func=cmd_session_create)

    purge_audio = sub.add_parser("purge-audio", help="delete voice notes older than --days (run it daily)")
    purge_audio.add_argument("--days", type=int, default=30, help="keep voice notes this many days (default 30)")
    purge_audio.set_defaults(func=cmd_purge_audio)
    user = sub.add_parser("user", help="add accounts, make password-reset links, list accounts")
    actions = user.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="add an account (or change an existing one's role)")
    add.add_argument("email", help="the account's email address (used to sign in; no email is sent)")
    add.add_argument("--role", choices=("admin", "lead", "viewer"), default="lead", help="admin, lead or viewer (default lead)")
    add.add_argument("--initiative", action="append", metavar="SLUG",
                     help="an initiative the account may see, e.g. anew (repeat for more; not needed for admins)")
    add.add_argument("--link", action="store_true", help="print a one-time set-password link instead of asking for a password")
    reset = actions.add_parser("reset", help="print a one-time link to set a new password")
    reset.add_argument("email")
    actions.add_parser("list", help="list accounts, roles and initiatives")
    user.set_defaults(func=cmd_user)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
