"""Voice notes: short recorded answers, encrypted at rest, heard only by the initiative's leads.

A note is checked (an audio type we accept, at most 2 MB, and bytes that really start like that
type), then encrypted with Fernet under a key derived from the initiative's own secret key
(``surveys.keys.initiative_key``, held outside the database) by HKDF with an info string of its
own, so the audio key is never the key used for anything else. The database holds only the
Fernet token. A lead listens in the lead pages, types what was said, and the note is deleted:
the transcription becomes a free-text answer, redacted like any other. Notes nobody transcribed
are deleted after 30 days (``heard purge-audio``). A deleted note's bytes leave the database's
files as well as its table (``forget_audio``).
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from dataclasses import dataclass
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from surveys import audit, db
from surveys import text as texts
from surveys.errors import NotFound
from surveys.keys import initiative_key
from surveys.tables import Answer, Initiative, Response
from voice.stoplist import text_filter_for
from voice.tables import Transcription, VoiceNote

MAX_BYTES = 2 * 1024 * 1024
MAX_SECONDS = 60
KEEP_DAYS = 30
HKDF_INFO = b"heard voice-note audio v1"
MAX_TRANSCRIPTION = 2000

# The types a browser records (webm/ogg on Chrome and Firefox, mp4 on Safari) or a phone saves (mpeg).
ACCEPTED_TYPES = ("audio/webm", "audio/ogg", "audio/mp4", "audio/mpeg")


class VoiceNoteRefused(ValueError):
    """The upload is not a voice note we accept; the message says why, for the person."""


@dataclass(frozen=True)
class PendingNote:
    id: int
    media_type: str
    size: int


def _sniffed_type(audio: bytes) -> str | None:
    """What the first bytes say the file is, whatever name or type it was sent with."""
    if audio[:4] == b"\x1a\x45\xdf\xa3":
        return "audio/webm"  # Matroska/WebM EBML header
    if audio[:4] == b"OggS":
        return "audio/ogg"
    if audio[4:8] == b"ftyp":
        return "audio/mp4"
    if audio[:3] == b"ID3" or (len(audio) > 1 and audio[0] == 0xFF and audio[1] & 0xE0 == 0xE0):
        return "audio/mpeg"
    return None


def check_audio(audio: bytes, declared_type: str) -> str:
    """The accepted media type of an upload, or :class:`VoiceNoteRefused` saying what is wrong."""
    base = (declared_type or "").split(";")[0].strip().lower()
    if base == "video/webm":
        base = "audio/webm"  # some browsers label audio-only WebM recordings as video
    if base in ("audio/x-m4a", "audio/m4a", "audio/aac"):
        base = "audio/mp4"
    if base == "audio/mp3":
        base = "audio/mpeg"
    if not audio:
        raise VoiceNoteRefused("The voice note is empty. Record it again or choose another file")
    if len(audio) > MAX_BYTES:
        raise VoiceNoteRefused("The voice note must be smaller than 2 MB (about a minute)")
    sniffed = _sniffed_type(audio)
    if base not in ACCEPTED_TYPES or sniffed != base:
        raise VoiceNoteRefused("The voice note must be a recording in WebM, Ogg, MP4 or MP3 format")
    return base


@lru_cache(maxsize=32)
def _fernet(slug: str, key: bytes) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO).derive(key)
    return Fernet(base64.urlsafe_b64encode(derived))


def fernet_for(slug: str) -> Fernet:
    """The initiative's audio cipher (its key file is read each time, so a rotated key applies)."""
    return _fernet(slug, initiative_key(slug))


async def _slug(initiative_id: int) -> str:
    row = await Initiative.select(Initiative.slug).where(Initiative.id == initiative_id).first()
    if row is None:
        raise NotFound("No such initiative")
    return row["slug"]


async def store_pending(initiative_id: int, submission_id: uuid.UUID, question_key: str, audio: bytes,
                        declared_type: str) -> PendingNote:
    """Check and store a note recorded while someone is still answering (replacing an earlier one)."""
    media_type = check_audio(audio, declared_type)
    token = fernet_for(await _slug(initiative_id)).encrypt(audio)
    async with VoiceNote._meta.db.transaction():
        await VoiceNote.delete().where((VoiceNote.submission_id == submission_id)
                                       & (VoiceNote.question_key == question_key)
                                       & VoiceNote.response.is_null())
        inserted = await VoiceNote.insert(VoiceNote(
            initiative=initiative_id, submission_id=submission_id, question_key=question_key,
            media_type=media_type, size=len(audio), audio=token,
        ))
    return PendingNote(inserted[0]["id"], media_type, len(audio))


async def pending_notes(submission_id: uuid.UUID) -> dict[str, PendingNote]:
    """The notes recorded so far in one person's answers, by question."""
    rows = await VoiceNote.select(VoiceNote.id, VoiceNote.question_key, VoiceNote.media_type, VoiceNote.size).where(
        (VoiceNote.submission_id == submission_id) & VoiceNote.response.is_null())
    return {r["question_key"]: PendingNote(r["id"], r["media_type"], r["size"]) for r in rows}


async def discard_pending(submission_id: uuid.UUID, question_key: str) -> None:
    await VoiceNote.delete().where((VoiceNote.submission_id == submission_id)
                                   & (VoiceNote.question_key == question_key) & VoiceNote.response.is_null())
    await forget_audio()


async def attach_to_response(submission_id: uuid.UUID, response_id: int, consents: dict[str, bool]) -> int:
    """Link the notes recorded during a submission to the stored response; return how many."""
    rows = await VoiceNote.select(VoiceNote.id, VoiceNote.question_key).where(
        (VoiceNote.submission_id == submission_id) & VoiceNote.response.is_null())
    response = await Response.select(Response.initiative).where(Response.id == response_id).first()
    for r in rows:
        assert response is not None  # the response the notes are attached to exists
        await VoiceNote.update({VoiceNote.response: response_id,
                                VoiceNote.quote_consent: bool(consents.get(r["question_key"]))}).where(
            (VoiceNote.id == r["id"]) & (VoiceNote.initiative == response["initiative"]))
    return len(rows)


async def notes_to_transcribe(initiative_id: int) -> list[dict]:
    return await VoiceNote.select(
        VoiceNote.id, VoiceNote.question_key, VoiceNote.media_type, VoiceNote.size, VoiceNote.quote_consent,
        VoiceNote.created_at, VoiceNote.draft, VoiceNote.draft_state, VoiceNote.draft_engine, VoiceNote.draft_note,
    ).where((VoiceNote.initiative == initiative_id) & VoiceNote.response.is_not_null()).order_by(VoiceNote.id)


async def play(initiative_id: int, note_id: int) -> tuple[bytes, str]:
    """The decrypted audio and its type, only for a note of this initiative (else NotFound)."""
    row = await VoiceNote.select(VoiceNote.audio, VoiceNote.media_type).where(
        (VoiceNote.id == note_id) & (VoiceNote.initiative == initiative_id)).first()
    if row is None:
        raise NotFound("No such voice note")
    try:
        audio = fernet_for(await _slug(initiative_id)).decrypt(bytes(row["audio"]))
    except InvalidToken:
        raise NotFound("This voice note can no longer be decrypted") from None
    return audio, row["media_type"]


async def transcribe(initiative_id: int, note_id: int, text: str, *, actor: str) -> int:
    """Store a lead's transcription as a redacted free-text answer and delete the audio; return the answer id."""
    note = await VoiceNote.select().where(
        (VoiceNote.id == note_id) & (VoiceNote.initiative == initiative_id) & VoiceNote.response.is_not_null()).first()
    if note is None:
        raise NotFound("No such voice note")
    cleaned = texts.answer(text)[:MAX_TRANSCRIPTION]  # the person's words: cleaned, never refused
    if not cleaned:
        raise VoiceNoteRefused("Type what the person said")
    redacted = (await text_filter_for(initiative_id))(cleaned)
    async with VoiceNote._meta.db.transaction():
        inserted = await Answer.insert(Answer(response=note["response"], question_key=note["question_key"],
                                              text=redacted, quote_consent=note["quote_consent"]))
        answer_id = inserted[0]["id"]
        await Transcription.insert(Transcription(answer=answer_id, transcribed_by=actor))
        await VoiceNote.delete().where(VoiceNote.id == note_id)
    await forget_audio()
    await audit.record("voice note transcribed", actor=actor, initiative_id=initiative_id,
                       detail=f"voice note {note_id} became answer {answer_id}; the audio was deleted")
    return answer_id


async def forget_audio() -> None:
    """Deleted recordings leave the database's files, not just its tables (SQLite's WAL is
    folded in and emptied; PostgreSQL rewrites this small table): see ``surveys.db.forget_deleted``."""
    await db.forget_deleted(rewrite=(VoiceNote._meta.tablename,))


async def delete_note(initiative_id: int, note_id: int, *, actor: str) -> None:
    await VoiceNote.delete().where((VoiceNote.id == note_id) & (VoiceNote.initiative == initiative_id))
    await forget_audio()
    await audit.record("voice note deleted", actor=actor, initiative_id=initiative_id, detail=f"voice note {note_id}")


async def purge_audio(*, days: int = KEEP_DAYS, now: dt.datetime | None = None) -> int:
    """Delete every voice note older than ``days``; return how many were deleted."""
    cutoff = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=days)
    old = await VoiceNote.select(VoiceNote.id, VoiceNote.initiative).where(VoiceNote.created_at < cutoff)
    if not old:
        return 0
    await VoiceNote.delete().where(VoiceNote.id.is_in([r["id"] for r in old]))
    await forget_audio()
    per_initiative: dict[int, int] = {}
    for r in old:
        per_initiative[r["initiative"]] = per_initiative.get(r["initiative"], 0) + 1
    for initiative_id, n in per_initiative.items():
        await audit.record("voice notes purged", actor="system", initiative_id=initiative_id,
                           detail=f"{n} voice note(s) older than {days} days deleted")
    return len(old)
