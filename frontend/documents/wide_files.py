"""The wide downloads: one row per response, one column per question, answers as their labels.

A header row of stable variable names (``club-feedback.listened``) opens straight into an
Excel table, a pivot table, R or SPSS, and stays the same from one download to the next; the
workbook adds a "Questions" sheet giving each variable's questionnaire and wording. Every cell
goes through :func:`safe_cell`, so an answer that looks like a formula is shown, never run.
Both formats are made a batch at a time: the CSV is streamed, the workbook is write-only (its
rows go to a temporary file, not memory) and is then streamed from that file.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import AsyncIterator, Iterator

from frontend.documents.cells import safe_cell
from surveys.browse import WIDE_FIXED, WideTable

CHUNK_ROWS = 500
FILE_CHUNK = 64 * 1024


def header(table: WideTable) -> list[str]:
    return [*WIDE_FIXED, *(c.variable for c in table.columns)]


def _cells(names: list[str], row: dict) -> list:
    return [safe_cell(row.get(name)) for name in names]


async def wide_csv(table: WideTable, rows: AsyncIterator[dict]) -> AsyncIterator[str]:
    """CSV text a few hundred rows at a time; a BOM first so Excel reads it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    names = header(table)
    writer.writerow(names)
    count = 0
    async for row in rows:
        writer.writerow(_cells(names, row))
        count += 1
        if count % CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


async def wide_xlsx(table: WideTable, rows: AsyncIterator[dict]) -> Iterator[bytes]:
    """The workbook ("Responses", then "Questions"), as chunks read back from a temporary file."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Responses")
    sheet.freeze_panes = "B2"
    names = header(table)
    sheet.append(names)
    async for row in rows:
        sheet.append(_cells(names, row))
    questions = book.create_sheet("Questions")
    questions.append(["variable", "questionnaire", "question"])
    for column in table.columns:
        questions.append([safe_cell(column.variable), safe_cell(column.questionnaire), safe_cell(column.question)])
    out = tempfile.TemporaryFile()
    book.save(out)
    out.seek(0)
    return _chunks(out)


def _chunks(file) -> Iterator[bytes]:
    with file:
        while chunk := file.read(FILE_CHUNK):
            yield chunk
