"""Partner summaries in every format, reopened with their own readers; the lead page; shared links."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import sys

import pytest
from markupsafe import escape

from frontend.documents.summary_files import export
from surveys import accounts, sharing
from surveys.initiatives import by_slug
from surveys.summary import Filters, ThemeInput
from surveys.tables import Answer, Response
from tests.support import run
from tests.test_lead_pages import sign_in

QUOTE = "Everyone listened to what I had to say."


async def themes(initiative_id, filters):
    return [ThemeInput("listening", "Being listened to", 14, (QUOTE,)),
            ThemeInput("rooms", "Rooms and places", 2, ())]


@pytest.fixture
def demo(db):
    from surveys.demo import ensure_demo_sessions, generate_responses

    run(ensure_demo_sessions())
    run(generate_responses(60, seed=11))
    run(accounts.add_account("lead@anew.example", "correct horse", "lead", ["anew"]))
    return run(by_slug("anew"))


def headline_lines(initiative):
    from frontend.documents.summary import document
    from surveys.summary import build_summary

    doc = document(run(build_summary(initiative)))
    lines = doc.headline_lines
    assert len(lines) == 4 and all(re.match(r"^\d+ of 60 parents \(\d+%\) ", line) for line in lines), lines
    return lines


def test_docx_has_headlines_tables_charts_and_quotes(demo):
    from docx import Document

    word = Document(io.BytesIO(run(export(demo, "docx", themes=themes))))
    text = "\n".join(p.text for p in word.paragraphs)
    for line in headline_lines(demo):
        assert line in text
    assert QUOTE in text
    assert "Rooms and places (fewer than 10 answers)" in text
    assert len(word.tables) >= 5
    assert [c.text for c in word.tables[0].rows[0].cells] == ["Figure", "Number", "Where it comes from"]  # reach
    first = word.tables[1]
    assert [c.text for c in first.rows[0].cells] == ["Answer", "People"]
    assert "Yes" in [row.cells[0].text for row in first.rows]
    assert len(word.inline_shapes) >= 1  # the charts, as pictures
    assert "How these figures were made" in text
    # Real Word headings, lists and captions (a screen reader's outline), and gridded tables.
    styles = {p.style.name for p in word.paragraphs}
    assert {"Title", "Heading 2", "List Bullet", "Caption", "Quote"} <= styles
    assert {t.style.name for t in word.tables} == {"Table Grid"}


def test_pdf_has_headlines_tables_and_quotes(demo):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(run(export(demo, "pdf", themes=themes))))
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for line in headline_lines(demo):
        assert line in text
    assert QUOTE in text and "Total who answered" in text and "95% interval" in text


def test_html_is_one_self_contained_file(demo):
    page = run(export(demo, "html", themes=themes)).decode()
    for line in headline_lines(demo):
        assert escape(line) in page
    assert "<svg" in page and "<table" in page and QUOTE in page
    assert 'src="http' not in page and 'href="http' not in page


def test_xlsx_long_format_per_version_with_dictionary_and_no_formulas(demo):
    from openpyxl import load_workbook

    session = run(Response.select().where(Response.initiative == demo["id"]).first())
    run(Answer.insert(Answer(response=session["id"], question_key="better", text="=HYPERLINK(\"x\")")))
    book = load_workbook(io.BytesIO(run(export(demo, "xlsx"))))
    assert book.sheetnames == ["anew-parent-after v1", "Data dictionary"]
    rows = list(book["anew-parent-after v1"].values)
    assert rows[0][:3] == ("response", "questionnaire", "version")
    assert len({row[0] for row in rows[1:]}) == 60
    texts = [row[rows[0].index("text")] for row in rows[1:]]
    assert "'=HYPERLINK(\"x\")" in texts
    assert not any(isinstance(t, str) and t.startswith("=") for row in rows for t in row)
    dictionary = list(book["Data dictionary"].values)
    assert ("anew-parent-after v1: listened", "yes", "Yes (code 3)") in dictionary


def test_csv_is_filtered_long_format(demo):
    import csv

    rows = list(csv.reader(io.StringIO(run(export(demo, "csv")).decode("utf-8-sig"))))
    assert rows[0][0] == "response" and len({r[0] for r in rows[1:]}) == 60
    none = list(csv.reader(io.StringIO(run(export(demo, "csv", Filters(site="Nowhere"))).decode("utf-8-sig"))))
    assert len(none) == 1


def test_cli_export_writes_files(demo, tmp_path):
    def heard(*args):
        return subprocess.run([sys.executable, "-m", "frontend.cli", *args], capture_output=True, text=True,
                              timeout=120)

    for fmt in ("docx", "csv"):
        out = tmp_path / f"summary.{fmt}"
        result = heard("export", "--initiative", "anew", "--format", fmt, "--site", "Demo site", "-o", str(out))
        assert result.returncode == 0, result.stderr
        assert f"Wrote {out}" in result.stdout and out.stat().st_size > 500
    assert (tmp_path / "summary-data-dictionary.csv").exists()
    bad = heard("export", "--initiative", "anew", "--format", "pdf", "--from", "31/12/2026", "-o", str(tmp_path / "x"))
    assert bad.returncode == 2 and "must be a date" in bad.stderr
    unknown = heard("export", "--initiative", "nope", "--format", "pdf", "-o", str(tmp_path / "x"))
    assert unknown.returncode == 2 and "No initiative" in unknown.stderr


def test_libreoffice_converts_the_docx(demo, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed; .ci/run installs libreoffice-writer")
    source = tmp_path / "summary.docx"
    source.write_bytes(run(export(demo, "docx", themes=themes)))
    result = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stderr
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(tmp_path / "summary.pdf").pages)
    assert headline_lines(demo)[0] in " ".join(text.split())


def test_lead_summary_page_filters_and_downloads(client, demo):
    assert client.get("/lead/anew/summary/", follow_redirects=False).status_code == 303
    assert sign_in(client, "lead@anew.example", "correct horse").status_code == 303
    assert 'href="/lead/anew/summary/"' in client.get("/lead/anew/").text
    page = client.get("/lead/anew/summary/")
    assert page.status_code == 200
    for line in headline_lines(demo):
        assert escape(line) in page.text
    assert "<svg" in page.text and 'name="from"' in page.text
    filtered = client.get("/lead/anew/summary/?site=Nowhere")
    assert "No responses match these filters yet." in filtered.text
    assert client.get("/lead/anew/summary/?from=yesterday").status_code == 400
    download = client.get("/lead/anew/summary/download/docx?site=Demo+site")
    assert download.status_code == 200
    assert download.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert 'filename="heard-anew-summary.docx"' in download.headers["content-disposition"]
    assert client.get("/lead/anew/summary/download/exe").status_code == 404
    # Another initiative's summary is not found, as with every lead page.
    assert client.get("/lead/cmhwf/summary/").status_code == 404


def test_lead_makes_and_revokes_a_shared_link(client, demo):
    sign_in(client, "lead@anew.example", "correct horse")
    page = client.get("/lead/anew/summary/")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
    made = client.post("/lead/anew/summary/share?site=Demo+site",
                       data={"label": "Council", "days": "7", "_csrf_token": token})
    assert made.status_code == 200
    link = re.search(r'class="summary-link">http://[^/]+(/shared/[^<]+)<', made.text).group(1)
    shared = client.get(link)
    assert shared.status_code == 200 and escape(headline_lines(demo)[0]) in shared.text
    link_id = run(sharing.links_of(demo["id"]))[0]["id"]
    revoked = client.post(f"/lead/anew/summary/share/{link_id}/revoke", data={"_csrf_token": token, "confirm": "yes"},
                          follow_redirects=False)
    assert revoked.status_code == 303
    assert client.get(link).status_code == 404


def test_shared_link_shows_only_the_summary_and_stops(app, db):
    from litestar.testing import TestClient

    from tests.test_summary import Dataset

    data = Dataset("anew")
    data.respond({"listened": "yes"}, times=12)
    data.respond({"listened": "no", "better": "My name is secret words"}, times=3)
    initiative = data.initiative
    token, row = run(sharing.create_link(initiative["id"], Filters(), days=30))
    assert row["token_hash"] != token and len(token) >= 32
    old, _ = run(sharing.create_link(initiative["id"], Filters(), days=1,
                                     now=dt.datetime.now(dt.UTC) - dt.timedelta(days=2)))
    with TestClient(app=app) as anonymous:
        page = anonymous.get(f"/shared/{token}")
        assert page.status_code == 200
        assert page.headers["cache-control"] == "no-store"
        text = page.text
        assert "felt listened to" in text
        # 3 "no" is small: shown only as "fewer than 10"; then "yes" (12) and the total hidden
        # with it, so that 15 - 12 can't give it away. No raw answers, no downloads.
        assert "fewer than 10" in text
        assert ">12<" not in text and "12 (" not in text and "(80%)" not in text and "(20%)" not in text
        assert "secret words" not in text
        assert "/download/" not in text and "responses.csv" not in text
        assert anonymous.get(f"/shared/{old}").status_code == 404
        assert anonymous.get("/shared/not-a-real-token").status_code == 404
        run(sharing.revoke(initiative["id"], row["id"]))
        assert anonymous.get(f"/shared/{token}").status_code == 404
