"""Any option key a valid questionnaire file may use works everywhere the summary goes.

The summary, its exports and charts name figures of their own ("other", "total", "written",
"better", …). An option keyed the same must never be mistaken for one: a questionnaire using
every such name is uploaded, answered over HTTP, and its summary page, every download, ``heard
export`` and a shared link are opened with no responses and with more than the threshold.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import uuid

import pytest
from markupsafe import escape

from surveys import accounts
from surveys.questionnaires import DefinitionError, parse_toml
from tests.support import run
from tests.test_lead_pages import sign_in
from tests.test_setup_pages import csrf

# Every name the summary, disclosure, aggregation, exports and charts use as a key of their own.
SUMMARY_NAMES = (
    "other",
    "written",
    "better",
    "same",
    "worse",
    "top",
    "rest",
    "total",
    "n",
    "count",
    "share",
    "hidden",
    "primary",
    "secondary",
    "options",
    "people",
    "phase",
    "q",
    "o",
    "label",
    "key",
    "value",
    "values",
    "items",
    "keys",
    "get",
    "aside",
    "not_sure",
    "rather_not_say",
    "yes",
    "no",
    "partly",
    "missing",
    "answered",
    "suppressed",
    "uniform",
    "before",
    "after",
    "now",
    "none",
    "None",
    "null",
    "true",
)
# Keys the rule (letters, digits, - and _, at most 64) allows that look unusual.
ODD_KEYS = ("0", "10", "-1", "__class__", "Other", "OTHER", "a-b_c", "café", "łódź", "нi", "نعم", "x" * 64)
KEYS = SUMMARY_NAMES + ODD_KEYS
RESPONSES = 12  # above the threshold of 10
SLUG = "option-keys"


def _label(key: str) -> str:
    return f"Option {key}"


def questionnaire_toml() -> str:
    """One multiple-choice question per key (beside a plain option), and one choice of all of them."""

    def option(key: str, value: int | None = None) -> str:
        coded = f", value = {value}" if value is not None else ""
        return f'{{ key = "{key}", label = "{_label(key)}"{coded} }}'

    lines = [f'slug = "{SLUG}"', 'title = "Option keys"', 'audience = "parent"', 'about = "option keys"', ""]
    for i, key in enumerate(KEYS):
        lines += [
            "[[questions]]",
            f'key = "m{i}"',
            'type = "multi"',
            f'text = "Which of these, {i}?"',
            # "Not sure" beside the key, except where the key is its own.
            f"not_sure = {'false' if key == 'not_sure' else 'true'}",
            f"options = [{option(key)}, {option('plain')}]",
            "",
        ]
    lines += [
        "[[questions]]",
        'key = "pick"',
        'type = "choice"',
        'text = "Pick one"',
        "not_sure = true" if "not_sure" not in KEYS else "",
        f"options = [{', '.join(option(k) for k in KEYS)}]",
        "",
    ]
    # An ordered choice with a headline: charts, top-box shares and the headline line.
    scored = ("other", "total", "written", "not_sure", "top")
    lines += [
        "[[questions]]",
        'key = "rated"',
        'type = "choice"',
        'text = "How was it?"',
        'headline = "rated it top"',
        'top = ["top"]',
        f"options = [{', '.join(option(k, i + 1) for i, k in enumerate(scored))}]",
        "",
    ]
    return "\n".join(lines)


def test_every_key_in_the_list_is_one_a_valid_file_may_use():
    definition = parse_toml(questionnaire_toml(), "option-keys.toml")
    multi = [q for q in definition.questions if q.type == "multi"]
    assert [q.options[0].key for q in multi] == list(KEYS)
    assert {o.key for o in definition.questions[-2].options} == set(KEYS)
    # And the rule really is that: anything else is refused.
    for bad in ("a b", "x" * 65, "a.b", "a/b", "<b>"):
        with pytest.raises(DefinitionError, match="needs a 'key'"):
            parse_toml(questionnaire_toml().replace('key = "other"', f'key = "{bad}"', 1), "bad.toml")


def test_an_option_keyed_like_the_not_sure_answer_beside_it_is_refused():
    # Answers to the two would be stored under one key, and never told apart again.
    clash = questionnaire_toml().replace('options = [{ key = "other"', 'options = [{ key = "not_sure"', 1)
    assert 'key = "m0"\ntype = "multi"\ntext = "Which of these, 0?"\nnot_sure = true' in clash
    with pytest.raises(DefinitionError, match="'m0'.*'not_sure' is the \"Not sure\" answer's"):
        parse_toml(clash, "clash.toml")


@pytest.fixture
def lead(client, db):
    run(accounts.add_account("lead@anew.example", "correct horse", "lead", ["anew"]))
    assert sign_in(client, "lead@anew.example", "correct horse").status_code == 303
    return client


def _upload_and_open_a_session(lead) -> str:
    page = lead.get("/lead/anew/questionnaires")
    uploaded = lead.post(
        "/lead/anew/questionnaires",
        data={"_csrf_token": csrf(page.text)},
        files={"file": ("option-keys.toml", questionnaire_toml().encode(), "application/toml")},
        follow_redirects=False,
    )
    assert uploaded.status_code == 303, uploaded.text
    form = lead.get("/lead/anew/sessions/new")
    made = lead.post(
        "/lead/anew/sessions/new",
        follow_redirects=False,
        data={
            "questionnaire": SLUG,
            "audience": "parent",
            "phase": "single",
            "site": "Hub",
            "held_on": "",
            "_csrf_token": csrf(form.text),
        },
    )
    assert made.status_code == 303, made.text
    return made.headers["location"].rsplit("/", 1)[-1]


def _answer(client, token: str, responses: int) -> None:
    for r in range(responses):
        answers = {f"m{i}": [key, "plain"] if r % 3 else [key] for i, key in enumerate(KEYS)}
        answers["pick"] = KEYS[r % 2]  # two answers, each chosen by 6: both shown
        answers["rated"] = "top"
        sent = client.post(
            f"/api/v1/sessions/{token}/responses", json={"submission_id": str(uuid.uuid4()), "answers": answers}
        )
        assert sent.status_code == 201, sent.text


def _heard(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "frontend.cli", *argv], capture_output=True, text=True, timeout=120)


def _texts(fmt: str, body: bytes) -> str:
    """What a reader of each format sees, reopened with that format's own reader."""
    if fmt == "docx":
        from docx import Document

        word = Document(io.BytesIO(body))
        cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in word.paragraphs] + cells)
    if fmt == "pdf":
        from pypdf import PdfReader

        return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(body)).pages)
    if fmt == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body))
        return "\n".join(str(v) for sheet in book for row in sheet.values for v in row if v is not None)
    if fmt == "csv":
        return "\n".join(",".join(row) for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    return body.decode()


@pytest.mark.parametrize("responses", [0, RESPONSES])
def test_every_option_key_works_in_the_summary_its_downloads_the_cli_and_a_shared_link(lead, responses, tmp_path):
    token = _upload_and_open_a_session(lead)
    assert lead.get(f"/s/{token}").status_code == 200
    assert lead.get(f"/api/v1/sessions/{token}").status_code == 200
    _answer(lead, token, responses)
    query = f"?questionnaire={SLUG}"

    page = lead.get(f"/lead/anew/summary/{query}")
    assert page.status_code == 200, page.text
    if responses:
        # Every key is its own answer: 12 of 12 chose it in its question (4 of them alone).
        for key in KEYS:
            assert escape(_label(key)) in page.text
        assert "12 of 12 parents (100%) rated it top" in page.text
    else:
        assert "No responses match these filters yet." in page.text
    assert lead.get("/lead/anew/").status_code == 200

    for fmt in ("docx", "pdf", "html", "xlsx", "csv"):
        download = lead.get(f"/lead/anew/summary/download/{fmt}{query}")
        assert download.status_code == 200, (fmt, download.text)
        shown = _texts(fmt, download.content)
        if responses and fmt in ("docx", "pdf", "html"):
            assert "rated it top" in shown, fmt
            assert "Option other" in shown and "Option total" in shown, fmt
        if responses and fmt in ("xlsx", "csv"):
            # The long format: one row per chosen option, keyed as the file keyed it.
            assert all(key in shown for key in KEYS), fmt

    # ``heard export`` makes the same file (one format: each run is a process of its own).
    out = tmp_path / "summary.pdf"
    exported = _heard("export", "--initiative", "anew", "--format", "pdf", "--questionnaire", SLUG, "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    assert _texts("pdf", out.read_bytes()) == _texts("pdf", lead.get(f"/lead/anew/summary/download/pdf{query}").content)

    made = lead.post(
        f"/lead/anew/summary/share{query}", data={"label": "Funder", "days": "30", "_csrf_token": csrf(page.text)}
    )
    assert made.status_code == 200, made.text
    link = re.search(r'class="summary-link">http://[^/]+(/shared/[^<]+)<', made.text).group(1)
    lead.cookies.clear()  # the funder has no account
    shared = lead.get(link)
    assert shared.status_code == 200, shared.text
    assert "Option keys" in shared.text
    if responses:
        assert "12 of 12 parents (100%) rated it top" in shared.text
