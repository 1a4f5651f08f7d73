"""Word (DOCX) files written from a template built once per process.

python-docx builds the template the first time a file is asked for: its styles, the A4 page and
margins, Arial 11 pt, and the package's fixed parts. Those parts do not change from one summary
to the next (the styles alone are two parts of 430 KB of XML each), so they are kept as one
compressed zip and copied byte for byte into every file; only the body, its relationships, the
core properties (title, language) and the pictures are written per file. The body is written
as WordprocessingML text, element for element what python-docx made for the same calls, but
for an empty cell's run (no empty text in it) and the pictures' alternative text, which
python-docx does not write (tests/test_word_file.py reads it all back with python-docx).
Loading the template, finding every element's place by XPath and serialising and compressing
the styles again took most of a summary's time, and grew with the number of questions.

Every text goes through :func:`surveys.text.for_document` and is escaped here, so no text can
make the file unreadable.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from surveys.text import for_document

# The styles the summary uses, by their names in Word's own list.
STYLES = ("Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "Caption", "Quote", "Table Grid")

# Parts each file has its own of; the template's other parts are the same in every file.
DOCUMENT = "word/document.xml"
DOCUMENT_RELS = "word/_rels/document.xml.rels"
CORE = "docProps/core.xml"
CONTENT_TYPES = "[Content_Types].xml"
PER_FILE = (DOCUMENT, DOCUMENT_RELS, CORE)

IMAGE_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
PNG_TYPE = '<Default Extension="png" ContentType="image/png"/>'
DRAWING_NAMESPACES = (
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
)
TABLE_LOOK = (
    '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" w:noHBand="0" '
    'w:noVBand="1" w:val="04A0"/>'
)


@dataclass(frozen=True)
class Template:
    fixed: bytes  # a zip of every part but PER_FILE, [Content_Types].xml first
    head: str  # word/document.xml up to the body's first block
    tail: str  # the section properties (page size, margins) and the end of the document
    relationships: str  # word/_rels/document.xml.rels without its closing tag
    next_relationship: int  # the first free rIdN
    core: Any  # the template's docProps/core.xml, parsed (docx.oxml.coreprops.CT_CoreProperties)
    style_ids: dict[str, str]
    block_width: int  # EMU between the margins: a table's columns share it


@lru_cache(maxsize=1)
def template() -> Template:
    from docx import Document
    from docx.oxml.parser import parse_xml
    from docx.shared import Cm, Pt

    word = Document()
    section = word.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    word.styles["Normal"].font.name = "Arial"
    word.styles["Normal"].font.size = Pt(11)
    style_ids = {name: word.styles[name].style_id for name in STYLES}
    assert section.page_width and section.left_margin and section.right_margin
    block_width = section.page_width - section.left_margin - section.right_margin

    saved = io.BytesIO()
    word.save(saved)
    with zipfile.ZipFile(saved) as package:
        parts = {info.filename: package.read(info) for info in package.infolist()}

    document = parts[DOCUMENT].decode("utf-8")
    start = document.index("<w:sectPr")
    if not document[:start].endswith("<w:body>"):
        raise ValueError("the Word template's body is not empty")
    relationships = parts[DOCUMENT_RELS].decode("utf-8")
    # One content type for pictures in every file: a type no part uses is allowed, and it keeps
    # [Content_Types].xml, read first by every reader, in the fixed part of the zip.
    types = parts[CONTENT_TYPES].decode("utf-8")
    types = types.replace("<Default ", PNG_TYPE + "<Default ", 1) if PNG_TYPE not in types else types

    fixed = io.BytesIO()
    with zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(CONTENT_TYPES, types)
        for name, blob in parts.items():
            if name not in PER_FILE and name != CONTENT_TYPES:
                package.writestr(name, blob)
    used = [int(n) for n in re.findall(r'Id="rId(\d+)"', relationships)]
    return Template(
        fixed=fixed.getvalue(),
        head=document[:start],
        tail=document[start:],
        relationships=relationships[: relationships.rindex("</Relationships>")],
        next_relationship=max(used, default=0) + 1,
        core=parse_xml(parts[CORE]),
        style_ids=style_ids,
        block_width=int(block_width),
    )


def _text(value: str) -> str:
    return escape(for_document(value))


def _attribute(value: str) -> str:
    return escape(for_document(value), {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def _content(text: str) -> str:
    """A run's content as python-docx writes it: tabs and line breaks are elements of their own,
    and a text with spaces at either end keeps them."""
    out = []
    for piece in re.split(r"([\t\r\n])", text):
        if piece == "\t":
            out.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            out.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if piece != piece.strip() else ""
            out.append(f"<w:t{space}>{_text(piece)}</w:t>")
    return "".join(out)


def run(text: str, *, bold: bool = False, half_points: int | None = None, colour: str | None = None) -> str:
    """One run of text; ``half_points`` is the size (19 is 9.5 pt), ``colour`` hex like "333333"."""
    properties = (
        ("<w:b/>" if bold else "")
        + (f'<w:color w:val="{colour}"/>' if colour else "")
        + (f'<w:sz w:val="{half_points}"/>' if half_points else "")
    )
    inner = (f"<w:rPr>{properties}</w:rPr>" if properties else "") + _content(text)
    return f"<w:r>{inner}</w:r>" if inner else "<w:r/>"


@dataclass
class Body:
    """The blocks of one Word file, in order, and the pictures they show."""

    template: Template = field(default_factory=template)
    blocks: list[str] = field(default_factory=list)
    pictures: dict[bytes, tuple[str, str]] = field(default_factory=dict)  # PNG: (rId, part name)
    shapes: int = 0

    def paragraph(self, *runs: str, style: str | None = None) -> None:
        properties = f'<w:pPr><w:pStyle w:val="{self.template.style_ids[style]}"/></w:pPr>' if style else ""
        inner = properties + "".join(runs)
        self.blocks.append(f"<w:p>{inner}</w:p>" if inner else "<w:p/>")

    def text(self, text: str, style: str | None = None) -> None:
        """A paragraph of plain text (none at all when ``text`` is empty), as ``add_paragraph``."""
        self.paragraph(*([run(text)] if text else []), style=style)

    def picture(self, png: bytes, width: int, description: str) -> None:
        """A PNG ``width`` EMU wide, its height in proportion, in a paragraph of its own;
        ``description`` is its alternative text."""
        from docx.image.image import Image

        if png not in self.pictures:
            number = len(self.pictures) + 1
            rid = f"rId{self.template.next_relationship + len(self.pictures)}"
            self.pictures[png] = (rid, f"word/media/image{number}.png")
        rid = self.pictures[png][0]
        cx, cy = Image.from_blob(png).scaled_dimensions(width, None)
        self.shapes += 1
        shape = self.shapes
        inline = (
            f"<wp:inline {DRAWING_NAMESPACES}>"
            f'<wp:extent cx="{cx}" cy="{cy}"/>'
            f'<wp:docPr id="{shape}" name="Picture {shape}" descr="{_attribute(description)}"/>'
            '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
            '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            '<pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="image.png"/><pic:cNvPicPr/></pic:nvPicPr>'
            f'<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
            f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            '<a:prstGeom prst="rect"/></pic:spPr></pic:pic>'
            "</a:graphicData></a:graphic></wp:inline>"
        )
        self.paragraph(f"<w:r><w:drawing>{inline}</w:drawing></w:r>", "<w:r/>")

    def table(self, header: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> None:
        """A gridded table; its first row (bold) is marked as the header, repeated on each page
        and read as the column headers."""
        from docx.shared import Emu

        columns = len(header)
        width = Emu(self.template.block_width // columns).twips if columns else 0
        cell = f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/></w:tcPr>'
        out = [
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.template.style_ids["Table Grid"]}"/>'
            f'<w:tblW w:type="auto" w:w="0"/><w:jc w:val="left"/>{TABLE_LOOK}</w:tblPr>'
            "<w:tblGrid>" + f'<w:gridCol w:w="{width}"/>' * columns + "</w:tblGrid>"
            '<w:tr><w:trPr><w:tblHeader w:val="true"/></w:trPr>'
        ]
        out += [f"{cell}<w:p><w:r/>{run(text, bold=True)}</w:p></w:tc>" for text in header]
        out.append("</w:tr>")
        for row in rows:
            out.append("<w:tr>")
            for i in range(columns):
                out.append(f"{cell}<w:p>{run(row[i])}</w:p></w:tc>" if i < len(row) else f"{cell}<w:p/></w:tc>")
            out.append("</w:tr>")
        out.append("</w:tbl>")
        self.blocks.append("".join(out))

    def save(self, title: str, language: str) -> bytes:
        """The whole file: the template's fixed parts, then this body, its pictures and the
        core properties."""
        from docx.opc.coreprops import CoreProperties
        from docx.opc.oxml import serialize_part_xml

        t = self.template
        core = copy.deepcopy(t.core)
        properties = CoreProperties(core)
        properties.title = for_document(title)
        properties.language = for_document(language)
        relationships = "".join(
            f'<Relationship Id="{rid}" Type="{IMAGE_RELATIONSHIP}" Target="{name.removeprefix("word/")}"/>'
            for rid, name in self.pictures.values()
        )
        out = io.BytesIO(t.fixed)
        with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as package:
            package.writestr(DOCUMENT, t.head + "".join(self.blocks) + t.tail)
            package.writestr(DOCUMENT_RELS, t.relationships + relationships + "</Relationships>")
            package.writestr(CORE, serialize_part_xml(core))
            for png, (_rid, name) in self.pictures.items():
                # PNG is compressed already: stored as it is, not deflated a second time.
                package.writestr(name, png, compress_type=zipfile.ZIP_STORED)
        return out.getvalue()
