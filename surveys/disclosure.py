"""Small-number suppression: what a breakdown of answers may show without pointing at anyone.

Every count a report, page or export shows about respondents goes through here first. The rules
(statistical disclosure control as the ONS, UK LLC and NES practise it):

- Primary suppression: a count from 1 to threshold-1 (default 10; never below 5) is shown as
  "fewer than {threshold}" with no percentage. Zero is shown: it describes no one.
- Small groups: when the breakdown's total n is itself below the threshold, every cell and the
  total are hidden, zeros included (published zeros next to one hidden cell would say that
  everyone gave that answer).
- Secondary suppression: a hidden count must not be recoverable by subtraction. See below.
- ``uniform`` flags a breakdown where everyone gave the same answer, at any n: a "100%" row tells
  a reader something about every member of the group, so a person should look before sharing.

What a reader is assumed to know (the model the guarantee is stated in):

1. every published count, and the published total n;
2. the number of respondents outside the cells, when ``total`` is larger than the cells' sum
   (people who skipped or said "not sure", shown elsewhere). Beside a published total it is
   treated as known, so the cells' own sum counts as known and protection never rests on it
   being hidden. Beside a hidden total it is taken as known only when it could be published
   itself (0 or >= threshold): a small one must be suppressed wherever it is shown (use
   ``suppress_count``), so the reader knows only that it is 1..threshold-1. In a group below
   the threshold everything about the group is hidden, that number included;
3. that a "primary" cell holds 1 to threshold-1;
4. that a "secondary" cell is *not* a small number. Heard is open source and a secondary cell
   cannot honestly be shown as "fewer than 10", so a reader can tell the two kinds apart and
   knows a secondary cell would have been primary if it were 1..threshold-1. Zero cells are never
   picked (hiding a known-to-be-0-or-large zero protects nothing), so secondary cells are known
   to hold at least ``threshold``. Assuming only ">= 0" would be too kind to the reader:
   {"yes": 10, "no": 1} with n = 11 and both hidden looks safe under ">= 0" (no could be 1..9)
   but a reader who knows yes >= 10 gets no = 1 straight away.

The guarantee: given all that, every hidden cell could hold at least two different values.
With hidden small cells summing to ``s`` over ``k`` cells and ``m`` hidden large cells (each
>= threshold) making the hidden total ``R``:

- m = 0, k >= 2: safe exactly when k < s < k*(threshold-1); at either end every small cell is
  pinned (all 1s or all threshold-1s). k = 1 is never safe: it is the total minus the rest.
- m >= 1: safe exactly when R > k + m*threshold, i.e. unless every small cell is 1 and every
  large hidden cell is exactly the threshold.

So one secondary cell always suffices: the smallest non-zero published cell, except that when
every small cell is 1 a cell of exactly the threshold would not help, so the smallest cell above
it is taken. When no such cell exists (e.g. {"yes": 10, "no": 1}) the total is hidden instead
(``total_hidden == "secondary"``); the caller must then not show this group's n anywhere else
(headline "responses", shares of other answers), or it would undo the protection.

Not covered: a reader who replays the selection rule ("the hidden large cell was the smallest",
"a secondary was needed, so the small cells must all be 1") can sometimes narrow a hidden cell
further than the model above, e.g. when two large cells tie. Tables that are linked across
breakdowns (the same people in several cross-tabulations) need checking together; this module
protects one breakdown at a time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

DEFAULT_THRESHOLD = 10
# NHS Digital's old 1-5 rule is the loosest practice we found; nothing below it is defensible.
LOWEST_THRESHOLD = 5
# A group of a thousand is no one person; above it a threshold only hides everything, and an
# unbounded number reaches the database (SQLite refuses integers past 64 bits).
HIGHEST_THRESHOLD = 1000

PRIMARY = "primary"
SECONDARY = "secondary"


@dataclass(frozen=True)
class Cell:
    """One answer's count in a breakdown, or the fact that it is hidden.

    ``hidden`` is None when shown, "primary" when the count is itself small (shown as "fewer
    than {threshold}"), or "secondary" when a larger count is hidden so that a small one cannot
    be worked out from the rest (shown as hidden, with no figure). In a breakdown whose whole
    group is below the threshold every cell is "primary", zeros included, since "fewer than
    {threshold}" is true of them too and labelling them differently would point out the zeros.
    """

    key: str
    count: int | None
    share: float | None
    hidden: str | None


@dataclass(frozen=True)
class Breakdown:
    """A breakdown of answers as it may be published.

    ``total`` is None when hidden; ``total_hidden`` then says why: "primary" when n is below the
    threshold (show "fewer than {threshold}"), "secondary" when n had to go to protect a small
    cell (show it as hidden). ``uniform`` is true when everyone counted in the cells gave the
    same answer, at any n; ``small_uniform`` when that happened in a group below the threshold.
    Both are for the person preparing a report, never for publishing next to hidden figures.
    """

    cells: tuple[Cell, ...]
    total: int | None
    threshold: int
    uniform: bool
    total_hidden: str | None = None

    @property
    def any_hidden(self) -> bool:
        """Whether anything at all in the breakdown is hidden, so a report can explain why."""
        return self.total is None or any(cell.hidden for cell in self.cells)

    @property
    def small_uniform(self) -> bool:
        """Everyone gave the same answer and the group is below the threshold."""
        return self.uniform and self.total_hidden == PRIMARY


def check_threshold(threshold: int) -> int:
    """Return ``threshold`` if it is an allowed suppression threshold (a whole number from 5 to 1000)."""
    if isinstance(threshold, bool) or not isinstance(threshold, int):
        raise TypeError(f"threshold must be a whole number, not {threshold!r}")
    if threshold < LOWEST_THRESHOLD:
        raise ValueError(f"threshold must be at least {LOWEST_THRESHOLD}, not {threshold}")
    if threshold > HIGHEST_THRESHOLD:
        raise ValueError(f"threshold must be at most {HIGHEST_THRESHOLD}, not {threshold}")
    return threshold


def suppress_count(count: int, threshold: int = DEFAULT_THRESHOLD) -> int | None:
    """A single figure (e.g. "number of responses") as it may be shown: None when 1..threshold-1."""
    threshold = check_threshold(threshold)
    _check_count("count", count)
    return None if 0 < count < threshold else count


def is_quotable(group_size: int, threshold: int = DEFAULT_THRESHOLD) -> bool:
    """Whether a quote may be shown for a group of this size: never below the threshold."""
    threshold = check_threshold(threshold)
    _check_count("group_size", group_size)
    return group_size >= threshold


def suppress(
    counts: Mapping[str, int] | Sequence[tuple[str, int]],
    threshold: int = DEFAULT_THRESHOLD,
    *,
    total: int | None = None,
) -> Breakdown:
    """Apply small-number suppression to one breakdown of answers.

    ``counts`` maps each answer to how many respondents gave it, in the order to show them.
    ``total`` is n, the group the shares are of; it defaults to the sum of the counts and may be
    larger when some respondents are counted elsewhere (skipped, "not sure"). Shares are
    count / total, so they then add up to less than 1.
    """
    threshold = check_threshold(threshold)
    entries = _entries(counts)
    answered = sum(count for _, count in entries)
    if total is None:
        total = answered
    else:
        _check_count("total", total)
        if total < answered:
            raise ValueError(f"total ({total}) is smaller than the counts' sum ({answered})")
    uniform = sum(1 for _, count in entries if count > 0) == 1

    if 0 < total < threshold:
        return Breakdown(
            tuple(Cell(key, None, None, PRIMARY) for key, _ in entries), None, threshold, uniform, total_hidden=PRIMARY
        )

    values = [count for _, count in entries]
    primary = {i for i, count in enumerate(values) if 0 < count < threshold}
    secondary = _secondary_cell(values, primary, threshold)
    total_hidden = SECONDARY if secondary == _HIDE_TOTAL else None
    shown_total = None if total_hidden else total

    cells = []
    for i, (key, count) in enumerate(entries):
        if i in primary:
            cells.append(Cell(key, None, None, PRIMARY))
        elif i == secondary:
            cells.append(Cell(key, None, None, SECONDARY))
        else:
            share = count / shown_total if shown_total else None
            cells.append(Cell(key, count, share, None))
    return Breakdown(tuple(cells), shown_total, threshold, uniform, total_hidden=total_hidden)


_HIDE_TOTAL = -1


def _secondary_cell(values: list[int], primary: set[int], threshold: int) -> int | None:
    """The index of the cell to hide as well, None if none is needed, or _HIDE_TOTAL.

    The reasoning (which hidden cells are pinned when) is in the module docstring.
    """
    small = [values[i] for i in primary]
    k, hidden_sum = len(small), sum(small)
    if k == 0 or (k >= 2 and k < hidden_sum < k * (threshold - 1)):
        return None  # nothing small, or the small cells hide each other
    # Non-zero published cells are all >= threshold here; smallest first, ties in input order.
    candidates = sorted((count, i) for i, count in enumerate(values) if count >= threshold)
    if hidden_sum == k:
        # Every small cell is 1: a hidden cell of exactly the threshold would also sit at its
        # least possible value and everything would still add up to only one answer.
        candidates = [(count, i) for count, i in candidates if count > threshold]
    return candidates[0][1] if candidates else _HIDE_TOTAL


def _entries(counts: Mapping[str, int] | Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    entries: list[Any] = list(counts.items()) if isinstance(counts, Mapping) else [tuple(e) for e in counts]
    seen = set()
    for entry in entries:
        if len(entry) != 2:
            raise ValueError(f"expected (answer, count) pairs, got {entry!r}")
        key, count = entry
        if not isinstance(key, str):
            raise TypeError(f"answer keys must be text, not {key!r}")
        if key in seen:
            raise ValueError(f"answer {key!r} appears twice")
        seen.add(key)
        _check_count(f"count for {key!r}", count)
    return entries


def _check_count(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be a whole number, not {value!r}")
    if value < 0:
        raise ValueError(f"{name} cannot be negative ({value})")
