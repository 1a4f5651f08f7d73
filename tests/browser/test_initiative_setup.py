"""A new service, in a real Chromium: the first admin creates *Together to Thrive* from a pack,
creates a session, a parent answers on a phone in Polish, and the lead downloads the summary."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from surveys import accounts
from surveys.tables import Response, Session
from tests.browser.axe import assert_accessible
from tests.support import run

pytestmark = pytest.mark.browser


@pytest.fixture
def desk(chromium):
    # bypass_csp: axe-core is injected into the page to check it (the app allows no inline script).
    context = chromium.new_context(viewport={"width": 1024, "height": 768}, accept_downloads=True, bypass_csp=True)
    yield context
    context.close()


def test_first_admin_sets_up_an_initiative_from_a_pack_and_a_parent_answers_in_polish(
    empty_db, server, desk, phone, tmp_path
):
    run(accounts.add_account("admin@heard.example", "correct horse", "admin"))
    page = desk.new_page()
    page.goto(f"{server}/lead/login")
    page.get_by_label("Email address").fill("admin@heard.example")
    page.get_by_label("Password").fill("correct horse")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Create your first initiative")).to_be_visible()
    page.get_by_role("link", name="Create your first initiative").click()

    # A mistake first: the GOV.UK error summary, focused, linking to the field.
    page.get_by_role("button", name="Create initiative").click()
    expect(page).to_have_title(re.compile(r"^Error: Initiatives"))
    expect(page.locator(".error-summary")).to_be_focused()
    page.get_by_role("link", name="Enter the initiative's name").click()
    expect(page.get_by_label("Name", exact=True)).to_be_focused()
    assert_accessible(page, "the initiatives page with an error")

    page.get_by_label("Name", exact=True).fill("Together to Thrive")
    page.get_by_label("Parent and carer group programme").check()
    page.get_by_role("button", name="Create initiative").click()
    expect(page.get_by_role("status")).to_contain_text("Together to Thrive is set up")
    page.screenshot(path=tmp_path / "initiative-created.png", full_page=True)
    assert_accessible(page, "the initiatives page after one was made")

    page.get_by_role("link", name="Create a session").click()
    page.get_by_label("Questionnaire").select_option("parent-group-after-session")
    page.get_by_label("Parents and carers").check()
    page.get_by_label("After a programme").check()
    page.get_by_label("Site (optional)").fill("Whitfield Community Centre")
    page.get_by_role("button", name="Create session").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Whitfield Community Centre")
    token = run(Session.select(Session.token).first())["token"]

    parent = phone.new_page()
    parent.goto(f"{server}/s/{token}?lang=pl")
    expect(parent.locator("html")).to_have_attribute("lang", "pl")
    parent.locator("button[name=nav][value=next]").click()
    expect(parent.get_by_role("heading", level=1)).to_have_text("Czy podobały Ci się dzisiejsze zajęcia?")
    for _ in range(4):  # four questions with a choice: the first answer of each
        parent.locator("input[type=radio]").first.check()
        parent.locator("button.button[name=nav][value=next]").click()
    for _ in range(2):  # two optional written ones, left empty
        parent.locator("button.button[name=nav][value=next]").click()
    expect(parent).to_have_url(re.compile(r"/done\?lang=pl$"))
    assert run(Response.select(Response.language)) == [{"language": "pl"}]

    page.goto(f"{server}/lead/together-to-thrive/summary/")
    with page.expect_download() as download:
        page.locator("a[href$='/download/docx']").first.click()
    path = tmp_path / "summary.docx"
    download.value.save_as(path)
    assert path.read_bytes()[:2] == b"PK"
