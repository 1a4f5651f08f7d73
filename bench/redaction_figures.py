"""How well redaction does on realistic answers, and what it costs next to a TextBlob parse.

Prints two markdown tables:

* recall per kind over the hand-written answers in ``tests/voice/redaction_cases.py`` (an
  identifier counts as removed only if every letter and digit of it is gone) and the share of
  clean answers that came back altered, with the misses and alterations listed under it;
* the time ``redact`` takes per answer against ``textblob.en.parse(text, chunks=True)`` plus
  ``TextBlob(text).sentiment`` on the same answers, measured in this run (fastest of
  ``--rounds``), so the share holds whatever machine it runs on.

    python bench/redaction_figures.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from textblob import TextBlob  # noqa: E402
from textblob.en import parse  # noqa: E402

from voice.redaction import find_identifiers, redact  # noqa: E402


def load_cases():
    path = ROOT / "tests" / "voice" / "redaction_cases.py"
    spec = importlib.util.spec_from_file_location("redaction_cases", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def fastest(work: Callable[[], object], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def timing_table(answers: Sequence[str], rounds: int) -> str:
    baseline = fastest(lambda: [(parse(a, chunks=True), TextBlob(a).sentiment) for a in answers], rounds)
    redaction = fastest(lambda: [redact(a) for a in answers], rounds)
    per = 1e6 / len(answers)
    return "\n".join(
        [
            "| per answer | microseconds |",
            "| --- | ---: |",
            f"| textblob parse + sentiment | {baseline * per:.0f} |",
            f"| redact | {redaction * per:.1f} |",
            f"| redact as a share of the parse | {redaction / baseline:.1%} |",
        ]
    )


def main(argv: Sequence[str] | None = None) -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument(
        "--rounds", type=int, default=5, help="time each side this many times, keep the fastest"
    )
    args = options.parse_args(argv)

    cases = load_cases()
    figures = cases.score(
        lambda text: [(i.kind, i.start, i.end) for i in find_identifiers(text)],
        lambda text: redact(text).changed,
    )
    print(
        f"## Redaction on {len(cases.PLANTED_CASES)} answers with planted identifiers "
        f"and {len(cases.CLEAN_CASES)} clean answers\n"
    )
    print(figures.table())
    if figures.missed:
        print("\nMissed:")
        for kind, text in figures.missed:
            print(f"- {kind}: {text!r} -> {redact(text).text!r}")
    if figures.clean_altered:
        print("\nClean answers altered:")
        for text in figures.clean_altered:
            print(f"- {text!r} -> {redact(text).text!r}")
    if figures.extra:
        print("\nReplaced beyond what was planted:")
        for kind, value in figures.extra:
            print(f"- {kind}: {value!r}")

    # Every answer twice over, joined in pairs: roughly the 25 words a full answer runs to.
    texts = [case.text for case in cases.PLANTED_CASES + cases.CLEAN_CASES]
    answers = [f"{texts[i]} {texts[(i * 7 + 3) % len(texts)]}" for i in range(len(texts))] * 2
    words = sum(len(a.split()) for a in answers) / len(answers)
    print(f"\n## Cost on {len(answers)} answers of {words:.0f} words on average\n")
    print(timing_table(answers, args.rounds))


if __name__ == "__main__":
    main()
