"""Rows kept for the reads every request makes: never longer than their time, not all read again
at once, bounded in number, and forgotten on demand."""

from __future__ import annotations

from surveys.db import Recent


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_row_is_kept_at_most_its_time_and_at_least_four_fifths_of_it():
    clock = Clock()
    recent: Recent[str, int] = Recent(maxsize=100, seconds=5, clock=clock)
    for n in range(50):
        recent[f"row {n}"] = n
    clock.now += 4.0
    assert all(recent.get(f"row {n}") == n for n in range(50))
    clock.now += 1.0
    assert all(recent.get(f"row {n}") is None for n in range(50))
    assert len(recent) == 0


def test_rows_read_together_are_not_all_read_again_together():
    clock = Clock()
    recent: Recent[int, int] = Recent(maxsize=1000, seconds=5, clock=clock)
    for n in range(256):
        recent[n] = n
    clock.now += 4.0
    gone_by_step = []
    for _ in range(10):  # ten steps of a tenth of a second through the last fifth
        clock.now += 0.1
        gone_by_step.append(sum(n not in recent for n in range(256)))
    assert gone_by_step[-1] == 256
    assert max(b - a for a, b in zip([0, *gone_by_step], gone_by_step)) < 256 / 4


def test_the_oldest_rows_go_first_past_the_limit_and_clear_forgets_all():
    clock = Clock()
    recent: Recent[str, int] = Recent(maxsize=3, seconds=5, clock=clock)
    for n, key in enumerate("abcd"):
        recent[key] = n
    assert recent.get("a") is None and [recent[k] for k in "bcd"] == [1, 2, 3]
    assert recent.pop("c") == 2 and "c" not in recent and set(recent) == {"b", "d"}
    recent.clear()
    assert recent.get("b") is None and len(recent) == 0
