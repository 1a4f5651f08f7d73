"""A lead watches answers come in: three parents answer on their phones, and the lead's page
shows them at its next refresh, without reloading (JavaScript on) or by the plain link (off)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from surveys import accounts
from tests.browser.axe import assert_accessible
from tests.support import run

pytestmark = pytest.mark.browser

ANSWERS = ["Yes", "Partly", "Yes", "Not sure"]


@pytest.fixture
def anew_token(db):
    from surveys.demo import ensure_demo_sessions

    token = run(ensure_demo_sessions())["anew"]["token"]
    run(accounts.add_account("lead@anew.example", "correct horse", "lead", ["anew"]))
    return token


def _answer_on_a_phone(phone, server: str, token: str) -> None:
    page = phone.new_page()
    page.goto(f"{server}/s/{token}")
    page.get_by_role("button", name="Start now").tap()
    for answer in ANSWERS:
        page.get_by_label(answer, exact=True).check()
        page.get_by_role("button", name="Continue", exact=True).tap()
    page.get_by_role("button", name="Send my answers").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    page.close()


def _sign_in(context, server: str):
    page = context.new_page()
    page.goto(f"{server}/lead/login")
    page.get_by_label("Email address").fill("lead@anew.example")
    page.get_by_label("Password").fill("correct horse")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{server}/lead/anew/")
    return page


def _today(page) -> str:
    return page.locator('[data-figure="today"]').inner_text()


def test_three_phone_answers_appear_within_one_refresh(server, chromium, phone, anew_token):
    # bypass_csp only so axe-core can be injected for the check.
    context = chromium.new_context(viewport={"width": 1024, "height": 900}, bypass_csp=True)
    page = _sign_in(context, server)
    expect(page.get_by_role("heading", name="Responses coming in")).to_be_visible()
    assert _today(page) == "0"
    page.evaluate("window.stayedOnThisPage = true")

    for _ in range(3):
        _answer_on_a_phone(phone, server, anew_token)

    page.get_by_role("link", name="Refresh").click()
    # 3 is below the threshold: the lead sees it, marked as hidden from partners.
    expect(page.locator('[data-figure="today"]')).to_have_text(re.compile(r"^3\s+hidden from partners$"))
    expect(page.locator(f'tr[data-session="{anew_token}"] [data-total]')).to_have_text(re.compile(r"^3\b"))
    expect(page.get_by_role("status")).to_have_text("Counts updated")
    assert page.evaluate("window.stayedOnThisPage") is True  # swapped in, not reloaded
    assert_accessible(page, "the initiative's live counts")
    context.close()


def test_without_javascript_refresh_is_a_plain_link(server, chromium, phone, anew_token):
    context = chromium.new_context(viewport={"width": 768, "height": 900}, java_script_enabled=False)
    page = _sign_in(context, server)
    assert _today(page) == "0"
    for _ in range(3):
        _answer_on_a_phone(phone, server, anew_token)
    page.get_by_role("link", name="Refresh").click()
    expect(page.locator('[data-figure="today"]')).to_have_text(re.compile(r"^3\s+hidden from partners$"))
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    context.close()
