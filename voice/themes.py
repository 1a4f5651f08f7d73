"""Theme free-text answers against an initiative's codebook, and suggest themes the codebook misses.

Hybrid thematic analysis (Fereday & Muir-Cochrane 2006; Braun & Clarke 2006): each initiative starts
from a deductive codebook drawn from its aims (surveys/packs/<pack>/codebook.toml, versioned so a report
can say which codebook coded it), and staff add inductive themes when answers keep raising something
the codebook does not cover; `propose_themes` surfaces those candidates, a person decides.

A theme matches when any of its keywords appears as whole words, case-insensitive, across plurals,
possessives and simple word endings (Porter stems): "listen" finds "listened" and "listening",
"child's views" finds "my child's view", and "art" never finds "start" or "heart". A theme names
a topic, not a feeling: "nobody listened" is coded "being listened to" just as "they listened" is.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from nltk.stem.porter import PorterStemmer

from surveys import packs
from voice.text import tagged_noun_phrases

__all__ = [
    "Codebook",
    "CodebookError",
    "Proposal",
    "Theme",
    "codebook_to_toml",
    "default_codebook",
    "load_codebook",
    "match_themes",
    "parse_codebook",
    "propose_themes",
]


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_MATCH_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# Redaction leaves bracketed substitutes such as "[name]"; they are not things people talked about.
_SUBSTITUTE = re.compile(r"\[[^\[\]\n]{0,40}\]")

# Irregular forms Porter leaves alone, folded so one keyword covers them: "feel safe" finds "felt safe".
_IRREGULAR = {
    "children": "child", "people": "person", "women": "woman", "men": "man",
    "felt": "feel", "understood": "understand", "knew": "know", "known": "know",
    "told": "tell", "spoke": "speak", "spoken": "speak", "heard": "hear",
    "chose": "choose", "chosen": "choose", "taught": "teach", "thought": "think",
    "brought": "bring", "bought": "buy", "made": "make", "got": "get", "gotten": "get",
    "gave": "give", "given": "give", "took": "take", "taken": "take", "went": "go",
    "gone": "go", "came": "come", "saw": "see", "seen": "see", "said": "say",
    "met": "meet", "kept": "keep", "found": "find", "sat": "sit", "drew": "draw",
    "drawn": "draw", "wrote": "write", "written": "write", "forgot": "forget",
    "forgotten": "forget", "began": "begin", "begun": "begin",
}  # fmt: skip

# Nouns too vague to be a theme on their own ("lots of things", "a bit").
_VAGUE = frozenset(
    "thing lot lots bit bits way stuff kind sort load loads plenty none one ones " "yes no ok okay".split()
)

_porter = PorterStemmer()
_stem_cache: dict[str, str] = {}
_STEM_CACHE_LIMIT = 100_000


class CodebookError(ValueError):
    """A codebook file is missing, malformed or inconsistent."""


@dataclass(frozen=True)
class Theme:
    """One code: a stable key for reports, a name and description for people, and keywords to find it."""

    key: str
    name: str
    description: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Codebook:
    """The themes an initiative codes its answers with; `version` goes up whenever themes change."""

    initiative: str
    version: int
    themes: tuple[Theme, ...]

    @cached_property
    def _matcher(self) -> _Matcher:
        # Built once per codebook and kept on it: theming 10,000 answers must not recompile keywords.
        return _Matcher.build(self)


@dataclass(frozen=True)
class Proposal:
    """A phrase recurring across answers that no theme covers: `count` answers mention it."""

    phrase: str
    count: int
    examples: tuple[str, ...]


def match_themes(text: str, codebook: Codebook) -> tuple[str, ...]:
    """Keys of the themes whose keywords appear in `text`, in codebook order."""
    matcher = codebook._matcher
    stems = _stems(text)
    found: set[int] = set()
    for position, stem in enumerate(stems):
        for keyword, theme in matcher.starting_with.get(stem, ()):
            if theme not in found and (
                len(keyword) == 1 or tuple(stems[position : position + len(keyword)]) == keyword
            ):
                found.add(theme)
    return tuple(matcher.keys[theme] for theme in sorted(found))


def propose_themes(
    texts: Sequence[str], codebook: Codebook, *, min_count: int = 3, max_proposals: int = 10
) -> list[Proposal]:
    """Noun phrases that at least `min_count` answers mention and no theme covers, most mentioned first.

    Each answer counts once per phrase. Plurals and possessives are counted together ("bus fares",
    "the bus fare"); a phrase's noun core ("wait" in "really long wait") is counted too, unless every
    answer mentioning it is already counted under a longer proposal. Examples are quoted from
    `texts` as given, so pass redacted answers.
    """
    if min_count < 1:
        raise ValueError("min_count must be at least 1")
    matcher = codebook._matcher
    answers: dict[tuple[str, ...], list[int]] = defaultdict(list)
    spellings: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for index, text in enumerate(texts):
        seen: set[tuple[str, ...]] = set()
        for phrase in tagged_noun_phrases(_SUBSTITUTE.sub(" ", text)):
            for candidate in _candidates(phrase):
                spelling = " ".join(candidate)
                stems = tuple(_stem(word) for word in _MATCH_WORD.findall(spelling))
                if (
                    not stems
                    or stems in seen
                    or matcher.covers(stems)
                    or all(s in _VAGUE_STEMS for s in stems)
                ):
                    continue
                seen.add(stems)
                answers[stems].append(index)
                spellings[stems][spelling] += 1

    ranked = sorted(
        (stems for stems, found_in in answers.items() if len(found_in) >= min_count),
        key=lambda stems: (-len(answers[stems]), -len(stems), _most_common(spellings[stems])),
    )
    chosen: list[tuple[str, ...]] = []
    for stems in ranked:
        if len(chosen) >= max_proposals:
            break
        mentioned_in = set(answers[stems])
        if any(_contains(longer, stems) and mentioned_in <= set(answers[longer]) for longer in chosen):
            continue
        chosen.append(stems)
    return [
        Proposal(
            phrase=_most_common(spellings[stems]),
            count=len(answers[stems]),
            examples=_examples(texts, answers[stems]),
        )
        for stems in chosen
    ]


def parse_codebook(toml_text: str) -> Codebook:
    """A codebook from TOML text (the format of surveys/packs/*/codebook.toml), checked for mistakes."""
    try:
        data = tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError as error:
        raise CodebookError(f"codebook is not valid TOML: {error}") from error
    return _codebook_from_dict(data)


def load_codebook(path: str | Path) -> Codebook:
    """A codebook from a TOML file."""
    try:
        toml_text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise CodebookError(f"cannot read codebook {path}: {error}") from error
    return parse_codebook(toml_text)


def default_codebook(pack_name: str) -> Codebook:
    """The codebook a pack ships (``surveys/packs/<pack>/codebook.toml``), e.g. ``"generic-parent-group"``."""
    try:
        pack = packs.get(pack_name)
    except packs.PackError as error:
        raise CodebookError(f"no default codebook for {pack_name!r}: {error}") from None
    if not pack.codebook_file.is_file():
        raise CodebookError(f"pack {pack_name!r} ships no codebook")
    codebook = load_codebook(pack.codebook_file)
    if codebook.initiative != pack.initiative_slug:
        raise CodebookError(f"the codebook of pack {pack_name!r} is for initiative {codebook.initiative!r}")
    return codebook


def codebook_to_toml(codebook: Codebook) -> str:
    """TOML text that `parse_codebook` reads back to an equal codebook (hand-written: no tomli-w needed)."""
    lines = [f"initiative = {_toml_string(codebook.initiative)}", f"version = {codebook.version}"]
    for theme in codebook.themes:
        lines += [
            "",
            "[[themes]]",
            f"key = {_toml_string(theme.key)}",
            f"name = {_toml_string(theme.name)}",
            f"description = {_toml_string(theme.description)}",
            "keywords = [",
            *(f"    {_toml_string(keyword)}," for keyword in theme.keywords),
            "]",
        ]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class _Matcher:
    keys: tuple[str, ...]
    # First stem of a keyword -> (all its stems, theme index): one dict lookup per word of an answer.
    starting_with: dict[str, tuple[tuple[tuple[str, ...], int], ...]]
    # Every run of consecutive keyword stems: a phrase made only of part of a keyword is covered too.
    keyword_parts: frozenset[tuple[str, ...]]

    @classmethod
    def build(cls, codebook: Codebook) -> _Matcher:
        starting_with: dict[str, list[tuple[tuple[str, ...], int]]] = defaultdict(list)
        parts: set[tuple[str, ...]] = set()
        for index, theme in enumerate(codebook.themes):
            for keyword in theme.keywords:
                stems = tuple(_stems(keyword))
                starting_with[stems[0]].append((stems, index))
                parts.update(stems[i:j] for i in range(len(stems)) for j in range(i + 1, len(stems) + 1))
        return cls(
            keys=tuple(theme.key for theme in codebook.themes),
            starting_with={stem: tuple(entries) for stem, entries in starting_with.items()},
            keyword_parts=frozenset(parts),
        )

    def covers(self, stems: tuple[str, ...]) -> bool:
        """Whether a phrase contains a keyword, or is itself part of one."""
        if stems in self.keyword_parts:
            return True
        return any(
            _contains(stems, keyword) for stem in stems for keyword, _ in self.starting_with.get(stem, ())
        )


def _stems(text: str) -> list[str]:
    return [_stem(word) for word in _MATCH_WORD.findall(text.lower())]


def _stem(word: str) -> str:
    stem = _stem_cache.get(word)
    if stem is None:
        base = word.lower().replace("’", "'")
        if base.endswith("'s"):
            base = base[:-2]
        base = _IRREGULAR.get(base, base)
        stem = _porter.stem(base)
        if len(_stem_cache) >= _STEM_CACHE_LIMIT:
            _stem_cache.clear()
        _stem_cache[word] = stem
    return stem


_VAGUE_STEMS = frozenset(_stem(word) for word in _VAGUE)


def _candidates(phrase: tuple[tuple[str, str], ...]) -> list[tuple[str, ...]]:
    """The whole phrase and its noun core (the run of nouns it ends with): "long wait" -> "wait"."""
    words = tuple(word for word, _ in phrase)
    core_start = len(phrase)
    while core_start > 0 and phrase[core_start - 1][1].startswith("NN"):
        core_start -= 1
    core = words[core_start:]
    return [words] if core == words or not core else [words, core]


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    size = len(shorter)
    return any(longer[i : i + size] == shorter for i in range(len(longer) - size + 1))


def _most_common(spellings: Counter[str]) -> str:
    return min(spellings, key=lambda spelling: (-spellings[spelling], spelling))


def _examples(texts: Sequence[str], indexes: list[int], limit: int = 3, length: int = 160) -> tuple[str, ...]:
    """The shortest answers mentioning a phrase, so staff can judge it at a glance."""
    shortest = sorted(indexes, key=lambda index: (len(texts[index]), index))[:limit]
    return tuple(_shorten(" ".join(texts[index].split()), length) for index in shortest)


def _shorten(text: str, length: int) -> str:
    if len(text) <= length:
        return text
    return text[: length - 1].rsplit(" ", 1)[0] + "…"


def _codebook_from_dict(data: dict) -> Codebook:
    _only_fields(data, {"initiative", "version", "themes"}, "codebook")
    initiative = data.get("initiative")
    if not isinstance(initiative, str) or not _SLUG.fullmatch(initiative):
        raise CodebookError("initiative must be a slug such as 'together-to-thrive'")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise CodebookError("version must be a whole number, 1 or more")
    raw_themes = data.get("themes")
    if not isinstance(raw_themes, list) or not raw_themes:
        raise CodebookError("a codebook needs at least one [[themes]] table")
    themes = tuple(_theme_from_dict(raw, position) for position, raw in enumerate(raw_themes, start=1))
    keys = [theme.key for theme in themes]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise CodebookError(f"theme keys used twice: {', '.join(duplicates)}")
    return Codebook(initiative=initiative, version=version, themes=themes)


def _theme_from_dict(raw: object, position: int) -> Theme:
    where = f"theme {position}"
    if not isinstance(raw, dict):
        raise CodebookError(f"{where} must be a table")
    _only_fields(raw, {"key", "name", "description", "keywords"}, where)
    key = raw.get("key")
    if not isinstance(key, str) or not _SLUG.fullmatch(key):
        raise CodebookError(f"{where}: key must be a slug such as 'time-together'")
    where = f"theme {key!r}"
    for name in ("name", "description"):
        if not isinstance(raw.get(name), str) or not raw[name].strip():
            raise CodebookError(f"{where}: {name} must be some text")
    keywords = raw.get("keywords")
    if not isinstance(keywords, list) or not keywords:
        raise CodebookError(f"{where}: keywords must be a list of words or phrases")
    for keyword in keywords:
        if not isinstance(keyword, str) or not _MATCH_WORD.search(keyword):
            raise CodebookError(f"{where}: keyword {keyword!r} has no words in it")
    return Theme(key=key, name=raw["name"], description=raw["description"], keywords=tuple(keywords))


def _only_fields(table: dict, allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise CodebookError(f"{where}: unknown field(s) {', '.join(unknown)}")


def _toml_string(value: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    escaped = []
    for char in value:
        if char in '"\\':
            escaped.append("\\" + char)
        elif char == "\n":
            escaped.append("\\n")
        elif char == "\t":
            escaped.append("\\t")
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append(f"\\u{ord(char):04x}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'
