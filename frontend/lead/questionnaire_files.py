"""Questionnaire files leads upload, import from the command line, and download.

The survey domain parses and versions definitions; this adds what only the web side knows:
whether a picture an option names is one Heard actually ships, and how big an upload may be.
"""

from __future__ import annotations

from frontend import STATIC
from surveys.questionnaires import Definition, DefinitionError, parse_toml

MAX_FILE = 64 * 1024  # the longest default questionnaire is under 2 KB


def check_pictures(definition: Definition, source: str) -> None:
    for q in definition.questions:
        for o in q.options:
            if o.picture and not (STATIC / o.picture).is_file():
                raise DefinitionError(source, f"there is no picture {o.picture!r} (see frontend/static/pictures/)", q.key)


def read_definition(data: bytes, source: str) -> Definition:
    """Check uploaded or read bytes as a questionnaire; raise DefinitionError naming the problem."""
    if not source.lower().endswith(".toml"):
        raise DefinitionError(source, "must be a .toml file (export a questionnaire to see one)")
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
