"""Staff type 20 paper sheets in with the keyboard alone; a sheet can't go in twice."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from surveys import accounts
from surveys.tables import Answer, Response
from tests.browser.axe import assert_accessible
from tests.support import run

pytestmark = pytest.mark.browser

# Four questions answered by their numbers (1 Yes, 2 Partly, 3 No, 4 Not sure).
SHEETS = [[(i % 4) + 1, ((i + 1) % 4) + 1, 1, 2] for i in range(20)]


@pytest.fixture
def anew_token(db):
    from surveys.demo import ensure_demo_sessions

    token = run(ensure_demo_sessions())["anew"]["token"]
    run(accounts.add_account("lead@anew.example", "correct horse", "lead", ["anew"]))
    return token


def test_twenty_sheets_go_in_by_keyboard_and_sheet_7_only_once(server, chromium, anew_token):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{server}/lead/login")
    page.get_by_label("Email address").fill("lead@anew.example")
    page.get_by_label("Password").fill("correct horse")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{server}/lead/anew/sessions/{anew_token}/paper")
    assert_accessible(page, "the paper entry screen")

    keys = 0
    started = time.monotonic()
    for number, answers in enumerate(SHEETS, start=1):
        sheet = page.locator("#sheet")
        expect(sheet).to_be_focused()
        expect(sheet).to_have_value(str(number))  # the next number, ready
        page.keyboard.press("Tab")
        keys += 1
        for answer in answers:
            page.keyboard.press(str(answer))  # picks the answer and moves to the next question
            keys += 1
        if number == 3:
            page.keyboard.type("Ring Sam on 07700 900123")
            keys += 1  # typing the words, counted once
        page.keyboard.press("Shift+Tab")  # back to the last question's answers
        page.keyboard.press("Enter")  # saves the sheet
        keys += 2
        expect(page.get_by_role("status")).to_have_text(f"Sheet {number} saved. The next sheet is ready.")
    per_sheet = (time.monotonic() - started) / len(SHEETS)
    print(f"\npaper entry: {per_sheet:.2f} s per sheet in the browser, {keys / len(SHEETS):.1f} keys per sheet")

    expect(page.locator("#paper-count")).to_contain_text("20 sheets typed in")
    assert run(Response.count().where(Response.way == "paper")) == 20
    listened = run(Answer.select(Answer.option_key).where(Answer.question_key == "listened").order_by(Answer.id))
    assert [row["option_key"] for row in listened][:4] == ["yes", "partly", "no", "not_sure"]
    [written] = run(Answer.select(Answer.text).where(Answer.text.is_not_null()))
    assert "07700" not in written["text"] and "Sam" not in written["text"]  # redacted on save

    # Sheet 7 again: refused, with the error summary, and nothing stored twice.
    page.locator("#sheet").fill("7")
    page.keyboard.press("Enter")
    expect(page.locator(".error-summary")).to_contain_text("Sheet 7 has already been typed in for this session")
    assert re.match(r"^Error: ", page.title())
    assert run(Response.count()) == 20
    assert_accessible(page, "the paper entry screen with an error")

    # The summary says how people answered, and the dashboard counts them as paper.
    page.goto(f"{server}/lead/anew/summary/")
    expect(page.get_by_text("How people answered: 20 on paper, typed in by staff.")).to_be_visible()
    page.goto(f"{server}/lead/anew/")
    expect(page.locator('[data-way="paper"]')).to_have_text("20")
    context.close()
