"""Machine drafts of voice notes: made on this server by the shipped English engine, redacted
before a lead sees them, corrected by the lead into the answer, and never pretended for a
language the engine doesn't know.

The clip (clips/README.md) is espeak-ng reading "my son john loved the painting and the staff
listened to us", as WebM Opus the way a phone's browser sends it.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from surveys.tables import Answer
from tests.support import run
from tests.voice.test_deletion_deletes import holding
from tests.voice.test_quotes import anew, anew_id, csrf, sign_in  # noqa: F401 - fixture
from tests.voice.test_voice_notes import send_with_voice_note
from voice import drafts
from voice.tables import VoiceNote

CLIP = (Path(__file__).parent / "clips" / "son-john.webm").read_bytes()
SAID = "my son john loved the painting and the staff listened to us"


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Word-level edit distance over the reference's length."""
    ref, hyp = reference.split(), hypothesis.split()
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        previous, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (r != h))
    return row[-1] / len(ref)


def test_a_browser_recording_is_decoded_to_16_khz_speech():
    pcm = drafts.to_pcm(CLIP)
    seconds = len(pcm) / 2 / drafts.SAMPLE_RATE
    assert 3.0 < seconds < 6.0
    with pytest.raises(drafts.Unreadable):
        drafts.to_pcm(b"\x1a\x45\xdf\xa3" + b"\x00" * 64)  # a WebM header and nothing after


def test_the_shipped_engine_drafts_english_and_says_when_it_cannot():
    draft = drafts.draft_of(CLIP, "en")
    assert draft.state == "done" and draft.engine == "PocketSphinx (English)"
    assert "my son john loved" in draft.text  # the rest is rough: that is why a lead corrects it
    assert word_error_rate(SAID, draft.text) < 0.6

    polish = drafts.draft_of(CLIP, "pl")
    assert polish.state == "none" and polish.text is None
    assert "Polish form" in polish.note and drafts.MODEL_ENV in polish.note

    broken = drafts.draft_of(b"OggS" + b"\x00" * 40, "en")
    assert broken.state == "failed" and "could not be read" in broken.note


def test_an_operators_model_folder_must_be_a_real_one(tmp_path):
    with pytest.raises(RuntimeError, match="model.bin"):
        drafts.WhisperEngine(str(tmp_path))


def _wait_for_draft(note_id: int, seconds: float = 60.0) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        note = run(VoiceNote.select().where(VoiceNote.id == note_id).first())
        if note["draft_state"]:
            return note
        time.sleep(0.2)
    raise AssertionError("no draft was made")


def test_a_note_gets_a_redacted_draft_the_lead_corrects(client, anew):
    assert send_with_voice_note(client, anew["token"], audio_bytes=CLIP).status_code == 303
    [note] = run(VoiceNote.select(VoiceNote.id))
    ciphertext_sample = bytes(run(VoiceNote.select(VoiceNote.audio).first())["audio"])[200:264]
    drafted = _wait_for_draft(note["id"])
    assert drafted["draft_state"] == "done"
    assert drafted["draft"].startswith("my son [name] loved")  # "john" never reaches the lead
    assert "john" not in drafted["draft"]

    sign_in(client, "lead@anew.example", "correct horse")
    page = client.get("/lead/anew/quotes").text
    assert "Machine draft" in page and "PocketSphinx (English)" in page
    assert f'aria-describedby="draft-{note["id"]}">my son [name] loved' in page

    corrected = "my son [name] loved the painting and the staff listened to us"
    saved = client.post(
        f"/lead/anew/voice-notes/{note['id']}/transcribe",
        data={"_csrf_token": csrf(client), "text": corrected},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    answer = run(Answer.select(Answer.text).where(Answer.text.is_not_null()).first())
    assert answer["text"] == corrected
    assert run(VoiceNote.count()) == 0
    assert holding(ciphertext_sample) == []


def test_a_note_from_the_polish_form_says_why_it_has_no_draft(client, anew):
    from surveys.tables import Response

    assert send_with_voice_note(client, anew["token"], audio_bytes=CLIP).status_code == 303
    [note] = run(VoiceNote.select(VoiceNote.id, VoiceNote.response))
    assert _wait_for_draft(note["id"])["draft_state"] == "done"  # the app's worker, in English
    # As if the parent had answered on the Polish form: the worker reads the response's language.
    run(Response.update({Response.language: "pl"}).where(Response.id == note["response"]))
    run(VoiceNote.update({VoiceNote.draft_state: "", VoiceNote.draft: None}).where(VoiceNote.id == note["id"]))
    worker = drafts.DraftWorker(model_folder="")

    async def again():
        try:
            return await worker.draft_next(), await worker.draft_next()
        finally:
            await worker.stop()

    assert run(again()) == (True, False)  # one note drafted, then none waiting
    drafted = run(VoiceNote.select().where(VoiceNote.id == note["id"]).first())
    assert drafted["draft_state"] == "none" and drafted["draft"] is None
    sign_in(client, "lead@anew.example", "correct horse")
    page = client.get("/lead/anew/quotes").text
    assert "came from the Polish form" in page and "Machine draft</strong>" not in page
