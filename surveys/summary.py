"""A partner summary of an initiative: headline lines, per-question results and before/after change.

Everything is counted in SQL (grouped counts, never one row per response in Python) and every
count then goes through :mod:`surveys.disclosure` before it is put in the :class:`Summary`. The
summary holds numbers, keys and the questionnaire's own wording only: the web layer turns them
into sentences in the reader's language ("23 of 23 parents (100%) felt listened to").

Before and after, three ways, each labelled for what it is:

- *paired*: the same pseudonym answered a ``before`` session and an ``after`` session of the same
  questionnaire (the first before and the last after, if someone answered more than once; single
  answers on a numbered scale only): the one rule, in :mod:`surveys.pairing`;
- *then and now*: a ``pair`` question answered in one response (``key.before`` / ``key.now``);
- *not paired*: the before answers and the after answers as two separate groups, for when codes
  were not used. It says nothing about whether any one person changed.

Themes and quotes belong to :mod:`voice`, which this package never imports: the caller passes
a ``themes`` callable that returns them (the web layer wires the real one in).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from surveys.comparisons import comparisons_of
from surveys.disclosure import PRIMARY, Breakdown, Cell, suppress, suppress_count
from surveys.pairing import pair_counts, pairable
from surveys.questionnaires import Question
from surveys.reach import Period, Reach, Scope, reach
from surveys.statistics import MIN_PAIRS, PairedChange, paired_change_from_counts, wilson_interval
from surveys.tables import WAYS, Answer
from surveys.versions import definition_of, latest_version, questionnaires_of

PHASES = ("before", "after", "single")
AUDIENCES = ("parent", "child", "practitioner")


@dataclass(frozen=True)
class Filters:
    """Which responses a summary covers. Dates are inclusive and compared in UTC."""

    questionnaire: str | None = None  # a questionnaire slug
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    site: str | None = None
    audience: str | None = None
    phase: str | None = None

    def __post_init__(self) -> None:
        if self.audience is not None and self.audience not in AUDIENCES:
            raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}")
        if self.phase is not None and self.phase not in PHASES:
            raise ValueError(f"phase must be one of {', '.join(PHASES)}")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("the start date is after the end date")

    @property
    def period(self) -> Period:
        """The dates as a period, which knows the instants they start and end at."""
        return Period(self.date_from, self.date_to)

    @property
    def scope(self) -> Scope:
        """The filters besides dates, as the sessions a reach covers."""
        return Scope(site=self.site, questionnaire=self.questionnaire, audience=self.audience, phase=self.phase)

    def as_dict(self) -> dict[str, str]:
        """The filters that are set, as text (for links, share links and the method note)."""
        out = {
            "questionnaire": self.questionnaire,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "site": self.site,
            "audience": self.audience,
            "phase": self.phase,
        }
        return {k: v for k, v in out.items() if v}

    @classmethod
    def from_dict(cls, data: dict) -> Filters:
        """Read filters from text (a query string or a share link); blank means "all"."""

        def text(name):
            value = str(data.get(name) or "").strip()
            return value or None

        def date(name):
            value = text(name)
            try:
                return dt.date.fromisoformat(value) if value else None
            except ValueError:
                raise ValueError(f"{name!r} must be a date like 2026-09-30") from None

        return cls(
            questionnaire=text("questionnaire"),
            date_from=date("from"),
            date_to=date("to"),
            site=text("site"),
            audience=text("audience"),
            phase=text("phase"),
        )


@dataclass(frozen=True)
class Share:
    """``count`` of ``n`` with its Wilson 95% interval; ``count`` None when it must be hidden.

    ``hidden`` is "primary" (1 to threshold-1: say "fewer than {threshold}") or "secondary"
    (hidden so another hidden count can't be worked out); ``n`` None when the group is too small.
    """

    count: int | None
    n: int | None
    share: float | None
    low: float | None
    high: float | None
    hidden: str | None


@dataclass(frozen=True)
class Headline:
    """One partner line: ``top.count`` of ``top.n`` {audience} ({share}) {wording}."""

    questionnaire: str
    question: str
    wording: str  # from the questionnaire: "felt listened to"
    audience: str
    top: Share
    uniform: bool  # everyone gave the same answer: look before sharing
    # The wording in other languages, where the questionnaire gives it ({"pl": "Czuli się wysłuchani"}).
    translated: Mapping[str, str] = field(default_factory=dict, compare=False)

    def wording_in(self, lang: str) -> tuple[str, str]:
        """The wording in ``lang`` if translated, else English: ``(wording, its language)``."""
        return (self.translated[lang], lang) if self.translated.get(lang) else (self.wording, "en")


@dataclass(frozen=True)
class OptionResult:
    key: str
    label: str
    value: int | None
    aside: bool  # "not sure" and the like: shown apart, never scored
    top: bool
    count: int | None
    share: float | None
    hidden: str | None


@dataclass(frozen=True)
class QuestionResult:
    key: str  # the answer key ("confidence.now" for half of a pair)
    text: str
    type: str
    ordered: bool  # the options have an order (a diverging bar makes sense)
    n: int | None  # people who answered it, None when hidden
    n_hidden: str | None
    options: tuple[OptionResult, ...]  # written answers: one option "written"
    top: Share | None  # the top-box share, None for written answers and unordered questions
    uniform: bool


@dataclass(frozen=True)
class Change:
    """Before/after change on one question. ``kind`` is "paired", "then-and-now".

    Counts are suppressed like any other; when there are fewer pairs than the threshold nothing
    but that fact is shown (``shown`` False): a median of three people describes those people.
    """

    kind: str
    question: str
    text: str
    pairs: int | None
    pairs_hidden: str | None
    shown: bool
    better: int | None
    same: int | None
    worse: int | None
    better_share: float | None
    same_share: float | None
    worse_share: float | None
    hidden: tuple[tuple[str, str], ...]  # (better/same/worse, why) for each hidden one
    median_change: float | None
    p_value: float | None
    effect_size_r: float | None
    note: str | None  # why there is no p-value (from surveys.statistics), if there is none
    before_top: Share | None  # the top-box share before and after, for the dumbbell chart
    after_top: Share | None


@dataclass(frozen=True)
class Unpaired:
    """Before answers and after answers as two separate groups: not the same people, not paired.

    The two groups add up to the whole shown elsewhere, so a hidden count in any of the three
    could be worked out from the other two. The split is therefore shown only when nothing in
    the whole or either part is hidden; otherwise ``before`` and ``after`` are None.
    """

    question: str
    text: str
    before: QuestionResult | None
    after: QuestionResult | None


@dataclass(frozen=True)
class QuestionnaireSummary:
    slug: str
    title: str
    audience: str
    versions: tuple[int, ...]
    responses: int | None  # None when fewer than the threshold
    headlines: tuple[Headline, ...]
    questions: tuple[QuestionResult, ...]
    changes: tuple[Change, ...]
    unpaired: tuple[Unpaired, ...]


@dataclass(frozen=True)
class ThemeInput:
    """What a themes provider returns: a theme, how many answers mention it, approved quotes."""

    key: str
    label: str
    mentions: int
    quotes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Theme:
    key: str
    label: str
    mentions: int | None  # None when 1 to threshold-1
    quotes: tuple[str, ...]


@dataclass(frozen=True)
class MethodNote:
    responses: int | None
    first: dt.date | None  # the period the responses cover (submitted dates, UTC)
    last: dt.date | None
    threshold: int
    hidden_small: int  # counts hidden because they were 1 to threshold-1
    hidden_secondary: int  # counts hidden so that a small one can't be worked out
    pairs_too_few: int  # before/after items with too few pairs to report
    sentiment_used: bool = False
    ways: tuple = ()  # (way, count or None, hidden) for each way of answering used, when more than one


@dataclass(frozen=True)
class Summary:
    initiative_slug: str
    initiative_name: str
    filters: Filters
    threshold: int
    questionnaires: tuple[QuestionnaireSummary, ...]
    themes: tuple[Theme, ...]
    method: MethodNote
    generated: dt.date = field(default_factory=lambda: dt.datetime.now(dt.UTC).date())
    # Programme reach for the same period (sessions, sites, people), each figure suppressed.
    reach: Reach | None = None
    # Outside figures a lead set beside measures (surveys.comparisons), shown wherever the measure is.
    comparisons: tuple = ()

    def comparison_for(self, headline: Headline):
        return next((c for c in self.comparisons if (c.questionnaire, c.question_key)
                     == (headline.questionnaire, headline.question)), None)

    @property
    def headlines(self) -> tuple[Headline, ...]:
        # Once anything is answered, a questionnaire nobody has answered yet (a practitioner form
        # not in use, say) has nothing to tell partners; with no answers at all, say so for each.
        answered = [q for q in self.questionnaires if q.responses != 0]
        return tuple(h for q in (answered or self.questionnaires) for h in q.headlines)


ThemesProvider = Callable[[int, Filters], Awaitable[Sequence[ThemeInput]]]
MAX_QUOTES = 3


async def build_summary(
    initiative: dict, filters: Filters | None = None, *, themes: ThemesProvider | None = None
) -> Summary:
    """The summary of one initiative (a row of ``Initiative``) under ``filters``."""
    filters = filters or Filters()
    threshold = initiative["suppression_threshold"]
    tally = _Tally()
    summaries = []
    for q in await questionnaires_of(initiative["id"]):
        if filters.questionnaire and q["slug"] != filters.questionnaire:
            continue
        if filters.audience and q["audience"] != filters.audience:
            continue
        summaries.append(await _questionnaire_summary(initiative["id"], q, filters, threshold, tally))

    where, params = _where(initiative["id"], filters)
    row = (await _raw(
        f"SELECT COALESCE(SUM(r.n), 0) AS n, MIN(r.submitted_hour) AS first, MAX(r.submitted_hour) AS last "  # nosec B608 # fixed SQL fragments and table names; values are bound parameters
        f"FROM response_tally r {_joins(filters)}WHERE {where} AND r.n > 0", params))[0]
    responses = _tally_count(tally, row["n"], threshold)
    if responses and any(q.responses is None for q in summaries):
        # The total would give away a questionnaire's hidden count by subtraction.
        responses = None
        tally.secondary += 1

    # How people answered (phone, tablet, paper), as one breakdown of the same responses, shown
    # only beside a published total (a hidden total would be given away by the sum).
    way_rows = await _raw(
        f"SELECT r.way AS way, SUM(r.n) AS n FROM response_tally r {_joins(filters)}WHERE {where} GROUP BY r.way",  # nosec B608 # fixed SQL fragments and table names; values are bound parameters
        params)
    way_counts = {r["way"]: r["n"] for r in way_rows}
    ways: tuple = ()
    if way_counts and responses is not None:
        breakdown = suppress([(w, way_counts.get(w, 0)) for w in WAYS if way_counts.get(w)], threshold)
        ways = tuple((c.key, c.count, c.hidden) for c in breakdown.cells)

    theme_rows = []
    if themes is not None:
        for theme in await themes(initiative["id"], filters):
            mentions = suppress_count(theme.mentions, threshold)
            if mentions is None and theme.mentions:
                tally.small += 1
            theme_rows.append(Theme(theme.key, theme.label, mentions, tuple(theme.quotes[:MAX_QUOTES])))

    method = MethodNote(
        responses=responses,
        first=_as_date(row["first"]) if row["n"] else None,
        last=_as_date(row["last"]) if row["n"] else None,
        threshold=threshold,
        hidden_small=tally.small,
        hidden_secondary=tally.secondary,
        pairs_too_few=tally.too_few_pairs,
        ways=ways,
    )
    return Summary(
        initiative_slug=initiative["slug"],
        initiative_name=initiative["name"],
        filters=filters,
        threshold=threshold,
        questionnaires=tuple(summaries),
        themes=tuple(theme_rows),
        method=method,
        reach=await reach(initiative, filters.period, filters.scope),
        comparisons=tuple(await comparisons_of(initiative["id"])),
    )


# --- SQL ---------------------------------------------------------------------------------------

_JOINS = (
    "JOIN survey_session s ON s.id = r.session "
    "JOIN questionnaire_version v ON v.id = r.questionnaire_version "
)


def _joins(filters: Filters, *, by_phase: bool = False) -> str:
    """The joins a tally sum needs under ``filters``: the session, when a filter (or the
    grouping) is on it; none otherwise (:func:`_where` names a questionnaire by its versions)."""
    return "JOIN survey_session s ON s.id = r.session " if by_phase or filters.site or filters.audience or filters.phase else ""


def responses_matching(initiative_id: int, filters: Filters) -> tuple[str, list]:
    """SQL (and its arguments) selecting the ids of the initiative's responses the filters cover.

    For counts made elsewhere (themes, quotes) to cover exactly what the summary's figures cover.
    """
    where, params = _where(initiative_id, filters)
    return f"SELECT r.id FROM response r {_JOINS}WHERE {where}", params  # nosec B608 # fixed SQL fragments; values are bound parameters


def responses_joined(initiative_id: int, filters: Filters) -> tuple[str, str, list]:
    """The joins from ``response r`` and the WHERE clause (and its arguments) covering the
    initiative's responses the filters cover: :func:`responses_matching` as parts, for a query
    that starts from a smaller table (a theme's rows) and joins the responses in."""
    where, params = _where(initiative_id, filters)
    return _JOINS, where, params


def _where(initiative_id: int, filters: Filters, *, questionnaire_id: int | None = None,
           phase: bool = True) -> tuple[str, list]:
    """A WHERE clause over ``response r`` joined to ``survey_session s`` and ``questionnaire_version v``."""
    clauses: list[str] = ["r.initiative = {}"]
    params: list[Any] = [initiative_id]
    # A questionnaire as the list of its versions' ids: the tallies' keys (and the responses'
    # index) start (initiative, questionnaire_version), so each version's rows are found by key
    # instead of every row of the initiative being joined to its version to be tested.
    if questionnaire_id is not None:
        clauses.append("r.questionnaire_version IN (SELECT id FROM questionnaire_version WHERE questionnaire = {})")
        params.append(questionnaire_id)
    elif filters.questionnaire:
        clauses.append(
            "r.questionnaire_version IN (SELECT qv.id FROM questionnaire_version qv JOIN questionnaire q "
            "ON q.id = qv.questionnaire WHERE q.slug = {} AND q.initiative = {})"
        )
        params += [filters.questionnaire, initiative_id]
    period = filters.period
    if period.starts_at:
        clauses.append("r.submitted_hour >= {}")
        params.append(period.starts_at)
    if period.ends_before:
        clauses.append("r.submitted_hour < {}")
        params.append(period.ends_before)
    if filters.site:
        clauses.append("s.site = {}")
        params.append(filters.site)
    if filters.audience:
        clauses.append("s.audience = {}")
        params.append(filters.audience)
    if phase and filters.phase:
        clauses.append("s.phase = {}")
        params.append(filters.phase)
    return " AND ".join(clauses), params


def _as_date(value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, str):  # SQLite hands MIN/MAX of a timestamp back as its stored text
        value = dt.datetime.fromisoformat(value)
    return value.astimezone(dt.UTC).date() if isinstance(value, dt.datetime) else value


async def _raw(sql: str, params: list) -> list[dict]:
    return await Answer.raw(sql, *params)


async def _counts(initiative_id: int, questionnaire_id: int, filters: Filters,
                  *, by_phase: bool = False, multi: bool = False) -> dict:
    """``{(phase or "", answer_key): {option_key: n}}`` and ``{(phase or "", answer_key): respondents}``.

    One answer per person per key except on multiple-choice questions, so respondents are the
    sum of the option counts unless ``multi`` asks for a second, distinct count.
    """
    where, params = _where(initiative_id, filters, questionnaire_id=questionnaire_id, phase=not by_phase)
    phase_column = "s.phase" if by_phase else "''"
    group = "s.phase, " if by_phase else ""
    # Summed from the answer tallies (surveys.tallies), which filter as responses do.
    options = await _raw(
        f"SELECT {phase_column} AS phase, r.question_key AS q, r.option_key AS o, SUM(r.n) AS n "  # nosec B608 # fixed SQL fragments and table names; values are bound parameters
        f"FROM answer_tally r {_joins(filters, by_phase=by_phase)}WHERE {where} AND r.n > 0 "
        f"GROUP BY {group}r.question_key, r.option_key", params)
    counts: dict = {}
    respondents: dict = {}
    for row in options:
        key = (row["phase"], row["q"])
        counts.setdefault(key, {})[row["o"] or None] = row["n"]
        respondents[key] = respondents.get(key, 0) + row["n"]
    if multi:
        people = await _raw(
            f"SELECT {phase_column} AS phase, a.question_key AS q, COUNT(DISTINCT a.response) AS n "  # nosec B608 # fixed SQL fragments and table names; values are bound parameters
            f"FROM answer a JOIN response r ON r.id = a.response {_JOINS} WHERE {where} "
            f"GROUP BY {group}a.question_key", params)
        respondents = {(row["phase"], row["q"]): row["n"] for row in people}
    return {"options": counts, "people": respondents}


async def _paired_table(initiative_id: int, questionnaire_id: int, filters: Filters,
                        keys: set[str]) -> dict:
    """``{question_key: {(before value, after value): pairs}}`` under the one pairing rule
    (:mod:`surveys.pairing`), over the responses the filters cover."""
    where, params = _where(initiative_id, filters, questionnaire_id=questionnaire_id, phase=False)
    scope = f"SELECT r.id, r.pseudonym, s.phase, r.submitted_hour FROM response r {_JOINS}WHERE {where}"  # nosec B608 # fixed SQL fragments and table names; values are bound parameters
    return await pair_counts(scope, params, keys)


async def _then_and_now_table(initiative_id: int, questionnaire_id: int, filters: Filters,
                              key: str) -> dict:
    """``{(before value, now value): responses}`` for one then-and-now question."""
    where, params = _where(initiative_id, filters, questionnaire_id=questionnaire_id)
    rows = await _raw(
        f"SELECT b.value AS before_value, a.value AS after_value, COUNT(*) AS n "  # nosec B608 # fixed SQL fragments and table names; values are bound parameters
        f"FROM answer b JOIN answer a ON a.response = b.response "
        f"JOIN response r ON r.id = b.response {_JOINS} "
        f"WHERE {where} AND b.question_key = {{}} AND a.question_key = {{}} "
        f"AND b.value IS NOT NULL AND a.value IS NOT NULL "
        f"GROUP BY b.value, a.value",
        params + [f"{key}.before", f"{key}.now"],
    )
    return {(row["before_value"], row["after_value"]): row["n"] for row in rows}


# --- Building the parts ------------------------------------------------------------------------

class _Tally:
    """How many counts were hidden, and why, for the method note."""

    def __init__(self) -> None:
        self.small = 0
        self.secondary = 0
        self.too_few_pairs = 0

    def add(self, breakdown: Breakdown, counts: Sequence[int]) -> None:
        for cell, count in zip(breakdown.cells, counts):
            if cell.hidden == PRIMARY:
                if count:
                    self.small += 1
            elif cell.hidden:
                self.secondary += 1


def _tally_count(tally: _Tally, count: int, threshold: int) -> int | None:
    shown = suppress_count(count, threshold)
    if shown is None:
        tally.small += 1
    return shown


async def _questionnaire_summary(initiative_id: int, q: dict, filters: Filters, threshold: int,
                                 tally: _Tally) -> QuestionnaireSummary:
    latest = await latest_version(q["id"])
    assert latest is not None  # a questionnaire has at least one version
    definition = await definition_of(latest["id"], latest["fingerprint"])
    multi = any(question.type == "multi" for question in definition.questions)
    where, params = _where(initiative_id, filters, questionnaire_id=q["id"], phase=False)
    # Responses per version and phase, in one pass; the phase filter is applied here in Python.
    groups = await _raw(
        f"SELECT v.number AS number, s.phase AS phase, SUM(r.n) AS n FROM response_tally r {_JOINS} "  # nosec B608 # fixed SQL fragments and table names; values are bound parameters
        f"WHERE {where} AND r.n > 0 GROUP BY v.number, s.phase ORDER BY v.number", params)
    wanted = [g for g in groups if not filters.phase or g["phase"] == filters.phase]
    versions = sorted({g["number"] for g in wanted})
    phases = {g["phase"] for g in groups}
    counted = await _counts(initiative_id, q["id"], filters, multi=multi)
    responses = _tally_count(tally, sum(g["n"] for g in wanted), threshold)

    questions, headlines = [], []
    for page in definition.pages:
        result = _question_result(page.answer_key, page.text, page.question,
                                  counted["options"].get(("", page.answer_key), {}),
                                  counted["people"].get(("", page.answer_key), 0), threshold, tally)
        questions.append(result)
        wording = page.question.headline
        if wording and result.top is not None and page.answer_key in (page.question.key, f"{page.question.key}.now"):
            translated = {lang: fields["headline"] for lang, fields in page.question.translations.items()
                          if fields.get("headline")}
            headlines.append(Headline(q["slug"], page.answer_key, wording, q["audience"], result.top,
                                      result.uniform, translated))

    changes = []
    # Pairs span both phases, so a summary of one phase has none.
    both = not filters.phase and {"before", "after"} <= phases
    keys = {question.key for question in definition.questions if pairable(question)}
    paired = await _paired_table(initiative_id, q["id"], filters, keys) if both and keys else {}
    for question in definition.questions:
        if question.key in paired:
            changes.append(_change("paired", question, question.text, paired[question.key], threshold, tally))
    for question in definition.questions:
        if question.type == "pair":
            table = await _then_and_now_table(initiative_id, q["id"], filters, question.key)
            changes.append(_change("then-and-now", question, question.text, table, threshold, tally))

    unpaired = []
    if both:
        by_phase = await _counts(initiative_id, q["id"], filters, by_phase=True, multi=multi)
        whole = {r.key: r for r in questions}
        for question in definition.questions:
            if not _scored(question) or question.type != "choice":
                continue
            sides = [
                _question_result(question.key, question.text, question,
                                 by_phase["options"].get((phase, question.key), {}),
                                 by_phase["people"].get((phase, question.key), 0), threshold, _Tally())
                for phase in ("before", "after")
            ]
            if any(_any_hidden(r) for r in (whole[question.key], *sides)):
                unpaired.append(Unpaired(question.key, question.text, None, None))
            else:
                unpaired.append(Unpaired(question.key, question.text, *sides))

    return QuestionnaireSummary(
        slug=q["slug"],
        title=q["title"],
        audience=q["audience"],
        versions=tuple(versions),
        responses=responses,
        headlines=tuple(headlines),
        questions=tuple(questions),
        changes=tuple(changes),
        unpaired=tuple(unpaired),
    )


def _any_hidden(result: QuestionResult) -> bool:
    return result.n is None or any(o.hidden for o in result.options)


def _scored(question: Question) -> bool:
    return any(o.value is not None for o in question.options)


def _question_result(key: str, text: str, question: Question, given: dict, n: int, threshold: int,
                     tally: _Tally) -> QuestionResult:
    if question.type == "text":
        written = given.get(None, 0)
        breakdown = suppress({"written": written}, threshold)
        tally.add(breakdown, [written])
        cell = breakdown.cells[0]
        option = OptionResult("written", "Wrote an answer", None, False, False, cell.count, None, cell.hidden)
        return QuestionResult(key, text, "text", False, breakdown.total, breakdown.total_hidden,
                              (option,), None, False)

    counts = [given.get(o.key, 0) for o in question.options]
    # Multiple-choice answers overlap, so the group is the people who answered, not the sum.
    total = n if question.type == "multi" else None
    if question.type == "multi":
        breakdown = _suppress_multi(question, counts, n, threshold)
    else:
        breakdown = suppress([(o.key, c) for o, c in zip(question.options, counts)], threshold, total=total)
    tally.add(breakdown, counts)
    top_keys = set(question.top)
    options = tuple(
        OptionResult(o.key, o.label, o.value, o.aside, o.key in top_keys, cell.count, cell.share, cell.hidden)
        for o, cell in zip(question.options, breakdown.cells)
    )
    ordered = question.type != "multi" and _scored(question)
    top = _top_share(options, breakdown, threshold) if top_keys and question.type != "multi" else None
    shown_n = breakdown.total
    return QuestionResult(key, text, question.type, ordered, shown_n, breakdown.total_hidden, options, top,
                          breakdown.uniform)


def _suppress_multi(question: Question, counts: list[int], n: int, threshold: int) -> Breakdown:
    """Each option of a multiple-choice question is its own yes/no among the n who answered."""
    if 0 < n < threshold:
        return Breakdown(tuple(Cell(o.key, None, None, PRIMARY) for o in question.options), None, threshold,
                         False, total_hidden=PRIMARY)
    cells = []
    for o, count in zip(question.options, counts):
        # The pair is keyed by names of its own, never the option's key: an option may be keyed
        # anything a file allows, "not_chosen" included.
        chosen = suppress([("chosen", count), ("not_chosen", n - count)], threshold).cells[0]
        cells.append(Cell(o.key, chosen.count, chosen.share, chosen.hidden))
    return Breakdown(tuple(cells), n, threshold, False)


def _top_share(options: Sequence[OptionResult], breakdown: Breakdown, threshold: int) -> Share:
    """The top-box count, shown only when every top answer's own count is shown.

    Otherwise the sum could reveal a hidden cell (top = shown + hidden), so it is hidden too: as
    "fewer than {threshold}" when the one top answer is itself a small number.
    """
    n = breakdown.total
    top = [o for o in options if o.top]
    if n is None:
        return Share(None, None, None, None, None, breakdown.total_hidden or PRIMARY)
    if any(o.count is None for o in top):
        hidden = PRIMARY if len(top) == 1 and top[0].hidden == PRIMARY else "secondary"
        return Share(None, n, None, None, None, hidden)
    count = sum(o.count for o in top if o.count is not None)  # none is None (just above)
    if n == 0:
        return Share(0, 0, None, None, None, None)
    low, high = wilson_interval(count, n)
    return Share(count, n, count / n, low, high, None)


def _change(kind: str, question: Question, text: str, table: dict, threshold: int, tally: _Tally) -> Change:
    result: PairedChange = paired_change_from_counts(table)  # counts, not a list entry per pair
    pairs = result.pairs
    breakdown = suppress([("better", result.better), ("same", result.same), ("worse", result.worse)],
                         threshold)
    tally.add(breakdown, [result.better, result.same, result.worse])
    shown = breakdown.total is not None and pairs > 0
    if not shown and pairs:
        tally.too_few_pairs += 1
    cells = {cell.key: cell for cell in breakdown.cells}
    top_values = {o.value for o in question.options if o.key in question.top}
    before_top = _paired_top(sum(n for (b, _), n in table.items() if b in top_values), pairs, threshold)
    after_top = _paired_top(sum(n for (_, a), n in table.items() if a in top_values), pairs, threshold)
    return Change(
        kind=kind,
        question=question.key,
        text=text,
        pairs=breakdown.total,
        pairs_hidden=breakdown.total_hidden,
        shown=shown,
        better=cells["better"].count,
        same=cells["same"].count,
        worse=cells["worse"].count,
        better_share=cells["better"].share,
        same_share=cells["same"].share,
        worse_share=cells["worse"].share,
        hidden=tuple((key, cell.hidden) for key, cell in cells.items() if cell.hidden),
        median_change=result.median_change if shown else None,
        p_value=result.p_value if shown else None,
        effect_size_r=result.effect_size_r if shown else None,
        note=(result.note if shown else None),
        before_top=before_top if shown else None,
        after_top=after_top if shown else None,
    )


def _paired_top(count: int, n: int, threshold: int) -> Share:
    breakdown = suppress([("top", count), ("rest", n - count)], threshold)
    cell = breakdown.cells[0]
    if cell.count is None or breakdown.total is None:
        return Share(None, breakdown.total, None, None, None, cell.hidden or breakdown.total_hidden)
    low, high = wilson_interval(cell.count, n) if n else (None, None)
    return Share(cell.count, n, cell.count / n if n else None, low, high, None)


__all__ = [
    "Filters", "Summary", "QuestionnaireSummary", "Headline", "QuestionResult", "OptionResult", "Share",
    "Change", "Unpaired", "Theme", "ThemeInput", "MethodNote", "build_summary", "MIN_PAIRS",
]
