"""A lead builds "Together to Thrive parent feedback" in a real Chromium with four question types,
translates it into Arabic, previews it at 360 px, publishes it; a parent answers it in Arabic on a
phone; the lead's summary shows the answers. axe finds nothing on any builder page or the preview."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from surveys import accounts
from surveys.tables import Answer, Session
from tests.browser.axe import assert_accessible
from tests.support import run

pytestmark = pytest.mark.browser
PASSWORD = "a long password here"
TITLE = "Together to Thrive parent feedback"


@pytest.fixture
def lead(db):
    run(accounts.add_account("lead@anew.example", PASSWORD, "lead", ["anew"]))


def test_a_lead_builds_translates_previews_and_publishes_and_a_parent_answers_in_arabic(server, chromium, lead):
    desk = chromium.new_context(viewport={"width": 1024, "height": 900}, bypass_csp=True)  # axe is injected
    page = desk.new_page()
    page.goto(f"{server}/lead/login")
    page.get_by_label("Email address").fill("lead@anew.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{server}/lead/anew/questionnaires")
    page.get_by_role("link", name="Make a questionnaire").click()
    assert_accessible(page, "starting a questionnaire")
    page.get_by_role("button", name="Start the draft").click()  # no title: the summary names it
    expect(page.locator(".error-summary")).to_contain_text("Enter a title for the questionnaire")
    assert_accessible(page, "starting a questionnaire, with an error")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("With no questions yet").check()
    page.get_by_label("Parents and carers").check()
    page.get_by_role("button", name="Start the draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert_accessible(page, "the draft, empty")

    def add(kind_label: str, fill) -> None:
        page.get_by_label(kind_label).check()
        page.get_by_role("button", name="Add a question").click()
        fill()
        page.get_by_role("button", name="Save the question").click()
        expect(page.get_by_role("status")).to_contain_text("question saved")

    def welcome():
        page.get_by_label("The question").fill("Did you feel welcome?")
        page.get_by_label("Scale", exact=True).select_option("yes_partly_no")
        page.get_by_label("How partner reports say it (optional)").fill("felt welcome")
        assert_accessible(page, "a choice question's form")

    def did():
        page.get_by_label("The question").fill("What did you do?")
        page.get_by_label("Your own answers").check()
        page.get_by_label("Your answers, one on each line").fill("Painting\nSinging\nStories")

    def children():
        page.get_by_label("The question").fill("How many children came with you?")
        page.get_by_role("button", name="Save the question").click()  # no range yet
        expect(page.locator(".error-summary")).to_contain_text("Enter the smallest number allowed")
        assert_accessible(page, "a number question's form, with errors")
        page.get_by_label("Smallest number allowed").fill("0")
        page.get_by_label("Largest number allowed").fill("10")

    def friend():
        page.get_by_label("The question").fill("What would you tell a friend?")

    add("One answer from a list", welcome)
    add("One or more answers from a list", did)
    add("A whole number", children)
    add("A written answer", friend)
    expect(page.locator(".builder-list__item")).to_have_count(4)
    page.get_by_role("button", name="Move up question 2").click()  # "What did you do?" first
    expect(page.locator(".builder-list__item").first).to_contain_text("What did you do?")
    page.get_by_role("button", name="Move down question 1").click()
    expect(page.locator(".builder-list__item").first).to_contain_text("Did you feel welcome?")
    assert_accessible(page, "the draft with four questions")

    page.get_by_role("link", name="Translate into العربية").click()
    expect(page.locator("#missing")).to_contain_text("8 of 8")
    assert_accessible(page, "translating into Arabic")
    arabic = {
        "Title in العربية": "ملاحظات أولياء الأمور",
        "Question 1: question in العربية": "هل شعرت بالترحيب؟",
        "Question 2: question in العربية": "ماذا فعلت؟",
        "Question 3: question in العربية": "كم عدد الأطفال الذين جاؤوا معك؟",
        "Question 4: question in العربية": "ماذا ستقول لصديق؟",
    }
    for label, text in arabic.items():
        page.get_by_label(label, exact=True).fill(text)
    answers = page.get_by_label("Question 2: answer in العربية", exact=True)
    for box, text in zip(answers.all(), ("الرسم", "الغناء", "القصص")):
        box.fill(text)
    page.get_by_role("button", name="Save the translations").click()
    expect(page.locator("#missing")).to_contain_text("0 of 8")

    phone = chromium.new_context(viewport={"width": 360, "height": 740}, has_touch=True, bypass_csp=True)
    preview = phone.new_page()
    preview.context.add_cookies(desk.cookies())
    draft_url = page.url.split("/translations/")[0]
    preview.goto(f"{draft_url}/preview?lang=ar")
    expect(preview.locator("html")).to_have_attribute("dir", "rtl")
    expect(preview.get_by_role("heading", level=1)).to_contain_text("هل شعرت بالترحيب؟")
    assert preview.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(preview, "the preview in Arabic at 360 px")
    preview.get_by_role("button", name=re.compile("متابعة|Continue")).click()  # nothing chosen
    expect(preview.locator(".error-summary")).to_be_visible()
    assert_accessible(preview, "the preview's error in Arabic")

    page.goto(f"{draft_url}/")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_contain_text("together-to-thrive-parent-feedback version 1")

    page.goto(f"{server}/lead/anew/sessions/new")
    page.get_by_label("Questionnaire").select_option("together-to-thrive-parent-feedback")
    page.get_by_label("Parents and carers").check()
    page.get_by_label("A single occasion").check()
    page.get_by_label("Site (optional)").fill("Whitfield Centre")
    page.get_by_role("button", name="Create session").click()
    token = run(Session.select(Session.token).where(Session.site == "Whitfield Centre").first())["token"]

    parent = phone.new_page()
    parent.goto(f"{server}/s/{token}?lang=ar")
    expect(parent.locator("html")).to_have_attribute("lang", "ar")
    parent.get_by_role("button", name="ابدأ الآن").click()
    parent.get_by_label("نعم", exact=True).check()
    parent.get_by_role("button", name="متابعة", exact=True).click()
    parent.get_by_label("الرسم").check()
    parent.get_by_label("القصص").check()
    parent.get_by_role("button", name="متابعة", exact=True).click()
    parent.get_by_label("كم عدد الأطفال الذين جاؤوا معك؟").fill("2")  # the number question, translated
    parent.get_by_role("button", name="متابعة", exact=True).click()
    parent.get_by_label("ماذا ستقول لصديق؟").fill("مكان دافئ ولطيف")
    parent.get_by_role("button", name="أرسل إجاباتي").click()
    expect(parent.get_by_role("heading", level=1)).to_have_text("شكرًا لك")
    stored = run(Answer.select().where(Answer.response.session.token == token))
    # Short names were left empty, so each was made from its question's words.
    assert {a["question_key"] for a in stored} == {
        "did_you_feel_welcome",
        "what_did_you_do",
        "how_many_children_came",
        "what_would_you_tell",
    }
    assert sorted(a["option_key"] for a in stored if a["question_key"] == "what_did_you_do") == ["painting", "stories"]
    assert [a["text"] for a in stored if a["text"]] == ["مكان دافئ ولطيف"]

    page.goto(f"{server}/lead/anew/summary/?questionnaire=together-to-thrive-parent-feedback")
    expect(page.locator("main")).to_contain_text(TITLE)
    expect(page.locator("main")).to_contain_text("Did you feel welcome?")
    # One response: partners' figures say "fewer than 10"; the lead's response list has the answers.
    expect(page.locator("main")).to_contain_text("Fewer than 10 responses · parents · version 1")
    expect(page.locator("main")).to_contain_text("how many felt welcome is not shown")
    page.goto(f"{server}/lead/anew/responses/?questionnaire=together-to-thrive-parent-feedback")
    page.locator("main a[href*='/responses/']").filter(has_text=re.compile(r"\d")).first.click()
    expect(page.locator("main")).to_contain_text("مكان دافئ ولطيف")
    expect(page.locator("main")).to_contain_text("Painting")
    desk.close()
    phone.close()
