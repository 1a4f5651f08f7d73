"""The quotes page fits a tablet and a laptop: no sideways scrolling at 768 or 1280 px."""

from __future__ import annotations

import pytest

from surveys import accounts
from tests.browser.axe import assert_accessible
from tests.support import run, themed

pytestmark = pytest.mark.browser


@pytest.fixture
def anew_quotes(db, client):
    from surveys.demo import ensure_demo_sessions, generate_responses

    run(ensure_demo_sessions())
    run(generate_responses(40, seed=11))
    themed(client)
    run(accounts.add_account("lead@anew.example", "correct horse", "lead", ["anew"]))


@pytest.mark.parametrize("width", [768, 1280])
def test_quotes_page_has_no_sideways_scroll(server, chromium, anew_quotes, width):
    context = chromium.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{server}/lead/login")
    page.get_by_label("Email address").fill("lead@anew.example")
    page.get_by_label("Password").fill("correct horse")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{server}/lead/anew/quotes?status=all")
    page.wait_for_load_state("load")
    assert page.locator(".answer-card").count() > 3
    too_wide = page.evaluate(
        """() => [...document.querySelectorAll('main *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .slice(0, 5).map(e => e.tagName + '.' + e.className)"""
    )
    assert too_wide == []
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    # Each answer's themes, consent and decision are on screen, beside or under its words.
    facts = page.locator(".answer-card__facts").first.bounding_box()
    assert facts["x"] >= 0 and facts["x"] + facts["width"] <= width
    if width == 768:
        assert_accessible(page, "the quotes page at 768 px")
    context.close()
