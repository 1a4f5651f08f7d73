"""Benchmark: is Heard's free-text pipeline cheap next to plain TextBlob on the same answers?

Generates realistic ~25-word answers (seeded, so every run sees the same texts), then times, in
the same run on the same machine:

* baseline: ``textblob.en.parse(text, chunks=True)`` + ``TextBlob(text).sentiment`` per answer,
  the least anyone analysing free text with TextBlob would do;
* pipeline: ``voice.redaction.redact(text).text`` -> ``match_themes`` -> ``sentiment``, what
  Heard does to every answer it receives.

Prints raw seconds for both, their ratio and the 1.5x target; ``--json PATH`` writes the same
figures for CI to keep. Each side runs ``--rounds`` times and its fastest round counts, so a
busy moment on a shared machine does not decide the result.

    python bench/voice_pipeline.py --n 10000 --json bench-voice.json
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import time
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textblob import TextBlob  # noqa: E402
from textblob.en import parse  # noqa: E402

from voice.text import sentiment  # noqa: E402
from voice.themes import Codebook, default_codebook, match_themes  # noqa: E402

try:
    from voice.redaction import redact
except ImportError as error:  # written separately; say so plainly rather than time half a pipeline
    sys.exit(f"voice.redaction is not importable yet ({error}); the pipeline cannot be timed without it.")

TARGET = 1.5

# What parents, carers and children write, per initiative, in pieces that combine into answers.
OPENINGS = [
    "Honestly it was brilliant.",
    "It was ok I suppose.",
    "Really enjoyed it!",
    "Not what I expected but good.",
    "I was nervous at first.",
    "To be honest it wasn't great this time.",
    "We loved every minute.",
    "Its been a hard year for us.",
    "Best thing we have done in ages.",
    "I didn't think it would help but it did.",
]
DETAILS = {
    "art-at-the-start": [
        "She loved the paint and getting messy without me worrying about the mess at home.",
        "I noticed he chose the same blue every week and took his time over it.",
        "The staff were lovely and the artists let the kids lead.",
        "It was nice to have time together, just the two of us, no phones.",
        "My wee one is less shy now and joins in with the other children.",
        "We made a collage together and laughed the whole time.",
        "The gallery felt welcoming even though I'd never been in before.",
        "I didn't know she could concentrate that long on one thing.",
        "The room was too warm and the session felt a bit short for the toddlers.",
        "Parking was hard and the buggy didn't fit in the lift.",
    ],
    "anew": [
        "Nobody talked over me and they actually listened to what I had to say.",
        "I know who to phone now and what happens next with the plan.",
        "They asked my daughter what she wanted before deciding anything.",
        "The worker helped with the forms and got us a food voucher.",
        "I still don't know what the next steps are, it was confusing.",
        "The meeting was long and I felt judged by some of the people there.",
        "They put the kids first and explained everything in plain words.",
        "Help with the bus fare meant I could actually get to the meetings.",
        "My son's views were written down and read out at the review.",
        "Waiting for the letter was the worst part, nobody kept me updated.",
    ],
    "cmhwf": [
        "I felt safe talking to her and she didn't judge me.",
        "Now I know where to get help if things get bad again.",
        "Me and my mum argue less and we get on better at home.",
        "It helped to know I am not the only one who feels like this.",
        "The counsellor understood me and made sense of my worries.",
        "School nurse gave me a card with the helpline number on it.",
        "I was scared to go at first but it was calm and quiet.",
        "My dad came to one session and that helped us talk to each other.",
        "Sometimes I still feel on my own but it is getting better.",
        "The drop in at lunch is good because nobody else knows you go.",
    ],
}
CLOSINGS = [
    "Thank you so much.",
    "Would come again.",
    "More sessions please!",
    "Keep it going.",
    "",
    "Thanks to Kirsty and the team.",
    "You can call me on 07700 900123 if you want to know more.",
    "Email me at sam.jones@example.com.",
    "We live on Hilltown Road near the school.",
    "Mrs Duncan was amazing with Callum.",
]


def answers(count: int, seed: int = 2024) -> list[tuple[str, str]]:
    """(initiative, answer) pairs of roughly 25 words, the same for the same seed."""
    rng = random.Random(seed)
    initiatives = sorted(DETAILS)
    generated = []
    for index in range(count):
        initiative = initiatives[index % len(initiatives)]
        parts = [rng.choice(OPENINGS), rng.choice(DETAILS[initiative])]
        if rng.random() < 0.2:
            parts.append(rng.choice(DETAILS[initiative]))
        parts.append(rng.choice(CLOSINGS))
        text = " ".join(part for part in parts if part)
        if rng.random() < 0.3:
            text = text.lower()  # phones and children rarely bother with capitals
        generated.append((initiative, text))
    return generated


def baseline(texts: Sequence[tuple[str, str]]) -> None:
    for _, text in texts:
        parse(text, chunks=True)
        TextBlob(text).sentiment


def pipeline(texts: Sequence[tuple[str, str]], codebooks: dict[str, Codebook]) -> None:
    for initiative, text in texts:
        safe = redact(text).text
        match_themes(safe, codebooks[initiative])
        sentiment(safe)


def fastest(run: Callable[[], None], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def main(argv: Sequence[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--n", type=int, default=10_000, help="number of answers (default 10000)")
    options.add_argument("--rounds", type=int, default=3, help="timed rounds per side; fastest counts")
    options.add_argument("--seed", type=int, default=2024)
    options.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    options.add_argument("--check", action="store_true", help="exit 1 if the ratio is over the target")
    args = options.parse_args(argv)
    if args.n < 1 or args.rounds < 1:
        options.error("--n and --rounds must be at least 1")

    texts = answers(args.n, args.seed)
    codebooks = {initiative: default_codebook(initiative) for initiative in DETAILS}
    # Warm-up: lexicons load lazily on first use and must not be charged to either side.
    baseline(texts[:50])
    pipeline(texts[:50], codebooks)

    baseline_seconds = fastest(lambda: baseline(texts), args.rounds)
    pipeline_seconds = fastest(lambda: pipeline(texts, codebooks), args.rounds)
    ratio = pipeline_seconds / baseline_seconds
    # Where the pipeline's time goes (one round each; informative, not part of the ratio).
    redacted = [(initiative, redact(text).text) for initiative, text in texts]
    stages = {
        "redact": fastest(lambda: [redact(text) for _, text in texts], 1),
        "match_themes": fastest(lambda: [match_themes(text, codebooks[i]) for i, text in redacted], 1),
        "sentiment": fastest(lambda: [sentiment(text) for _, text in redacted], 1),
    }
    words = sum(len(text.split()) for _, text in texts) / len(texts)
    result = {
        "benchmark": "voice_pipeline",
        "answers": len(texts),
        "mean_words": round(words, 1),
        "rounds": args.rounds,
        "baseline": "textblob.en.parse(chunks=True) + TextBlob.sentiment",
        "pipeline": "redact -> match_themes -> sentiment",
        "baseline_seconds": round(baseline_seconds, 4),
        "pipeline_seconds": round(pipeline_seconds, 4),
        "ratio": round(ratio, 3),
        "stage_seconds": {stage: round(seconds, 4) for stage, seconds in stages.items()},
        "target": TARGET,
        "within_target": ratio <= TARGET,
        "python": platform.python_version(),
        "textblob": metadata.version("textblob"),
    }
    print(f"answers:  {len(texts)} (mean {words:.1f} words), fastest of {args.rounds} rounds")
    print(f"baseline: {baseline_seconds:.3f} s  (parse + TextBlob sentiment)")
    print(f"pipeline: {pipeline_seconds:.3f} s  (redact + match_themes + sentiment)")
    print("stages:   " + ", ".join(f"{stage} {seconds:.3f} s" for stage, seconds in stages.items()))
    print(f"ratio:    {ratio:.2f}x  (target <= {TARGET}x) {'OK' if ratio <= TARGET else 'OVER TARGET'}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 1 if args.check and ratio > TARGET else 0


if __name__ == "__main__":
    raise SystemExit(main())
