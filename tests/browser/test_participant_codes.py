"""Participant codes in a real browser: a parent's phone with JavaScript off, a child's tablet."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from surveys.pseudonyms import display, new_code, pseudonym
from surveys.tables import Response
from tests.privacy.helpers import phase_session
from tests.support import run

pytestmark = pytest.mark.browser


def test_parent_scans_a_card_mistypes_and_fixes_the_code(server, phone, db):
    session = run(phase_session("anew", "before"))
    code = new_code()
    page = phone.new_page()
    page.goto(f"{server}/c/{display(code)}")
    expect(page.get_by_text(display(code), exact=True)).to_be_visible()
    page.get_by_label("Code for today's questions").fill(session["token"])
    page.get_by_role("button", name="Continue").tap()
    field = page.get_by_label("Participant code (optional)")
    expect(field).to_have_value(display(code))

    wrong = code[:8] + ("0" if code[8] != "0" else "1")
    field.fill(display(wrong))
    page.get_by_role("button", name="Start now").tap()
    expect(page).to_have_title(re.compile(r"^Error: Participant code"))
    expect(page.locator(".error-summary")).to_be_focused()
    page.get_by_role("link", name=re.compile("Check your participant code")).tap()
    expect(page.get_by_label("Participant code (optional)")).to_be_focused()
    page.get_by_label("Participant code (optional)").fill(display(code).lower())
    page.get_by_role("button", name="Continue", exact=True).tap()
    expect(page.get_by_text("Question 1 of")).to_be_visible()
    for answer in ("Yes", "Partly", "Yes", "No"):
        page.get_by_label(answer, exact=True).check()
        page.get_by_role("button", name="Continue", exact=True).tap()
    page.get_by_role("button", name="Send my answers").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    assert run(Response.select(Response.pseudonym).first())["pseudonym"] == pseudonym("anew", code)


def test_child_taps_three_pictures_on_the_tablet(server, chromium, db):
    session = run(phase_session("cmhwf", "before"))
    context = chromium.new_context(viewport={"width": 1024, "height": 768}, has_touch=True)
    try:
        page = context.new_page()
        page.goto(f"{server}/k/{session['token']}")
        page.get_by_role("link", name="Use a picture code (optional)").tap()
        for row, word in (("First picture", "Cat"), ("Second picture", "Sun"), ("Third picture", "Boat")):
            group = page.get_by_role("group", name=row)
            target = group.get_by_text(word, exact=True)
            box = target.locator("..").bounding_box()
            assert box["width"] >= 44 and box["height"] >= 44  # WCAG 2.5.8, with room to spare
            target.tap()
            expect(group.get_by_role("radio", name=word)).to_be_checked()
        page.get_by_role("button", name="Start").tap()
        expect(page.get_by_text("Question 1 of")).to_be_visible()
        hidden = page.locator('input[name="pseudonym"]').get_attribute("value")
        assert hidden.partition(".")[0] == pseudonym("cmhwf", "pic:cat-sun-boat")  # with its tag
    finally:
        context.close()
