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


@pytest.fixture
def speaking_browser(chromium, tmp_path):
    """Chromium whose fake microphone plays the test clip (as WAV, which it needs)."""
    import wave

    from tests.browser.conftest import ARGS, CHROMIUM
    from tests.voice.test_drafts import CLIP
    from voice.drafts import SAMPLE_RATE, to_pcm

    wav = tmp_path / "speech.wav"
    with wave.open(str(wav), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(b"\x00\x00" * (SAMPLE_RATE // 4) + to_pcm(CLIP) + b"\x00\x00" * SAMPLE_RATE)
    browser = chromium.browser_type.launch(
        executable_path=CHROMIUM, args=[*ARGS, *FAKE_MEDIA, f"--use-file-for-fake-audio-capture={wav}"]
    )
    yield browser
    browser.close()


def test_the_lead_corrects_a_machine_draft_and_the_recording_is_gone(server, speaking_browser, anew_token):
    """A parent says a sentence with their son's name; the lead sees a redacted machine draft,
    corrects it and saves; the answer is the corrected text and the recording's bytes are in no
    database file."""
    from surveys import accounts
    from surveys.tables import Answer
    from tests.browser.axe import assert_accessible
    from tests.voice.test_deletion_deletes import holding

    run(accounts.add_account("lead@anew.example", "correct horse battery", "lead", ["anew"]))
    context = speaking_browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True)
    context.grant_permissions(["microphone"], origin=server)
    page = context.new_page()
    page.goto(f"{server}/s/{anew_token}")
    page.get_by_role("button", name="Start now").click()
    for answer in ("Yes", "Partly", "Yes", "Not sure"):
        page.get_by_label(answer, exact=True).check()
        page.get_by_role("button", name="Continue", exact=True).click()
    page.get_by_role("button", name="Record a voice note").click()
    expect(page.get_by_role("status")).to_have_text(re.compile("Recording"))
    page.wait_for_timeout(5000)  # the sentence, once
    page.get_by_role("button", name="Stop recording").click()
    expect(page.get_by_role("status")).to_have_text(re.compile("Voice note recorded"))
    page.get_by_label("You can use my words in your reports, without my name").check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    [note] = run(VoiceNote.select(VoiceNote.id, VoiceNote.audio))
    ciphertext = bytes(note["audio"])[200:264]

    lead = speaking_browser.new_context(viewport={"width": 1024, "height": 900}, bypass_csp=True).new_page()  # axe
    lead.goto(f"{server}/lead/login")
    lead.get_by_label("Email address").fill("lead@anew.example")
    lead.get_by_label("Password").fill("correct horse battery")
    lead.get_by_role("button", name="Sign in").click()
    box = lead.get_by_label("What they said")
    for _ in range(60):  # the draft is made in the background, in a second or two
        lead.goto(f"{server}/lead/anew/quotes")
        if "Machine draft" in lead.content():
            break
        lead.wait_for_timeout(500)
    expect(lead.locator(f"#draft-{note['id']}")).to_contain_text("Machine draft by PocketSphinx (English)")
    draft = box.input_value()
    assert draft.startswith("my son [name]") and "john" not in draft.lower(), draft  # rough, but redacted
    assert_accessible(lead, "a voice note with its machine draft")
    box.fill("My son [name] loved the painting and the staff listened to us.")
    lead.get_by_role("button", name="Save and delete the recording").click()
    expect(lead.get_by_role("status")).to_contain_text("transcribed")
    assert run(VoiceNote.count()) == 0
    texts = [a["text"] for a in run(Answer.select(Answer.text).where(Answer.text.is_not_null()))]
    assert "My son [name] loved the painting and the staff listened to us." in texts
    assert holding(ciphertext) == []
    context.close()
