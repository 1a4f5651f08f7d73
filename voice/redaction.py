"""Redaction of free-text answers: identifiers become placeholders before anything is stored.

Every free-text answer passes through :func:`redact` on arrival and only the redacted text is
kept, so a parent who writes "text me on 07712 345678" or "my son Callum loved it" leaves
"text me on [phone]" and "my son [name] loved it" behind. Nine kinds are found: ``[name]``,
``[phone]``, ``[email]``, ``[postcode]``, ``[address]``, ``[date]``, ``[link]`` (web addresses
and social-media handles), ``[health number]`` (NHS and CHI numbers) and ``[car reg]``.

Names are the hard part. They come from a shipped open list (``data/first_names.txt``, whose
README gives its sources) plus the names a lead adds for an initiative (staff, schools:
``stop_names``). Many first names are also everyday words (will, hope, grace, joy, may,
bonnie), so the list tags those, and they are redacted only when the sentence gives evidence:
a cue ("my son", "called", "Mrs"), a capital in mid-sentence, a possessive before a family word
("Grace's mum"), a named neighbour ("Callum and Grace"), a verb people do ("Will loved it",
"grace was a wee star") or family beside them ("Will and his gran"). A capital that only
starts a sentence is not evidence.

Heard is answered in English, Polish, Ukrainian, Urdu and Arabic, so names are also found
inflected ("z Kubą", "з Андрієм": the endings are taken off and the name looked up), after
Polish and Ukrainian cues ("córka", "ma na imię", "його звати"), and in Arabic script after the
Arabic and Urdu words for son, daughter and name ("ابنتي فاطمة", "میری بیٹی عائشہ"), with the
spellings people mix (hamza or none, ة or ه, Urdu ی and ک) folded together. A word after a
caught first name or a title is a surname unless it is an everyday word (``data/
common_words.txt``): "CALLUM SMITH", "kayleigh robertson", "mrs mcgregor", "K. Ogilvie".

This runs on every answer, so patterns are compiled once at import, a lead's stop names once
per distinct tuple, and an answer pays only for the patterns its characters could match: no
digit, no phone, health number, car reg, postcode, date or address-number search; no ``@``, no
email search (and no spelled-out "at ... dot com" without both words); no Arabic letter, no
Arabic-script name search; no platform word, no handle search.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Identifier", "KINDS", "Redaction", "Replacement", "find_identifiers", "redact"]

KINDS = ("name", "phone", "email", "postcode", "address", "date", "link", "health number", "car reg")


@dataclass(frozen=True)
class Replacement:
    """Where a placeholder sits in the redacted text, and what kind of identifier it hides."""

    kind: str  # one of KINDS: "name", "phone", ... "health number", "car reg"
    start: int  # offsets in the REDACTED text of the placeholder
    end: int


@dataclass(frozen=True)
class Redaction:
    """An answer as it may be stored: the redacted text and where its placeholders are."""

    text: str  # redacted text
    replacements: tuple[Replacement, ...]

    @property
    def changed(self) -> bool:
        """Whether anything was redacted."""
        return bool(self.replacements)


@dataclass(frozen=True)
class Identifier:
    """An identifier found in the ORIGINAL answer: what it is and where it lies."""

    kind: str
    start: int
    end: int


def redact(text: str, *, stop_names: Iterable[str] = ()) -> Redaction:
    """Replace every identifier in ``text`` with its placeholder, e.g. ``[name]``.

    ``stop_names`` are names this initiative always redacts, whatever their case or place in a
    sentence (staff, schools, "St Mary's Primary"); pass a tuple so its pattern is reused.
    """
    found = find_identifiers(text, stop_names=stop_names)
    if not found:
        return Redaction(text, ())
    pieces: list[str] = []
    replacements: list[Replacement] = []
    kept_up_to = 0
    length = 0
    for identifier in found:
        before = text[kept_up_to : identifier.start]
        placeholder = _PLACEHOLDER[identifier.kind]
        pieces.append(before)
        pieces.append(placeholder)
        length += len(before)
        replacements.append(Replacement(identifier.kind, length, length + len(placeholder)))
        length += len(placeholder)
        kept_up_to = identifier.end
    pieces.append(text[kept_up_to:])
    return Redaction("".join(pieces), tuple(replacements))


def find_identifiers(text: str, *, stop_names: Iterable[str] = ()) -> tuple[Identifier, ...]:
    """The identifiers in ``text``, in order and not overlapping, as spans of the original text."""
    spans: list[tuple[int, int, int, str]] = []  # (priority, start, end, kind)
    # Each search runs only when a cheap look shows it could match: most answers are words.
    lowered = text.lower()
    if "@" in text:
        spans += _spans(_EMAIL, text, "email")
        spans += _handle_spans(text)
    if _SPELLED_EMAIL_HINT.search(lowered) and (
        "dot" in lowered or any(provider in lowered for provider in _MAIL_PROVIDERS)
    ):
        spans += _spelled_email_spans(text)
    if "://" in text or "www." in text or _DOT_LETTER.search(text):
        spans += _link_spans(text)
    if _PLATFORM_HINT.search(lowered):
        spans += _named_handle_spans(text)
    if _DIGIT.search(text):
        if _PHONE_HINT.search(text):
            spans += _phone_spans(text)
            spans += _health_number_spans(text, lowered)
        if _POSTCODE_HINT.search(text):
            spans += _spans(_POSTCODE, text, "postcode")
            spans += _spans(_SPLIT_POSTCODE, text, "postcode")
        if _CAR_REG_HINT.search(text):
            spans += _car_reg_spans(text)
        spans += _date_spans(text)
        if _ADDRESS_HINT.search(text):
            spans += _spans(_ADDRESS, text, "address")
    if "/" in text or "flat" in lowered or _FLOOR_HINT.search(text):
        spans += _spans(_FLAT_POSITION, text, "address")
    if _RESIDENCE_HINT.search(lowered):
        spans += _numberless_address_spans(text)
    names = stop_names if isinstance(stop_names, tuple) else tuple(stop_names)
    if names:
        pattern = _stop_name_pattern(names)
        if pattern is not None:
            spans += _spans(pattern, text, "name", priority=_PRIORITY["stop"])
    spans += _name_spans(text)
    if _UNCASED_LETTER.search(text):
        spans += _arabic_name_spans(text)
    return _without_overlaps(spans) if spans else ()


# --- placeholders and precedence --------------------------------------------------------------

_PLACEHOLDER = {kind: f"[{kind}]" for kind in KINDS}

# When two findings overlap the more specific wins: an email holds a domain, an address holds
# a first name ("12 Albert Street"), a lead's stop name holds a listed name ("St Mary's").
_PRIORITY = {
    "email": 0,
    "link": 1,
    "health number": 2,  # a valid NHS or CHI number beats a 10-digit phone shape
    "phone": 3,
    "postcode": 4,
    "car reg": 5,
    "date": 6,
    "address": 7,
    "stop": 8,
    "name": 9,
}


def _without_overlaps(spans: list[tuple[int, int, int, str]]) -> tuple[Identifier, ...]:
    kept: list[tuple[int, int, int, str]] = []
    # Most specific kind first, then the longest: "14th of February" beats "14th".
    for span in sorted(spans, key=lambda span: (span[0], span[1], -span[2])):
        _, start, end, _ = span
        if all(end <= s or e <= start for _, s, e, _ in kept):
            kept.append(span)
    kept.sort(key=lambda span: span[1])
    return tuple(Identifier(kind, start, end) for _, start, end, kind in kept)


def _spans(
    pattern: re.Pattern[str], text: str, kind: str, priority: int | None = None
) -> list[tuple[int, int, int, str]]:
    rank = _PRIORITY[kind] if priority is None else priority
    return [(rank, m.start(), m.end(), kind) for m in pattern.finditer(text)]


# Hints start with a plain character class, which the regex engine scans for quickly; the
# full patterns start with look-behinds and ignore case, which it cannot.
_DIGIT = re.compile(r"\d")
_DOT_LETTER = re.compile(r"\.[^\W\d_]")
_PHONE_HINT = re.compile(r"\d[\d ()\-]{7,}\d")
_POSTCODE_HINT = re.compile(r"\d ?[A-Za-z] ?[A-Za-z](?![A-Za-z])")
_CAR_REG_HINT = re.compile(r"\d ?[A-Za-z]{3}")
_FLOOR_HINT = re.compile(r"[\dGg][Ff]\d")
_SPELLED_EMAIL_HINT = re.compile(r"[\s(\[]at[\s)\]]")
_PLATFORM_HINT = re.compile(r"insta|snap|tik ?tok|twitter|threads|\big\b|\bfb\b|facebook")
_RESIDENCE_HINT = re.compile(r"liv|stay|hous|flat|move|mov|just|right|address")
_ADDRESS_HINT = re.compile(r"\d[A-Za-z]?,? +[A-Za-z]")
_NUMERIC_DATE_HINT = re.compile(r"\d[/.-]\d")
_MONTH_HINT = re.compile(r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)")

# --- emails and links -------------------------------------------------------------------------

# People type "jo @ gmail.com" on phones, so spaces round the @ are allowed, but only on both
# sides: "insta @wee.artist" is a handle.
_EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]+(?:@| @ )[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")

# Bare domains need a top-level domain people actually use here; "me" and "be" are words,
# so they count only with a path (wa.me/447..., youtu.be/...).
_TLDS = "com|net|org|uk|scot|io|ly|gl|tv|app|info|ie|eu|pl|ua|pk|gov|edu|shop|online|site|page|link|art|blog|store|co"
_LINK = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'()]+"
    r"|(?<![\w@.-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+"
    rf"(?:(?:{_TLDS})\b(?:/[^\s<>\"'()]*)?|(?:me|be)/[^\s<>\"'()]+)",
    re.IGNORECASE,
)
_TRAILING_PUNCTUATION = ".,;:!?)]}'\""


def _link_spans(text: str) -> list[tuple[int, int, int, str]]:
    spans = []
    for m in _LINK.finditer(text):
        end = m.end()
        while end > m.start() and text[end - 1] in _TRAILING_PUNCTUATION:
            end -= 1  # "see www.example.com." - the full stop ends the sentence, not the link
        spans.append((_PRIORITY["link"], m.start(), end, "link"))
    return spans


# A social handle is a link to a person. "@home" and "@10" are text-speak for "at", so a
# handle counts only with a digit, underscore or dot in it, or straight after the platform.
_HANDLE = re.compile(r"(?<![\w@.])@([A-Za-z0-9_][\w.]*\w)")
_PLATFORM = re.compile(r"(?:insta|instagram|ig|tiktok|twitter|snapchat|snap|threads)\s*:?\s*$", re.I)


def _handle_spans(text: str) -> list[tuple[int, int, int, str]]:
    spans = []
    for m in _HANDLE.finditer(text):
        handle = m.group(1)
        if any(c.isdigit() or c in "_." for c in handle) or _PLATFORM.search(text, 0, m.start()):
            if not handle.isdigit():
                spans.append((_PRIORITY["link"], m.start(), m.end(), "link"))
    return spans


# Emails spelled out so a form will not see them: "jo dot bloggs at gmail dot com",
# "kirsty22 (at) hotmail (dot) co (dot) uk". The domain has to end in a top-level domain or be
# a mail provider, and the name before "at" has to look like one, so "we shop at tesco dot com"
# and "met at 10 dot 30" stay.
_MAIL_PROVIDERS = (
    "gmail",
    "googlemail",
    "hotmail",
    "yahoo",
    "outlook",
    "icloud",
    "live",
    "btinternet",
    "aol",
    "protonmail",
    "proton",
    "msn",
    "sky",
    "talktalk",
    "virginmedia",
    "wp",
    "onet",
    "interia",
    "o2",
    "ukr",
    "gmx",
    "mail",
)
_SPELLED_AT = r"(?:\s+at\s+|\s*[(\[]\s*at\s*[)\]]\s*|\s*@\s*)"
_SPELLED_DOT = r"(?:\s*[(\[]\s*dot\s*[)\]]\s*|\s+dot\s+|\.)"
_SPELLED_EMAIL = re.compile(
    rf"(?<![\w.@])(?P<local>[A-Za-z0-9_%+-]+(?:{_SPELLED_DOT}[A-Za-z0-9_%+-]+)*)"
    rf"(?P<at>{_SPELLED_AT})(?P<domain>[A-Za-z0-9-]+(?:{_SPELLED_DOT}[A-Za-z0-9-]+)*)",
    re.IGNORECASE,
)
_MAILBOX_WORDS = frozenset("hello info contact admin enquiries office mail bookings team".split())
_SPELLED_TLDS = frozenset(_TLDS.split("|")) | {"scot", "net", "co"}
_SPELLED_LABEL = re.compile(rf"{_SPELLED_DOT}", re.IGNORECASE)


def _spelled_email_spans(text: str) -> list[tuple[int, int, int, str]]:
    spans = []
    position = 0
    while m := _SPELLED_EMAIL.search(text, position):
        # A rejected match ("me at kirsty22") may hide the real one starting at its domain.
        position = m.start("domain")
        local, domain = m.group("local"), m.group("domain")
        labels = _SPELLED_LABEL.split(domain)
        dotted_local = _SPELLED_LABEL.search(local) is not None
        if "@" in m.group("at") and "dot" not in m.group().lower():
            continue  # a plain address, which _EMAIL finds
        provider = labels[0].lower() in _MAIL_PROVIDERS
        tld = len(labels) > 1 and labels[-1].lower() in _SPELLED_TLDS
        if not (provider or tld):
            continue
        key = local.lower()
        if not dotted_local and not any(c.isdigit() or c in "_%+" for c in local):
            if (key in _COMMON_WORDS or key in _NOT_A_NAME) and key not in _MAILBOX_WORDS:
                continue  # "we shop at tesco dot com"
        spans.append((_PRIORITY["email"], m.start(), m.end(), "email"))
        position = m.end()
    return spans


# "snap: kayb_99", "IG: wee.makers", "my insta is jo.b_22", "add me on tiktok kirstyb": a
# handle named by its platform, without an @. Only the handle is replaced ("snap: [link]").
_NAMED_HANDLE = re.compile(
    r"\b(?:insta(?:gram)?|ig|snap(?:chat)?|tik ?tok|twitter|threads|fb|facebook)\b"
    r"(?P<sep>(?:\s+(?:is|its|it['’]s|name|username|user|handle|page|account|me|on|at)\b)*\s*[:=\-–]?\s*@?)"
    r"(?P<handle>@?[A-Za-z0-9_][\w.]*[A-Za-z0-9_]|@?[A-Za-z0-9])",
    re.IGNORECASE,
)
_NOT_A_HANDLE = frozenset(
    "check follow see look add dm message pm us me page account is its it the and or but for "
    "too tho though as well also now then there here that this".split()
)


def _named_handle_spans(text: str) -> list[tuple[int, int, int, str]]:
    spans = []
    for m in _NAMED_HANDLE.finditer(text):
        handle = m.group("handle").lstrip("@")
        key = handle.lower()
        if key in _NOT_A_HANDLE or key in _NOT_A_NAME or handle.isdigit():
            continue
        sep = m.group("sep").lower()
        marked = any(c in sep for c in ":=-–@") or m.group("handle").startswith("@")
        named = any(word in sep.split() for word in ("is", "its", "it's", "it’s", "name", "username", "handle"))
        odd = any(c.isdigit() or c in "_." for c in handle)
        if marked or odd or (key not in _COMMON_WORDS and (named or len(handle) > 2)):
            spans.append((_PRIORITY["link"], m.start("handle"), m.end("handle"), "link"))
    return spans


# --- phone numbers ----------------------------------------------------------------------------

# UK numbers: 0 then 9 or 10 digits, or 44/+44/0044 (with an optional "(0)") then the same
# without the 0, grouped by spaces, dashes or brackets ("44 7712 345678" is how some people
# copy their number from WhatsApp). Dots are left out on purpose: "09.30-10.30 11.00" is a
# timetable, not a phone number.
_UK_PHONE = re.compile(
    r"(?<![\w+])(?:(?:(?:\+|00) ?)?44 ?(?:\(0\) ?)?[1-37-9]|\(?0[1-37-9])(?:[ \-()]{0,3}\d){8,9}(?!\d)"
)
# Numbers from home (Polish, Ukrainian, Pakistani mobiles) keep their country code.
_INTERNATIONAL_PHONE = re.compile(r"(?<![\w+])\+(?!44)\d{1,3}[ \-]?(?:\(?\d+\)?[ \-]?){2,5}\d(?!\d)")


def _phone_spans(text: str) -> list[tuple[int, int, int, str]]:
    spans = _spans(_UK_PHONE, text, "phone")
    if "+" in text:
        for m in _INTERNATIONAL_PHONE.finditer(text):
            if 8 <= sum(c.isdigit() for c in m.group()) <= 15:
                spans.append((_PRIORITY["phone"], m.start(), m.end(), "phone"))
    return spans


# --- NHS and CHI numbers ------------------------------------------------------------------

# Ten digits, written whole, 3-3-4 (NHS) or 6-4 (CHI). Both end in a modulus-11 check digit
# (weights 10 to 2 over the first nine digits); a CHI number also starts with the birth date
# as DDMMYY. A number that passes the check is taken as a health number, and so is any ten
# digits straight after "NHS", "CHI" or "health number", a mistyped check digit and all.
_HEALTH_NUMBER = re.compile(r"(?<![\w+./-])(?:\d{3}[ -]?\d{3}[ -]?\d{4}|\d{6}[ -]?\d{4})(?![\w/-]|[.,]\d| \d)")
_HEALTH_CONTEXT = re.compile(r"(?:nhs|chi|health|hospital|gp)\b[\w ]{0,20}[:#.\-]?\s*$")


def _health_number_spans(text: str, lowered: str) -> list[tuple[int, int, int, str]]:
    spans = []
    for m in _HEALTH_NUMBER.finditer(text):
        digits = [int(c) for c in m.group() if c.isdigit()]
        if _mod11_valid(digits) or _HEALTH_CONTEXT.search(lowered, max(0, m.start() - 30), m.start()):
            spans.append((_PRIORITY["health number"], m.start(), m.end(), "health number"))
    return spans


def _mod11_valid(digits: list[int]) -> bool:
    """The NHS and CHI check: 11 minus the weighted sum mod 11 (11 reads 0, 10 never issued)."""
    check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=False)) % 11
    check = 0 if check == 11 else check
    return check != 10 and check == digits[9]


# --- postcodes --------------------------------------------------------------------------------

# The letters Royal Mail never uses in the inward code (C I K M O V) keep ordinary words out;
# case and the space are optional because "dd14hn" is how many people type it.
_POSTCODE = re.compile(r"\b[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?[ \t-]?\d[ABD-HJLNP-UW-Z]{2}\b", re.IGNORECASE)

# Typed with the spaces in the wrong places: "DD 1 4HN", "dd1 4 hn". Only the real postcode
# areas count here, and areas that are words ("me", "so", "st") only in capitals.
_AREAS_WORDS = "LA ME NE OX PE PO SO ST TA WA LL SS"
_AREAS = (
    "AB AL BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY EC EH EN EX FK "
    "FY GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY LD LE LN LS LU MK ML NG NN NP NR NW OL PA "
    "PH PL PR RG RH RM SA SE SG SK SL SM SN SP SR SY TD TF TN TQ TR TS TW UB WC WD WF WN WR WS WV YO ZE"
)
_INWARD_LETTER = "[ABD-HJLNP-UW-Z]"
_SPLIT_TAIL = rf"\s?\d[A-Z\d]?\s?\d\s?{_INWARD_LETTER}\s?{_INWARD_LETTER}\b"
_SPLIT_POSTCODE = re.compile(
    rf"\b(?:(?i:(?:{'|'.join(_AREAS.split())}){_SPLIT_TAIL})"
    rf"|(?:{'|'.join(_AREAS_WORDS.split())}|[BEGLMNSW]){_SPLIT_TAIL})"
)

# --- car registrations ------------------------------------------------------------------------

# Since 2001 "SP19 ABC" (two letters, the age, three letters); before that "A123 BCD". Written in
# capitals they count anywhere; in small letters only after "reg", "plate", "car" or the like.
# Three letters that spell a word ("P1 AND P2", "S3 WAS") are a school year, not a plate.
_CAR_REG = re.compile(r"(?<![\w/])(?:[A-Z]{2}\d{2} ?[A-Z]{3}|[A-Z]\d{1,3} ?[A-Z]{3})(?![\w/])", re.IGNORECASE)
_CAR_CONTEXT = re.compile(r"(?:reg|registration|plate|car|van|motor|vehicle|parked|park)\b[\w ]{0,15}[:\-]?\s*$")


def _car_reg_spans(text: str) -> list[tuple[int, int, int, str]]:
    spans = []
    for m in _CAR_REG.finditer(text):
        value = m.group()
        letters = value[-3:]
        if not value.isupper():
            if not _CAR_CONTEXT.search(text.lower(), max(0, m.start() - 30), m.start()):
                continue
        elif letters.lower() in _COMMON_WORDS:
            continue  # "P1 AND P2": a school year
        spans.append((_PRIORITY["car reg"], m.start(), m.end(), "car reg"))
    return spans


# --- dates ------------------------------------------------------------------------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?(?![^\W\d_])"
)
_DAY = r"(?:3[01]|[12]\d|0?[1-9])"
_ORDINAL = r"(?:st|nd|rd|th)"
_YEAR = r"(?:19|20)\d{2}"
# 12/03/2019, 04.05.21, 9-1-2021 (day or month first), 2019-08-15
_NUMERIC_DATE = re.compile(
    rf"(?<![\d/.-])\d{{1,2}}([/.-])\d{{1,2}}\1(?:{_YEAR}|\d{{2}})(?![\d/])|\b{_YEAR}-[01]\d-[0-3]\d\b"
)
_WRITTEN_DATE = re.compile(
    # Tuesday 3rd October, 4 May, 14th of February 2020
    r"\b(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?,?\s+(?:the\s+)?)?"
    rf"{_DAY}{_ORDINAL}?(?:\s+of)?\s+{_MONTH}(?:,?\s+{_YEAR}\b)?"
    # March 9th, March 9, 2019
    rf"|\b{_MONTH}\s+{_DAY}(?:{_ORDINAL}\b(?:,?\s+{_YEAR}\b)?|,?\s+{_YEAR}\b)",
    re.IGNORECASE,
)
# A bare year or day is only personal next to a birth: "born in 2019", "birthday is the 14th".
_BIRTH_DATE = re.compile(
    rf"\b(?:born|dob)\s*:?\s+(?:(?:in|on)\s+)?(?P<year>(?:{_MONTH}\s+)?{_YEAR}\b)"
    rf"|\bbirthday(?:\s+is|['’]s)\s+(?:on\s+)?(?:the\s+)?(?P<day>{_DAY}{_ORDINAL})\b",
    re.IGNORECASE,
)


def _date_spans(text: str) -> list[tuple[int, int, int, str]]:
    rank = _PRIORITY["date"]
    spans: list[tuple[int, int, int, str]] = []
    if _NUMERIC_DATE_HINT.search(text):
        spans += [
            (rank, m.start(), m.end(), "date")
            for m in _NUMERIC_DATE.finditer(text)
            if not m.group(1) or _plausible_numeric_date(m.group())
        ]
    lowered = text.lower()
    if _MONTH_HINT.search(lowered):
        spans += [(rank, m.start(), m.end(), "date") for m in _WRITTEN_DATE.finditer(text)]
    if "born" in lowered or "dob" in lowered or "birthday" in lowered:
        for m in _BIRTH_DATE.finditer(text):
            group = "year" if m.group("year") else "day"
            spans.append((rank, m.start(group), m.end(group), "date"))
    return spans


def _plausible_numeric_date(value: str) -> bool:
    first, second, _ = re.split(r"[/.-]", value)
    a, b = int(first), int(second)
    return 1 <= a <= 31 and 1 <= b <= 31 and min(a, b) <= 12


# --- street addresses -------------------------------------------------------------------------

_STREET_TYPE = (
    r"street|st|road|rd|avenue|ave|terrace|terr?|crescent|cres|place|pl|drive|dr|lane|ln"
    r"|court|ct|gardens|gdns|park|square|sq|way|close|grove|brae|wynd|loan|loaning|row|view"
    r"|walk|green|hill|gate|mews|circle|path|pend|parade|quay|mount|rise|gait|vennel"
)
# Dundee streets that carry no "Street" or "Road": "45 Hilltown", "19 Wellgate".
_BARE_STREET = r"hilltown|kingsway|greenmarket|marketgait|[a-z]+gate"
# Words that follow a number in ordinary feedback ("3 miles down the road", "4 weeks in a
# row", "2.50 each way") and so cannot start the name of a street.
_NOT_STREET_WORD = (
    r"the|a|an|and|or|but|to|of|in|on|at|by|for|from|with|up|down|along|round|around|near|past"
    r"|into|onto|out|over|under|off|is|was|are|were|am|pm|yr|yrs|years?|months?|weeks?|days?"
    r"|hours?|hrs?|mins?|minutes?|miles?|kids?|children|child|people|times?|wee|big|little"
    r"|more|other|different|each|every|per|one|stars?|bus|buses|pounds?|quid|sessions?|we|i"
    r"|you|my|our|his|her"
)
_NOT_STREET_WORDS = frozenset(_NOT_STREET_WORD.split("|"))
# Where a flat sits in a tenement: "3/1" and "2/R" (floor and door, Glasgow and Dundee), "1F2"
# (Edinburgh), "G/L" (ground floor left). Alone, "2/1" could be a score, so it needs "flat" or
# a street after it; "2/R", "G/L" and "1F2" are never anything else.
_POSITION = r"(?:\d{1,2}/(?:\d{1,2}|[RLrl])|[Gg]/[RLrl1-9]|[\dGg][Ff]\d{1,2})"
_FLAT = rf"(?:(?i:flat|apartment|apt|unit)\s*(?:(?i:no)\.?\s*)?(?:{_POSITION}|\d+[a-zA-Z]?)|{_POSITION})"
_FLAT_POSITION = re.compile(
    rf"(?<![\w/.])(?:(?i:flat|apartment|apt)\s*(?:(?i:no)\.?\s*)?{_POSITION}|\d{{1,2}}/[RLrl]|[Gg]/[RLrl]"
    rf"|[\dGg][Ff]\d{{1,2}})(?![\w/])"
)
_ADDRESS = re.compile(
    r"(?<![\w/.,£$€])"
    rf"(?:{_FLAT}\s*,?\s*)?"  # flat 3/2, 3/1, 2/R, 1F2
    r"\d{1,4}[a-z]?,?\s+"
    rf"(?:(?:(?!(?:{_NOT_STREET_WORD})\b)[a-z][a-z'’-]*\s+){{1,3}}(?:{_STREET_TYPE})\b\.?"
    rf"|(?:{_BARE_STREET})\b)",
    re.IGNORECASE,
)

# A street with no number is personal when the answer says someone lives there: "our house on
# Mains Loan", "we live in Hilltown", "we're just off Strathmartine Road". "We live near
# Victoria Road" and "the bus down Perth Road" say where, not who. The street's own words need a
# capital unless they are no everyday word ("we stay on strathmartine road").
_NUMBERLESS_ADDRESS = re.compile(
    r"\b(?i:(?:live|lives|living|lived|stay|stays|staying|stayed|house|flat|address|moved|moving|just|right)"
    r"(?:\s+is)?\s+(?:in|on|at|off|along|up|down|doon|to|into|intae)\s+(?:the\s+)?)"
    rf"(?P<street>(?:[^\W\d_][\w'’-]*\s+){{1,3}}(?i:{_STREET_TYPE})\b\.?|(?i:{_BARE_STREET})\b)"
)


def _numberless_address_spans(text: str) -> list[tuple[int, int, int, str]]:
    spans = []
    for m in _NUMBERLESS_ADDRESS.finditer(text):
        words = m.group("street").split()
        if len(words) > 1:
            named = words[:-1]
            if named[0].lower() in _NOT_STREET_WORDS or any(
                w.lower() in _NOT_STREET_WORDS and w.lower() != "of" for w in named
            ):
                continue
            if not all(w[0].isupper() or w == "of" or w.lower() not in _COMMON_WORDS for w in named):
                continue
        spans.append((_PRIORITY["address"], m.start("street"), m.end("street"), "address"))
    return spans


# --- first names ------------------------------------------------------------------------------

# How sure a listed name is a name (see data/first_names.txt for the tags).
_ALWAYS, _CAPITALISED, _WORD, _CONTEXT = 0, 1, 2, 3
_TAGS = {"": _ALWAYS, "capitalised": _CAPITALISED, "word": _WORD, "context": _CONTEXT}


# Arabic and Urdu spellings of one name differ in hamza, ta marbuta, alif maqsura and the
# Urdu forms of ya, kaf and ha; folding them lets one list entry meet every spelling.
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")
_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ۃ": "ه",
        "ہ": "ه",
        "ھ": "ه",
        "ۀ": "ه",
        "ى": "ي",
        "ی": "ي",
        "ې": "ي",
        "ئ": "ي",
        "ؤ": "و",
        "ک": "ك",
        "ے": "ي",
    }
)


def _fold_arabic(word: str) -> str:
    return _ARABIC_MARKS.sub("", word).translate(_ARABIC_FOLD)


def _load_first_names() -> tuple[dict[str, int], frozenset[str]]:
    cased: dict[str, int] = {}
    uncased: set[str] = set()
    path = Path(__file__).with_name("data") / "first_names.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        name, _, tag = line.partition("\t")
        key = name.lower()
        if key.upper() == key:  # Arabic script has no capitals: a name only after a cue
            uncased.add(key)
            uncased.add(_fold_arabic(key))
            continue
        # When two lists disagree (Jan the name, jan the month) the more cautious tag wins.
        cased[key] = max(cased.get(key, _ALWAYS), _TAGS[tag.strip()])
    return cased, frozenset(uncased)


def _load_common_words() -> frozenset[str]:
    path = Path(__file__).with_name("data") / "common_words.txt"
    return frozenset(
        line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")
    )


_FIRST_NAMES, _UNCASED_NAMES = _load_first_names()
_NAME_KEYS = frozenset(_FIRST_NAMES)
_COMMON_WORDS = _load_common_words()
_UNCASED_LETTER = re.compile(r"[\u0600-\u06ff]")  # Arabic script, also used for Urdu

_TOKEN = re.compile(r"\w+(?:['’ʼ-]\w+)*")


def _words(*lines: str) -> frozenset[str]:
    return frozenset(" ".join(lines).split())


# Words that are never someone's name however they are written: they stop a cue or a surname
# from swallowing the next word ("my son Loves it", "Callum Was great"), and let the common
# capitalised words that start sentences skip the name checks altogether.
_NOT_A_NAME = _words(
    "i a an the and or but so if is was are were be been has had have do did does not no yes",
    "it its it's he she they we you me my his her our their this that there here who what when",
    "where why how very really just also always never still now too loves loved likes liked",
    "enjoys enjoyed says said made came went goes comes got gets would can could should",
    "might age aged years months weeks today yesterday thanks thank please ok okay great good",
    "lovely brilliant amazing fab staff session sessions mum dad mummy daddy more less lots",
    "nothing everything everyone some all maybe loved love hi hello dear",
)

# Words right before someone's name.
_TITLE = _words("mr mrs ms mx miss dr")
_TITLE_KEYS = _words("mr mrs ms mx")  # after these even a word in small letters is a surname
_FAMILY_TITLE = _words("auntie aunty uncle nana granny gran papa grandad grandpa grandma")
_RELATION = _words(
    "son daughter boy girl child kid baby bairn wean toddler one yin man lass lassie laddie",
    "worker keyworker teacher brother sister twin grandson granddaughter grandchild nephew",
    "niece friend pal partner husband wife cousin stepson stepdaughter neighbour translator",
    "interpreter visitor volunteer leader practitioner youngest eldest oldest lady woman",
    "mum mam dad gran granny nana papa grandad",
)
_RELATION_ADJECTIVE = _words(
    "wee little baby big younger older youngest eldest oldest middle lovely new key support",
    "family health step",
)
_DETERMINER = _words("my our his her their the ma me")
_PERSON = _RELATION | _words("he she they one")
# Polish and Ukrainian (and the Russian many Ukrainian families speak) say whose child without
# "my", and inflect the word: "z synem Kubą", "з донькою Олею". These come straight before a name.
_SLAVIC_RELATION = _words(
    "syn syna synem synowi synu synek synka synkiem synkowi synuś synusia córka córki córką córkę",
    "córce córeczka córeczki córeczką córeczkę corka corki corka corke coreczka brat brata bratem",
    "braciszek siostra siostry siostrą siostrę siostrzyczka wnuk wnuka wnuczka wnuczki mąż męża",
    "mężem żona żony żoną partnerka pani panią dziecko",
    "син сина сином синові синок синочок синком донька доньки донькою доньку доньці дочка дочки",
    "дочкою дочку доня донею доню онук онука онучка брат брата братом сестра сестри сестрою",
    "сестричка чоловік чоловіка чоловіком дружина сын сына сыном дочь дочери дочерью пані пан",
)
# After these the next word is the name itself: "ma na imię Zosia", "його звати Андрій".
_SLAVIC_NAME_IS = _words(
    "imię imie imieniem звати звуть зовут звали ім'я ім’я імʼя имя",
)
_NAZYWA = _words("nazywa nazywam nazywają nazywała nazywał называется називається")
# The word before a name that is not on the list, when something may announce it.
_CUE_WORD = (
    _TITLE
    | _FAMILY_TITLE
    | _RELATION
    | _SLAVIC_RELATION
    | _SLAVIC_NAME_IS
    | _words("called named is was as name's name’s się sie")
)

# A word after a name that shows it is a place or an activity, not a person:
# "Victoria Road", "Baxter Park", "Morgan Academy", "Mark Making".
_PLACE_WORD = _words(
    "street st road rd avenue ave terrace crescent place drive lane gardens park square centre",
    "center hall academy high primary nursery school college university library church chapel",
    "hospital clinic court house hub community trust foundation project group club cafe café",
    "bay beach castle museum gallery theatre tower bridge ferry hill law way close grove green",
    "row walk view medical surgery health council team services service sessions session class",
    "classes time making play tv sports arts infirmary station",
)
# Phrases that read like names but are what families talk about.
_NOT_A_NAME_PHRASE = {
    "art": ("at", "the", "start"),
    "jack": ("in", "the", "box"),
    "mary": ("slessor",),
}
# Everyday words that, straight after a name, show it is a person who did something.
_PERSON_VERB = _words(
    "loved loves enjoyed enjoys liked likes said says played plays cried cries laughed laughs",
    "asked asks told tells learned learnt learns talked talks smiled smiles giggled giggles",
    "sang sings danced dances wants wanted painted paints waved hugged slept sleeps ate eats",
    "thinks knows knew adored adores misses missed fell helped helps",
)
# After a capitalised-only name ("Jack is 3") these do the same; "Art is his favourite" shows
# why everyday words need one of the verbs above instead.
# ("and" is not one of them: "Frank and honest" is a phrase, "Jack and his dad" a person, below.)
_AUXILIARY = _words("is was has had will can could would does did gets got")
_ADVERB = _words("really always just absolutely also now still never totally so has had")
_FAMILY_WORD = _words(
    "mum mam mammy mummy dad daddy gran granny nana papa grandad brother sister worker",
    "teacher class friend friends pal pals family birthday nursery school wee",
)
_MONTH_NAME = _words("jan january april may june july august")
_DATE_WORD = _words(
    "in since until till til from last next by of early late mid end before after during this",
    "every on",
)
_JOINING_WORD = _words("and n or to")


class _Answer:
    """The words of an answer that has something worth judging.

    Where each word starts is worked out only as far into the answer as a check needs.
    """

    __slots__ = ("text", "tokens", "keys", "bases", "_starts", "_found_up_to")

    def __init__(self, text: str, tokens: list[str], keys: list[str]):
        self.text = text
        self.tokens = tokens
        self.keys = keys
        # Each word lower-cased without a possessive 's, so "Callum's" is judged as "callum".
        if "'" in text or "’" in text:
            self.bases = [k[:-2] if k[-2:] in ("'s", "’s") and len(k) > 2 else k for k in keys]
        else:
            self.bases = keys
        self._starts: list[int] = []
        self._found_up_to = 0

    def start(self, i: int) -> int:
        starts = self._starts
        while len(starts) <= i:
            # Words come in order with only non-word characters between, so the next
            # occurrence of a word is the word itself.
            token = self.tokens[len(starts)]
            position = self.text.find(token, self._found_up_to)
            starts.append(position)
            self._found_up_to = position + len(token)
        return starts[i]

    def end(self, i: int) -> int:
        """End of word i without a possessive 's."""
        return self.start(i) + len(self.bases[i])

    def possessive(self, i: int) -> bool:
        return len(self.bases[i]) != len(self.keys[i])

    def key(self, i: int) -> str | None:
        """Word i lower-cased and without a possessive 's; None past either end."""
        return self.bases[i] if 0 <= i < len(self.bases) else None

    def gap(self, i: int) -> str:
        """What lies between word i-1 and word i."""
        return self.text[self.start(i - 1) + len(self.tokens[i - 1]) : self.start(i)]

    def starts_sentence(self, i: int) -> bool:
        j = self.start(i) - 1
        text = self.text
        while j >= 0 and text[j] in " \t\"'“‘(*-•":
            j -= 1
        return j < 0 or not (text[j].isalnum() or text[j] in ",&/")


def _name_spans(text: str) -> list[tuple[int, int, int, str]]:  # noqa: C901 # the evidence rules for a name, in the order they are weighed
    tokens = _TOKEN.findall(text)
    keys = [token.lower() for token in tokens]
    # Set operations find the few words worth judging without a Python step per word: listed
    # names, capitalised words (which differ from their lower case) and possessives.
    wanted = set(_NAME_KEYS.intersection(keys))
    capitalised = set(tokens).difference(keys)
    if capitalised:
        wanted.update(token.lower() for token in capitalised)
    if "'" in text or "’" in text:
        wanted.update(key for key in keys if key[-2:] in ("'s", "’s"))
    if _TITLE_KEYS.intersection(keys):
        wanted.update(keys[i + 1] for i, key in enumerate(keys[:-1]) if key in _TITLE_KEYS)
    wanted -= _NOT_A_NAME
    if "A." in text:
        wanted.add("a")  # "A. Petrenko": an initial, not the article
    if not wanted:
        return []
    candidates = []
    inflected: dict[int, int] = {}  # word -> the level of the listed name it inflects
    for i, key in enumerate(keys):
        if key not in wanted:
            continue
        if key in _NAME_KEYS or key[-1] == "s" or i and keys[i - 1] in _CUE_WORD or "-" in key:
            # Off the list, a word needs a cue before it to be a name ("my daughter Anouk"),
            # unless it may be a possessive ("Callum's", "Frasers") or a double name.
            candidates.append(i)
        elif len(key) == 1:
            candidates.append(i)  # an initial: "K. Ogilvie"
        else:
            level = _inflected_level(key)
            if level is not None:
                inflected[i] = level  # "z Kubą", "з Андрієм"
                candidates.append(i)
    if not candidates:
        return []
    answer = _Answer(text, tokens, keys)
    names: list[int] = []
    initials: set[int] = set()
    waiting: list[int] = []  # everyday words that a named neighbour would make names
    for i in candidates:
        if len(keys[i]) == 1 and keys[i] not in _NAME_KEYS:
            if _initial(answer, i):
                names.append(i)
                initials.add(i)
            continue
        level = inflected[i] if i in inflected else _FIRST_NAMES.get(answer.bases[i])
        verdict = _judge(answer, i, level)
        if verdict:
            names.append(i)
        elif verdict is None:
            waiting.append(i)
    if waiting and names:
        confirmed = set(names)
        names += [i for i in waiting if _next_to_a_name(answer, i, confirmed)]
    spans: list[tuple[int, int, int, str]] = []
    rank = _PRIORITY["name"]
    for i in sorted(names):
        start = answer.start(i - 1) if _cue(answer, i) == "title" else answer.start(i)
        end = answer.end(i + 1) if i in initials else _with_surname(answer, i)
        if spans and start <= spans[-1][2] + 1 and not text[spans[-1][2] : start].strip():
            start = spans.pop()[1]  # "Mary Jane", "Callum Smith": one name, one placeholder
        if spans and start < spans[-1][2]:
            start = spans.pop()[1]  # a surname already taken with the name before
        spans.append((rank, start, max(end, answer.end(i)), "name"))
    return spans


def _judge(answer: _Answer, i: int, level: int | None) -> bool | None:
    """True: a name. False: not a name. None: an everyday word a named neighbour would make a name."""
    token, key = answer.tokens[i], answer.key(i)
    assert key is not None  # i is one of the answer's words
    if token.upper() == token.lower():  # digits, or a script without capitals (_arabic_name_spans)
        return False
    if level is None and "-" in key:
        # "Isla-Rose", "Mary-Jane": double names whose halves are both on the list
        halves = [_FIRST_NAMES.get(half) for half in key.split("-")]
        if None not in halves:
            level = min(h for h in halves if h is not None)
    # An answer in capitals says nothing by its capitals: judge each word as if it began a sentence.
    shouting = len(token) > 1 and token.isupper()
    capital = token[0].isupper() and not shouting
    cue = _cue(answer, i)
    if cue == "title":
        # "Mrs Duncan", "mrs mcgregor"; "dr" and "miss" in small letters need a listed name.
        if capital or level is not None:
            return True
        return answer.key(i - 1) in _TITLE_KEYS and _could_be_surname(key)
    if level is None:
        # Not on the list: a strong cue or a relation makes a capitalised word a name
        # ("my daughter Anouk"); so does a possessive typed without its apostrophe.
        if capital and cue in ("strong", "relation"):
            return True
        return capital and _possessive_without_apostrophe(answer, i) and not _not_a_person(answer, i)
    if cue == "strong":
        return True
    if not capital and not shouting:
        if level == _ALWAYS:
            return True
        if level == _CONTEXT or not _may_start_a_name(answer, i):
            return False
        # "grace was a wee star", "will loved it", "hope n me": a person, in small letters.
        if _did_something(answer, i) or _described_as_a_person(answer, i) or _with_family(answer, i):
            return True
        if _with_surname(answer, i) > answer.end(i):
            return True  # "grace mcdonald"
        return None if _joined(answer, i) else False
    if cue is not None:
        return True
    if _not_a_person(answer, i):
        return False
    mid_sentence = not shouting and not answer.starts_sentence(i)
    if level == _ALWAYS or level == _CAPITALISED and mid_sentence:
        return True
    following = answer.key(i + 1)
    if level == _CAPITALISED and following in _AUXILIARY or _did_something(answer, i):
        return True
    if _described_as_a_person(answer, i) or _with_family(answer, i) or _with_surname(answer, i) > answer.end(i):
        return True  # "Hope is much more confident now", "Will and his gran came", "DAWN MCLEAN"
    if level == _WORD and mid_sentence:
        return True
    # A capital that only starts a sentence proves nothing ("Rose petals", "Will do").
    return None


def _cue(answer: _Answer, i: int) -> str | None:
    """What the words before word i say about it: 'title', 'family', 'strong', 'relation', 'is' or None."""
    if i == 0:
        return None
    gap = answer.gap(i)
    before = answer.key(i - 1)
    if before in _TITLE and gap in (" ", ". "):
        if before == "dr" and i >= 2 and answer.tokens[i - 2][0].isupper():
            return None  # "Whitfield Dr Dundee": Drive, not Doctor
        if before == "miss" and not (answer.tokens[i - 1][0].isupper() and answer.tokens[i][0].isupper()):
            return None  # "I miss callum": the verb, not the title
        return "title"
    if any(c in ".!?;:\n()" for c in gap):
        return None
    if before in _FAMILY_TITLE:
        return "family"
    if before in ("called", "named"):
        # "my daughter is called Zofia", "a lady called Joy"; "a group called Bookbug" is not a person
        if any(answer.key(j) in _PERSON for j in range(max(0, i - 5), i - 1)):
            return "strong"
        return "called"
    if before in ("is", "was") and i >= 2:
        if answer.key(i - 2) == "name":
            return "strong"  # "her name is Zofia"
        if answer.key(i - 2) in _RELATION and _has_determiner(answer, i - 2):
            return "is"  # "my son is Will"
    if before == "name" and answer.possessive(i - 1):
        return "strong"  # "name's Zofia"
    if before == "as" and answer.key(i - 2) == "known":
        return "strong"
    if before in _RELATION and _has_determiner(answer, i - 1):
        return "relation"  # "my wee boy Ruaridh", "Our key worker Dawn", "My youngest, Maryam"
    if before in _SLAVIC_RELATION:
        return "relation"  # "córka Zosia", "з донькою Олею"
    if before in _SLAVIC_NAME_IS:
        return "strong"  # "ma na imię Zosia", "її звати Оля"
    if before in ("się", "sie") and answer.key(i - 2) in _NAZYWA:
        return "strong"  # "nazywa się Kuba"
    return None


def _has_determiner(answer: _Answer, i: int) -> bool:
    """'my wee boy', 'our key worker': a relation word owned by someone."""
    j = i - 1
    while j >= 0 and i - j <= 4:
        key = answer.key(j)
        if key in _DETERMINER:
            return True
        if key not in _RELATION_ADJECTIVE:
            return False
        j -= 1
    return False


def _possessive_without_apostrophe(answer: _Answer, i: int) -> bool:
    """'Frasers gran': the name is on the list once its s goes, and family follows."""
    key = answer.key(i)
    assert key is not None  # i is one of the answer's words
    return (
        key[-1:] == "s" and _FIRST_NAMES.get(key[:-1], _CONTEXT) <= _CAPITALISED and answer.key(i + 1) in _FAMILY_WORD
    )


def _not_a_person(answer: _Answer, i: int) -> bool:
    """'Victoria Road', 'St Mary's', 'in May', 'Art at the Start': a place, a month or a programme."""
    key = answer.key(i)
    assert key is not None  # i is one of the answer's words
    following = answer.key(i + 1)
    if following in _PLACE_WORD and not any(c in ",.;:!?" for c in answer.gap(i + 1)):
        return True
    if i > 0 and answer.key(i - 1) in ("st", "saint") and answer.tokens[i - 1][0].isupper():
        return True
    phrase = _NOT_A_NAME_PHRASE.get(key)
    if phrase and tuple(answer.key(i + 1 + n) for n in range(len(phrase))) == phrase:
        return True
    if key in _MONTH_NAME:
        before, after = _neighbour(answer, i, -1), _neighbour(answer, i, +1)
        return before in _DATE_WORD or before in _MONTH_NAME or after in _MONTH_NAME
    return False


def _neighbour(answer: _Answer, i: int, step: int) -> str | None:
    j = i + step
    while answer.key(j) in _JOINING_WORD:
        j += step
    return answer.key(j)


def _did_something(answer: _Answer, i: int) -> bool:
    """'Will loved it', 'Grace really enjoyed it', 'Grace's mum': a person, not a word."""
    following = answer.key(i + 1)
    if answer.possessive(i) and following in _FAMILY_WORD:
        return True
    if following in _ADVERB:
        following = answer.key(i + 2)
    return following in _PERSON_VERB


def _next_to_a_name(answer: _Answer, i: int, confirmed: set[int]) -> bool:
    """'Callum and Grace', 'Isla, Grace and Jack': an everyday word in a list of names."""
    for step in (-1, 1):
        j = i + step
        while answer.key(j) in _JOINING_WORD:
            j += step
        if j in confirmed and abs(j - i) <= 2:
            low, high = sorted((i, j))
            between = answer.text[answer.end(low) : answer.start(high)]
            if not any(c in ".!?;:\n" for c in between):
                return True
    return False


def _with_surname(answer: _Answer, i: int) -> int:
    """'Callum Robertson', 'Kirsty B', 'CALLUM SMITH', 'kayleigh robertson': the surname after a first name.

    Written like the first name (a capital after a capital, capitals after capitals, small
    letters after small letters), a word straight after it is a surname unless it is an
    everyday word ("CALLUM LOVED IT", "jayden had fun").
    """
    end = answer.end(i)
    if answer.possessive(i) or i + 1 >= len(answer.tokens):
        return end
    token, following = answer.tokens[i], answer.tokens[i + 1]
    key = answer.key(i + 1)
    assert key is not None  # i + 1 is one of the answer's words (checked above)
    if answer.gap(i + 1) != " " or key in _NOT_A_NAME or key in _PLACE_WORD:
        return end
    if following.isupper() and len(following) > 1:
        shouted = token.isupper() and len(token) > 1
        return answer.end(i + 1) if shouted and _could_be_surname(key) else end
    if following[0].isupper():
        return answer.end(i + 1)
    if token.islower() and _could_be_surname(key):
        return answer.end(i + 1)
    return end


def _could_be_surname(key: str) -> bool:
    """A word that is no everyday word, so after a name or a title it names someone: 'mcgregor'."""
    return (
        len(key) > 1
        and key.replace("'", "").replace("’", "").replace("-", "").isalpha()
        and key not in _COMMON_WORDS
        and key not in _NOT_A_NAME
        and _FIRST_NAMES.get(key, _ALWAYS) <= _CAPITALISED
    )


def _initial(answer: _Answer, i: int) -> bool:
    """'K. Ogilvie', 'J Smith', 'Mrs K Ogilvie': an initial and the surname after it."""
    token = answer.tokens[i]
    if not token.isupper() or i + 1 >= len(answer.tokens):
        return False
    gap = answer.gap(i + 1)
    if gap not in (" ", ". ", "."):
        return False
    if token in ("I", "A") and gap == " ":
        return False  # "I Love it", "A Lovely day"
    following = answer.tokens[i + 1]
    if not following[0].isupper():
        return False
    key = answer.key(i + 1)
    assert key is not None  # i + 1 is one of the answer's words (checked above)
    return key not in _PLACE_WORD and _could_be_surname(key)


# Words that, after an everyday word, show it is not a name: "the will", "my hope", "to be frank".
_NOT_BEFORE_A_NAME = _words(
    "the a an my your his her our their its this that these those some any no of to be i we you",
    "they he she it will would can could should may might must shall do does did not is was are",
    "were been being such what so very pure real great little big for by in on at from with into",
    "good true full love loves loved like likes liked enjoy enjoyed hate",
)
# What a person is: "grace was a wee star", "Hope is much more confident now", "Bonnie is 18 months".
_PERSON_PREDICATE = _words(
    "star superstar shy happy happier confident proud scared nervous excited delighted chuffed",
    "buzzing quiet quieter tired upset sad grumpy brave clever kind gentle poorly ill unwell asleep",
    "angel gem legend darling sweetheart cheeky chatty sociable settled calmer calm autistic",
    "loving enjoying learning talking asking singing dancing counting reading crawling walking",
    "toddling teething",
)
_PREDICATE_FILLER = _words(
    "so really very much more a an wee bit little total real absolute such proper pure dead well",
    "super quite too the always now getting becoming just absolutely totally lot way far",
)
_AGE_WORD = _words("months month mnths mths years year yrs yr weeks now and next in on this")
_WITH_WORD = _words("and n with wi")
_OWNER = _words("his her their ma my")


def _described_as_a_person(answer: _Answer, i: int) -> bool:
    """'grace was a wee star', 'Bonnie is 18 months': what the sentence says of it fits a person."""
    if _FIRST_NAMES.get(answer.bases[i]) == _CONTEXT or answer.key(i + 1) not in ("is", "was"):
        return False
    j = i + 2
    while answer.key(j) in _PREDICATE_FILLER and j - i < 7:
        j += 1
    word = answer.key(j)
    if word is None:
        return False
    if word in _PERSON_PREDICATE:
        return True
    return word.isdigit() and answer.key(j + 1) in _AGE_WORD


def _with_family(answer: _Answer, i: int) -> bool:
    """'Will and his gran', 'hope n me': an everyday word beside someone's family, or beside me."""
    if _FIRST_NAMES.get(answer.bases[i]) == _CONTEXT or answer.key(i + 1) not in _WITH_WORD:
        return False
    after = answer.key(i + 2)
    if after in _OWNER:
        return answer.key(i + 3) in _FAMILY_WORD or answer.key(i + 3) in _RELATION or answer.key(i + 3) == "team"
    return after in ("me", "i") and answer.key(i + 1) in ("and", "n")


def _may_start_a_name(answer: _Answer, i: int) -> bool:
    """In small letters an everyday word is a name only where a name can stand: not 'the will'."""
    return i == 0 or answer.key(i - 1) not in _NOT_BEFORE_A_NAME or answer.starts_sentence(i)


def _joined(answer: _Answer, i: int) -> bool:
    return answer.key(i - 1) in ("and", "n") or answer.key(i + 1) in ("and", "n")


# Polish and Ukrainian names change their endings: "z Kubą", "dla Zosi", "з Андрієм", "з Олею".
# Each pair is an ending and the ending(s) the name on the list may have instead; a word counts
# when taking one off and putting the other on gives a listed name, and it is no English word.
_INFLECTIONS = (
    # Polish feminine and -a names: Zosi Zosią Zosię Zosiu, Kuby Kubie Kubą Kubę, Agnieszce, Oldze
    ("ą", "a"),
    ("ę", "a"),
    ("y", "a"),
    ("i", "a"),
    ("i", "ia"),
    ("ii", "ia"),
    ("o", "a"),
    ("u", "a"),
    ("ie", "a"),
    ("ce", "ka"),
    ("dze", "ga"),
    ("rze", "ra"),
    # Polish masculine: Jana Janowi Janem Janie, Piotrze, Jasia Jasiem; Tomka Kacpra Pawła below
    ("a", ""),
    ("owi", ""),
    ("em", ""),
    ("iem", ""),
    ("ie", ""),
    ("u", ""),
    ("rze", "r"),
    ("sia", "ś"),
    ("siem", "ś"),
    ("siowi", "ś"),
    ("siu", "ś"),
    # Ukrainian and Russian: Олени Олені Олену Оленою, Олі Олю Олею, Марії Марією, Андрія Андрієм,
    # Тараса Тарасом Тарасові, Дмитра Дмитром, Ігоря Ігорем, Саши Сашей
    ("і", "а"),
    ("и", "а"),
    ("у", "а"),
    ("ою", "а"),
    ("о", "а"),
    ("ой", "а"),
    ("ей", "а"),
    ("і", "я"),
    ("ю", "я"),
    ("ею", "я"),
    ("е", "я"),
    ("ї", "я"),
    ("єю", "я"),
    ("ей", "я"),
    ("я", "й"),
    ("ю", "й"),
    ("єм", "й"),
    ("ем", "й"),
    ("єві", "й"),
    ("еві", "й"),
    ("а", ""),
    ("у", ""),
    ("ом", ""),
    ("ові", ""),
    ("е", ""),
    ("а", "о"),
    ("у", "о"),
    ("ом", "о"),
    ("ові", "о"),
    ("я", "ь"),
    ("ем", "ь"),
    ("ю", "ь"),
)
_FLEETING_E = re.compile(r"(?<=[^aeiouyąęó])([kcrłlnw])$")  # Tomk -> Tomek, Kacpr -> Kacper


@functools.lru_cache(maxsize=4096)
def _inflected_level(key: str) -> int | None:
    """The level of the listed name ``key`` inflects ('kubą' -> 'kuba'), if it is one and no English word."""
    if len(key) < 3 or key in _COMMON_WORDS:
        return None
    best = None
    for ending, replacement in _INFLECTIONS:
        if not key.endswith(ending) or len(key) - len(ending) < 2:
            continue
        stem = key[: len(key) - len(ending)]
        bases = [stem + replacement]
        if not replacement:
            if stem.endswith("ćk"):
                bases.append(stem[:-2] + "ciek")  # Maćka -> Maciek
            else:
                bases.append(_FLEETING_E.sub(r"e\1", stem))
        for base in bases:
            level = _FIRST_NAMES.get(base)
            if level is not None and level <= _CAPITALISED and (best is None or level < best):
                best = level
    return best


# --- names in Arabic script (Arabic and Urdu) ---------------------------------------------------

_ARABIC_TOKEN = re.compile("[\u0620-\u065f\u066e-\u06d3\u06d5-\u06ef\u06fa-\u06ff]+")
_ARABIC_BREAK = re.compile(r"[.!?؟۔\n\[\]\w]")  # a sentence end, or a word or placeholder between
# Words (folded) that come before a name: son, daughter, child and family ("ابني", "میری بیٹی",
# "ولدي"), which need a listed name after them, and "name" ("اسمها", "اس کا نام"), after which
# the next word is the name whether listed or not.
_ARABIC_RELATION = frozenset(
    _fold_arabic(word)
    for word in (
        "ابني ابنتي بنتي ولدي طفلي طفلتي ابنى أخي أختي أخو أخت حفيدي حفيدتي زوجي زوجتي صديقي صديقتي ابن بنت"
        " أبو ابو أم بیٹا بیٹی بیٹے بچہ بچی بچے بھائی بہن بیٹیاں نواسہ نواسی پوتا پوتی"
    ).split()
)
_ARABIC_NAME_IS = frozenset(_fold_arabic(word) for word in "اسمه اسمها اسمي اسم اسمو يدعى تدعى يسمى تسمى".split())
# Urdu "نام" (name) is Arabic "نام" (slept), so it counts only after "کا", "میرا" and the like.
_URDU_NAME = _fold_arabic("نام")
_URDU_OWNER = frozenset(_fold_arabic(word) for word in "کا کی کے میرا میری میرے ہمارا ہماری ان اس".split())
# Words between the cue and the name ("اسمها هي ...", "کا نام ہے ...") and words that are not a
# name after it: "ابني سعيد جدا" is "my son is very happy", not a boy called Saeed.
_ARABIC_BETWEEN = frozenset(_fold_arabic(word) for word in "هو هي ہے کا کی کے".split())
_ARABIC_INTENSIFIER = frozenset(_fold_arabic(word) for word in "جدا جداً كثيرا كتير للغاية".split())
_ARABIC_NOT_A_NAME = frozenset(_fold_arabic(word) for word in "بھی تو کیا نہیں لا ما في من على".split())


def _arabic_cue(word: str, before: str | None = None) -> str | None:
    if word == _URDU_NAME:
        return "name" if before in _URDU_OWNER else None
    for candidate in (word, word[1:] if word[:1] == "و" and len(word) > 3 else None):
        if candidate in _ARABIC_NAME_IS:
            return "name"
        if candidate in _ARABIC_RELATION:
            return "relation"
    return None


def _arabic_name_spans(text: str) -> list[tuple[int, int, int, str]]:
    """'ابنتي فاطمة', 'اسمه يوسف', 'میری بیٹی عائشہ', 'اس کا نام علی ہے': a name after its cue."""
    words = [(m.start(), m.end(), _fold_arabic(m.group())) for m in _ARABIC_TOKEN.finditer(text)]
    spans: list[tuple[int, int, int, str]] = []
    rank = _PRIORITY["name"]

    def joined(a: int, b: int) -> bool:
        return not _ARABIC_BREAK.search(text, words[a][1], words[b][0])

    n = 0
    while n < len(words) - 1:
        cue = _arabic_cue(words[n][2], words[n - 1][2] if n and joined(n - 1, n) else None)
        m = n + 1
        while cue and m < len(words) - 1 and words[m][2] in _ARABIC_BETWEEN and m - n < 3:
            m += 1
        if not cue or not joined(n, m) or _arabic_cue(words[m][2], words[m - 1][2]):
            n += 1
            continue
        name = words[m][2]
        listed = name in _UNCASED_NAMES
        following = words[m + 1][2] if m + 1 < len(words) and joined(m, m + 1) else None
        if cue == "relation" and (not listed or following in _ARABIC_INTENSIFIER):
            n += 1
            continue
        if cue == "name" and not listed and (len(name) < 2 or name in _ARABIC_NOT_A_NAME):
            n += 1
            continue
        last = m
        while last + 1 < len(words) and joined(last, last + 1):
            nxt = words[last + 1][2]
            if (
                words[last][2] in ("عبد", "ابو", "ام")
                or nxt in _UNCASED_NAMES
                or (nxt[:1] == "و" and nxt[1:] in _UNCASED_NAMES)
            ):
                last += 1  # "عبد الرحمن", "محمد علي", "أحمد ومريم"
            else:
                break
        spans.append((rank, words[m][0], words[last][1], "name"))
        n = last + 1
    return spans


# --- names the lead adds for an initiative ------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _stop_name_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for an initiative's stop names, longest first so 'St Mary's Primary' beats 'St Mary's'.

    Matched case-insensitively, except a single everyday word ("Hope", "Will") which needs its
    capital, or the lead's "Hope" would redact "I hope so".
    """
    loose: list[str] = []
    exact: list[str] = []
    for name in sorted({" ".join(n.split()) for n in names if n and n.strip()}, key=len, reverse=True):
        pattern = _flexible(name)
        if " " not in name and _FIRST_NAMES.get(name.lower(), _ALWAYS) >= _CAPITALISED:
            exact.append(pattern)
        else:
            loose.append(pattern)
    alternatives = [f"(?i:{p})" for p in loose] + exact
    if not alternatives:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


def _flexible(name: str) -> str:
    """'St Mary's Primary' also matches 'St. Marys  Primary' and 'Saint Mary’s Primary'."""
    parts = []
    for i, word in enumerate(name.split(" ")):
        if i == 0 and word.lower().rstrip(".") in ("st", "saint"):
            parts.append(r"(?:[Ss][Tt]\.?|[Ss]aint)")
            continue
        parts.append("".join(r"['’]?" if c in "'’" else re.escape(c) for c in word))
    return r"\s+".join(parts)
