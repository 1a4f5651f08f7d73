"""The initiatives Heard serves, and the questionnaires each starts with."""

from __future__ import annotations

from dataclasses import dataclass

from surveys.errors import NotFound
from surveys.practitioners import ensure_practitioner_questionnaires
from surveys.questionnaires import template
from surveys.tables import Initiative, Questionnaire
from surveys.versions import save_version


@dataclass(frozen=True)
class InitiativeDefaults:
    slug: str
    name: str
    summary: str
    contact: str
    questionnaire: str  # the default template it starts with


DEFAULTS = (
    InitiativeDefaults(
        "art-at-the-start",
        "Art at the Start",
        "Parents and carers making art with their two-year-olds.",
        "Art at the Start team, Dundee",
        "art-at-the-start-parent",
    ),
    InitiativeDefaults(
        "cmhwf",
        "Community Mental Health and Wellbeing Fund",
        "Support for children and young people's mental health and wellbeing, "
        "delivered by 12 local third-sector groups.",
        "CMHWF co-ordinator, Dundee",
        "cmhwf-child",
    ),
    InitiativeDefaults(
        "anew",
        "ANEW",
        "Addressing Neglect and Enhancing Wellbeing: meetings around a child where the child's "
        "views are heard first.",
        "ANEW team, Dundee",
        "anew-parent-after",
    ),
)


async def ensure_defaults() -> dict[str, dict]:
    """Create the three initiatives and their default questionnaires if missing (idempotent)."""
    out = {}
    for d in DEFAULTS:
        row = await Initiative.select().where(Initiative.slug == d.slug).first()
        if row is None:
            await Initiative.insert(
                Initiative(slug=d.slug, name=d.name, summary=d.summary, contact=d.contact)
            )
            row = await Initiative.select().where(Initiative.slug == d.slug).first()
        # Only the first time: once it exists, a lead's imported edits are the questionnaire, and
        # a restart must not quietly put the shipped wording back as a newer version.
        existing = await Questionnaire.exists().where(
            (Questionnaire.initiative == row["id"]) & (Questionnaire.slug == d.questionnaire)
        )
        if not existing:
            await save_version(row["id"], template(d.questionnaire))
        out[d.slug] = row
    await ensure_practitioner_questionnaires(out)
    return out


async def by_slug(slug: str) -> dict:
    row = await Initiative.select().where(Initiative.slug == slug).first()
    if row is None:
        raise NotFound(f"No initiative {slug!r}")
    return row


async def all_initiatives() -> list[dict]:
    return await Initiative.select().order_by(Initiative.name)
