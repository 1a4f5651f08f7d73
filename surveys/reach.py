"""Reach: how many sessions, places, organisations and people an initiative reached in a period.

These are the figures partners quote ("tested in 12 settings with 54 parents and carers"). Each
is counted in SQL, on either engine, and every one passes through :mod:`surveys.disclosure`
before it leaves, with the initiative's threshold. Each figure carries its label and a note on
where it comes from, because "people" means different things depending on what was recorded:

- participants are distinct participant codes when people gave them; otherwise the numbers
  practitioners wrote on their session forms, summed, and said to be so (someone who came to
  four sessions is four there);
- practitioners are practitioner records: Heard keeps no practitioner identity, so it can count
  forms, not the people who filled them in.

A period is a range of dates, both ends included. A session belongs to it when it was held on
a date in it or, if it has no date (a link left open for months), when anyone answered it then.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from surveys.disclosure import suppress, suppress_count
from surveys.tables import AUDIENCES, QuestionnaireVersion, Response
from surveys.versions import definition_of, questionnaires_of

AUDIENCE_WORDS = {"parent": "parents and carers", "child": "children", "practitioner": "practitioners"}


@dataclass(frozen=True)
class Period:
    """Dates from ``start`` to ``end``, both included; either end may be open."""

    start: dt.date | None = None
    end: dt.date | None = None

    def __post_init__(self) -> None:
        if self.start and self.end and self.start > self.end:
            raise ValueError("The period must start on or before its end")

    @property
    def described(self) -> str:
        fmt = "%-d %B %Y"
        if self.start and self.end:
            return f"{self.start.strftime(fmt)} to {self.end.strftime(fmt)}"
        if self.start:
            return f"from {self.start.strftime(fmt)}"
        if self.end:
            return f"up to {self.end.strftime(fmt)}"
        return "all dates"

    @property
    def starts_at(self) -> dt.datetime | None:
        """The period's first instant (midnight UTC starting its first day); None when open."""
        return _midnight(self.start) if self.start else None

    @property
    def ends_before(self) -> dt.datetime | None:
        """The first instant after the period; None when open, or when its last day is the
        calendar's last (9999-12-31), after which nothing can be."""
        if self.end is None or self.end == dt.date.max:
            return None
        return _midnight(self.end + dt.timedelta(days=1))


@dataclass(frozen=True)
class Scope:
    """Which sessions a reach covers besides its period: a site, a questionnaire (its slug), an
    audience or a phase, as a summary's filters narrow it; None means any."""

    site: str | None = None
    questionnaire: str | None = None
    audience: str | None = None
    phase: str | None = None

    def on(self, session) -> list:
        """Where-clauses on ``session``: the Session table, or a foreign key path leading to it
        (``Response.session``, ``Answer.response.session``)."""
        clauses = []
        if self.site is not None:
            clauses.append(session.site == self.site)
        if self.questionnaire is not None:
            clauses.append(session.questionnaire_version.questionnaire.slug == self.questionnaire)
        if self.audience is not None:
            clauses.append(session.audience == self.audience)
        if self.phase is not None:
            clauses.append(session.phase == self.phase)
        return clauses

    def sql(self, session: str = "s") -> tuple[list[str], list]:
        """The same clauses as SQL on the sessions table aliased ``session``, with their
        arguments (``{}`` marks, as ``Table.raw`` takes them)."""
        clauses: list[str] = []
        params: list = []
        if self.site is not None:
            clauses.append(f"{session}.site = {{}}")
            params.append(self.site)
        if self.questionnaire is not None:
            clauses.append(f"{session}.questionnaire_version IN (SELECT qv.id FROM questionnaire_version qv "  # nosec B608 # the alias is the caller's fixed text; the slug is a bound parameter
                           "JOIN questionnaire q ON q.id = qv.questionnaire WHERE q.slug = {})")
            params.append(self.questionnaire)
        if self.audience is not None:
            clauses.append(f"{session}.audience = {{}}")
            params.append(self.audience)
        if self.phase is not None:
            clauses.append(f"{session}.phase = {{}}")
            params.append(self.phase)
        return clauses, params

    @property
    def narrowed(self) -> bool:
        return any(v is not None for v in (self.site, self.questionnaire, self.audience, self.phase))


EVERYWHERE = Scope()


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC)


@dataclass(frozen=True)
class Figure:
    """One reach figure as it may be published.

    ``value`` is None when the figure is hidden (``hidden`` says why: "primary" for 1 to
    threshold-1, "secondary" when it would give away a small one) or not recorded at all
    (``recorded`` False).
    """

    key: str
    label: str
    value: int | None
    source: str
    threshold: int
    hidden: str | None = None
    recorded: bool = True

    @property
    def shown(self) -> str:
        """The figure as text: a number, "fewer than 10", "hidden" or "not recorded"."""
        if not self.recorded:
            return "not recorded"
        if self.hidden == "primary":
            return f"fewer than {self.threshold}"
        if self.hidden:
            return "hidden"
        return str(self.value)

    @property
    def sentence(self) -> str:
        """"12 settings or sites", for a report's opening lines."""
        return f"{self.shown} {self.label}" if self.recorded else f"{self.label}: not recorded"


@dataclass(frozen=True)
class Reach:
    initiative_id: int
    period: Period
    threshold: int
    sessions: Figure
    sites: Figure
    organisations: Figure
    participants: Figure
    recorded: tuple[Figure, ...]  # each number counted on practitioner forms, summed
    practitioners: Figure
    responses: Figure
    by_audience: tuple[Figure, ...]
    scope: Scope = EVERYWHERE

    @property
    def figures(self) -> tuple[Figure, ...]:
        """Every figure, in the order a summary shows them."""
        return (self.sessions, self.sites, self.organisations, self.participants, *self.recorded,
                self.practitioners, self.responses, *self.by_audience)


def _count(key: str, label: str, count: int, source: str, threshold: int) -> Figure:
    value = suppress_count(count, threshold)
    return Figure(key, label, value, source, threshold, hidden="primary" if value is None else None)


def in_period(hour_column, period: Period):
    """A where-clause on a response's submitted hour, or None for all dates."""
    clause = None
    if period.starts_at:
        clause = hour_column >= period.starts_at
    if period.ends_before:
        until = hour_column < period.ends_before
        clause = until if clause is None else clause & until
    return clause


def period_sql(hour: str, period: Period) -> tuple[list[str], list]:
    """:func:`in_period` as SQL clauses on the column ``hour``, with their arguments."""
    clauses: list[str] = []
    params: list = []
    if period.starts_at:
        clauses.append(f"{hour} >= {{}}")
        params.append(period.starts_at)
    if period.ends_before:
        clauses.append(f"{hour} < {{}}")
        params.append(period.ends_before)
    return clauses, params


Clauses = list[tuple[str | list[str], list]]  # SQL (one clause or several) and its arguments


async def _rows(clauses: Clauses, select: str, tail: str = "") -> list[dict]:
    """``select`` WHERE every clause (SQL and its arguments, or lists of them) holds, then ``tail``."""
    where: list[str] = []
    params: list = []
    for sql, args in clauses:
        if isinstance(sql, list):
            where += sql
        else:
            where.append(sql)
        params += args
    return await Response.raw(f"{select} WHERE {' AND '.join(where)} {tail}", *params)  # nosec B608 # fixed SQL fragments; values are bound parameters


def where_all(query, *clauses):
    for clause in clauses:
        if clause is not None:
            query = query.where(clause)
    return query


async def _sessions_and_sites(initiative_id: int, period: Period, scope: Scope) -> tuple[int, int]:
    scoped = scope.sql("s")
    dated: Clauses = [("s.initiative = {}", [initiative_id]), ("s.held_on IS NOT NULL", []), scoped]
    if period.start:
        dated.append(("s.held_on >= {}", [period.start]))
    if period.end:
        dated.append(("s.held_on <= {}", [period.end]))
    dated_rows = await _rows(dated, "SELECT s.site AS site FROM survey_session s")

    # Undated sessions count when someone answered them in the period.
    # From the response tallies (surveys.tallies): a row per session and hour, not per response.
    undated_rows = await _rows(
        [("t.initiative = {}", [initiative_id]), ("s.held_on IS NULL AND t.n > 0", []),
         period_sql("t.submitted_hour", period), scoped],
        "SELECT DISTINCT t.session AS session, s.site AS site FROM response_tally t "
        "JOIN survey_session s ON s.id = t.session",
    )
    sites = {r["site"].strip().casefold() for r in dated_rows + undated_rows if r["site"] and r["site"].strip()}
    return len(dated_rows) + len(undated_rows), len(sites)


async def _practitioner_questions(initiative_id: int, scope: Scope):
    """``(questionnaire_id, question)`` for every question on a practitioner questionnaire in
    ``scope``, over all its versions (a question keeps its key across versions)."""
    found = {}
    for q in await questionnaires_of(initiative_id):
        if q["audience"] != "practitioner" or scope.audience not in (None, "practitioner"):
            continue
        if scope.questionnaire is not None and q["slug"] != scope.questionnaire:
            continue
        versions = await QuestionnaireVersion.select(QuestionnaireVersion.id, QuestionnaireVersion.fingerprint).where(
            QuestionnaireVersion.questionnaire == q["id"]
        ).order_by(QuestionnaireVersion.number)
        for v in versions:
            for question in (await definition_of(v["id"], v["fingerprint"])).questions:
                found[(q["id"], question.key)] = question  # the latest version's wording wins
    return [(qid, question) for (qid, _), question in found.items()]


async def _practitioner_answers(initiative_id: int, questionnaire_id: int, question_key: str, period: Period,
                                scope: Scope, select: str) -> list[dict]:
    """``select`` (over answers ``a``) on one practitioner question's answers in the period and scope."""
    return await _rows(
        [("r.initiative = {}", [initiative_id]),
         ("r.questionnaire_version IN (SELECT id FROM questionnaire_version WHERE questionnaire = {})",
          [questionnaire_id]),
         ("s.audience = 'practitioner' AND a.question_key = {}", [question_key]),
         period_sql("r.submitted_hour", period), scope.sql("s")],
        f"{select} FROM answer a JOIN response r ON r.id = a.response JOIN survey_session s ON s.id = r.session",
    )


async def reach(initiative: dict, period: Period = Period(), scope: Scope = EVERYWHERE) -> Reach:
    """The reach figures of ``initiative`` (a row with ``id`` and ``suppression_threshold``) in
    ``period``, over the sessions in ``scope`` (a summary's site, questionnaire, audience, phase)."""
    initiative_id, threshold = initiative["id"], initiative["suppression_threshold"]
    sessions, sites = await _sessions_and_sites(initiative_id, period, scope)
    questions = await _practitioner_questions(initiative_id, scope)

    organisations: set[str] = set()
    partner_questions = [(qid, q) for qid, q in questions if q.options_from == "partners"]
    for qid, q in partner_questions:
        rows = await _practitioner_answers(initiative_id, qid, q.key, period, scope,
                                           "SELECT DISTINCT a.option_key AS option_key")
        organisations |= {r["option_key"] for r in rows if r["option_key"]}

    recorded_totals: dict[str, int] = defaultdict(int)
    for qid, q in questions:
        if q.type == "number" and q.counts:
            rows = await _practitioner_answers(initiative_id, qid, q.key, period, scope, "SELECT SUM(a.value) AS n")
            recorded_totals[q.counts] += int(rows[0]["n"] or 0)

    distinct_codes = (await _rows(
        [("r.initiative = {} AND r.pseudonym IS NOT NULL", [initiative_id]),
         period_sql("r.submitted_hour", period), scope.sql("s")],
        "SELECT COUNT(DISTINCT r.pseudonym) AS n FROM response r JOIN survey_session s ON s.id = r.session",
    ))[0]["n"]

    by_audience_rows = await _rows(
        [("t.initiative = {}", [initiative_id]), period_sql("t.submitted_hour", period), scope.sql("s")],
        "SELECT s.audience AS audience, SUM(t.n) AS n FROM response_tally t JOIN survey_session s ON s.id = t.session",
        "GROUP BY s.audience",
    )
    audience_counts = {a: 0 for a in AUDIENCES}
    for row in by_audience_rows:
        audience_counts[row["audience"]] = audience_counts.get(row["audience"], 0) + int(row["n"] or 0)
    breakdown = suppress(list(audience_counts.items()), threshold)
    cells = {c.key: c for c in breakdown.cells}

    def audience_figure(audience: str, key: str, label: str, source: str) -> Figure:
        cell = cells[audience]
        return Figure(key, label, cell.count, source, threshold, hidden=cell.hidden)

    recorded_source = ("summed from the numbers practitioners wrote on each session form; someone who "
                       "came to several sessions is counted at each")
    # One breakdown, not separate counts: "people counted" is their sum, so a small one would
    # otherwise be the sum minus the rest.
    recorded_breakdown = suppress(list(recorded_totals.items()), threshold)
    recorded = tuple(
        Figure(f"recorded:{c.key}", f"{c.key} (counted on practitioner forms)", c.count, recorded_source,
               threshold, hidden=c.hidden)
        for c in recorded_breakdown.cells
    )
    if distinct_codes:
        participants = _count("participants", "participants", distinct_codes,
                              "distinct participant codes given with answers", threshold)
    elif recorded_totals:
        participants = Figure("participants", "people counted on practitioner forms", recorded_breakdown.total,
                              recorded_source, threshold, hidden=recorded_breakdown.total_hidden)
    else:
        participants = Figure("participants", "participants", None,
                              "no participant codes or practitioner counts in this period", threshold,
                              recorded=False)

    if partner_questions:
        organisations_figure = _count("organisations", "delivery organisations", len(organisations),
                                      "distinct organisations named on practitioner logs", threshold)
    else:
        organisations_figure = Figure("organisations", "delivery organisations", None,
                                      "the practitioner forms in this selection do not ask which organisation"
                                      if scope.narrowed else
                                      "this initiative's practitioner forms do not ask which organisation",
                                      threshold, recorded=False)

    return Reach(
        initiative_id=initiative_id,
        period=period,
        threshold=threshold,
        sessions=_count("sessions", "sessions held", sessions,
                        "sessions held on a date in the period, or undated sessions answered in it", threshold),
        sites=_count("sites", "settings or sites", sites, "distinct sites named on those sessions", threshold),
        organisations=organisations_figure,
        participants=participants,
        recorded=recorded,
        practitioners=audience_figure(
            "practitioner", "practitioners", "practitioner records",
            "forms practitioners filled in; Heard keeps no practitioner identity, so one practitioner "
            "who filled in several is counted for each",
        ),
        responses=Figure("responses", "responses in all", breakdown.total, "every response in the period",
                         threshold, hidden=breakdown.total_hidden),
        by_audience=tuple(
            audience_figure(a, f"responses:{a}", f"responses from {AUDIENCE_WORDS.get(a, a)}",
                            f"responses to {a} questionnaires") for a in AUDIENCES
        ),
        scope=scope,
    )
