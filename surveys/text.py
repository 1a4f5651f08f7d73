"""Text as Heard keeps it: every name, title and answer people type goes through here on the way in.

Three kinds of text, three rules, one normal form (Unicode NFC, so "é" typed two ways is one name):

- **Names and titles** a lead types (an initiative, a session's place, a questionnaire's title, a
  theme, a delivery partner): control characters are *refused* with a message for the field, since
  a lead can retype the name and would otherwise never see what was wrong. Bidirectional
  overrides, embeddings and isolates (U+202A–U+202E, U+2066–U+2069) are *removed*: in a name they
  only serve to make it read differently on a poster or summary than it was typed. Arabic and Urdu
  letters carry their own direction and need none of them.
- **Wording** a lead writes (question texts, option labels, translations, the privacy notice, an
  edited quote): control characters refused in the same way; bidi controls kept, as a translator
  may need an isolate around an English word inside Arabic or Urdu.
- **Answers** a respondent gives: control characters *removed*, never refused. A parent can't see an
  invisible character their phone put in, and their answer must not be lost for it. Newlines and
  tabs stay; format characters (the zero-width non-joiner Urdu and Persian spelling needs) stay.

Control characters here are Unicode's ``Cc`` other than newline and tab (a pasted Windows line end
becomes a newline), lone surrogates and the noncharacters (U+FFFE, U+FFFF, …): none can be written
into the XML inside Word and Excel files, PostgreSQL refuses NUL, and none means anything to a
reader. :func:`for_document` strips them from what is already stored, for the document writers.
"""

from __future__ import annotations

import re
import unicodedata

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
KEPT_CONTROLS = frozenset("\n\t")


class UnsafeText(ValueError):
    """Text with a control character in it; ``str()`` is a sentence for the field's error message."""


def _unwanted(ch: str) -> bool:
    if ch in KEPT_CONTROLS:
        return False
    category = unicodedata.category(ch)
    return category in ("Cc", "Cs") or _noncharacter(ch)


def _noncharacter(ch: str) -> bool:
    code = ord(ch)
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


# The same characters as _unwanted, as one class for the regex engine (which reads a string in C,
# where a Python test per character cost more than the rest of taking in an answer): Cc less tab
# and newline, the surrogates, U+FDD0–U+FDEF, and the last two code points of every plane.
_UNWANTED = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
    + "]"
)


def _line_ends(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _refuse_controls(value: str, what: str) -> None:
    found = _UNWANTED.search(value)
    if found is not None:
        raise UnsafeText(
            f"{what} must not include invisible control characters (there is one, U+{ord(found.group()):04X}, "
            f"at character {found.start() + 1}): type it again without it"
        )


def name(value: str, what: str = "The name") -> str:
    """A lead-typed name or title, in NFC with bidi controls removed and ends trimmed.

    :class:`UnsafeText` (naming ``what``, e.g. "The place") if it holds a control character;
    a newline or tab is left for the caller, which makes names one line."""
    value = unicodedata.normalize("NFC", _line_ends(str(value)))
    _refuse_controls(value, what)
    return "".join(ch for ch in value if ch not in BIDI_CONTROLS).strip()


def wording(value: str, what: str = "The text") -> str:
    """Lead-written wording (questions, options, translations, notices), in NFC, ends trimmed;
    :class:`UnsafeText` if it holds a control character. Bidi controls are kept."""
    value = unicodedata.normalize("NFC", _line_ends(str(value)))
    _refuse_controls(value, what)
    return value.strip()


def answer(value: str) -> str:
    """A respondent's free text, in NFC with control characters removed and ends trimmed."""
    value = unicodedata.normalize("NFC", _line_ends(str(value)))
    return _UNWANTED.sub("", value).strip()


def stored(value: str, *, bidi: bool = True) -> str:
    """Text read back from storage that may predate these rules, made as :func:`name` (without
    ``bidi``) or :func:`wording` would have made it, but never refused: old data must still open."""
    value = answer(value)
    return value if bidi else "".join(ch for ch in value if ch not in BIDI_CONTROLS)


# What XML 1.0 can't hold (Word and Excel files are XML: any of these makes the writer fail),
# and the other control characters (DEL, C1), which XML takes but no reader shows.
_NOT_WRITABLE = re.compile("[^\t\n\r\u0020-\u007e\u00a0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def for_document(value: object) -> str:
    """``value`` as text every document writer can write: control characters and whatever else
    XML can't hold are dropped. For what is already stored (from before :func:`name` and the
    rest, or written around them); newlines, tabs and carriage returns stay for the writer."""
    return _NOT_WRITABLE.sub("", value if isinstance(value, str) else str(value))
