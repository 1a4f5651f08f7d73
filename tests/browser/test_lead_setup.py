"""A lead, in a real Chromium, uploads a questionnaire, creates a session and opens its poster."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from surveys import accounts
from surveys.tables import Session
from tests.support import run

pytestmark = pytest.mark.browser

EVERY_TYPE = Path(__file__).parent.parent / "questionnaires" / "every-type.toml"


@pytest.fixture
def desk(chromium):
    context = chromium.new_context(viewport={"width": 1024, "height": 768})
    yield context
    context.close()


def test_lead_sets_up_a_session_and_prints_its_poster(server, desk, db, tmp_path):
    run(accounts.add_account("lead@art.example", "correct horse", "lead", ["art-at-the-start"]))
    page = desk.new_page()
    page.goto(f"{server}/lead/login")
    page.get_by_label("Email address").fill("lead@art.example")
    page.get_by_label("Password").fill("correct horse")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Art at the Start").first.click()

    page.get_by_role("link", name="Questionnaires").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Questionnaires")
    page.get_by_label("Questionnaire file").set_input_files(EVERY_TYPE)
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("status")).to_have_text("Imported: every-type version 1.")
    page.screenshot(path=tmp_path / "questionnaires.png", full_page=True)

    page.get_by_role("link", name="Sessions and QR codes").click()
    page.get_by_role("link", name="Create a session").click()
    page.get_by_role("button", name="Create session").click()
    expect(page).to_have_title(re.compile(r"^Error: Create a session"))
    expect(page.locator(".error-summary")).to_be_focused()
    page.screenshot(path=tmp_path / "create-errors.png", full_page=True)
    page.get_by_role("link", name="Choose who will answer").click()
    expect(page.locator("#audience")).to_be_focused()

    page.get_by_label("Questionnaire").select_option("every-type")
    page.get_by_label("Parents and carers").check()
    page.get_by_label("After a programme").check()
    page.get_by_label("Site (optional)").fill("Hilltown Library")
    page.get_by_label("Date (optional)").fill("2026-12-05")
    page.get_by_label("Answers open (optional)").fill("2026-12-05T10:00")
    page.get_by_role("button", name="Create session").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Hilltown Library, Saturday 5 December 2026")
    token = run(Session.select(Session.token).first())["token"]
    display = "-".join(token[i:i + 4] for i in range(0, 13, 4))
    expect(page.locator("main")).to_contain_text(f"{server}/s/{display}")
    assert page.get_by_role("img", name=f"QR code for {server}/s/{display}").bounding_box()["width"] >= 200
    page.screenshot(path=tmp_path / "session.png", full_page=True)

    page.get_by_role("link", name="A4 poster to print").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Art at the Start")
    expect(page.locator(".short-url")).to_have_text(f"{server}/s/{display}")
    page.screenshot(path=tmp_path / "poster.png", full_page=True)
    page.pdf(path=tmp_path / "poster-from-browser.pdf", prefer_css_page_size=True)
