"""Practitioner records: the short forms workers fill in straight after a meeting or session,
and each initiative's list of delivery partners those forms can name.

A question with ``options_from = "partners"`` offers the initiative's delivery partners. The
list is written into the definition before it is saved, so every version says exactly what was
offered; changing the list saves a new version and moves open sessions of that questionnaire
onto it (responses keep the version they answered). Option keys are ``partner-{id}``, so a
renamed partner keeps its answers together.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from surveys import audit, text
from surveys.errors import SurveyError
from surveys.questionnaires import Definition, parse_definition
from surveys.sessions import forget_recent_sessions
from surveys.tables import DeliveryPartner, Questionnaire, QuestionnaireVersion, Session
from surveys.versions import definition_of, latest_version, save_version

MAX_NAME = 200


class PartnerError(SurveyError):
    """A delivery partner's name is missing, too long or already on the list."""


@dataclass(frozen=True)
class Partner:
    id: int
    name: str

    @property
    def option_key(self) -> str:
        return f"partner-{self.id}"


async def partners_of(initiative_id: int) -> list[Partner]:
    rows = await (
        DeliveryPartner.select(DeliveryPartner.id, DeliveryPartner.name)
        .where(DeliveryPartner.initiative == initiative_id)
        .order_by(DeliveryPartner.id)
    )
    return [Partner(r["id"], r["name"]) for r in rows]


def with_partners(definition: Definition, partners: list[Partner]) -> Definition:
    """``definition`` with every ``options_from = "partners"`` question offering ``partners``."""
    raw = copy.deepcopy(dict(definition.raw))
    for q in raw.get("questions", []):
        if q.get("options_from") == "partners":
            q["options"] = [{"key": p.option_key, "label": p.name} for p in partners]
    # stored: the names come from the database, and one saved before surveys.text must not stop this
    return parse_definition(raw, source=f"{definition.slug} with delivery partners", stored=True)


def uses_partners(definition: Definition) -> bool:
    return any(q.options_from == "partners" for q in definition.questions)


async def save_with_partners(initiative_id: int, definition: Definition) -> dict | None:
    """Save a version of ``definition``, offering the initiative's delivery partners where it asks
    for them; None (nothing saved) while it asks for partners and the initiative has none yet."""
    if uses_partners(definition):
        partners = await partners_of(initiative_id)
        if not partners:
            return None  # nothing to offer yet: a lead adds the partners, then it is saved
        definition = with_partners(definition, partners)
    return await save_version(initiative_id, definition)


async def ensure_partners(initiative_id: int, names: tuple[str, ...]) -> None:
    """Give an initiative these delivery partners, only when it has none (a pack's starting list)."""
    if names and not await DeliveryPartner.exists().where(DeliveryPartner.initiative == initiative_id):
        await DeliveryPartner.insert(*(DeliveryPartner(initiative=initiative_id, name=n) for n in names))


def _clean(name: str) -> str:
    try:
        name = " ".join(text.name(name or "", "The organisation's name").split())
    except text.UnsafeText as error:
        raise PartnerError(str(error)) from None
    if not name:
        raise PartnerError("Enter the organisation's name")
    if len(name) > MAX_NAME:
        raise PartnerError(f"The organisation's name must be {MAX_NAME} characters or fewer")
    return name


async def add_partner(initiative_id: int, name: str, *, actor: str | None = None) -> Partner:
    """Add an organisation to the list practitioners choose from; audited as ``actor``'s if given."""
    name = _clean(name)
    existing = await partners_of(initiative_id)
    if any(p.name.casefold() == name.casefold() for p in existing):
        raise PartnerError(f"{name} is already on the list")
    async with DeliveryPartner._meta.db.transaction():
        rows = await DeliveryPartner.insert(DeliveryPartner(initiative=initiative_id, name=name))
        await refresh_partner_questionnaires(initiative_id)
        if actor is not None:
            await audit.record("delivery partner added", actor=actor, initiative_id=initiative_id, detail=name)
    return Partner(rows[0]["id"], name)


async def remove_partner(initiative_id: int, partner_id: int, *, actor: str | None = None) -> None:
    """Take a partner off the list. Records that named it keep its answer (and its earlier
    version's label); it is simply not offered any more. Audited as ``actor``'s if given."""
    remaining = [p for p in await partners_of(initiative_id) if p.id != partner_id]
    if not remaining:
        raise PartnerError("Keep at least one organisation on the list")
    async with DeliveryPartner._meta.db.transaction():
        await DeliveryPartner.delete().where(
            (DeliveryPartner.id == partner_id) & (DeliveryPartner.initiative == initiative_id)
        )
        await refresh_partner_questionnaires(initiative_id)
        if actor is not None:
            await audit.record("delivery partner removed", actor=actor, initiative_id=initiative_id,
                               detail=f"partner {partner_id}")


async def refresh_partner_questionnaires(initiative_id: int) -> None:
    """Save a new version of every questionnaire that offers the partner list, and move the
    initiative's sessions of that questionnaire onto it so links already handed out offer the
    new list."""
    questionnaires = await Questionnaire.select().where(Questionnaire.initiative == initiative_id)
    for q in questionnaires:
        latest = await latest_version(q["id"])
        if latest is None:
            continue
        definition = await definition_of(latest["id"], latest["fingerprint"])
        if not uses_partners(definition):
            continue
        partners = await partners_of(initiative_id)
        if not partners:
            continue  # a question with no answers to offer would stop every form; keep the last list
        version = await save_version(initiative_id, with_partners(definition, partners))
        if version["id"] != latest["id"]:
            older = await QuestionnaireVersion.select(QuestionnaireVersion.id).where(
                QuestionnaireVersion.questionnaire == q["id"]
            )
            await Session.update({Session.questionnaire_version: version["id"]}).where(
                (Session.initiative == initiative_id)
                & Session.questionnaire_version.is_in([v["id"] for v in older])
            )
            forget_recent_sessions()


async def partner_names(initiative_id: int) -> dict[str, str]:
    """``{option_key: name}`` for the partners on the list now."""
    return {p.option_key: p.name for p in await partners_of(initiative_id)}

