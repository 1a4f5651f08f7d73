"""The lead's reach page: figures for a period, comparison figures and the delivery partner list."""

from __future__ import annotations

import re

import pytest

from surveys import accounts
from surveys.tables import AuditEvent, Comparison, DeliveryPartner
from tests.support import run
from tests.test_lead_pages import sign_in


@pytest.fixture
def leads(db):
    run(accounts.add_account("lead@anew.example", "correct horse", "lead", ["anew"]))
    run(accounts.add_account("lead@cmhwf.example", "battery staple", "lead", ["cmhwf"]))
    run(accounts.add_account("viewer@anew.example", "just looking", "viewer", ["anew"]))


def _csrf(page) -> str:
    return re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)


def _post(client, path, data):
    token = _csrf(client.get(path.split("/comparisons")[0].split("/partners")[0] + "/"))
    return client.post(path, data={"_csrf_token": token, **data}, follow_redirects=False)


def test_reach_page_shows_each_figure_with_its_source(client, leads):
    sign_in(client, "lead@anew.example", "correct horse")
    page = client.get("/lead/anew/reach/")
    assert page.status_code == 200
    assert "Reach: all dates" in page.text
    for label in ("Sessions held", "Settings or sites", "Participants", "Practitioner records", "Responses in all"):
        assert f"<th scope=\"row\">{label}</th>" in page.text
    assert "Heard keeps no practitioner identity" in page.text
    assert "Delivery partners" not in page.text  # ANEW's forms don't ask which organisation
    assert client.get("/lead/anew/").text.count('href="/lead/anew/reach/"') == 1


def test_a_wrong_period_is_explained(client, leads):
    sign_in(client, "lead@anew.example", "correct horse")
    page = client.get("/lead/anew/reach/?from=2026-13-01&to=2026-01-01")
    assert page.status_code == 400
    assert "There is a problem" in page.text and "<title>Error:" in page.text
    assert 'href="#period-from">Enter a real date, like 2026-09-30' in page.text
    backwards = client.get("/lead/anew/reach/?from=2026-09-01&to=2026-01-01")
    assert "The end date must be the same as or after the start date" in backwards.text
    fine = client.get("/lead/anew/reach/?from=2026-09-01&to=2026-12-31")
    assert fine.status_code == 200 and "1 September 2026 to 31 December 2026" in fine.text


def test_comparison_form_says_what_is_wrong_and_stores_nothing(client, leads):
    sign_in(client, "lead@anew.example", "correct horse")
    response = _post(client, "/lead/anew/reach/comparisons",
                     {"measure": "nope:nothing", "value": "135", "description": "", "source": "", "year": "20"})
    assert response.status_code == 422
    assert "There is a problem" in response.text
    for field, message in [
        ("measure", "Choose the measure the figure compares with"),
        ("value", "Enter the comparison as a percentage from 0 to 100, like 35"),
        ("description", "Enter who the figure is about"),
        ("source", "Enter where the figure comes from"),
        ("year", "Enter the year the figure is for, from 1990 to"),
    ]:
        assert f'href="#comparison-{field}">{message}' in response.text.replace("&#8220;", "\u201c")
    assert run(Comparison.count()) == 0


def test_lead_adds_and_removes_a_comparison(client, leads):
    sign_in(client, "lead@anew.example", "correct horse")
    added = _post(client, "/lead/anew/reach/comparisons", {
        "measure": "anew-practitioner-meeting:views_heard", "value": "35.5%",
        "description": "across primary schools in Dundee", "source": "Pupil survey", "year": "2024"})
    assert added.status_code == 303
    page = client.get("/lead/anew/reach/")
    assert "35.5% across primary schools in Dundee (Pupil survey, 2024)" in page.text
    assert "an outside figure" in page.text
    [row] = run(Comparison.select())
    assert run(AuditEvent.count().where(AuditEvent.action == "comparison added")) == 1
    asked = _post(client, f"/lead/anew/reach/comparisons/{row['id']}/remove", {})
    assert asked.status_code == 200 and "Remove this comparison figure?" in asked.text
    assert run(Comparison.count()) == 1
    removed = _post(client, f"/lead/anew/reach/comparisons/{row['id']}/remove", {"confirm": "yes"})
    assert removed.status_code == 303
    assert run(Comparison.count()) == 0


def test_viewers_and_other_initiatives_cannot_change_anything(client, leads):
    sign_in(client, "viewer@anew.example", "just looking")
    page = client.get("/lead/anew/reach/")
    assert page.status_code == 200 and "Add a comparison figure" not in page.text
    refused = _post(client, "/lead/anew/reach/comparisons", {
        "measure": "anew-practitioner-meeting:views_heard", "value": "35", "description": "x", "source": "y",
        "year": "2024"})
    assert refused.status_code == 403
    client.cookies.clear()
    sign_in(client, "lead@cmhwf.example", "battery staple")
    assert client.get("/lead/anew/reach/").status_code == 404
    assert run(Comparison.count()) == 0


def test_lead_keeps_the_cmhwf_partner_list(client, leads):
    sign_in(client, "lead@cmhwf.example", "battery staple")
    page = client.get("/lead/cmhwf/reach/")
    assert "Delivery partners" in page.text
    names = re.findall(r"<li>([^<]+?) <form class=\"inline-form\"", page.text)
    assert len(names) == 12 and names[0] == "Community youth project"
    duplicate = _post(client, "/lead/cmhwf/reach/partners", {"name": "community youth PROJECT"})
    assert duplicate.status_code == 422
    assert 'href="#partner-name">community youth PROJECT is already on the list' in duplicate.text
    assert _post(client, "/lead/cmhwf/reach/partners", {"name": "Harbour youth trust"}).status_code == 303
    page = client.get("/lead/cmhwf/reach/")
    assert "Harbour youth trust" in page.text
    [partner] = run(DeliveryPartner.select().where(DeliveryPartner.name == "Harbour youth trust"))
    assert "Remove this delivery partner?" in _post(client, f"/lead/cmhwf/reach/partners/{partner['id']}/remove", {}).text
    assert "Harbour youth trust" in client.get("/lead/cmhwf/reach/").text
    assert _post(client, f"/lead/cmhwf/reach/partners/{partner['id']}/remove", {"confirm": "yes"}).status_code == 303
    assert "Harbour youth trust" not in client.get("/lead/cmhwf/reach/").text


def test_dashboard_counts_number_answers_as_numbers_given(client, db):
    run(accounts.add_account("lead@art.example", "correct horse", "lead", ["art-at-the-start"]))
    sign_in(client, "lead@art.example", "correct horse")
    page = client.get("/lead/art-at-the-start/")
    assert page.status_code == 200
    assert "How many children took part?" in page.text
    assert page.text.count('<th scope="row">Gave a number</th>') == 2  # the two counts on the observation form
