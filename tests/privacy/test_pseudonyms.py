"""Participant codes: typos are caught, typing is forgiving, and only a keyed pseudonym leaves."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from surveys import pseudonyms
from surveys.pseudonyms import ALPHABET, InvalidCode, display, new_code, normalise, pseudonym


@pytest.fixture(autouse=True)
def _keys(tmp_path, monkeypatch):
    monkeypatch.setenv("HEARD_DATA_DIR", str(tmp_path))


def test_new_codes_are_valid_random_and_displayed_in_groups():
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert normalise(code) == code
        shown = display(code)
        assert len(shown) == 11 and shown[4] == shown[9] == "-"
        assert normalise(shown) == code


def test_typing_is_forgiving():
    code = "ABCD2345" + pseudonyms.check_character("ABCD2345")
    typed = f" abcd 2345 - {code[-1].lower()} "
    assert normalise(typed) == code
    # O is read as zero, I and L as one.
    zero = "0BCD1345" + pseudonyms.check_character("0BCD1345")
    assert normalise("OBCD-I345-" + zero[-1]) == zero
    assert normalise("obcd-l345-" + zero[-1]) == zero


codes = st.text(alphabet=ALPHABET, min_size=8, max_size=8).map(lambda b: b + pseudonyms.check_character(b))


@settings(max_examples=300, deadline=None)
@given(codes, st.integers(0, 8), st.sampled_from(ALPHABET))
def test_any_single_wrong_character_is_caught(code, position, replacement):
    if code[position] == replacement:
        return
    typo = code[:position] + replacement + code[position + 1:]
    assert normalise(typo) is None


def test_swapped_neighbours_are_caught_almost_always():
    missed = total = 0
    for a, b in itertools.permutations(ALPHABET, 2):
        body = f"{a}{b}345678"
        code = body + pseudonyms.check_character(body)
        swapped = f"{b}{a}" + code[2:]
        total += 1
        missed += normalise(swapped) is not None
    # Luhn mod N misses only the swaps of a pair summing to a fixed value (2 of 992 ordered pairs).
    assert missed <= 2, (missed, total)


@pytest.mark.parametrize("typed", ["", "ABCD-2345", "ABCD-2345-XY", "ABCU-2345-X", "pic:cat-sun", "pic:cat-sun-unicorn"])
def test_what_is_not_a_code(typed):
    assert normalise(typed) is None
    with pytest.raises(InvalidCode):
        pseudonym("anew", typed or "x")


def test_picture_codes_normalise_and_hash_like_codes():
    assert normalise("PIC:Cat-Sun-Boat") == "pic:cat-sun-boat"
    assert pseudonyms.picture_code(["cat", "sun", "boat"]) == "pic:cat-sun-boat"
    assert len(pseudonyms.pictures()) == 16
    # Order matters: cat-sun-boat is not boat-sun-cat.
    assert pseudonym("cmhwf", "pic:cat-sun-boat") != pseudonym("cmhwf", "pic:boat-sun-cat")


def test_pseudonym_is_keyed_per_initiative_and_hides_the_code():
    code = new_code()
    in_anew = pseudonym("anew", display(code).lower())
    assert in_anew == pseudonym("anew", code)
    assert pseudonyms.is_pseudonym(in_anew)
    assert code not in in_anew and code.lower() not in in_anew
    # The same card in another initiative gives an unrelated pseudonym.
    assert pseudonym("cmhwf", code) != in_anew
    assert pseudonym("anew", new_code()) != in_anew


def test_pseudonym_changes_with_the_key(monkeypatch):
    code = new_code()
    before = pseudonym("anew", code)
    monkeypatch.setenv("HEARD_KEY_ANEW", "cd" * 32)
    assert pseudonym("anew", code) != before
