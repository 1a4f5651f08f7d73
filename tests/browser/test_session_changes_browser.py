"""A lead, in a real Chromium, edits a session and closes it; the poster's address stays the same,
a parent then meets the closed page; the edit form, the session page and the delete confirmation
pass axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from surveys import accounts, tokens
from surveys.tables import Session
from tests.browser.axe import assert_accessible
from tests.support import run

pytestmark = pytest.mark.browser
PASSWORD = "a long password here"


@pytest.fixture
def session_token(db):
    from surveys.demo import ensure_demo_sessions

    token = run(ensure_demo_sessions())["anew"]["token"]
    run(accounts.add_account("lead@anew.example", PASSWORD, "lead", ["anew"]))
    return token


def test_a_lead_edits_and_closes_a_session(server, chromium, session_token):
    context = chromium.new_context(viewport={"width": 1024, "height": 900}, bypass_csp=True)  # axe is injected
    page = context.new_page()
    page.goto(f"{server}/lead/login")
    page.get_by_label("Email address").fill("lead@anew.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    display = tokens.display(session_token)
    page.goto(f"{server}/lead/anew/sessions/{display}")
    address = page.locator("main").inner_text()
    assert f"/s/{display}" in address

    page.get_by_role("link", name="Change the place, date or times").click()
    assert_accessible(page, "changing a session")
    page.get_by_label("Answers open (optional)").fill("2026-12-05T10:00")
    page.get_by_label("Answers close (optional)").fill("2026-12-05T09:00")  # before it opens
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".error-summary")).to_contain_text("closing time must be after the opening time")
    assert_accessible(page, "changing a session, with an error")
    page.get_by_label("Answers close (optional)").fill("")
    page.get_by_label("Answers open (optional)").fill("")
    page.get_by_label("Site (optional)").fill("Craigie High School")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Craigie High School")
    expect(page.locator("main")).to_contain_text(f"/s/{display}")  # the same code: posters still work
    assert_accessible(page, "the session after a change")

    page.get_by_role("button", name="Delete this session").click()  # answered: asks first, or refuses
    assert_accessible(page, "deleting a session")
    page.go_back()

    page.get_by_role("button", name="Close it now").click()
    expect(page.locator("main")).to_contain_text(re.compile("[Cc]losed"))
    expect(page.get_by_role("button", name="Reopen it, with no closing time")).to_be_visible()
    row = run(Session.select(Session.site, Session.closes_at).where(Session.token == session_token).first())
    assert row["site"] == "Craigie High School" and row["closes_at"] is not None

    parent = chromium.new_context(viewport={"width": 360, "height": 740}).new_page()
    parent.goto(f"{server}/s/{display}")
    expect(parent.locator("main")).to_contain_text(re.compile("closed", re.I))
    parent.context.close()
    context.close()
