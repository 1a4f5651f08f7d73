"""The ``heard`` command: run the service, try it with demo data, manage the database.

Each command group has its module here (``service``, ``demo``, ``initiatives``, ``privacy``,
``questionnaires``, ``export``, ``users``); this one builds the parser. Each subcommand is documented in ``heard --help``
and in README.md (a test checks they agree).
"""

from __future__ import annotations

import argparse

from frontend.cli import initiatives
from frontend.cli.demo import cmd_demo
from frontend.cli.export import cmd_export
from frontend.cli.privacy import cmd_codes, cmd_erase, cmd_kiosk_pin, cmd_purge, cmd_purge_audio
from frontend.cli.questionnaires import cmd_questionnaire_export, cmd_questionnaire_import, cmd_session_create
from frontend.cli.service import cmd_backup, cmd_migrate, cmd_serve, cmd_tallies
from frontend.cli.users import cmd_user


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="heard", description="Heard: hear children and families, and prove it to partners."
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="run the service (needs HEARD_SECRET_KEY); applies migrations first")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    serve.add_argument("--workers", type=int, default=1, help="app processes (default 1)")
    serve.set_defaults(func=cmd_serve)

    demo = sub.add_parser(
        "demo", help="run the service with the Dundee demo initiatives, sessions, responses and logins"
    )
    demo.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    demo.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    demo.add_argument("--responses", type=int, default=40, help="made-up responses per initiative (default 40)")
    demo.set_defaults(func=cmd_demo)

    export = sub.add_parser(
        "export", help="write an initiative's partner summary (docx, pdf, html) or data (xlsx, csv)"
    )
    export.add_argument("--initiative", required=True, help="the initiative's slug, e.g. together-to-thrive")
    export.add_argument(
        "--format",
        required=True,
        choices=("docx", "pdf", "xlsx", "csv", "html"),
        help="docx, pdf or html: the summary; xlsx or csv: the pseudonymised answers",
    )
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
    tally = sub.add_parser("tallies", help="check the counts the pages sum against the rows (and rebuild them)")
    tally.add_argument("--rebuild", action="store_true", help="count them again from the rows if any disagree")
    tally.set_defaults(func=cmd_tallies)
    codes = sub.add_parser("codes", help="print a PDF sheet of participant cards (random codes, never stored)")
    codes.add_argument("--initiative", required=True, help="the initiative's slug, e.g. together-to-thrive")
    codes.add_argument("--count", type=int, default=24, help="how many cards (default 24; 8 per A4 sheet)")
    codes.add_argument(
        "-o", "--output", default="participant-cards.pdf", help="PDF file to write (default participant-cards.pdf)"
    )
    codes.set_defaults(func=cmd_codes)

    erase = sub.add_parser("erase", help="delete every response given with a participant code in an initiative")
    erase.add_argument("--initiative", required=True, help="the initiative's slug, e.g. together-to-thrive")
    erase.add_argument("--code", required=True, help="the participant code from the card, e.g. ABCD-2345-X")
    erase.add_argument(
        "--by", default="", help="who asked for or carried out the erasure, for the audit log (default cli)"
    )
    erase.set_defaults(func=cmd_erase)

    purge = sub.add_parser("purge", help="delete responses older than each initiative's retention period")
    purge.set_defaults(func=cmd_purge)
    questionnaire = sub.add_parser("questionnaire", help="import or export a questionnaire as a TOML file")
    q_sub = questionnaire.add_subparsers(dest="action", required=True, metavar="ACTION")
    q_import = q_sub.add_parser("import", help="check a TOML file or XLSForm and save it (a new version if it changed)")
    q_import.add_argument(
        "file", metavar="FILE", help="the questionnaire: a .toml file, or an XLSForm workbook (.xlsx)"
    )
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
    s_create.add_argument(
        "--audience",
        required=True,
        choices=("parent", "child", "practitioner"),
        help="who answers: parents answer at /s/, children on a tablet at /k/",
    )
    s_create.add_argument(
        "--phase",
        default="single",
        choices=("before", "after", "single"),
        help="before or after a programme, or a single occasion (default)",
    )
    s_create.add_argument("--site", default="", help='where it happens, e.g. "Hilltown Library"')
    s_create.add_argument("--date", metavar="YYYY-MM-DD", help="the day it happens")
    s_create.add_argument("--opens", metavar='"YYYY-MM-DD HH:MM"', help="answers accepted from (Dundee time)")
    s_create.add_argument("--closes", metavar='"YYYY-MM-DD HH:MM"', help="answers accepted until (Dundee time)")
    s_create.set_defaults(func=cmd_session_create)

    purge_audio = sub.add_parser("purge-audio", help="delete voice notes older than --days (run it daily)")
    purge_audio.add_argument("--days", type=int, default=30, help="keep voice notes this many days (default 30)")
    purge_audio.set_defaults(func=cmd_purge_audio)
    user = sub.add_parser("user", help="add accounts, make password-reset links, list accounts")
    actions = user.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="add an account (or change an existing one's role)")
    add.add_argument("email", help="the account's email address (used to sign in; no email is sent)")
    add.add_argument(
        "--role", choices=("admin", "lead", "viewer"), default="lead", help="admin, lead or viewer (default lead)"
    )
    add.add_argument(
        "--initiative",
        action="append",
        metavar="SLUG",
        help="an initiative the account may see, e.g. together-to-thrive (repeat for more; not needed for admins)",
    )
    add.add_argument(
        "--link", action="store_true", help="print a one-time set-password link instead of asking for a password"
    )
    reset = actions.add_parser("reset", help="print a one-time link to set a new password")
    reset.add_argument("email")
    actions.add_parser("list", help="list accounts, roles and initiatives")
    user.set_defaults(func=cmd_user)
    initiatives.add_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)
