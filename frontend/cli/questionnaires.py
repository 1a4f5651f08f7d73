"""``heard questionnaire import|export`` and ``heard session create``: setting up what people answer."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

from frontend.cli.common import fail, initiative_by_slug, migrate_database


def cmd_questionnaire_import(args: argparse.Namespace) -> int:
    from frontend.lead.questionnaire_files import read_definition
    from surveys.errors import NotFound
    from surveys.questionnaires import DefinitionError
    from surveys.versions import import_definition

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as e:
        return fail(f"{path}: can't read it ({e.strerror})")

    async def go():
        initiative = await initiative_by_slug(args.initiative)
        definition = read_definition(data, path.name)
        version, created = await import_definition(initiative["id"], definition, source=path.name, actor="cli")
        return definition, version, created

    migrate_database()
    try:
        definition, version, created = asyncio.run(go())
    except DefinitionError as e:
        print(str(e), file=sys.stderr)
        return 2
    except NotFound:
        return fail(f"there is no initiative {args.initiative!r}")
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
        initiative = await initiative_by_slug(args.initiative)
        questionnaire = await questionnaire_by_slug(initiative["id"], args.slug)
        if args.version is None:
            version = await latest_version(questionnaire["id"])
            assert version is not None  # a questionnaire has at least one version
        else:
            version = await QuestionnaireVersion.select().where(
                (QuestionnaireVersion.questionnaire == questionnaire["id"])
                & (QuestionnaireVersion.number == args.version)
            ).first()
            if version is None:
                raise NotFound(f"{args.slug!r} has no version {args.version}")
        return to_toml(await definition_of(version["id"], version["fingerprint"]))

    migrate_database()
    try:
        text = asyncio.run(go())
    except NotFound as e:
        return fail(str(e) if "version" in str(e) else f"there is no questionnaire {args.slug!r} in {args.initiative!r}")
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
        return fail("dates look like 2026-11-23 and times like \"2026-11-23 10:00\" (Dundee time)")
    if opens_at and closes_at and closes_at <= opens_at:
        return fail("--closes must be after --opens")

    async def go():
        initiative = await initiative_by_slug(args.initiative)
        questionnaire = await questionnaire_by_slug(initiative["id"], args.questionnaire)
        version = await latest_version(questionnaire["id"])
        assert version is not None  # a questionnaire has at least one version
        session = await create_session(
            initiative["id"], version["id"], audience=args.audience, phase=args.phase, site=args.site,
            held_on=held_on, opens_at=opens_at, closes_at=closes_at, actor="cli",
        )
        return session

    migrate_database()
    try:
        session = asyncio.run(go())
    except NotFound:
        return fail(f"there is no questionnaire {args.questionnaire!r} in initiative {args.initiative!r}")
    base = (os.environ.get("HEARD_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
    print(short_url(base, session["token"], session["audience"]))
    return 0
