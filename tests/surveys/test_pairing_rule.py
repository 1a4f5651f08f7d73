"""The one pairing rule (surveys/pairing.py): each person's first before and last after, by when
they were given, single-answer questions on a numbered scale only; the summary uses it too."""

from __future__ import annotations

import datetime as dt

from surveys.initiatives import by_slug
from surveys.pairing import paired_values
from surveys.pseudonyms import new_code
from surveys.summary import Filters, build_summary
from surveys.versions import questionnaires_of
from tests.privacy.helpers import ANEW, answer, phase_session
from tests.support import run

START = dt.datetime.now(dt.UTC) - dt.timedelta(days=30)


def _day(n: int) -> dt.datetime:
    return START + dt.timedelta(days=n)


def _people(before: dict, after: dict) -> None:
    """Ten people who improved over the whole span, but whose second before and first after were
    the same ("yes" then "yes"), with their first before typed in last (a paper sheet entered
    late, so it has the highest id); and five people who went from "yes" to "partly"."""
    for _ in range(10):
        code = new_code()
        run(answer(before, {**ANEW, "listened": "yes"}, code=code, when=_day(5)))
        run(answer(after, {**ANEW, "listened": "no"}, code=code, when=_day(10)))
        run(answer(after, {**ANEW, "listened": "yes"}, code=code, when=_day(20)))
        run(answer(before, {**ANEW, "listened": "no"}, code=code, when=_day(1)))  # given first, entered last
    for _ in range(5):
        code = new_code()
        run(answer(before, {**ANEW, "listened": "yes"}, code=code, when=_day(1)))
        run(answer(before, {**ANEW, "listened": "no"}, code=code, when=_day(3)))
        run(answer(after, {**ANEW, "listened": "partly"}, code=code, when=_day(12)))


def test_first_before_and_last_after_by_when_given(db):
    before, after = run(phase_session("anew", "before")), run(phase_session("anew", "after"))
    _people(before, after)
    initiative = run(by_slug("anew"))
    questionnaire = run(questionnaires_of(initiative["id"]))[0]["id"]
    pairs = run(paired_values(initiative["id"], questionnaire))
    listened = sorted(zip(pairs["listened"].before, pairs["listened"].after))
    # no (1) -> yes (3) ten times; yes (3) -> partly (2) five times. The latest-before rule would
    # have said yes -> yes for the ten; the lowest-id rule would have taken "yes" for their before.
    assert listened == [(1, 3)] * 10 + [(3, 2)] * 5
    # "Not sure" has no number: nothing to pair.
    assert "child_views" not in pairs
    assert len(pairs["next_steps"]) == 15


def test_the_summary_counts_the_same_pairs(db):
    before, after = run(phase_session("anew", "before")), run(phase_session("anew", "after"))
    _people(before, after)
    initiative = run(by_slug("anew"))
    summary = run(build_summary({**initiative, "suppression_threshold": 5}, Filters()))
    [change] = [c for q in summary.questionnaires for c in q.changes if c.kind == "paired" and c.question == "listened"]
    assert (change.pairs, change.better, change.same, change.worse) == (15, 10, 0, 5)
    keys = {c.question for q in summary.questionnaires for c in q.changes if c.kind == "paired"}
    assert "child_views" not in keys
