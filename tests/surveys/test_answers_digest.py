"""A submission's digest is the same text, keyed the same way, as when the digests already stored
were made: a retry sent across an upgrade must still be a replay, not a conflict."""

from __future__ import annotations

import hashlib
import hmac
import json

from surveys.keys import initiative_key
from surveys.questionnaires import AnswerRow
from surveys.responses import answers_digest


def _as_first_made(slug: str, rows: list[AnswerRow], pseudonym: str | None) -> str:
    normalised = sorted(
        json.dumps(
            [r.question_key, r.option_key, r.value, r.text, r.quote_consent], separators=(",", ":"), ensure_ascii=False
        )
        for r in rows
    )
    message = json.dumps([normalised, pseudonym], separators=(",", ":"), ensure_ascii=False).encode()
    return hmac.new(initiative_key(slug), message, hashlib.sha256).hexdigest()


ROWS = [
    AnswerRow("listened", option_key="yes", value=2),
    AnswerRow("better", text='Mrs "K" said: ça va, ناراض\nthanks', quote_consent=True),
    AnswerRow("children", value=3),
]


def test_the_digest_is_made_as_it_always_was(tmp_path, monkeypatch):
    monkeypatch.setenv("HEARD_DATA_DIR", str(tmp_path))
    for pseudonym in (None, "ab" * 32):
        assert answers_digest("anew", ROWS, pseudonym) == _as_first_made("anew", ROWS, pseudonym)
    assert answers_digest("anew", ROWS, None) == answers_digest("anew", list(reversed(ROWS)), None)
    assert answers_digest("anew", ROWS, None) != answers_digest("anew", ROWS[:2], None)
