"""XLSForm (the spreadsheet form format of ODK and KoboToolbox) read into a Heard questionnaire.

The workbook is read with openpyxl; its sheets are turned into the same definition a TOML file
gives (``surveys.questionnaires.parse_definition`` then checks it as it checks any other). What
Heard takes:

- ``survey``: ``type``, ``name``, ``label`` and ``label::<language>``, ``hint`` (and its language
  columns), ``required``, and for ``integer`` a ``constraint`` of the form ``. >= 0 and . <= 20``.
  Types: ``select_one LIST`` (a choice), ``select_multiple LIST``, ``text``, ``integer`` and
  ``note`` (a note is the help text of the question after it). ``begin group``/``end group`` are
  allowed and ignored: Heard asks one question per page anyway.
- ``choices``: ``list_name``, ``name``, ``label`` and its language columns.
- ``settings`` (optional): ``form_id`` (the questionnaire's slug), ``form_title``,
  ``default_language``, and Heard's own ``audience`` (parent, child or practitioner).

Anything else Heard can't represent (other types, ``relevant`` skip logic, ``calculation``,
repeats, device and time metadata Heard never records) is listed by sheet and row with why, and
nothing is imported until the file is clean.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import defaultdict

from surveys.questionnaires import DefinitionError
from surveys.tables import AUDIENCES

MAX_ROWS = 500
LANGUAGES = {
    "en": "en",
    "english": "en",
    "pl": "pl",
    "polish": "pl",
    "polski": "pl",
    "uk": "uk",
    "ukrainian": "uk",
    "українська": "uk",
    "ur": "ur",
    "urdu": "ur",
    "اردو": "ur",
    "ar": "ar",
    "arabic": "ar",
    "العربية": "ar",
}
METADATA = {
    "start",
    "end",
    "today",
    "deviceid",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "email",
    "audit",
    "start-geopoint",
    "background-audio",
}
WHY_NOT = {
    **{m: "Heard never records device, time or contact metadata: delete this row" for m in METADATA},
    "calculate": "Heard has no calculated fields",
    "decimal": "Heard's numbers are whole numbers: use integer",
    "range": "use integer with a constraint such as . >= 0 and . <= 10",
    "date": "Heard asks no dates (answers are kept to the hour on their own)",
    "time": "Heard asks no times",
    "datetime": "Heard asks no dates or times",
    "geopoint": "Heard never records locations",
    "geotrace": "Heard never records locations",
    "geoshape": "Heard never records locations",
    "image": "Heard takes no photos",
    "video": "Heard takes no videos",
    "file": "Heard takes no files",
    "audio": "voice notes are part of a text question in Heard (voice_note in TOML)",
    "barcode": "Heard scans no barcodes",
    "acknowledge": "use a select_one with Yes and No",
    "hidden": "Heard has no hidden fields",
    "rank": "Heard has no ranking questions",
    "begin repeat": "Heard has no repeats",
    "end repeat": "Heard has no repeats",
}
UNSUPPORTED_COLUMNS = {
    "relevant": "Heard asks every question (no skip logic)",
    "calculation": "Heard has no calculated fields",
    "choice_filter": "Heard has no filtered choices",
    "repeat_count": "Heard has no repeats",
    "trigger": "Heard has no triggers",
}
_BOUND = re.compile(r"^\s*\.\s*(>=|>|<=|<)\s*(-?\d+)\s*$")
_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")


class XLSFormProblems(DefinitionError):
    """Problems found in a workbook, each with its sheet and row: ``problems`` lists them."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(source, "can't be imported yet:\n" + "\n".join(f"- {p}" for p in problems))


def _sheet(book, name: str):
    for sheet in book.worksheets:
        if sheet.title.strip().lower() == name:
            return sheet
    return None


def _rows(sheet) -> list[tuple[int, dict[str, str]]]:
    """Each non-empty row as {column: text}, with its row number as Excel shows it."""
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    columns = [str(c).strip() if c is not None else "" for c in header]
    out = []
    for number, values in enumerate(rows, start=2):
        row = {col: str(v).strip() for col, v in zip(columns, values) if col and v is not None and str(v).strip()}
        if row:
            out.append((number, row))
        if len(out) > MAX_ROWS:
            break
    return out


def _language(column: str) -> str | None:
    """``label::Polski (pl)`` -> "pl"; ``label`` -> None (the default language)."""
    if "::" not in column:
        return None
    name = column.split("::", 1)[1].strip()
    code = re.search(r"\(([A-Za-z-]+)\)\s*$", name)
    key = (code.group(1) if code else name).strip().lower()
    return LANGUAGES.get(key, LANGUAGES.get(key.split("-")[0], "?" + name))


def _texts(row: dict[str, str], field: str, default: str) -> dict[str, str]:
    """A field's text in each language it is given in: {language code: text}."""
    found = {}
    for column, value in row.items():
        if column == field:
            found[default] = value
        elif column.startswith(field + "::"):
            lang = _language(column)
            assert lang is not None  # the column has a "::"
            found[lang] = value
    return found


def _required(value: str | None) -> bool:
    return (value or "").strip().lower() in ("yes", "true", "true()", "1")


def _number_range(constraint: str | None) -> tuple[int | None, int | None, str | None]:
    low = high = None
    if not constraint:
        return None, None, "an integer needs a constraint giving its range, like . >= 0 and . <= 20"
    for part in re.split(r"\s+and\s+", constraint.strip()):
        m = _BOUND.match(part)
        if not m:
            return None, None, f"Heard can't read the constraint {constraint!r}: write it like . >= 0 and . <= 20"
        op, n = m.group(1), int(m.group(2))
        if op in (">=", ">"):
            low = n + (op == ">")
        else:
            high = n - (op == "<")
    if low is None or high is None:
        return None, None, "the constraint needs both ends, like . >= 0 and . <= 20"
    return low, high, None


def read_xlsform(data: bytes, source: str) -> tuple[dict, dict[str, int]]:  # noqa: C901 # one pass over the rows, each column read where its row is, so a problem names its row
    """The questionnaire definition (as a TOML file would give it) in an XLSForm workbook, and the
    survey row of each question's key; raise :class:`XLSFormProblems` listing every problem by
    sheet and row."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise DefinitionError(source, "is not an Excel workbook (.xlsx)") from None
    problems: list[str] = []
    survey, choices_sheet, settings_sheet = _sheet(book, "survey"), _sheet(book, "choices"), _sheet(book, "settings")
    if survey is None:
        raise XLSFormProblems(source, ["the workbook has no sheet called survey"])
    settings = dict(_rows(settings_sheet)[0][1]) if settings_sheet is not None and _rows(settings_sheet) else {}
    named = _language("label::" + settings.get("default_language", "English"))
    default = named if named is not None and named in LANGUAGES.values() else "en"

    lists: dict[str, list[tuple[int, dict]]] = defaultdict(list)
    if choices_sheet is not None:
        for number, row in _rows(choices_sheet):
            name = row.get("list_name") or row.get("list name")
            if not name:
                problems.append(f"choices row {number}: no list_name")
                continue
            lists[name].append((number, row))

    questions: list[dict] = []
    rows_of: dict[str, int] = {}
    pending_note: dict[str, str] | None = None
    languages: set[str] = set()
    for number, row in _rows(survey):
        qtype = re.sub(r"\s+", " ", row.get("type", "")).strip()
        base = qtype.split(" ")[0].lower() if qtype else ""
        where = f"survey row {number}"
        if not qtype:
            problems.append(f"{where}: no type")
            continue
        if qtype.lower() in ("begin group", "end group", "begin_group", "end_group"):
            continue
        if qtype.lower() in WHY_NOT or base in WHY_NOT:
            problems.append(
                f"{where}: type {qtype!r} can't be imported: {WHY_NOT.get(qtype.lower(), WHY_NOT.get(base))}"
            )
            continue
        for column, why in UNSUPPORTED_COLUMNS.items():
            if row.get(column):
                problems.append(f"{where}: {column} can't be imported: {why}")
        labels = _texts(row, "label", default)
        unknown = [lang[1:] for lang in labels if lang and lang.startswith("?")]
        if unknown:
            problems.append(
                f"{where}: Heard doesn't offer the language {', '.join(unknown)} "
                "(it offers English, Polish, Ukrainian, Urdu and Arabic)"
            )
            continue
        if base == "note":
            pending_note = labels
            continue
        key = row.get("name", "")
        if not _KEY.match(key):
            problems.append(f"{where}: the name {key!r} must start with a letter and use only letters, digits, - and _")
            continue
        if "en" not in labels:
            problems.append(f"{where}: no English label (Heard's questions are written in English first)")
            continue
        question: dict = {"key": key, "text": labels["en"], "required": _required(row.get("required"))}
        hints = _texts(row, "hint", default)
        if pending_note and not hints:
            hints = pending_note
        pending_note = None
        if hints.get("en"):
            question["help"] = hints["en"]
        translations: dict[str, dict] = defaultdict(dict)
        for lang, text in labels.items():
            if lang != "en":
                translations[lang]["text"] = text
        for lang, text in hints.items():
            if lang != "en" and lang and not lang.startswith("?"):
                translations[lang]["help"] = text
        if base in ("select_one", "select_multiple"):
            parts = qtype.split(" ")
            if len(parts) != 2 or parts[1] not in lists:
                problems.append(f"{where}: {qtype!r} names no list on the choices sheet")
                continue
            question["type"] = "choice" if base == "select_one" else "multi"
            question["not_sure"] = False
            options = []
            for choice_row, choice in lists[parts[1]]:
                choice_labels = _texts(choice, "label", default)
                name = choice.get("name", "")
                if not _KEY.match(name) and not name.isdigit():
                    problems.append(
                        f"choices row {choice_row}: the name {name!r} must use only letters, digits, - and _"
                    )
                    continue
                if "en" not in choice_labels:
                    problems.append(f"choices row {choice_row}: no English label")
                    continue
                options.append({"key": name if not name.isdigit() else f"c{name}", "label": choice_labels["en"]})
                for lang, text in choice_labels.items():
                    if lang != "en" and not str(lang).startswith("?"):
                        translations[lang].setdefault("options", {})[options[-1]["key"]] = text
            if len(options) < 2:
                problems.append(f"{where}: the list {parts[1]!r} needs at least two choices")
                continue
            question["options"] = options
        elif base == "text":
            question["type"] = "text"
            question["quote_consent"] = False
        elif base == "integer":
            low, high, unreadable = _number_range(row.get("constraint"))
            if unreadable:
                problems.append(f"{where}: {unreadable}")
                continue
            assert low is not None and high is not None  # a readable range has both ends
            if low >= high:
                problems.append(f"{where}: the smallest number ({low}) must be below the largest ({high})")
                continue
            question.update(type="number", min=low, max=high)
        else:
            problems.append(f"{where}: type {qtype!r} is not one Heard knows")
            continue
        if row.get("constraint") and base != "integer":
            problems.append(f"{where}: constraint can't be imported: Heard checks answers its own way")
        if translations:
            question["translations"] = dict(translations)
            languages |= set(translations)
        questions.append(question)
        rows_of.setdefault(key, number)
    if pending_note:
        problems.append("survey: a note at the end has no question after it to explain")
    if not questions and not problems:
        problems.append("survey: no questions")
    audience = settings.get("audience", "parent").strip().lower()
    if audience not in AUDIENCES:
        problems.append(f"settings: audience must be one of {', '.join(AUDIENCES)}")
    slug = re.sub(r"[^a-z0-9-]+", "-", (settings.get("form_id") or source.rsplit(".", 1)[0]).lower()).strip("-")
    if problems:
        raise XLSFormProblems(source, problems)
    definition = {
        "slug": slug[:64] or "imported",
        "title": settings.get("form_title") or slug.replace("-", " ").capitalize(),
        "audience": audience,
        "questions": questions,
    }
    return definition, rows_of
