"""Redaction of free-text answers: what is found, what is left alone, and how well it does overall."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voice import redaction
from voice.redaction import Redaction, Replacement, find_identifiers, redact


def _load_cases():
    # Loaded by path so the tests work whether or not tests/ becomes a package.
    path = Path(__file__).with_name("redaction_cases.py")
    spec = importlib.util.spec_from_file_location("redaction_cases", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


cases = _load_cases()


def redacted(text: str, **kwargs) -> str:
    return redact(text, **kwargs).text


# --- the figures over realistic answers --------------------------------------------------------


@pytest.fixture(scope="module")
def figures():
    return cases.score(
        lambda text: [(i.kind, i.start, i.end) for i in find_identifiers(text)],
        lambda text: redact(text).changed,
    )


def test_the_case_set_is_large_and_balanced():
    assert len(cases.PLANTED_CASES) + len(cases.CLEAN_CASES) >= 200
    # The first two batches stay balanced; the categories after them are measured one by one.
    core_planted, core_clean = len(cases.CORE_PLANTED_CASES), len(cases.CORE_CLEAN_CASES)
    assert abs(core_planted - core_clean) <= 0.2 * core_clean
    for category, (kind, answers) in cases.CATEGORIES.items():
        assert len(answers) >= 50, category
        assert all(kind in {k for k, _, _ in cases.parse(a).planted} for a in answers), category
    assert len(cases.RISKY_CLEAN_CASES) >= 50
    planted_kinds = {kind for case in cases.PLANTED_CASES for kind, _, _ in case.planted}
    assert planted_kinds == set(cases.KINDS)
    assert all(case.planted for case in cases.PLANTED_CASES)
    assert not any(case.planted for case in cases.CLEAN_CASES)


def test_recall_and_false_alterations_meet_targets(figures):
    print("\n" + figures.table())
    report = figures.table() + "\nmissed: " + repr(figures.missed) + "\naltered: " + repr(figures.clean_altered)
    for kind in ("email", "phone", "postcode", "link"):
        assert figures.recall(kind) >= 0.98, report
    assert figures.recall("name") >= 0.90, report
    assert figures.recall("address") >= 0.90, report
    assert figures.recall("date") >= 0.90, report
    assert figures.clean_altered_share <= 0.05, report


def test_recall_in_every_language_and_new_kind_and_risky_answers_stay_clean(figures):
    # Measured when these were added: every category 0.98 or better (surnames and numberless
    # addresses 51 of 52), and 1 risky clean answer of 95 altered ("grace said before snack").
    report = figures.table() + "\nmissed: " + repr(figures.missed) + "\naltered: " + repr(figures.clean_altered)
    for category in cases.CATEGORIES:
        assert figures.category_recall(category) >= 0.9, category + "\n" + report
    for kind in ("health number", "car reg"):
        assert figures.recall(kind) >= 0.95, report
    risky = {case.text for case in cases.RISKY_CLEAN_CASES}
    assert len([text for text in figures.clean_altered if text in risky]) <= 3, report
    assert len(figures.clean_altered) <= 4, report


def test_identifiers_get_the_right_placeholder(figures):
    for kind in cases.KINDS:
        assert figures.labelled.get(kind, 0) >= 0.95 * figures.removed.get(kind, 0), kind


# --- the shape of a Redaction ------------------------------------------------------------------


def test_placeholder_offsets_point_into_the_redacted_text():
    result = redact("Email jo@example.com or text 07712 345678, love Callum")
    assert result.text == "Email [email] or text [phone], love [name]"
    assert [r.kind for r in result.replacements] == ["email", "phone", "name"]
    for replacement in result.replacements:
        assert result.text[replacement.start : replacement.end] == f"[{replacement.kind}]"
    assert result.changed


def test_an_answer_with_nothing_to_hide_comes_back_as_it_was():
    text = "I will come again, it was a joy"
    result = redact(text)
    assert result == Redaction(text, ())
    assert result.text is text
    assert not result.changed


def test_redaction_and_replacement_are_frozen():
    result = redact("call 07712 345678")
    with pytest.raises(AttributeError):
        result.text = "x"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        result.replacements[0].kind = "name"  # type: ignore[misc]
    assert result.replacements == (Replacement("phone", 5, 12),)


def test_redacting_twice_changes_nothing_more():
    for case in cases.PLANTED_CASES + cases.CLEAN_CASES:
        once = redacted(case.text)
        assert redacted(once) == once, case.text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120) | st.sampled_from([c.text for c in cases.PLANTED_CASES]).map(lambda t: t + " " + t))
def test_the_redacted_text_is_the_original_with_each_identifier_swapped_for_its_placeholder(text):
    identifiers = find_identifiers(text)
    expected, kept_up_to = [], 0
    for identifier in identifiers:
        assert kept_up_to <= identifier.start < identifier.end  # in order, never overlapping
        expected += [text[kept_up_to : identifier.start], f"[{identifier.kind}]"]
        kept_up_to = identifier.end
    expected.append(text[kept_up_to:])
    result = redact(text)
    assert result.text == "".join(expected)
    assert [r.kind for r in result.replacements] == [i.kind for i in identifiers]
    for replacement in result.replacements:
        assert result.text[replacement.start : replacement.end] == f"[{replacement.kind}]"


# --- each kind ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("mail jenny.mcleod82@hotmail.co.uk please", "mail [email] please"),
        ("K.Wilson@outlook.com", "[email]"),
        ("it's jo @ gmail.com", "it's [email]"),
        ("me: olena.kovalenko@ukr.net.", "me: [email]."),
    ],
)
def test_emails(text, expected):
    assert redacted(text) == expected


@pytest.mark.parametrize(
    "number",
    [
        "07712 345678",
        "07712345678",
        "07700-900-456",
        "07 912 345 678",
        "+44 7700 900123",
        "+447911123456",
        "0044 7700 900 789",
        "01382 123456",
        "(01382) 434000",
        "01382 56 78 90",
        "+44 (0)1382 654321",
        "020 7946 0123",
        "0141 496 0800",
        "0300 123 4567",
        "+48 601 234 567",
    ],
)
def test_uk_and_home_country_phone_numbers(number):
    assert redacted(f"ring {number} after 5") == "ring [phone] after 5"


@pytest.mark.parametrize(
    "text",
    [
        "Session was 09.30-10.30 or 11.00-12.00",
        "I'd give it 10 out of 10",
        "we came 3 weeks in a row and paid 2.50",
        "the 22 bus at 10:15",
    ],
)
def test_times_prices_and_scores_are_not_phone_numbers(text):
    assert redacted(text) == text


@pytest.mark.parametrize(
    "postcode", ["DD1 4HN", "dd1 4hn", "DD14HN", "dd21qe", "DD11 2RQ", "G31 2HZ", "PH2 7DA", "DD4-6NT"]
)
def test_postcodes(postcode):
    assert redacted(f"we live in {postcode} now") == "we live in [postcode] now"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("see facebook.com/dundeemums", "see [link]"),
        ("www.mumlife.co.uk has it", "[link] has it"),
        ("https://youtu.be/dQw4w9WgXcQ.", "[link]."),
        ("bit.ly/3abcDEF didnt work", "[link] didnt work"),
        ("found it on dundeecity.gov.uk/family", "found it on [link]"),
        ("my insta @kirsty_b22", "my insta [link]"),
        ("insta @wee.artist", "insta [link]"),
    ],
)
def test_links_and_handles(text, expected):
    assert redacted(text) == expected


@pytest.mark.parametrize(
    "text",
    ["see you @home", "it was fab.Will come again", "e.g. paint, glue etc.", "costs £2.50"],
)
def test_text_speak_is_not_a_link(text):
    assert redacted(text) == text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("we live at 12 Albert Street now", "we live at [address] now"),
        ("flat 3/2, 45 Hilltown", "[address]"),
        ("14a Main Rd by the shops", "[address] by the shops"),
        ("3/1 10 Lilybank Terrace", "[address]"),
        ("I stay at 15 fintry place", "I stay at [address]"),
        ("Flat 2, 18 Union Street", "[address]"),
        ("19 Wellgate", "[address]"),
    ],
)
def test_street_addresses(text, expected):
    assert redacted(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "we walked 3 miles down the road",
        "4 weeks in a row",
        "2 hours in the park",
        "the bus is 2.50 each way",
        "We live near Victoria Road",
    ],
)
def test_numbers_near_street_words_are_not_addresses(text):
    assert redacted(text) == text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("born on 12/03/2019", "born on [date]"),
        ("DOB 04.05.21", "DOB [date]"),
        ("She was born 3rd March 2019", "She was born [date]"),
        ("born on 4 May so", "born on [date] so"),
        ("birthday is 14th of February", "birthday is [date]"),
        ("he will be 3 on March 9th", "he will be 3 on [date]"),
        ("born 2019-08-15", "born [date]"),
        ("I came on Tuesday 3rd October", "I came on [date]"),
        ("born in 2019", "born in [date]"),
        ("her birthday is the 14th", "her birthday is the [date]"),
    ],
)
def test_dates(text, expected):
    assert redacted(text) == expected


@pytest.mark.parametrize(
    "text",
    ["more sessions in May and June please", "We have been coming since she was 6 months old", "I may come"],
)
def test_months_and_ages_alone_are_kept(text):
    assert redacted(text) == text


# --- names -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("My son Callum loved it", "My son [name] loved it"),
        ("my daughter is called Hope", "my daughter is called [name]"),
        ("my son is Will and he is shy", "my son is [name] and he is shy"),
        ("her name is Zephyrine", "her name is [name]"),
        ("she's called Anouk", "she's called [name]"),
        ("Our key worker Dawn helped", "Our key worker [name] helped"),
        ("My youngest, Maryam, loves it", "My youngest, [name], loves it"),
        ("ابني أحمد يحب الرسم", "ابني [name] يحب الرسم"),
    ],
)
def test_names_after_a_cue(text, expected):
    assert redacted(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Isla had the best time", "[name] had the best time"),
        ("me n jayden had fun", "me n [name] had fun"),
        ("thanks to Dawn for the lift", "thanks to [name] for the lift"),
        ("Will loved the drums", "[name] loved the drums"),
        ("Grace's mum came", "[name]'s mum came"),
        ("Callum and Grace made a den", "[name] and [name] made a den"),
        ("Jack is 3 now", "[name] is 3 now"),
        ("Callum Robertson was great", "[name] was great"),
        ("Please thank Mrs Duncan", "Please thank [name]"),
        ("mrs duncan was lovely", "[name] was lovely"),
        ("Miss Patel read the story", "[name] read the story"),
        ("i miss callum", "i miss [name]"),
        ("Auntie Jean came too", "Auntie [name] came too"),
        ("Isla-Rose loved it", "[name] loved it"),
        ("we came with Frasers gran", "we came with [name] gran"),
        ("MY SON CALLUM LOVED IT", "MY SON [name] LOVED IT"),
        ("Олена допомогла нам", "[name] допомогла нам"),
        ("Zosia i Kuba byli zachwyceni", "[name] i [name] byli zachwyceni"),
    ],
)
def test_names_without_a_cue(text, expected):
    assert redacted(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I will come again",
        "it was a joy",
        "I hope so",
        "bonnie wee room",
        "Bonnie wee room and lovely staff",
        "Will definitely be back",
        "Hope there's more after the summer",
        "May I say thank you",
        "Mark making with brushes",
        "Mark my words",
        "Art at the Start is brilliant",
        "The Art Club was fun",
        "Sky blue was his colour",
        "The dawn chorus walk",
        "Faith in people restored",
        "Rose petals for the collage",
        "Grace and patience from the staff",
        "Summer holidays are hard",
        "Bill for the bus was a lot",
        "ye ken how it is wi bairns",
        "Ken what, it was great",
        "Aye it was braw",
        "she was greetin when we left",
        "We walked from Lochee",
        "Played in Baxter Park after",
        "we moved from Angus last year",
        "the glue was sticky",
        "Bohat acha tha, bachon ko maza aya",
        "we went to a group called Bookbug",
        "we are off Whitfield Dr Dundee way",
        "i miss it",
    ],
)
def test_everyday_words_that_are_also_names_are_left_alone(text):
    assert redacted(text) == text


# --- stop names the lead adds ------------------------------------------------------------------


def test_stop_names_are_redacted_whatever_their_case_or_spelling_of_the_apostrophe():
    stop = ("St Mary's Primary", "Mrs Kowalska", "Zebedee")
    assert redacted("St Mary's Primary were great", stop_names=stop) == "[name] were great"
    assert redacted("st marys primary kids", stop_names=stop) == "[name] kids"
    assert redacted("Saint Mary’s  Primary", stop_names=stop) == "[name]"
    assert redacted("thanks mrs kowalska", stop_names=stop) == "thanks [name]"
    assert redacted("zebedee was kind", stop_names=stop) == "[name] was kind"
    assert redacted("Zebedee was kind") == "Zebedee was kind"  # not on the shipped list
    assert redacted("St Mary's Primary were great") == "St Mary's Primary were great"


def test_a_stop_name_that_is_an_everyday_word_still_needs_its_capital():
    stop = ("Hope",)
    assert redacted("I hope so, Hope was great", stop_names=stop) == "I hope so, [name] was great"


def test_stop_names_win_over_a_shorter_listed_name_inside_them():
    result = redact("Kirsty Anne Smith came", stop_names=("Kirsty Anne Smith",))
    assert result.text == "[name] came"
    assert result.replacements == (Replacement("name", 0, 6),)


def test_stop_name_patterns_are_compiled_once_per_initiative():
    redaction._stop_name_pattern.cache_clear()
    stop = ("Mrs Kowalska", "St Mary's Primary")
    for _ in range(3):
        redact("thanks mrs kowalska", stop_names=stop)
    assert redaction._stop_name_pattern.cache_info().misses == 1
    assert redacted("thanks mrs kowalska", stop_names=list(stop)) == "thanks [name]"
    assert redacted("fine", stop_names=("", "  ")) == "fine"


# --- the shipped list --------------------------------------------------------------------------


def test_the_first_name_list_covers_the_families_heard_works_with():
    names = redaction._FIRST_NAMES
    for name in (
        "callum",
        "eilidh",
        "ruaridh",
        "kacper",
        "zofia",
        "oleksandr",
        "olena",
        "hamza",
        "maryam",
        "gurpreet",
        "fatima",
        "mohammed",
    ):
        assert names.get(name) == redaction._ALWAYS, name
    for word in (
        "will",
        "hope",
        "grace",
        "joy",
        "may",
        "mark",
        "bill",
        "sky",
        "dawn",
        "art",
        "faith",
        "bonnie",
    ):
        assert names.get(word) in (redaction._WORD, redaction._CONTEXT), word
    assert "wee" not in names and "mum" not in names
    assert "أحمد" in redaction._UNCASED_NAMES
