"""A parent records a voice note in a real Chromium (a fake microphone) and sends it with the form."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support import run
from voice.tables import VoiceNote

pytestmark = pytest.mark.browser

FAKE_MEDIA = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]


@pytest.fixture
def recording_browser(chromium):
    from tests.browser.conftest import ARGS, CHROMIUM

    browser = chromium.browser_type.launch(executable_path=CHROMIUM, args=[*ARGS, *FAKE_MEDIA])
    yield browser
    browser.close()


@pytest.fixture
def anew_token(db):
    from surveys.demo import ensure_demo_sessions

    return run(ensure_demo_sessions())["anew"]["token"]


def test_parent_records_a_voice_note(server, recording_browser, anew_token):
    context = recording_browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True)
    context.grant_permissions(["microphone"], origin=server)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{server}/s/{anew_token}")
    page.get_by_role("button", name="Start now").click()
    for answer in ("Yes", "Partly", "Yes", "Not sure"):
        page.get_by_label(answer, exact=True).check()
        page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("What would have made it better"))

    page.get_by_role("button", name="Record a voice note").click()
    expect(page.get_by_role("status")).to_have_text(re.compile("Recording"))
    page.wait_for_timeout(1500)  # let the fake microphone say something
    page.get_by_role("button", name="Stop recording").click()
    expect(page.get_by_role("status")).to_have_text(re.compile("Voice note recorded"))
    assert page.evaluate("document.querySelector('input[type=file]').files.length") == 1

    page.get_by_label("You can use my words in your reports, without my name").check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    notes = run(VoiceNote.select(VoiceNote.media_type, VoiceNote.size, VoiceNote.response, VoiceNote.quote_consent))
    assert len(notes) == 1
    assert notes[0]["media_type"] in ("audio/webm", "audio/ogg", "audio/mp4")
    assert notes[0]["size"] > 100 and notes[0]["response"] is not None and notes[0]["quote_consent"] is True
    assert errors == []
    context.close()
