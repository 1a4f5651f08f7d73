"""The audit log: an append-only record of sign-ins, exports, erasures, approvals and changes.

Each domain action records itself, with the ``actor`` it is given (``surveys.sessions``,
``surveys.accounts``, ``voice.quotes``, ...); an event that is a face's alone has a small function
here. :func:`record` must never be given an answer, a quote or a participant code: counts, names of
things and who did it only. Pages and CLI commands call the action, not :func:`record`.
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


# Events that are a face's alone (a file downloaded, a sheet of cards printed): each named here once,
# so the web page and the CLI that do the same thing write the same entry.

async def audit_log_downloaded(*, actor: str, initiative_id: int | None = None) -> None:
    await record("audit log downloaded", actor=actor, initiative_id=initiative_id)


async def responses_downloaded(initiative_id: int, what: str, *, actor: str) -> None:
    """``what``: the kind of file and, for a filtered one, its filters (never an answer)."""
    await record("responses downloaded", actor=actor, initiative_id=initiative_id, detail=what)


async def summary_exported(initiative_id: int, fmt: str, filters: str, *, actor: str) -> None:
    """``filters``: the filters the summary was made with, as the face shows them."""
    await record(f"summary exported ({fmt})", actor=actor, initiative_id=initiative_id, detail=filters)


async def cards_printed(initiative_id: int, count: int, *, actor: str) -> None:
    """Participant cards made: how many, never their codes."""
    await record("participant cards printed", actor=actor, initiative_id=initiative_id, detail=f"{count} cards")
