"""Property tests: any questionnaire file gives a definition or a clear error; any submission
gives a stored, valid response or a clear 4xx, never a 5xx or a partial write."""

from __future__ import annotations

import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys.questionnaires import DefinitionError, parse_definition, template
from surveys.tables import Answer, Response
from tests.support import run

scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=12),
                    st.sampled_from(["choice", "multi", "text", "pair", "parent", "child", "yes_partly_no",
                                     "faces3", "listened", "q1"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.sampled_from(["key", "type", "text", "scale", "options", "label", "questions", "slug", "title",
                     "audience", "before", "now", "required", "help", "top", "not_sure"]) | st.text(max_size=6),
    inner, max_size=6), max_leaves=20)


@given(values)
@settings(max_examples=300, deadline=None)
def test_any_definition_parses_or_explains(data):
    try:
        definition = parse_definition(data, source="fuzz.toml")
    except DefinitionError as e:
        assert str(e).startswith("fuzz.toml")
    else:
        assert definition.pages


TEMPLATE = template("anew-parent-after").raw


@given(st.data())
@settings(max_examples=200, deadline=None)
def test_edited_templates_parse_or_explain(data):
    edited = {k: v for k, v in TEMPLATE.items()}
    questions = [dict(q) for q in TEMPLATE["questions"]]
    i = data.draw(st.integers(0, len(questions) - 1))
    field = data.draw(st.sampled_from(["key", "type", "text", "scale", "options", "required"]))
    questions[i][field] = data.draw(scalars)
    edited["questions"] = questions
    try:
        parse_definition(edited, source="edited.toml")
    except DefinitionError as e:
        assert "edited.toml" in str(e)


answer_values = st.one_of(
    st.sampled_from(["yes", "partly", "no", "not_sure", "", "YES", "7"]),
    st.text(max_size=30),
    st.lists(st.sampled_from(["yes", "no", "x"]), max_size=3),
    st.integers(),
    st.none(),
)
answer_keys = st.sampled_from(["listened", "next_steps", "helpful", "child_views", "better", "better.consent",
                               "other", "listened.before"])


@given(answers=st.dictionaries(answer_keys, answer_values, max_size=7), replay=st.booleans())
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_submission_is_stored_whole_or_refused_clearly(client, db, answers, replay):
    from surveys.demo import ensure_demo_sessions

    token = run(ensure_demo_sessions())["anew"]["token"]
    before_responses, before_answers = run(Response.count()), run(Answer.count())
    body = {"submission_id": str(uuid.uuid4()), "answers": answers}
    response = client.post(f"/api/v1/sessions/{token}/responses", json=body)
    assert response.status_code in (201, 400, 422), response.text
    if replay:
        again = client.post(f"/api/v1/sessions/{token}/responses", json=body)
        assert again.status_code == response.status_code
    added_responses = run(Response.count()) - before_responses
    added_answers = run(Answer.count()) - before_answers
    if response.status_code == 201:
        assert added_responses == 1
        assert 4 <= added_answers <= 5  # four required answers, and the optional free text
    else:
        assert response.headers["content-type"].startswith("application/problem+json")
        assert (added_responses, added_answers) == (0, 0)
