"""Load and kill: 32 clients submit while the app is SIGKILLed and restarted; nothing is lost.

Each client retries a submission with the same UUID after a connection error or a 5xx, as the
kiosk's offline queue does. At the end every submission that ever got a 2xx is stored exactly
once, nothing is stored that wasn't sent, and no response is half-written.

The suite runs a short version (``HEARD_SOAK_SECONDS``, default 10). The full version, by hand:

    HEARD_SOAK_SECONDS=60 python3 dev.py test tests/soak -s
    HEARD_SOAK_SECONDS=60 HEARD_SOAK_RESTART_POSTGRES=1 \\
      HEARD_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test python3 dev.py test tests/soak -s

``HEARD_SOAK_RESTART_POSTGRES=1`` also restarts the local PostgreSQL cluster that serves the test
database, ``HEARD_SOAK_POSTGRES_RESTARTS`` times (default 2), mid-run (it needs ``pg_ctlcluster``;
never set it where others share the server: a second cluster on another port keeps them apart).
Every 500 fails the run, restarts or not: a database that is down is a 503, never a 500.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from urllib.parse import urlparse

import pytest

from bench.load import run_load
from bench.servers import Server
from surveys.tables import Answer, Response
from tests.support import run

SECONDS = float(os.environ.get("HEARD_SOAK_SECONDS", "10"))
RESTART_POSTGRES = os.environ.get("HEARD_SOAK_RESTART_POSTGRES") == "1"
POSTGRES_RESTARTS = int(os.environ.get("HEARD_SOAK_POSTGRES_RESTARTS", "2"))
ANSWERS = {"listened": "yes", "next_steps": "partly", "helpful": "yes", "child_views": "no", "better": "More time"}


SESSIONS = 256  # each session is rate-limited on its own; a busy service has many families at many


@pytest.fixture
def tokens(db):
    from surveys.demo import ensure_demo_sessions
    from surveys.sessions import create_session

    async def make():
        anew = (await ensure_demo_sessions())["anew"]
        more = [await create_session(anew["initiative"], anew["questionnaire_version"], audience="parent",
                                     phase="after", site=f"Soak site {i}") for i in range(SESSIONS - 1)]
        return [anew["token"], *(m["token"] for m in more)]

    return run(make())


def _restart_postgres() -> None:
    """Restart the PostgreSQL cluster that serves DATABASE_URL (found by its port)."""
    port = str(urlparse(os.environ["DATABASE_URL"]).port or 5432)
    clusters = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True).stdout
    version, name = next(line.split()[:2] for line in clusters.splitlines() if line.split()[2] == port)
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "restart", "-m", "fast"],
                   check=True, timeout=60)


def test_submissions_survive_kill_and_restart(tokens, tmp_path, migrated):
    server = Server("frontend.app:create_app", dict(os.environ), log=tmp_path / "server.log").start()
    events: list[str] = []

    def chaos() -> None:
        time.sleep(SECONDS / 3)
        server.kill()
        events.append("killed")
        time.sleep(0.5)
        server.start()
        events.append("restarted")
        if RESTART_POSTGRES and migrated == "postgresql":
            for _ in range(POSTGRES_RESTARTS):
                time.sleep(SECONDS / (3 * POSTGRES_RESTARTS))
                _restart_postgres()
                events.append("postgres restarted")

    thread = threading.Thread(target=chaos)
    thread.start()
    try:
        result = run(run_load(
            "127.0.0.1", server.port, lambda worker, n: f"/api/v1/sessions/{tokens[(worker + 32 * n) % SESSIONS]}/responses",
            lambda sid: {"submission_id": sid, "answers": ANSWERS},
            seconds=SECONDS, concurrency=32, retry=True, retry_deadline=60,
        ))
    finally:
        thread.join()
        server.stop()

    stored = [str(r["submission_id"]) for r in run(Response.select(Response.submission_id))]
    print(f"\nload-and-kill ({migrated}, {SECONDS:.0f} s): {result.summary()} events={events} stored={len(stored)}")
    assert "restarted" in events
    assert result.errors > 0, "the kill should have cut some connections"
    assert len(result.acknowledged) > 0
    assert len(stored) == len(set(stored)), "a submission was stored twice"
    assert result.acknowledged <= set(stored), "an acknowledged submission was lost"
    assert set(stored) <= result.attempted, "something was stored that no client sent"
    # Nothing half-written: every stored response has all of its answers.
    per_response = run(Answer.count()) / max(1, len(stored))
    assert per_response == len(ANSWERS)
    assert result.statuses.get(422, 0) == 0 and result.statuses.get(500, 0) == 0
    if "postgres restarted" not in events:  # while the database restarts: 503 (retry), never 500
        assert result.statuses.get(503, 0) == 0
    assert result.statuses.get(429, 0) < len(result.acknowledged) / 100, "the load should be answered, not refused"
