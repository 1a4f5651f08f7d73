"""The audit log: an append-only record of sign-ins, exports, erasures, approvals and changes.

Call :func:`record` wherever something worth accounting for happens. It must never be given an
answer, a quote or a participant code: counts, names of things and who did it only.
"""

from __future__ import annotations

from surveys.tables import AuditEvent


async def record(action: str, *, actor: str = "system", initiative_id: int | None = None, detail: str = "") -> None:
    await AuditEvent.insert(AuditEvent(action=action, actor=actor, initiative=initiative_id, detail=detail[:2000]))


async def events(*, initiative_ids: list[int] | None = None, limit: int = 500) -> list[dict]:
    """Newest first; ``initiative_ids`` limits to those initiatives (None: everything, for admins)."""
    query = AuditEvent.select(
        AuditEvent.id, AuditEvent.at, AuditEvent.actor, AuditEvent.action,
        AuditEvent.initiative.slug.as_alias("initiative"), AuditEvent.detail,
    ).order_by(AuditEvent.id, ascending=False).limit(limit)
    if initiative_ids is not None:
        query = query.where(AuditEvent.initiative.is_in(initiative_ids or [-1]))
    return await query
