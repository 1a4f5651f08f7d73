"""An admin adds a viewer in the browser; the viewer sets a password and sees no write buttons."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from surveys import accounts
from tests.browser.axe import assert_accessible
from tests.support import run

pytestmark = pytest.mark.browser
PASSWORD = "a long password here"


@pytest.fixture
def admin(db):
    from surveys.demo import ensure_demo_sessions

    run(ensure_demo_sessions())
    run(accounts.add_account("admin@heard.example", PASSWORD, "admin"))
    run(accounts.add_account("lead@anew.example", PASSWORD, "lead", ["anew"]))


def _sign_in(page, server, email):
    page.goto(f"{server}/lead/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_admin_adds_a_viewer_who_sees_no_write_buttons(server, chromium, admin):
    context = chromium.new_context(viewport={"width": 1024, "height": 900}, bypass_csp=True)
    page = context.new_page()
    _sign_in(page, server, "admin@heard.example")
    page.goto(f"{server}/lead/admin/users/")
    page.get_by_role("link", name="Add a user").click()
    assert_accessible(page, "adding a user")
    page.get_by_role("button", name="Add the user").click()  # nothing filled in
    expect(page.locator(".error-summary")).to_contain_text("Enter an email address")
    page.get_by_label("Email address").fill("reader@anew.example")
    page.get_by_label(re.compile("^viewer")).check()
    page.get_by_label("ANEW").check()
    page.get_by_role("button", name="Add the user").click()
    expect(page.get_by_role("status")).to_contain_text("reader@anew.example has been added")
    link = page.locator("code.secret").inner_text()
    context.clear_cookies()

    page.goto(link)
    page.get_by_label("New password").fill(PASSWORD)
    page.get_by_label("Type it again").fill(PASSWORD)
    page.get_by_role("button", name="Set password").click()
    _sign_in(page, server, "reader@anew.example")
    page.goto(f"{server}/lead/anew/")
    expect(page.get_by_role("heading", name="Responses coming in")).to_be_visible()
    assert page.locator("main form").count() == 0  # nothing to change
    assert page.get_by_role("link", name="Sessions and QR codes").count() == 0
    page.goto(f"{server}/lead/anew/summary/")
    assert page.locator("main form[method=post]").count() == 0
    context.close()


def test_the_people_page_is_accessible(server, chromium, admin):
    context = chromium.new_context(viewport={"width": 768, "height": 900}, bypass_csp=True)
    page = context.new_page()
    _sign_in(page, server, "lead@anew.example")
    page.goto(f"{server}/lead/anew/")
    page.get_by_role("link", name="People with access").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People with access")
    assert_accessible(page, "an initiative's people")
    page.get_by_label("Their email address").fill("helper@anew.example")
    page.get_by_role("button", name="Add them").click()
    expect(page.get_by_role("status")).to_contain_text("One-time link for helper@anew.example")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    context.close()
