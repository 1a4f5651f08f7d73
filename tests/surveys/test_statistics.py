"""Before/after statistics, checked by hand and against statsmodels and scipy as references.

scipy and statsmodels are test-only: the module itself is pure Python.
"""

import itertools
import math
import statistics as stdlib_statistics
import subprocess
import sys
from collections import Counter

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy import stats as scipy_stats
from statsmodels.stats.proportion import proportion_confint

from surveys.statistics import (
    EXACT_LIMIT,
    PairedChange,
    median,
    paired_change,
    wilcoxon_exact,
    wilson_interval,
)


def test_runs_without_numpy_or_scipy():
    # The tests import scipy, so look from a fresh interpreter.
    code = "import sys, surveys.statistics; assert not {'numpy', 'scipy'} & set(sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True)


# --- Wilson interval ----------------------------------------------------------------------


def percent(interval):
    return tuple(round(100 * end, 1) for end in interval)


def test_seven_of_seven_is_not_certainty():
    assert percent(wilson_interval(7, 7)) == (64.6, 100.0)


def test_thirteen_of_fifteen():
    assert percent(wilson_interval(13, 15)) == (62.1, 96.3)


def test_ends_are_exactly_zero_and_one():
    assert wilson_interval(0, 12)[0] == 0.0
    assert wilson_interval(12, 12)[1] == 1.0
    low, high = wilson_interval(0, 12)
    assert 0 < high < 1


def test_no_answers_gives_the_whole_range():
    assert wilson_interval(0, 0) == (0.0, 1.0)


def test_higher_confidence_gives_a_wider_interval():
    narrow = wilson_interval(13, 15, 0.90)
    wide = wilson_interval(13, 15, 0.99)
    assert wide[0] < narrow[0] and narrow[1] < wide[1]


@pytest.mark.parametrize(
    ("successes", "n", "confidence", "error"),
    [
        (8, 7, 0.95, ValueError),
        (-1, 7, 0.95, ValueError),
        (3, -1, 0.95, ValueError),
        (3, 7, 0.0, ValueError),
        (3, 7, 1.0, ValueError),
        (3, 7, 95, ValueError),
        (3.0, 7, 0.95, TypeError),
        (True, 7, 0.95, TypeError),
    ],
)
def test_wilson_refuses_impossible_input(successes, n, confidence, error):
    with pytest.raises(error):
        wilson_interval(successes, n, confidence)


@settings(max_examples=300)
@given(
    st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
    st.sampled_from([0.8, 0.9, 0.95, 0.99]) | st.floats(0.5, 0.999),
)
@example((7, 7), 0.95)
@example((13, 15), 0.95)
@example((0, 1), 0.95)
def test_wilson_matches_statsmodels(case, confidence):
    successes, n = case
    low, high = wilson_interval(successes, n, confidence)
    expected = proportion_confint(successes, n, alpha=1 - confidence, method="wilson")
    assert low == pytest.approx(expected[0], abs=1e-12)
    assert high == pytest.approx(expected[1], abs=1e-12)
    assert 0.0 <= low <= successes / n <= high <= 1.0


# --- median -------------------------------------------------------------------------------


def test_median_of_odd_and_even_counts():
    assert median([3, 1, 2]) == 2.0
    assert median([4, 1, 3, 2]) == 2.5
    assert median([-2, -1]) == -1.5
    assert median([5]) == 5.0


def test_median_refuses_nothing_and_nonsense():
    with pytest.raises(ValueError):
        median([])
    with pytest.raises(ValueError):
        median([1, math.nan])
    with pytest.raises(TypeError):
        median([1, "2"])


@given(st.lists(st.integers(-10, 10) | st.floats(-1e6, 1e6), min_size=1))
def test_median_matches_the_standard_library(values):
    assert median(values) == pytest.approx(stdlib_statistics.median(values))


# --- Wilcoxon signed-rank -----------------------------------------------------------------


def sign_flip_p(differences):
    """Two-sided p by listing every +/- pattern over the mid-ranks (zeros dropped)."""
    nonzero = [d for d in differences if d != 0]
    if not nonzero:
        return 0.0, 1.0
    ranks = scipy_stats.rankdata([abs(d) for d in nonzero])  # mid-ranks for ties
    observed = sum(r for r, d in zip(ranks, nonzero) if d > 0)
    sums = [sum(r for r, sign in zip(ranks, signs) if sign)
            for signs in itertools.product([0, 1], repeat=len(nonzero))]
    low = sum(1 for s in sums if s <= observed + 1e-9)
    high = sum(1 for s in sums if s >= observed - 1e-9)
    return observed, min(1.0, 2 * min(low, high) / len(sums))


def dp_reference_p(differences):
    """Exact two-sided p by a plain dictionary convolution over doubled mid-ranks."""
    nonzero = [d for d in differences if d != 0]
    doubled = [int(2 * r) for r in scipy_stats.rankdata([abs(d) for d in nonzero])]
    ways = Counter({0: 1})
    for rank in doubled:
        shifted = Counter({s + rank: count for s, count in ways.items()})
        ways.update(shifted)
    observed = sum(r for r, d in zip(doubled, nonzero) if d > 0)
    lower = min(observed, sum(doubled) - observed)
    return min(1.0, 2 * sum(c for s, c in ways.items() if s <= lower) / 2 ** len(doubled))


def test_six_all_positive_differences():
    # Only 1 of the 64 sign patterns is as extreme in each direction: p = 2/64.
    assert wilcoxon_exact([1, 2, 3, 4, 5, 6]) == (21.0, 0.03125)


def test_five_all_positive_differences_cannot_reach_five_percent():
    assert wilcoxon_exact([1, 2, 3, 4, 5]) == (15.0, 0.0625)


def test_ties_get_mid_ranks_and_stay_exact():
    # |d| ranks 1,2 tie at 1.5 and 3,4 tie at 3.5: W+ = 1.5 + 3.5 + 3.5 = 8.5. Sign patterns
    # reaching 8.5 or more: 3 of 16 (and 3 at 1.5 or less), so p = 6/16.
    assert wilcoxon_exact([1, -1, 2, 2]) == (8.5, 0.375)


def test_zero_differences_are_dropped():
    assert wilcoxon_exact([0, 0, 1, 2, 0, 3, 4, 5, 6]) == wilcoxon_exact([1, 2, 3, 4, 5, 6])


@pytest.mark.parametrize("differences", [[], [0], [0, 0, 0, 0, 0, 0, 0]])
def test_nothing_to_test_gives_p_of_one(differences):
    assert wilcoxon_exact(differences) == (0.0, 1.0)


def test_one_difference():
    assert wilcoxon_exact([3]) == (1.0, 1.0)
    assert wilcoxon_exact([-3]) == (0.0, 1.0)


def test_all_differences_tied():
    # Eight equal |d| all positive: only the all-plus pattern (and all-minus) is as extreme.
    assert wilcoxon_exact([2] * 8) == (36.0, 2 / 256)


def test_statistic_is_the_sum_of_positive_ranks():
    statistic, _ = wilcoxon_exact([-1, 2, -3, 4])
    assert statistic == 2 + 4


@st.composite
def untied_differences(draw):
    magnitudes = draw(st.lists(st.integers(1, 300), unique=True, min_size=1, max_size=40))
    return [m if draw(st.booleans()) else -m for m in magnitudes]


@settings(max_examples=200, deadline=None)
@given(untied_differences())
def test_matches_scipy_exact_without_ties(differences):
    statistic, p = wilcoxon_exact(differences)
    reference = scipy_stats.wilcoxon(differences, method="exact")
    total = len(differences) * (len(differences) + 1) / 2
    assert min(statistic, total - statistic) == reference.statistic
    assert p == pytest.approx(reference.pvalue, rel=1e-9)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(-4, 4), max_size=12))
@example([1, -1, 2, 2])
@example([0, 0, 3, 3, 3, -3])
def test_matches_every_sign_flip_with_ties_and_zeros(differences):
    statistic, p = wilcoxon_exact(differences)
    expected_statistic, expected_p = sign_flip_p(differences)
    assert statistic == pytest.approx(expected_statistic)
    assert p == pytest.approx(expected_p, rel=1e-12)


@settings(max_examples=8, deadline=None)
@given(st.lists(st.sampled_from([-3, -2, -1, 1, 2, 3, 4, 0.5, -0.5]), min_size=EXACT_LIMIT - 5,
                max_size=EXACT_LIMIT))
def test_exact_up_to_the_limit_even_with_heavy_ties(differences):
    assert wilcoxon_exact(differences)[1] == pytest.approx(dp_reference_p(differences), rel=1e-12)


def test_last_size_before_the_switch_is_exact():
    differences = [d if d % 3 else -d for d in range(1, EXACT_LIMIT + 1)]
    exact = scipy_stats.wilcoxon(differences, method="exact").pvalue
    approx = scipy_stats.wilcoxon(differences, method="approx", correction=True).pvalue
    assert exact != pytest.approx(approx, rel=1e-6)  # so the test can tell them apart
    assert wilcoxon_exact(differences)[1] == pytest.approx(exact, rel=1e-9)


def test_first_size_after_the_switch_is_the_normal_approximation():
    differences = [d if d % 3 else -d for d in range(1, EXACT_LIMIT + 2)]
    exact = scipy_stats.wilcoxon(differences, method="exact").pvalue
    approx = scipy_stats.wilcoxon(differences, method="approx", correction=True).pvalue
    assert exact != pytest.approx(approx, rel=1e-6)
    assert wilcoxon_exact(differences)[1] == pytest.approx(approx, rel=1e-9)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.integers(-6, 6).filter(bool), min_size=EXACT_LIMIT + 1, max_size=2000),
    st.integers(0, 50),
)
def test_large_samples_match_scipy_normal_approximation_with_ties(nonzero, zeros):
    differences = nonzero + [0] * zeros
    statistic, p = wilcoxon_exact(differences)
    reference = scipy_stats.wilcoxon(differences, method="approx", correction=True)
    total = len(nonzero) * (len(nonzero) + 1) / 2
    assert min(statistic, total - statistic) == reference.statistic
    if abs(statistic - total / 2) >= 0.5:  # scipy over-corrects right at the centre
        assert p == pytest.approx(reference.pvalue, rel=1e-9, abs=1e-15)


def test_two_thousand_pairs():
    differences = [(i % 7) - 2 for i in range(2000)]
    statistic, p = wilcoxon_exact(differences)
    reference = scipy_stats.wilcoxon(differences, method="approx", correction=True)
    assert p == pytest.approx(reference.pvalue, rel=1e-9)
    assert p < 1e-10


def test_wilcoxon_refuses_nonsense():
    with pytest.raises(ValueError):
        wilcoxon_exact([1, math.inf])
    with pytest.raises(TypeError):
        wilcoxon_exact([1, None])


# --- paired change ------------------------------------------------------------------------


def test_no_pairs():
    assert paired_change([], []) == PairedChange(
        pairs=0, better=0, same=0, worse=0, median_change=None, statistic=None, p_value=None,
        effect_size_r=None, note="Fewer than 6 pairs: too few to test.")


def test_one_pair():
    result = paired_change([2], [3])
    assert (result.pairs, result.better, result.same, result.worse) == (1, 1, 0, 0)
    assert result.median_change == 1.0
    assert result.p_value is None and result.statistic is None and result.effect_size_r is None
    assert result.note == "Fewer than 6 pairs: too few to test."


def test_five_pairs_all_better_still_gives_no_p():
    result = paired_change([1] * 5, [3] * 5)
    assert result.better == 5 and result.p_value is None
    assert result.note == "Fewer than 6 pairs: too few to test."


def test_everyone_the_same_before_and_after():
    result = paired_change([2, 3, 1, 2, 3, 2, 1], [2, 3, 1, 2, 3, 2, 1])
    assert (result.better, result.same, result.worse) == (0, 7, 0)
    assert result.median_change == 0.0
    assert result.p_value is None
    assert result.note == "No one's answer changed: nothing to test."


def test_enough_pairs_but_too_few_changed():
    result = paired_change([1, 1, 1, 1, 1, 1, 1, 1], [2, 2, 3, 1, 1, 1, 1, 1])
    assert result.pairs == 8 and result.better == 3
    assert result.p_value is None
    assert result.note == "Fewer than 6 pairs changed: too few to test."


def test_six_pairs_all_better():
    result = paired_change([1, 1, 2, 1, 2, 1], [2, 3, 5, 5, 7, 7])  # changes 1..6
    assert (result.pairs, result.better, result.same, result.worse) == (6, 6, 0, 0)
    assert result.median_change == 3.5
    assert result.statistic == 21.0
    assert result.p_value == 0.03125
    # Z = (21 - 10.5) / sqrt(6 * 7 * 13 / 24) = 2.2014; r = Z / sqrt(6)
    assert result.effect_size_r == pytest.approx(2.2014 / math.sqrt(6), abs=1e-4)
    assert result.note is None


def test_lower_is_better_turns_the_direction_round():
    before, after = [5, 5, 4, 5, 3, 4, 4], [1, 2, 2, 3, 2, 4, 5]
    down = paired_change(before, after, higher_is_better=False)
    up = paired_change(before, after)
    assert (down.better, down.worse) == (up.worse, up.better) == (5, 1)
    assert down.median_change == -up.median_change == 2.0
    assert down.p_value == up.p_value
    assert down.effect_size_r == pytest.approx(-up.effect_size_r)
    assert down.effect_size_r > 0


def test_effect_size_counts_unchanged_pairs():
    changed = paired_change([1] * 6, [2, 3, 4, 5, 6, 7])
    diluted = paired_change([1] * 9, [2, 3, 4, 5, 6, 7, 1, 1, 1])
    assert changed.p_value == diluted.p_value
    assert diluted.effect_size_r == pytest.approx(changed.effect_size_r * math.sqrt(6 / 9))


def test_min_pairs_can_be_raised_but_not_lowered():
    result = paired_change([1] * 8, [2] * 8, min_pairs=10)
    assert result.p_value is None and result.note == "Fewer than 10 pairs: too few to test."
    with pytest.raises(ValueError):
        paired_change([1] * 8, [2] * 8, min_pairs=5)


def test_paired_change_refuses_unequal_or_broken_input():
    with pytest.raises(ValueError):
        paired_change([1, 2], [1])
    with pytest.raises(ValueError):
        paired_change([1, math.nan], [1, 2])


scores = st.integers(1, 5)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(scores, scores), max_size=60), st.booleans())
def test_paired_change_agrees_with_its_parts_and_with_scipy(pairs, higher_is_better):
    before = [b for b, _ in pairs]
    after = [a for _, a in pairs]
    result = paired_change(before, after, higher_is_better=higher_is_better)
    changes = [(a - b) if higher_is_better else (b - a) for b, a in pairs]
    assert result.pairs == len(pairs) == result.better + result.same + result.worse
    assert result.better == sum(1 for c in changes if c > 0)
    assert result.worse == sum(1 for c in changes if c < 0)
    assert result.median_change == (stdlib_statistics.median(changes) if changes else None)
    changed = result.better + result.worse
    if len(pairs) < 6 or changed < 6:
        assert result.p_value is None and result.statistic is None
        assert result.effect_size_r is None and result.note
        return
    assert result.note is None
    assert (result.statistic, result.p_value) == wilcoxon_exact(changes)
    assert 0 < result.p_value <= 1
    reference = scipy_stats.wilcoxon(changes, method="approx", correction=False)
    assert abs(result.effect_size_r) == pytest.approx(
        abs(reference.zstatistic) / math.sqrt(len(pairs)), abs=1e-12)
    assert -1 <= result.effect_size_r <= 1
    assert (result.effect_size_r > 0) == (result.statistic > changed * (changed + 1) / 4)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    st.dictionaries(
        st.tuples(st.integers(0, 4), st.integers(0, 4)), st.integers(0, 120), min_size=1, max_size=25
    ),
    st.booleans(),
)
@example({(1, 3): 70, (3, 1): 40, (2, 2): 5}, True)  # above the exact limit, with ties and unchanged pairs
@example({(0, 4): 101}, False)  # every pair changed the same way
def test_pair_counts_give_the_list_result_to_the_last_bit(table, higher_is_better):
    """A million pairs are a few dozen (before, after) cells: the counts give what the list gives."""
    from surveys.statistics import paired_change_from_counts

    before = [b for (b, _), n in table.items() for _ in range(n)]
    after = [a for (_, a), n in table.items() for _ in range(n)]
    assert paired_change_from_counts(table, higher_is_better=higher_is_better) == paired_change(
        before, after, higher_is_better=higher_is_better
    )


def test_pair_counts_of_a_million_pairs_are_not_listed():
    """At scale the counts are used as counts: the same figures as a hand-made smaller twin."""
    from surveys.statistics import paired_change_from_counts

    big = paired_change_from_counts({(1, 3): 600_000, (3, 1): 300_000, (2, 2): 100_000})
    assert (big.pairs, big.better, big.worse, big.same) == (1_000_000, 600_000, 300_000, 100_000)
    assert big.median_change == 2.0 and big.p_value == 0.0 and big.effect_size_r > 0.2
