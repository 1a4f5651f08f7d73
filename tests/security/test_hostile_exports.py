"""Hostile text typed into Heard comes out harmless in the Word and Excel downloads (issue 8).

Site names (shown in exports and reports) and approved quotes carry every payload; the DOCX's
XML must hold them only escaped, and no XLSX cell may start with a formula character.
"""

from __future__ import annotations

import io
import uuid
import zipfile

import pytest
from openpyxl import load_workbook

from surveys import accounts
from surveys.tables import Answer, Session
from tests.hostile import PAYLOADS, assert_inert_cell, assert_inert_text
from tests.support import run
from tests.test_lead_pages import sign_in

CHOICES = {"listened": "yes", "next_steps": "yes", "helpful": "yes", "child_views": "yes"}


@pytest.fixture
def hostile(client, db):
    from surveys.demo import ensure_demo_sessions, generate_responses
    from voice.quotes import approve

    sessions = run(ensure_demo_sessions())
    run(generate_responses(12, seed=9))
    anew = sessions["anew"]
    run(Session.update({Session.site: " ".join(PAYLOADS[:3])}).where(Session.id == anew["id"]))
    for payload in PAYLOADS:
        body = {"submission_id": str(uuid.uuid4()),
                "answers": {**CHOICES, "better": f"{payload} listened to", "better.consent": "yes"}}
        assert client.post(f"/api/v1/sessions/{anew['token']}/responses", json=body).status_code == 201
    for answer in run(Answer.select(Answer.id).where(Answer.text.like("%listened to"))):
        run(approve(anew["initiative"], answer["id"], actor="lead@anew.example"))
    run(accounts.add_account("lead@anew.example", "correct horse", "lead", ["anew"]))
    sign_in(client, "lead@anew.example", "correct horse")
    return anew


def test_docx_summary_holds_hostile_text_only_escaped(client, hostile):
    response = client.get("/lead/anew/summary/download/docx")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as docx:
        xml = docx.read("word/document.xml").decode()
    # The newest approved quotes are there, exactly as typed (a template tag stays a tag).
    assert "{{ 7*7 }} listened to" in xml and "49 listened to" not in xml
    assert_inert_text(xml)


def test_xlsx_data_has_no_formula_cells(client, hostile):
    response = client.get("/lead/anew/summary/download/xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    seen = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                assert_inert_cell(value)
                seen += isinstance(value, str) and "listened to" in value
    assert seen >= len(PAYLOADS) - 2  # the typed answers are really there (as text)
