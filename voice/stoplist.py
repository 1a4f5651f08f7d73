"""An initiative's stop-list: names redaction always removes from its new answers.

Leads add the names the shipped first-name list can't know: staff ("Mrs Kowalska"), schools
("St Mary's Primary"), places. They apply to answers that arrive after they are added; stored
answers are never re-read with a person's original words, which are gone.
"""

from __future__ import annotations

from collections.abc import Callable

from surveys import audit, db, text
from surveys.db import Recent, kept
from voice.redaction import redact
from voice.tables import StopName

MAX_NAME = 200


# Read on every submission, so kept for a few seconds; this process forgets at once when a lead
# changes the list, other processes within CACHE_SECONDS.
CACHE_SECONDS = 5
_recent: Recent[int, tuple[str, ...]] = kept(Recent(maxsize=1024, seconds=CACHE_SECONDS))


async def stop_names(initiative_id: int) -> tuple[str, ...]:
    names = _recent.get(initiative_id)
    if names is None:
        rows = await db.fetch("SELECT name FROM stop_name WHERE initiative = {} ORDER BY name", initiative_id,
                              engine=StopName._meta.db)
        names = _recent[initiative_id] = tuple(r["name"] for r in rows)
    return names


async def stop_list(initiative_id: int) -> list[dict]:
    return await StopName.select(StopName.id, StopName.name).where(
        StopName.initiative == initiative_id).order_by(StopName.name)


async def add_stop_name(initiative_id: int, name: str, *, actor: str) -> bool:
    """Add a name (ignored if blank or already there); the name itself is not written to the audit log.

    Cleaned, never refused: answers lose their control characters on the way in
    (surveys.text), so a name keeping one would match nothing, and NUL can't be stored."""
    name = " ".join(text.stored(name, bidi=False).split())[:MAX_NAME]
    if not name or name.lower() in (n.lower() for n in await stop_names(initiative_id)):
        return False
    await StopName.insert(StopName(initiative=initiative_id, name=name))
    _recent.pop(initiative_id, None)
    await audit.record("stop-list name added", actor=actor, initiative_id=initiative_id)
    return True


async def remove_stop_name(initiative_id: int, stop_name_id: int, *, actor: str) -> None:
    await StopName.delete().where((StopName.id == stop_name_id) & (StopName.initiative == initiative_id))
    _recent.pop(initiative_id, None)
    await audit.record("stop-list name removed", actor=actor, initiative_id=initiative_id)


async def text_filter_for(initiative_id: int) -> Callable[[str], str]:
    """The redaction a new answer to this initiative goes through, its stop-list included."""
    names = await stop_names(initiative_id)
    return lambda answer: redact(answer, stop_names=names).text
