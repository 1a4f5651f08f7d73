"""A lead prints participant cards, erases one person's answers by code, and edits the privacy
notice, retention period and suppression threshold (never below 5)."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from surveys import accounts
from surveys.pseudonyms import display, new_code, normalise
from surveys.tables import AuditEvent, Initiative, Response
from tests.privacy.helpers import ANEW, answer, phase_session
from tests.support import run

CODE = re.compile(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]\b")


@pytest.fixture
def lead(client, db):
    run(accounts.add_account("lead@anew.example", "correct horse", "lead", ["anew"]))
    form = client.get("/lead/login")
    token = _csrf(form.text)
    signed = client.post("/lead/login", data={"email": "lead@anew.example", "password": "correct horse",
                                              "_csrf_token": token}, follow_redirects=False)
    assert signed.status_code == 303
    return client


def _csrf(html: str) -> str:
    return re.search(r'name="_csrf_token" value="([^"]+)"', html).group(1)


def test_dashboard_links_to_the_privacy_tools(lead):
    page = lead.get("/lead/anew/")
    for path in ("/lead/anew/codes", "/lead/anew/privacy", "/lead/anew/erase"):
        assert path in page.text


def test_a_lead_prints_a_sheet_of_participant_cards(lead):
    form = lead.get("/lead/anew/codes")
    assert form.status_code == 200 and 'name="count"' in form.text
    pdf = lead.get("/lead/anew/codes", params={"count": "10"})
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["cache-control"] == "no-store"
    reader = PdfReader(io.BytesIO(pdf.content))
    assert len(reader.pages) == 2  # 8 a sheet
    codes = CODE.findall("\n".join(p.extract_text() for p in reader.pages))
    assert len(set(codes)) == 10 and all(normalise(c) for c in codes)
    html = lead.get("/lead/anew/codes", params={"count": "3", "format": "html"})
    assert html.text.count('class="participant-card"') == 3
    assert all(f"/c/{c}" for c in CODE.findall(html.text))
    # Codes are not stored: not in any response, not in the audit log.
    events = run(AuditEvent.select().where(AuditEvent.action == "participant cards printed"))
    assert sorted(e["detail"] for e in events) == ["10 cards", "3 cards"]
    assert all(e["actor"] == "lead@anew.example" for e in events)
    assert not any(c in str(events) for c in codes)


@pytest.mark.parametrize("count", ["0", "401", "lots"])
def test_a_silly_number_of_cards_is_explained(lead, count):
    page = lead.get("/lead/anew/codes", params={"count": count})
    assert page.status_code == 422 and "Enter a number of cards from 1 to 400" in page.text


def test_other_initiatives_tools_are_not_found(lead):
    for path in ("/lead/cmhwf/codes?count=2", "/lead/cmhwf/erase", "/lead/cmhwf/privacy"):
        assert lead.get(path, follow_redirects=False).status_code == 404


def test_a_lead_erases_one_persons_answers(lead):
    before, after = run(phase_session("anew", "before")), run(phase_session("anew", "after"))
    person, other = new_code(), new_code()
    run(answer(before, ANEW, code=person))
    run(answer(after, ANEW, code=person))
    kept = run(answer(after, ANEW, code=other))
    form = lead.get("/lead/anew/erase")
    bad = lead.post("/lead/anew/erase", data={"code": "ABCD", "_csrf_token": _csrf(form.text)})
    assert bad.status_code == 422 and "There is a problem" in bad.text
    asked = lead.post("/lead/anew/erase", data={"code": display(person).lower(), "_csrf_token": _csrf(form.text)})
    assert asked.status_code == 200 and "Delete everything answered with this participant code?" in asked.text
    assert run(Response.count()) == 3  # nothing deleted until it is confirmed
    done = lead.post("/lead/anew/erase", data={"code": display(person).lower(), "_csrf_token": _csrf(form.text),
                                               "confirm": "yes"})
    assert done.status_code == 200 and "2 responses deleted" in done.text
    assert display(person) not in done.text and display(person).lower() not in done.text
    assert [r["id"] for r in run(Response.select(Response.id))] == [kept]
    event = run(AuditEvent.select().where(AuditEvent.action == "erased on request").first())
    assert event["actor"] == "lead@anew.example" and event["detail"].startswith("2 responses")
    # Without the CSRF token nothing happens.
    assert lead.post("/lead/anew/erase", data={"code": display(other)}).status_code == 403
    assert run(Response.count()) == 1


def test_a_lead_edits_the_privacy_notice_and_settings(lead, client):
    form = lead.get("/lead/anew/privacy")
    assert form.status_code == 200 and "Dundee City Council" in form.text  # the default, as a hint
    token = _csrf(form.text)
    fields = {"privacy_controller": "ANEW Partnership, Dundee", "privacy_purpose": "",
              "privacy_lawful_basis": "", "privacy_contact": "anew@example.org", "privacy_rights": "",
              "retention_months": "18", "suppression_threshold": "4", "_csrf_token": token}
    refused = lead.post("/lead/anew/privacy", data=fields)
    assert refused.status_code == 422
    assert "Enter a whole number from 5 to 1000" in refused.text and "<title>Error:" in refused.text
    assert run(Initiative.select(Initiative.suppression_threshold).where(Initiative.slug == "anew").first()) == {
        "suppression_threshold": 10}
    saved = lead.post("/lead/anew/privacy", data={**fields, "suppression_threshold": "12"}, follow_redirects=False)
    assert saved.status_code == 303
    row = run(Initiative.select().where(Initiative.slug == "anew").first())
    assert (row["suppression_threshold"], row["retention_months"], row["privacy_controller"]) == (
        12, 18, "ANEW Partnership, Dundee")
    notice = client.get("/privacy/anew")
    assert "ANEW Partnership, Dundee" in notice.text and "anew@example.org" in notice.text
    assert "18 months" in notice.text and "groups of 12 people or more" in notice.text
    assert "Public task" in notice.text  # a part left empty shows the default wording
    assert "fewer than 12" in lead.get("/lead/anew/").text
    event = run(AuditEvent.select().where(AuditEvent.action == "privacy settings changed").first())
    assert "suppression_threshold=12" in event["detail"] and "retention_months=18" in event["detail"]


def test_every_initiative_has_a_complete_notice_by_default(client, db):
    for slug in ("anew", "cmhwf", "art-at-the-start"):
        page = client.get(f"/privacy/{slug}")
        assert page.status_code == 200
        for heading in ("Who is responsible for your answers", "Why we ask", "Our lawful basis",
                        "How long we keep your answers", "Your rights", "Contact"):
            assert heading in page.text, (slug, heading)
        assert "24 months" in page.text
