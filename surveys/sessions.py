"""Sessions: the occasions people answer at, each reached by its own typed-or-scanned token."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from surveys import tokens
from surveys.errors import NotFound, SessionClosed, SessionNotOpenYet
from surveys.questionnaires import Definition
from surveys.tables import PHASES, Session
from surveys.versions import definition_of


@dataclass(frozen=True)
class OpenSession:
    """Everything a respondent page needs about the session it serves."""

    id: int
    token: str
    initiative_id: int
    initiative_slug: str
    initiative_name: str
    initiative_summary: str
    initiative_contact: str
    version_id: int
    definition: Definition
    audience: str
    phase: str
    site: str

    @property
    def display_token(self) -> str:
        return tokens.display(self.token)


async def create_session(
    initiative_id: int,
    version_id: int,
    *,
    audience: str,
    phase: str = "single",
    site: str = "",
    held_on: dt.date | None = None,
    opens_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
) -> dict:
    if phase not in PHASES:
        raise ValueError(f"phase must be one of {', '.join(PHASES)}")
    token = tokens.new_token()
    await Session.insert(
        Session(
            initiative=initiative_id,
            questionnaire_version=version_id,
            token=token,
            site=site,
            audience=audience,
            phase=phase,
            held_on=held_on,
            opens_at=opens_at,
            closes_at=closes_at,
        )
    )
    return await Session.select().where(Session.token == token).first()


async def open_session(typed_token: str, *, now: dt.datetime | None = None) -> OpenSession:
    """The session a token names, if it is open now; else NotFound, SessionClosed or NotOpenYet."""
    token = tokens.normalise(typed_token)
    if token is None:
        raise NotFound("No such session")
    row = await (
        Session.select(
            Session.id,
            Session.token,
            Session.audience,
            Session.phase,
            Session.site,
            Session.opens_at,
            Session.closes_at,
            Session.questionnaire_version.id.as_alias("version_id"),
            Session.questionnaire_version.fingerprint.as_alias("fingerprint"),
            Session.initiative.id.as_alias("initiative_id"),
            Session.initiative.slug.as_alias("initiative_slug"),
            Session.initiative.name.as_alias("initiative_name"),
            Session.initiative.summary.as_alias("initiative_summary"),
            Session.initiative.contact.as_alias("initiative_contact"),
        )
        .where(Session.token == token)
        .first()
    )
    if row is None:
        raise NotFound("No such session")
    now = now or dt.datetime.now(dt.timezone.utc)
    if row["opens_at"] is not None and now < row["opens_at"]:
        raise SessionNotOpenYet(row["opens_at"])
    if row["closes_at"] is not None and now >= row["closes_at"]:
        raise SessionClosed(row["closes_at"])
    return OpenSession(
        id=row["id"],
        token=row["token"],
        initiative_id=row["initiative_id"],
        initiative_slug=row["initiative_slug"],
        initiative_name=row["initiative_name"],
        initiative_summary=row["initiative_summary"],
        initiative_contact=row["initiative_contact"],
        version_id=row["version_id"],
        definition=await definition_of(row["version_id"], row["fingerprint"]),
        audience=row["audience"],
        phase=row["phase"],
        site=row["site"],
    )


async def sessions_of(initiative_id: int) -> list[dict]:
    return await (
        Session.select(
            Session.all_columns(),
            Session.questionnaire_version.questionnaire.title.as_alias("questionnaire_title"),
        )
        .where(Session.initiative == initiative_id)
        .order_by(Session.id)
    )
