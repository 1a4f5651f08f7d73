"""QR codes, session posters and cards, and participant card sheets: do they scan, print and read?

QR codes are checked with a real decoder (zxing-cpp) and PDFs are opened with
pypdf, so these tests see what a phone and a PDF reader see.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
import zxingcpp
from jinja2 import Environment, FileSystemLoader, select_autoescape
from PIL import Image, ImageDraw
from pypdf import PdfReader

import frontend
from frontend.documents import printing
from frontend.documents.printing import (
    KEEP_CARD_LINE,
    ParticipantCard,
    PrintableSession,
    card_pdf,
    cards_pdf,
    participant_cards_context,
    participant_cards_pdf,
    poster_pdf,
    session_print_context,
)
from frontend.documents.qr import qr_png, qr_svg

FRONTEND = Path(frontend.__file__).parent
SHORT_URL = "http://127.0.0.1:8000/s/K7Q2-MX4P-A9BC-D"
A4_PT = (595.28, 841.89)
A6_PT = (297.64, 419.53)
SVG = "{http://www.w3.org/2000/svg}"


def session(**changes) -> PrintableSession:
    fields = dict(
        initiative_name="Art at the Start",
        short_url=SHORT_URL,
        about="Your family's visits to the art sessions at the museum",
        privacy_line="We do not ask your name. Your answers are kept private "
                     "and only shared as totals.",
        site="The McManus, Dundee",
        when="Saturday 14 March 2026",
    )
    fields.update(changes)
    return PrintableSession(**fields)


def decode(image: Image.Image) -> list[str]:
    return [barcode.text for barcode in zxingcpp.read_barcodes(image)]


def pdf_text(page) -> str:
    return " ".join(page.extract_text().split())


def assert_size(page, expected: tuple[float, float]) -> None:
    assert float(page.mediabox.width) == pytest.approx(expected[0], abs=1)
    assert float(page.mediabox.height) == pytest.approx(expected[1], abs=1)


# --- QR codes -----------------------------------------------------------------------


def test_the_sample_short_url_is_short_enough_to_type():
    assert len(SHORT_URL) <= 40


def test_qr_png_scans_back_to_the_exact_short_url_at_error_correction_m():
    image = Image.open(io.BytesIO(qr_png(SHORT_URL)))
    (barcode,) = zxingcpp.read_barcodes(image)
    assert barcode.format == zxingcpp.BarcodeFormat.QRCode
    assert barcode.text == SHORT_URL
    assert barcode.ec_level == "M"


def test_qr_png_has_a_quiet_zone_of_four_modules():
    box = 10
    image = Image.open(io.BytesIO(qr_png(SHORT_URL, box_size=box))).convert("L")
    width, height = image.size
    quiet = 4 * box
    margins = [(0, 0, width, quiet), (0, height - quiet, width, height),
               (0, 0, quiet, height), (width - quiet, 0, width, height)]
    for margin in margins:
        assert image.crop(margin).getextrema() == (255, 255)
    # ...and the first dark module (a finder pattern's corner) starts just inside it.
    assert image.getpixel((quiet, quiet)) == 0


def test_qr_png_box_size_scales_the_image():
    small = Image.open(io.BytesIO(qr_png(SHORT_URL, box_size=2)))
    large = Image.open(io.BytesIO(qr_png(SHORT_URL, box_size=8)))
    assert large.size[0] == 4 * small.size[0]
    assert decode(small) == [SHORT_URL]
    with pytest.raises(ValueError):
        qr_png(SHORT_URL, box_size=0)


def rasterise(svg: str, scale: int = 8) -> Image.Image:
    """Draw the QR SVG's single path (runs of dark modules) as a bitmap."""
    root = ET.fromstring(svg)
    size = int(root.get("viewBox").split()[3])
    (path,) = root.iter(f"{SVG}path")
    runs = re.findall(r"M(\d+) (\d+)h(\d+)v1h-(\d+)z", path.get("d"))
    assert "".join(f"M{x} {y}h{n}v1h-{m}z" for x, y, n, m in runs) == path.get("d")
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    for x, y, n, m in runs:
        x, y, n = int(x), int(y), int(n)
        assert n == int(m)
        draw.rectangle([x * scale, y * scale, (x + n) * scale - 1, (y + 1) * scale - 1], fill=0)
    return image


def test_qr_svg_scans_back_to_the_exact_short_url():
    assert decode(rasterise(qr_svg(SHORT_URL, title="QR code"))) == [SHORT_URL]


def test_qr_svg_is_accessible_crisp_and_small():
    svg = qr_svg(SHORT_URL, title="QR code for <Art & Start>")
    root = ET.fromstring(svg)  # well-formed XML, so it can be inlined in HTML or saved as .svg
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "QR code for <Art & Start>"
    assert root.get("shape-rendering") == "crispEdges"
    assert root.get("viewBox") == "0 0 37 37"  # version 3 (29 modules) + 2 x 4 quiet zone
    assert root.get("width") is None  # sized by CSS
    assert len(list(root.iter(f"{SVG}path"))) == 1
    assert root.find(f"{SVG}rect").get("fill") == "#fff"
    assert len(svg) < 4000


def test_qr_svg_goes_into_an_autoescaped_template_unescaped():
    env = Environment(autoescape=True)
    out = env.from_string("{{ qr }}").render(qr=qr_svg(SHORT_URL, title="QR"))
    assert out.startswith("<svg ")


# --- session posters and cards -------------------------------------------------------


def only_image(page) -> Image.Image:
    (image,) = page.images
    return image.image


def test_poster_is_one_a4_page_with_the_link_name_and_a_qr_that_scans():
    reader = PdfReader(io.BytesIO(poster_pdf(session())))
    (page,) = reader.pages
    assert_size(page, A4_PT)
    text = pdf_text(page)
    for words in (SHORT_URL, "Art at the Start", "For parents and carers",
                  "Your family's visits to the art sessions at the museum",
                  "The McManus, Dundee · Saturday 14 March 2026",
                  "We do not ask your name."):
        assert words in text
    assert decode(only_image(page)) == [SHORT_URL]


def test_card_is_one_a6_page_with_the_link_name_and_a_qr_that_scans():
    (page,) = PdfReader(io.BytesIO(card_pdf(session()))).pages
    assert_size(page, A6_PT)
    text = pdf_text(page)
    assert SHORT_URL in text
    assert "Art at the Start" in text
    assert decode(only_image(page)) == [SHORT_URL]


@pytest.mark.parametrize("make", [poster_pdf, card_pdf])
def test_polish_and_ukrainian_text_round_trips(make):
    polish = session(initiative_name="Łódź Ćwiczenia", about="Zajęcia dla rodzin: łąka, żaba",
                     privacy_line="Nie pytamy o imię. Відповіді залишаються приватними.")
    text = pdf_text(PdfReader(io.BytesIO(make(polish))).pages[0])
    assert "Łódź Ćwiczenia" in text
    assert "Zajęcia dla rodzin: łąka, żaba" in text
    assert "Відповіді залишаються приватними." in text


def test_the_fonts_are_embedded_so_any_printer_shows_the_same_letters():
    reader = PdfReader(io.BytesIO(poster_pdf(session(initiative_name="Łódź"))))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = [font.get_object()["/BaseFont"] for font in fonts.values()]
    assert any("DejaVuSans" in name for name in names)
    for font in fonts.values():
        descendant = font.get_object()["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in descendant["/FontDescriptor"]


@pytest.mark.parametrize(("audience", "line"), [("parent", "For parents and carers"),
                                                ("child", "For children and young people"),
                                                ("practitioner", "For practitioners")])
def test_the_audience_line_names_who_the_questions_are_for(audience, line):
    text = pdf_text(PdfReader(io.BytesIO(card_pdf(session(audience=audience)))).pages[0])
    assert line in text


def test_audiences_match_the_questionnaires():
    from surveys.questionnaires import AUDIENCES

    assert set(printing.AUDIENCE_LINES) == set(AUDIENCES)
    with pytest.raises(ValueError, match="audience"):
        session(audience="teacher")


def test_site_and_date_are_optional():
    text = pdf_text(PdfReader(io.BytesIO(poster_pdf(session(site="", when="")))).pages[0])
    assert "·" not in text
    assert SHORT_URL in text


def test_a_long_about_line_shrinks_to_stay_on_one_page():
    long_about = "Your family's visits to the art sessions at the museum, " * 3
    for make in (poster_pdf, card_pdf):
        reader = PdfReader(io.BytesIO(make(session(about=long_about.strip()))))
        assert len(reader.pages) == 1
        assert "museum, Your family's" in pdf_text(reader.pages[0])


def test_text_too_long_for_the_page_is_refused_naming_the_field():
    with pytest.raises(ValueError, match="about"):
        poster_pdf(session(about="word " * 400))
    with pytest.raises(ValueError, match="privacy_line"):
        card_pdf(session(privacy_line="word " * 400))


def test_emoji_are_left_out_but_missing_letters_are_refused():
    card = card_pdf(session(initiative_name="Art 🎨 at the Start"))
    text = pdf_text(PdfReader(io.BytesIO(card)).pages[0])
    assert "Art at the Start" in text
    with pytest.raises(ValueError, match="about"):
        card_pdf(session(about="अपनी राय बताइए"))  # Devanagari: neither print font has it


def test_arabic_and_urdu_print_on_posters_and_cards_shaped():
    from tests.support import font_glyphs

    for make in (poster_pdf, card_pdf):
        data = make(session(about="شاركنا رأيك في الجلسة", site="بیٹی کا اسکول"))
        text = pdf_text(PdfReader(io.BytesIO(data)).pages[0])
        assert "شاركنا" in text and "اسکول" in text
        # Joined letter forms (beh, lam, meem, seen at the start or in the middle of a word), not
        # isolated ones: the text was shaped.
        glyphs = font_glyphs(data, "NotoNaskhArabic")
        assert len(glyphs & {"uniFE91", "uniFE92", "uniFEDF", "uniFEE0", "uniFEE3", "uniFEB3", "uniFEB4"}) >= 2


def test_bulk_cards_print_one_a6_card_per_page_in_order():
    urls = [f"http://127.0.0.1:8000/s/K7Q2-MX4P-A9BC-{c}" for c in "DEF"]
    reader = PdfReader(io.BytesIO(cards_pdf([session(short_url=url) for url in urls])))
    assert len(reader.pages) == 3
    for page, url in zip(reader.pages, urls):
        assert_size(page, A6_PT)
        assert url in pdf_text(page)
        assert decode(only_image(page)) == [url]


def test_nothing_to_print_is_refused():
    with pytest.raises(ValueError):
        cards_pdf([])
    with pytest.raises(ValueError):
        participant_cards_pdf([])


# --- participant cards ---------------------------------------------------------------


def participant(i: int) -> ParticipantCard:
    code = f"ABC{i}-2345"
    return ParticipantCard(initiative_name="ANEW", code=code,
                           url=f"http://127.0.0.1:8000/c/{code.replace('-', '')}X")


def test_participant_cards_print_eight_to_an_a4_sheet():
    cards = [participant(i) for i in range(9)]
    reader = PdfReader(io.BytesIO(participant_cards_pdf(cards)))
    assert len(reader.pages) == 2
    first, second = reader.pages
    for page in reader.pages:
        assert_size(page, A4_PT)
    first_text, second_text = pdf_text(first), pdf_text(second)
    for card in cards[:8]:
        assert card.code in first_text
    assert cards[8].code in second_text and cards[0].code not in second_text
    assert first_text.count(KEEP_CARD_LINE) == 8
    assert second_text.count(KEEP_CARD_LINE) == 1
    assert len(first.images) == 8 and len(second.images) == 1
    assert decode(only_image(second)) == [cards[8].url]


def test_each_participant_qr_scans_to_its_own_url():
    cards = [participant(i) for i in range(8)]
    page = PdfReader(io.BytesIO(participant_cards_pdf(cards))).pages[0]
    decoded = {text for image in page.images for text in decode(image.image)}
    assert decoded == {card.url for card in cards}


def test_participant_sheets_have_cut_lines():
    page = PdfReader(io.BytesIO(participant_cards_pdf([participant(1)]))).pages[0]
    content = page.get_contents().get_data().decode("latin-1")
    assert re.search(r"\[[\d.]+ [\d.]+\] [\d.]+ d", content)  # a dash pattern is set
    # one vertical and three horizontal cuts, whole-sheet lines drawn as "m ... l S"
    assert len(re.findall(r" m [\d.]+ [\d.]+ l S", content)) >= 4


# --- HTML templates ------------------------------------------------------------------


@pytest.fixture(scope="module")
def env() -> Environment:
    return Environment(loader=FileSystemLoader(FRONTEND / "templates"),
                       autoescape=select_autoescape(["html"]))


class Outline(HTMLParser):
    """The headings, the html lang and any inline styles a page has."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.lang = None
        self.inline_styles = 0
        self.stylesheets: list[str] = []
        self.svg_titles = 0
        self._in = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "style" or "style" in attrs:
            self.inline_styles += 1
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.stylesheets.append(attrs["href"])
        self._in.append(tag)

    def handle_endtag(self, tag):
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data):
        if len(self._in) >= 2 and self._in[-1] == "title" and self._in[-2] == "svg":
            self.svg_titles += 1


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


def assert_print_ready(html: str, lang: str = "en") -> Outline:
    page = outline(html)
    assert page.lang == lang
    assert page.stylesheets == ["/static/print.css"]
    assert page.inline_styles == 0  # the Content-Security-Policy would block them
    assert page.headings and page.headings[0] == 1
    assert all(b - a <= 1 for a, b in zip(page.headings, page.headings[1:]))
    return page


@pytest.mark.parametrize("template", ["print/poster.html", "print/card.html"])
def test_session_templates_render_the_short_url_and_an_accessible_qr(env, template):
    html = env.get_template(template).render(**session_print_context(session()))
    page = assert_print_ready(html)
    assert page.svg_titles == 1
    assert f">{SHORT_URL}</a>" in html
    for words in ("Art at the Start", "For parents and carers", "Tell us what you think",
                  "The McManus, Dundee · Saturday 14 March 2026", "We do not ask your name."):
        assert words in html
    svg = html[html.index("<svg"): html.index("</svg>") + 6]
    assert decode(rasterise(svg)) == [SHORT_URL]


def test_session_templates_escape_what_staff_type_and_take_a_language(env):
    context = session_print_context(session(initiative_name="<script>x</script>"), lang="pl")
    html = env.get_template("print/poster.html").render(**context)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert_print_ready(html, lang="pl")


def test_lang_defaults_to_english(env):
    context = session_print_context(session())
    del context["lang"]
    assert outline(env.get_template("print/card.html").render(**context)).lang == "en"


def test_participant_cards_template_puts_eight_cards_on_each_sheet(env):
    cards = [participant(i) for i in range(9)]
    template = env.get_template("print/participant_cards.html")
    html = template.render(**participant_cards_context(cards))
    page = assert_print_ready(html)
    sheets = html.split('class="sheet sheet--a4 cards-sheet"')[1:]
    assert [sheet.count('class="participant-card"') for sheet in sheets] == [8, 1]
    assert page.svg_titles == 9
    for card in cards:
        assert f">{card.code}</p>" in html
    assert html.count(KEEP_CARD_LINE) == 9


def test_print_css_sets_the_paper_sizes():
    css = (FRONTEND / "static" / "print.css").read_text()
    assert re.search(r"@page\s*\{[^}]*size:\s*A4", css)
    assert re.search(r"@page card\s*\{[^}]*size:\s*105mm 148mm", css)
    assert re.search(r"\.sheet--a6\s*\{[^}]*page:\s*card", css)


def test_the_shipped_fonts_are_small_and_licensed():
    fonts = FRONTEND / "fonts"
    total = sum(path.stat().st_size for path in fonts.glob("*.ttf"))
    assert 0 < total < 1_000_000
    assert "Bitstream" in (fonts / "LICENSE.txt").read_text()
