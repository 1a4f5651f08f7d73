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
    return await latest_version(questionnaire["id"])


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
    if row["fingerprint"] not in _parsed:
        raw = row["definition"]
        data = json.loads(raw) if isinstance(raw, str) else raw
        if len(_parsed) > 256:
            _parsed.clear()
        _parsed[row["fingerprint"]] = parse_definition(data, source=f"questionnaire version {version_id}")
    return _parsed[row["fingerprint"]]


_parsed: dict[str, Definition] = {}
