"""Questionnaires as data: parse and check a definition, and check a person's answers against it.

A definition is a plain mapping (read from a TOML file, or stored as JSON in a questionnaire
version). Parsing names the source, the question and the problem, so a lead editing a file can
fix it. Checking answers turns raw form or JSON values into answer rows, or says, per question,
what is wrong; nothing is stored until every answer is right.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from surveys import text as texts
from surveys.scales import N_, NOT_SURE, SCALES, Option

QUESTION_TYPES = ("choice", "multi", "picture", "text", "pair", "number")
# Pictures are files Heard ships under frontend/static (the web layer checks the file exists).
PICTURE_PATH = re.compile(r"^(pictures|faces)/[a-z0-9_-]{1,48}\.svg$")
AUDIENCES = ("parent", "child", "practitioner")
MAX_TEXT = 2000
# A literal, not an f-string, so the message catalogs can translate it.
TOO_LONG = N_("Your answer must be 2,000 characters or fewer")
PAIR_PARTS = ("before", "now")
ENGLISH = "en"  # the language every questionnaire is written in; translations are optional extras
# What a translation may give, for a question and for the questionnaire as a whole.
QUESTION_TRANSLATABLE = ("text", "help", "before", "now", "error", "error_before", "error_now", "options", "headline")
DEFINITION_TRANSLATABLE = ("title", "about")


class DefinitionError(ValueError):
    """A questionnaire definition is wrong; ``str()`` names the source, question and problem."""

    def __init__(self, source: str, problem: str, question: str | None = None) -> None:
        self.source, self.problem, self.question = source, problem, question
        where = f"{source}: question {question!r}" if question else source
        super().__init__(f"{where}: {problem}")


class InvalidAnswers(ValueError):
    """Some answers are missing or not allowed: ``errors`` maps each question key to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


@dataclass(frozen=True)
class Question:
    key: str
    type: str
    text: str
    help: str = ""
    required: bool = True
    options: tuple[Option, ...] = ()
    top: tuple[str, ...] = ()
    faces: bool = False
    headline: str = ""  # "felt listened to": how partner summaries phrase the top answers
    quote_consent: bool = False  # free text: also ask "Can we use your words…?"
    pair_texts: tuple[str, str] = ("", "")  # before/now wording for a then-and-now pair
    # GOV.UK-style message naming the question ("Choose if you felt listened to"); a pair may
    # have one per half. Empty: a plain "Choose an answer" is shown next to the question.
    errors: Mapping[str, str] = field(default_factory=dict, compare=False)
    # {"pl": {"text": …, "help": …, "before": …, "now": …, "error": …, "options": {key: label}}}
    translations: Mapping[str, Mapping[str, Any]] = field(default_factory=dict, compare=False, repr=False)
    voice_note: bool = False  # free text: may also be answered with a short recorded voice note
    minimum: int | None = None  # number: the smallest and largest whole numbers allowed
    maximum: int | None = None
    unit: str = ""  # number: shown after the box ("children")
    counts: str = ""  # number: who it counts ("children"), so reach can sum it
    options_from: str = ""  # "partners": the options are the initiative's delivery partners

    def option(self, key: str) -> Option | None:
        return self._options_by_key.get(key)

    @cached_property
    def _options_by_key(self) -> dict[str, Option]:
        # A question never changes once made (frozen), and every answer looks its options up.
        found: dict[str, Option] = {}
        for o in self.options:
            found.setdefault(o.key, o)
        return found

    def in_language(self, lang: str, what: str, english: str) -> tuple[str, str]:
        """``what`` ("text", "help", …) in ``lang`` if translated, else English: (text, its language)."""
        translated = self.translations.get(lang, {}).get(what)
        return (translated, lang) if translated else (english, ENGLISH)

    def option_label_in(self, option: Option, lang: str) -> tuple[str, str] | None:
        """A questionnaire's own option label in ``lang``; None for scale labels (the catalogs do those)."""
        if option.from_scale:
            return None
        translated = self.translations.get(lang, {}).get("options", {}).get(option.key)
        return (translated, lang) if translated else (option.label, ENGLISH)

    @property
    def fingerprint(self) -> str:
        """What the question asks and which answers it offers, and nothing else.

        Two versions' answers to a question may be counted together only when this matches:
        a changed wording, answer list, coding or required flag changes what people were asked.
        Help text, headline and quote consent don't, so editing them keeps the counts combined.
        """
        asked = {
            "type": self.type,
            "text": self.text,
            "pair": list(self.pair_texts),
            "required": self.required,
            "options": [[o.key, o.label, o.value, o.aside, o.picture] for o in self.options],
        }
        canonical = json.dumps(asked, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Page:
    """One screen of the respondent journey: a question, or one half of a before/now pair."""

    question: Question
    answer_key: str  # the key answers are stored under ("confidence.before" for a pair half)
    text: str

    @property
    def part(self) -> str:
        """"before" or "now" for a half of a pair; "" for a whole question."""
        return self.answer_key.rpartition(".")[2] if self.question.type == "pair" else ""

    def text_in(self, lang: str) -> tuple[str, str]:
        """This page's question in ``lang`` if translated, else English: ``(text, language used)``."""
        return self.question.in_language(lang, self.part or "text", self.text)

    def help_in(self, lang: str) -> tuple[str, str]:
        return self.question.in_language(lang, "help", self.question.help)

    @property
    def error(self) -> str:
        """The English message for a missing answer on this page, naming the question if it can."""
        q = self.question
        return q.errors.get(f"error_{self.part}" if self.part else "error") or _missing_message(q)

    def error_in(self, lang: str) -> tuple[str, str] | None:
        """The question's own missing-answer message in ``lang``; None if it has none (use the catalog)."""
        what = f"error_{self.part}" if self.part else "error"
        english = self.question.errors.get(what)
        return self.question.in_language(lang, what, english) if english else None


@dataclass(frozen=True)
class Definition:
    slug: str
    title: str
    audience: str
    about: str
    minutes: int
    questions: tuple[Question, ...]
    raw: Mapping[str, Any] = field(repr=False, compare=False, default_factory=dict)
    translations: Mapping[str, Mapping[str, str]] = field(repr=False, compare=False, default_factory=dict)

    def title_in(self, lang: str) -> tuple[str, str]:
        translated = self.translations.get(lang, {}).get("title")
        return (translated, lang) if translated else (self.title, ENGLISH)

    def about_in(self, lang: str) -> tuple[str, str]:
        translated = self.translations.get(lang, {}).get("about")
        return (translated, lang) if translated else (self.about, ENGLISH)

    @property
    def languages(self) -> tuple[str, ...]:
        """English, then every language some part of the questionnaire is translated into."""
        codes = set(self.translations)
        for q in self.questions:
            codes |= set(q.translations)
        return (ENGLISH, *sorted(codes - {ENGLISH}))

    @cached_property
    def pages(self) -> tuple[Page, ...]:
        """Every page in order; worked out once per definition (frozen; definitions are cached)."""
        pages: list[Page] = []
        for q in self.questions:
            if q.type == "pair":
                pages += [Page(q, f"{q.key}.{part}", text) for part, text in zip(PAIR_PARTS, q.pair_texts)]
            else:
                pages.append(Page(q, q.key, q.text))
        return tuple(pages)

    @cached_property
    def answer_keys(self) -> frozenset[str]:
        return frozenset(p.answer_key for p in self.pages)

    def page(self, answer_key: str) -> Page | None:
        return next((p for p in self.pages if p.answer_key == answer_key), None)

    @property
    def fingerprint(self) -> str:
        canonical = json.dumps(self.raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


def _text(value: Any, source: str, what: str, question: str | None = None, *, required=True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise DefinitionError(source, f"{what} must be some text", question)
    return value.strip()


def _options(q: Mapping[str, Any], source: str, key: str) -> tuple[tuple[Option, ...], tuple[str, ...], bool]:
    if "scale" in q and q.get("type") == "picture":
        raise DefinitionError(source, "a picture question lists its own 'options' (each with a 'picture')", key)
    if "scale" in q:
        scale = SCALES.get(q["scale"])
        if scale is None:
            raise DefinitionError(source, f"unknown scale {q['scale']!r}; choose one of {', '.join(SCALES)}", key)
        return (scale.options if q.get("not_sure", True) else scale.ordered), tuple(q.get("top", scale.top)), scale.faces
    raw = q.get("options")
    if q.get("options_from") == "partners" and not raw:
        return (), (), False  # filled from the initiative's list before it is saved as a version
    if not isinstance(raw, list) or len(raw) < (1 if q.get("options_from") else 2):
        raise DefinitionError(source, "needs a 'scale' or a list of at least two 'options'", key)
    options = []
    for i, item in enumerate(raw):
        if isinstance(item, str):
            item = {"label": item}
        if not isinstance(item, Mapping):
            raise DefinitionError(source, f"option {i + 1} must be text or a table", key)
        label = _text(item.get("label"), source, f"option {i + 1} label", key)
        okey = item.get("key") or _slug(label)
        if not isinstance(okey, str) or not okey.replace("_", "").replace("-", "").isalnum() or len(okey) > 64:
            raise DefinitionError(source, f"option {i + 1} needs a 'key' of letters, digits, - and _", key)
        value = item.get("value")
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise DefinitionError(source, f"option {i + 1} 'value' must be a whole number", key)
        picture = item.get("picture")
        if q.get("type") == "picture" and picture is None:
            raise DefinitionError(source, f"option {i + 1} needs a 'picture', e.g. \"pictures/cat.svg\"", key)
        if picture is not None and (not isinstance(picture, str) or not PICTURE_PATH.match(picture)):
            raise DefinitionError(
                source, f"option {i + 1} 'picture' must name a shipped picture, e.g. \"pictures/cat.svg\"", key
            )
        options.append(Option(okey, label, value=value, picture=picture, from_scale=False))
    if len({o.key for o in options}) != len(options):
        raise DefinitionError(source, "two options have the same key", key)
    if any(o.value is not None for o in options) and len({o.value for o in options}) != len(options):
        raise DefinitionError(source, "every option needs its own 'value' (or none of them have one)", key)
    if q.get("not_sure", False):
        if any(o.key == NOT_SURE.key for o in options):
            # Two answers stored under one key could not be told apart again.
            raise DefinitionError(source, f"the option key {NOT_SURE.key!r} is the \"Not sure\" answer's; "
                                          "choose another key, or leave out not_sure = true", key)
        options.append(NOT_SURE)
    return tuple(options), tuple(q.get("top", ())), False


def _translations(value: Any, source: str, allowed: tuple[str, ...], question: str | None = None,
                  option_keys: tuple[str, ...] = ()) -> dict[str, dict[str, Any]]:
    """Check a ``translations`` table: ``{lang: {field: text, "options": {key: label}}}``."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise DefinitionError(source, "'translations' must be a table of languages", question)
    checked: dict[str, dict[str, Any]] = {}
    for lang, fields in value.items():
        if not (isinstance(lang, str) and 2 <= len(lang) <= 8 and lang.replace("_", "").isalpha()):
            raise DefinitionError(source, f"{lang!r} is not a language code like 'pl' or 'ar'", question)
        if not isinstance(fields, Mapping):
            raise DefinitionError(source, f"translations.{lang} must be a table", question)
        out: dict[str, Any] = {}
        for name, text in fields.items():
            if name not in allowed:
                raise DefinitionError(source, f"translations.{lang}.{name} is not something that can be "
                                      f"translated; use {', '.join(allowed)}", question)
            if name == "options":
                if not isinstance(text, Mapping):
                    raise DefinitionError(source, f"translations.{lang}.options must be a table of labels", question)
                unknown = set(text) - set(option_keys)
                if unknown:
                    raise DefinitionError(source, f"translations.{lang}.options names no option "
                                          f"{', '.join(sorted(unknown))}", question)
                out[name] = {k: _text(v, source, f"translations.{lang}.options.{k}", question)
                             for k, v in text.items()}
            else:
                out[name] = _text(text, source, f"translations.{lang}.{name}", question)
        checked[lang] = out
    return checked


def _slug(label: str) -> str:
    return "_".join("".join(c if c.isalnum() else " " for c in label.lower()).split())[:64] or "option"


def _normal_form(value: Any, source: str, what: str, question: str | None, stored: bool) -> Any:
    """``value`` with every string in it as :mod:`surveys.text` keeps lead-written text: titles as
    names (bidi controls removed), the rest as wording; a control character is a DefinitionError
    naming where it is, or, for a ``stored`` definition (saved before this check), dropped."""
    if isinstance(value, str):
        is_title = what.rpartition(".")[2] == "title"
        if stored:
            return texts.stored(value, bidi=not is_title)
        try:
            return texts.name(value, f"'{what}'") if is_title else texts.wording(value, f"'{what}'")
        except texts.UnsafeText as error:
            raise DefinitionError(source, str(error), question) from error
    if isinstance(value, Mapping):
        return {k: _normal_form(v, source, f"{what}.{k}" if what else str(k), question, stored)
                for k, v in value.items()}
    if isinstance(value, list):
        if what == "questions":
            return [_normal_form(q, source, "", q.get("key") if isinstance(q, Mapping) and isinstance(
                q.get("key"), str) else f"{i + 1}", stored) for i, q in enumerate(value)]
        return [_normal_form(v, source, f"{what}[{i + 1}]", question, stored) for i, v in enumerate(value)]
    return value


def parse_definition(data: Mapping[str, Any], source: str = "questionnaire", *, stored: bool = False) -> Definition:
    """Check a questionnaire definition and build it; raise :class:`DefinitionError` if wrong.

    Every text in it is first put in the normal form of :mod:`surveys.text` (and so kept that
    way). ``stored``: a definition read back from a saved version, whose texts predate that
    check; a control character in it is dropped rather than refused, so the version still opens."""
    if not isinstance(data, Mapping):
        raise DefinitionError(source, "must be a table of settings and questions")
    data = _normal_form(data, source, "", None, stored)
    slug = _text(data.get("slug"), source, "'slug'")
    audience = data.get("audience")
    if audience not in AUDIENCES:
        raise DefinitionError(source, f"'audience' must be one of {', '.join(AUDIENCES)}")
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        raise DefinitionError(source, "needs at least one [[questions]] entry")
    questions, seen = [], set()
    for i, q in enumerate(raw_questions):
        if not isinstance(q, Mapping):
            raise DefinitionError(source, f"question {i + 1} must be a table")
        key = q.get("key")
        if not isinstance(key, str) or not key.replace("_", "").isalnum() or len(key) > 48:
            raise DefinitionError(source, f"question {i + 1} needs a 'key' of letters, digits and _")
        if key in seen:
            raise DefinitionError(source, "this key is used twice", key)
        seen.add(key)
        qtype = q.get("type")
        if qtype not in QUESTION_TYPES:
            raise DefinitionError(source, f"'type' must be one of {', '.join(QUESTION_TYPES)}", key)
        text = _text(q.get("text"), source, "'text'", key)
        if q.get("options_from", "partners") != "partners":
            raise DefinitionError(source, "'options_from' can only be \"partners\"", key)
        options, top, faces = ((), (), False) if qtype in ("text", "number") else _options(q, source, key)
        minimum, maximum = _range(q, source, key) if qtype == "number" else (None, None)
        pair_texts = ("", "")
        if qtype == "pair":
            pair_texts = (
                _text(q.get("before"), source, "'before' wording", key),
                _text(q.get("now"), source, "'now' wording", key),
            )
        errors = {name: _text(q.get(name), source, f"'{name}'", key)
                  for name in ("error", "error_before", "error_now") if q.get(name) is not None}
        questions.append(
            Question(
                key=key,
                type=qtype,
                text=text,
                help=_text(q.get("help"), source, "'help'", key, required=False),
                required=bool(q.get("required", qtype != "text")),
                options=options,
                top=top,
                faces=faces,
                headline=_text(q.get("headline"), source, "'headline'", key, required=False),
                quote_consent=bool(q.get("quote_consent", qtype == "text")),
                pair_texts=pair_texts,
                errors=errors,
                translations=_translations(q.get("translations"), source, QUESTION_TRANSLATABLE, key,
                                           tuple(o.key for o in options)),
                voice_note=qtype == "text" and bool(q.get("voice_note", False)),
                minimum=minimum,
                maximum=maximum,
                unit=_text(q.get("unit"), source, "'unit'", key, required=False),
                counts=_text(q.get("counts"), source, "'counts'", key, required=False),
                options_from=q.get("options_from", ""),
            )
        )
    if not stored:  # a saved version still opens; the tablet says what it can't ask
        _check_tablet(source, audience, questions)
    return Definition(
        slug=slug,
        title=_text(data.get("title"), source, "'title'"),
        audience=audience,
        about=_text(data.get("about"), source, "'about'", required=False),
        minutes=int(data.get("minutes", 2)),
        questions=tuple(questions),
        raw=dict(data),
        translations=_translations(data.get("translations"), source, DEFINITION_TRANSLATABLE),
    )


def typed_types(audience: str) -> tuple[str, ...]:
    """The question types the tablet (the kiosk) leaves out for an audience: children don't type,
    so written and number questions are for the parent and practitioner forms (a practitioner's
    tablet link keeps its numbers)."""
    return ("text",) if audience == "practitioner" else ("text", "number")


def _check_tablet(source: str, audience: str, questions: Sequence[Question]) -> None:
    """A children's questionnaire is answered on the tablet, which never asks a typed question: a
    required one could never be answered, and every child's turn would be refused."""
    if audience != "child":
        return
    skipped = typed_types(audience)
    for q in questions:
        if q.type in skipped and q.required:
            raise DefinitionError(
                source,
                "children answer on a tablet, without typing, so a written or number question for "
                "children must be optional (required = false), or be asked on a parent's questionnaire",
                q.key,
            )
    if all(q.type in skipped for q in questions):
        raise DefinitionError(
            source,
            "children answer on a tablet, without typing: a children's questionnaire needs at "
            "least one question with answers to choose",
        )


def _range(q: Mapping[str, Any], source: str, key: str) -> tuple[int, int]:
    """A number question's range: both ends are needed, so the error message can name them."""
    low, high = q.get("min"), q.get("max")
    for name, value in (("min", low), ("max", high)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise DefinitionError(source, f"a number question needs a whole-number '{name}'", key)
    assert isinstance(low, int) and isinstance(high, int)  # checked just above
    if low >= high:
        raise DefinitionError(source, "'min' must be smaller than 'max'", key)
    return low, high


def load_file(path: Path) -> Definition:
    """Read and check a questionnaire TOML file."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise DefinitionError(path.name, "is not a text file in UTF-8") from e
    return parse_toml(text, source=path.name)


def parse_toml(text: str, source: str = "questionnaire") -> Definition:
    """Check a questionnaire written in TOML (a file's contents, or an upload)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise DefinitionError(source, f"not valid TOML ({e})") from e
    return parse_definition(data, source=source)


def to_toml(definition: Definition) -> str:
    """The definition as TOML, exactly as stored, so export → edit → import round-trips."""
    import tomli_w

    header = f"# {definition.title}: a Heard questionnaire. Edit it and import it again to make a new version.\n"
    return header + tomli_w.dumps(dict(definition.raw))


def template(slug: str) -> Definition:
    """One of the questionnaires shipped in Heard's packs (:mod:`surveys.packs`), by its slug."""
    from surveys import packs

    path = packs.questionnaire_file(slug)
    if path is None:
        raise DefinitionError(f"{slug}.toml", "is not a questionnaire Heard ships")
    return load_file(path)


def template_files() -> tuple[Path, ...]:
    """Every questionnaire file Heard ships, from every pack."""
    from surveys import packs

    return packs.questionnaire_files()


@dataclass(frozen=True)
class AnswerRow:
    question_key: str
    option_key: str | None = None
    value: int | None = None
    text: str | None = None
    quote_consent: bool = False


def _values(raw: Any) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, (list, tuple)):
        return [str(v).strip() for v in raw if v is not None and str(v).strip()]
    value = str(raw).strip()
    return [value] if value else []


def check_page(page: Page, raw: Any, consent: Any = None) -> list[AnswerRow]:
    """Check the answer given on one page; raise :class:`InvalidAnswers` naming the page's key."""
    q, key = page.question, page.answer_key
    values = _values(raw)
    if not values:
        if q.required:
            raise InvalidAnswers({key: page.error})
        return []
    if q.type == "text":
        text = texts.answer(values[0])  # cleaned, never refused: see surveys.text
        if len(text) > MAX_TEXT:
            raise InvalidAnswers({key: TOO_LONG})
        if not text:
            return []
        return [AnswerRow(key, text=text, quote_consent=q.quote_consent and _truthy(consent))]
    if q.type == "number":
        return [AnswerRow(key, value=_whole_number(q, values, key))]
    if q.type != "multi" and len(values) > 1:
        raise InvalidAnswers({key: N_("Choose only one answer")})
    rows = []
    for v in dict.fromkeys(values):
        option = q.option(v)
        if option is None:
            raise InvalidAnswers({key: N_("Choose one of the answers shown")})
        rows.append(AnswerRow(key, option_key=option.key, value=option.value))
    chosen = [q.option(r.option_key) for r in rows if r.option_key is not None]
    aside = next((o for o in chosen if o is not None and o.aside), None)
    if len(rows) > 1 and aside is not None:
        # "Not sure" with "Dog" would count one person in two places that contradict.
        raise InvalidAnswers({key: f"Choose “{aside.label}” on its own, or choose other answers"})
    return rows


def _whole_number(q: Question, values: list[str], key: str) -> int:
    """The number typed, forgiving spaces, thousands commas ("1,200") and other scripts' digits
    (Arabic-Indic "١٢" on an Arabic keyboard), or a GOV.UK-style message."""
    assert q.minimum is not None and q.maximum is not None  # a number question has both ends
    typed = "".join(str(unicodedata.digit(c)) if c.isdecimal() else c for c in values[0] if c not in ", ")
    if len(values) > 1 or not _WHOLE.fullmatch(typed) or not q.minimum <= int(typed) <= q.maximum:
        raise InvalidAnswers({key: f"Enter a whole number from {q.minimum} to {q.maximum}"})
    return int(typed)


_WHOLE = re.compile(r"-?[0-9]{1,9}")


def _truthy(value: Any) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on") if value is not None else False


def _missing_message(q: Question) -> str:
    if q.type == "multi":
        return N_("Choose at least one answer")
    if q.type == "number":
        return N_("Enter a number")
    return N_("Choose an answer") if q.type != "text" else N_("Enter your answer")


def check_answers(definition: Definition, raw: Mapping[str, Any], *, blanks: bool = False) -> list[AnswerRow]:
    """Check a whole submission (``{answer_key: value or [values]}``, plus ``{key}.consent``).

    Unknown keys are refused rather than ignored, so a client bug can't silently lose answers.
    With ``blanks`` a required question may be left unanswered (a paper sheet with a gap).
    """
    pages = definition.pages
    known = definition.answer_keys
    errors: dict[str, str] = {}
    for k in raw:
        base = k[: -len(".consent")] if k.endswith(".consent") else k
        if base not in known:
            errors[k] = N_("This is not a question in this questionnaire")
    rows: list[AnswerRow] = []
    for page in pages:
        if blanks and not _values(raw.get(page.answer_key)):
            continue
        try:
            rows += check_page(page, raw.get(page.answer_key), raw.get(f"{page.answer_key}.consent"))
        except InvalidAnswers as e:
            errors.update(e.errors)
    if errors:
        raise InvalidAnswers(errors)
    return rows
