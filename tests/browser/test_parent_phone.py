"""A parent on a small touch phone, with JavaScript off, answers the ANEW questionnaire."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from surveys.tables import Answer, Response
from tests.support import run

pytestmark = pytest.mark.browser


@pytest.fixture
def anew_token(db):
    from surveys.demo import ensure_demo_sessions

    return run(ensure_demo_sessions())["anew"]["token"]


def test_parent_completes_anew_form_without_javascript(server, phone, anew_token):
    page = phone.new_page()
    page.goto(f"{server}/s/{anew_token}")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("button", name="Start now").tap()

    # Forgetting to answer gives the GOV.UK error summary, focused, with "Error:" in the title.
    page.get_by_role("button", name="Continue", exact=True).tap()
    expect(page).to_have_title(re.compile(r"^Error: Did you feel listened to\?"))
    assert page.get_by_text("There is a problem").is_visible()
    expect(page.locator(".error-summary")).to_be_focused()

    for question, answer in [
        ("Did you feel listened to?", "Yes"),
        ("Are you clear on what happens next?", "Partly"),
        ("Was the meeting helpful to you and your family?", "Yes"),
        ("Were your child's views shared at the meeting?", "Not sure"),
    ]:
        expect(page.get_by_role("heading", level=1)).to_have_text(question)
        page.get_by_label(answer, exact=True).check()
        page.get_by_role("button", name="Continue", exact=True).tap()

    expect(page.get_by_role("heading", level=1)).to_have_text("What would have made it better? (optional)")
    page.get_by_label("What would have made it better? (optional)").fill("More time to talk")
    page.get_by_label("You can use my words in your reports, without my name").check()
    page.get_by_role("button", name="Send my answers").tap()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    assert run(Response.count()) == 1
    texts = [a["text"] for a in run(Answer.select(Answer.text).where(Answer.text.is_not_null()))]
    assert texts == ["More time to talk"]

    # Reloading the thank-you page sends nothing again.
    page.reload()
    assert run(Response.count()) == 1
