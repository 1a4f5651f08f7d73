"""``heard export``: the same summaries and data files the lead pages offer, written to a file."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from frontend.documents.summary_themes import summary_themes


def run_export(args: argparse.Namespace) -> int:
    from frontend.core.i18n import language
    from frontend.documents.summary_files import dictionary_csv, export
    from surveys import audit
    from surveys.errors import NotFound
    from surveys.initiatives import by_slug
    from surveys.schema import migrate
    from surveys.summary import Filters

    try:
        filters = Filters.from_dict({"from": args.date_from, "to": args.date_to, "site": args.site,
                                     "questionnaire": args.questionnaire, "audience": args.audience,
                                     "phase": args.phase})
    except ValueError as e:
        print(f"heard: {e}", file=sys.stderr)
        return 2
    output = Path(args.output)

    async def write() -> list[Path]:
        await migrate()
        initiative = await by_slug(args.initiative)
        output.write_bytes(await export(initiative, args.format, filters, themes=summary_themes,
                                        language=language(args.lang)))
        written = [output]
        if args.format == "csv":
            dictionary = output.with_name(output.stem + "-data-dictionary.csv")
            dictionary.write_bytes(await dictionary_csv(initiative))
            written.append(dictionary)
        await audit.summary_exported(initiative["id"], args.format, str(filters.as_dict()), actor="cli")
        return written

    try:
        written = asyncio.run(write())
    except NotFound as e:
        print(f"heard: {e}", file=sys.stderr)
        return 2
    for path in written:
        print(f"Wrote {path}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    return run_export(args)
