"""Partner summaries as files: Word, PDF, Excel, CSV and a stand-alone web page.

DOCX, PDF and HTML are the summary (:mod:`frontend.documents.summary`: headline lines, charts,
tables, quotes, the method note); every count in them has been through small-number
suppression. XLSX and CSV are the lead's own data: tidy long-format rows, one per answer,
pseudonymised, with a data dictionary, cells made safe from formula injection. Nothing here
touches HTTP: the lead pages and ``heard export`` both call :func:`export`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from typing import Any

from piccolo.columns.combination import CombinableMixin

from frontend import FONTS, STATIC
from frontend.core.i18n import Language
from frontend.core.i18n import language as language_named
from frontend.documents.cells import data_dictionary_rows, safe_cell
from frontend.documents.summary import Document, Figure, Heading, Headlines, Paragraph, Quote, Table, document
from frontend.documents.word import Body
from frontend.documents.word import run as word_run
from surveys.aggregation import EXPORT_COLUMNS, answer_rows
from surveys.reach import in_period
from surveys.summary import Filters, ThemesProvider, build_summary
from surveys.tables import Answer
from surveys.text import for_document

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "html": "text/html; charset=utf-8",
}


async def export(initiative: dict, fmt: str, filters: Filters | None = None, *,
                 themes: ThemesProvider | None = None, language: Language | None = None) -> bytes:
    """The summary or data of one initiative in ``fmt`` (a key of :data:`FORMATS`), as bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    filters = filters or Filters()
    if fmt == "xlsx":
        return await xlsx(initiative, filters)
    if fmt == "csv":
        return await responses_csv(initiative, filters)
    summary = await build_summary(initiative, filters, themes=themes)
    doc = document(summary, language)
    return {"docx": docx, "pdf": pdf, "html": html}[fmt](doc)


def filename(slug: str, fmt: str) -> str:
    kind = "responses" if fmt in ("csv", "xlsx") else "summary"
    return f"heard-{slug}-{kind}.{fmt}"


# --- Long-format data --------------------------------------------------------------------------

async def filtered_rows(initiative_id: int, filters: Filters, *, batch_size: int = 2000) -> AsyncIterator[dict]:
    """Every answer the filters cover, one pseudonymised row each, paged by answer id."""
    r = Answer.response._  # the typed form of Answer.response (Piccolo returns the same column)
    clauses = []
    if filters.questionnaire:
        clauses.append(r.questionnaire_version._.questionnaire._.slug == filters.questionnaire)
    if filters.site:
        clauses.append(r.session._.site == filters.site)
    if filters.audience:
        clauses.append(r.session._.audience == filters.audience)
    if filters.phase:
        clauses.append(r.session._.phase == filters.phase)
    if (dates := in_period(r.submitted_hour, filters.period)) is not None:
        clauses.append(dates)
    where: CombinableMixin | None = None
    for clause in clauses:
        where = clause if where is None else where & clause
    async for row in answer_rows(initiative_id, where=where, batch_size=batch_size):
        yield row


async def responses_csv(initiative: dict, filters: Filters) -> bytes:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    async for row in filtered_rows(initiative["id"], filters):
        writer.writerow([safe_cell(row.get(c)) for c in EXPORT_COLUMNS])
    return out.getvalue().encode("utf-8")


async def dictionary_csv(initiative: dict) -> bytes:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(("variable", "value", "meaning"))
    async for row in data_dictionary_rows(initiative):
        writer.writerow([safe_cell(row[c]) for c in ("variable", "value", "meaning")])
    return out.getvalue().encode("utf-8")


async def xlsx(initiative: dict, filters: Filters) -> bytes:
    """One sheet per questionnaire version (long format), then the data dictionary."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheets: dict[tuple[Any, Any], Any] = {}
    async for row in filtered_rows(initiative["id"], filters):
        key = (row["questionnaire"], row["version"])
        if key not in sheets:
            sheets[key] = book.create_sheet(_sheet_name(f"{row['questionnaire']} v{row['version']}", sheets))
            sheets[key].append(list(EXPORT_COLUMNS))
        sheets[key].append([safe_cell(row.get(c)) for c in EXPORT_COLUMNS])
    if not sheets:
        empty = book.create_sheet("No responses")
        empty.append(list(EXPORT_COLUMNS))
    dictionary = book.create_sheet("Data dictionary")
    dictionary.append(["variable", "value", "meaning"])
    async for row in data_dictionary_rows(initiative):
        dictionary.append([safe_cell(row[c]) for c in ("variable", "value", "meaning")])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_name(name: str, taken) -> str:
    # Excel: at most 31 characters, none of []:*?/\ and unique.
    clean = "".join("-" if c in "[]:*?/\\" else c for c in for_document(name))[:31]
    return clean if clean not in {s.title for s in taken.values()} else clean[:27] + f" {len(taken)}"


# --- HTML --------------------------------------------------------------------------------------

def html(doc: Document) -> bytes:
    """A stand-alone web page (styles inline, charts inline SVG): opens from an email or a disk."""
    from frontend.core.rendering import environment

    css = (STATIC / "summary.css").read_text(encoding="utf-8")
    template = environment().get_template("summary/standalone.html")
    return template.render(doc=doc, css=css, _=language_named(doc.language).gettext).encode("utf-8")


# --- DOCX --------------------------------------------------------------------------------------

def docx(doc: Document) -> bytes:
    """Word: real headings, list, caption and quote styles (a screen reader's outline), charts
    as pictures with their title as alternative text, gridded tables whose first row is a header.
    Written on a template built once (:mod:`frontend.documents.word`)."""
    from docx.shared import Cm

    body = Body()

    def heading(text: str, level: int) -> None:
        body.text(text, "Title" if level == 0 else f"Heading {level}")

    heading(doc.title, 0)
    body.text(doc.subtitle)
    for block in doc.blocks:
        if isinstance(block, Heading):
            heading(block.text, min(block.level, 3))
        elif isinstance(block, Headlines):
            for line in block.lines:
                body.paragraph(word_run(line, bold=True), style="List Bullet")
        elif isinstance(block, Paragraph):
            hint = block.style == "hint"
            body.paragraph(word_run(block.text, bold=block.style in ("warning", "lead"),
                                    half_points=19 if hint else None, colour="333333" if hint else None))
        elif isinstance(block, Figure):
            # 2x: about 230 dpi at 16.5 cm, sharp in print; 2.5x cost a third more to draw and encode.
            body.picture(block.chart.png(scale=2.0), Cm(16.5), block.chart.title)
            body.text(block.chart.title, "Caption")
        elif isinstance(block, Table):
            body.paragraph(word_run(block.caption, bold=True))
            body.table(block.header, block.rows)
            body.paragraph(*([word_run(block.note, half_points=19)] if block.note else []))
        elif isinstance(block, Quote):
            body.paragraph(word_run(f"“{block.text}”"), style="Quote")
            body.text(f"— {block.attribution}")
    return body.save(doc.title, doc.language)


# --- PDF ---------------------------------------------------------------------------------------

def pdf(doc: Document) -> bytes:
    """Print-ready A4 (fpdf2, DejaVu Sans embedded so Polish and Ukrainian names print)."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    class SummaryPDF(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("Sans", "", 8)
            self.set_text_color(60, 60, 60)
            self.cell(0, 5, f"{doc.title} · {self.page_no()}/{{nb}}", align="C")

    out = SummaryPDF(format="A4", unit="mm")
    out.set_title(doc.title)
    out.set_lang(doc.language)
    out.set_creator("Heard")
    out.add_font("Sans", "", str(FONTS / "DejaVuSans-subset.ttf"))
    out.add_font("Sans", "B", str(FONTS / "DejaVuSans-Bold-subset.ttf"))
    out.set_margins(18, 18, 18)
    out.set_auto_page_break(True, margin=18)
    out.alias_nb_pages()
    out.add_page()
    width = out.w - out.l_margin - out.r_margin
    newline: dict[str, Any] = dict(new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def text(value: str, size: float = 10.5, style: str = "", colour=(0, 0, 0), gap: float = 1.5) -> None:
        out.set_font("Sans", style, size)
        out.set_text_color(*colour)
        out.multi_cell(width, size * 0.5, value, **newline)
        out.ln(gap)

    text(doc.title, 18, "B", gap=1)
    text(doc.subtitle, 10.5, colour=(60, 60, 60), gap=4)
    for block in doc.blocks:
        if isinstance(block, Heading):
            if out.get_y() > out.h - 50:
                out.add_page()
            text(block.text, {1: 16, 2: 14, 3: 12}.get(block.level, 12), "B", gap=2)
        elif isinstance(block, Headlines):
            for line in block.lines:
                out.set_font("Sans", "B", 11)
                out.set_text_color(0, 0, 0)
                out.cell(5, 5.5, "•")
                out.multi_cell(width - 5, 5.5, line, **newline)
                out.ln(1)
            out.ln(2)
        elif isinstance(block, Paragraph):
            style = "B" if block.style in ("warning", "lead") else ""
            size = 9 if block.style == "hint" else 10.5
            text(block.text, size, style, colour=(50, 50, 50) if block.style == "hint" else (0, 0, 0))
        elif isinstance(block, Figure):
            chart = block.chart
            w = min(width, chart.width * 0.28)
            h = w * chart.height / chart.width
            if out.get_y() + h > out.h - 20:
                out.add_page()
            # The drawing itself, not a PNG of it: fpdf2 would only decode the PNG again.
            out.image(chart.image(scale=2.5), w=w, h=h, alt_text=chart.title)
            out.ln(3)
        elif isinstance(block, Table):
            if out.get_y() > out.h - 40:
                out.add_page()
            text(block.caption, 10.5, "B", gap=1)
            out.set_font("Sans", "", 9)
            out.set_text_color(0, 0, 0)
            widths = _column_widths(block, width)
            with out.table(col_widths=widths, text_align="LEFT", line_height=5, width=width,
                           first_row_as_headings=True) as table:
                for row in (block.header, *block.rows):
                    cells = table.row()
                    for value in row:
                        cells.cell(value)
            if block.note:
                text(block.note, 8.5, colour=(50, 50, 50), gap=1)
            out.ln(3)
        elif isinstance(block, Quote):
            out.set_x(out.l_margin + 6)
            out.set_font("Sans", "", 10.5)
            out.multi_cell(width - 6, 5.5, f"“{block.text}”", **newline)
            out.set_x(out.l_margin + 6)
            text(f"— {block.attribution}", 9, colour=(60, 60, 60), gap=3)
    return bytes(out.output())


def _column_widths(table: Table, width: float) -> tuple[float, ...]:
    columns = len(table.header)
    if columns == 2:
        return (width * 0.6, width * 0.4)
    if columns == 3:
        return (width * 0.4, width * 0.3, width * 0.3)
    first = width * 0.26
    rest = (width - first) / (columns - 1)
    return (first, *([rest] * (columns - 1)))


