"""Questionnaire files leads upload, import from the command line, and download.

The survey domain parses and versions definitions; this adds what only the web side knows:
whether a picture an option names is one Heard actually ships, and how big an upload may be.
"""

from __future__ import annotations

from frontend import STATIC
from frontend.documents.xlsform import XLSFormProblems, read_xlsform
from surveys.questionnaires import Definition, DefinitionError, parse_definition, parse_toml

MAX_FILE = 64 * 1024  # the longest default questionnaire is under 2 KB
MAX_WORKBOOK = 1024 * 1024  # an XLSForm of a few dozen questions is 10 to 30 KB


def check_pictures(definition: Definition, source: str) -> None:
    for q in definition.questions:
        for o in q.options:
            if o.picture and not (STATIC / o.picture).is_file():
                raise DefinitionError(source, f"there is no picture {o.picture!r} (see frontend/static/pictures/)", q.key)


def read_definition(data: bytes, source: str) -> Definition:
    """Check uploaded or read bytes as a questionnaire (TOML, or an XLSForm workbook); raise
    DefinitionError naming the problem."""
    if source.lower().endswith(".xlsx"):
        return read_workbook(data, source)
    if not source.lower().endswith(".toml"):
        raise DefinitionError(source, "must be a .toml file (export a questionnaire to see one) or an XLSForm (.xlsx)")
    if len(data) > MAX_FILE:
        raise DefinitionError(source, f"is too big: a questionnaire file is at most {MAX_FILE // 1024} KB")
    if b"\0" in data:
        raise DefinitionError(source, "is not a text file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DefinitionError(source, "is not a text file in UTF-8") from None
    definition = parse_toml(text, source=source)
    check_pictures(definition, source)
    return definition


def read_workbook(data: bytes, source: str) -> Definition:
    """An XLSForm workbook as a questionnaire; a problem the definition's own checks find is
    named by the survey row of its question, as the workbook's own problems are."""
    if len(data) > MAX_WORKBOOK:
        raise DefinitionError(source, f"is too big: a workbook is at most {MAX_WORKBOOK // 1024} KB")
    raw, rows_of = read_xlsform(data, source)
    try:
        definition = parse_definition(raw, source)
        check_pictures(definition, source)
    except DefinitionError as e:
        where = f"survey row {rows_of[e.question]} ({e.question})" if e.question in rows_of else "survey"
        raise XLSFormProblems(source, [f"{where}: {e.problem}"]) from None
    return definition
