"""XLSForm import: a workbook gives the questionnaire its TOML twin gives; a broken one lists its
problems by row and saves nothing."""

from __future__ import annotations

import io
import re
import subprocess
import sys

import pytest
from openpyxl import Workbook

from frontend.lead.questionnaire_files import read_definition
from surveys.questionnaires import DefinitionError, parse_toml
from surveys.tables import Questionnaire
from tests.support import run
from tests.test_lead_pages import sign_in

TWIN = """
slug = "together-to-thrive-parent"
title = "Together to Thrive parent feedback"
audience = "parent"

[[questions]]
key = "welcome"
type = "choice"
text = "Did you feel welcome?"
help = "Think about the whole session."
required = true
not_sure = false
options = [{ key = "yes", label = "Yes" }, { key = "no", label = "No" }]
[questions.translations.pl]
text = "Czy czułeś się mile widziany?"
help = "Pomyśl o całych zajęciach."
options = { yes = "Tak", no = "Nie" }

[[questions]]
key = "liked"
type = "multi"
text = "What did you like?"
required = false
not_sure = false
options = [{ key = "songs", label = "Songs" }, { key = "painting", label = "Painting" }, { key = "snack", label = "Snack" }]
[questions.translations.pl]
text = "Co Ci się podobało?"
options = { songs = "Piosenki", painting = "Malowanie", snack = "Przekąska" }

[[questions]]
key = "children"
type = "number"
text = "How many children came with you?"
required = true
min = 0
max = 10
[questions.translations.pl]
text = "Ile dzieci przyszło z Tobą?"

[[questions]]
key = "better"
type = "text"
text = "What would make it better?"
required = false
quote_consent = false
[questions.translations.pl]
text = "Co by to poprawiło?"
"""


def workbook(survey: list[list], choices: list[list] | None = None, settings: list[list] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(row)
    if choices is not None:
        c = book.create_sheet("choices")
        for row in choices:
            c.append(row)
    if settings is not None:
        s = book.create_sheet("settings")
        for row in settings:
            s.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD = workbook(
    [
        [
            "type",
            "name",
            "label::English (en)",
            "label::Polski (pl)",
            "hint::English (en)",
            "hint::Polski (pl)",
            "required",
            "constraint",
        ],
        ["begin group", "visit", "", "", "", "", "", ""],
        [
            "select_one yn",
            "welcome",
            "Did you feel welcome?",
            "Czy czułeś się mile widziany?",
            "Think about the whole session.",
            "Pomyśl o całych zajęciach.",
            "yes",
            None,
        ],
        ["select_multiple likes", "liked", "What did you like?", "Co Ci się podobało?", None, None, "no", None],
        ["end group", None, None, None, None, None, None, None],
        [
            "integer",
            "children",
            "How many children came with you?",
            "Ile dzieci przyszło z Tobą?",
            None,
            None,
            "TRUE()",
            ". >= 0 and . <= 10",
        ],
        ["text", "better", "What would make it better?", "Co by to poprawiło?", None, None, None, None],
    ],
    [
        ["list_name", "name", "label::English (en)", "label::Polski (pl)"],
        ["yn", "yes", "Yes", "Tak"],
        ["yn", "no", "No", "Nie"],
        ["likes", "songs", "Songs", "Piosenki"],
        ["likes", "painting", "Painting", "Malowanie"],
        ["likes", "snack", "Snack", "Przekąska"],
    ],
    [
        ["form_id", "form_title", "audience"],
        ["together-to-thrive-parent", "Together to Thrive parent feedback", "parent"],
    ],
)


def test_an_xlsform_with_polish_labels_is_the_questionnaire_its_toml_twin_is():
    from_sheet = read_definition(GOOD, "ttt.xlsx")
    from_toml = parse_toml(TWIN, source="ttt.toml")
    assert from_sheet.fingerprint == from_toml.fingerprint
    assert (from_sheet.slug, from_sheet.title, from_sheet.audience) == (
        from_toml.slug,
        from_toml.title,
        from_toml.audience,
    )
    for a, b in zip(from_sheet.questions, from_toml.questions, strict=True):
        assert (a.key, a.type, a.text, a.help, a.required, a.minimum, a.maximum) == (
            b.key,
            b.type,
            b.text,
            b.help,
            b.required,
            b.minimum,
            b.maximum,
        )
        assert a.translations == b.translations, a.key
    assert from_sheet.page("welcome").text_in("pl") == ("Czy czułeś się mile widziany?", "pl")


def test_a_broken_xlsform_lists_its_problems_by_row():
    broken = workbook(
        [
            ["type", "name", "label", "label::Klingon", "relevant", "constraint", "required"],
            ["start", "start", None, None, None, None, None],
            ["select_one nolist", "q1", "Pick one", None, None, None, "yes"],
            ["select_one few", "q2", "Only one choice", None, None, None, "yes"],
            ["integer", "q3", "How many?", None, None, ". > 5", "yes"],
            ["geopoint", "where", "Where are you?", None, None, None, None],
            ["text", "q4", "Tell us", None, "${q1} = 'yes'", None, None],
            ["text", "q5", "Hello", "nuqneH", None, None, None],
            ["text", "bad name", "Spaces", None, None, None, None],
        ],
        [["list_name", "name", "label"], ["few", "only", "Only"]],
    )
    with pytest.raises(DefinitionError) as caught:
        read_definition(broken, "broken.xlsx")
    problems = caught.value.problems
    expected = [
        (2, "metadata"),
        (3, "names no list"),
        (4, "at least two choices"),
        (5, "both ends"),
        (6, "never records locations"),
        (7, "relevant can't be imported"),
        (8, "Klingon"),
        (9, "must start with a letter"),
    ]
    for row, words in expected:
        assert any(p.startswith(f"survey row {row}:") and words in p for p in problems), (row, words, problems)
    assert len(problems) == len(expected)


def test_a_definition_check_failing_names_the_row():
    duplicate = workbook([["type", "name", "label"], ["text", "same", "One"], ["text", "same", "Two"]])
    with pytest.raises(DefinitionError, match=r"survey row 2 \(same\)"):
        read_definition(duplicate, "dup.xlsx")
    with pytest.raises(DefinitionError, match="not an Excel workbook"):
        read_definition(b"not a zip", "nope.xlsx")


def test_a_lead_uploads_an_xlsform_and_a_broken_one_saves_nothing(client, db):
    from surveys import accounts

    run(accounts.add_account("lead@anew.example", "correct horse", "lead", ["anew"]))
    sign_in(client, "lead@anew.example", "correct horse")
    page = client.get("/lead/anew/questionnaires")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
    before = run(Questionnaire.count())
    bad = workbook([["type", "name", "label"], ["date", "when", "When?"]])
    refused = client.post(
        "/lead/anew/questionnaires",
        data={"_csrf_token": token},
        files={"file": ("bad.xlsx", bad, "application/octet-stream")},
    )
    assert refused.status_code == 400 and "survey row 2" in refused.text and "asks no dates" in refused.text
    assert run(Questionnaire.count()) == before
    saved = client.post(
        "/lead/anew/questionnaires",
        data={"_csrf_token": token},
        follow_redirects=False,
        files={"file": ("ttt.xlsx", GOOD, "application/octet-stream")},
    )
    assert saved.status_code == 303 and "together-to-thrive-parent" in saved.headers["location"]
    assert run(Questionnaire.count()) == before + 1


def test_the_cli_imports_an_xlsform(tmp_path, db):
    path = tmp_path / "ttt.xlsx"
    path.write_bytes(GOOD)
    done = subprocess.run(
        [sys.executable, "-m", "frontend.cli", "questionnaire", "import", str(path), "--initiative", "anew"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Imported 'together-to-thrive-parent' as version 1." in done.stdout


def test_a_note_is_the_help_of_the_question_after_it():
    with_note = workbook(
        [
            ["type", "name", "label", "label::Arabic (ar)"],
            ["note", "intro", "There are no right or wrong answers.", "لا توجد إجابات صحيحة أو خاطئة."],
            ["text", "said", "What did your child say?", "ماذا قال طفلك؟"],
        ]
    )
    definition = read_definition(with_note, "note.xlsx")
    [question] = definition.questions
    assert question.help == "There are no right or wrong answers."
    assert question.in_language("ar", "help", question.help) == ("لا توجد إجابات صحيحة أو خاطئة.", "ar")
    assert definition.page("said").text_in("ar") == ("ماذا قال طفلك؟", "ar")
