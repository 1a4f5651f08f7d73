"""Small-number suppression: each rule by example, then properties checked by brute force.

The property tests play the reader: from what a breakdown publishes they list every value each
hidden cell could still hold, and fail if any hidden cell is down to a single value.
"""

import subprocess
import sys
from dataclasses import FrozenInstanceError

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from surveys.disclosure import (
    Breakdown,
    Cell,
    check_threshold,
    is_quotable,
    suppress,
    suppress_count,
)


def shown(breakdown: Breakdown) -> dict[str, int | str]:
    """The breakdown as a reader sees it: a count, or the label of why it is hidden."""
    return {cell.key: cell.hidden or cell.count for cell in breakdown.cells}


def test_runs_without_numpy():
    code = "import sys, surveys.disclosure; assert 'numpy' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


# --- thresholds ---------------------------------------------------------------------------


def test_threshold_of_five_or_more_is_accepted():
    assert check_threshold(5) == 5
    assert check_threshold(10) == 10
    assert check_threshold(50) == 50


@pytest.mark.parametrize("threshold", [4, 1, 0, -10])
def test_threshold_below_five_is_refused_everywhere(threshold):
    with pytest.raises(ValueError, match="at least 5"):
        check_threshold(threshold)
    with pytest.raises(ValueError):
        suppress({"yes": 3}, threshold)
    with pytest.raises(ValueError):
        suppress_count(3, threshold)
    with pytest.raises(ValueError):
        is_quotable(30, threshold)


@pytest.mark.parametrize("threshold", [5.0, "10", True, None])
def test_threshold_must_be_a_whole_number(threshold):
    with pytest.raises(TypeError):
        check_threshold(threshold)


# --- single figures and quotes ------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "expected"), [(0, 0), (1, None), (5, None), (9, None), (10, 10), (11, 11), (250, 250)]
)
def test_suppress_count_hides_one_to_nine(count, expected):
    assert suppress_count(count) == expected


def test_suppress_count_follows_the_threshold():
    assert suppress_count(5, threshold=5) == 5
    assert suppress_count(4, threshold=5) is None
    assert suppress_count(14, threshold=15) is None


def test_suppress_count_refuses_negative_and_non_whole_counts():
    with pytest.raises(ValueError):
        suppress_count(-1)
    with pytest.raises(TypeError):
        suppress_count(2.5)


@pytest.mark.parametrize(
    ("size", "expected"), [(0, False), (1, False), (9, False), (10, True), (40, True)]
)
def test_quotes_are_never_shown_for_a_group_below_the_threshold(size, expected):
    assert is_quotable(size) is expected


def test_quotable_follows_the_threshold():
    assert is_quotable(5, threshold=5)
    assert not is_quotable(10, threshold=12)


# --- primary suppression ------------------------------------------------------------------


def test_small_counts_are_hidden_with_their_share_and_large_ones_shown():
    result = suppress({"Brilliant": 3, "OK": 4, "Awful": 30})
    assert result.cells == (
        Cell("Brilliant", None, None, "primary"),
        Cell("OK", None, None, "primary"),
        Cell("Awful", 30, 30 / 37, None),
    )
    assert result.total == 37
    assert result.total_hidden is None
    assert result.any_hidden


def test_zero_is_shown_and_exactly_the_threshold_is_shown():
    result = suppress({"yes": 10, "no": 0, "not sure": 15})
    assert shown(result) == {"yes": 10, "no": 0, "not sure": 15}
    assert [cell.share for cell in result.cells] == [0.4, 0.0, 0.6]
    assert not result.any_hidden


def test_threshold_minus_one_is_hidden():
    assert shown(suppress({"yes": 9, "no": 5, "maybe": 30}))["yes"] == "primary"


def test_custom_threshold_moves_the_line():
    assert shown(suppress({"a": 5, "b": 4, "c": 20}, threshold=5)) == {
        "a": "secondary", "b": "primary", "c": 20}
    assert shown(suppress({"a": 12, "b": 13, "c": 20}, threshold=15)) == {
        "a": "primary", "b": "primary", "c": 20}


# --- secondary suppression ----------------------------------------------------------------


def test_one_small_cell_hides_the_next_smallest_cell_too():
    # With n = 60 published, "fewer than 10" for one answer alone would be 60 - 20 - 35 = 5.
    result = suppress({"Brilliant": 35, "OK": 20, "Awful": 5, "Not sure": 0})
    assert shown(result) == {"Brilliant": 35, "OK": "secondary", "Awful": "primary", "Not sure": 0}
    assert result.total == 60
    assert result.cells[0].share == 35 / 60


def test_next_smallest_is_chosen_over_zeros_and_larger_cells():
    result = suppress({"a": 0, "b": 40, "c": 2, "d": 12, "e": 0, "f": 25})
    assert shown(result) == {"a": 0, "b": 40, "c": "primary", "d": "secondary", "e": 0, "f": 25}


def test_ties_for_next_smallest_go_to_the_first_in_order():
    result = suppress({"a": 15, "b": 3, "c": 15})
    assert shown(result) == {"a": "secondary", "b": "primary", "c": 15}


def test_two_small_cells_protect_each_other():
    # Hidden total 7 over two cells of 1..9: each could be anything from 1 to 6.
    result = suppress({"yes": 30, "no": 3, "not sure": 4})
    assert shown(result) == {"yes": 30, "no": "primary", "not sure": "primary"}


@pytest.mark.parametrize(
    ("small", "large"), [((1, 1), 30), ((9, 9), 30), ((1, 1, 1), 50), ((9, 9, 9), 50)]
)
def test_small_cells_all_at_one_end_need_a_secondary_cell(small, large):
    # 1 + 1 = 2 can only be 1 and 1; 9 + 9 = 18 can only be 9 and 9.
    counts = {f"small {i}": value for i, value in enumerate(small)} | {"large": large}
    result = suppress(counts)
    assert shown(result)["large"] == "secondary"
    assert result.total == sum(small) + large


def test_a_cell_of_exactly_the_threshold_does_not_protect_a_one():
    # Hiding "b" (10) beside "a" (1): a + b = 11 with b >= 10 gives a = 1. "c" must go instead.
    result = suppress({"a": 1, "b": 10, "c": 25})
    assert shown(result) == {"a": "primary", "b": 10, "c": "secondary"}


def test_a_cell_of_exactly_the_threshold_protects_anything_above_one():
    result = suppress({"a": 2, "b": 10, "c": 25})
    assert shown(result) == {"a": "primary", "b": "secondary", "c": 25}


def test_when_no_cell_can_protect_the_small_one_the_total_is_hidden():
    # yes >= 10 and no >= 1 with n = 11 pins no = 1 whatever else is hidden.
    result = suppress({"yes": 10, "no": 1})
    assert shown(result) == {"yes": 10, "no": "primary"}
    assert result.total is None
    assert result.total_hidden == "secondary"
    assert result.cells[0].share is None  # 10 / n would give n away
    assert result.any_hidden


def test_one_small_cell_with_everyone_else_counted_elsewhere_hides_the_total():
    # 20 asked, 15 said "not sure" (shown elsewhere): the 5 would be 20 - 15.
    result = suppress({"yes": 5, "no": 0}, total=20)
    assert shown(result) == {"yes": "primary", "no": 0}
    assert result.total is None and result.total_hidden == "secondary"


# --- small groups, uniform answers, edge cases --------------------------------------------


def test_group_below_threshold_hides_everything_zeros_included():
    result = suppress({"Brilliant": 7, "OK": 0, "Awful": 0})
    assert result.total is None
    assert result.total_hidden == "primary"
    assert all(cell == Cell(cell.key, None, None, "primary") for cell in result.cells)
    assert result.uniform and result.small_uniform


def test_group_below_threshold_counts_the_total_not_the_cells():
    assert suppress({"yes": 3, "no": 4}, total=9).total_hidden == "primary"
    assert suppress({"yes": 3, "no": 4}, total=10).total_hidden is None


def test_everyone_giving_the_same_answer_is_flagged_at_any_size():
    result = suppress({"yes": 48, "no": 0})
    assert result.uniform
    assert not result.small_uniform
    assert not result.any_hidden  # the flag is for the person preparing the report
    assert result.cells[0].share == 1.0


def test_mixed_answers_are_not_uniform():
    assert not suppress({"yes": 48, "no": 12}).uniform
    assert not suppress({"yes": 4, "no": 3}).uniform


def test_empty_breakdown():
    result = suppress({})
    assert result == Breakdown(cells=(), total=0, threshold=10, uniform=False)
    assert not result.any_hidden


def test_all_zero_breakdown_shows_zeros_and_no_shares():
    result = suppress({"yes": 0, "no": 0})
    assert result.cells == (Cell("yes", 0, None, None), Cell("no", 0, None, None))
    assert result.total == 0
    assert not result.uniform and not result.any_hidden


def test_all_zero_cells_with_everyone_elsewhere_have_zero_shares():
    result = suppress({"yes": 0, "no": 0}, total=15)
    assert [cell.share for cell in result.cells] == [0.0, 0.0]


def test_single_cell():
    assert suppress({"came back": 12}).cells == (Cell("came back", 12, 1.0, None),)
    small = suppress({"came back": 3})
    assert small.total is None and small.cells[0].hidden == "primary"


def test_shares_are_of_the_whole_total_when_some_answered_elsewhere():
    result = suppress({"yes": 20, "no": 10}, total=40)
    assert [cell.share for cell in result.cells] == [0.5, 0.25]
    assert result.total == 40


def test_total_smaller_than_the_counts_is_refused():
    with pytest.raises(ValueError, match="smaller"):
        suppress({"yes": 20, "no": 10}, total=29)


def test_pairs_and_mappings_give_the_same_breakdown_in_input_order():
    pairs = [("c", 30), ("a", 2), ("b", 12)]
    assert suppress(pairs) == suppress(dict(pairs))
    assert [cell.key for cell in suppress(pairs).cells] == ["c", "a", "b"]


@pytest.mark.parametrize(
    ("counts", "error"),
    [
        ([("yes", 3), ("yes", 4)], ValueError),
        ({"yes": -1}, ValueError),
        ({"yes": 2.0}, TypeError),
        ({"yes": True}, TypeError),
        ({1: 5}, TypeError),
        ([("yes", 3, 4)], ValueError),
    ],
)
def test_bad_counts_are_refused(counts, error):
    with pytest.raises(error):
        suppress(counts)


def test_results_cannot_be_altered():
    result = suppress({"yes": 20})
    with pytest.raises(FrozenInstanceError):
        result.total = 3
    with pytest.raises(FrozenInstanceError):
        result.cells[0].count = 3


# --- the reader's view, by brute force ----------------------------------------------------


def reachable_sums(domains: list[range], cap: int) -> set[int]:
    """Every total (up to cap) that one value from each domain can add up to."""
    sums = {0}
    for domain in domains:
        sums = {s + v for s in sums for v in domain if s + v <= cap}
    return sums


def feasible_values(domains: list[range], allowed_sums: range) -> list[set[int]]:
    """For each hidden cell, every value it can take in some assignment that fits all domains
    and adds up to an allowed total. Exhaustive over the (small) domains."""
    cap = allowed_sums[-1] if allowed_sums else -1
    result = []
    for i, domain in enumerate(domains):
        others = reachable_sums(domains[:i] + domains[i + 1:], cap)
        result.append({v for v in domain if any(s - v in others for s in allowed_sums)})
    return result


def reader_view(counts: list[int], elsewhere: int, result: Breakdown, secondary_floor: int):
    """What a reader can say about each hidden cell, from what ``result`` publishes.

    The reader knows the published counts, the published total, the number answering
    elsewhere, that primary cells hold 1..t-1 (0..t-1 in a small group), and that secondary
    cells hold at least ``secondary_floor``. The number answering elsewhere is taken as known
    exactly beside a published total (stronger than needed), and beside a hidden one as known
    exactly only when it could be published itself (0 or >= t), else only as 1..t-1.
    """
    t = result.threshold
    hidden = [i for i, cell in enumerate(result.cells) if cell.hidden]
    published = sum(cell.count for cell in result.cells if not cell.hidden)
    true_hidden_sum = sum(counts[i] for i in hidden)
    cap = true_hidden_sum + 2 * t  # only limits the search, so can only hide feasibility
    domains = []
    for i in hidden:
        if result.cells[i].hidden == "primary":
            domains.append(range(0 if result.total_hidden == "primary" else 1, t))
        else:
            domains.append(range(secondary_floor, cap + 1))
    if result.total is not None:
        hidden_sum = result.total - elsewhere - published
        allowed = range(hidden_sum, hidden_sum + 1)
    elif result.total_hidden == "primary":
        allowed = range(0, t)  # a small group: whoever answered elsewhere is hidden too
    else:  # n >= t is all that is known of the total
        most_elsewhere = elsewhere if elsewhere == 0 or elsewhere >= t else t - 1
        allowed = range(max(0, t - most_elsewhere - published), cap + 1)
    return hidden, feasible_values(domains, allowed)


@st.composite
def breakdowns(draw):
    threshold = draw(st.integers(5, 8))
    interesting = st.sampled_from([0, 1, 2, threshold - 1, threshold, threshold + 1])
    counts = draw(st.lists(st.one_of(interesting, st.integers(0, 3 * threshold)), max_size=5))
    elsewhere = draw(st.one_of(st.just(0), st.integers(0, 2 * threshold)))
    return counts, elsewhere, threshold


def run(counts, elsewhere, threshold):
    keys = [f"answer {i}" for i in range(len(counts))]
    total = sum(counts) + elsewhere
    return suppress(list(zip(keys, counts)), threshold, total=total if elsewhere else None)


@settings(max_examples=400, deadline=None)
@given(breakdowns())
@example(([10, 1], 0, 10))
@example(([1, 10, 10], 0, 10))
@example(([1, 1, 10, 11], 0, 10))
@example(([9, 9, 30], 0, 10))
@example(([5], 15, 10))
@example(([4], 1, 5))
@example(([4, 0], 6, 5))
def test_no_hidden_count_can_be_worked_out(case):
    counts, elsewhere, threshold = case
    result = run(counts, elsewhere, threshold)
    # Secondary cells are known to be >= t (see surveys.disclosure); the brief's weaker
    # reader, who only knows they are >= 0, must a fortiori be unable to pin anything either.
    for floor in (threshold, 0):
        hidden, possible = reader_view(counts, elsewhere, result, secondary_floor=floor)
        for i, values in zip(hidden, possible):
            assert counts[i] in values, "the labels must tell the truth"
            assert len(values) >= 2, f"cell {i} ({counts[i]}) is pinned: {sorted(values)}"


@settings(max_examples=300, deadline=None)
@given(breakdowns())
def test_published_figures_are_true_and_only_the_needed_cells_are_hidden(case):
    counts, elsewhere, threshold = case
    result = run(counts, elsewhere, threshold)
    total = sum(counts) + elsewhere
    assert result.threshold == threshold
    assert result.uniform == (sum(1 for c in counts if c) == 1)
    if 0 < total < threshold:
        assert result.total is None and result.total_hidden == "primary"
        assert all(cell.hidden == "primary" for cell in result.cells)
        return
    for count, cell in zip(counts, result.cells):
        assert (cell.hidden == "primary") == (0 < count < threshold)
        if cell.hidden is None:
            assert cell.count == count
            assert cell.share == (count / result.total if result.total else None)
    secondary = [i for i, cell in enumerate(result.cells) if cell.hidden == "secondary"]
    assert len(secondary) <= 1
    assert all(counts[i] >= threshold for i in secondary)
    if secondary and result.total is not None:
        assert result.total == total
    if secondary or result.total is None:
        # Primary suppression alone would have left a cell pinned...
        assert pinned_with_only(counts, elsewhere, threshold, extra=None)
    if secondary:
        # ...and hiding any smaller (or equal, earlier) published cell instead would too.
        chosen = secondary[0]
        for i, count in enumerate(counts):
            if count >= threshold and (count, i) < (counts[chosen], chosen):
                assert pinned_with_only(counts, elsewhere, threshold, extra=i)


def pinned_with_only(counts, elsewhere, threshold, extra):
    """Whether a reader could pin a small cell were only the small cells (and ``extra``) hidden."""
    hidden = [i for i, c in enumerate(counts) if 0 < c < threshold or i == extra]
    domains = [range(threshold, sum(counts) + 1) if i == extra else range(1, threshold)
               for i in hidden]
    hidden_sum = sum(counts[i] for i in hidden)
    return any(len(v) < 2 for v in feasible_values(domains, range(hidden_sum, hidden_sum + 1)))


@pytest.mark.parametrize("threshold", [1001, 10**30])
def test_threshold_above_a_thousand_is_refused(threshold):
    assert check_threshold(1000) == 1000
    with pytest.raises(ValueError, match="at most 1000"):
        check_threshold(threshold)
