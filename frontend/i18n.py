"""Languages: which one a page speaks, its direction, and the message catalog behind ``_()``.

UI text lives in Babel catalogs under ``frontend/locales``; question texts come from the
questionnaire file. The person chooses (a visible switch, carried as ``lang``); until they do,
Accept-Language decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.support import NullTranslations, Translations

LOCALES = Path(__file__).parent / "locales"
SUPPORTED = ("en", "pl", "uk", "ur", "ar")
DEFAULT = "en"


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in its own language, for the switch
    direction: str  # "ltr" or "rtl"
    translations: NullTranslations

    def gettext(self, message: str, **values) -> str:
        text = self.translations.gettext(message)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values) -> str:
        text = self.translations.ngettext(singular, plural, n)
        return text % {"num": n, **values}


@lru_cache(maxsize=None)
def language(code: str) -> Language:
    code = code if code in SUPPORTED else DEFAULT
    locale = Locale.parse(code)
    translations = Translations.load(str(LOCALES), [code], domain="messages")
    return Language(code, locale.get_display_name(code).capitalize(), locale.text_direction, translations)


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
