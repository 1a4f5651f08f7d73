"""Suppression across tables shown together, so one table cannot undo another's.

:func:`surveys.disclosure.suppress` protects one breakdown at a time. A page that shows several
breakdowns of the same people (by site, by way of answering, by week) and a few totals links
them: a hidden count could be worked out by adding and subtracting figures from different
tables. This module finds such a count and hides more until none is left.

The model: every figure is a sum over *base cells*, the finest split of the people the page
counts (here, one cell per site, way of answering and week). A published figure is a linear
equation on the base cells; a hidden figure is recoverable by arithmetic when its equation is a
linear combination of the published ones. That is checked exactly, with fractions, by Gaussian
elimination. When one is recoverable, the smallest published non-zero figure of its own group is
hidden as well (as a secondary cell), or, if its group has none left, the smallest published
non-zero figure anywhere; this repeats until no hidden figure can be recovered.

Not covered: bounds. A reader who knows a hidden cell is 1 to threshold-1 can sometimes narrow a
sum of hidden cells further than linear algebra says; each group's own breakdown still gets
:func:`~surveys.disclosure.suppress`'s protection against that.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from fractions import Fraction

from surveys.disclosure import SECONDARY


@dataclass(frozen=True)
class Figure:
    """One figure on a page: the base cells it sums, its group and whether it is hidden."""

    key: Hashable
    group: str
    cells: frozenset
    count: int
    hidden: str | None = None


def _reduce(row: dict, basis: dict) -> dict:
    """``row`` with every pivot of ``basis`` eliminated (``basis``: pivot -> normalised row)."""
    row = dict(row)
    for pivot, base in basis.items():
        factor = row.get(pivot)
        if factor:
            for cell, value in base.items():
                updated = row.get(cell, 0) - factor * value
                if updated:
                    row[cell] = updated
                else:
                    row.pop(cell, None)
    return row


def _basis(rows: Iterable[dict]) -> dict:
    basis: dict = {}
    for row in rows:
        reduced = _reduce(row, basis)
        if not reduced:
            continue
        pivot = min(reduced, key=repr)
        scale = reduced[pivot]
        normalised = {cell: value / scale for cell, value in reduced.items()}
        for other in basis.values():  # keep the basis fully reduced
            factor = other.get(pivot)
            if factor:
                for cell, value in normalised.items():
                    updated = other.get(cell, 0) - factor * value
                    if updated:
                        other[cell] = updated
                    else:
                        other.pop(cell, None)
        basis[pivot] = normalised
    return basis


def _equation(figure: Figure) -> dict:
    return {cell: Fraction(1) for cell in figure.cells}


def recoverable(figures: Iterable[Figure]) -> list[Figure]:
    """The hidden figures a reader could work out from the published ones."""
    figures = list(figures)
    basis = _basis(_equation(f) for f in figures if not f.hidden)
    return [f for f in figures if f.hidden and f.cells and not _reduce(_equation(f), basis)]


def protect(figures: Iterable[Figure]) -> list[Figure]:
    """``figures`` with more hidden (as "secondary") until no hidden one can be recovered."""
    figures = list(figures)
    while True:
        exposed = recoverable(figures)
        if not exposed:
            return figures
        group = exposed[0].group
        shown = [i for i, f in enumerate(figures) if not f.hidden and f.count > 0 and f.cells]
        same_group = [i for i in shown if figures[i].group == group]
        candidates = same_group or shown
        if not candidates:  # nothing left to hide: cannot happen with a hidden figure recoverable
            return figures
        pick = min(candidates, key=lambda i: (figures[i].count, i))
        f = figures[pick]
        figures[pick] = Figure(f.key, f.group, f.cells, f.count, SECONDARY)
