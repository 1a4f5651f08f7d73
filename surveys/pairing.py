"""Pairing a person's before and after answers by pseudonym, in SQL, on either engine.

A response given with a participant code carries its keyed pseudonym (:mod:`surveys.pseudonyms`).
For each pseudonym the latest response in a ``before`` session and the latest in an ``after``
session are taken (someone who answered twice is counted once, with their most recent answers),
and their numeric answers to the same question are paired. Options without a number (such as
"I don't know") and questions answered with several options are left out: there is nothing to
subtract. The pairs feed :func:`surveys.statistics.paired_change`; what a report then shows of
them still goes through :mod:`surveys.disclosure`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from surveys.tables import Answer, QuestionnaireVersion, Response, Session


@dataclass
class PairedValues:
    """One question's pairs: ``before[i]`` and ``after[i]`` are the same person's answers."""

    question_key: str
    before: list[int] = field(default_factory=list)
    after: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.before)


def _pairs_sql(with_questionnaire: bool) -> str:
    response, session = Response._meta.tablename, Session._meta.tablename
    answer, version = Answer._meta.tablename, QuestionnaireVersion._meta.tablename
    questionnaire_filter = "AND v.questionnaire = {}" if with_questionnaire else ""
    # Window functions and CTEs run the same on SQLite (3.25+) and PostgreSQL.
    return f"""
WITH latest AS (
    SELECT r.id, r.pseudonym, s.phase,
           ROW_NUMBER() OVER (
               PARTITION BY r.pseudonym, s.phase
               ORDER BY r.submitted_hour DESC, r.id DESC
           ) AS place
    FROM {response} r
    JOIN {session} s ON s.id = r.session
    JOIN {version} v ON v.id = r.questionnaire_version
    WHERE r.initiative = {{}} {questionnaire_filter}
      AND r.pseudonym IS NOT NULL
      AND s.phase IN ('before', 'after')
),
single AS (
    SELECT a.response, a.question_key, MIN(a.value) AS value
    FROM {answer} a
    JOIN latest l ON l.id = a.response AND l.place = 1
    WHERE a.value IS NOT NULL
    GROUP BY a.response, a.question_key
    HAVING COUNT(*) = 1
)
SELECT b.pseudonym AS pseudonym, sb.question_key AS question_key,
       sb.value AS before_value, sa.value AS after_value
FROM latest b
JOIN latest a ON a.pseudonym = b.pseudonym AND a.phase = 'after' AND a.place = 1
JOIN single sb ON sb.response = b.id
JOIN single sa ON sa.response = a.id AND sa.question_key = sb.question_key
WHERE b.phase = 'before' AND b.place = 1
ORDER BY sb.question_key, b.pseudonym
"""  # nosec B608 # fixed SQL fragments and table names; values are bound parameters


async def paired_values(initiative_id: int, questionnaire_id: int | None = None) -> dict[str, PairedValues]:
    """``{question_key: PairedValues}`` for one initiative (optionally one questionnaire).

    Without ``questionnaire_id`` a before questionnaire and a different after questionnaire are
    paired on the question keys they share.
    """
    args = [initiative_id] + ([questionnaire_id] if questionnaire_id is not None else [])
    rows = await Response.raw(_pairs_sql(questionnaire_id is not None), *args)
    pairs: dict[str, PairedValues] = defaultdict(lambda: PairedValues(""))
    for row in rows:
        values = pairs[row["question_key"]]
        values.question_key = row["question_key"]
        values.before.append(int(row["before_value"]))
        values.after.append(int(row["after_value"]))
    return dict(pairs)

