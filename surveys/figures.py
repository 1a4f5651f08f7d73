"""How every percentage Heard prints is rounded: to a whole percent, halves up, as partners read it.

One rule, used by every page and document (``frontend.documents.summary.Words``, the reach page's
measures, the lead's own pages), so 23 of 40 is 58% everywhere. Floats can't do this on their
own (0.575 is stored as 0.57499…, and Babel and ``round`` round halves to even), so the share is
taken as the decimal it was written as and rounded with ``ROUND_HALF_UP``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ONE_PERCENT = Decimal("0.01")
TENTH_OF_A_PERCENT = Decimal("0.001")
SMALLEST_P = 0.001  # below this a p-value is printed as "p < 0.001"


def rounded_share(share: float, step: Decimal = ONE_PERCENT) -> Decimal:
    """``share`` (0..1) rounded to ``step`` (whole percents by default), halves up."""
    return Decimal(repr(float(share))).quantize(step, rounding=ROUND_HALF_UP)


def whole_percent(x: int, n: int) -> int:
    """``x`` of ``n`` as a whole-number percentage, halves up."""
    return int((Decimal(x) * 100 / Decimal(n)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent_text(share: float) -> str:
    """``0.575`` as "58%" (for pages with no language of their own; documents use Words)."""
    return f"{int(rounded_share(share) * 100)}%"
