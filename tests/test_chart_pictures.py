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
