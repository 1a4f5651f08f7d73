"""Paper: the printed questionnaire (English and Arabic, shaped), and typing sheets in."""

from __future__ import annotations

import csv
import io
import re

import pytest

from surveys import accounts, audit
from surveys.tables import Answer, Response
from tests.support import font_glyphs, run
from tests.test_lead_pages import sign_in


@pytest.fixture
def anew(client, db):
    from surveys.demo import ensure_demo_sessions

    token = run(ensure_demo_sessions())["anew"]["token"]
    run(accounts.add_account("lead@anew.example", "correct horse", "lead", ["anew"]))
    run(accounts.add_account("viewer@anew.example", "just looking", "viewer", ["anew"]))
    sign_in(client, "lead@anew.example", "correct horse")
    return token


def _entry(client, token):
    return client.get(f"/lead/anew/sessions/{token}/paper")


def _csrf(html: str) -> str:
    return re.search(r'name="_csrf_token" value="([^"]+)"', html).group(1)


def _sheet(client, token, sheet, **answers):
    page = _entry(client, token)
    submission = re.search(r'name="submission_id" value="([^"]+)"', page.text).group(1)
    data = {
        "_csrf_token": _csrf(page.text),
        "submission_id": submission,
        "sheet": str(sheet),
        "language": "en",
        **answers,
    }
    return client.post(f"/lead/anew/sessions/{token}/paper", data=data, follow_redirects=False), data


def test_a_sheet_goes_in_once_marked_as_paper_with_blanks_allowed(client, anew):
    page = _entry(client, anew)
    assert page.status_code == 200
    assert 'id="sheet"' in page.text and 'value="1"' in page.text  # the first sheet number, ready
    saved, data = _sheet(client, anew, 1, listened="yes", better="Ring me on 07700 900123")
    assert saved.status_code == 303 and saved.headers["location"].endswith("/paper?saved=1")
    stored = run(Response.select(Response.way, Response.sheet))
    assert stored == [{"way": "paper", "sheet": 1}]
    texts = [a["text"] for a in run(Answer.select(Answer.text).where(Answer.text.is_not_null()))]
    assert texts and "07700" not in texts[0]  # redacted on save
    assert run(Answer.count().where(Answer.question_key == "next_steps")) == 0  # left blank
    after = client.get(saved.headers["location"])
    assert "Sheet 1 saved" in after.text and "1 sheet typed in" in after.text and 'value="2"' in after.text

    # The same form sent twice (a double press) is still one response.
    again = client.post(f"/lead/anew/sessions/{anew}/paper", data=data, follow_redirects=False)
    assert again.status_code == 303 and run(Response.count()) == 1
    # Sheet 1 again, on a new form: refused, nothing stored.
    refused, _ = _sheet(client, anew, 1, listened="no")
    assert refused.status_code == 422 and "Sheet 1 has already been typed in" in refused.text
    assert run(Response.count()) == 1
    # Both downloads say how it was given, and which sheet.
    for path in ("responses.csv", "responses-wide.csv"):
        rows = list(csv.DictReader(io.StringIO(client.get(f"/lead/anew/{path}").text.lstrip("\ufeff"))))
        assert rows and {(r["way"], r["sheet"]) for r in rows} == {("paper", "1")}, path
    events = [e for e in run(audit.events()) if e["action"] == "paper sheet entered"]
    assert len(events) == 1 and "1 sheets typed in" in events[0]["detail"]


def test_bad_sheets_and_answers_are_refused_clearly(client, anew):
    for sheet, message in [
        ("", "Enter the sheet number"),
        ("seven", "as a whole number"),
        ("0", "from 1 to"),
        ("AAAA-BBBB-CCCC-D / 3", "from another session"),
    ]:
        refused, _ = _sheet(client, anew, sheet)
        assert refused.status_code == 422 and message in refused.text, sheet
    wrong, _ = _sheet(client, anew, 4, listened="maybe-not")
    assert wrong.status_code == 422 and "Choose one of the answers shown" in wrong.text
    whole, _ = _sheet(client, anew, f"{anew} / 5", listened="yes")  # the whole reference, typed
    assert whole.status_code == 303
    assert run(Response.select(Response.sheet)) == [{"sheet": 5}]


def test_only_the_initiatives_leads_type_sheets_in(client, anew):
    client.cookies.clear()
    sign_in(client, "viewer@anew.example", "just looking")
    assert _entry(client, anew).status_code == 403


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_the_paper_form_prints_in_english_with_a_reference_on_every_sheet(client, anew):
    response = client.get(f"/lead/anew/sessions/{anew}/paper-form.pdf?sheets=3&from=7")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(response.content))
    text = _pdf_text(response.content)
    assert "Did you feel listened to?" in text and "Tick one box" in text
    display = "-".join(anew[i : i + 4] for i in range(0, len(anew), 4))
    for sheet in (7, 8, 9):
        assert f"{display} / {sheet}" in text
    # Every page carries a reference: count them against the pages.
    assert text.count(f"{display} / ") >= len(reader.pages)
    html = client.get(f"/lead/anew/sessions/{anew}/paper-form?sheets=2")
    assert html.status_code == 200 and html.text.count('class="sheet paper-sheet"') == 2


def test_arabic_and_urdu_print_shaped_right_to_left(client, anew, tmp_path):
    for lang, word in (("ar", "الورقة"), ("ur", "شیٹ")):
        response = client.get(f"/lead/anew/sessions/{anew}/paper-form.pdf?lang={lang}")
        assert response.status_code == 200
        glyphs = font_glyphs(response.content, "NotoNaskhArabic")
        # Shaped text uses the joined letter forms: beh, lam and meem at the start and in the
        # middle of words. Unshaped text would use only the isolated letters (U+0628, U+0644…).
        joined = {"uniFE91", "uniFE92", "uniFEDF", "uniFEE0", "uniFEE3", "uniFEE4"}
        assert len(glyphs & joined) >= 3, (lang, sorted(glyphs)[:40])
        # The text layer gives the words back whole.
        assert word in _pdf_text(response.content), lang

    import pypdfium2

    page = pypdfium2.PdfDocument(response.content)[0]
    image = page.render(scale=1).to_pil()
    image.save(tmp_path / "urdu-page-1.png")
    assert abs(image.size[0] - 595) <= 1 and abs(image.size[1] - 842) <= 1  # A4 at 72 dpi
    # Ink on the page, and most of it white paper: something printed, nothing blotted.
    grey = image.convert("L")
    dark = sum(1 for v in grey.get_flattened_data() if v < 128)
    assert 0.005 < dark / (595 * 842) < 0.3
