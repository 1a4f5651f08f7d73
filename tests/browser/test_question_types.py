"""Every question type, in a real Chromium, on a 360 px phone (JavaScript off) and a 1024 px tablet.

Each page is screenshotted into the test's tmp folder, checked for what GOV.UK and WCAG ask
(nothing preselected, "(optional)" where optional, targets of at least 24 px, nothing wider
than the screen), answered, and the stored rows are checked with their numeric codes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from surveys.initiatives import by_slug
from surveys.questionnaires import load_file
from surveys.sessions import create_session
from surveys.tables import Answer, Response
from surveys.versions import save_version
from tests.support import run

pytestmark = pytest.mark.browser

EVERY_TYPE = Path(__file__).parent.parent / "questionnaires" / "every-type.toml"

# (answer key, heading, words to choose (or text to type), stored rows as {option: code})
JOURNEY = [
    ("pet", "Which picture do you like best?", ["Dog"], {"dog": None}),
    ("travel", "How did you get here today?", ["Bus"], {"bus": None}),
    ("activities", "Which activities did you try? (optional)", ["Painting", "Collage"],
     {"painting": None, "collage": None}),
    ("agree_four", "The room was comfortable.", ["Agree"], {"agree": 3}),
    ("agree_five", "The staff were friendly.", ["Strongly agree"], {"strongly_agree": 5}),
    ("how_often", "How often do you make art at home?", ["Sometimes"], {"sometimes": 3}),
    ("quality", "How good was the session?", ["Very good"], {"very_good": 4}),
    ("listened", "Did you feel listened to?", ["Partly"], {"partly": 2}),
    ("again", "Would you come again?", ["Yes"], {"yes": 2}),
    ("feeling3", "How are you feeling today?", ["I don't want to say"], {"rather_not_say": None}),
    ("feeling5", "How was today?", ["Really good"], {"really_good": 4}),
    ("confidence.before", "Before the sessions, how confident did you feel making art at home?",
     ["A little confident"], {"a_little": 2}),
    ("confidence.now", "Now, how confident do you feel making art at home?", ["Very confident"], {"very": 4}),
    ("best", "What was the best bit? (optional)", "The clay, and my words are fine to use", None),
]

# What else each page must offer.
OFFERED = {
    "pet": ["Cat", "Dog", "Fish"],
    "travel": ["Walked", "Bus", "Car", "Not sure"],
    "activities": ["Painting", "Clay", "Collage", "Not sure"],
    "agree_four": ["Strongly agree", "Agree", "Disagree", "Strongly disagree", "Not sure"],
    "agree_five": ["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree"],
    "how_often": ["Always", "Often", "Sometimes", "Rarely", "Never"],
    "quality": ["Excellent", "Very good", "Good", "Fair", "Poor"],
    "listened": ["Yes", "Partly", "No", "Not sure"],
    "again": ["Yes", "No"],
    "feeling3": ["Sad", "OK", "Happy", "I don't want to say"],
    "feeling5": ["Awful", "Not very good", "OK", "Really good", "Brilliant"],
}
PICTURES = {"pet": 3, "feeling3": 3, "feeling5": 5}

DEVICES = {
    "phone": None,  # the shared `phone` fixture: 360×740, touch, JavaScript off
    "tablet": {"viewport": {"width": 1024, "height": 768}, "has_touch": True, "java_script_enabled": True},
    # The kiosk's plain-HTML flow (its JavaScript turn is covered by tests/browser/test_kiosk.py).
    "kiosk": {"viewport": {"width": 1024, "height": 768}, "has_touch": True, "java_script_enabled": False},
}


@pytest.fixture
def every_type(db):
    art = run(by_slug("art-at-the-start"))
    version = run(save_version(art["id"], load_file(EVERY_TYPE)))
    return {
        audience: run(create_session(art["id"], version["id"], audience=audience, phase="after", site="Test"))
        for audience in ("parent", "child")
    }


@pytest.fixture
def tablet(chromium):
    context = chromium.new_context(**DEVICES["tablet"])
    yield context
    context.close()


@pytest.fixture
def kiosk_tablet(chromium):
    context = chromium.new_context(**DEVICES["kiosk"])
    yield context
    context.close()


def choice_label(page, word):
    return page.locator("label.choices__label").filter(has_text=re.compile(rf"^\s*{re.escape(word)}\s*$"))


def check_layout(page, width: int) -> None:
    """Nothing sticks out sideways, and every answer is a big enough target (WCAG 2.5.8)."""
    for label in page.locator("label.choices__label, label.checkboxes__label").all():
        box = label.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, label.inner_text()
        assert box["height"] >= 24, label.inner_text()
    for button in page.locator("main .button").all():
        box = button.bounding_box()
        assert box["x"] + box["width"] <= width + 1


@pytest.mark.parametrize("device,prefix", [("phone", "/s"), ("tablet", "/s"), ("tablet", "/k")])
def test_every_question_type_renders_submits_and_is_stored_with_its_coding(
        server, phone, tablet, kiosk_tablet, every_type, tmp_path, device, prefix):
    kiosk = prefix == "/k"
    context = phone if device == "phone" else (kiosk_tablet if kiosk else tablet)
    width = 360 if device == "phone" else 1024
    session = every_type["child" if kiosk else "parent"]
    journey = [step for step in JOURNEY if not (kiosk and step[0] == "best")]  # children don't type
    page = context.new_page()
    page.goto(f"{server}{prefix}/{session['token']}")
    if kiosk:
        # The adult starts the tablet; each child begins with the practice question (not stored).
        page.get_by_role("link", name="Start for the children").click()
        page.locator("label.choices__label").first.click()
        page.get_by_role("button", name="Next", exact=True).click()
    else:
        page.get_by_role("button", name="Start now", exact=True).click()
    forward = "Next" if kiosk else "Continue"

    for number, (key, heading, answer, _) in enumerate(journey, start=1):
        # The child's tablet reads the question aloud as it stands, without "(optional)".
        expect(page.get_by_role("heading", level=1)).to_have_text(heading.removesuffix(" (optional)") if kiosk
                                                                  else heading)
        assert page.get_by_text(f"Question {number} of {len(journey)}").is_visible()
        assert page.locator("input:checked").count() == 0, f"{key} has a preselected answer"
        for word in OFFERED.get(key, []):
            expect(choice_label(page, word)).to_have_count(1)
        if key == "again":
            expect(choice_label(page, "Not sure")).to_have_count(0)
        if key in PICTURES:
            pictures = page.locator("img.choices__picture")
            expect(pictures).to_have_count(PICTURES[key])
            for picture in pictures.all():
                assert picture.bounding_box()["width"] >= 48
                assert picture.get_attribute("alt") == ""  # the word under it names the answer
        check_layout(page, width)
        page.screenshot(path=tmp_path / f"{device}{prefix.replace('/', '-')}-{number:02d}-{key}.png", full_page=True)

        if key == "travel":
            # A required question left unanswered: the error summary, then the answer.
            page.get_by_role("button", name=forward, exact=True).click()
            expect(page).to_have_title(re.compile(r"^Error: How did you get here today\?"))
            expect(page.locator(".error-summary")).to_contain_text("Choose an answer")
        if key == "activities":
            # "Not sure" can't be chosen with other answers.
            choice_label(page, "Not sure").click()
            choice_label(page, "Clay").click()
            page.get_by_role("button", name=forward, exact=True).click()
            expect(page.locator(".error-summary")).to_contain_text("Choose “Not sure” on its own")
            choice_label(page, "Not sure").click()
            choice_label(page, "Clay").click()

        if isinstance(answer, str):
            box = page.get_by_label(heading)
            box.fill(answer)
            consent = page.get_by_label("You can use my words in your reports, without my name")
            assert not consent.is_checked()
            consent.check()
        else:
            for word in answer:
                choice_label(page, word).click()
                expect(page.get_by_label(word, exact=True)).to_be_checked()
        last = number == len(journey)
        finish = "Finish" if kiosk else "Send my answers"
        page.get_by_role("button", name=finish if last else forward, exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("All done!" if kiosk else "Thank you")
    page.screenshot(path=tmp_path / f"{device}{prefix.replace('/', '-')}-done.png", full_page=True)

    (response,) = run(Response.select().where(Response.session == session["id"]))
    rows = run(Answer.select().where(Answer.response == response["id"]))
    stored: dict[str, dict] = {}
    for row in rows:
        stored.setdefault(row["question_key"], {})[row["option_key"]] = row["value"]
    expected = {key: codes for key, _, _, codes in journey if codes is not None}
    if not kiosk:
        (text,) = [r for r in rows if r["question_key"] == "best"]
        assert text["text"] == "The clay, and my words are fine to use" and text["quote_consent"] is True
        expected["best"] = {None: None}
    assert stored == expected
    assert len(list(tmp_path.glob("*.png"))) == len(journey) + 1
