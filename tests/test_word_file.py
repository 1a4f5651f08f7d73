"""The Word summary, written on a template built once (frontend.documents.word), read back with
python-docx: the text as written, real styles, header rows, pictures with alternative text."""

from __future__ import annotations

import io
import zipfile

from docx import Document as Word
from docx.shared import Cm, Pt
from PIL import Image

from frontend.documents import charts
from frontend.documents.summary import Document, Figure, Heading, Headlines, Paragraph, Quote, Table
from frontend.documents.summary_files import docx

ODD = 'Tabs\there, a break\nthen & <angle> "quotes"'
PICTURE = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"


def chart(title: str) -> charts.Chart:
    yes, no = charts.Segment("Yes", 0.7, "positive", 5), charts.Segment("No", 0.3, "negative", 0)
    return charts.diverging_bars(title, [charts.Bar("Felt listened to", (no, yes), "n = 40")], [no, yes])


def sample() -> Document:
    return Document(
        "Anew: summary for partners",
        "Responses from 1 May to 2 June",
        [
            Heading(2, "Headlines"),
            Headlines(("23 of 40 parents (58%) felt listened to",)),
            Paragraph(ODD, "lead"),
            Paragraph("Small print", "hint"),
            Figure(chart("Answers to 2 questions")),
            Figure(chart("Would you come again?")),
            Table(
                "Did you feel listened to?",
                ("Answer", "People"),
                (("Yes", "23 (58%)"), (" spaced ", ODD), ("short",)),
                "Top answers: 23 of 40",
            ),
            Quote("Everyone listened.", "Parent, Anew"),
        ],
        language="pl",
    )


def read(doc: Document):
    return Word(io.BytesIO(docx(doc)))


def test_text_and_styles_read_back_as_written():
    word = read(sample())
    paragraphs = [(p.style.name, p.text) for p in word.paragraphs]
    assert paragraphs[:5] == [
        ("Title", "Anew: summary for partners"),
        ("Normal", "Responses from 1 May to 2 June"),
        ("Heading 2", "Headlines"),
        ("List Bullet", "23 of 40 parents (58%) felt listened to"),
        ("Normal", ODD),
    ]
    assert ("Caption", "Would you come again?") in paragraphs
    assert ("Quote", "“Everyone listened.”") in paragraphs and ("Normal", "— Parent, Anew") in paragraphs
    lead = word.paragraphs[4].runs[0]
    assert lead.bold and word.paragraphs[5].runs[0].font.size == Pt(9.5)
    assert word.core_properties.title == "Anew: summary for partners" and word.core_properties.language == "pl"


def test_table_has_a_bold_header_row_repeated_on_each_page():
    (table,) = read(sample()).tables
    assert table.style.name == "Table Grid"
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Answer", "People"],
        ["Yes", "23 (58%)"],
        [" spaced ", ODD],
        ["short", ""],
    ]
    header = table.rows[0]
    assert header._tr.trPr is not None and header._tr.trPr.xpath("./w:tblHeader/@w:val") == ["true"]
    assert all(run.bold for cell in header.cells for run in cell.paragraphs[0].runs if run.text)
    assert not table.rows[1].cells[0].paragraphs[0].runs[0].bold


def test_charts_are_pictures_with_their_title_as_alternative_text():
    doc = sample()
    word = read(doc)
    shapes = word.inline_shapes
    assert len(shapes) == 2
    assert [s._inline.find(PICTURE).get("descr") for s in shapes] == ["Answers to 2 questions", "Would you come again?"]
    assert all(s.width == Cm(16.5) for s in shapes)
    first = next(b.chart for b in doc.blocks if isinstance(b, Figure))
    blob = word.part.related_parts[shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
    assert Image.open(io.BytesIO(blob)).size == (int(first.width * 2), int(first.height * 2))
    assert shapes[0].height == round(Cm(16.5) * first.height / first.width)


def test_page_and_body_font_come_from_the_template():
    raw = docx(sample())
    package = zipfile.ZipFile(io.BytesIO(raw))
    assert package.testzip() is None
    assert package.namelist()[0] == "[Content_Types].xml"
    assert sorted(n for n in package.namelist() if n.startswith("word/media/")) == [
        "word/media/image1.png",
        "word/media/image2.png",
    ]
    word = Word(io.BytesIO(raw))
    section = word.sections[0]
    sizes = (
        section.page_width,
        section.page_height,
        section.left_margin,
        section.right_margin,
        section.top_margin,
        section.bottom_margin,
    )
    assert [round(size.cm, 2) for size in sizes] == [21, 29.7, 2, 2, 2, 2]  # A4, in whole twips
    normal = word.styles["Normal"].font
    assert normal.name == "Arial" and normal.size == Pt(11)
    # A second file from the same template is its own: nothing of the first is left in it.
    other = Word(io.BytesIO(docx(Document("Other", "", [Paragraph("Only this")]))))
    assert [p.text for p in other.paragraphs] == ["Other", "", "Only this"] and not other.inline_shapes


def test_text_xml_cannot_hold_is_dropped_not_a_broken_file():
    word = read(
        Document("Bell\x07 title", "", [Paragraph("nul\x00 and \x1b escape"), Table("c", ("A",), (("\x0bx",),))])
    )
    assert [p.text for p in word.paragraphs][:3] == ["Bell title", "", "nul and  escape"]
    assert word.tables[0].rows[1].cells[0].text == "x"
