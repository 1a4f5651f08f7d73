"""QR codes for session links and participant codes, as inline SVG for pages and PNG for print.

Both formats use the same settings so a code looks and scans the same wherever it
is printed: error correction M (survives a crease, a smudge or a drawing pin on a
poster without growing the symbol much), a 4-module quiet zone (the minimum the
standard asks for; phone cameras fail more often with less), black on white.
"""

from __future__ import annotations

import io
from html import escape

import qrcode
import qrcode.constants
from markupsafe import Markup
from qrcode.image.pil import PilImage

QUIET_ZONE = 4  # modules of white around the symbol, per ISO/IEC 18004


def _code(data: str) -> qrcode.QRCode:
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=QUIET_ZONE,
    )
    code.add_data(data)
    code.make(fit=True)  # smallest version that holds the data
    return code


def _dark_runs(matrix: list[list[bool]]) -> str:
    """Path data with one rectangle per horizontal run of dark modules.

    Runs rather than single squares keep the SVG small (about a third of the
    size) and leave no hairline seams between neighbouring modules.
    """
    parts = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            parts.append(f"M{start} {y}h{x - start}v1h{start - x}z")
    return "".join(parts)


def qr_svg(data: str, *, title: str) -> str:
    """An inline-able SVG QR code for `data`, named `title` for screen readers.

    The SVG has a viewBox and no fixed width or height, so CSS sizes it; each
    module is one user unit, drawn with crisp edges so it never blurs. Returned
    as Markup so a Jinja template with autoescape inserts it as is.
    """
    matrix = _code(data).get_matrix()  # includes the quiet zone
    size = len(matrix)
    label = escape(title, quote=True)
    # The title is escaped above and everything else is numbers we computed: nothing untrusted.
    return Markup(  # nosec B704 # Only escaped text and our own numbers go in
        f'<svg xmlns="http://www.w3.org/2000/svg" class="qr" role="img" aria-label="{label}" '
        f'viewBox="0 0 {size} {size}" shape-rendering="crispEdges">'
        f"<title>{label}</title>"
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{_dark_runs(matrix)}"/>'
        "</svg>"
    )


def qr_png(data: str, *, box_size: int = 10) -> bytes:
    """A black-and-white PNG QR code for `data`, `box_size` pixels per module."""
    if box_size < 1:
        raise ValueError("box_size must be at least 1 pixel per module")
    code = _code(data)
    code.box_size = box_size
    image = code.make_image(image_factory=PilImage, fill_color="black", back_color="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
