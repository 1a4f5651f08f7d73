"""Share links: a partner opens an initiative's summary without an account, until it expires.

The token is shown once, when the link is made; only its SHA-256 is stored. A link carries the
filters it was made with and can be revoked at any time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets

from surveys import audit, text
from surveys.summary import Filters
from surveys.tables import ShareLink

MAX_DAYS = 365


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_link(initiative_id: int, filters: Filters, *, days: int = 30, label: str = "",
                      created_by: str = "", now: dt.datetime | None = None,
                      actor: str | None = None) -> tuple[str, dict]:
    """Make a link valid for ``days`` days; return the token (shown once) and the stored row.
    On the audit log (how long it lasts, never the token) as made by ``actor`` if given."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"a link can last from 1 to {MAX_DAYS} days")
    token = secrets.token_urlsafe(24)
    now = now or dt.datetime.now(dt.UTC)
    rows = await ShareLink.insert(
        ShareLink(
            initiative=initiative_id,
            token_hash=_hash(token),
            filters=json.dumps(filters.as_dict()),
            label=text.stored(label, bidi=False).strip()[:200],  # a reminder for the lead alone: cleaned
            created_by=created_by[:320],
            expires_at=now + dt.timedelta(days=days),
        )
    )
    if actor is not None:
        await audit.record("summary link made", actor=actor, initiative_id=initiative_id,
                           detail=f"expires in {days} days")
    link = await ShareLink.select().where(ShareLink.id == rows[0]["id"]).first()
    assert link is not None  # inserted just above
    return token, link


async def open_link(token: str, *, now: dt.datetime | None = None) -> tuple[dict, Filters] | None:
    """The link's row and filters if the token is live; None if unknown, expired or revoked."""
    if not token or len(token) > 100:
        return None
    row = await ShareLink.select().where(ShareLink.token_hash == _hash(token)).first()
    now = now or dt.datetime.now(dt.UTC)
    if row is None or row["revoked_at"] is not None or row["expires_at"] <= now:
        return None
    return row, Filters.from_dict(json.loads(row["filters"] or "{}"))


async def links_of(initiative_id: int) -> list[dict]:
    return await ShareLink.select().where(ShareLink.initiative == initiative_id).order_by(ShareLink.id, ascending=False)


async def revoke(initiative_id: int, link_id: int, *, now: dt.datetime | None = None,
                 actor: str | None = None) -> bool:
    """Revoke one of the initiative's links; False if it has no such link. Audited as ``actor``'s
    if given."""
    row = await ShareLink.select(ShareLink.id).where(
        (ShareLink.id == link_id) & (ShareLink.initiative == initiative_id)).first()
    if row is None:
        return False
    await ShareLink.update({ShareLink.revoked_at: now or dt.datetime.now(dt.UTC)}).where(
        ShareLink.id == link_id)
    if actor is not None:
        await audit.record("summary link revoked", actor=actor, initiative_id=initiative_id, detail=f"link {link_id}")
    return True
