"""Theme free-text answers against an initiative's codebook, and suggest themes the codebook misses.

Hybrid thematic analysis (Fereday & Muir-Cochrane 2006; Braun & Clarke 2006): each initiative starts
from a deductive codebook drawn from its aims (surveys/packs/<pack>/codebook.toml, versioned so a report
can say which codebook coded it), and staff add inductive themes when answers keep raising something
the codebook does not cover; `propose_themes` surfaces those candidates, a person decides.

A theme matches when any of its keywords appears as whole words, case-insensitive, across plurals,
possessives and simple word endings (Porter stems): "listen" finds "listened" and "listening",
"child's views" finds "my child's view", and "art" never finds "start" or "heart". A theme names
a topic, not a feeling: "nobody listened" is coded "being listened to" just as "they listened" is.

A keyword made only of the questionnaire's own title words ("meeting" for ANEW's "After the
meeting") would tag nearly every answer, so a codebook checked against its questionnaires'
titles refuses one, and matching ignores one an older codebook still has. A theme may also list
a few `examples` (answers a lead says belong to it): an answer close to one of them by TF-IDF
cosine similarity (scikit-learn), sharing at least two content words, gets the theme too.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

# NLTK's Porter stemmer: a well-kept, pure-Python implementation that needs no NLTK data, already
# pinned for this; Porter (not Snowball) so codebooks keep matching what they matched before.
from nltk.stem.porter import PorterStemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from surveys import packs
from voice.text import tagged_noun_phrases, tagged_sentences

__all__ = [
    "Codebook",
    "CodebookError",
    "Proposal",
    "Theme",
    "codebook_to_toml",
    "default_codebook",
    "load_codebook",
    "match_themes",
    "check_titles",
    "match_many",
    "pack_titles",
    "parse_codebook",
    "propose_themes",
    "title_stems",
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
    "drawn": "draw", "led": "lead", "wrote": "write", "written": "write", "forgot": "forget",
    "forgotten": "forget", "began": "begin", "begun": "begin",
}  # fmt: skip

# Nouns too vague to be a theme on their own ("lots of things", "a bit").
_VAGUE = frozenset(
    "thing lot lots bit bits way stuff kind sort load loads plenty none one ones " "yes no ok okay".split()
)

# Words too common to tell answers apart: scikit-learn's English stop words, less the ones that name
# what answers are about here ("together", "alone", "own", "first", "next", "full", "side", "call").
_STOP_WORDS = (ENGLISH_STOP_WORDS - {
    "together", "alone", "own", "first", "next", "full", "empty", "side", "call", "keep", "show", "find",
    "give", "take", "fill", "bill", "cry", "interest", "last", "front", "found", "back", "move", "detail",
}) | {
    "wee", "really", "just", "like", "got", "get", "getting", "did", "does", "doing", "done", "ok", "okay",
    "yes", "aye", "lol", "x", "xx", "thanks", "thank", "ta", "cheers", "please", "im", "ive", "dont", "didnt",
    "doesnt", "wasnt", "isnt", "cant", "couldnt", "wouldnt", "s", "t", "d", "ll", "m", "re", "ve", "n't",
    "name",  # what redaction leaves: "[name]"
}  # fmt: skip
# Nouns people use in every answer without naming a topic: never suggested as a theme on their own.
_JUNK_NOUNS = frozenset(
    "end start minute minutes hour hours day days week weeks today time times year month morning afternoon "
    "evening night tonight tomorrow yesterday bit lot lots thing things way stuff kind sort part place "
    "everything something anything nothing everyone someone anyone people person one ones has have "
    "was is be been am are were do does did get got".split()
)
# An example answer counts only when the answer is at least this close to it (cosine of TF-IDF
# vectors of content-word stems and their pairs) and shares at least two content words with it.
# Chosen on tests/voice/theme_cases.py: sharing one word was enough to tag 11 of 36 held-out
# answers wrongly at 0.3; with two, 0.3 to 0.4 gained 2 answers a fitting theme but 1 a wrong one,
# 0.5 gains 1 and tags none wrongly. A lead should trust a theme more than see one more.
EXAMPLE_SIMILARITY = 0.5
EXAMPLE_SHARED_WORDS = 2
MAX_EXAMPLES = 20
MAX_EXAMPLE_LENGTH = 500

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
    examples: tuple[str, ...] = ()  # answers a lead says belong here; close answers get the theme


@dataclass(frozen=True)
class Codebook:
    """The themes an initiative codes its answers with; `version` goes up whenever themes change.

    `title_words` are the stems of the initiative's questionnaire titles (see `for_titles`): a
    keyword made only of them is ignored when matching. They are not part of the codebook's text,
    so they don't make two codebooks different.
    """

    initiative: str
    version: int
    themes: tuple[Theme, ...]
    title_words: frozenset[str] = field(default=frozenset(), compare=False)

    def for_titles(self, titles: Iterable[str]) -> Codebook:
        """This codebook, matching answers to questionnaires with these titles."""
        words = title_stems(titles)
        if words == self.title_words:
            return self
        return Codebook(self.initiative, self.version, self.themes, words)

    @cached_property
    def _matcher(self) -> _Matcher:
        # Built once per codebook and kept on it: theming 10,000 answers must not recompile keywords
        # or refit the example vectorizer.
        return _Matcher.build(self)


@dataclass(frozen=True)
class Proposal:
    """A phrase recurring across answers that no theme covers: `count` answers mention it."""

    phrase: str
    count: int
    examples: tuple[str, ...]


def match_themes(text: str, codebook: Codebook) -> tuple[str, ...]:
    """Keys of the themes whose keywords appear in `text`, or one of whose examples it is close to,
    in codebook order."""
    return match_many([text], codebook)[0]


def match_many(texts: Sequence[str], codebook: Codebook) -> list[tuple[str, ...]]:
    """`match_themes` of each text, with the example similarities worked out in one go."""
    matcher = codebook._matcher
    found: list[set[int]] = []
    for text in texts:
        stems = _stems(_SUBSTITUTE.sub(" ", text))
        themes: set[int] = set()
        for position, stem in enumerate(stems):
            for keyword, theme in matcher.starting_with.get(stem, ()):
                if theme not in themes and (
                    len(keyword) == 1 or tuple(stems[position : position + len(keyword)]) == keyword
                ):
                    themes.add(theme)
        found.append(themes)
    if matcher.examples is not None:
        for themes, close in zip(found, matcher.examples.close_themes(texts)):
            themes.update(close)
    return [tuple(matcher.keys[theme] for theme in sorted(themes)) for themes in found]


def title_stems(titles: Iterable[str]) -> frozenset[str]:
    """The content words of questionnaire titles, as stems: "After the meeting" -> {"meet"}."""
    return frozenset(stem for title in titles for stem in _content_stems(title))


def check_titles(codebook: Codebook, titles: Iterable[str]) -> None:
    """Refuse a keyword made only of a questionnaire title's words: nearly every answer has it."""
    titles = [title for title in titles if title]
    for title in titles:
        words = title_stems([title])
        for theme in codebook.themes:
            for keyword in theme.keywords:
                if _title_only(keyword, words):
                    raise CodebookError(
                        f"theme {theme.key!r}: the keyword {keyword!r} is in the questionnaire title "
                        f"{title!r}, so nearly every answer mentions it and it can't tell themes apart. "
                        "Use a phrase that says more instead (not 'meeting' but 'next meeting')."
                    )


def propose_themes(
    texts: Sequence[str], codebook: Codebook, *, min_count: int = 3, max_proposals: int = 10
) -> list[Proposal]:
    """Noun phrases that at least `min_count` answers mention and no theme covers, most mentioned first.

    Each answer counts once per phrase. Plurals and possessives are counted together ("bus fares",
    "the bus fare"); a phrase's noun core ("wait" in "really long wait") is counted too, unless every
    answer mentioning it is already counted under a longer proposal. A thing and how it was counts
    as a phrase too ("Sessions are too short" -> "sessions too short"). Stop words, vague nouns
    ("end", "minute") and the questionnaire's own title words are never proposed on their own.
    Examples are quoted from `texts` as given, so pass redacted answers.
    """
    if min_count < 1:
        raise ValueError("min_count must be at least 1")
    matcher = codebook._matcher
    answers: dict[tuple[str, ...], list[int]] = defaultdict(list)
    spellings: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for index, text in enumerate(texts):
        seen: set[tuple[str, ...]] = set()
        cleaned = _SUBSTITUTE.sub(" ", text)
        phrases = [
            _trim_junk(candidate) for phrase in tagged_noun_phrases(cleaned) for candidate in _candidates(phrase)
        ]
        phrases += [phrase for sentence in tagged_sentences(cleaned) for phrase in _descriptions(sentence)]
        for candidate in phrases:
            spelling = " ".join(candidate)
            stems = tuple(_stem(word) for word in _MATCH_WORD.findall(spelling))
            if (
                not stems
                or stems in seen
                or matcher.covers(stems)
                or all(s in _VAGUE_STEMS for s in stems)
                or _junk(tuple(_MATCH_WORD.findall(spelling)), stems, matcher.title_words)
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
    titles = pack_titles(pack)
    check_titles(codebook, titles)
    return codebook.for_titles(titles)


def pack_titles(pack: packs.Pack) -> list[str]:
    """The (English) titles of a pack's questionnaires."""
    titles = []
    for slug in pack.questionnaires:
        try:
            title = tomllib.loads(pack.questionnaire_file(slug).read_text(encoding="utf-8")).get("title")
        except (OSError, tomllib.TOMLDecodeError):
            continue  # the pack's own checks report a broken questionnaire file
        if isinstance(title, str):
            titles.append(title)
    return titles


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
        if theme.examples:
            lines += ["examples = [", *(f"    {_toml_string(example)}," for example in theme.examples), "]"]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class _Matcher:
    keys: tuple[str, ...]
    # First stem of a keyword -> (all its stems, theme index): one dict lookup per word of an answer.
    starting_with: dict[str, tuple[tuple[tuple[str, ...], int], ...]]
    # Every run of consecutive keyword stems: a phrase made only of part of a keyword is covered too.
    keyword_parts: frozenset[tuple[str, ...]]
    examples: _Examples | None
    title_words: frozenset[str]

    @classmethod
    def build(cls, codebook: Codebook) -> _Matcher:
        starting_with: dict[str, list[tuple[tuple[str, ...], int]]] = defaultdict(list)
        parts: set[tuple[str, ...]] = set()
        for index, theme in enumerate(codebook.themes):
            for keyword in theme.keywords:
                if _title_only(keyword, codebook.title_words):
                    continue  # "meeting" in a codebook for "After the meeting": in every answer
                stems = tuple(_stems(keyword))
                starting_with[stems[0]].append((stems, index))
                parts.update(stems[i:j] for i in range(len(stems)) for j in range(i + 1, len(stems) + 1))
        return cls(
            keys=tuple(theme.key for theme in codebook.themes),
            starting_with={stem: tuple(entries) for stem, entries in starting_with.items()},
            keyword_parts=frozenset(parts),
            examples=_Examples.build(codebook),
            title_words=codebook.title_words,
        )

    def covers(self, stems: tuple[str, ...]) -> bool:
        """Whether a phrase contains a keyword, or is itself part of one."""
        if stems in self.keyword_parts:
            return True
        return any(
            _contains(stems, keyword) for stem in stems for keyword, _ in self.starting_with.get(stem, ())
        )


class _Examples:
    """TF-IDF vectors of a codebook's example answers, fitted once, to find answers close to them."""

    def __init__(self, vectorizer: TfidfVectorizer, matrix, themes: list[int], words: list[frozenset[str]]):
        self.vectorizer = vectorizer
        self.matrix = matrix  # one l2-normalised row per example
        self.themes = themes  # the theme index of each row
        self.words = words  # each example's content stems

    @classmethod
    def build(cls, codebook: Codebook) -> _Examples | None:
        examples = [(index, text) for index, theme in enumerate(codebook.themes) for text in theme.examples]
        title_words = codebook.title_words

        def analyse(text: str) -> list[str]:
            stems = [s for s in _content_stems(_SUBSTITUTE.sub(" ", text)) if s not in title_words]
            return stems + [f"{a} {b}" for a, b in zip(stems, stems[1:])]

        if not examples or not any(analyse(text) for _, text in examples):
            return None
        vectorizer = TfidfVectorizer(analyzer=analyse, sublinear_tf=True)
        matrix = vectorizer.fit_transform([text for _, text in examples])
        words = [frozenset(t for t in analyse(text) if " " not in t) for _, text in examples]
        return cls(vectorizer, matrix, [index for index, _ in examples], words)

    def close_themes(self, texts: Sequence[str]) -> list[set[int]]:
        """For each text, the themes of the examples it is close to."""
        if not texts:
            return []
        vectors = self.vectorizer.transform(texts)
        similarities = (vectors @ self.matrix.T).tocsr()
        analyse = self.vectorizer.analyzer
        close: list[set[int]] = []
        for row, text in enumerate(texts):
            start, end = similarities.indptr[row], similarities.indptr[row + 1]
            themes: set[int] = set()
            words = None
            for example, score in zip(similarities.indices[start:end], similarities.data[start:end]):
                if score < EXAMPLE_SIMILARITY or self.themes[example] in themes:
                    continue
                if words is None:
                    words = frozenset(t for t in analyse(text) if " " not in t)
                if len(words & self.words[example]) >= EXAMPLE_SHARED_WORDS:
                    themes.add(self.themes[example])
            close.append(themes)
        return close


def _content_stems(text: str) -> list[str]:
    """Stems of the words of `text` that say what it is about (no stop words)."""
    return [_stem(word) for word in _MATCH_WORD.findall(text.lower()) if _plain(word) not in _STOP_WORDS]


_CLITIC = re.compile(r"'(?:s|re|ve|ll|d|m)$")


def _plain(word: str) -> str:
    """A word as the stop list spells it: "He's" -> "he", "don't" -> "dont"."""
    return _CLITIC.sub("", word.lower().replace("’", "'")).replace("'", "")


def _title_only(keyword: str, title_words: frozenset[str]) -> bool:
    """Whether every content word of `keyword` is a title word ("meeting", "the meeting")."""
    if not title_words:
        return False
    stems = _content_stems(keyword)
    return bool(stems) and all(stem in title_words for stem in stems)


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


# "Sessions are too short" -> "sessions too short": a thing, then how it was. Linking verbs are
# dropped; "too", "not" and "more"/"less" are kept, since they carry the point; intensifiers go.
_LINKING = frozenset("is are was were 's 're be been being am seem seems seemed felt feels feel got gets".split())
_KEPT_ADVERBS = frozenset("too not n't never more less".split())
_INTENSIFIERS = frozenset("very really so quite pretty a bit little far way pure dead always just still".split())


def _descriptions(sentence: list[tuple[str, str]]) -> list[tuple[str, ...]]:
    """Noun-then-description phrases in a tagged sentence: "the room was freezing" -> "room freezing"."""
    found = []
    for index, (word, tag) in enumerate(sentence):
        if tag not in ("NN", "NNS") or word in _JUNK_NOUNS:
            continue
        position, kept = index + 1, []
        while position < len(sentence) and sentence[position][0] in _LINKING | _INTENSIFIERS:
            position += 1
        while position < len(sentence) and sentence[position][0] in _KEPT_ADVERBS | _INTENSIFIERS:
            if sentence[position][0] in _KEPT_ADVERBS:
                kept.append("not" if sentence[position][0] == "n't" else sentence[position][0])
            position += 1
        if position == index + 1 and not kept:
            continue  # "the art room": a noun phrase, found already
        if position < len(sentence) and sentence[position][1] in ("JJ", "JJR", "VBG") and len(sentence[position][0]) > 2:
            if sentence[position][1] == "VBG" and position + 1 < len(sentence) and sentence[position + 1][1] in (
                "DT", "PRP", "PRP$", "NN", "NNS", "IN", "TO",
            ):
                continue  # "the staff were making tea": something done, not how it was
            found.append((word, *kept, sentence[position][0]))
    return found


def _trim_junk(words: tuple[str, ...]) -> tuple[str, ...]:
    """A phrase without vague nouns at its ends: "creche today" -> "creche", "ten minutes" -> "ten"."""
    start, end = 0, len(words)
    while start < end and words[start] in _JUNK_NOUNS:
        start += 1
    while end > start and words[end - 1] in _JUNK_NOUNS:
        end -= 1
    return words[start:end]


def _junk(words: tuple[str, ...], stems: tuple[str, ...], title_words: frozenset[str]) -> bool:
    """Stop words, vague nouns and the questionnaire's title words don't make a theme on their own."""
    content = [
        (word, stem)
        for word, stem in zip(words, stems)
        if _plain(word) not in _STOP_WORDS and word not in _JUNK_NOUNS and not word.isdigit()
    ]
    if not content:
        return True
    if len(words) == 1:
        word, stem = content[0]
        return len(word) < 3 or stem in title_words
    return all(stem in title_words for _, stem in content)


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
    _only_fields(raw, {"key", "name", "description", "keywords", "examples"}, where)
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
    examples = raw.get("examples", [])
    if not isinstance(examples, list) or len(examples) > MAX_EXAMPLES:
        raise CodebookError(f"{where}: examples must be a list of up to {MAX_EXAMPLES} answers")
    for example in examples:
        if not isinstance(example, str) or not _MATCH_WORD.search(example) or len(example) > MAX_EXAMPLE_LENGTH:
            raise CodebookError(f"{where}: example {example!r} must be an answer of 1 to {MAX_EXAMPLE_LENGTH} characters")
    return Theme(
        key=key,
        name=raw["name"],
        description=raw["description"],
        keywords=tuple(keywords),
        examples=tuple(examples),
    )


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
