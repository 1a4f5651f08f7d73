"""A lead, in a real Chromium, pages through the responses, opens one and reaches its delete
confirmation; every page has no axe violations, and deleting works with the confirm button."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from surveys import accounts
from surveys.initiatives import by_slug
from surveys.tables import Response
from tests.browser.axe import assert_accessible
from tests.support import run

pytestmark = pytest.mark.browser


@pytest.fixture
def desk(chromium):
    # bypass_csp only so axe-core can be injected for the check; the pages themselves run no script.
    context = chromium.new_context(viewport={"width": 1024, "height": 768}, bypass_csp=True)
    yield context
    context.close()


def test_lead_browses_opens_and_deletes_a_response(server, desk, db):
    from surveys.demo import generate_responses

    run(generate_responses(30, seed=9))
    run(accounts.add_account("lead@anew.example", "correct horse", "lead", ["anew"]))
    anew = run(by_slug("anew"))
    before = run(Response.count().where(Response.initiative == anew["id"]))

    page = desk.new_page()
    page.goto(f"{server}/lead/login")
    page.get_by_label("Email address").fill("lead@anew.example")
    page.get_by_label("Password").fill("correct horse")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{server}/lead/anew/responses/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Responses")
    expect(page.locator(".table__caption")).to_have_text("Page 1 of 2")
    assert_accessible(page, "response list")

    page.get_by_role("link", name="Next page").click()
    expect(page.locator(".table__caption")).to_have_text("Page 2 of 2")
    expect(page.get_by_role("link", name="Page 2")).to_have_attribute("aria-current", "page")
    assert_accessible(page, "response list, page 2")

    page.get_by_label("Who answered, and how").select_option("child")
    page.get_by_role("button", name="Show responses").click()
    expect(page.get_by_text("No responses match these filters.")).to_be_visible()
    page.get_by_label("Who answered, and how").select_option("")
    page.get_by_role("button", name="Show responses").click()

    first = page.locator("tbody a").first
    name = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_text("Did you feel listened to?").first).to_be_visible()
    assert_accessible(page, "a response")

    page.get_by_role("link", name=f"Delete {name.lower()}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Are you sure you want to delete {name.lower()}?")
    assert_accessible(page, "delete confirmation")
    page.get_by_role("button", name=f"Yes, delete {name.lower()}").click()
    expect(page.get_by_role("status")).to_contain_text(f"{name} deleted")
    assert_accessible(page, "response list after deleting")
    assert run(Response.count().where(Response.initiative == anew["id"])) == before - 1
