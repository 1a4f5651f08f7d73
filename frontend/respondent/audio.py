"""Recorded read-aloud clips for the child's tablet, for devices without a speech voice.

The kiosk's speaker button uses the device's own voice (Web Speech API) when it has one for the
page's language. When it has none, the English texts of the shipped child questionnaires (every pack's) (and
the practice question and the kiosk's few spoken phrases) have small Ogg Opus clips, made with
espeak-ng and shipped in ``frontend/static/audio/``, named by a hash of the text.

Regenerate them after changing a default child questionnaire (needs ``espeak-ng`` and
``opusenc``: ``apt-get install -y espeak-ng opus-tools``)::

    python -m frontend.respondent.audio

A test fails when a clip is missing, so a changed text can't ship silent.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

AUDIO = Path(__file__).resolve().parents[1] / "static" / "audio"
PRACTICE_TEXT = "How does having a party make you feel?"
# Spoken phrases of the kiosk itself, besides questions and answer words.
PHRASES = (PRACTICE_TEXT, "All done!", "Thank you for telling us what you think.")
VOICE = "en-gb"
SPEED = 140  # words a minute: slower than espeak's default 175, for young listeners
BITRATE = 16  # kbit/s: plenty for one voice, ~2 KB a second


def clip_name(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:16] + ".ogg"


@lru_cache(maxsize=1)
def _shipped() -> frozenset[str]:
    return frozenset(p.name for p in AUDIO.glob("*.ogg"))


def clip_for(text: str, language: str = "en") -> str | None:
    """The URL of the recorded clip for an English text, or None if there is none."""
    if language != "en":
        return None
    name = clip_name(text)
    return f"/static/audio/{name}" if name in _shipped() else None


def kiosk_texts() -> list[str]:
    """Every English text the kiosk can read aloud for the default child questionnaires."""
    from surveys.questionnaires import load_file, template_files

    texts: list[str] = list(PHRASES)
    for path in template_files():
        definition = load_file(path)
        if definition.audience != "child":
            continue
        for page in definition.pages:
            if page.question.type == "text":
                continue  # the kiosk skips free text
            texts.append(page.text)
            texts.extend(o.label for o in page.question.options)
    from surveys.scales import SCALES

    texts.extend(o.label for o in SCALES["faces3"].ordered)  # the practice question's faces
    return list(dict.fromkeys(texts))


def generate(out: Path = AUDIO) -> list[Path]:
    """Write one clip per kiosk text (and an index for people); remove clips no longer used."""
    for tool in ("espeak-ng", "opusenc"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed: apt-get install -y espeak-ng opus-tools")
    out.mkdir(parents=True, exist_ok=True)
    texts = kiosk_texts()
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        for text in texts:
            target = out / clip_name(text)
            wav = Path(tmp) / "clip.wav"
            subprocess.run(["espeak-ng", "-v", VOICE, "-s", str(SPEED), "-w", str(wav), text], check=True)
            subprocess.run(
                ["opusenc", "--quiet", "--bitrate", str(BITRATE), "--downmix-mono", "--discard-comments",
                 str(wav), str(target)],
                check=True,
            )
            written.append(target)
    keep = {p.name for p in written}
    for old in out.glob("*.ogg"):
        if old.name not in keep:
            old.unlink()
    index = {clip_name(t): t for t in texts}
    (out / "index.json").write_text(json.dumps(index, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    _shipped.cache_clear()
    return written


if __name__ == "__main__":
    files = generate()
    total = sum(f.stat().st_size for f in files)
    print(f"{len(files)} clips, {total / 1024:.1f} KB in all, in {AUDIO}", file=sys.stderr)
