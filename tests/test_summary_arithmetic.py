"""No hidden count in a summary can be worked out by arithmetic from what the summary shows.

For each question the summary shows its answers' counts (some hidden), the number who answered
(n, perhaps hidden) and a top-box count (the sum of its top answers). Each is an equation over the
question's answer cells; a hidden one is recoverable when it is a linear combination of the
shown ones (surveys.linked.recoverable, exact arithmetic). Tried on many small random datasets,
where hidden cells are common.
"""

from __future__ import annotations

import random
import uuid

import pytest

from surveys import linked
from surveys.initiatives import by_slug
from surveys.responses import submit
from surveys.sessions import create_session, open_session
from surveys.summary import Filters, build_summary
from surveys.tables import Questionnaire
from surveys.versions import latest_version
from tests.support import run


def _figures(question, headline_top):
    cells = {o.key: frozenset({o.key}) for o in question.options}
    figures = [
        linked.Figure(("option", o.key), "options", cells[o.key], o.count or 0, o.hidden) for o in question.options
    ]
    everyone = frozenset(k for k in cells)
    figures.append(linked.Figure("n", "totals", everyone, question.n or 0, question.n_hidden))
    if question.top is not None:
        top_cells = frozenset(o.key for o in question.options if o.top)
        figures.append(
            linked.Figure(
                "top",
                "totals",
                top_cells,
                question.top.count or 0,
                question.top.hidden or (None if question.top.count is not None else "secondary"),
            )
        )
    if headline_top is not None and headline_top.count is None and question.top is not None:
        figures[-1] = linked.Figure("top", "totals", figures[-1].cells, 0, "secondary")
    return figures


@pytest.mark.parametrize("seed", range(12))
def test_no_hidden_summary_count_can_be_worked_out(db, seed):
    rng = random.Random(seed)

    async def build():
        initiative = await by_slug("anew")
        q = (
            await Questionnaire.select()
            .where((Questionnaire.initiative == initiative["id"]) & (Questionnaire.slug == "anew-parent-after"))
            .first()
        )
        row = await create_session(initiative["id"], (await latest_version(q["id"]))["id"], audience="parent")
        session = await open_session(row["token"])
        weights = {p.answer_key: [rng.random() ** 2 for _ in p.question.options] for p in session.definition.pages}
        for _ in range(rng.randint(10, 45)):
            answers = {
                p.answer_key: rng.choices([o.key for o in p.question.options], weights[p.answer_key])[0]
                for p in session.definition.pages
                if p.question.options
            }
            await submit(session, uuid.uuid4(), answers)
        return initiative

    initiative = run(build())
    summary = run(build_summary(initiative, Filters()))
    [parents] = [q for q in summary.questionnaires if q.slug == "anew-parent-after"]
    headlines = {h.question: h.top for h in parents.headlines}
    hidden_seen = 0
    for question in parents.questions:
        if not question.options or question.type == "text":
            continue
        figures = _figures(question, headlines.get(question.key))
        hidden_seen += sum(1 for f in figures if f.hidden)
        # Every hidden count stays unknown, whatever is added to or taken from the shown ones.
        assert linked.recoverable(figures) == [], (seed, question.key, figures)
    assert hidden_seen, "this dataset hid nothing, so it tests nothing: pick seeds whose data hides counts"
