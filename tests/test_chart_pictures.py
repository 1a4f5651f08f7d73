"""Charts as pictures (frontend.documents.charts): the PNG a Word file holds is the grey drawing
a PDF gets, pixel for pixel."""

from __future__ import annotations

import io

from PIL import Image

from frontend.documents import charts


def chart() -> charts.Chart:
    legend = [
        charts.Segment(label, 0, side, shade)
        for label, side, shade in (
            ("No", "negative", 0),
            ("Not really", "negative", 1),
            ("Mostly", "positive", 4),
            ("Yes", "positive", 5),
        )
    ]
    bars = [
        charts.Bar(
            "Did you feel listened to at the session today?",
            tuple(charts.Segment(s.label, share, s.side, s.shade) for s, share in zip(legend, (0.1, 0.2, 0.3, 0.4))),
            "n = 1,234",
        ),
        charts.Bar(
            "Would you come again?", (charts.Segment("hidden (small numbers)", 1.0, "aside", 1),), "fewer than 10"
        ),
    ]
    return charts.diverging_bars("Answers to 2 questions", bars, legend)


def test_png_is_the_grey_drawing_pixel_for_pixel():
    drawn = chart().image(scale=2.0)
    assert drawn.mode == "L" and drawn.size == (int(chart().width * 2), int(chart().height * 2))
    png = Image.open(io.BytesIO(chart().png(scale=2.0)))
    assert png.format == "PNG" and png.mode == "P"  # a palette of greys: quicker to encode than "L"
    assert png.convert("L").tobytes() == drawn.tobytes()
    assert len(set(drawn.tobytes())) > 20  # anti-aliased text and greys, not a blank or two-tone picture


def test_labels_are_drawn_as_pillow_draws_text_at_any_sub_pixel_start():
    from PIL import ImageDraw, ImageFont

    from frontend import FONTS

    labels = [
        charts.Label(12.3, 20.7, "Did you feel listened to?", 11, "start"),
        charts.Label(200.55, 20.2, "58%", 10, "middle", bold=True),
        charts.Label(390.9, 44.45, "n = 1,234", 9, "end", colour="#333333"),
        charts.Label(100.25, 50.5, "Czy czułeś się wysłuchany? Чи вас вислухали?", 12, "start"),
    ]
    picture = charts.Chart(400, 60, "Labels", labels)
    expected = Image.new("L", (800, 120), 255)
    draw = ImageDraw.Draw(expected)
    for label in labels:
        name = "DejaVuSans-Bold-subset.ttf" if label.bold else "DejaVuSans-subset.ttf"
        font = ImageFont.truetype(str(FONTS / name), int(label.size * 2))
        anchor = {"start": "ls", "middle": "ms", "end": "rs"}[label.anchor]
        draw.text((label.x * 2, label.y * 2), label.text, font=font, fill=label.colour, anchor=anchor)
    assert picture.image(scale=2.0).tobytes() == expected.tobytes()
    assert picture.image(scale=2.0).tobytes() == expected.tobytes()  # again, each label from the cache
    assert len(set(expected.tobytes())) > 20


def test_a_charts_texts_are_made_writable_and_its_other_shapes_kept_as_they_are():
    from frontend.documents.summary import Figure, _writable

    plain = charts.Label(0, 16, "Plain", 12)
    box = charts.Box(1, 2, 3, 4, "#ffffff")
    dirty = charts.Chart(100, 50, "Did you\x07 feel listened to?", [plain, box, charts.Label(0, 30, "Y\x1bes")])
    figure = _writable(Figure(dirty))
    assert figure.chart.title == "Did you feel listened to?"
    assert [getattr(s, "text", None) for s in figure.chart.shapes] == ["Plain", None, "Yes"]
    assert figure.chart.shapes[0] is plain and figure.chart.shapes[1] is box
    assert dirty.title == "Did you\x07 feel listened to?"  # the original is not changed in place
