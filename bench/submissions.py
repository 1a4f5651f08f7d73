"""Submission throughput and latency: Heard's full submission path against a bare insert.

For each engine (SQLite, PostgreSQL) and each number of app processes (1, 2), 32 concurrent
keep-alive connections post complete ANEW parent submissions for ``--seconds``, after a short
unmeasured warm-up (both apps get the same); the baseline
is ``bench/baseline_app.py`` (one row per request, same engine) under the same load in the same
run. After each run the acknowledged submissions are counted against the rows stored.

    python -m bench.submissions --seconds 20 --json bench/results/submissions.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from bench.load import run_load
from bench.servers import Server, count, environment, fresh_database, prepare

SESSIONS = 256  # spread over many sessions: each is rate-limited on its own (300 a minute)
ANSWERS = {"listened": "yes", "next_steps": "partly", "helpful": "yes", "child_views": "not_sure",
           "better": "More time to talk before the meeting, and a quieter room."}


WARM_UP_SECONDS = 2.0


def _load(port: int, path, seconds: float, concurrency: int):
    return asyncio.run(run_load("127.0.0.1", port, path, lambda sid: {"submission_id": sid, "answers": ANSWERS},
                                seconds=seconds, concurrency=concurrency))


def _warmed(port: int, path, seconds: float, concurrency: int):
    """Load for WARM_UP_SECONDS first (not measured: imports, caches, the first checkpoint), then measure.

    Returns the measured run and how many submissions were acknowledged in both runs together.
    """
    warm = _load(port, path, WARM_UP_SECONDS, concurrency)
    measured = _load(port, path, seconds, concurrency)
    return measured, len(warm.acknowledged) + len(measured.acknowledged)


def measure(engine: str, workers: int, seconds: float, concurrency: int) -> dict:
    with fresh_database(engine) as url:
        env = environment(url)
        tokens = prepare(env, sessions=SESSIONS)
        with Server("bench.baseline_app:app", env, workers=workers, factory=False) as base:
            baseline, baseline_acked = _warmed(base.port, "/insert", seconds, concurrency)
        with Server("frontend.app:create_app", env, workers=workers) as app:
            heard, heard_acked = _warmed(
                app.port, lambda worker, n: f"/api/v1/sessions/{tokens[(worker + 32 * n) % SESSIONS]}/responses",
                seconds, concurrency)
        stored = count(url, "SELECT count(*) FROM response")
        baseline_stored = count(url, "SELECT count(*) FROM bench_row")
    return {
        "engine": engine,
        "processes": workers,
        "concurrency": concurrency,
        "warm_up_seconds": WARM_UP_SECONDS,
        "heard": {**heard.summary(), "acknowledged_all": heard_acked, "stored": stored},
        "baseline": {**baseline.summary(), "acknowledged_all": baseline_acked, "stored": baseline_stored},
        "throughput_ratio": round(heard.rate / baseline.rate, 3) if baseline.rate else None,
        "acknowledged_equals_stored": heard_acked == stored and baseline_acked == baseline_stored,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--seconds", type=float, default=20)
    p.add_argument("--concurrency", type=int, default=32)
    p.add_argument("--engines", default="sqlite,postgresql")
    p.add_argument("--processes", default="1,2")
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    results = []
    for engine in args.engines.split(","):
        for workers in (int(w) for w in args.processes.split(",")):
            r = measure(engine, workers, args.seconds, args.concurrency)
            results.append(r)
            h, b = r["heard"], r["baseline"]
            print(f"{engine:10} x{workers}: heard {h['requests_per_second']:7.1f} req/s p50 {h['p50_ms']:6.1f} ms "
                  f"p99 {h['p99_ms']:6.1f} ms | baseline {b['requests_per_second']:7.1f} req/s p99 "
                  f"{b['p99_ms']:6.1f} ms | ratio {r['throughput_ratio']} | acked {h['acknowledged_all']} "
                  f"stored {h['stored']}", flush=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2))
    return 0 if all(r["acknowledged_equals_stored"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
