"""A practitioner on a small touch phone, with JavaScript off, fills in the Art at the Start
session observation: number questions with GOV.UK's error summary when a number is wrong."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from surveys.tables import Answer, Questionnaire, Response
from tests.support import run

pytestmark = pytest.mark.browser


@pytest.fixture
def observation_token(db):
    from surveys.initiatives import by_slug
    from surveys.sessions import create_session
    from surveys.versions import latest_version

    async def make():
        initiative = await by_slug("art-at-the-start")
        q = await Questionnaire.select().where(
            (Questionnaire.initiative == initiative["id"])
            & (Questionnaire.slug == "art-at-the-start-practitioner-observation")
        ).first()
        version = await latest_version(q["id"])
        row = await create_session(initiative["id"], version["id"], audience="practitioner", site="Nursery A",
                                   held_on=dt.date.today())
        return row["token"]

    return run(make())


def test_practitioner_records_a_session_without_javascript(server, phone, observation_token):
    page = phone.new_page()
    page.goto(f"{server}/s/{observation_token}")
    page.get_by_role("button", name="Start now").tap()

    question = "How many parents and carers took part?"
    expect(page.get_by_role("heading", level=1)).to_have_text(question)
    box = page.get_by_label(question)
    # GOV.UK's pattern for whole numbers: a text box with a numeric keypad, not type=number.
    assert box.get_attribute("type") == "text" and box.get_attribute("inputmode") == "numeric"
    assert "input--width-3" in box.get_attribute("class")

    page.get_by_role("button", name="Continue", exact=True).tap()
    expect(page).to_have_title(re.compile(r"^Error: How many parents and carers took part\?"))
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".error-summary")).to_contain_text("Enter a number")

    page.get_by_label(question).fill("sixty")
    page.get_by_role("button", name="Continue", exact=True).tap()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert page.get_by_text("There is a problem").is_visible()
    expect(page.locator(".error-summary")).to_be_focused()
    link = page.locator(".error-summary a")
    expect(link).to_have_text("Enter a whole number from 0 to 50")
    # The summary's link leads to the box, which keeps what was typed and says what is wrong.
    assert link.get_attribute("href") == "#" + box.get_attribute("id")
    expect(page.get_by_label(question)).to_have_value("sixty")
    expect(page.locator(".error-message")).to_contain_text("Enter a whole number from 0 to 50")

    page.get_by_label(question).fill("12")
    page.get_by_role("button", name="Continue", exact=True).tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("How many children took part?")
    page.get_by_label("How many children took part?").fill("60")
    page.get_by_role("button", name="Continue", exact=True).tap()
    expect(page.locator(".error-summary a")).to_have_text("Enter a whole number from 0 to 50")
    page.get_by_label("How many children took part?").fill("14")
    page.get_by_role("button", name="Continue", exact=True).tap()

    expect(page.get_by_role("heading", level=1)).to_have_text("Did the children stay with the activity?")
    page.get_by_label("Mostly", exact=True).check()
    page.get_by_role("button", name="Continue", exact=True).tap()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Did you notice parents tuning in to their child's communication?")
    page.get_by_label("Often", exact=True).check()
    page.get_by_role("button", name="Send my answers").tap()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    assert run(Response.count()) == 1
    numbers = run(Answer.select(Answer.question_key, Answer.value, Answer.option_key)
                  .where(Answer.option_key.is_null()).order_by(Answer.question_key))
    assert numbers == [{"question_key": "children", "value": 14, "option_key": None},
                       {"question_key": "parents_carers", "value": 12, "option_key": None}]


def test_number_box_is_usable_at_a_narrow_width(server, phone, observation_token):
    page = phone.new_page()
    page.goto(f"{server}/s/{observation_token}")
    page.get_by_role("button", name="Start now").tap()
    box = page.get_by_label("How many parents and carers took part?").bounding_box()
    # A target at least 44px high (WCAG 2.5.8 asks 24), and no sideways scrolling on a 360px phone.
    assert box["height"] >= 44 and box["width"] >= 40
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.parametrize("lang", ["en", "pl"])
def test_practitioner_pages_pass_the_same_accessibility_checks(server, chromium, observation_token, lang):
    from tests.browser.axe import assert_accessible

    # bypass_csp only so axe-core can be injected for the check.
    context = chromium.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True,
                                   bypass_csp=True)
    page = context.new_page()
    page.goto(f"{server}/s/{observation_token}?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    assert_accessible(page, f"practitioner start [{lang}]")
    page.locator("button.button--start").click()
    assert_accessible(page, f"practitioner number question [{lang}]")
    page.locator("input[inputmode=numeric]").fill("many")
    page.locator("button.button").last.click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page, f"practitioner number error [{lang}]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()
