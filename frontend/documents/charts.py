"""Charts for partner summaries, drawn on the server: SVG for pages, PNG for Word and PDF.

A chart is laid out once as a list of simple shapes (boxes, lines, dots, text) and then drawn by
either renderer, so the picture in a Word file is the picture on the web page. Every chart reads
in black and white: answers are told apart by grey level *and* by a hatch pattern, dots by
shape (hollow = before, filled = after), and every segment wide enough carries its own label.
Each chart sits above its data table in every format: the table is the accessible version and
the chart's ``title`` is its text alternative.

Hidden (suppressed) counts are never drawn on their own: they are merged into one plain
"hidden" segment, whose size a reader could already work out from the published total.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from functools import lru_cache
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont

from frontend import FONTS
from surveys.figures import percent_text

# Lightest for the most negative answer, darkest for the most positive; patterns say it again.
GREYS = ["#ffffff", "#d9d9d9", "#a6a6a6", "#6e6e6e", "#3a3a3a", "#1a1a1a"]
PATTERNS = ["back", "none", "fore", "none", "cross", "none"]
ASIDE_FILL = "#f2f2f2"


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    fill: str
    pattern: str = "none"  # none, fore (/), back (\), cross, dots


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float = 1
    colour: str = "#000000"
    dashed: bool = False


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    r: float
    filled: bool


@dataclass(frozen=True)
class Label:
    x: float
    y: float  # baseline
    text: str
    size: float = 12
    anchor: str = "start"  # start, middle, end
    bold: bool = False
    colour: str = "#000000"


@dataclass
class Chart:
    width: float
    height: float
    title: str  # the text alternative
    shapes: list = field(default_factory=list)

    def svg(self) -> str:
        return to_svg(self)

    def png(self, scale: float = 2.0) -> bytes:
        return to_png(self, scale)

    def image(self, scale: float = 2.0) -> Image.Image:
        return to_image(self, scale)


@dataclass(frozen=True)
class Segment:
    label: str
    share: float  # 0..1 of the group
    side: str  # "negative", "neutral", "positive" or "aside" (not sure, hidden)
    shade: int = 0  # index into GREYS/PATTERNS


@dataclass(frozen=True)
class Bar:
    label: str  # the question
    segments: tuple[Segment, ...]
    note: str = ""  # e.g. "n = 40"


@dataclass(frozen=True)
class Dumbbell:
    label: str
    before: float | None  # shares 0..1; None when hidden
    after: float | None
    note: str = ""


# --- Layouts -----------------------------------------------------------------------------------

LABEL_WIDTH = 230
PLOT_WIDTH = 420
ASIDE_WIDTH = 90
ROW = 34
BAR = 20


def diverging_bars(title: str, bars: list[Bar], legend: list[Segment]) -> Chart:
    """Diverging stacked bars: negative answers left of the centre line, positive right.

    A middle (neutral) answer straddles the centre. "Not sure" and hidden counts sit in a
    separate bar on the right, so they are shown without pushing the scale either way.
    """
    top = 30
    height = top + ROW * len(bars) + 24 + 22 * ((len(legend) + 2) // 3) + 10
    chart = Chart(LABEL_WIDTH + PLOT_WIDTH + ASIDE_WIDTH + 20, height, title)
    s = chart.shapes
    s.append(Label(0, 16, title, 13, bold=True))
    centre = LABEL_WIDTH + PLOT_WIDTH / 2
    half = PLOT_WIDTH / 2
    for i, bar in enumerate(bars):
        y = top + i * ROW
        for j, line in enumerate(_wrap(bar.label, 34)[:2]):
            s.append(Label(LABEL_WIDTH - 8, y + 13 + j * 13, line, 11, anchor="end"))
        negative = sum(seg.share for seg in bar.segments if seg.side == "negative")
        neutral = sum(seg.share for seg in bar.segments if seg.side == "neutral")
        x = centre - (negative + neutral / 2) * half
        for seg in (seg for seg in bar.segments if seg.side in ("negative", "neutral", "positive")):
            w = seg.share * half
            _segment(s, x, y, w, seg)
            x += w
        ax: float = LABEL_WIDTH + PLOT_WIDTH + 14
        for seg in (seg for seg in bar.segments if seg.side == "aside"):
            w = seg.share * half
            _segment(s, ax, y, w, seg)
            ax += w
        if bar.note:
            s.append(Label(LABEL_WIDTH + PLOT_WIDTH + ASIDE_WIDTH + 18, y + 14, bar.note, 9, anchor="end",
                           colour="#333333"))
    axis_bottom = top + ROW * len(bars) - 8
    s.append(Line(centre, top - 6, centre, axis_bottom, 1.5))
    for share in (-1, -0.5, 0.5, 1):
        x = centre + share * half
        s.append(Line(x, top - 6, x, axis_bottom, 0.5, "#777777", dashed=True))
        s.append(Label(x, axis_bottom + 12, f"{abs(share):.0%}", 9, anchor="middle", colour="#333333"))
    s.append(Label(centre, axis_bottom + 12, "0", 9, anchor="middle", colour="#333333"))
    y = axis_bottom + 28
    for k, seg in enumerate(legend):
        x = LABEL_WIDTH - 200 + (k % 3) * 220
        yy = y + (k // 3) * 22
        s.append(Box(x, yy - 11, 16, 14, _fill(seg), _pattern(seg)))
        s.append(Label(x + 22, yy, seg.label, 10))
    return chart


def dumbbells(title: str, rows: list[Dumbbell], before_label: str, after_label: str) -> Chart:
    """Before (hollow dot) and after (filled dot) joined by a line, on a 0–100% axis."""
    top = 44
    height = top + ROW * len(rows) + 30
    chart = Chart(LABEL_WIDTH + PLOT_WIDTH + 110, height, title)
    s = chart.shapes
    s.append(Label(0, 16, title, 13, bold=True))
    s.append(Dot(LABEL_WIDTH + 6, 32, 5, False))
    s.append(Label(LABEL_WIDTH + 16, 36, before_label, 10))
    s.append(Dot(LABEL_WIDTH + 166, 32, 5, True))
    s.append(Label(LABEL_WIDTH + 176, 36, after_label, 10))
    x0 = LABEL_WIDTH
    axis_bottom = top + ROW * len(rows) - 8
    for share in (0, 0.25, 0.5, 0.75, 1):
        x = x0 + share * PLOT_WIDTH
        s.append(Line(x, top - 4, x, axis_bottom, 0.5, "#777777", dashed=share not in (0, 1)))
        s.append(Label(x, axis_bottom + 12, f"{share:.0%}", 9, anchor="middle", colour="#333333"))
    for i, row in enumerate(rows):
        y = top + i * ROW + 10
        for j, line in enumerate(_wrap(row.label, 34)[:2]):
            s.append(Label(LABEL_WIDTH - 8, y + 4 + j * 13, line, 11, anchor="end"))
        if row.before is not None and row.after is not None:
            s.append(Line(x0 + row.before * PLOT_WIDTH, y, x0 + row.after * PLOT_WIDTH, y, 2.5, "#555555"))
        for at, filled in ((row.before, False), (row.after, True)):
            if at is not None:
                s.append(Dot(x0 + at * PLOT_WIDTH, y, 6, filled))
        text = row.note or (
            f"{percent_text(row.before)} → {percent_text(row.after)}"
            if row.before is not None and row.after is not None
            else "hidden"
        )
        s.append(Label(x0 + PLOT_WIDTH + 12, y + 4, text, 10))
    return chart


@dataclass(frozen=True)
class Week:
    label: str  # "3 Nov"
    count: int | None  # None when hidden from this reader
    marked: bool = False  # drawn, but hidden from partners (a lead's own view)


def weekly_bars(title: str, weeks: list[Week]) -> Chart:
    """One column per week, its count above it. A hidden week has no column, only "hidden"; a
    marked week (shown to a lead, hidden from partners) is hatched."""
    top, plot, col = 34, 110, 44
    chart = Chart(col * len(weeks) + 20, top + plot + 40, title)
    s = chart.shapes
    s.append(Label(0, 16, title, 13, bold=True))
    biggest = max([w.count for w in weeks if w.count] or [1])
    base = top + plot
    for i, week in enumerate(weeks):
        x = 10 + i * col
        if week.count is None:
            s.append(Label(x + col / 2, base - 4, "hidden", 9, anchor="middle", colour="#333333"))
        else:
            h = plot * week.count / biggest
            if h:
                s.append(Box(x + 6, base - h, col - 12, h, "#a6a6a6" if week.marked else "#3a3a3a",
                             "fore" if week.marked else "none"))
            s.append(Label(x + col / 2, base - h - 4, str(week.count), 10, anchor="middle"))
        s.append(Label(x + col / 2, base + 16, week.label, 9, anchor="middle", colour="#333333"))
    s.append(Line(6, base, 14 + col * len(weeks), base, 1))
    return chart


def _segment(shapes: list, x: float, y: float, w: float, seg: Segment) -> None:
    if w <= 0:
        return
    shapes.append(Box(x, y, w, BAR, _fill(seg), _pattern(seg)))
    text = percent_text(seg.share)
    if w >= 34:
        # Black on a white tab: readable on every grey and pattern, on screen and on paper.
        shapes.append(Box(x + w / 2 - 15, y + 3, 30, 14, "#ffffff"))
        shapes.append(Label(x + w / 2, y + 14, text, 10, anchor="middle", bold=True))


def _fill(seg: Segment) -> str:
    return ASIDE_FILL if seg.side == "aside" else GREYS[seg.shade % len(GREYS)]


def _pattern(seg: Segment) -> str:
    if seg.side == "aside":
        return "dots" if seg.shade else "none"
    return PATTERNS[seg.shade % len(PATTERNS)]


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    if len(lines) > 2:
        lines = [lines[0], lines[1][: width - 1] + "…"]
    return lines


# --- SVG ---------------------------------------------------------------------------------------

_SVG_PATTERNS = """<defs>
<pattern id="p-fore" width="6" height="6" patternUnits="userSpaceOnUse"><path d="M0,6 L6,0" stroke="#000" stroke-width="1"/></pattern>
<pattern id="p-back" width="6" height="6" patternUnits="userSpaceOnUse"><path d="M0,0 L6,6" stroke="#000" stroke-width="1"/></pattern>
<pattern id="p-cross" width="6" height="6" patternUnits="userSpaceOnUse"><path d="M0,6 L6,0 M0,0 L6,6" stroke="#fff" stroke-width="1"/></pattern>
<pattern id="p-dots" width="5" height="5" patternUnits="userSpaceOnUse"><circle cx="2.5" cy="2.5" r="0.9" fill="#000"/></pattern>
</defs>"""


def to_svg(chart: Chart) -> str:
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {chart.width:.0f} {chart.height:.0f}" '
        f'width="{chart.width:.0f}" height="{chart.height:.0f}" role="img" aria-label="{escape(chart.title, {chr(34): "&quot;"})}" '
        f'font-family="DejaVu Sans, Verdana, Arial, sans-serif">',
        f"<title>{escape(chart.title)}</title>",
        _SVG_PATTERNS,
    ]
    for shape in chart.shapes:
        if isinstance(shape, Box):
            attrs = f'x="{shape.x:.1f}" y="{shape.y:.1f}" width="{shape.w:.1f}" height="{shape.h:.1f}"'
            out.append(f'<rect {attrs} fill="{shape.fill}" stroke="#000" stroke-width="0.75"/>')
            if shape.pattern != "none":
                out.append(f'<rect {attrs} fill="url(#p-{shape.pattern})"/>')
        elif isinstance(shape, Line):
            dash = ' stroke-dasharray="3,3"' if shape.dashed else ""
            out.append(f'<line x1="{shape.x1:.1f}" y1="{shape.y1:.1f}" x2="{shape.x2:.1f}" y2="{shape.y2:.1f}" '
                       f'stroke="{shape.colour}" stroke-width="{shape.width}"{dash}/>')
        elif isinstance(shape, Dot):
            fill = "#000" if shape.filled else "#fff"
            out.append(f'<circle cx="{shape.x:.1f}" cy="{shape.y:.1f}" r="{shape.r}" fill="{fill}" '
                       f'stroke="#000" stroke-width="2"/>')
        elif isinstance(shape, Label):
            weight = ' font-weight="bold"' if shape.bold else ""
            out.append(f'<text x="{shape.x:.1f}" y="{shape.y:.1f}" font-size="{shape.size}" '
                       f'text-anchor="{shape.anchor}" fill="{shape.colour}"{weight}>{escape(shape.text)}</text>')
    out.append("</svg>")
    return "".join(out)


# --- PNG (Pillow: no system libraries) ---------------------------------------------------------

@lru_cache(maxsize=32)
def _font(size: int, bold: bool) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold-subset.ttf" if bold else "DejaVuSans-subset.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def to_png(chart: Chart, scale: float = 2.0) -> bytes:
    image = to_image(chart, scale)
    # Saved as a palette of the 256 greys, pixel for pixel the same picture: PNG filters each row
    # of a grey image five ways to pick the best, a palette image not at all, which halves the
    # encoding time for files a few per cent bigger.
    greys = Image.frombytes("P", image.size, image.tobytes())
    greys.putpalette(_GREY_PALETTE)
    out = io.BytesIO()
    # Level 3: a third faster to encode than the default 6, for files about twice as big (tens of KB).
    greys.save(out, "PNG", compress_level=3)
    return out.getvalue()


_GREY_PALETTE = [level for grey in range(256) for level in (grey, grey, grey)]


def to_image(chart: Chart, scale: float = 2.0) -> Image.Image:
    """The chart drawn in greys ("L"): for a PDF as it is, for Word as PNG (:func:`to_png`)."""
    # Greyscale: the charts use no colour, and a third of the pixels encodes three times faster.
    image = Image.new("L", (int(chart.width * scale), int(chart.height * scale)), 255)
    draw = ImageDraw.Draw(image)
    for shape in chart.shapes:
        if isinstance(shape, Box):
            box = [shape.x * scale, shape.y * scale, (shape.x + shape.w) * scale, (shape.y + shape.h) * scale]
            draw.rectangle(box, fill=shape.fill)
            _hatch(draw, box, shape.pattern, scale)
            draw.rectangle(box, outline="#000000", width=max(1, int(0.75 * scale)))
        elif isinstance(shape, Line):
            points = [(shape.x1 * scale, shape.y1 * scale), (shape.x2 * scale, shape.y2 * scale)]
            width = max(1, int(shape.width * scale))
            if shape.dashed:
                _dashed(draw, points, shape.colour, width, 3 * scale)
            else:
                draw.line(points, fill=shape.colour, width=width)
        elif isinstance(shape, Dot):
            r = shape.r * scale
            draw.ellipse([shape.x * scale - r, shape.y * scale - r, shape.x * scale + r, shape.y * scale + r],
                         fill="#000000" if shape.filled else "#ffffff", outline="#000000", width=int(2 * scale))
        elif isinstance(shape, Label):
            _label(draw, shape, scale)
    return image


_ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}


def _label(draw: ImageDraw.ImageDraw, label: Label, scale: float) -> None:
    """Draw one label, pixel for pixel as ``draw.text`` would, from a cached rendering: the
    same words at the same size (axis ticks, answer names, "n = 40", each question in its
    chart) are drawn in every summary, and laying out and rasterising text was half of a
    chart's time."""
    x, y = label.x * scale, label.y * scale
    size, anchor = int(label.size * scale), _ANCHORS[label.anchor]
    if x < 0 or y < 0 or "\n" in label.text:  # never in these charts; draw.text's own way
        draw.text((x, y), label.text, font=_font(size, label.bold), fill=label.colour, anchor=anchor)
        return
    # FreeType places a text by its sub-pixel start as well as its whole pixel: both are kept.
    x_fraction, x_whole = math.modf(x)
    y_fraction, y_whole = math.modf(y)
    mask, left, top = _text_mask(label.text, size, label.bold, anchor, x_fraction, y_fraction)
    draw.bitmap((int(x_whole) - left, int(y_whole) - top), mask, fill=label.colour)


@lru_cache(maxsize=256)  # about 1 MB (4 KB a label on average): some ten summaries' labels
def _text_mask(text: str, size: int, bold: bool, anchor: str, x_fraction: float,
               y_fraction: float) -> tuple[Image.Image, int, int]:
    """``text`` as coverage (0 to 255) on a transparent image, and where in that image its
    anchor point is (a whole pixel, plus the fractions the text is drawn at)."""
    font = _font(size, bold)
    x0, y0, x1, y1 = font.getbbox(text, anchor=anchor)
    pad = 3  # anti-aliasing and the sub-pixel shift can spill a pixel past the box
    left, top = pad - math.floor(x0), pad - math.floor(y0)
    mask = Image.new("L", (math.ceil(x1) - math.floor(x0) + 2 * pad, math.ceil(y1) - math.floor(y0) + 2 * pad), 0)
    ImageDraw.Draw(mask).text((left + x_fraction, top + y_fraction), text, font=font, fill=255, anchor=anchor)
    return mask, left, top


def _hatch(draw: ImageDraw.ImageDraw, box: list[float], pattern: str, scale: float) -> None:
    if pattern == "none":
        return
    x0, y0, x1, y1 = box
    step = 6 * scale
    if pattern == "dots":
        r = 0.9 * scale
        y = y0 + step / 2
        while y < y1:
            x = x0 + step / 2
            while x < x1:
                draw.ellipse([x - r, y - r, x + r, y + r], fill="#000000")
                x += 5 * scale
            y += 5 * scale
        return
    colour = "#ffffff" if pattern == "cross" else "#000000"
    directions = {"fore": [1], "back": [-1], "cross": [1, -1]}[pattern]
    height = y1 - y0
    for direction in directions:
        k = x0 - height
        while k < x1:
            if direction == 1:  # from bottom-left to top-right
                a, b = (k, y1), (k + height, y0)
            else:
                a, b = (k, y0), (k + height, y1)
            _clipped_line(draw, a, b, box, colour, max(1, int(scale)))
            k += step


def _clipped_line(draw, a, b, box, colour, width) -> None:
    x0, y0, x1, y1 = box
    (ax, ay), (bx, by) = a, b
    # Clip the segment to the box's x range (it already spans the y range exactly).
    def at(x):
        return ay + (by - ay) * (x - ax) / (bx - ax)
    if ax < x0:
        ax, ay = x0, at(x0)
    if bx > x1:
        bx, by = x1, at(x1)
    if bx <= ax:
        return
    draw.line([(ax, ay), (bx, by)], fill=colour, width=width)


def _dashed(draw, points, colour, width, dash) -> None:
    (x1, y1), (x2, y2) = points
    length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
    if length == 0:
        return
    dx, dy = (x2 - x1) / length, (y2 - y1) / length
    t = 0.0
    while t < length:
        end = min(t + dash, length)
        draw.line([(x1 + dx * t, y1 + dy * t), (x1 + dx * end, y1 + dy * end)], fill=colour, width=width)
        t += 2 * dash
