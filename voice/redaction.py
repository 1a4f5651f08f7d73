"""Redaction of free-text answers: identifiers become placeholders before anything is stored.

Every free-text answer passes through :func:`redact` on arrival and only the redacted text is
kept, so a parent who writes "text me on 07712 345678" or "my son Callum loved it" leaves
"text me on [phone]" and "my son [name] loved it" behind. Seven kinds are found: ``[name]``,
``[phone]``, ``[email]``, ``[postcode]``, ``[address]``, ``[date]`` and ``[link]``.

Names are the hard part. They come from a shipped open list (``data/first_names.txt``, see its
README) plus the names a lead adds for an initiative (staff, schools: ``stop_names``). Many
first names are also everyday words (will, hope, grace, joy, may, bonnie), so the list tags
those and they are only redacted when the sentence gives evidence: a cue ("my son", "called",
"Mrs"), a capital in mid-sentence, a possessive before a family word, a named neighbour
("Callum and Grace") or a verb people do ("Will loved it"). A capital at the start of a
sentence is not evidence by itself.

This runs on every answer, so patterns are compiled once at import and per-initiative stop
names once per distinct tuple; answers without a digit, an ``@`` or a dot skip the patterns
that need one.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

__all__ = ["Identifier", "Redaction", "Replacement", "find_identifiers", "redact"]

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
    if "@" in text:
        spans += _spans(_EMAIL, text, "email")
    if "://" in text or "www" in text or _DOTTED.search(text):
        spans += _link_spans(text)
    if _DIGIT.search(text):
        spans += _phone_spans(text)
        spans += _spans(_POSTCODE, text, "postcode")
        spans += _date_spans(text)
        spans += _address_spans(text)
    if "@" in text:
        spans += _handle_spans(text)
    names = stop_names if isinstance(stop_names, tuple) else tuple(stop_names)
    if names:
        pattern = _stop_name_pattern(names)
        if pattern is not None:
            spans += [(_PRIORITY["stop"], m.start(), m.end(), "name") for m in pattern.finditer(text)]
    spans += _name_spans(text)
    return _without_overlaps(spans)


# --- placeholders and precedence --------------------------------------------------------------

_PLACEHOLDER = {kind: f"[{kind}]" for kind in KINDS}

# When two findings overlap the more specific wins: an email holds a domain, an address
# holds a first name ("12 Albert Street"), a stop name holds a listed name ("St Mary's").
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
    for span in sorted(spans):
        _, start, end, _ = span
        if all(end <= s or e <= start for _, s, e, _ in kept):
            kept.append(span)
    kept.sort(key=lambda span: span[1])
    return tuple(Identifier(kind, start, end) for _, start, end, kind in kept)


def _spans(pattern: re.Pattern[str], text: str, kind: str) -> list[tuple[int, int, int, str]]:
    return [(_PRIORITY[kind], m.start(), m.end(), kind) for m in pattern.finditer(text)]


_DIGIT = re.compile(r"\d")
_DOTTED = re.compile(r"[^\W_]\.[^\W\d_]")

# --- emails and links -------------------------------------------------------------------------

# People type "jo @ gmail.com" on phones, so a space either side of the @ is allowed.
_EMAIL = re.compile(r"[\w.%+-]+ ?@ ?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")

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
# handle counts only with a digit, underscore or dot in it, or after the platform's name.
_HANDLE = re.compile(
    r"(?:(?<=insta )|(?<=instagram )|(?<=tiktok )|(?<=twitter )|(?<=snapchat )|(?<=snap ))"
    r"@[A-Za-z][\w.]*\w"
    r"|(?<![\w@.])@(?=[\w.]*[\d_.])[A-Za-z0-9_][\w.]*\w",
    re.IGNORECASE,
)


def _handle_spans(text: str) -> list[tuple[int, int, int, str]]:
    return _spans(_HANDLE, text, "link")


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
    for m in _INTERNATIONAL_PHONE.finditer(text):
        if 8 <= sum(c.isdigit() for c in m.group()) <= 15:
            spans.append((_PRIORITY["phone"], m.start(), m.end(), "phone"))
    return spans


# --- postcodes --------------------------------------------------------------------------------

# The letters Royal Mail never uses in the inward code (C I K M O V) keep ordinary words out;
# case and the space are optional because "dd14hn" is how many people type it.
_POSTCODE = re.compile(
    r"\b[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?[ \t-]?\d[ABD-HJLNP-UW-Z]{2}\b", re.IGNORECASE
)

# --- dates ------------------------------------------------------------------------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?:3[01]|[12]\d|0?[1-9])"
_ORDINAL = r"(?:st|nd|rd|th)"
_YEAR = r"(?:19|20)\d{2}"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?,?\s+(?:the\s+)?)"
_DATE = re.compile(
    # 12/03/2019, 04.05.21, 9-1-2021 (either day or month first)
    rf"\b\d{{1,2}}([/.-])\d{{1,2}}\1(?:{_YEAR}|\d{{2}})\b"
    # 2019-08-15
    rf"|\b{_YEAR}-[01]\d-[0-3]\d\b"
    # Tuesday 3rd October, 4 May, 14th of February 2020
    rf"|\b{_WEEKDAY}?{_DAY}{_ORDINAL}?(?:\s+of)?\s+{_MONTH}(?![^\W\d_])(?:,?\s+{_YEAR}\b)?"
    # March 9th, March 9, 2019
    rf"|\b{_MONTH}\s+{_DAY}(?:{_ORDINAL}\b(?:,?\s+{_YEAR}\b)?|,?\s+{_YEAR}\b)"
    # born 2019, born in March 2019, DOB 2019, birthday is the 14th
    rf"|(?<=born )(?:(?:in|on)\s+)?(?:{_MONTH}\s+)?{_YEAR}\b"
    rf"|(?<=dob )(?:{_MONTH}\s+)?{_YEAR}\b"
    rf"|(?<=birthday is the ){_DAY}{_ORDINAL}\b"
    rf"|(?<=birthday's the ){_DAY}{_ORDINAL}\b",
    re.IGNORECASE,
)


def _date_spans(text: str) -> list[tuple[int, int, int, str]]:
    spans = []
    for m in _DATE.finditer(text):
        if m.group(1) and not _plausible_numeric_date(m.group()):
            continue
        spans.append((_PRIORITY["date"], m.start(), m.end(), "date"))
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
# row") and so cannot be the name of a street.
_NOT_STREET_WORD = (
    r"the|a|an|and|or|but|to|of|in|on|at|by|for|from|with|up|down|along|round|around|near|past"
    r"|into|onto|out|over|under|off|is|was|are|were|am|pm|yr|yrs|years?|months?|weeks?|days?"
    r"|hours?|hrs?|mins?|minutes?|miles?|kids?|children|child|people|times?|wee|big|little"
    r"|more|other|different|each|every|per|one|stars?|bus|buses|pounds?|quid|sessions?|of|we|i|you|my|our|his|her"
)
_ADDRESS = re.compile(
    r"(?<![\w/.,£$€])"
    r"(?:(?:(?:flat|apartment|apt|unit)\s*\d+[a-z]?(?:/\d+)?|\d+/\d+)\s*,?\s*)?"  # flat 3/2, 3/1
    r"\d{1,4}[a-z]?,?\s+"
    rf"(?:(?:(?!(?:{_NOT_STREET_WORD})\b)[a-z][a-z'’-]*\s+){{1,3}}(?:{_STREET_TYPE})\b\.?"
    rf"|(?:{_BARE_STREET})\b)",
    re.IGNORECASE,
)


def _address_spans(text: str) -> list[tuple[int, int, int, str]]:
    return _spans(_ADDRESS, text, "address")


# --- first names ------------------------------------------------------------------------------

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
        key = name.casefold()
        if key.upper() == key.lower():  # Arabic script has no capitals: a name only after a cue
            uncased.add(key)
            continue
        # When two lists disagree (Jan the name, jan the month) the more cautious tag wins.
        cased[key] = max(cased.get(key, _ALWAYS), _TAGS[tag.strip()])
    return cased, frozenset(uncased)


_FIRST_NAMES, _UNCASED_NAMES = _load_first_names()

_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_ARABIC_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")

# Cues that the next word is someone's name. "strong" accepts any capitalised word, even one
# missing from the list, and a listed everyday word in lower case ("she's called hope");
# "kin" accepts listed names and capitalised words; "is" accepts listed names only, because
# "my son is Autistic" is as likely as "my son is Will".
_KIN_NOUN = (
    r"son|daughter|boy|girl|child|kid|baby|bairn|wean|toddler|one|yin|man|lass|lassie|laddie"
    r"|worker|keyworker|teacher|brother|sister|twin|grandson|granddaughter|grandchild|nephew"
    r"|niece|friend|pal|partner|husband|wife|cousin|stepson|stepdaughter|neighbour|translator"
    r"|interpreter|visitor|volunteer|leader|practitioner|youngest|eldest|oldest|lady|woman"
    r"|mum|mam|dad|gran|granny|nana|papa|grandad|wee\s+man|wee\s+one"
)
_KIN = (
    r"(?:\b(?:my|our|his|her|their|the|ma|me)\s+"
    r"(?:(?:wee|little|baby|big|younger|older|youngest|eldest|oldest|middle|lovely|new|key"
    r"|support|family|health|step)\s+)*"
    rf"(?:{_KIN_NOUN}))"
)
_PERSON = r"(?:\b(?:he|she|they|him|her|one|lady|man|woman|girl|boy|worker|baby|son|daughter))"
_CUE = re.compile(
    rf"(?P<strong>(?:{_KIN}|{_PERSON})(?:\s+|['’]s\s+)(?:(?:is|was)\s+)?(?:called|named)\s+"
    r"|\b(?:name\s+is|name\s+was|name['’]s|names\s+is|known\s+as)\s+"
    r"|\b(?:اسمه|اسمها|اسمي|نام)\s+)"
    rf"|(?P<kin>{_KIN}\s*,?\s+"
    r"|(?:ابني|ابنتي|بنتي|طفلي|طفلتي)\s+)"
    rf"|(?P<is>{_KIN}(?:\s+|['’]s\s+)(?:is|was)\s+)"
    r"|(?P<title>\b(?:mrs|mr|ms|mx|miss|dr)\.?\s+)"
    r"|(?P<family>\b(?:auntie|aunty|uncle|nana|granny|gran|papa|grandad|grandpa|grandma)\s+)",
    re.IGNORECASE,
)

# Words that are never someone's name however they are written, used to stop a cue or a
# surname from swallowing the next word ("my son Loves it", "Callum Was great").
_NOT_A_NAME = frozenset(
    """
    i a an the and or but so if is was are were be been has had have do did does not no yes it
    its he she they we you me my his her our their this that there here who what when where why
    how very really just also always never still now too loves loved likes liked enjoys enjoyed
    says said made came went goes comes got gets is was will would can could should may might
    age aged years months weeks today yesterday thanks thank please ok okay
    """.split()
)

# A word after a name that shows the name is a place or an activity, not a person:
# "Victoria Road", "Baxter Park", "St Mary's Primary", "Morgan Academy", "Mark Making".
_PLACE_WORD = frozenset(
    """
    street st road rd avenue ave terrace crescent place drive lane gardens park square centre
    center hall academy high primary nursery school college university library church chapel
    hospital clinic court house hub community trust foundation project group club cafe café bay
    beach castle museum gallery theatre tower bridge ferry hill law way close grove green row
    walk view medical surgery health council team services service sessions session class
    classes time making play tv sports arts infirmary station
    """.split()
)

# Everyday words that, one after another, show the name is a person who did something.
_PERSON_VERB = frozenset(
    """
    loved loves enjoyed enjoys liked likes said says played plays cried cries laughed laughs
    asked asks told tells learned learnt learns talked talks smiled smiles giggled giggles sang
    sings danced dances wants wanted painted paints waved hugged slept sleeps ate eats thinks
    knows knew adored adores misses missed fell
    """.split()
)
_AUXILIARY = frozenset("is was has had and will can could would does did gets got".split())
_ADVERB = frozenset("really always just absolutely also now still never totally so has had".split())
_FAMILY_WORD = frozenset(
    """
    mum mam mammy mummy dad daddy gran granny nana papa grandad brother sister worker teacher
    class friend friends pal pals family birthday nursery school gran's wee
    """.split()
)
_MONTH_WORD = frozenset("jan january april may june july august".split())
_DATE_WORD = frozenset(
    """
    in since until till til from last next by of early late mid end before after during this
    every on
    """.split()
)
_JOINING_WORD = frozenset("and n or to".split())

# Phrases that look like names but are the programmes and places families talk about.
_NOT_NAMES = re.compile(
    r"\bart at the start\b|\bstay and play\b|\bjack in the box\b|\bmary slessor\b",
    re.IGNORECASE,
)


@dataclass
class _Word:
    start: int
    end: int  # end of the name itself, before any possessive 's
    text: str  # the word as written, without a possessive 's
    key: str  # casefolded, for lookups
    possessive: bool


def _words(text: str) -> list[_Word]:
    words = []
    for m in _TOKEN.finditer(text):
        word, start = m.group(), m.start()
        possessive = word[-2:] in ("'s", "’s") and len(word) > 2
        if possessive:
            word = word[:-2]
        words.append(_Word(start, start + len(word), word, word.casefold(), possessive))
    return words


def _name_spans(text: str) -> list[tuple[int, int, int, str]]:
    words = _words(text)
    if not words:
        return []
    # A cue ends where the name it announces begins.
    cues = {m.end(): (m.lastgroup, m.start()) for m in _CUE.finditer(text)}
    blocked = [(m.start(), m.end()) for m in _NOT_NAMES.finditer(text)]
    names: list[int] = []  # indexes into words
    waiting: list[int] = []  # everyday-word names that need a named neighbour to count
    for i, word in enumerate(words):
        if any(s <= word.start < e for s, e in blocked):
            continue
        cue, cue_start = cues.get(word.start, (None, 0))
        verdict = _judge(text, words, i, cue, cue_start)
        if verdict is True:
            names.append(i)
        elif verdict is None:
            waiting.append(i)
    if waiting and names:
        confirmed = set(names)
        for i in waiting:
            if _next_to_a_name(text, words, i, confirmed):
                names.append(i)
    spans = []
    for i in sorted(names):
        start, end = words[i].start, words[i].end
        cue, cue_start = cues.get(start, (None, 0))
        if cue == "title":
            start = cue_start  # "Mrs Duncan" becomes "[name]": the title narrows down who it is
        end = _with_surname(text, words, i, end)
        spans.append((_PRIORITY["name"], start, end, "name"))
    return _merge_adjacent(spans)


def _judge(text: str, words: list[_Word], i: int, cue: str | None, cue_start: int) -> bool | None:
    """True: a name. False: not a name. None: an everyday word that a named neighbour would make a name."""
    word = words[i]
    key = word.key
    if word.text.upper() == word.text.lower():  # no capitals in this script
        return key in _UNCASED_NAMES and cue is not None or (
            cue is not None and _ARABIC_MARKS.sub("", key) in _UNCASED_NAMES
        )
    level = _FIRST_NAMES.get(key)
    if level is None and "-" in key and word.text[0].isupper():
        # "Isla-Rose", "Mary-Jane": double names whose halves are both on the list
        halves = [_FIRST_NAMES.get(half) for half in key.split("-")]
        if None not in halves:
            level = min(halves)
    if level is None and word.possessive is False and key.endswith("s"):
        # "Frasers gran": a possessive typed without its apostrophe
        if _FIRST_NAMES.get(key[:-1]) is not None and _next_key(words, i) in _FAMILY_WORD:
            level, word.end = _FIRST_NAMES[key[:-1]], word.end - 1
    capital = word.text[0].isupper() and not (len(word.text) > 1 and word.text.isupper())
    if cue == "title":
        if key in _NOT_A_NAME or not (capital or level is not None):
            return False
        if text[cue_start : cue_start + 2].lower() == "dr" and _after_capital(text, cue_start):
            return False  # "Whitfield Dr Dundee": Drive, not Doctor
        return True
    if level is None:
        # Not in the list: only a strong cue or one naming a relation makes it a name.
        return capital and cue in ("strong", "kin") and key not in _NOT_A_NAME
    if cue == "strong":
        return True
    if not capital:
        if level == _ALWAYS:
            return key not in _NOT_A_NAME
        return False
    if cue in ("kin", "is", "family"):
        return True
    if _is_place(text, words, i) or (key in _MONTH_WORD and _is_month(words, i)):
        return False
    mid_sentence = not _starts_sentence(text, word.start)
    if level == _ALWAYS or level == _CAPITALISED and mid_sentence:
        return True
    if _has_evidence(words, i) or level == _CAPITALISED and _next_key(words, i) in _AUXILIARY:
        # "Jack is 3", "Max has grown": a jack or a max would not start a sentence like that,
        # but "Art is his favourite" might, so everyday words need a stronger verb.
        return True
    if level == _WORD and mid_sentence:
        return True
    # A capital that only starts a sentence proves nothing ("Rose petals", "Will do").
    return None


def _has_evidence(words: list[_Word], i: int) -> bool:
    word = words[i]
    following = _next_key(words, i)
    if word.possessive and following in _FAMILY_WORD:
        return True
    if following in _ADVERB:
        following = _next_key(words, i + 1)
    return following in _PERSON_VERB


def _next_key(words: list[_Word], i: int) -> str | None:
    return words[i + 1].key if i + 1 < len(words) else None


def _starts_sentence(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t\"'“‘(*-•":
        i -= 1
    if i < 0:
        return True
    previous = text[i]
    return not (previous.isalnum() or previous in ",&/")


def _after_capital(text: str, start: int) -> bool:
    m = _LAST_WORD.search(text, 0, start)
    return bool(m) and m.group(1)[0].isupper()


_LAST_WORD = re.compile(r"([^\W\d_]+)\s*$")


def _is_place(text: str, words: list[_Word], i: int) -> bool:
    """'Victoria Road', 'St Mary's Primary', 'Baxter Park': the name belongs to a place."""
    following = _next_key(words, i)
    if following in _PLACE_WORD and not _gap_has_punctuation(text, words, i):
        return True
    if i > 0 and words[i - 1].key in ("st", "saint") and words[i - 1].text[0].isupper():
        return True
    return False


def _gap_has_punctuation(text: str, words: list[_Word], i: int) -> bool:
    if i + 1 >= len(words):
        return True
    return any(c in ",.;:!?" for c in text[words[i].end : words[i + 1].start])


def _is_month(words: list[_Word], i: int) -> bool:
    """'in May', 'May and June', 'June 2024': the month, not the person."""
    before = _neighbour(words, i, -1)
    after = _neighbour(words, i, +1)
    return (before is not None and (before.key in _DATE_WORD or before.key in _MONTH_WORD)) or (
        after is not None and after.key in _MONTH_WORD
    )


def _neighbour(words: list[_Word], i: int, step: int) -> _Word | None:
    j = i + step
    while 0 <= j < len(words) and words[j].key in _JOINING_WORD:
        j += step
    return words[j] if 0 <= j < len(words) else None


def _next_to_a_name(text: str, words: list[_Word], i: int, confirmed: set[int]) -> bool:
    """'Callum and Grace', 'Isla, Grace and Jack': an everyday word in a list of names."""
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(words) and words[j].key in _JOINING_WORD:
            j += step
        if j in confirmed and abs(j - i) <= 2:
            low, high = sorted((i, j))
            if not any(c in ".!?;:\n" for c in text[words[low].end : words[high].start]):
                return True
    return False


def _with_surname(text: str, words: list[_Word], i: int, end: int) -> int:
    """'Callum Robertson', 'Kirsty B': a capitalised word straight after a first name is a surname."""
    if words[i].possessive or i + 1 >= len(words):
        return end
    following = words[i + 1]
    gap = text[words[i].end : following.start]
    if gap != " " or not following.text[0].isupper() or following.key in _NOT_A_NAME:
        return end
    if following.key in _PLACE_WORD or (following.text.isupper() and len(following.text) > 1):
        return end
    return following.end


def _merge_adjacent(spans: list[tuple[int, int, int, str]]) -> list[tuple[int, int, int, str]]:
    merged: list[tuple[int, int, int, str]] = []
    for span in spans:
        if merged and span[1] <= merged[-1][2]:
            previous = merged.pop()
            span = (span[0], previous[1], max(previous[2], span[2]), span[3])
        merged.append(span)
    return merged


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
        if " " not in name and _FIRST_NAMES.get(name.casefold(), _ALWAYS) >= _CAPITALISED:
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
        if i == 0 and word.casefold().rstrip(".") in ("st", "saint"):
            parts.append(r"(?:[Ss][Tt]\.?|[Ss]aint)")
            continue
        parts.append("".join(r"['’]?" if c in "'’" else re.escape(c) for c in word))
    return r"\s+".join(parts)
