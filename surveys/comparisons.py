"""Comparison figures: an outside number a lead sets beside one of Heard's measures.

"71% of children had their views heard at their meeting (25 of 35), against 35% across primary
schools (Pupil survey, 2024)". The outside figure is context a partner asked for, from another
source, another group and often another year: Heard shows it, says it is an outside figure, and
never tests a difference against it (that would need the other survey's data, not its headline).

A measure is the share of a questionnaire's responses whose answer to one question is among its
top answers (``top`` in the definition): for the ANEW meeting record, views heard in person,
through a buddy or worker, or in writing or drawing, out of all meeting records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from piccolo.query.functions.aggregate import Count, Sum

from surveys import audit, text
from surveys.disclosure import suppress
from surveys.errors import SurveyError
from surveys.figures import whole_percent
from surveys.reach import AUDIENCE_WORDS, Period, in_period, where_all
from surveys.tables import Answer, AnswerTally, Comparison, Questionnaire, QuestionnaireVersion, ResponseTally
from surveys.versions import definition_of, latest_version

OUTSIDE_NOTE = "The comparison is an outside figure, not from Heard's data; Heard does not test the difference."
MAX_TEXT = 300


class ComparisonError(SurveyError):
    """What is wrong with a comparison a lead entered: ``errors`` maps each field to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(errors.values()))


@dataclass(frozen=True)
class Measure:
    """x of n: how many responses gave one of a question's top answers, out of all responses."""

    questionnaire: str  # slug
    question_key: str
    label: str  # "children had their views heard at their meeting"
    x: int
    n: int

    @property
    def key(self) -> str:
        return f"{self.questionnaire}:{self.question_key}"


@dataclass(frozen=True)
class OutsideFigure:
    id: int
    questionnaire: str
    question_key: str
    value_percent: float
    description: str
    source: str
    year: int

    @property
    def measure_key(self) -> str:
        return f"{self.questionnaire}:{self.question_key}"


def percent(x: int, n: int) -> int:
    """A whole-number percentage, halves rounded up: :func:`surveys.figures.whole_percent`."""
    return whole_percent(x, n)


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def measure_line(measure: Measure, comparison: OutsideFigure | None, threshold: int) -> str:
    """The sentence a summary prints for a measure, with its comparison if there is one.

    The measure goes through small-number suppression as the breakdown {top answers: x, the
    rest: n - x}, so neither x nor n - x can be small, or worked out from the other.
    """
    breakdown = suppress([("top", measure.x), ("rest", measure.n - measure.x)], threshold)
    top = breakdown.cells[0]
    outside = "" if comparison is None else (
        f"{_number(comparison.value_percent)}% {comparison.description} ({comparison.source}, {comparison.year})"
    )
    if measure.n == 0:
        line = f"No records yet: how many {measure.label}."
        return line if not outside else f"{line} Outside figure: {outside}. {OUTSIDE_NOTE}"
    if top.count is None or breakdown.total is None:
        why = (f"fewer than {threshold} records" if breakdown.total_hidden == "primary"
               else f"a part of it is fewer than {threshold}")
        line = f"Not shown ({why}): how many {measure.label}."
        return line if not outside else f"{line} Outside figure: {outside}. {OUTSIDE_NOTE}"
    line = f"{percent(measure.x, measure.n)}% of {measure.label} ({measure.x} of {measure.n})"
    return f"{line}." if not outside else f"{line}, against {outside}. {OUTSIDE_NOTE}"


@dataclass(frozen=True)
class MeasureName:
    """A headline measure as a form names it, without counting it."""

    questionnaire: str  # slug
    question_key: str
    label: str
    top: tuple[str, ...] = ()
    multi: bool = False

    @property
    def key(self) -> str:
        return f"{self.questionnaire}:{self.question_key}"


async def measure_names(initiative_id: int) -> list[MeasureName]:
    """Every headline measure (a question with top answers and a headline) of the initiative,
    named but not counted: what a lead chooses a comparison for."""
    out = []
    for q in await Questionnaire.select().where(Questionnaire.initiative == initiative_id).order_by(Questionnaire.id):
        version = await latest_version(q["id"])
        if version is None:
            continue
        definition = await definition_of(version["id"], version["fingerprint"])
        for question in definition.questions:
            if question.top and question.headline and question.type in ("choice", "multi"):
                # Parents' and children's headlines leave out who ("felt listened to");
                # practitioner headlines name it ("children had their views heard").
                label = question.headline if q["audience"] == "practitioner" else (
                    f"{AUDIENCE_WORDS.get(q['audience'], q['audience'])} {question.headline}")
                out.append(MeasureName(q["slug"], question.key, label, tuple(question.top), question.type == "multi"))
    return out


async def measures_of(initiative_id: int, period: Period = Period()) -> list[Measure]:
    """Every headline measure of the initiative, counted over ``period``."""
    return [await measure(initiative_id, m.questionnaire, m.question_key, m.top, m.label, period, multi=m.multi)
            for m in await measure_names(initiative_id)]


async def measure(initiative_id: int, questionnaire_slug: str, question_key: str, top: tuple[str, ...],
                  label: str, period: Period = Period(), *, multi: bool = True) -> Measure:
    """Count x (responses with a top answer) and n (all responses to the questionnaire) in SQL.

    Summed from the tallies (:mod:`surveys.tallies`), except x on a multiple-choice question,
    where one person may give two top answers: that counts the distinct responses themselves.
    """
    versions = QuestionnaireVersion.select(QuestionnaireVersion.id).where(
        QuestionnaireVersion.questionnaire.is_in(Questionnaire.select(Questionnaire.id).where(
            (Questionnaire.initiative == initiative_id) & (Questionnaire.slug == questionnaire_slug))))
    n = (await where_all(
        ResponseTally.select(Sum(ResponseTally.n, alias="n")),
        ResponseTally.initiative == initiative_id,
        ResponseTally.questionnaire_version.is_in(versions),
        in_period(ResponseTally.submitted_hour, period),
    ))[0]["n"] or 0
    if not multi:
        x = (await where_all(
            AnswerTally.select(Sum(AnswerTally.n, alias="x")),
            AnswerTally.initiative == initiative_id,
            AnswerTally.questionnaire_version.is_in(versions),
            AnswerTally.question_key == question_key,
            AnswerTally.option_key.is_in(list(top)),
            in_period(AnswerTally.submitted_hour, period),
        ))[0]["x"] or 0
        return Measure(questionnaire_slug, question_key, label, int(x), int(n))
    rows = await where_all(
        Answer.select(Count(distinct=[Answer.response], alias="x")),
        Answer.response.initiative == initiative_id,
        Answer.response._.questionnaire_version._.questionnaire._.slug == questionnaire_slug,
        Answer.question_key == question_key,
        Answer.option_key.is_in(list(top)),
        in_period(Answer.response.submitted_hour, period),
    )
    return Measure(questionnaire_slug, question_key, label, rows[0]["x"], int(n))


async def comparisons_of(initiative_id: int) -> list[OutsideFigure]:
    rows = await Comparison.select().where(Comparison.initiative == initiative_id).order_by(Comparison.id)
    return [
        OutsideFigure(r["id"], r["questionnaire"], r["question_key"], float(r["value_percent"]), r["description"],
                      r["source"], r["year"])
        for r in rows
    ]


def check_comparison(measure_key: str, value: str, description: str, source: str, year: str,
                     known_measures: set[str], *, today: dt.date | None = None) -> tuple[str, str, float, str, str, int]:
    """Check what a lead typed; return (questionnaire, question_key, value, description, source, year)."""
    errors: dict[str, str] = {}
    if measure_key not in known_measures:
        errors["measure"] = "Choose the measure the figure compares with"
    typed = str(value or "").strip().rstrip("%").strip()
    try:
        percent_value = float(typed)
        if not 0 <= percent_value <= 100 or typed.lower() in ("nan", "inf"):
            raise ValueError
    except ValueError:
        errors["value"] = "Enter the comparison as a percentage from 0 to 100, like 35"
        percent_value = 0.0
    description, unsafe = _one_line(description, "Who the figure is about")
    if unsafe:
        errors["description"] = unsafe
    elif not description:
        errors["description"] = "Enter who the figure is about, like \u201cacross primary schools in Dundee\u201d"
    elif len(description) > MAX_TEXT:
        errors["description"] = f"Who the figure is about must be {MAX_TEXT} characters or fewer"
    source, unsafe = _one_line(source, "The source")
    if unsafe:
        errors["source"] = unsafe
    elif not source:
        errors["source"] = "Enter where the figure comes from"
    elif len(source) > MAX_TEXT:
        errors["source"] = f"The source must be {MAX_TEXT} characters or fewer"
    this_year = (today or dt.date.today()).year
    typed_year = str(year or "").strip()
    if not (typed_year.isdecimal() and len(typed_year) == 4 and 1990 <= int(typed_year) <= this_year):
        errors["year"] = f"Enter the year the figure is for, from 1990 to {this_year}"
    if errors:
        raise ComparisonError(errors)
    questionnaire, question_key = measure_key.split(":", 1)
    return questionnaire, question_key, percent_value, description, source, int(typed_year)


def _one_line(typed: object, what: str) -> tuple[str, str]:
    """Typed text as one line in the normal form of :mod:`surveys.text`, and why it is refused ("" if not)."""
    try:
        return " ".join(text.name(str(typed or ""), what).split()), ""
    except text.UnsafeText as error:
        return "", str(error)


async def add_comparison(initiative_id: int, measure_key: str, value: str, description: str, source: str,
                         year: str, known_measures: set[str], *, actor: str) -> OutsideFigure:
    """Attach an outside figure to a measure; on the audit log with its figure and source."""
    questionnaire, question_key, value_percent, description, source, year_number = check_comparison(
        measure_key, value, description, source, year, known_measures
    )
    rows = await Comparison.insert(
        Comparison(initiative=initiative_id, questionnaire=questionnaire, question_key=question_key,
                   value_percent=value_percent, description=description, source=source, year=year_number)
    )
    added = OutsideFigure(rows[0]["id"], questionnaire, question_key, value_percent, description, source, year_number)
    await audit.record("comparison added", actor=actor, initiative_id=initiative_id,
                       detail=f"{added.measure_key}: {added.value_percent}% ({added.source}, {added.year})")
    return added


async def remove_comparison(initiative_id: int, comparison_id: int, *, actor: str) -> None:
    await Comparison.delete().where((Comparison.id == comparison_id) & (Comparison.initiative == initiative_id))
    await audit.record("comparison removed", actor=actor, initiative_id=initiative_id,
                       detail=f"comparison {comparison_id}")


def comparison_for(measure: Measure, comparisons: list[OutsideFigure]) -> OutsideFigure | None:
    """The newest comparison attached to a measure (a lead may replace one by adding another)."""
    matching = [c for c in comparisons if c.measure_key == measure.key]
    return matching[-1] if matching else None
