"""Theming answers against versioned codebooks, and proposing the themes a codebook misses."""

import dataclasses
import tomllib

import pytest

from surveys import packs
from voice.themes import (
    Codebook,
    CodebookError,
    Proposal,
    Theme,
    check_titles,
    codebook_to_toml,
    default_codebook,
    load_codebook,
    match_many,
    match_themes,
    pack_titles,
    parse_codebook,
    propose_themes,
    title_stems,
)

INITIATIVES = ["art-at-the-start", "anew", "cmhwf"]


def codebook(*themes: Theme) -> Codebook:
    return Codebook(initiative="test", version=1, themes=themes)


LISTENING = Theme("listened-to", "Being listened to", "Heard, not talked over.", ("listen", "talked over"))
ART = Theme("art", "Art", "Making art.", ("art",))
VIEWS = Theme("childs-views", "Child's views", "The child was asked.", ("child's views",))
SAFE = Theme("feeling-safe", "Feeling safe", "Safe and calm.", ("feel safe",))
BOOK = codebook(LISTENING, ART, VIEWS, SAFE)


@pytest.mark.parametrize(
    "answer", ["They listened", "always listening to us", "She listens", "LISTEN up", "listen."]
)
def test_a_keyword_matches_its_inflections(answer):
    assert match_themes(answer, BOOK) == ("listened-to",)


@pytest.mark.parametrize(
    "answer", ["A good start", "bless her heart", "an artistic streak", "party", "smart"]
)
def test_a_keyword_never_matches_inside_another_word(answer):
    assert "art" not in match_themes(answer, BOOK)


@pytest.mark.parametrize("answer", ["we did art", "Art!", "the arts and crafts", "my son's art"])
def test_a_keyword_matches_as_a_whole_word_in_any_case(answer):
    assert match_themes(answer, BOOK) == ("art",)


@pytest.mark.parametrize(
    "answer",
    ["They asked my child's view", "my childs views", "the children's views came first", "my child’s views"],
)
def test_phrases_match_across_plurals_and_possessives(answer):
    assert match_themes(answer, BOOK) == ("childs-views",)


def test_phrases_must_appear_word_for_word_in_order():
    assert match_themes("views of my child", BOOK) == ()
    assert match_themes("nobody talked over me", BOOK) == ("listened-to",)
    assert match_themes("talked to me over tea", BOOK) == ()


def test_common_irregular_forms_match_the_keyword():
    assert match_themes("I felt safe there", BOOK) == ("feeling-safe",)
    assert match_themes("feeling safe", BOOK) == ("feeling-safe",)


def test_matched_keys_come_in_codebook_order_once_each():
    answer = "I feel safe, we did art, they listened and listened, my child's views mattered"
    assert match_themes(answer, BOOK) == ("listened-to", "art", "childs-views", "feeling-safe")
    assert match_themes("", BOOK) == ()


@pytest.mark.parametrize(
    ("initiative", "answer", "theme"),
    [
        ("art-at-the-start", "She loved the materials", "space-and-staff"),
        ("art-at-the-start", "The staff were lovely", "space-and-staff"),
        ("art-at-the-start", "I noticed he chose the blue every time", "noticing-choices"),
        ("art-at-the-start", "She's much less shy now", "confidence"),
        ("art-at-the-start", "Just the two of us, no phones", "time-together"),
        ("art-at-the-start", "We laughed together so much and felt closer", "connection"),
        ("anew", "Nobody talked over me", "listened-to"),
        ("anew", "I know who to phone now", "next-steps"),
        ("anew", "They asked my daughter what she wanted", "childs-views-first"),
        ("anew", "Got help with the forms and a food voucher", "practical-help"),
        ("cmhwf", "I felt safe", "feeling-safe"),
        ("cmhwf", "She actually understood me", "being-understood"),
        ("cmhwf", "Me and my mum argue less", "relationships-at-home"),
        ("cmhwf", "I know who to phone now", "where-to-get-help"),
    ],
)
def test_default_codebooks_find_the_themes_people_actually_write(initiative, answer, theme):
    assert theme in match_themes(answer, default_codebook(initiative))


def test_art_at_the_start_finds_no_theme_in_start_or_heart():
    book = default_codebook("art-at-the-start")
    assert match_themes("We got there at the start, bless her heart", book) == ()


@pytest.mark.parametrize("initiative", INITIATIVES)
def test_every_default_codebook_loads_and_round_trips_through_toml(initiative):
    book = default_codebook(initiative)
    assert book.initiative == initiative
    assert book.version >= 1
    assert len(book.themes) >= 4
    for theme in book.themes:
        assert theme.name and theme.description and len(theme.keywords) >= 10
    assert parse_codebook(codebook_to_toml(book)) == book
    assert load_codebook(packs.get(initiative).codebook_file) == book


def test_every_pack_ships_a_codebook_for_its_own_initiative():
    assert set(INITIATIVES) <= set(packs.names())
    for pack in packs.all_packs():
        assert default_codebook(pack.name).initiative == pack.initiative_slug


def test_default_codebooks_have_no_keyword_twice_within_a_theme():
    for initiative in INITIATIVES:
        for theme in default_codebook(initiative).themes:
            lowered = [keyword.lower() for keyword in theme.keywords]
            assert len(lowered) == len(set(lowered)), (initiative, theme.key)


def test_toml_round_trip_escapes_awkward_text(tmp_path):
    awkward = Theme(
        "quotes",
        'Say "hello" \\ wave',
        "Line one\nLine two\ttabbed \x01 \x7f — ü ✓",
        ("child's views", 'the "wee" room'),
    )
    book = Codebook("anew", 7, (awkward,))
    text = codebook_to_toml(book)
    tomllib.loads(text)  # valid TOML, not merely readable by our own parser
    assert parse_codebook(text) == book
    path = tmp_path / "anew.toml"
    path.write_text(text, encoding="utf-8")
    assert load_codebook(path) == book


def test_default_codebook_for_an_unknown_initiative_is_an_error():
    with pytest.raises(CodebookError, match="no default codebook"):
        default_codebook("nonesuch")
    with pytest.raises(CodebookError):
        default_codebook("../voice/codebooks/anew")


HEAD = "initiative = 'anew'\nversion = 1\n"
THEME = "[[themes]]\nkey = 'a'\nname = 'A'\ndescription = 'd'\nkeywords = ['x']\n"


@pytest.mark.parametrize(
    ("toml_text", "problem"),
    [
        (HEAD, "at least one"),
        (HEAD.replace("1", "0") + THEME, "version"),
        (HEAD.replace("anew", "A New") + THEME, "slug"),
        (HEAD + THEME.replace("key = 'a'", "key = 'Theme A'"), "slug"),
        (HEAD + THEME.replace("['x']", "[]"), "keywords"),
        (HEAD + THEME.replace("'x'", "'!!'"), "no words"),
        (HEAD + THEME.replace("'A'", "''"), "name"),
        (HEAD + THEME.replace("keywords", "keyword"), "unknown"),
        (HEAD + THEME + THEME.replace("'x'", "'y'"), "used twice"),
        ("initiative = 'anew\n", "not valid TOML"),
    ],
)
def test_malformed_codebooks_are_refused_with_a_reason(toml_text, problem):
    with pytest.raises(CodebookError, match=problem):
        parse_codebook(toml_text)


def test_a_changed_codebook_is_a_different_codebook_and_rethemes():
    book = codebook(ART)
    assert match_themes("we sang songs", book) == ()
    singing = dataclasses.replace(ART, keywords=("art", "sing"))
    newer = dataclasses.replace(book, version=2, themes=(singing,))
    assert newer != book
    assert match_themes("we sang songs", newer) == ()  # "sang" is irregular: keywords list it if wanted
    assert match_themes("we were singing", newer) == ("art",)


ANSWERS = [
    "The creche was full again",
    "No creche so I brought the baby",
    "a creche please!",
    "The creche, the creche, the creche",  # one answer, counted once
    "Staff listened to me",
    "They listened and the staff were kind",
    "The staff listened",
    "I had a long wait",
    "really long wait outside",
    "Another long wait for the bus",
    "the wait was fine",
]


def test_proposals_count_each_answer_once_and_rank_by_count():
    proposals = propose_themes(ANSWERS, codebook(LISTENING))
    assert proposals[0] == Proposal(
        phrase="creche",
        count=4,
        examples=("a creche please!", "The creche was full again", "No creche so I brought the baby"),
    )
    counts = [proposal.count for proposal in proposals]
    assert counts == sorted(counts, reverse=True)


def test_proposals_exclude_phrases_the_codebook_already_covers():
    staff = Theme("staff", "Staff", "The people running it.", ("staff",))
    phrases = [proposal.phrase for proposal in propose_themes(ANSWERS, codebook(LISTENING, staff))]
    assert "staff" not in phrases
    assert "creche" in phrases
    without_staff_theme = [proposal.phrase for proposal in propose_themes(ANSWERS, codebook(LISTENING))]
    assert "staff" in without_staff_theme


def test_proposals_group_inflections_and_keep_the_core_noun():
    proposals = {proposal.phrase: proposal.count for proposal in propose_themes(ANSWERS, codebook(LISTENING))}
    assert proposals["long wait"] == 3
    assert proposals["wait"] == 4  # the three long waits and "the wait was fine"


def test_a_core_noun_is_not_proposed_twice_when_it_only_appears_in_the_longer_phrase():
    answers = [
        "a long wait",
        "Long waits again",
        "the long wait",
        "the bus fares are dear",
        "no bus fare",
        "a bus fare",
    ]
    proposals = propose_themes(answers, codebook(LISTENING))
    assert [(proposal.phrase, proposal.count) for proposal in proposals] == [
        ("bus fare", 3),
        ("long wait", 3),
    ]


def test_proposals_respect_min_count_and_max_proposals():
    assert propose_themes(ANSWERS, codebook(LISTENING), min_count=5) == []
    assert len(propose_themes(ANSWERS, codebook(LISTENING), max_proposals=1)) == 1
    assert propose_themes(ANSWERS, codebook(LISTENING), max_proposals=0) == []
    with pytest.raises(ValueError):
        propose_themes(ANSWERS, codebook(LISTENING), min_count=0)


def test_proposals_ignore_redaction_substitutes_and_vague_nouns():
    answers = [
        "[name] was great",
        "[name] helped lots",
        "thanks to [name]",
        "lots of things",
        "a lot",
        "loads of stuff",
    ]
    assert propose_themes(answers, codebook(LISTENING), min_count=2) == []


def test_proposal_examples_are_short_and_at_most_three():
    long_answer = "The creche " + "was really very good " * 20
    answers = [long_answer, *ANSWERS[:4]]
    proposal = propose_themes(answers, codebook(LISTENING))[0]
    assert proposal.phrase == "creche" and proposal.count == 5
    assert len(proposal.examples) == 3
    assert long_answer not in proposal.examples
    assert all(
        len(example) <= 160 for example in propose_themes([long_answer] * 3, codebook(LISTENING))[0].examples
    )


# -- questionnaire title words, example answers, cleaner suggestions

MEETINGS = codebook(Theme("next-steps", "Next steps", "What happens next.", ("meeting", "next meeting", "plan")))


def test_a_keyword_made_only_of_a_title_word_is_refused_with_a_reason():
    with pytest.raises(CodebookError, match=r"keyword 'meeting' is in the questionnaire title 'After the meeting'"):
        check_titles(MEETINGS, ["After the meeting"])
    check_titles(MEETINGS, ["Your views"])  # no clash
    check_titles(codebook(Theme("n", "N", "d", ("next meeting",))), ["After the meeting"])  # a phrase says more


def test_a_title_word_keyword_an_older_codebook_kept_is_ignored_when_matching():
    assert match_themes("The meeting was fine", MEETINGS) == ("next-steps",)
    titled = MEETINGS.for_titles(["After the meeting"])
    assert titled == MEETINGS  # the same codebook, matched knowing its questionnaires
    assert match_themes("The meeting was fine", titled) == ()
    assert match_themes("Dates for the next meeting", titled) == ("next-steps",)
    assert match_themes("Meetings, meetings", titled) == ()


def test_shipped_codebooks_have_no_title_word_keywords():
    for pack in packs.all_packs():
        book = default_codebook(pack.name)  # checks against the pack's questionnaire titles
        assert book.title_words == title_stems(pack_titles(pack))
    anew = default_codebook("anew")
    assert "meet" in anew.title_words
    assert match_themes("The meeting was fine", anew) == ()
    assert match_themes("Good meeting, thanks", anew) == ()


CHAIRS = Theme(
    "the-chair",
    "The chair",
    "Who ran it.",
    ("chairperson",),
    examples=("The woman chairing it kept everyone on track and made sure I spoke",),
)


def test_an_answer_close_to_a_themes_example_gets_the_theme():
    book = codebook(LISTENING, CHAIRS)
    assert match_themes("the lady chairing kept everyone on track", book) == ("the-chair",)
    # One shared word is not enough, however short the answer.
    assert match_themes("on track", book) == ()
    assert match_themes("everyone was lovely", book) == ()
    assert match_themes("[name] chairing [name]", book) == ()


def test_examples_round_trip_through_toml_and_are_checked():
    book = codebook(CHAIRS)
    assert parse_codebook(codebook_to_toml(book)).themes[0].examples == CHAIRS.examples
    assert parse_codebook(HEAD + THEME + "examples = ['They let me talk']\n").themes[0].examples == ("They let me talk",)
    with pytest.raises(CodebookError, match="example"):
        parse_codebook(HEAD + THEME + "examples = ['!!']\n")
    with pytest.raises(CodebookError, match="examples"):
        parse_codebook(HEAD + THEME + "examples = 'one'\n")


def test_match_many_matches_each_text_as_match_themes_does():
    book = default_codebook("cmhwf")
    texts = ["I felt safe", "", "I know who to phone now", "Things are less tense in the house", "pizza"]
    assert match_many(texts, book) == [match_themes(text, book) for text in texts]
    assert match_many([], book) == []


def test_suggestions_drop_stop_words_vague_nouns_and_title_words():
    answers = [
        "at the end she cried", "by the end of it he was tired", "the end was rushed",
        "ten minutes late", "only had 20 minutes", "it has to be longer, minutes fly",
        "The meeting was fine", "good meeting", "long meeting",
    ]  # fmt: skip
    book = default_codebook("anew")
    phrases = [proposal.phrase for proposal in propose_themes(answers, book)]
    assert not {"end", "minute", "minutes", "has", "meeting"} & set(phrases), phrases


def test_suggestions_propose_a_thing_and_how_it_was():
    answers = [
        "Sessions are too short, we just get going",
        "the sessions are too short for the wee ones",
        "sessions too short!",
        "The creche was full",
    ]
    proposals = propose_themes(answers, default_codebook("art-at-the-start"))
    assert [(proposal.phrase, proposal.count) for proposal in proposals] == [("sessions too short", 3)]
