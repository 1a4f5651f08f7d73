"""Schemathesis against the running server's own OpenAPI description.

Every operation, every parameter: no 5xx ever, and every 4xx is problem details (RFC 9457) a
program can read. ``HEARD_FUZZ_EXAMPLES`` sets examples per operation (CI keeps it bounded).
Half the generated cases are aimed at a real, open session so they reach answer validation
rather than stopping at 404.
"""

from __future__ import annotations

import os

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys.tables import Answer, Response
from tests.support import run

EXAMPLES = int(os.environ.get("HEARD_FUZZ_EXAMPLES", "60"))


def _check(response) -> None:
    assert response.status_code < 500, f"{response.status_code}: {response.text}"
    if 400 <= response.status_code < 500:
        content_type = response.headers.get("content-type") or [""]
        content_type = content_type[0] if isinstance(content_type, list) else content_type
        assert content_type.startswith("application/problem+json"), f"{response.status_code}: {response.text}"
        problem = response.json()
        assert problem["status"] == response.status_code
        assert problem["title"] and problem["detail"]


def test_api_never_fails_and_explains_every_refusal(server, db):
    from surveys.demo import ensure_demo_sessions

    token = run(ensure_demo_sessions())["anew"]["token"]
    schema = schemathesis.openapi.from_url(f"{server}/schema/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} >= {"/api/v1/sessions/{token}", "/api/v1/sessions/{token}/responses"}
    seen = {"cases": 0, "stored": 0}

    for operation in operations:

        @given(case=operation.as_strategy(), real_token=st.booleans())
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def fuzz(case, real_token):
            if real_token and "token" in (case.path_parameters or {}):
                case.path_parameters["token"] = token
            response = case.call(base_url=server)
            seen["cases"] += 1
            if response.status_code == 201:
                seen["stored"] += 1
            _check(response)

        fuzz()

    assert seen["cases"] >= EXAMPLES
    # Whatever was stored was stored whole: no response without its answers.
    for response in run(Response.select(Response.id)):
        assert run(Answer.count().where(Answer.response == response["id"])) >= 4
