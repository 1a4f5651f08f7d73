"""Print-ready PDFs: session posters and cards, and sheets of participant cards.

Staff print these on an ordinary office printer and pin them up or hand them
out, so every layout is black on white, uses large type, keeps at least 8 mm
clear at every edge (more than office printers leave unprinted), and always
fits on one page: text that is too long first shrinks, then is refused with a
ValueError that says which field to shorten (a poster with a clipped privacy
line would be worse than none).

Session cards print one A6 card per page; participant cards print 8 to an A4
sheet with dashed cut lines. session_print_context and
participant_cards_context give the same content to templates/print/ for
printing from a browser.

The PDFs are built with fpdf2 (pure Python, no system libraries) and use a
subset of DejaVu Sans shipped in frontend/fonts/, so names such as
"Łódź Ćwiczenia" or Ukrainian text print and stay searchable in the PDF.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import TTFFont

from frontend import FONTS
from frontend.core.session_links import short_url, show_date
from frontend.documents.qr import qr_png, qr_svg
from surveys.questionnaires import Definition

_FONT_FILES = {
    ("Sans", ""): FONTS / "DejaVuSans-subset.ttf",
    ("Sans", "B"): FONTS / "DejaVuSans-Bold-subset.ttf",
    ("Mono", "B"): FONTS / "DejaVuSansMono-Bold-subset.ttf",
    # Arabic and Urdu: a font with their letters, used where DejaVu has none, shaped by HarfBuzz.
    ("Naskh", ""): FONTS / "NotoNaskhArabic-Regular.ttf",
    ("Naskh", "B"): FONTS / "NotoNaskhArabic-Bold.ttf",
}

AUDIENCE_LINES = {
    "parent": "For parents and carers",
    "child": "For children and young people",
    "practitioner": "For practitioners",
}
HEADLINE = "Tell us what you think"
SCAN_LINE = "Scan the code with your phone camera, or type this address:"
CODE_LABEL = "Your code"
PRINT_HINT = "Print at 100% scale (actual size) with no margins, headers or footers."
KEEP_CARD_LINE = (
    "Keep this card. Show it or type the code when you answer our questions. "
    "It does not have your name on it."
)

_PT = 25.4 / 72  # millimetres in one typographic point
_LEADING = 1.25  # line height as a multiple of the font size
_GREY = (68, 68, 68)  # dark enough for 4.5:1 on white even after a cheap printer
_CUT_GREY = (150, 150, 150)
A4 = (210, 297)  # paper sizes in millimetres (fpdf2 knows A4 by name, not A6)
A6 = (105, 148)


@dataclass(frozen=True)
class PrintableSession:
    """What a poster or card for one session says."""

    initiative_name: str
    short_url: str  # shown as text, large, and encoded in the QR
    about: str  # what the questions are about, one line
    privacy_line: str  # one-line privacy statement
    site: str = ""
    when: str = ""  # human date label, already formatted
    audience: str = "parent"  # parent/child/practitioner

    def __post_init__(self) -> None:
        if self.audience not in AUDIENCE_LINES:
            raise ValueError(f"audience must be one of {', '.join(AUDIENCE_LINES)}")
        for name in ("initiative_name", "short_url", "about", "privacy_line"):
            if not getattr(self, name).strip():
                raise ValueError(f"{name} must not be empty")


PRIVACY_LINE = "We don't ask for your name. Your answers are private and only shared as totals."


def printable(session: dict, initiative: dict, definition: Definition, base_url: str) -> PrintableSession:
    """What the poster and card for a session say."""
    about = definition.about or definition.title
    minutes = max(1, definition.minutes)
    return PrintableSession(
        initiative_name=initiative["name"],
        short_url=short_url(base_url, session["token"], session["audience"]),
        about=f"A few questions about {about}. It takes about {minutes} minute{'s' if minutes != 1 else ''}.",
        privacy_line=PRIVACY_LINE,
        site=session.get("site") or "",
        when=show_date(session.get("held_on")),
        audience=session["audience"] if session["audience"] in ("parent", "child", "practitioner") else "parent",
    )


@dataclass(frozen=True)
class ParticipantCard:
    """One cut-out card that carries a participant's pseudonymous code."""

    initiative_name: str
    code: str  # shown in large monospace text
    url: str  # encoded in the QR

    def __post_init__(self) -> None:
        for name in ("initiative_name", "code", "url"):
            if not getattr(self, name).strip():
                raise ValueError(f"{name} must not be empty")


@dataclass(frozen=True)
class _Scale:
    """Sizes (points for type, millimetres for space) for one paper size."""

    margin: float
    name_pt: float
    audience_pt: float
    headline_pt: float
    about_pt: float
    small_pt: float
    url_pt: float
    privacy_pt: float
    min_pt: float  # no text shrinks below this
    gap: float
    qr_max: float
    qr_min: float


_POSTER = _Scale(
    margin=15, name_pt=28, audience_pt=18, headline_pt=44, about_pt=20, small_pt=15,
    url_pt=30, privacy_pt=13, min_pt=10, gap=6, qr_max=135, qr_min=70,
)
_CARD = _Scale(
    margin=8, name_pt=15, audience_pt=10, headline_pt=19, about_pt=10.5, small_pt=8.5,
    url_pt=14, privacy_pt=8, min_pt=6.5, gap=3, qr_max=62, qr_min=38,
)


# --- public API ----------------------------------------------------------


def poster_pdf(session: PrintableSession) -> bytes:
    """An A4 portrait poster for one session, exactly one page."""
    pdf = _new_pdf(A4, title=f"{session.initiative_name}: {session.short_url}")
    _session_page(pdf, session, _POSTER)
    return bytes(pdf.output())


def card_pdf(session: PrintableSession) -> bytes:
    """An A6 card for one session, exactly one page."""
    return cards_pdf([session])


def cards_pdf(sessions: Sequence[PrintableSession]) -> bytes:
    """Many session cards at once: one A6 card per page, in the order given.

    One card per page (rather than 4-up on A4) keeps each card's layout the
    same as card_pdf; a printer's "4 pages per sheet" setting prints them on
    A4, since A6 is a quarter of A4.
    """
    if not sessions:
        raise ValueError("there are no session cards to print")
    first = sessions[0]
    title = f"{first.initiative_name}: {first.short_url}" if len(sessions) == 1 else "Session cards"
    pdf = _new_pdf(A6, title=title)
    for session in sessions:
        _session_page(pdf, session, _CARD)
    return bytes(pdf.output())


# A4 cut into 2 columns and 4 rows: each card is A7 (105 x 74.25 mm), room for
# the code in large type beside a QR code a phone reads at arm's length.
CARDS_ACROSS, CARDS_DOWN = 2, 4
CARDS_PER_SHEET = CARDS_ACROSS * CARDS_DOWN


def participant_cards_pdf(cards: Sequence[ParticipantCard]) -> bytes:
    """A4 sheets of participant cards, 8 per page (2 across, 4 down) with cut lines."""
    if not cards:
        raise ValueError("there are no participant cards to print")
    pdf = _new_pdf(A4, title="Participant cards")
    width, height = pdf.w / CARDS_ACROSS, pdf.h / CARDS_DOWN
    for start in range(0, len(cards), CARDS_PER_SHEET):
        pdf.add_page()
        _cut_lines(pdf)
        for i, card in enumerate(cards[start : start + CARDS_PER_SHEET]):
            column, row = i % CARDS_ACROSS, i // CARDS_ACROSS
            _participant_card(pdf, card, column * width, row * height, width, height)
    return bytes(pdf.output())


# --- the same things as HTML (templates/print/) -----------------------------


def session_print_context(session: PrintableSession, *, lang: str = "en") -> dict[str, object]:
    """The context templates/print/poster.html and card.html need for one session.

    The fixed wording is English; a view serving another language passes its
    own translations over these keys.
    """
    return {
        "session": session,
        "qr": qr_svg(session.short_url, title=f"QR code for {session.short_url}"),
        "audience_line": AUDIENCE_LINES[session.audience],
        "headline": HEADLINE,
        "scan_line": SCAN_LINE,
        "place": _place(session),
        "print_hint": PRINT_HINT,
        "lang": lang,
    }


def participant_cards_context(cards: Sequence[ParticipantCard], *,
                              lang: str = "en") -> dict[str, object]:
    """The context templates/print/participant_cards.html needs."""
    return {
        "cards": [(card, qr_svg(card.url, title=f"QR code for the code {card.code}"))
                  for card in cards],
        "per_sheet": CARDS_PER_SHEET,
        "heading": "Participant cards",
        "code_label": CODE_LABEL,
        "keep_card_line": KEEP_CARD_LINE,
        "print_hint": PRINT_HINT + " Cut along the dashed lines.",
        "lang": lang,
    }


def _place(session: PrintableSession) -> str:
    return " · ".join(part.strip() for part in (session.site, session.when) if part.strip())


# --- pages ---------------------------------------------------------------


def _new_pdf(paper: tuple[float, float], *, title: str) -> FPDF:
    pdf = FPDF(orientation="portrait", unit="mm", format=paper)
    # One page per thing printed: nothing may spill onto a second page.
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.c_margin = 0
    for (family, style), path in _FONT_FILES.items():
        pdf.add_font(family, style, path)
    pdf.set_fallback_fonts(["Naskh"])
    pdf.set_text_shaping(True)
    pdf.set_title(title)
    pdf.set_lang("en")
    pdf.set_creator("Heard")
    return pdf


def _session_page(pdf: FPDF, session: PrintableSession, s: _Scale) -> None:
    pdf.add_page()
    name = _printable(pdf, session.initiative_name, "Sans", "B", "initiative_name")
    about = _printable(pdf, session.about, "Sans", "", "about")
    privacy = _printable(pdf, session.privacy_line, "Sans", "", "privacy_line")
    place = _printable(pdf, _place(session), "Sans", "", "site and when")
    url = _printable(pdf, session.short_url, "Mono", "B", "short_url")
    left, width = s.margin, pdf.w - 2 * s.margin
    bottom = pdf.h - s.margin

    # The privacy line sits in a box at the foot of the page, where people
    # look for the small print; everything else stacks from the top.
    inner = width - 2 * s.gap
    privacy_size = _fit(pdf, privacy, "Sans", "", inner, s.privacy_pt, s.min_pt,
                        max_lines=3, field="privacy_line")
    box_top = bottom - _height(pdf, privacy, "Sans", "", privacy_size, inner) - 1.5 * s.gap

    y = _text(pdf, name, "Sans", "B", s.name_pt, s.min_pt, left, s.margin, width,
              max_lines=2, field="initiative_name")
    y = _text(pdf, AUDIENCE_LINES[session.audience], "Sans", "", s.audience_pt, s.min_pt,
              left, y + s.gap / 3, width, max_lines=1, colour=_GREY)
    y += s.gap
    pdf.set_line_width(s.gap / 10)
    pdf.line(left + width * 0.3, y, left + width * 0.7, y)
    y += s.gap
    # One line reads as a headline; a wrapped one reads as a paragraph.
    y = _text(pdf, HEADLINE, "Sans", "B", s.headline_pt, s.headline_pt * 0.6, left, y, width,
              max_lines=1)
    y = _text(pdf, about, "Sans", "", s.about_pt, s.min_pt, left, y + s.gap / 3, width,
              max_lines=3, field="about")
    if place:
        y = _text(pdf, place, "Sans", "", s.small_pt, s.min_pt, left, y + s.gap / 3, width,
                  max_lines=2, colour=_GREY, field="site and when")

    # The QR code takes whatever room is left, within limits that keep it
    # scannable from a step away (poster) or at arm's length (card).
    scan_size = _fit(pdf, SCAN_LINE, "Sans", "", width, s.small_pt, s.min_pt, max_lines=2)
    scan_h = _height(pdf, SCAN_LINE, "Sans", "", scan_size, width)
    url_size = _fit(pdf, url, "Mono", "B", width, s.url_pt, s.min_pt, max_lines=1,
                    field="short_url")
    url_h = _height(pdf, url, "Mono", "B", url_size, width)
    room = box_top - y - 2 * s.gap
    qr = min(s.qr_max, room - scan_h - url_h - s.gap)
    if qr < s.qr_min:
        raise ValueError("the words leave no room for a QR code big enough to scan: "
                         "shorten the about line or the privacy line")
    y += s.gap + (room - (qr + s.gap + scan_h + url_h)) / 2  # centre the QR, link and words
    pdf.image(io.BytesIO(qr_png(session.short_url)), x=(pdf.w - qr) / 2, y=y, w=qr, h=qr,
              alt_text=f"QR code for {url}")
    y = _text(pdf, SCAN_LINE, "Sans", "", scan_size, scan_size, left, y + qr + s.gap / 2, width,
              max_lines=2)
    _text(pdf, url, "Mono", "B", url_size, url_size, left, y + s.gap / 2, width, max_lines=1)

    pdf.set_line_width(0.3)
    pdf.rect(left, box_top, width, bottom - box_top, style="D", round_corners=True,
             corner_radius=s.gap / 2)
    _text(pdf, privacy, "Sans", "", privacy_size, privacy_size, left + s.gap,
          box_top + 0.75 * s.gap, inner, max_lines=3)


def _participant_card(pdf: FPDF, card: ParticipantCard, x: float, y: float,
                      width: float, height: float) -> None:
    name = _printable(pdf, card.initiative_name, "Sans", "B", "initiative_name")
    code = _printable(pdf, card.code, "Mono", "B", "code")
    pad = 8  # clear of the edge a printer cannot reach, and of a wobbly cut
    qr = 40  # scans from a phone held at reading distance and leaves room for the words
    text_w = width - 2 * pad - qr - 5
    top = y + (height - qr) / 2  # the words start level with the QR code, both centred
    top = _text(pdf, name, "Sans", "B", 10, 7, x + pad, top, text_w, max_lines=2, align="L",
                field="initiative_name")
    top = _text(pdf, CODE_LABEL, "Sans", "", 8.5, 8.5, x + pad, top + 2, text_w, max_lines=1,
                align="L", colour=_GREY)
    top = _text(pdf, code, "Mono", "B", 20, 9, x + pad, top + 0.5, text_w, max_lines=1,
                align="L", field="code")
    _text(pdf, KEEP_CARD_LINE, "Sans", "", 9, 7, x + pad, top + 2, text_w, max_lines=5,
          align="L")
    pdf.image(io.BytesIO(qr_png(card.url)), x=x + width - pad - qr, y=y + (height - qr) / 2,
              w=qr, h=qr, alt_text=f"QR code for the participant code {code}")


def _cut_lines(pdf: FPDF) -> None:
    """Dashed lines across the whole sheet, so a guillotine can follow them."""
    pdf.set_draw_color(*_CUT_GREY)
    pdf.set_line_width(0.2)
    pdf.set_dash_pattern(dash=3, gap=2)
    for column in range(1, CARDS_ACROSS):
        x = pdf.w * column / CARDS_ACROSS
        pdf.line(x, 0, x, pdf.h)
    for row in range(1, CARDS_DOWN):
        y = pdf.h * row / CARDS_DOWN
        pdf.line(0, y, pdf.w, y)
    pdf.set_dash_pattern()
    pdf.set_draw_color(0)


# --- text ----------------------------------------------------------------


def _lines(pdf: FPDF, text: str, family: str, style: str, size: float, width: float) -> list[str]:
    pdf.set_font(family, style, size)
    return cast(list[str], pdf.multi_cell(width, size * _PT * _LEADING, text, dry_run=True, output="LINES"))


def _height(pdf: FPDF, text: str, family: str, style: str, size: float, width: float) -> float:
    return len(_lines(pdf, text, family, style, size, width)) * size * _PT * _LEADING


def _printable(pdf: FPDF, text: str, family: str, style: str, field: str) -> str:
    """text as it will print: emoji and other symbols the font lacks are left out.

    A missing symbol is decoration, so the page prints without it; a missing
    letter would garble a word, so it is refused (frontend/fonts/README.md
    lists the scripts the font covers).
    """
    covered = cast(TTFFont, pdf.fonts[family.lower() + style]).cmap
    fallback = cast(TTFFont, pdf.fonts["naskh" + ("B" if style == "B" else "")]).cmap
    kept, missing = [], set()
    for ch in text:
        if ord(ch) in covered or ord(ch) in fallback or ch.isspace():
            kept.append(ch)
        elif unicodedata.category(ch)[0] not in "SC":  # S: symbols; C: joiners, selectors
            missing.add(ch)
    if missing:
        raise ValueError(f"{field} has letters the print font lacks: {''.join(sorted(missing))}")
    return " ".join("".join(kept).split())


def _fit(pdf: FPDF, text: str, family: str, style: str, width: float, largest: float,
         smallest: float, *, max_lines: int, field: str = "text") -> float:
    """The largest size, stepping down half a point, at which text fits in max_lines."""
    size = largest
    while len(_lines(pdf, text, family, style, size, width)) > max_lines:
        if size <= smallest:
            raise ValueError(f"{field} is too long to print: shorten it")
        size = max(smallest, size - 0.5)
    return size


def _text(pdf: FPDF, text: str, family: str, style: str, largest: float, smallest: float,
          x: float, y: float, width: float, *, max_lines: int, align: str = "C",
          colour: tuple[int, int, int] = (0, 0, 0), field: str = "text") -> float:
    """Write text in a box `width` wide from (x, y); return the y below it."""
    size = _fit(pdf, text, family, style, width, largest, smallest, max_lines=max_lines,
                field=field)
    pdf.set_font(family, style, size)
    pdf.set_text_color(*colour)
    pdf.set_xy(x, y)
    pdf.multi_cell(width, size * _PT * _LEADING, text, align=align,
                   new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_text_color(0)
    return pdf.get_y()
