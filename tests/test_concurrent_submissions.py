"""Many submissions at once against a real server: each stored exactly once, none lost.

Retries of one submission race each other (a double-tapped "Send", an offline queue flushing
while the page also sends); the unique submission id and ON CONFLICT settle it on both engines.
"""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.request import Request, urlopen

import pytest

from surveys.tables import Answer, Response
from tests.support import run

ANSWERS = {"listened": "yes", "next_steps": "yes", "helpful": "partly", "child_views": "no", "better": "More time"}


@pytest.fixture
def token(db):
    from surveys.demo import ensure_demo_sessions

    return run(ensure_demo_sessions())["anew"]["token"]


def _post(server, token, submission_id):
    body = json.dumps({"submission_id": submission_id, "answers": ANSWERS}).encode()
    request = Request(f"{server}/api/v1/sessions/{token}/responses", data=body,
                      headers={"Content-Type": "application/json"}, method="POST")
    with urlopen(request, timeout=30) as response:
        return response.status, json.loads(response.read())


def test_racing_retries_store_once_and_all_succeed(server, token):
    ids = [str(uuid.uuid4()) for _ in range(8)]
    attempts = [sid for sid in ids for _ in range(4)]  # every submission sent 4 times at once
    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(lambda sid: _post(server, token, sid), attempts))
    assert all(status == 201 for status, _ in results)
    assert {body["submission_id"] for _, body in results} == set(ids)
    assert sum(not body["replayed"] for _, body in results) == len(ids)
    assert run(Response.count()) == len(ids)
    assert run(Answer.count()) == len(ids) * len(ANSWERS)
