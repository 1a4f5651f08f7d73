"""Machine drafts of voice notes: a first try at what was said, for a lead to correct.

When a recorded answer arrives, a worker on this server (never a third party) decodes it, runs a
speech engine over it and stores the result, redacted like any typed answer, beside the note.
The lead listens, corrects the draft and saves; the corrected text becomes the answer and the
recording is deleted, exactly as when they typed from nothing (``voice.audio.transcribe``).

Engines sit behind one small interface (:class:`SpeechEngine`):

- **PocketSphinx**, the default: its Python package ships an English acoustic model, language
  model and dictionary inside the wheel, so it works on a fresh machine with nothing to
  download. It knows English only, and its drafts are rough.
- **faster-whisper** (CTranslate2), when an operator sets ``HEARD_ASR_MODEL`` to a model folder
  they provide (never a download at run time): English, Polish, Ukrainian, Urdu and Arabic.

A note recorded on a form in a language the engine doesn't know gets no draft, and the lead is
told why; Heard never passes English guesses off as Polish. Recordings are decoded with PyAV
(FFmpeg's decoders, in its wheel): browsers record WebM or Ogg Opus, Safari MP4, phones MP3.

Decoding and recognition are CPU work, so they run in one separate process (a spawned pool of
one), never on the event loop, and one note at a time: a busy morning of notes queues rather
than slowing the pages.
"""

from __future__ import annotations

import asyncio
import io
import logging
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Protocol

from cryptography.fernet import InvalidToken

from voice.stoplist import text_filter_for
from voice.tables import VoiceNote

log = logging.getLogger("heard.drafts")

MODEL_ENV = "HEARD_ASR_MODEL"
SAMPLE_RATE = 16_000
WHISPER_LANGUAGES = frozenset({"en", "pl", "uk", "ur", "ar"})
LANGUAGE_NAMES = {"en": "English", "pl": "Polish", "uk": "Ukrainian", "ur": "Urdu", "ar": "Arabic"}


class SpeechEngine(Protocol):
    name: str  # as the lead sees it: "PocketSphinx (English)"
    languages: frozenset[str]

    def transcribe(self, pcm: bytes, language: str) -> str:
        """Words heard in ``pcm`` (16 kHz mono signed 16-bit), spoken in ``language``."""
        ...


class PocketSphinxEngine:
    name = "PocketSphinx (English)"
    languages = frozenset({"en"})

    def __init__(self) -> None:
        from pocketsphinx import Decoder  # the model is inside the package

        self._decoder = Decoder(samprate=SAMPLE_RATE, loglevel="FATAL")

    def transcribe(self, pcm: bytes, language: str) -> str:
        decoder = self._decoder
        decoder.start_utt()
        decoder.process_raw(pcm, full_utt=True)
        decoder.end_utt()
        hypothesis = decoder.hyp()
        return hypothesis.hypstr.strip() if hypothesis else ""


class WhisperEngine:
    languages = WHISPER_LANGUAGES

    def __init__(self, folder: str) -> None:
        if not Path(folder, "model.bin").is_file():
            raise RuntimeError(f"{MODEL_ENV}={folder} is not a CTranslate2 Whisper model folder (no model.bin)")
        try:
            from faster_whisper import WhisperModel
        except ImportError:
            raise RuntimeError(
                f"{MODEL_ENV} is set, but faster-whisper is not installed: pip install 'heard[whisper]'"
            ) from None
        self.name = f"Whisper ({Path(folder).name})"
        self._model = WhisperModel(folder, device="cpu", compute_type="int8", local_files_only=True)

    def transcribe(self, pcm: bytes, language: str) -> str:
        import numpy

        samples = numpy.frombuffer(pcm, dtype=numpy.int16).astype(numpy.float32) / 32768.0
        segments, _ = self._model.transcribe(samples, language=language, beam_size=1)
        return " ".join(segment.text.strip() for segment in segments).strip()


def engine_for(model_folder: str = "") -> SpeechEngine:
    """Whisper when a model folder is given, else PocketSphinx."""
    return WhisperEngine(model_folder) if model_folder else PocketSphinxEngine()


class Unreadable(ValueError):
    """The recording could not be decoded as audio."""


def to_pcm(audio: bytes) -> bytes:
    """The recording as 16 kHz mono signed 16-bit samples (what both engines take)."""
    import av

    try:
        with av.open(io.BytesIO(audio), mode="r") as container:  # "r" (the default) said, so it types as input
            resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
            chunks = []
            for frame in container.decode(audio=0):
                chunks += [bytes(f.planes[0])[: f.samples * 2] for f in resampler.resample(frame)]
            chunks += [bytes(f.planes[0])[: f.samples * 2] for f in resampler.resample(None)]
    except (av.FFmpegError, IndexError, ValueError) as error:
        raise Unreadable(str(error)) from None
    pcm = b"".join(chunks)
    if not pcm:
        raise Unreadable("no sound in the recording")
    return pcm


@dataclass(frozen=True)
class Draft:
    state: str  # "done", "none" (no engine for the language) or "failed" (unreadable audio)
    text: str | None
    engine: str
    note: str = ""


_engines: dict[str, SpeechEngine] = {}


def draft_of(audio: bytes, language: str, model_folder: str = "") -> Draft:
    """A draft of one recording (runs in the worker process; the engine is loaded once)."""
    engine = _engines.get(model_folder)
    if engine is None:
        engine = _engines[model_folder] = engine_for(model_folder)
    if language not in engine.languages:
        said = LANGUAGE_NAMES.get(language, language)
        return Draft(
            "none",
            None,
            engine.name,
            f"No machine draft: this note came from the {said} form, and {engine.name} knows only "
            f"{', '.join(LANGUAGE_NAMES[c] for c in sorted(engine.languages))}. An operator can set "
            f"{MODEL_ENV} to a Whisper model folder to draft {said} notes.",
        )
    try:
        pcm = to_pcm(audio)
    except Unreadable:
        return Draft("failed", None, engine.name, "No machine draft: the recording could not be read.")
    return Draft("done", engine.transcribe(pcm, language), engine.name)


class DraftWorker:
    """Makes drafts of the notes that have none, one at a time, in a process of its own.

    ``poke()`` after a note is attached to a response; ``start()`` also picks up notes left
    waiting by a restart. Nothing here is on a respondent's path: a slow or failed draft only
    means the lead types from nothing, as before.
    """

    def __init__(self, model_folder: str | None = None) -> None:
        self.model_folder = os.environ.get(MODEL_ENV, "") if model_folder is None else model_folder
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._pool: ProcessPoolExecutor | None = None

    def poke(self) -> None:
        self._idle.clear()
        self._wake.set()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="heard-drafts")
            self.poke()

    async def drain(self) -> None:
        """Wait until every note waiting now has its draft (for tests and the CLI)."""
        await self._idle.wait()

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            try:
                while await self.draft_next():
                    pass
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - drafts are a help; a failure must not stop the worker
                log.exception("voice-note drafts stopped; they resume at the next note")
            if not self._wake.is_set():
                self._idle.set()

    async def draft_next(self) -> bool:
        """Draft the oldest note waiting for one; False when none is waiting."""
        note = (
            await VoiceNote.select(
                VoiceNote.id,
                VoiceNote.initiative,
                VoiceNote.audio,
                VoiceNote.response.language.as_alias("language"),
                VoiceNote.initiative.slug.as_alias("slug"),
            )
            .where(VoiceNote.response.is_not_null() & (VoiceNote.draft_state == ""))
            .order_by(VoiceNote.id)
            .first()
        )
        if note is None:
            return False
        from voice.audio import fernet_for

        try:
            audio = fernet_for(note["slug"]).decrypt(bytes(note["audio"]))
        except InvalidToken:
            draft = Draft("failed", None, "", "No machine draft: the recording could not be decrypted.")
        else:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"))
            loop = asyncio.get_running_loop()
            draft = await loop.run_in_executor(self._pool, draft_of, audio, note["language"] or "en", self.model_folder)
        text = draft.text
        if text:
            text = (await text_filter_for(note["initiative"]))(text)  # redacted before anyone sees it
        await VoiceNote.update(
            {
                VoiceNote.draft: text,
                VoiceNote.draft_state: draft.state,
                VoiceNote.draft_engine: draft.engine,
                VoiceNote.draft_note: draft.note,
            }
        ).where((VoiceNote.id == note["id"]) & (VoiceNote.draft_state == ""))
        return True


__all__ = ["Draft", "DraftWorker", "PocketSphinxEngine", "SpeechEngine", "WhisperEngine", "draft_of", "to_pcm"]
