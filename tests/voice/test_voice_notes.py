"""Voice notes: stored encrypted, heard only by their own initiative's lead, gone once typed out.

Runs on both engines, through the plain no-JavaScript form (a file upload).
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from surveys.audit import events
from surveys.tables import Answer
from tests.support import form_data as _form
from tests.support import hidden_fields, run
from tests.voice.test_quotes import ANEW_CHOICES, anew, anew_id, csrf, sign_in  # noqa: F401 - fixture
from voice import audio
from voice.tables import Transcription, VoiceNote

MARKER = b"PLAIN-AUDIO-FRAME-"
# Starts like a WebM file (EBML header), then a payload we can look for in the database.
WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 28 + MARKER * 200


def walk_to_better(client, token):
    page = client.get(f"/s/{token}")
    page = client.post(f"/s/{token}", data=_form(hidden_fields(page.text), nav="next"))
    for key, value in ANEW_CHOICES:
        page = client.post(f"/s/{token}", data=_form(hidden_fields(page.text), nav="next", **{key: value}))
    assert "What would have made it better?" in page.text
    return page


def send_with_voice_note(client, token, *, audio_bytes=WEBM, media_type="audio/webm", consent=True, text=""):
    page = walk_to_better(client, token)
    assert 'enctype="multipart/form-data"' in page.text
    assert 'name="better.voice" type="file"' in page.text
    assert '<script src="/static/voice-note.js" defer></script>' in page.text
    # Still a light page for a cheap phone, script included.
    assert len(page.content) < 14 * 1024
    assert len(client.get("/static/voice-note.js").content) < 4 * 1024
    fields = {"better": text}
    if consent:
        fields["better.consent"] = "yes"
    return client.post(f"/s/{token}", data=_form(hidden_fields(page.text), nav="next", **fields),
                       files={"better.voice": ("note.webm", audio_bytes, media_type)}, follow_redirects=False)


def test_voice_note_is_encrypted_heard_by_own_lead_only_and_gone_after_transcription(client, anew):
    sent = send_with_voice_note(client, anew["token"])
    assert sent.status_code == 303, sent.text
    notes = run(VoiceNote.select())
    assert len(notes) == 1
    note = notes[0]
    stored = bytes(note["audio"])
    assert MARKER not in stored and WEBM[:4] not in stored and len(stored) > len(WEBM)
    assert note["response"] is not None and note["quote_consent"] is True
    assert note["media_type"] == "audio/webm" and note["size"] == len(WEBM)

    # Another initiative's lead gets a 404, as if it did not exist.
    sign_in(client, "lead@cmhwf.example", "battery staple")
    assert client.get(f"/lead/anew/voice-notes/{note['id']}").status_code == 404
    assert client.get(f"/lead/cmhwf/voice-notes/{note['id']}").status_code == 404
    client.cookies.clear()
    assert client.get(f"/lead/anew/voice-notes/{note['id']}", follow_redirects=False).status_code == 303

    sign_in(client, "lead@anew.example", "correct horse")
    heard = client.get(f"/lead/anew/voice-notes/{note['id']}")
    assert heard.status_code == 200
    assert heard.content == WEBM
    assert heard.headers["content-type"].startswith("audio/webm")
    assert heard.headers["cache-control"] == "no-store"
    queue = client.get("/lead/anew/quotes")
    assert f'src="/lead/anew/voice-notes/{note["id"]}"' in queue.text

    typed = client.post(f"/lead/anew/voice-notes/{note['id']}/transcribe",
                        data={"_csrf_token": csrf(client), "text": "Aye, my worker Callum listened to me."},
                        follow_redirects=False)
    assert typed.status_code == 303
    assert run(VoiceNote.count()) == 0
    assert client.get(f"/lead/anew/voice-notes/{note['id']}").status_code == 404
    answer = run(Answer.select().where(Answer.text.is_not_null()).first())
    assert answer["text"] == "Aye, my worker [name] listened to me."
    assert answer["quote_consent"] is True and answer["response"] == note["response"]
    assert run(Transcription.count().where(Transcription.answer == answer["id"])) == 1
    page = client.get("/lead/anew/quotes")
    assert "transcribed from a voice note" in page.text
    assert "Being listened to" in page.text  # themed like any other answer
    assert "voice note transcribed" in [e["action"] for e in run(events())]


def test_wrong_type_or_too_big_is_refused_on_the_page(client, anew):
    refused = send_with_voice_note(client, anew["token"], audio_bytes=b"hello, not audio", media_type="text/plain")
    assert refused.status_code == 422
    assert "WebM, Ogg, MP4 or MP3" in refused.text
    disguised = send_with_voice_note(client, anew["token"], audio_bytes=b"MZ\x90\x00" * 10, media_type="audio/webm")
    assert disguised.status_code == 422
    big = send_with_voice_note(client, anew["token"], audio_bytes=WEBM[:4] + b"\x00" * (2 * 1024 * 1024))
    assert big.status_code == 422
    assert "smaller than 2 MB" in big.text
    assert run(VoiceNote.count()) == 0


def test_voice_note_can_be_removed_before_sending(client, anew):
    page = walk_to_better(client, anew["token"])
    state = hidden_fields(page.text)
    attached = client.post(f"/s/{anew['token']}", data=_form(state, nav="back"),
                           files={"better.voice": ("note.ogg", b"OggS" + MARKER, "audio/ogg")})
    assert run(VoiceNote.count()) == 1
    forward = client.post(f"/s/{anew['token']}", data=_form(hidden_fields(attached.text), nav="next",
                                                            child_views="yes"))
    assert "Your voice note is attached." in forward.text
    removed = client.post(f"/s/{anew['token']}", data=_form(hidden_fields(forward.text), **{"better.voice_remove": "yes"}),
                          files={"better.voice": ("", b"", "application/octet-stream")})
    assert removed.status_code == 200
    assert "Your voice note is attached." not in removed.text
    assert run(VoiceNote.count()) == 0


def test_big_plain_form_is_still_refused(client, anew):
    page = walk_to_better(client, anew["token"])
    too_big = client.post(f"/s/{anew['token']}", data=_form(hidden_fields(page.text), better="x" * 70_000))
    assert too_big.status_code == 413


def test_old_voice_notes_are_purged(client, anew):
    assert send_with_voice_note(client, anew["token"]).status_code == 303
    assert run(audio.purge_audio(days=30)) == 0
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=31)
    assert run(audio.purge_audio(days=30, now=later)) == 1
    assert run(VoiceNote.count()) == 0
    assert "voice notes purged" in [e["action"] for e in run(events(initiative_ids=[anew_id()]))]


def test_keys_differ_per_initiative():
    assert audio.fernet_for("anew").encrypt(b"x") != b""
    token = audio.fernet_for("anew").encrypt(WEBM)
    with pytest.raises(Exception):
        audio.fernet_for("cmhwf").decrypt(token)


def test_pending_notes_belong_to_one_submission(db):
    from surveys.initiatives import by_slug

    initiative = run(by_slug("anew"))
    mine, theirs = uuid.uuid4(), uuid.uuid4()
    run(audio.store_pending(initiative["id"], mine, "better", b"OggS" + MARKER, "audio/ogg"))
    assert set(run(audio.pending_notes(mine))) == {"better"}
    assert run(audio.pending_notes(theirs)) == {}


def test_purge_audio_command(db):
    import concurrent.futures

    from frontend.cli import main as heard
    from surveys.initiatives import by_slug

    def main(argv):  # in a thread of its own: `heard` runs its own event loop
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            return pool.submit(heard, argv).result()

    run(audio.store_pending(run(by_slug("anew"))["id"], uuid.uuid4(), "better", b"OggS" + MARKER, "audio/ogg"))
    assert main(["purge-audio"]) == 0
    assert run(VoiceNote.count()) == 1
    assert main(["purge-audio", "--days", "0"]) == 0
    assert run(VoiceNote.count()) == 0
