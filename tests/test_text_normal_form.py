"""Text goes in once, in one normal form, and every download survives what is already stored.

A lead's names and titles with a control character are refused next to the field (nothing
saved); bidi overrides in them are removed; a respondent's answer is cleaned, never refused.
Rows written straight into the database, as older data may be, still give every export: each
file is reopened with its own reader.
"""

from __future__ import annotations

import csv
import io
import uuid

import pytest
from markupsafe import escape

from surveys import accounts, tokens
from surveys.initiatives import InitiativeError, create_initiative
from surveys.questionnaires import DefinitionError, parse_toml
from surveys.tables import Answer, Initiative, Questionnaire, QuestionnaireVersion, Response, Session
from tests.support import run
from tests.test_lead_pages import sign_in
from tests.test_setup_pages import csrf

SLUG = "plain-words"
QUESTIONNAIRE = f"""
slug = "{SLUG}"
title = "Plain words"
audience = "parent"

[[questions]]
key = "listened"
type = "choice"
text = "Did you feel listened to?"
headline = "felt listened to"
options = [{{ key = "yes", label = "Yes", value = 2 }}, {{ key = "no", label = "No", value = 1 }}]

[[questions]]
key = "said"
type = "text"
text = "Anything else?"
required = false
"""
# Everything XML can't hold that a form, a file or an old row might carry.
CONTROLS = "\u0001\u000b\u000c\u001f\u007f\ufffe"


@pytest.fixture
def lead(client, db):
    run(accounts.add_account("lead@anew.example", "correct horse", "lead", ["anew"]))
    assert sign_in(client, "lead@anew.example", "correct horse").status_code == 303
    return client


def _upload(lead, toml: str, name: str = "plain-words.toml"):
    page = lead.get("/lead/anew/questionnaires")
    return lead.post(
        "/lead/anew/questionnaires",
        data={"_csrf_token": csrf(page.text)},
        files={"file": (name, toml.encode(), "application/toml")},
        follow_redirects=False,
    )


def _new_session(lead, site: str):
    form = lead.get("/lead/anew/sessions/new")
    return lead.post(
        "/lead/anew/sessions/new",
        follow_redirects=False,
        data={
            "questionnaire": SLUG,
            "audience": "parent",
            "phase": "single",
            "site": site,
            "held_on": "",
            "_csrf_token": csrf(form.text),
        },
    )


def _sessions() -> list[dict]:
    anew = run(Initiative.select(Initiative.id).where(Initiative.slug == "anew").first())
    return run(Session.select(Session.site, Session.token).where(Session.initiative == anew["id"]))


@pytest.mark.parametrize("control", ["\u0001", "\u000b"])
def test_a_place_with_a_control_character_is_refused_next_to_the_field_and_nothing_is_saved(lead, control):
    assert _upload(lead, QUESTIONNAIRE).status_code == 303
    before = len(_sessions())
    made = _new_session(lead, f"Hill{control}top Hall")
    assert made.status_code == 400
    message = f"The place must not include invisible control characters (there is one, U+{ord(control):04X}"
    assert str(escape(message)) in made.text
    assert 'href="#site"' in made.text  # the error summary links to the field
    assert 'id="site-error"' in made.text  # and the message is next to it
    assert len(_sessions()) == before


def test_a_questionnaire_titled_with_a_control_character_is_refused_with_a_message(lead):
    bad = QUESTIONNAIRE.replace('title = "Plain words"', 'title = "\\u0001"')
    with pytest.raises(DefinitionError, match=r"'title' must not include invisible control characters.*U\+0001"):
        parse_toml(bad, "bad.toml")
    uploaded = _upload(lead, bad, "bad.toml")
    assert uploaded.status_code == 400
    assert "bad.toml: &#39;title&#39; must not include invisible control characters" in uploaded.text
    assert not run(Questionnaire.exists().where(Questionnaire.slug == SLUG))
    # An option label too: the question is named.
    label = QUESTIONNAIRE.replace('label = "No"', 'label = "N\\u000bo"')
    with pytest.raises(DefinitionError, match=r"question 'listened': 'options\[2\]\.label' must not include"):
        parse_toml(label, "label.toml")


def test_bidi_overrides_in_names_and_titles_are_removed_and_arabic_wording_kept(lead, db):
    row = run(create_initiative("Kids\u202e Club\u2066", slug="kids-club"))
    assert row["name"] == "Kids Club"
    with pytest.raises(InitiativeError) as refused:
        run(create_initiative("Kids\u0001 Club", slug="other-club"))
    assert "U+0001" in refused.value.errors["name"]
    assert not run(Initiative.exists().where(Initiative.slug == "other-club"))

    arabic = QUESTIONNAIRE.replace('title = "Plain words"', 'title = "Plain\u202e words"') + (
        '\n[translations.ar]\ntitle = "كلمات\u202b بسيطة"\n'
    )
    definition = parse_toml(arabic.replace('text = "Anything else?"', 'text = "Anything \u2067else\u2069?"'))
    assert definition.title == "Plain words"
    assert definition.title_in("ar") == ("كلمات بسيطة", "ar")
    assert definition.raw["title"] == "Plain words"  # and kept that way
    assert definition.questions[1].text == "Anything \u2067else\u2069?"  # wording keeps its isolates

    assert _upload(lead, QUESTIONNAIRE).status_code == 303
    assert _new_session(lead, "Hill\u202etop Hall").status_code == 303
    assert [s["site"] for s in _sessions()] == ["Hilltop Hall"]


def test_a_respondents_answer_with_a_control_character_is_stored_cleaned(lead):
    assert _upload(lead, QUESTIONNAIRE).status_code == 303
    assert _new_session(lead, "Hall").status_code == 303
    token = _sessions()[0]["token"]
    said = "Great\u0001 club\u000b\r\nreally" + " \u0645\u06cc\u06ba\u200c\u0646\u06d2"  # Urdu, with its ZWNJ
    sent = lead.post(
        f"/api/v1/sessions/{token}/responses",
        json={"submission_id": str(uuid.uuid4()), "answers": {"listened": "yes", "said": said}},
    )
    assert sent.status_code == 201, sent.text
    stored = run(Answer.select(Answer.text).where(Answer.question_key == "said").first())
    assert stored["text"] == "Great club\nreally \u0645\u06cc\u06ba\u200c\u0646\u06d2"


def test_a_stop_list_name_is_stored_cleaned_as_the_answers_it_must_match(lead):
    """PostgreSQL refuses a NUL outright (the generated-input test found a 500 there)."""
    from voice.tables import StopName

    page = lead.get("/lead/anew/codebook")
    added = lead.post(
        "/lead/anew/stop-list",
        follow_redirects=False,
        data={"_csrf_token": csrf(page.text), "name": "\x00Kowal\u202eska\x0b"},
    )
    assert added.status_code == 303
    assert run(StopName.select(StopName.name)) == [{"name": "Kowalska"}]


def _reopened(fmt: str, body: bytes) -> str:
    """What a reader of each format sees, reopened with that format's own reader."""
    if fmt == "docx":
        from docx import Document

        word = Document(io.BytesIO(body))
        cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in word.paragraphs] + cells)
    if fmt.endswith("pdf"):
        from pypdf import PdfReader

        return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(body)).pages)
    if fmt.endswith("xlsx"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body))
        return "\n".join(str(v) for sheet in book for row in sheet.values for v in row if v is not None)
    if fmt.endswith("csv"):
        return "\n".join(",".join(row) for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    return body.decode()


def test_every_download_opens_when_control_characters_are_already_stored(lead):
    assert _upload(lead, QUESTIONNAIRE).status_code == 303
    assert _new_session(lead, "Hall").status_code == 303
    token = _sessions()[0]["token"]
    for n in range(12):  # above the threshold of 10, so every table and quote is shown
        sent = lead.post(
            f"/api/v1/sessions/{token}/responses",
            json={
                "submission_id": str(uuid.uuid4()),
                "answers": {"listened": "yes", "said": f"Lovely time {n}", "said.consent": "yes"},
            },
        )
        assert sent.status_code == 201, sent.text

    # As older data may hold them: straight into the rows, around the domain's checks.
    anew = run(Initiative.select().where(Initiative.slug == "anew").first())
    run(
        Initiative.update(
            {
                Initiative.name: f"Anew{CONTROLS} Kids",
                Initiative.summary: f"Sum{CONTROLS}mary",
                Initiative.privacy_controller: f"The{CONTROLS} council",
            }
        ).where(Initiative.id == anew["id"])
    )
    run(Session.update({Session.site: f"Hall{CONTROLS} East"}).where(Session.token == token))
    questionnaire = run(Questionnaire.select().where(Questionnaire.slug == SLUG).first())
    run(
        Questionnaire.update({Questionnaire.title: f"Plain{CONTROLS} words"}).where(
            Questionnaire.id == questionnaire["id"]
        )
    )
    version = run(
        QuestionnaireVersion.select().where(QuestionnaireVersion.questionnaire == questionnaire["id"]).first()
    )
    raw = parse_toml(QUESTIONNAIRE).raw
    raw = {
        **raw,
        "title": f"Plain{CONTROLS} words",
        "questions": [
            {
                **raw["questions"][0],
                "text": f"Did you{CONTROLS} feel listened to?",
                "options": [
                    {"key": "yes", "label": f"Y{CONTROLS}es", "value": 2},
                    {"key": "no", "label": "No", "value": 1},
                ],
            },
            {**raw["questions"][1], "text": f"Anything{CONTROLS} else?"},
        ],
    }
    run(
        QuestionnaireVersion.update(
            {QuestionnaireVersion.definition: raw, QuestionnaireVersion.fingerprint: "0" * 64}
        ).where(QuestionnaireVersion.id == version["id"])
    )
    run(Answer.update({Answer.text: f"Lovely{CONTROLS} time"}).where(Answer.question_key == "said"))
    assert run(Response.count()) == 12
    from surveys.db import forget_kept

    forget_kept()  # the session and initiative rows this process has kept for a few seconds

    downloads = {fmt: f"/lead/anew/summary/download/{fmt}" for fmt in ("docx", "pdf", "html", "xlsx", "csv")}
    shown_token = tokens.display(token)
    downloads["poster.pdf"] = f"/lead/anew/sessions/{shown_token}/poster.pdf"
    downloads["card.pdf"] = f"/lead/anew/sessions/{shown_token}/card.pdf"
    downloads["paper.pdf"] = f"/lead/anew/sessions/{shown_token}/paper-form.pdf"
    downloads["wide.csv"] = "/lead/anew/responses-wide.csv"
    downloads["wide.xlsx"] = "/lead/anew/responses-wide.xlsx"
    for fmt, path in downloads.items():
        download = lead.get(path)
        assert download.status_code == 200, (fmt, download.text[:2000])
        shown = _reopened(fmt, download.content)
        if fmt in ("docx", "pdf", "html"):
            assert "Anew Kids" in shown and "Did you feel listened to?" in shown, fmt
        if fmt in ("xlsx", "csv"):
            assert "Lovely time" in shown and "Hall East" in shown, fmt
        if fmt in ("wide.xlsx", "wide.csv"):
            assert "Lovely time" in shown and "Hall East" in shown, fmt
        if fmt == "wide.xlsx":  # its Questions sheet
            assert "Did you feel listened to?" in shown, fmt
        if fmt == "paper.pdf":
            assert "Did you feel listened to?" in shown, (fmt, shown)
        if fmt in ("poster.pdf", "card.pdf"):
            assert "Anew Kids" in shown, (fmt, shown)
        assert not any(c in shown for c in CONTROLS if c != "\u000c"), fmt
