"""The text rules' character test, made once as a regular expression, picks exactly the
characters the rule names (checked over every code point), and reports where the first one is."""

from __future__ import annotations

import pytest

from surveys import text


def test_the_expression_picks_exactly_the_unwanted_characters():
    differ = [
        code
        for code in range(0x110000)
        if (text._UNWANTED.fullmatch(chr(code)) is not None) != text._unwanted(chr(code))
    ]
    assert differ == []


def test_an_answer_loses_only_its_unwanted_characters():
    typed = "caf\u0065\u0301 \x00ok\x7f\r\nnext\tline\u200c\ufffe\U0010ffff\ud800 "
    assert text.answer(typed) == "café ok\nnext\tline\u200c"


def test_a_name_is_refused_at_its_first_control_character():
    with pytest.raises(text.UnsafeText, match=r"U\+0007, at character 4\)"):
        text.name("Abc\x07d\x00", "The place")
    assert text.name("St Mary\u202es", "The place") == "St Marys"
