"""Erasure on request, and deletion when an initiative's retention period runs out.

Both delete ``Response`` rows only; everything that hangs off a response (answers, and quotes or
recordings kept by other modules) is declared ``ON DELETE CASCADE`` and goes with it in the same
statement, so a response is never half deleted, and what was deleted is then made unreadable in
the database's files too (:func:`surveys.db.forget_deleted`). Both are idempotent: running them again deletes
nothing more and does no harm, which is also what makes the daily purge safe when several app
processes each run it. Both are recorded in the audit log with a count, who and when; never with
the participant code or any answer.
"""

from __future__ import annotations

import datetime as dt

from surveys import audit, db
from surveys.initiatives import all_initiatives, by_slug
from surveys.pseudonyms import InvalidCode, pseudonym
from surveys.tables import Response

PURGE_BATCH = 500
# A response's recordings go with it (ON DELETE CASCADE); on PostgreSQL their table is rewritten so
# the audio's bytes leave its files (surveys.db.forget_deleted). Named here, not imported: the
# table belongs to voice/, which surveys/ never imports.
VOICE_NOTES = ("voice_note",)


async def erase(initiative_slug: str, code: str, *, actor: str = "cli") -> int:
    """Delete every response given with ``code`` in this initiative; return how many.

    Raises ``InvalidCode`` when ``code`` is not a valid participant or picture code (so a typo
    is reported rather than silently erasing nothing), and ``NotFound`` for an unknown initiative.
    """
    initiative = await by_slug(initiative_slug)
    try:
        person = pseudonym(initiative_slug, code)
    except InvalidCode:
        raise InvalidCode("That is not a valid participant code: check it against the card.") from None
    count = await _delete_responses((Response.initiative == initiative["id"]) & (Response.pseudonym == person))
    noun = "response" if count == 1 else "responses"
    await audit.record(
        "erased on request", actor=actor, initiative_id=initiative["id"],
        detail=f"{count} {noun} deleted for one participant code",
    )
    return count


async def erase_response(initiative_id: int, response_id: int, *, actor: str) -> bool:
    """Delete one response of the initiative (a lead's choice, e.g. a test entry or a duplicate),
    with everything that hangs off it; False when there is no such response (nothing is recorded).

    The audit entry names the response's number, never its participant code or any answer.
    """
    if await _delete_responses((Response.initiative == initiative_id) & (Response.id == response_id)) == 0:
        return False
    await audit.record("response deleted", actor=actor, initiative_id=initiative_id,
                       detail=f"response {response_id} deleted, with its answers, themes, quotes and voice notes")
    return True


async def _delete_responses(where) -> int:
    """Delete the responses ``where`` selects in one transaction; return how many this call deleted.

    Answers, themes, quote decisions and voice notes go with them by ``ON DELETE CASCADE``.
    """
    async with Response._meta.db.transaction():
        deleted = len(await Response.delete().where(where).returning(Response.id))
    if deleted:
        await db.forget_deleted(rewrite=VOICE_NOTES)
    return deleted


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time ``months`` calendar months earlier (the 31st becomes the month's last)."""
    month_index = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(month_index, 12)
    month += 1
    next_month = dt.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - dt.timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


async def purge(*, now: dt.datetime | None = None, actor: str = "system",
                batch: int = PURGE_BATCH) -> dict[str, int]:
    """Delete responses older than each initiative's retention period; ``{slug: deleted}``.

    A response is kept for ``retention_months`` calendar months after the hour it was sent.
    Deletion goes in batches, each in its own write transaction: a crash mid-purge leaves every
    response either whole or gone, and the next run carries on where this one stopped.
    """
    now = now or dt.datetime.now(dt.UTC)
    deleted: dict[str, int] = {}
    for initiative in await all_initiatives():
        cutoff = months_before(now, initiative["retention_months"])
        expired = (Response.initiative == initiative["id"]) & (Response.submitted_hour < cutoff)
        total = 0
        while True:
            async with Response._meta.db.transaction():
                ids = [row["id"] for row in await Response.select(Response.id).where(expired).limit(batch)]
                if not ids:
                    break
                # RETURNING counts what this process deleted, not what another one already had.
                total += len(await Response.delete().where(Response.id.is_in(ids)).returning(Response.id))
        deleted[initiative["slug"]] = total
        if total:
            await db.forget_deleted(rewrite=VOICE_NOTES)
            await audit.record(
                "retention purge", actor=actor, initiative_id=initiative["id"],
                detail=(f"{total} {'response' if total == 1 else 'responses'} older than "
                        f"{initiative['retention_months']} months deleted"),
            )
    return deleted
