"""Languages: which one a page speaks, its direction, and the message catalog behind ``_()``.

UI text lives in Babel catalogs under ``frontend/locales/<lang>/LC_MESSAGES/messages.po``
(English is the source; ``make -f frontend/locales/Makefile`` re-extracts and updates them).
The ``.po`` files are compiled in memory the first time a language is used, so no binary
``.mo`` file is ever committed or goes stale. Question texts come from the questionnaire file.
The person chooses (a visible switch, carried as ``lang``); until they do, Accept-Language decides.

Numbers, dates and percentages are formatted by Babel with each locale's own separators and
default digits from CLDR: that is 0–9 in all five languages (CLDR's ``ar`` uses Latin digits;
Arabic-Indic ones are the default only for some countries' locales), which every parent reads,
with "2 000" in Polish and Ukrainian and month names in the language. English is formatted as
British English (``en_GB``): "22 November 2026".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations
from markupsafe import Markup, escape

from frontend import LOCALES

SUPPORTED = ("en", "pl", "uk", "ur", "ar")
DEFAULT = "en"
FORMATS = {"en": "en_GB"}  # the locale numbers and dates are written in, where not the language's own


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in its own language, for the switch
    direction: str  # "ltr" or "rtl"
    translations: NullTranslations

    def gettext(self, message: str, **values) -> str:
        text = self.translations.gettext(message)
        return _fill(text, self._formatted(values)) if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values) -> str:
        text = self.translations.ngettext(singular, plural, n)
        return _fill(text, self._formatted({"num": n, **values}))

    @property
    def formats(self) -> str:
        return FORMATS.get(self.code, self.code)

    def _formatted(self, values: dict) -> dict:
        # Whole numbers in a sentence ("Question 2 of 5") take the locale's digits.
        return {k: self.number(v) if isinstance(v, int) and not isinstance(v, bool) else v for k, v in values.items()}

    def number(self, n: int | float) -> str:
        return format_decimal(n, locale=self.formats, numbering_system="default")

    def percent(self, share: float) -> str:
        """``0.87`` as "87%" in the locale's way of writing it."""
        return format_percent(share, locale=self.formats, numbering_system="default")

    def date(self, day: dt.date) -> str:
        return format_date(day, format="long", locale=self.formats)

    def datetime(self, moment: dt.datetime | str) -> str:
        if isinstance(moment, str):
            moment = dt.datetime.fromisoformat(moment)
        return format_datetime(moment, format="d MMMM y, HH:mm", locale=self.formats)

    def attrs(self, code: str) -> Markup:
        """``lang``/``dir`` for a fragment in language ``code`` (empty when it is the page's own)."""
        if code == self.code:
            return Markup("")
        other = language(code) if code in SUPPORTED else None
        direction = other.direction if other else Locale.parse(code).text_direction
        return Markup(' lang="%s" dir="%s"') % (code, direction)


def _fill(text: str, values: dict) -> str:
    # A value given as markup (an English fragment wrapped in <span lang="en">) stays markup,
    # and everything else in the sentence is escaped around it.
    if any(isinstance(v, Markup) for v in values.values()):
        return escape(text) % values
    return text % values


def compiled(po_file: Path) -> NullTranslations:
    """A ``.po`` catalog compiled in memory: untranslated and fuzzy entries fall back to English."""
    with po_file.open("rb") as f:
        catalog = read_po(f)
    mo = BytesIO()
    write_mo(mo, catalog, use_fuzzy=False)
    mo.seek(0)
    return Translations(mo, domain="messages")


@cache
def language(code: str) -> Language:
    code = code if code in SUPPORTED else DEFAULT
    locale = Locale.parse(code)
    po_file = LOCALES / code / "LC_MESSAGES" / "messages.po"
    translations = compiled(po_file) if po_file.exists() else NullTranslations()
    name = locale.get_display_name(code)
    assert name is not None  # CLDR names every supported language
    return Language(code, name.capitalize(), locale.text_direction, translations)


def available() -> list[Language]:
    return [language(code) for code in SUPPORTED]


def choose(requested: str | None, accept_language: str | None) -> Language:
    """The language asked for explicitly, else the best match from Accept-Language, else English."""
    if requested and requested in SUPPORTED:
        return language(requested)
    for code in _accepted(accept_language or ""):
        if code in SUPPORTED:
            return language(code)
    return language(DEFAULT)


def _accepted(header: str) -> list[str]:
    weighted = []
    for i, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag:
            weighted.append((-quality, i, tag.split("-")[0].lower()))
    return [tag for _, _, tag in sorted(weighted)]
