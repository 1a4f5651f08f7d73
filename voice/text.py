"""Offline English text analysis for free-text answers: words, sentences, tags, noun phrases, sentiment.

TextBlob's defaults call NLTK's punkt and treebank models, which Heard's machines cannot download.
This module swaps in regex tokenizers plus the Pattern tagger, chunker and sentiment lexicon that ship
inside TextBlob itself, so everything here works with no NLTK data at all.

Sentiment is VADER's (vaderSentiment, whose lexicon ships in its wheel: no download) alongside
Pattern's: VADER handles negation ("nothing was good"), intensifiers, "!!" and capitals, and
Pattern fills in where VADER's lexicon knows no word and gives the subjectivity. Both read the
answer after the slang and Scots Dundee people write is put in words they know ("it was sick!!",
"wee belter", "no bad", "didnae"), and a bare "Oh great," before a complaint reads as sarcasm.
It stays a rough guess, shown to leads only.

It also feeds Pattern Penn-style tokens ("did" "n't", "child" "'s") instead of letting it tokenize:
TextBlob 0.20.1's own tokenizer breaks contractions apart ("did n ' t"), which loses the negation in
"it wasn't good" (scored +0.7) and splits possessives out of noun phrases.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from textblob import TextBlob
from textblob._text import EMOTICONS
from textblob.base import BaseNPExtractor, BaseTokenizer
from textblob.blob import Sentence
from textblob.en import parser as _pattern_parser
from textblob.en import sentiment as _pattern_sentiment
from textblob.en.sentiments import PatternAnalyzer
from textblob.en.taggers import PatternTagger
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

__all__ = [
    "OfflineBlob",
    "Sentiment",
    "blob",
    "noun_phrases",
    "pattern_sentiment",
    "sentences",
    "sentiment",
    "tagged_noun_phrases",
    "tagged_sentences",
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
    """A rough sentiment of `text`: polarity -1 (negative) to 1, subjectivity 0 (factual) to 1.

    VADER's compound score once slang and Scots are put plainly; Pattern's polarity where VADER
    finds no feeling word at all; Pattern's subjectivity. A bare opening of praise before a
    complaint ("Yeah brilliant, waited an hour for nothing") is read as sarcasm: negative.
    """
    if not text or not text.strip():
        return Sentiment(0.0, 0.0)
    plain = _plain_words(text)
    pattern = pattern_sentiment(plain)
    polarity = _vader().polarity_scores(plain)["compound"]
    if abs(polarity) < 0.05:
        polarity = pattern.polarity
    sarcastic = _sarcasm(plain)
    if sarcastic is not None:
        polarity = min(polarity, sarcastic)
    return Sentiment(max(-1.0, min(1.0, polarity)), pattern.subjectivity)


def pattern_sentiment(text: str) -> Sentiment:
    """TextBlob's Pattern sentiment of `text`, with contractions kept intact so "n't" negates."""
    score = _pattern_sentiment([token.lower() for token in _penn_tokens(text)])
    return Sentiment(score[0], score[1])


# Words VADER's lexicon lacks or reads the other way in Dundee, with VADER-scale valences (-4..4).
_SLANG_VALENCE = {
    "belter": 2.8, "belters": 2.8, "braw": 2.5, "barry": 2.0, "chuffed": 2.5, "buzzing": 2.2,
    "buzzin": 2.2, "gutted": -2.5, "scunnered": -2.0, "rubbish": -2.2, "minging": -2.5,
    "mingin": -2.5, "honking": -2.0, "dreich": -1.0, "shambles": -2.2, "raging": -2.4,
    "judged": -1.5, "judgemental": -2.0, "judgmental": -2.0, "rushed": -1.2, "listened": 1.2,
    "believed": 1.0, "helped": 1.0, "welcoming": 2.0, "useless": -2.0, "pointless": -2.0,
}  # fmt: skip

# Rewrites from how people write to words VADER knows, applied in order, case kept where it counts.
_REWRITES: list[tuple[str, str | Callable[[re.Match[str]], str]]] = [
    # Scots negatives: "didnae" = didn't, "cannae" = can't, "no bad" = not bad ("no" before a describing word).
    (r"(?i)\b(did|could|would|should|was|is|were|are|has|have|does|do|ca|can|wo)nae\b",
     lambda m: {"ca": "can", "do": "do", "wo": "will"}.get(m.group(1).lower(), m.group(1)) + "n't"),
    (r"(?i)\bdinnae\b", "don't"),
    (r"(?i)\bnae bother\b", "fine"),
    (r"(?i)\bnae\b", "no"),
    (r"(?i)\bnaebody\b", "nobody"),
    (r"(?i)\bno\s+(?=(?:bad|great|good|happy|nice|fair|well|right|sure|fun|helpful|easy|too|very|that|so)\b)", "not "),
    # "pure", "dead", "well" and "proper" as intensifiers: "pure dead brilliant", "dead good".
    (r"(?i)\b(?:pure|dead|proper|well)\s+(?=(?:pure\s+|dead\s+)*(?:good|brilliant|great|lovely|helpful|nice|kind|friendly|fun|happy|chuffed|brill|amazing|easy|funny|magic|class|braw|barry|sad|hard|bad|boring|rubbish|angry|upset|scary|awkward|rude)\b)", "really "),
    # Slang praise that VADER reads as illness or school: "it was sick!!", "the staff were class", "pure mint".
    # "Sick" only of a thing ("it was sick", "so sick!!"): "she was sick on the bus" is ill.
    (r"(?i)\b((?:it|that|this|twas)\s*(?:was|is|['’]s)?\s+(?:so\s+|pure\s+|proper\s+|really\s+|absolutely\s+)*)sick\b",
     lambda m: m.group(1) + "great"),
    (r"(?i)\b(?:so\s+|pure\s+|proper\s+)*sick(?=\s*!)", "great"),
    (r"(?i)\b(was|were|is|are|['’]s|so|really|absolutely|proper|just)(\s+)(class|mint|magic|brill|boss)\b",
     lambda m: m.group(1) + m.group(2) + "great"),
    (r"(?i)^\s*(sick|class|mint|brill|magic)\b", "great"),
    (r"(?i)\b(?:could(?:n['’]?t| not)|can(?:no|['’])?t|never)\s+get\s+a\s+word\s+in(?:\s+edgeways)?\b", "was ignored"),
    (r"(?i)\b(a bit|was|were|is|are|total|absolute|pure|really)\s+(pants|mince|shite|pish|keech)\b",
     lambda m: m.group(1) + " rubbish"),
    (r"(?i)\bthanks for nothing\b", "useless"),
    (r"(?i)\bcan(?:no|['’])?t\s+fault\b", "excellent"),
    (r"(?i)\bcould(?:n['’]?t|\s+not)\s+(?:have|['’]ve|of)\s+been\s+better\b", "excellent"),
    (r"(?i)\b(?:could|might)\s+(?:have|['’]ve|of)\s+been\s+(?:better|clearer|longer|shorter|more\s+\w+)\b", "disappointing"),
    (r"(?i)\bcould be better\b", "disappointing"),
    # Nobody doing the job, which VADER reads as neutral: "nobody bothered to explain", "not one person asked".
    (r"(?i)\b(?:nobody|no[ -]one|not one person|not once did anyone|no-one)\s+(?:\w+\s+){0,2}?(?:bothered|asked|explained|listened|listens|listen|cared|cares|helped|helps|told|came|turned up|showed up|phoned|called|spoke|got back)\b",
     "disappointing"),
    (r"(?i)\bnever\s+(?:felt\s+|was\s+|got\s+|been\s+)?(?:listened|heard|asked|helped|told|explained|included)\b",
     "disappointing"),
]  # fmt: skip
_REWRITE_PATTERNS = [(re.compile(pattern), replacement) for pattern, replacement in _REWRITES]

# A bare opening of praise ("Oh great,", "Yeah brilliant.", "Lovely,") before something that went wrong.
_PRAISE_OPENING = re.compile(
    r"(?i)^\s*(?:(?:oh|yeah|yeh|aye|well|just|so|really)\s+)*"
    r"(?:great|brilliant|lovely|fantastic|perfect|wonderful|marvellous|fab|super|nice one|cheers|thanks|ta|(?<=aye )right|(?<=yeah )right)"
    r"\s*(?:[,.!…]+|\s+-+)\s*(?P<rest>.+)$",
    re.S,
)
# "Aye right" and "yeah right" are disbelief, whatever follows.
_IRONIC_OPENING = re.compile(r"(?i)^\s*(?:oh|yeah|yeh|aye)\s+(?:great|brilliant|lovely|fantastic|perfect|right)\b")
_COMPLAINT = re.compile(
    r"(?i)\b(?:cancel+ed|cancel+ing|wait(?:ed|ing)|late|again|as usual|typical|for nothing|waste[ds]?|"
    r"disappointing|nobody|no one|another)\b"
)
_vader_analyzer: SentimentIntensityAnalyzer | None = None


def _vader() -> SentimentIntensityAnalyzer:
    global _vader_analyzer
    if _vader_analyzer is None:
        analyzer = SentimentIntensityAnalyzer()  # reads the lexicon shipped inside the package
        analyzer.lexicon.update(_SLANG_VALENCE)
        _vader_analyzer = analyzer
    return _vader_analyzer


def _plain_words(text: str) -> str:
    """`text` with the slang and Scots VADER and Pattern don't know put in words they do."""
    text = text.replace("’", "'")  # VADER's negations are spelt with a straight apostrophe
    for pattern, replacement in _REWRITE_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def _sarcasm(text: str) -> float | None:
    """A negative score if `text` opens with bare praise and goes on to complain, else None."""
    opening = _PRAISE_OPENING.match(text)
    if opening is None:
        return None
    rest = opening.group("rest")
    rest_score = _vader().polarity_scores(rest)["compound"]
    if rest_score < -0.05:
        return rest_score
    if rest_score <= 0.3 and _COMPLAINT.search(rest) or rest_score <= 0.5 and _IRONIC_OPENING.match(text):
        return -0.4
    return None


def tagged_noun_phrases(text: str) -> list[tuple[tuple[str, str], ...]]:
    """Each noun phrase in `text` as lower-case (word, Penn tag) pairs, for callers needing the head noun."""
    phrases = []
    for sentence in _parse(text, chunks=True):
        for chunk in _noun_chunks(sentence):
            phrase = _trim(chunk)
            if phrase:
                phrases.append(tuple((word.lower(), tag) for word, tag in phrase))
    return phrases


def tagged_sentences(text: str) -> list[list[tuple[str, str]]]:
    """Each sentence of `text` as lower-case (word, Penn tag) pairs: "Sessions are too short" ->
    [[("sessions", "NNS"), ("are", "VBP"), ("too", "RB"), ("short", "JJ")]]."""
    return [[(token[0].lower(), token[1]) for token in sentence] for sentence in _parse(text, chunks=False)]


def noun_phrases(text: str) -> list[str]:
    """Noun phrases in `text`, lower-case, without leading determiners or possessives.

    "She loved the wee art room" -> ["wee art room"]; "my child's views" -> ["child's views"].
    """
    return [" ".join(word for word, _ in phrase) for phrase in tagged_noun_phrases(text)]


def blob(text: str) -> OfflineBlob:
    """A TextBlob whose .words, .sentences, .tags, .noun_phrases and .sentiment need no NLTK data."""
    return OfflineBlob(text)


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for mark in _SENTENCE_END.finditer(text):
        if mark.group() == "." and _ABBREVIATION.search(text, max(0, mark.start() - 8), mark.start()):
            continue
        spans.append((start, mark.end()))
        start = mark.end()
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

    def tokenize(self, text: str) -> list[str]:
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
            score = _pattern_sentiment([token.lower() for token in _penn_tokens(_plain_words(text))])
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
