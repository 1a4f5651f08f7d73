"""The initiatives Heard serves, each started from a pack (:mod:`surveys.packs`)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from surveys import audit, packs, text
from surveys.errors import NotFound, SurveyError
from surveys.keys import initiative_key
from surveys.practitioners import ensure_partners, save_with_partners
from surveys.questionnaires import load_file
from surveys.tables import Initiative, Questionnaire


async def ensure_from_packs(names: tuple[str, ...] | list[str]) -> dict[str, dict]:
    """Make each pack's initiative (under the pack's own slug) if missing, with the questionnaires
    and delivery partners it starts with; by initiative slug. Every pack is checked first."""
    chosen = [packs.get(name) for name in names]
    out = {}
    for pack in chosen:
        row = await Initiative.select().where(Initiative.slug == pack.initiative_slug).first()
        if row is None:
            row = await create_initiative(pack.initiative_name, slug=pack.initiative_slug, pack=pack.name)
        else:
            await start_with_pack(row, pack)
        out[pack.initiative_slug] = row
    return out


async def start_with_pack(initiative: dict, pack: packs.Pack) -> None:
    """Give an initiative its pack's delivery partners (if it has none) and the questionnaires the
    pack starts with. Only those it lacks: once one exists, a lead's imported edits are the
    questionnaire, and a restart must not quietly put the shipped wording back as a newer version."""
    await ensure_partners(initiative["id"], pack.partners)
    for slug in pack.start_with:
        existing = await Questionnaire.exists().where(
            (Questionnaire.initiative == initiative["id"]) & (Questionnaire.slug == slug)
        )
        if not existing:
            await save_with_partners(initiative["id"], load_file(pack.questionnaire_file(slug)))


async def by_slug(slug: str) -> dict:
    row = await Initiative.select().where(Initiative.slug == slug).first()
    if row is None:
        raise NotFound(f"No initiative {slug!r}")
    return row


async def all_initiatives() -> list[dict]:
    return await Initiative.select().order_by(Initiative.name)


MAX_NAME = 200
MAX_SLUG = 64
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Words of the web address that mean something else there (/lead/admin/…, /lead/login, …).
RESERVED_SLUGS = frozenset({"admin", "login", "logout", "account", "accounts", "users", "audit", "new",
                            "password", "static", "api", "schema"})


class InitiativeError(SurveyError):
    """An initiative can't be made or changed as asked; ``errors`` names each field's problem."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(errors.values()))


def slug_for(name: str) -> str:
    """The web-address form of a name: "Together to Thrive" gives "together-to-thrive"."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return "-".join(re.findall(r"[a-z0-9]+", plain))[:MAX_SLUG].strip("-")


def _checked_name(typed: str | None, blank: str) -> tuple[str, dict[str, str]]:
    """The name as kept (one line, in the normal form of :func:`surveys.text.name`), and what is
    wrong with it by field (``blank`` when there is no name)."""
    try:
        name = " ".join(text.name(typed or "", "The initiative's name").split())
    except text.UnsafeText as error:
        return "", {"name": str(error)}
    if not name:
        return name, {"name": blank}
    if len(name) > MAX_NAME:
        return name, {"name": f"The initiative's name must be {MAX_NAME} characters or fewer"}
    return name, {}


async def create_initiative(name: str, *, slug: str | None = None, pack: str | None = None,
                            summary: str | None = None, contact: str | None = None,
                            actor: str | None = None) -> dict:
    """Make an initiative, from a pack (its questionnaires, partners, codebook and privacy wording)
    or blank, and its pseudonym key. Everything is checked first; nothing is half-made. On the
    audit log as made by ``actor`` if given (an admin's page or ``cli``)."""
    name, errors = _checked_name(name, "Enter the initiative's name")
    slug = (slug or "").strip() or slug_for(name)
    if "name" not in errors and not slug:
        errors["slug"] = "Enter a short web address for the initiative, like together-to-thrive"
    elif slug and (not SLUG.fullmatch(slug) or len(slug) > MAX_SLUG):
        errors["slug"] = ("The web address can only have lower-case letters, numbers and single dashes "
                          f"between them, and {MAX_SLUG} characters at most, like together-to-thrive")
    elif slug in RESERVED_SLUGS:
        errors["slug"] = f"{slug!r} is already used by Heard's own pages: choose another web address"
    chosen = None
    if pack:
        try:
            chosen = packs.get(pack)
            for questionnaire in chosen.start_with:  # every file read and checked before anything is made
                load_file(chosen.questionnaire_file(questionnaire))
        except (packs.PackError, ValueError) as error:
            errors["pack"] = str(error)
    if name and "name" not in errors and await _name_taken(name):
        errors["name"] = f"There is already an initiative called {name}"
    if "slug" not in errors and slug and await Initiative.exists().where(Initiative.slug == slug):
        errors["slug"] = f"The web address {slug!r} is already used by another initiative"
    if errors:
        raise InitiativeError(errors)
    privacy: dict[str, Any] = {f"privacy_{field}": wording for field, wording in (chosen.privacy if chosen else ())}
    async with Initiative._meta.db.transaction():
        await Initiative.insert(Initiative(
            slug=slug, name=name, pack=chosen.name if chosen else "",
            summary=summary if summary is not None else (chosen.summary if chosen else ""),
            contact=contact if contact is not None else (chosen.contact if chosen else ""),
            **privacy,
        ))
        row = await Initiative.select().where(Initiative.slug == slug).first()
        assert row is not None  # inserted just above
        if chosen:
            await start_with_pack(row, chosen)
    initiative_key(slug)  # made now, held apart from the database (surveys.keys)
    if actor is not None:
        await audit.record("initiative created", actor=actor, initiative_id=row["id"],
                           detail=f"from pack {row['pack']}" if row["pack"] else "blank")
    return row


async def _name_taken(name: str, *, but: int | None = None) -> bool:
    """Whether another initiative has this name, in any case (initiatives are few: compared here,
    not with LIKE, whose % and _ a name may contain)."""
    rows = await Initiative.select(Initiative.id, Initiative.name)
    return any(r["name"].casefold() == name.casefold() and r["id"] != but for r in rows)


async def rename_initiative(slug: str, name: str, *, actor: str | None = None) -> dict:
    """Give an initiative a new name; its web address (and so its key and links) stays. On the
    audit log, old name and new, as done by ``actor`` if given."""
    row = await by_slug(slug)
    name, errors = _checked_name(name, "Enter the initiative's new name")
    if errors:
        raise InitiativeError(errors)
    if await _name_taken(name, but=row["id"]):
        raise InitiativeError({"name": f"There is already an initiative called {name}"})
    await Initiative.update({Initiative.name: name}).where(Initiative.id == row["id"])
    after = await by_slug(slug)
    if actor is not None:
        await audit.record("initiative renamed", actor=actor, initiative_id=row["id"],
                           detail=f"{row['name']} → {after['name']}")
    return after


async def archive_initiative(slug: str, *, archived: bool = True, now: dt.datetime | None = None,
                             actor: str | None = None) -> dict:
    """Archive an initiative (no new sessions; its data kept until retention ends) or restore it;
    on the audit log as done by ``actor`` if given."""
    row = await by_slug(slug)
    when = (now or dt.datetime.now(dt.UTC)) if archived else None
    await Initiative.update({Initiative.archived_at: when}).where(Initiative.id == row["id"])
    if actor is not None:
        await audit.record("initiative archived" if archived else "initiative restored", actor=actor,
                           initiative_id=row["id"])
    return await by_slug(slug)
