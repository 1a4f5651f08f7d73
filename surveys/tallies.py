"""The response and answer tallies: counts kept by database triggers, summed by the pages.

:class:`surveys.tables.ResponseTally` and :class:`surveys.tables.AnswerTally` hold, for every
session, questionnaire version and hour, how many responses came (by way) and how many answers
chose each option (``''`` for a written answer). The triggers that keep them are in the
migration ``surveys_2026_12_07t09_00_00``; they run in the statement that writes the rows, so a
count from a tally is the count of the rows in the same transaction.

Queries read a tally as ``response r`` would be read: it has the response's ``initiative``,
``session``, ``questionnaire_version`` and ``submitted_hour`` columns, so the filters written
for responses apply unchanged, and ``SUM(r.n)`` stands for ``COUNT(*)``.

:func:`differences` recounts the rows and names every tally that disagrees, for a test or an
operator's check; it reads every row, so it is not for a page.
"""

from __future__ import annotations

from surveys.tables import Response

RESPONSE_KEY = ("initiative", "questionnaire_version", "session", "submitted_hour", "way")
ANSWER_KEY = ("initiative", "questionnaire_version", "session", "submitted_hour", "question_key", "option_key")


def _hour(value) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


async def _counts(sql: str, key: tuple[str, ...], params: list) -> dict[tuple, tuple[int, int]]:
    """``{key: (rows, written)}`` (written only for answers), leaving out what counts nothing."""
    rows = await Response.raw(sql, *params)
    out = {}
    for row in rows:
        counted = (int(row["n"]), int(row.get("written") or 0))
        if any(counted):
            out[tuple(_hour(row[k]) if k == "submitted_hour" else row[k] for k in key)] = counted
    return out


_R_COLUMNS = ", ".join(f"r.{k}" for k in RESPONSE_KEY)
_A_GROUP = (
    "r.initiative, r.questionnaire_version, r.session, r.submitted_hour, a.question_key, COALESCE(a.option_key, '')"
)
_ROWS_KEPT = {
    "response_tally": (RESPONSE_KEY, f"SELECT {_R_COLUMNS}, n FROM response_tally r"),  # nosec B608 # fixed SQL; no values
    "answer_tally": (ANSWER_KEY, f"SELECT {', '.join('r.' + k for k in ANSWER_KEY)}, n, written FROM answer_tally r"),  # nosec B608 # fixed SQL
}


def _recount(tally: str, scope: str = "") -> str:
    """The rows counted as ``tally`` counts them, key columns first (as the tally has them)."""
    if tally == "response_tally":
        return f"SELECT {_R_COLUMNS}, COUNT(*) AS n FROM response r {scope} GROUP BY {_R_COLUMNS}"  # nosec B608 # fixed SQL; values are bound
    return (
        f"SELECT {_A_GROUP} AS option_key, COUNT(*) AS n, SUM(CASE WHEN a.text IS NULL THEN 0 ELSE 1 END) AS written "  # nosec B608 # fixed SQL; values are bound
        f"FROM answer a JOIN response r ON r.id = a.response {scope} GROUP BY {_A_GROUP}"
    )


async def differences(initiative_id: int | None = None) -> list[tuple[str, tuple, tuple, tuple]]:
    """``(tally, key, kept, recounted)`` for every tally that disagrees with its rows, each count
    a pair (rows, written answers among them); ``[]`` when all agree."""
    scope, params = ("WHERE r.initiative = {}", [initiative_id]) if initiative_id is not None else ("", [])
    out = []
    for name, (key, kept_sql) in _ROWS_KEPT.items():
        kept = await _counts(f"{kept_sql} {scope}", key, params)
        recounted = await _counts(_recount(name, scope), key, params)
        for k in sorted(set(kept) | set(recounted), key=repr):
            if kept.get(k, (0, 0)) != recounted.get(k, (0, 0)):
                out.append((name, k, kept.get(k, (0, 0)), recounted.get(k, (0, 0))))
    return out


_REBUILD = [
    "DELETE FROM response_tally",
    "DELETE FROM answer_tally",
    f"INSERT INTO response_tally ({', '.join(RESPONSE_KEY)}, n) {_recount('response_tally')}",  # nosec B608 # fixed SQL
    f"INSERT INTO answer_tally ({', '.join(ANSWER_KEY)}, n, written) {_recount('answer_tally')}",  # nosec B608 # fixed SQL
]


async def rebuild() -> None:
    """Count every tally again from the rows, in one transaction (for an operator who finds
    :func:`differences`, say after editing rows with the triggers turned off)."""
    async with Response._meta.db.transaction():
        for sql in _REBUILD:
            await Response.raw(sql)
