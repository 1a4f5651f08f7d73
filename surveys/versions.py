"""Questionnaire versions: a response always points at the exact version it answered.

Saving a definition that differs from the latest version makes a new version; saving the same
definition again changes nothing, so importing a file twice is harmless.
"""

from __future__ import annotations

import json

from surveys.questionnaires import Definition, parse_definition
from surveys.tables import Questionnaire, QuestionnaireVersion


async def save_version(initiative_id: int, definition: Definition) -> dict:
    """Store ``definition`` for the initiative; return the (possibly existing) version row."""
    questionnaire = (
        await Questionnaire.select()
        .where((Questionnaire.initiative == initiative_id) & (Questionnaire.slug == definition.slug))
        .first()
    )
    if questionnaire is None:
        await Questionnaire.insert(
            Questionnaire(
                initiative=initiative_id,
                slug=definition.slug,
                title=definition.title,
                audience=definition.audience,
            )
        )
        questionnaire = (
            await Questionnaire.select()
            .where((Questionnaire.initiative == initiative_id) & (Questionnaire.slug == definition.slug))
            .first()
        )
    assert questionnaire is not None  # inserted just above
    latest = await latest_version(questionnaire["id"])
    if latest is not None and latest["fingerprint"] == definition.fingerprint:
        return latest
    number = 1 if latest is None else latest["number"] + 1
    await QuestionnaireVersion.insert(
        QuestionnaireVersion(
            questionnaire=questionnaire["id"],
            number=number,
            definition=json.dumps(definition.raw, ensure_ascii=False),
            fingerprint=definition.fingerprint,
        )
    )
    saved = await latest_version(questionnaire["id"])
    assert saved is not None  # inserted just above
    return saved


async def latest_version(questionnaire_id: int) -> dict | None:
    return (
        await QuestionnaireVersion.select()
        .where(QuestionnaireVersion.questionnaire == questionnaire_id)
        .order_by(QuestionnaireVersion.number, ascending=False)
        .first()
    )


async def questionnaires_of(initiative_id: int) -> list[dict]:
    return await Questionnaire.select().where(Questionnaire.initiative == initiative_id).order_by(Questionnaire.id)


async def definition_of(version_id: int, fingerprint: str | None = None) -> Definition:
    """The parsed definition of a version.

    Versions never change, so parses are cached by content fingerprint; callers that already
    joined the fingerprint (as session lookups do) skip the database on a hit.
    """
    if fingerprint is not None and fingerprint in _parsed:
        return _parsed[fingerprint]
    row = await (
        QuestionnaireVersion.select(QuestionnaireVersion.definition, QuestionnaireVersion.fingerprint)
        .where(QuestionnaireVersion.id == version_id)
        .first()
    )
    assert row is not None, f"no questionnaire version {version_id}"
    if row["fingerprint"] not in _parsed:
        raw = row["definition"]
        data = json.loads(raw) if isinstance(raw, str) else raw
        if len(_parsed) > 256:
            _parsed.clear()
        _parsed[row["fingerprint"]] = parse_definition(data, source=f"questionnaire version {version_id}", stored=True)
    return _parsed[row["fingerprint"]]


_parsed: dict[str, Definition] = {}


async def questionnaire_by_slug(initiative_id: int, slug: str) -> dict:
    """An initiative's questionnaire by its slug, or NotFound."""
    from surveys.errors import NotFound

    row = await (
        Questionnaire.select()
        .where((Questionnaire.initiative == initiative_id) & (Questionnaire.slug == slug))
        .first()
    )
    if row is None:
        raise NotFound(f"No questionnaire {slug!r}")
    return row


async def versions_of(questionnaire_id: int) -> list[dict]:
    """Every version of a questionnaire, oldest first, with how many responses each has."""
    from surveys.tables import Response

    rows = await (
        QuestionnaireVersion.select(
            QuestionnaireVersion.id,
            QuestionnaireVersion.number,
            QuestionnaireVersion.fingerprint,
            QuestionnaireVersion.created_at,
        )
        .where(QuestionnaireVersion.questionnaire == questionnaire_id)
        .order_by(QuestionnaireVersion.number)
    )
    for row in rows:
        row["responses"] = await Response.count().where(Response.questionnaire_version == row["id"])
    return rows


async def import_definition(initiative_id: int, definition: Definition, source: str = "questionnaire",
                            *, actor: str | None = None) -> tuple[dict, bool]:
    """Save an imported definition: ``(version, True)`` if it made a new version, which is on the
    audit log as imported by ``actor`` if given (a lead's upload or ``cli``).

    The slug says which questionnaire it is; an unchanged file leaves everything as it was. A
    questionnaire's audience is fixed once it exists, since its sessions were handed out for it.
    """
    from surveys.questionnaires import DefinitionError
    from surveys.tables import Initiative

    async with Initiative._meta.db.transaction():
        existing = await (
            Questionnaire.select()
            .where((Questionnaire.initiative == initiative_id) & (Questionnaire.slug == definition.slug))
            .first()
        )
        before = None if existing is None else await latest_version(existing["id"])
        if existing is not None and existing["audience"] != definition.audience:
            raise DefinitionError(
                source,
                f"'audience' is {existing['audience']!r} for this questionnaire and can't change; "
                "give it a new slug to make a questionnaire for another audience",
            )
        version = await save_version(initiative_id, definition)
        if existing is not None and existing["title"] != definition.title:
            await Questionnaire.update({Questionnaire.title: definition.title}).where(
                Questionnaire.id == existing["id"]
            )
    created = before is None or before["id"] != version["id"]
    if created and actor is not None:
        from surveys import audit

        await audit.record("questionnaire imported", actor=actor, initiative_id=initiative_id,
                           detail=f"{definition.slug} version {version['number']}")
    return version, created
