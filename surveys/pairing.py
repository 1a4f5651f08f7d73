"""The one rule for pairing a person's before and after answers, in SQL, on either engine.

A response given with a participant code carries its keyed pseudonym (:mod:`surveys.pseudonyms`).
Someone may answer a ``before`` session twice (a lost form, a second group) or an ``after`` session
twice (a follow-up). For a partner report the pair that says most about change is the widest one:

    **each person's first before and their last after**, ordered by when they were given
    (the hour kept), then by the order they reached Heard;

and only **single-answer questions with a number** (choice questions whose options are scored) are
paired: "Not sure" has no number, and several options chosen at once have nothing to subtract.
A person counts once per question. The summary, its shared link, every export of it and the
tests use this module and nothing else; "How these figures were made" states the rule
(:data:`RULE`). The pairs feed :func:`surveys.statistics.paired_change`; what a report then
shows of them still goes through :mod:`surveys.disclosure`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from surveys.questionnaires import Question
from surveys.tables import Answer, QuestionnaireVersion, Response, Session
from surveys.versions import definition_of, latest_version

RULE = "each person's first before and last after count; single-answer questions with a numbered scale only"


def pairable(question: Question) -> bool:
    """Whether a question's answers are paired: a single choice whose options carry numbers."""
    return question.type == "choice" and any(o.value is not None for o in question.options)


def pair_counts_sql(scope: str) -> str:
    """SQL counting pairs under the rule: rows of ``question_key, before_value, after_value, n``.

    ``scope`` is a SELECT of ``id, pseudonym, phase, submitted_hour`` for the responses in view
    (its filters, with ``{}`` placeholders, are the caller's); answers are read from ``answer``.
    """
    answer = Answer._meta.tablename
    # Window functions and CTEs run the same on SQLite (3.25+) and PostgreSQL.
    return f"""
WITH scope AS ({scope}),
ends AS (
    SELECT id, pseudonym, phase,
           ROW_NUMBER() OVER (PARTITION BY pseudonym, phase ORDER BY submitted_hour, id) AS from_start,
           ROW_NUMBER() OVER (PARTITION BY pseudonym, phase ORDER BY submitted_hour DESC, id DESC) AS from_end
    FROM scope
    WHERE pseudonym IS NOT NULL AND phase IN ('before', 'after')
),
first_before AS (SELECT id, pseudonym FROM ends WHERE phase = 'before' AND from_start = 1),
last_after AS (SELECT id, pseudonym FROM ends WHERE phase = 'after' AND from_end = 1),
single AS (
    SELECT a.response, a.question_key, MIN(a.value) AS value
    FROM {answer} a
    WHERE a.response IN (SELECT id FROM first_before UNION ALL SELECT id FROM last_after)
      AND a.value IS NOT NULL
    GROUP BY a.response, a.question_key
    HAVING COUNT(*) = 1
)
SELECT sb.question_key AS question_key, sb.value AS before_value, sa.value AS after_value,
       COUNT(*) AS n
FROM first_before b
JOIN last_after l ON l.pseudonym = b.pseudonym
JOIN single sb ON sb.response = b.id
JOIN single sa ON sa.response = l.id AND sa.question_key = sb.question_key
GROUP BY sb.question_key, sb.value, sa.value
"""  # nosec B608 # fixed SQL fragments and table names; values are bound parameters


async def pair_counts(scope: str, params: list, keys: Collection[str]) -> dict[str, dict[tuple[int, int], int]]:
    """``{question_key: {(before value, after value): people}}`` for the pairable ``keys``."""
    rows = await Answer.raw(pair_counts_sql(scope), *params)
    table: dict[str, dict[tuple[int, int], int]] = {}
    for row in rows:
        if row["question_key"] in keys:
            pair = (int(row["before_value"]), int(row["after_value"]))
            table.setdefault(row["question_key"], {})[pair] = int(row["n"])
    return table


@dataclass
class PairedValues:
    """One question's pairs: ``before[i]`` and ``after[i]`` are the same person's answers."""

    question_key: str
    before: list[int] = field(default_factory=list)
    after: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.before)


async def paired_values(initiative_id: int, questionnaire_id: int) -> dict[str, PairedValues]:
    """``{question_key: PairedValues}`` for one questionnaire of an initiative, every response in
    it (the summary applies its own filters through :func:`pair_counts`)."""
    latest = await latest_version(questionnaire_id)
    if latest is None:
        return {}
    definition = await definition_of(latest["id"], latest["fingerprint"])
    keys = {q.key for q in definition.questions if pairable(q)}
    response, session, version = Response._meta.tablename, Session._meta.tablename, QuestionnaireVersion._meta.tablename
    scope = (
        f"SELECT r.id, r.pseudonym, s.phase, r.submitted_hour FROM {response} r "  # nosec B608 # fixed table names; values are bound parameters
        f"JOIN {session} s ON s.id = r.session JOIN {version} v ON v.id = r.questionnaire_version "
        "WHERE r.initiative = {} AND v.questionnaire = {}"
    )
    pairs: dict[str, PairedValues] = {}
    for key, table in sorted((await pair_counts(scope, [initiative_id, questionnaire_id], keys)).items()):
        values = pairs.setdefault(key, PairedValues(key))
        for (before, after), n in sorted(table.items()):
            values.before += [before] * n
            values.after += [after] * n
    return pairs
