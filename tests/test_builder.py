"""The questionnaire builder over HTTP: a lead makes, checks, translates, previews and publishes a
questionnaire with no file; every mistake is named next to its field and nothing is half-saved."""

from __future__ import annotations

import json
import re

import pytest

from surveys import accounts, audit
from surveys.builder import placeholders_match
from surveys.initiatives import by_slug
from surveys.tables import Questionnaire, QuestionnaireDraft, Session
from surveys.versions import definition_of, latest_version
from tests.support import run
from tests.test_lead_pages import sign_in

BASE = "/lead/anew/questionnaires"


@pytest.fixture
def lead(client, db):
    run(accounts.add_account("lead@anew.example", "correct horse", "lead", ["anew"]))
    run(accounts.add_account("viewer@anew.example", "just looking", "viewer", ["anew"]))
    sign_in(client, "lead@anew.example", "correct horse")
    return client


def csrf(client, path=f"{BASE}/new") -> str:
    return re.search(r'name="_csrf_token" value="([^"]+)"', client.get(path).text).group(1)


def post(client, path, **data):
    return client.post(path, data={"_csrf_token": csrf(client), **data}, follow_redirects=False)


def start(client, title="Together to Thrive parent feedback", audience="parent"):
    made = post(client, f"{BASE}/new", title=title, audience=audience, start="blank")
    assert made.status_code == 303, made.text
    return made.headers["location"]


def add(client, draft_url, kind, **fields):
    return post(client, f"{draft_url}questions/new", type=kind, **fields)


FOUR = [
    (
        "choice",
        {
            "text": "Did you feel welcome?",
            "answers": "scale",
            "scale": "yes_partly_no",
            "not_sure": "yes",
            "headline": "felt welcome",
            "key": "welcome",
        },
    ),
    ("multi", {"text": "What did you do?", "answers": "own", "options": "Painting\nSinging\nStories", "key": "did"}),
    (
        "number",
        {"text": "How many children came with you?", "min": "0", "max": "10", "unit": "children", "key": "children"},
    ),
    ("text", {"text": "What would you tell a friend?", "quote_consent": "yes", "key": "friend"}),
]


def test_a_lead_builds_translates_and_publishes_a_questionnaire(lead):
    draft = start(lead)
    assert draft == f"{BASE}/drafts/together-to-thrive-parent-feedback/"
    for kind, fields in FOUR:
        assert add(lead, draft, kind, **fields).status_code == 303
    page = lead.get(draft).text
    assert page.count('class="builder-list__item"') == 4
    assert "Did you feel welcome?" in page and "Yes / Partly / No" in page

    # Move the written question to the top, then back down; remove asks first.
    assert post(lead, f"{draft}questions/4/move", direction="up").status_code == 303
    keys = [q["key"] for q in _draft_data()["questions"]]
    assert keys == ["welcome", "did", "friend", "children"]
    asked = post(lead, f"{draft}questions/3/remove")
    assert asked.status_code == 200 and "Yes, remove it" in asked.text
    assert len(_draft_data()["questions"]) == 4  # nothing removed without the confirmation
    assert post(lead, f"{draft}questions/3/move", direction="down").status_code == 303

    # Arabic, side by side: 8 texts (title, 4 questions, 3 own answers), 8 missing to begin with.
    arabic = lead.get(f"{draft}translations/ar").text
    assert "<strong>8 of 8</strong> texts still to translate" in arabic
    assert 'dir="rtl"' in arabic and 'lang="ar"' in arabic
    saved = post(
        lead,
        f"{draft}translations/ar",
        **{
            "title": "ملاحظات الآباء",
            "q.welcome.text": "هل شعرت بالترحيب؟",
            "q.did.text": "ماذا فعلت؟",
            "q.did.options.painting": "الرسم",
            "q.did.options.singing": "الغناء",
        },
    )
    assert saved.status_code == 303
    assert "<strong>3 of 8</strong>" in lead.get(f"{draft}translations/ar").text

    # The preview, in Arabic: translated text marked Arabic, an untranslated one marked English.
    first = lead.get(f"{draft}preview?lang=ar&page=0").text
    assert '<html lang="ar" dir="rtl">' in first and "هل شعرت بالترحيب؟" in first and "Preview" in first
    fourth = lead.get(f"{draft}preview?lang=ar&page=3").text
    assert '<span lang="en" dir="ltr">What would you tell a friend?</span>' in fourth
    # Continuing without an answer shows the respondent's own error, and saves nothing.
    refused = post(lead, f"{draft}preview", page="0", lang="en", nav="next")
    assert refused.status_code == 422 and "error-summary" in refused.text

    published = post(lead, f"{draft}publish")
    assert published.status_code == 303 and "version%201" in published.headers["location"]
    anew = run(by_slug("anew"))
    q = run(Questionnaire.select().where(Questionnaire.slug == "together-to-thrive-parent-feedback").first())
    version = run(latest_version(q["id"]))
    definition = run(definition_of(version["id"], version["fingerprint"]))
    assert [x.key for x in definition.questions] == ["welcome", "did", "children", "friend"]
    assert definition.questions[0].translations["ar"]["text"] == "هل شعرت بالترحيب؟"
    assert run(QuestionnaireDraft.count()) == 0
    actions = [e["action"] for e in run(audit.events(initiative_ids=[anew["id"]]))]
    for action in ("questionnaire draft started", "questionnaire edited", "questionnaire published"):
        assert action in actions
    details = " ".join(e["detail"] for e in run(audit.events(initiative_ids=[anew["id"]])))
    assert "welcome" in details and "الرسم" not in details  # which question, never what it says


def _draft_data():
    data = run(QuestionnaireDraft.select().first())["definition"]
    return json.loads(data) if isinstance(data, str) else data


@pytest.mark.parametrize(
    ("kind", "fields", "field", "message"),
    [
        ("choice", {"text": "  ", "answers": "scale", "scale": "yes_no"}, "text", "Enter the question"),
        ("choice", {"text": "Which?", "answers": "own", "options": "Only one"}, "options", "at least two"),
        ("number", {"text": "How many?", "min": "9", "max": "3"}, "min", "must be less than the largest"),
        ("number", {"text": "How many?", "min": "a", "max": "3"}, "min", "whole number"),
        (
            "pair",
            {"text": "Confidence", "scale": "confidence5", "before": "Before?", "now": ""},
            "now",
            "how the question reads",
        ),
        ("choice", {"text": "Again?", "answers": "scale", "scale": "yes_no", "key": "Bad Key!"}, "key", "short name"),
    ],
)
def test_each_mistake_is_named_by_its_field_and_nothing_is_saved(lead, kind, fields, field, message):
    draft = start(lead)
    refused = add(lead, draft, kind, **fields)
    assert refused.status_code == 400
    assert f'<a href="#{field}">' in refused.text and message in refused.text
    assert f'id="{field}-error"' in refused.text  # beside the field, as well as in the summary
    assert _draft_data()["questions"] == []


def test_two_questions_cannot_share_a_short_name(lead):
    draft = start(lead)
    assert add(lead, draft, "text", text="First?", key="same").status_code == 303
    clash = add(lead, draft, "text", text="Second?", key="same")
    assert clash.status_code == 400 and "already has the short name" in clash.text
    assert len(_draft_data()["questions"]) == 1


def test_a_translation_keeps_its_placeholders():
    assert placeholders_match("Hello %(name)s", "Cześć %(name)s")
    assert not placeholders_match("Hello %(name)s", "Cześć")
    assert not placeholders_match("Up to {n}", "Do {n")
    assert not placeholders_match("Choose (one)", "Wybierz (jeden")


def test_an_unbalanced_translation_is_refused_by_its_box(lead):
    draft = start(lead)
    add(lead, draft, "text", text="Anything else (optional)?", key="else")
    refused = post(lead, f"{draft}translations/pl", **{"q.else.text": "Coś jeszcze (opcjonalnie?"})
    assert refused.status_code == 400 and 'href="#q.else.text"' in refused.text
    assert "translations" not in _draft_data()["questions"][0]


def test_changing_a_questionnaire_publishes_its_next_version_and_moves_sessions_only_if_asked(lead):
    from surveys.demo import ensure_demo_sessions

    token = run(ensure_demo_sessions())["anew"]["token"]
    before = run(Session.select(Session.questionnaire_version).where(Session.token == token).first())
    edit = post(lead, f"{BASE}/anew-parent-after/edit")
    assert edit.status_code == 303
    draft = edit.headers["location"]
    page = lead.get(draft).text
    assert "Also move the" in page and "open session" in page
    assert add(lead, draft, "text", text="Anything else you want to say?", key="else").status_code == 303
    kept = post(lead, f"{draft}publish")
    assert "version%202" in kept.headers["location"]
    after = run(Session.select(Session.questionnaire_version).where(Session.token == token).first())
    assert after == before  # the open session stays where it was

    draft = post(lead, f"{BASE}/anew-parent-after/edit").headers["location"]
    post(lead, f"{draft}details", title="After the meeting (2027)", about="")
    moved = post(lead, f"{draft}publish", move_sessions="yes")
    assert "version%203" in moved.headers["location"] and "moved%20to%20it" in moved.headers["location"]
    now = run(Session.select(Session.questionnaire_version).where(Session.token == token).first())
    assert now != before


def test_a_viewer_cannot_open_the_builder(client, db):
    run(accounts.add_account("viewer@anew.example", "just looking", "viewer", ["anew"]))
    sign_in(client, "viewer@anew.example", "just looking")
    assert client.get(f"{BASE}/new").status_code in (403, 404)
