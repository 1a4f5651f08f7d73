"""Redaction of free-text answers: identifiers become placeholders before anything is stored.

Every free-text answer passes through :func:`redact` on arrival and only the redacted text is
kept, so a parent who writes "text me on 07712 345678" or "my son Callum loved it" leaves
"text me on [phone]" and "my son [name] loved it" behind. Seven kinds are found: ``[name]``,
``[phone]``, ``[email]``, ``[postcode]``, ``[address]``, ``[date]`` and ``[link]``.

Names are the hard part. They come from a shipped open list (``data/first_names.txt``, whose
README gives its sources) plus the names a lead adds for an initiative (staff, schools:
``stop_names``). Many first names are also everyday words (will, hope, grace, joy, may,
bonnie), so the list tags those, and they are redacted only when the sentence gives evidence:
a cue ("my son", "called", "Mrs"), a capital in mid-sentence, a possessive before a family word
("Grace's mum"), a named neighbour ("Callum and Grace") or a verb people do ("Will loved it").
A capital that only starts a sentence is not evidence.

This runs on every answer, so patterns are compiled once at import, a lead's stop names once
per distinct tuple, and an answer pays only for the patterns its characters could match: no
digit, no phone, postcode, date or address search; no ``@``, no email search.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Identifier", "KINDS", "Redaction", "Replacement", "find_identifiers", "redact"]

KINDS = ("name", "phone", "email", "postcode", "address", "date", "link")


@dataclass(frozen=True)
class Replacement:
    """Where a placeholder sits in the redacted text, and what kind of identifier it hides."""

    kind: str  # "name", "phone", "email", "postcode", "address", "date", "link"
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
    if "@" in text:
        spans += _spans(_EMAIL, text, "email")
        spans += _handle_spans(text)
    if "://" in text or "www." in text or _DOT_LETTER.search(text):
        spans += _link_spans(text)
    if _DIGIT.search(text):
        if _PHONE_HINT.search(text):
            spans += _phone_spans(text)
        if _POSTCODE_HINT.search(text):
            spans += _spans(_POSTCODE, text, "postcode")
        spans += _date_spans(text)
        if _ADDRESS_HINT.search(text):
            spans += _spans(_ADDRESS, text, "address")
    names = stop_names if isinstance(stop_names, tuple) else tuple(stop_names)
    if names:
        pattern = _stop_name_pattern(names)
        if pattern is not None:
            spans += _spans(pattern, text, "name", priority=_PRIORITY["stop"])
    spans += _name_spans(text)
    return _without_overlaps(spans) if spans else ()


# --- placeholders and precedence --------------------------------------------------------------

_PLACEHOLDER = {kind: f"[{kind}]" for kind in KINDS}

# When two findings overlap the more specific wins: an email holds a domain, an address holds
# a first name ("12 Albert Street"), a lead's stop name holds a listed name ("St Mary's").
_PRIORITY = {
    "email": 0,
    "link": 1,
    "phone": 2,
    "postcode": 3,
    "date": 4,
    "address": 5,
    "stop": 6,
    "name": 7,
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
_POSTCODE_HINT = re.compile(r"\d[A-Za-z]{2}(?![A-Za-z])")
_ADDRESS_HINT = re.compile(r"\d[A-Za-z]?,? +[A-Za-z]")
_NUMERIC_DATE_HINT = re.compile(r"\d[/.-]\d")
_MONTH_HINT = re.compile(r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)")

# --- emails and links -------------------------------------------------------------------------

# People type "jo @ gmail.com" on phones, so spaces round the @ are allowed, but only on both
# sides: "insta @wee.artist" is a handle.
_EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]+(?:@| @ )[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")

# Bare domains need a top-level domain people actually use here; "me" and "be" are words,
# so they count only with a path (wa.me/447..., youtu.be/...).
_TLDS = (
    "com|net|org|uk|scot|io|ly|gl|tv|app|info|ie|eu|pl|ua|pk|gov|edu|shop|online|site|"
    "page|link|art|blog|store|co"
)
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


# --- phone numbers ----------------------------------------------------------------------------

# UK numbers: 0 then 9 or 10 digits, or +44/0044 (with an optional "(0)") then the same
# without the 0, grouped by spaces, dashes or brackets. Dots are left out on purpose:
# "09.30-10.30 11.00" is a timetable, not a phone number.
_UK_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00) ?44 ?(?:\(0\) ?)?[1-37-9]|\(?0[1-37-9])(?:[ \-()]{0,3}\d){8,9}(?!\d)"
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


# --- postcodes --------------------------------------------------------------------------------

# The letters Royal Mail never uses in the inward code (C I K M O V) keep ordinary words out;
# case and the space are optional because "dd14hn" is how many people type it.
_POSTCODE = re.compile(r"\b[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?[ \t-]?\d[ABD-HJLNP-UW-Z]{2}\b", re.IGNORECASE)

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
_ADDRESS = re.compile(
    r"(?<![\w/.,£$€])"
    r"(?:(?:(?:flat|apartment|apt|unit)\s*\d+[a-z]?(?:/\d+)?|\d+/\d+)\s*,?\s*)?"  # flat 3/2, 3/1
    r"\d{1,4}[a-z]?,?\s+"
    rf"(?:(?:(?!(?:{_NOT_STREET_WORD})\b)[a-z][a-z'’-]*\s+){{1,3}}(?:{_STREET_TYPE})\b\.?"
    rf"|(?:{_BARE_STREET})\b)",
    re.IGNORECASE,
)

# --- first names ------------------------------------------------------------------------------

# How sure a listed name is a name (see data/first_names.txt for the tags).
_ALWAYS, _CAPITALISED, _WORD, _CONTEXT = 0, 1, 2, 3
_TAGS = {"": _ALWAYS, "capitalised": _CAPITALISED, "word": _WORD, "context": _CONTEXT}


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
            continue
        # When two lists disagree (Jan the name, jan the month) the more cautious tag wins.
        cased[key] = max(cased.get(key, _ALWAYS), _TAGS[tag.strip()])
    return cased, frozenset(uncased)


_FIRST_NAMES, _UNCASED_NAMES = _load_first_names()
_NAME_KEYS = frozenset(_FIRST_NAMES)
_UNCASED_LETTER = re.compile(r"[\u0600-\u06ff]")  # Arabic script, also used for Urdu

_TOKEN = re.compile(r"\w+(?:['’-]\w+)*")
_ARABIC_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")


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
_ARABIC_RELATION = _words("ابني ابنتي بنتي طفلي طفلتي")
_ARABIC_NAME_IS = _words("اسمه اسمها اسمي نام")
# The word before a name that is not on the list, when something may announce it.
_CUE_WORD = (
    _TITLE
    | _FAMILY_TITLE
    | _RELATION
    | _ARABIC_RELATION
    | _ARABIC_NAME_IS
    | _words("called named is was as name's name’s")
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
    "thinks knows knew adored adores misses missed fell",
)
# After a capitalised-only name ("Jack is 3") these do the same; "Art is his favourite" shows
# why everyday words need one of the verbs above instead.
_AUXILIARY = _words("is was has had and will can could would does did gets got")
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


def _name_spans(text: str) -> list[tuple[int, int, int, str]]:
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
    if _UNCASED_NAMES and _UNCASED_LETTER.search(text):
        wanted.update(keys)
    wanted -= _NOT_A_NAME
    if not wanted:
        return []
    candidates = []
    for i, key in enumerate(keys):
        if key in wanted and (
            key in _NAME_KEYS or key[-1] == "s" or i and keys[i - 1] in _CUE_WORD or "-" in key
        ):
            # Off the list, a word needs a cue before it to be a name ("my daughter Anouk"),
            # unless it may be a possessive ("Callum's", "Frasers") or a double name.
            candidates.append(i)
    if not candidates:
        return []
    answer = _Answer(text, tokens, keys)
    names: list[int] = []
    waiting: list[int] = []  # everyday words that a named neighbour would make names
    for i in candidates:
        verdict = _judge(answer, i, _FIRST_NAMES.get(answer.bases[i]))
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
        end = _with_surname(answer, i)
        if spans and start <= spans[-1][2] + 1 and not text[spans[-1][2] : start].strip():
            start = spans.pop()[1]  # "Mary Jane", "Callum Smith": one name, one placeholder
        spans.append((rank, start, end, "name"))
    return spans


def _judge(answer: _Answer, i: int, level: int | None) -> bool | None:
    """True: a name. False: not a name. None: an everyday word a named neighbour would make a name."""
    token, key = answer.tokens[i], answer.key(i)
    if token.upper() == token.lower():  # a script without capitals: only a cue makes a name
        return _cue(answer, i) is not None and _ARABIC_MARKS.sub("", key) in _UNCASED_NAMES
    if level is None and "-" in key:
        # "Isla-Rose", "Mary-Jane": double names whose halves are both on the list
        halves = [_FIRST_NAMES.get(half) for half in key.split("-")]
        if None not in halves:
            level = min(halves)
    # An answer in capitals says nothing by its capitals: judge each word as if it began a sentence.
    shouting = len(token) > 1 and token.isupper()
    capital = token[0].isupper() and not shouting
    cue = _cue(answer, i)
    if cue == "title":
        return capital or level is not None
    if level is None:
        # Not on the list: a strong cue or a relation makes a capitalised word a name
        # ("my daughter Anouk"); so does a possessive typed without its apostrophe.
        if capital and cue in ("strong", "relation"):
            return True
        return capital and _possessive_without_apostrophe(answer, i) and not _not_a_person(answer, i)
    if cue == "strong":
        return True
    if not capital and not shouting:
        return level == _ALWAYS
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
    if before in _ARABIC_RELATION:
        return "relation"
    if before in _ARABIC_NAME_IS:
        return "strong"
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
    return (
        key[-1:] == "s"
        and _FIRST_NAMES.get(key[:-1], _CONTEXT) <= _CAPITALISED
        and answer.key(i + 1) in _FAMILY_WORD
    )


def _not_a_person(answer: _Answer, i: int) -> bool:
    """'Victoria Road', 'St Mary's', 'in May', 'Art at the Start': a place, a month or a programme."""
    key = answer.key(i)
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
    """'Callum Robertson', 'Kirsty B': a capitalised word straight after a first name is a surname."""
    end = answer.end(i)
    if answer.possessive(i) or i + 1 >= len(answer.tokens):
        return end
    following = answer.tokens[i + 1]
    key = answer.key(i + 1)
    if answer.gap(i + 1) != " " or not following[0].isupper() or key in _NOT_A_NAME:
        return end
    if key in _PLACE_WORD or (following.isupper() and len(following) > 1):
        return end
    return answer.end(i + 1)


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
