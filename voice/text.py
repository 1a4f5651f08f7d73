"""Offline English text analysis for free-text answers: words, sentences, tags, noun phrases, sentiment.

TextBlob's defaults call NLTK's punkt and treebank models, which Heard's machines cannot download.
This module swaps in regex tokenizers plus the Pattern tagger, chunker and sentiment lexicon that ship
inside TextBlob itself, so everything here works with no NLTK data at all.

It also feeds Pattern Penn-style tokens ("did" "n't", "child" "'s") instead of letting it tokenize:
TextBlob 0.20.1's own tokenizer breaks contractions apart ("did n ' t"), which loses the negation in
"it wasn't good" (scored +0.7) and splits possessives out of noun phrases.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from textblob import TextBlob
from textblob._text import EMOTICONS
from textblob.base import BaseNPExtractor, BaseTokenizer
from textblob.blob import Sentence
from textblob.en import parser as _pattern_parser
from textblob.en import sentiment as _pattern_sentiment
from textblob.en.sentiments import PatternAnalyzer
from textblob.en.taggers import PatternTagger

__all__ = [
    "OfflineBlob",
    "Sentiment",
    "blob",
    "noun_phrases",
    "sentences",
    "sentiment",
    "tagged_noun_phrases",
    "words",
]


class Sentiment(NamedTuple):
    """Pattern lexicon scores: polarity from -1 (negative) to 1, subjectivity from 0 (factual) to 1."""

    polarity: float
    subjectivity: float


# A word keeps its inner apostrophes and hyphens ("didn't", "child's", "one-to-one"), as people read it.
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")

# Emoticons carry sentiment in Pattern's lexicon, so they must survive tokenizing as one token.
_EMOTICON = "|".join(
    re.escape(face)
    for face in sorted({face for faces in EMOTICONS.values() for face in faces}, key=len, reverse=True)
)
_TOKEN = re.compile(
    rf"(?<!\S)(?:{_EMOTICON})(?![^\W_])"  # :) <3 :-( standing alone
    r"|\(!\)"  # Pattern reads "(!)" as irony
    r"|[^\W_]+(?:['’-][^\W_]+)*"  # words
    r"|\.\.\.|…"
    r"|[^\w\s]"  # each punctuation mark on its own, so "!!" boosts twice as in Pattern
)
_CLITIC = re.compile(r"(?i)^(.+?)(n['’]t|['’](?:s|re|ve|ll|d|m))$")

_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)|[ \t]*\n\s*")
_ABBREVIATION = re.compile(r"(?i)(?:^|[^\w.])(?:mr|mrs|ms|mx|dr|st|prof|e\.g|i\.e|vs|cf|approx)$")

# Tags that open a noun chunk without naming anything: "the", "my", "really", "she", "who".
_NOT_NAMING = frozenset(
    {"DT", "PDT", "PRP", "PRP$", "WP", "WP$", "WDT", "CC", "IN", "TO", "EX", "RB", "RBR", "RBS", "UH", "POS"}
)
_SIGN_OFFS = frozenset({"please", "thanks", "thank", "cheers", "ta", "lol", "x", "xx", "xxx", "ok", "okay"})
_ARTICLES = frozenset({"a", "an", "the", "another", "every", "any", "no", "some"})
_NOUN_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS"})
# Pattern tags these as nouns, but they are pronouns: "nobody talked over me" has no noun phrase.
_PRONOUN_WORDS = frozenset(
    "nobody noone everybody everyone somebody someone anybody anyone "
    "nothing everything something anything".split()
)


def words(text: str) -> list[str]:
    """The words in `text` as written, without punctuation ("didn't" and "child's" stay whole)."""
    return _WORD.findall(text)


def sentences(text: str) -> list[str]:
    """The sentences in `text`: split after . ! ? … and at line breaks, not after "Dr." or "e.g."."""
    return [text[start:end] for start, end in _sentence_spans(text)]


def sentiment(text: str) -> Sentiment:
    """TextBlob's Pattern sentiment of `text`, with contractions kept intact so "n't" negates."""
    score = _pattern_sentiment([token.lower() for token in _penn_tokens(text)])
    return Sentiment(score[0], score[1])


def tagged_noun_phrases(text: str) -> list[tuple[tuple[str, str], ...]]:
    """Each noun phrase in `text` as lower-case (word, Penn tag) pairs, for callers needing the head noun."""
    phrases = []
    for sentence in _parse(text, chunks=True):
        for chunk in _noun_chunks(sentence):
            phrase = _trim(chunk)
            if phrase:
                phrases.append(tuple((word.lower(), tag) for word, tag in phrase))
    return phrases


def noun_phrases(text: str) -> list[str]:
    """Noun phrases in `text`, lower-case, without leading determiners or possessives.

    "She loved the wee art room" -> ["wee art room"]; "my child's views" -> ["child's views"].
    """
    return [" ".join(word for word, _ in phrase) for phrase in tagged_noun_phrases(text)]


def blob(text: str) -> OfflineBlob:
    """A TextBlob whose .words, .sentences, .tags, .noun_phrases and .sentiment need no NLTK data."""
    return OfflineBlob(text)


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for end in _SENTENCE_END.finditer(text):
        if end.group() == "." and _ABBREVIATION.search(text, max(0, end.start() - 8), end.start()):
            continue
        spans.append((start, end.end()))
        start = end.end()
    spans.append((start, len(text)))
    trimmed = []
    for start, end in spans:
        piece = text[start:end]
        if piece.strip():
            start += len(piece) - len(piece.lstrip())
            end -= len(piece) - len(piece.rstrip())
            trimmed.append((start, end))
    return trimmed


def _penn_tokens(text: str) -> list[str]:
    """Tokens the way Pattern's lexicon expects them: punctuation apart, "didn't" -> "did" "n't"."""
    tokens = []
    for token in _TOKEN.findall(text):
        clitic = _CLITIC.match(token) if ("'" in token or "’" in token) else None
        if clitic:
            tokens.append(clitic.group(1))
            tokens.append(clitic.group(2).replace("’", "'"))
        else:
            tokens.append(token)
    return tokens


def _parse(text: str, *, chunks: bool) -> list[list[list[str]]]:
    """Pattern's parse of `text` as [sentence][token] = [word, tag, (chunk, relation)]."""
    tokenized = [tokens for sentence in sentences(text) if (tokens := _penn_tokens(sentence))]
    if not tokenized:
        return []
    written = [tokens[0] for tokens in tokenized]
    for tokens in tokenized:
        # Pattern's lexicon has "Long" and "Lovely" as proper nouns; a capital that only starts a
        # sentence says nothing, so tag the word as the lexicon knows it in lower case.
        if tokens[0][:1].isupper() and tokens[0].lower() in _pattern_parser.lexicon:
            tokens[0] = tokens[0].lower()
    tagged = _pattern_parser.parse(tokenized, tokenize=False, tags=True, chunks=False, collapse=False)
    for sentence, first_word in zip(tagged, written):
        sentence[0][0] = first_word
        _correct_pattern_tags(sentence)
    if chunks:
        tagged = [_pattern_parser.find_chunks(sentence) for sentence in tagged]
    return tagged


def _correct_pattern_tags(sentence: list[list[str]]) -> None:
    """Retag sign-offs Pattern calls nouns ("please", "thanks") and verbs that can only be nouns.

    Pattern's tagger reads "a long wait", "the bus pass helped" and "long waits" with
    wait/pass as verbs, which hides the very nouns people's answers are about. After an article
    or possessive (adjectives and adverbs allowed between), after a noun when a verb follows, or
    after an opening run of adjectives, such a verb is a noun.
    """
    for index in range(1, len(sentence)):
        tag = sentence[index][1]
        if tag not in ("VB", "VBP", "VBZ"):
            continue
        before, adjectives = index - 1, False
        while before >= 0 and sentence[before][1].startswith(("JJ", "RB")):
            adjectives = adjectives or sentence[before][1].startswith("JJ")
            before -= 1
        previous_word, previous_tag = sentence[before][:2] if before >= 0 else ("", "")
        following_tag = sentence[index + 1][1] if index + 1 < len(sentence) else "."
        if previous_tag in ("PRP$", "POS") or previous_word.lower() in _ARTICLES or adjectives and before < 0:
            sentence[index][1] = "NNS" if tag == "VBZ" else "NN"
        elif (
            before == index - 1
            and tag == "VB"
            and previous_tag in ("NN", "NNP")
            and (following_tag.startswith(("VB", "MD")) or not following_tag[:1].isalpha())
        ):
            sentence[index][1] = "NN"
    for token in sentence:
        if token[1].startswith("NN") and token[0].lower() in _SIGN_OFFS:
            token[1] = "UH"


def _noun_chunks(sentence: list[list[str]]) -> list[list[tuple[str, str]]]:
    """Group NP-chunked tokens, gluing "'s" back onto its noun so "child 's views" is one phrase."""
    chunks: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    after_possessive = False
    for word, tag, chunk, *_ in sentence:
        if tag == "POS" and current:
            current[-1] = (current[-1][0] + word, current[-1][1])
            after_possessive = True
            continue
        if chunk == "I-NP" and current or chunk == "B-NP" and after_possessive:
            current.append((word, tag))
        elif chunk in ("B-NP", "I-NP"):
            chunks.append(current)
            current = [(word, tag)]
        else:
            chunks.append(current)
            current = []
        after_possessive = False
    chunks.append(current)
    return [chunk for chunk in chunks if chunk]


def _trim(chunk: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Drop leading determiners/possessives/pronouns and anything after the last noun."""
    start = 0
    while start < len(chunk) and (
        chunk[start][1] in _NOT_NAMING or chunk[start][0].lower() in _PRONOUN_WORDS
    ):
        start += 1
    nouns = [
        index
        for index in range(start, len(chunk))
        if chunk[index][1] in _NOUN_TAGS and chunk[index][0].lower() not in _PRONOUN_WORDS
    ]
    if not nouns:
        return []
    return chunk[start : nouns[-1] + 1]


class RegexWordTokenizer(BaseTokenizer):
    """Words without punctuation, by regex (NLTK's treebank tokenizer needs punkt)."""

    def tokenize(self, text: str) -> list[str]:  # type: ignore[override]
        return words(text)


class PennPatternTagger(PatternTagger):
    """Pattern's tagger fed Penn-style tokens, so "didn't" tags as did/VBD n't/RB."""

    def tag(self, text, tokenize=True):
        if not isinstance(text, str):
            text = text.raw
        return [(token[0], token[1]) for sentence in _parse(text, chunks=False) for token in sentence]


class ChunkNPExtractor(BaseNPExtractor):
    """Noun phrases from Pattern's chunker (TextBlob's extractors need NLTK corpora)."""

    def extract(self, text: str) -> list[str]:
        return noun_phrases(text)


class PennPatternAnalyzer(PatternAnalyzer):
    """TextBlob's PatternAnalyzer with contractions kept intact, so "wasn't good" scores negative."""

    def analyze(self, text, keep_assessments=False):
        if keep_assessments:
            score = _pattern_sentiment([token.lower() for token in _penn_tokens(text)])
            return _Assessed(score[0], score[1], score.assessments)
        return sentiment(text)


class _Assessed(NamedTuple):
    polarity: float
    subjectivity: float
    assessments: list


_WORD_TOKENIZER = RegexWordTokenizer()
_TAGGER = PennPatternTagger()
_NP_EXTRACTOR = ChunkNPExtractor()
_ANALYZER = PennPatternAnalyzer()


class OfflineBlob(TextBlob):
    """TextBlob wired to the offline tokenizers, tagger, noun-phrase extractor and sentiment above."""

    def __init__(self, text, tokenizer=None, pos_tagger=None, np_extractor=None, analyzer=None, **kwargs):
        super().__init__(
            text,
            tokenizer=tokenizer or _WORD_TOKENIZER,
            pos_tagger=pos_tagger or _TAGGER,
            np_extractor=np_extractor or _NP_EXTRACTOR,
            analyzer=analyzer or _ANALYZER,
            **kwargs,
        )

    def _create_sentence_objects(self):
        # TextBlob's version calls NLTK's punkt; same Sentence objects, regex boundaries.
        return [
            Sentence(
                self.raw[start:end],
                start_index=start,
                end_index=end,
                tokenizer=self.tokenizer,
                np_extractor=self.np_extractor,
                pos_tagger=self.pos_tagger,
                analyzer=self.analyzer,
                parser=self.parser,
                classifier=self.classifier,
            )
            for start, end in _sentence_spans(self.raw)
        ]
