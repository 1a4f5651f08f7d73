"""Sessions: the occasions people answer at, each reached by its own typed-or-scanned token."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from piccolo.columns import Column

from surveys import audit, db, text, tokens
from surveys.db import Recent, kept
from surveys.errors import InitiativeArchived, NotFound, SessionClosed, SessionNotOpenYet, SurveyError
from surveys.questionnaires import Definition
from surveys.tables import PHASES, Initiative, QuestionnaireVersion, Session
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
    actor: str | None = None,
) -> dict:
    """Make a session of a questionnaire version; on the audit log as made by ``actor`` if given
    (a lead's page or ``cli``; demo data and tests make theirs unrecorded)."""
    if phase not in PHASES:
        raise ValueError(f"phase must be one of {', '.join(PHASES)}")
    site = place(site)
    errors = check_times(site, opens_at, closes_at)
    if errors:
        raise SessionError(errors)
    if await Initiative.exists().where((Initiative.id == initiative_id) & Initiative.archived_at.is_not_null()):
        raise InitiativeArchived("This initiative is archived: it takes no new sessions until it is restored.")
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
    if actor is not None:
        version = (
            await QuestionnaireVersion.select(
                QuestionnaireVersion.number, QuestionnaireVersion.questionnaire.slug.as_alias("slug")
            )
            .where(QuestionnaireVersion.id == version_id)
            .first()
        )
        assert version is not None  # the session was made from it just above
        await audit.record(
            "session created",
            actor=actor,
            initiative_id=initiative_id,
            detail=f"{version['slug']} version {version['number']}, {audience}",
        )
    row = await Session.select().where(Session.token == token).first()
    assert row is not None  # inserted just above
    return row


# Every respondent request starts here, so it is one hand-written query (the same SQL on both
# engines), not a query built afresh each time: building it cost four times as much as running it.
_OPEN_SESSION = (
    "SELECT s.id, s.token, s.audience, s.phase, s.site, s.opens_at, s.closes_at,"
    " v.id AS version_id, v.fingerprint AS fingerprint, i.id AS initiative_id, i.slug AS initiative_slug,"
    " i.name AS initiative_name, i.summary AS initiative_summary, i.contact AS initiative_contact"
    " FROM survey_session s JOIN questionnaire_version v ON v.id = s.questionnaire_version"
    " JOIN initiative i ON i.id = s.initiative WHERE s.token = {}"
)


# ... and what it reads is kept for a few seconds: a session's questionnaire and window are set when
# it is made, so this only delays, by at most CACHE_SECONDS in other processes, a change to its
# initiative's name or a move to a new questionnaire version (this process forgets at once). The
# window itself is checked against the clock on every request. Unknown tokens are not kept.
CACHE_SECONDS = 5
_recent: Recent[str, dict] = kept(Recent(maxsize=4096, seconds=CACHE_SECONDS))


async def _session_row(token: str) -> dict | None:
    row = _recent.get(token)
    if row is None:
        rows = await db.fetch(_OPEN_SESSION, token, engine=Session._meta.db)
        if not rows:
            return None
        row = _recent[token] = dict(rows[0])
    return row


def forget_recent_sessions() -> None:
    """Drop the kept session rows, after sessions were changed."""
    _recent.clear()


async def open_session(typed_token: str, *, now: dt.datetime | None = None) -> OpenSession:
    """The session a token names, if it is open now; else NotFound, SessionClosed or NotOpenYet."""
    token = tokens.normalise(typed_token)
    if token is None:
        raise NotFound("No such session")
    row = await _session_row(token)
    if row is None:
        raise NotFound("No such session")
    now = now or dt.datetime.now(dt.UTC)
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
            *Session.all_columns(),
            Session.questionnaire_version._.questionnaire._.title.as_alias("questionnaire_title"),
        )
        .where(Session.initiative == initiative_id)
        .order_by(Session.id)
    )


async def session_for_staff(typed_token: str) -> OpenSession:
    """The session a token names, whether or not it is open now: staff type in paper sheets
    after a session has closed (and before one opens, from a group held early). NotFound if none."""
    token = tokens.normalise(typed_token)
    row = await _session_row(token) if token else None
    if row is None or token is None:
        raise NotFound("No such session")
    inside = row["opens_at"] or (row["closes_at"] - dt.timedelta(microseconds=1) if row["closes_at"] else None)
    return await open_session(token, now=inside)


# --- changing a session ----------------------------------------------------------------------
# A session's token never changes: posters, cards and QR codes already printed stay valid
# through any edit. Its questionnaire version doesn't change here either (answers keep pointing
# at the version they answered).

MAX_SITE = 200


class SessionError(SurveyError):
    """A change to a session that can't be made; ``errors`` maps each field to why."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def place(typed: str) -> str:
    """A session's place as kept: one line, in the normal form of :func:`surveys.text.name`;
    SessionError naming the field if it holds a control character."""
    try:
        return " ".join(text.name(typed or "", "The place").split())
    except text.UnsafeText as error:
        raise SessionError({"site": str(error)}) from error


def check_times(site: str, opens_at: dt.datetime | None, closes_at: dt.datetime | None) -> dict[str, str]:
    """What is wrong with a session's place and answering window, by field (empty when all is well)."""
    errors = {}
    try:
        site = place(site)
    except SessionError as error:
        errors.update(error.errors)
    if len(site) > MAX_SITE:
        errors["site"] = f"The place must be {MAX_SITE} characters or fewer"
    if opens_at and closes_at and closes_at <= opens_at:
        errors["closes_at"] = "The closing time must be after the opening time"
    return errors


async def update_session(
    session_id: int,
    *,
    site: str,
    held_on: dt.date | None,
    opens_at: dt.datetime | None,
    closes_at: dt.datetime | None,
    actor: str,
) -> None:
    """Change where and when a session is, and when it takes answers; SessionError if wrong.
    On the audit log: which of its fields changed (their names, not what they became)."""
    site = place(site)
    errors = check_times(site, opens_at, closes_at)
    if errors:
        raise SessionError(errors)
    before = await Session.select().where(Session.id == session_id).first()
    if before is None:
        raise NotFound("No such session")
    after = {"site": site, "held_on": held_on, "opens_at": opens_at, "closes_at": closes_at}
    await Session.update(
        {Session.site: site, Session.held_on: held_on, Session.opens_at: opens_at, Session.closes_at: closes_at}
    ).where(Session.id == session_id)
    forget_recent_sessions()
    changed = [field for field, value in after.items() if str(before[field] or "") != str(value or "")]
    await _audit_session("session changed", before, actor, f": {', '.join(changed) or 'nothing'}")


async def _audit_session(action: str, session: dict, actor: str, detail: str = "") -> None:
    shown = tokens.display(session["token"])
    await audit.record(action, actor=actor, initiative_id=session["initiative"], detail=f"{shown}{detail}")


LOCAL = ZoneInfo("Europe/London")  # where sessions happen: times are typed and shown in Dundee time


def show_time(value: dt.datetime | str | None, locale: str = "en") -> str:
    """``Monday 23 November 2026, 10:00``, in Dundee time, in the reader's language (the pages
    and the audit log alike)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    local = value.astimezone(LOCAL)
    try:
        return format_datetime(local, "EEEE d MMMM y, HH:mm", locale=locale)
    except Exception:  # noqa: BLE001 - an odd locale must never turn a friendly page into an error
        return local.strftime("%A %d %B %Y, %H:%M")


async def close_session(session_id: int, *, now: dt.datetime | None = None, actor: str) -> None:
    """Stop taking answers from now on (a window that hadn't opened yet is dropped too)."""
    now = now or dt.datetime.now(dt.UTC)
    row = (
        await Session.select(Session.opens_at, Session.token, Session.initiative)
        .where(Session.id == session_id)
        .first()
    )
    if row is None:
        raise NotFound("No such session")
    changes: dict[Column | str, Any] = {Session.closes_at: now}
    if row["opens_at"] is not None and row["opens_at"] >= now:
        changes[Session.opens_at] = None
    await Session.update(changes).where(Session.id == session_id)
    forget_recent_sessions()
    await _audit_session("session closed", row, actor)


async def reopen_session(
    session_id: int, *, until: dt.datetime | None = None, now: dt.datetime | None = None, actor: str
) -> None:
    """Take answers again from now, until ``until`` (None: with no closing time)."""
    now = now or dt.datetime.now(dt.UTC)
    if until is not None and until <= now:
        raise SessionError({"closes_at": "The new closing time must be in the future"})
    row = await Session.select(Session.token, Session.initiative).where(Session.id == session_id).first()
    if row is None:
        raise NotFound("No such session")
    await Session.update({Session.closes_at: until}).where(Session.id == session_id)
    forget_recent_sessions()
    await _audit_session("session reopened", row, actor, f" until {show_time(until) if until else 'no closing time'}")


async def delete_session(session_id: int, *, actor: str) -> None:
    """Delete a session nobody has answered; SessionError if anyone has (its answers stay)."""
    from surveys.tables import Response

    row = await Session.select(Session.token, Session.initiative).where(Session.id == session_id).first()
    if row is None:
        raise NotFound("No such session")
    async with Session._meta.db.transaction():
        answered = await Response.count().where(Response.session == session_id)
        if answered:
            raise SessionError(
                {
                    "session": (
                        f"This session has {answered} response{'s' if answered != 1 else ''}, so it can't be deleted: "
                        "close it instead, and its answers stay in the summary"
                    )
                }
            )
        await Session.delete().where(Session.id == session_id)
        await _audit_session("session deleted", row, actor)
    forget_recent_sessions()
