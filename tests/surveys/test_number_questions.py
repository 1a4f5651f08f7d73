"""Number questions: whole numbers within a range, checked with GOV.UK-style messages."""

from __future__ import annotations

import pytest

from surveys.questionnaires import DefinitionError, InvalidAnswers, check_page, parse_definition, template


def _definition(**number):
    question = {"key": "children", "type": "number", "text": "How many children took part?", **number}
    return parse_definition({"slug": "t", "title": "T", "audience": "practitioner", "questions": [question]})


def _page(**number):
    return _definition(**number).pages[0]


def test_a_number_in_range_is_stored_as_its_value_with_no_option():
    [row] = check_page(_page(min=0, max=50), "12")
    assert (row.question_key, row.option_key, row.value, row.text) == ("children", None, 12, None)


@pytest.mark.parametrize("typed, value", [(" 7 ", 7), ("0", 0), ("50", 50), ("1,2", 12), ("3 0", 30), ("١٢", 12), ("۱۲", 12)])
def test_spaces_and_thousands_commas_are_forgiven(typed, value):
    assert check_page(_page(min=0, max=50), typed)[0].value == value


@pytest.mark.parametrize("typed", ["51", "-1", "twelve", "3.5", "12a", "--5", "1e3", "½"])
def test_anything_else_asks_for_a_whole_number_in_range(typed):
    with pytest.raises(InvalidAnswers) as e:
        check_page(_page(min=0, max=50), typed)
    assert e.value.errors == {"children": "Enter a whole number from 0 to 50"}


def test_an_empty_required_number_asks_for_one_and_an_optional_one_stores_nothing():
    with pytest.raises(InvalidAnswers) as e:
        check_page(_page(min=0, max=50), "  ")
    assert e.value.errors == {"children": "Enter a number"}
    assert check_page(_page(min=0, max=50, required=False), "") == []


@pytest.mark.parametrize(
    "settings, problem",
    [
        ({"max": 50}, "a number question needs a whole-number 'min'"),
        ({"min": 0}, "a number question needs a whole-number 'max'"),
        ({"min": 0, "max": 5.5}, "a number question needs a whole-number 'max'"),
        ({"min": 10, "max": 10}, "'min' must be smaller than 'max'"),
    ],
)
def test_a_number_question_needs_a_range(settings, problem):
    with pytest.raises(DefinitionError) as e:
        _definition(**settings)
    assert e.value.problem == problem and e.value.question == "children"


def test_unit_and_counts_are_kept():
    q = _definition(min=0, max=50, unit="children", counts="children").questions[0]
    assert (q.minimum, q.maximum, q.unit, q.counts) == (0, 50, "children", "children")


def test_practitioner_templates_read_as_the_issue_describes():
    anew = template("anew-practitioner-meeting")
    assert anew.audience == "practitioner"
    views = anew.questions[0]
    assert [o.label for o in views.options] == [
        "Yes, in person", "Yes, through a buddy or worker", "Yes, in writing or drawing", "No, not heard"]
    assert views.top == ("in_person", "buddy_or_worker", "writing_or_drawing")
    assert [q.key for q in anew.questions] == ["views_heard", "views_first", "actions_written", "actions_home"]

    art = template("art-at-the-start-practitioner-observation")
    assert [(q.key, q.type) for q in art.questions] == [
        ("parents_carers", "number"), ("children", "number"), ("stayed", "choice"), ("tuning_in", "choice")]
    assert [o.label for o in art.questions[2].options] == ["Mostly", "Sometimes", "Rarely"]
    assert [o.label for o in art.questions[3].options] == ["Often", "Sometimes", "Not today"]

    log = template("cmhwf-practitioner-log")
    assert log.questions[0].options_from == "partners" and log.questions[0].options == ()
    assert [o.key for o in log.questions[3].options] == ["self", "school", "family", "other_service"]
    assert log.questions[3].type == "multi"


def test_options_from_only_knows_partners():
    with pytest.raises(DefinitionError) as e:
        parse_definition({"slug": "t", "title": "T", "audience": "practitioner", "questions": [
            {"key": "org", "type": "choice", "text": "Which?", "options_from": "schools"}]})
    assert "options_from" in e.value.problem
