"""Deleting a recording or a response removes its bytes from the database's files, not only from
its tables: every file in SQLite's data folder (the database, its WAL, any journal), and on
PostgreSQL the files of the voice-note table and its TOAST table, read through the server
(``pg_read_binary_file``) since the test may not see the server's disk.

Each check first finds the bytes while the row exists, so a scan that could never find anything
would fail here rather than pass.
"""

from __future__ import annotations

from pathlib import Path

from surveys.erasure import erase_response
from surveys.tables import Initiative, Response
from tests.support import run
from tests.voice.test_quotes import anew, anew_id, csrf, sign_in  # noqa: F401 - fixture
from tests.voice.test_voice_notes import MARKER, send_with_voice_note
from voice import audio
from voice.tables import VoiceNote

PLAIN = MARKER * 4  # a stretch of the recording as the phone sent it


def _engine():
    return Initiative._meta.db


def _sqlite_files() -> list[Path]:
    folder = Path(_engine().path).parent
    return [p for p in folder.iterdir() if p.is_file()]


async def _postgres_relation_files() -> list[bytes]:
    rows = await Initiative.raw(
        "SELECT pg_relation_filepath(c.oid) AS main, pg_relation_filepath(c.reltoastrelid) AS toast "
        "FROM pg_class c WHERE c.relname = 'voice_note'"
    )
    contents = []
    for path in (rows[0]["main"], rows[0]["toast"]):
        if path:
            [row] = await Initiative.raw("SELECT pg_read_binary_file({}) AS data", path)
            contents.append(bytes(row["data"]))
    return contents


def holding(needle: bytes) -> list[str]:
    """Which of the database's files hold ``needle`` (names, or PostgreSQL relation numbers)."""
    if _engine().engine_type == "sqlite":
        return [p.name for p in _sqlite_files() if needle in p.read_bytes()]
    run(Initiative.raw("CHECKPOINT"))  # PostgreSQL writes its pages to the files at checkpoints
    return [f"relation {i}" for i, data in enumerate(run(_postgres_relation_files())) if needle in data]


def _note_with_its_ciphertext(client, token) -> tuple[dict, bytes]:
    assert send_with_voice_note(client, token).status_code == 303
    [note] = run(VoiceNote.select())
    stored = bytes(note["audio"])
    return note, stored[len(stored) // 2 : len(stored) // 2 + 64]


def test_a_deleted_voice_note_leaves_no_bytes_in_any_database_file(client, anew):
    note, ciphertext = _note_with_its_ciphertext(client, anew["token"])
    assert holding(ciphertext), "the scan must find the recording while it exists"
    assert not holding(PLAIN)  # only ever stored encrypted

    sign_in(client, "lead@anew.example", "correct horse")
    deleted = client.post(
        f"/lead/anew/voice-notes/{note['id']}/delete",
        data={"_csrf_token": csrf(client), "confirm": "yes"},
        follow_redirects=False,
    )
    assert deleted.status_code == 303
    assert run(VoiceNote.count()) == 0
    assert holding(ciphertext) == []
    assert holding(PLAIN) == []


def test_a_transcribed_note_is_gone_from_the_files_too(client, anew):
    note, ciphertext = _note_with_its_ciphertext(client, anew["token"])
    assert holding(ciphertext)
    run(audio.transcribe(anew_id(), note["id"], "It was good", actor="lead@anew.example"))
    assert holding(ciphertext) == []


def test_a_deleted_response_takes_its_recording_out_of_the_files(client, anew):
    note, ciphertext = _note_with_its_ciphertext(client, anew["token"])
    assert holding(ciphertext)
    assert run(erase_response(anew_id(), note["response"], actor="lead@anew.example"))
    assert run(Response.count().where(Response.id == note["response"])) == 0
    assert holding(ciphertext) == []


def test_each_engine_is_set_to_forget(client, anew):
    """SQLite: every connection zeroes what it deletes, and a checkpoint empties the WAL the
    running app writes into. PostgreSQL: the voice-note table is rewritten into new files (a
    plain VACUUM would leave a deleted note's bytes in pages that still hold other notes)."""
    assert send_with_voice_note(client, anew["token"]).status_code == 303  # the app writes
    if _engine().engine_type == "sqlite":
        [[secure]] = [list(r.values()) for r in run(Initiative.raw("PRAGMA secure_delete"))]
        assert secure == 1
        wal = Path(_engine().path + "-wal")
        assert wal.stat().st_size > 0  # the app's connections keep it open and full
        run(audio.forget_audio())
        assert wal.stat().st_size == 0
    else:
        query = "SELECT relfilenode FROM pg_class WHERE relname = 'voice_note'"
        before = run(Initiative.raw(query))[0]["relfilenode"]
        run(audio.forget_audio())
        assert run(Initiative.raw(query))[0]["relfilenode"] != before
