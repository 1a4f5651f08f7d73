"""A children's questionnaire is answered on the tablet, which never asks a typed question: one
that needs a written or number answer is refused on import (TOML, the builder, XLSForm all parse
through the same check), and one stored before that check gets a clear page, never a 500."""

from __future__ import annotations

import dataclasses

import pytest

from surveys.initiatives import by_slug
from surveys.questionnaires import DefinitionError, parse_toml
from surveys.sessions import create_session
from surveys.tables import Response
from surveys.versions import save_version
from tests.support import run

CHILD = """slug = "club-children"
title = "Club, for children"
audience = "child"

[[questions]]
key = "happy"
type = "choice"
scale = "faces3"
text = "How did you feel at club?"

[[questions]]
key = "why"
type = "text"
text = "Why?"
"""


def test_a_required_written_question_for_children_is_refused_naming_it():
    with pytest.raises(DefinitionError) as refused:
        parse_toml(CHILD + "required = true\n", source="club.toml")
    assert refused.value.question == "why"
    assert "club.toml: question 'why': children answer on a tablet, without typing" in str(refused.value)
    number = CHILD.replace(
        'type = "text"\ntext = "Why?"', 'type = "number"\ntext = "How many friends?"\nmin = 0\nmax = 30'
    )
    with pytest.raises(DefinitionError, match="question 'why': children answer on a tablet"):
        parse_toml(number, source="club.toml")  # a number question is required unless it says not
    # Optional, it is fine: the tablet leaves it out, a parent's form could still ask it.
    assert [q.key for q in parse_toml(CHILD, source="club.toml").questions] == ["happy", "why"]
    only_typed = CHILD.split("[[questions]]")[0] + "[[questions]]" + CHILD.split("[[questions]]")[2]
    with pytest.raises(DefinitionError, match="needs at least one question with answers to choose"):
        parse_toml(only_typed, source="club.toml")


def test_the_same_questionnaire_for_parents_may_require_writing():
    definition = parse_toml(CHILD.replace('"child"', '"parent"') + "required = true\n", source="club.toml")
    assert definition.questions[1].required


def test_a_stored_one_the_tablet_cant_finish_says_so_before_any_child_starts(client, db):
    """Saved before the check (a Definition built directly, as an older Heard stored it)."""
    good = parse_toml(CHILD, source="club.toml")
    why = dataclasses.replace(good.questions[1], required=True)
    raw = {**good.raw, "questions": [good.raw["questions"][0], {**good.raw["questions"][1], "required": True}]}
    stored = dataclasses.replace(good, questions=(good.questions[0], why), raw=raw)
    initiative = run(by_slug("cmhwf"))
    version = run(save_version(initiative["id"], stored))
    session = run(create_session(initiative["id"], version["id"], audience="child", site="Club"))

    for path in (f"/k/{session['token']}", f"/k/{session['token']}/practice"):
        page = client.get(path)
        assert page.status_code == 409, path
        assert "This questionnaire can&#39;t be answered on the tablet" in page.text
        assert "Ask the project lead to make that question optional" in page.text
    # A page posted anyway (an old tab) gets the same page, and nothing is stored.
    posted = client.post(
        f"/k/{session['token']}",
        data={"submission_id": "6f1c2a56-38f4-4a0e-9b4f-5a0f2d7c1e11", "page": "0", "happy": "happy"},
    )
    assert posted.status_code == 409
    assert "can&#39;t be answered on the tablet" in posted.text
    assert run(Response.count()) == 0
