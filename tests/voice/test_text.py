"""Offline text analysis: words, sentences, tags, noun phrases and sentiment with no NLTK data."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from textblob import TextBlob

from voice.text import (
    OfflineBlob,
    Sentiment,
    blob,
    noun_phrases,
    pattern_sentiment,
    sentences,
    sentiment,
    tagged_noun_phrases,
    words,
)

ROOT = Path(__file__).resolve().parents[2]


def test_words_keep_contractions_and_possessives_whole_and_drop_punctuation():
    assert words("She loved it!! My child's views didn't count... one-to-one, 10/10") == [
        "She", "loved", "it", "My", "child's", "views", "didn't", "count", "one-to-one", "10", "10",
    ]  # fmt: skip


def test_sentences_split_on_end_marks_and_line_breaks_but_not_abbreviations():
    text = "Dr. Patel was kind. We left happy!  Would come again?\nThanks"
    assert sentences(text) == ["Dr. Patel was kind.", "We left happy!", "Would come again?", "Thanks"]


def test_sentences_of_blank_text_are_empty():
    assert sentences("   \n ") == []
    assert blob("").sentences == []


def test_blob_sentences_know_where_they_are_in_the_answer():
    answer = "Great staff. Lovely room."
    second = blob(answer).sentences[1]
    assert answer[second.start : second.end] == "Lovely room."


def test_blob_gives_words_tags_and_noun_phrases_without_nltk():
    answer = blob("She loved the paint and the wee art room. Nobody talked over me.")
    assert isinstance(answer, OfflineBlob) and isinstance(answer, TextBlob)
    assert list(answer.words[:4]) == ["She", "loved", "the", "paint"]
    assert ("paint", "NN") in answer.tags
    assert ("loved", "VBD") in answer.tags
    assert all(tag not in (".", ",") for _, tag in answer.tags)
    assert list(answer.noun_phrases) == ["paint", "wee art room"]


def test_tags_split_contractions_like_the_penn_treebank():
    assert blob("It wasn't good").tags == [("It", "PRP"), ("was", "VBD"), ("n't", "RB"), ("good", "JJ")]


def test_noun_phrases_are_trimmed_of_determiners_possessives_and_pronouns():
    assert noun_phrases("The wee art room") == ["wee art room"]
    assert noun_phrases("They respected my child's views") == ["child's views"]
    assert noun_phrases("Nobody talked over me") == []
    assert noun_phrases("") == []


def test_nouns_the_tagger_reads_as_verbs_are_still_found():
    # Pattern tags "wait" and "pass" as verbs here; answers are often about exactly these things.
    assert noun_phrases("We had a really long wait") == ["long wait"]
    assert noun_phrases("The free bus pass helped us") == ["free bus pass"]
    assert noun_phrases("They listen") == []


def test_tagged_noun_phrases_keep_the_tags_for_finding_the_head_noun():
    assert tagged_noun_phrases("The bus fares were dear") == [(("bus", "NN"), ("fares", "NNS"))]


def test_pattern_sentiment_matches_textblob_where_textblob_tokenizes_correctly():
    for answer in ["The staff were lovely and kind", "It was a terrible long wait", "OK", "great fun :)"]:
        assert tuple(pattern_sentiment(answer)) == pytest.approx(tuple(TextBlob(answer).sentiment))
        # The combined score keeps Pattern's subjectivity and agrees with it on plain answers.
        combined = sentiment(answer)
        assert combined.subjectivity == pytest.approx(TextBlob(answer).sentiment.subjectivity)
        assert (combined.polarity > 0) == (TextBlob(answer).sentiment.polarity > 0)


def test_sentiment_keeps_negated_contractions_negative():
    # TextBlob 0.20.1 tokenizes "wasn't" as "was n ' t" and scores this +0.7.
    assert sentiment("It wasn't good").polarity < 0
    assert sentiment("It wasn’t good") == sentiment("It was not good")
    assert sentiment("It was good").polarity > 0


def test_sentiment_is_a_named_pair_and_matches_the_blob():
    score = sentiment("Brilliant, really helpful staff!")
    assert isinstance(score, Sentiment)
    assert score.polarity > 0.5 and 0 < score.subjectivity <= 1
    assert blob("Brilliant, really helpful staff!").sentiment == score
    assert sentiment("") == Sentiment(0.0, 0.0)


def test_sentiment_reads_emoticons_and_exclamations():
    assert sentiment("fun :(").polarity < sentiment("fun").polarity < sentiment("fun :)").polarity
    assert sentiment("great!").polarity > sentiment("great").polarity


def _empty_nltk_environment(tmp_path: Path) -> dict[str, str]:
    nltk_data = tmp_path / "nltk_data"
    home = tmp_path / "home"
    nltk_data.mkdir()
    home.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith("NLTK")}
    env.update(NLTK_DATA=str(nltk_data), HOME=str(home), PYTHONPATH=str(ROOT))
    return env


def test_whole_pipeline_runs_with_no_nltk_data_at_all(tmp_path):
    script = textwrap.dedent("""
        import os

        import nltk

        # Only the empty folder: system-wide NLTK data (/usr/share/nltk_data, ...) must not help either.
        nltk.data.path[:] = [os.environ["NLTK_DATA"]]

        from voice.text import blob, noun_phrases, sentiment, words
        from voice.themes import default_codebook, match_themes, propose_themes

        # Prove the environment really has no NLTK data: punkt must be missing.
        try:
            nltk.data.find("tokenizers/punkt")
        except LookupError:
            pass
        else:
            raise SystemExit("punkt was found; the test environment is not empty")

        answer = blob("Nobody talked over me. I know who to phone now, and the bus fare help was great.")
        assert [str(s) for s in answer.sentences] == [
            "Nobody talked over me.", "I know who to phone now, and the bus fare help was great."
        ], answer.sentences
        assert "phone" in answer.words
        assert ("talked", "VBD") in answer.tags
        assert "bus fare help" in answer.noun_phrases, answer.noun_phrases
        assert answer.sentiment.polarity > 0
        assert words("didn't") == ["didn't"]
        assert noun_phrases("the wee art room") == ["wee art room"]
        assert sentiment("It wasn't good").polarity < 0
        codebook = default_codebook("anew")
        assert match_themes(str(answer), codebook) == ("listened-to", "next-steps", "practical-help")
        proposals = propose_themes(["The creche was full", "no creche", "a creche please"], codebook)
        assert [(p.phrase, p.count) for p in proposals] == [("creche", 3)], proposals
        print("offline ok")
        """)
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=_empty_nltk_environment(tmp_path),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "offline ok"


def test_plain_textblob_does_need_nltk_data_so_the_offline_test_means_something(tmp_path):
    script = textwrap.dedent("""
        import os

        import nltk

        nltk.data.path[:] = [os.environ["NLTK_DATA"]]

        from textblob import TextBlob

        TextBlob("One. Two.").sentences
        """)
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=_empty_nltk_environment(tmp_path),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "MissingCorpusError" in result.stderr or "LookupError" in result.stderr
