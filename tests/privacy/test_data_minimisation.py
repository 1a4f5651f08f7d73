"""Proof of data minimisation: answers sent over HTTP with a participant code, from a distinctive
IP address and user agent, leave no trace of the code, the IP or the user agent anywhere in the
database (every column of every table, found from the engine's own catalogue) or in the logs:
the in-process ``heard`` loggers and the log of a real ``heard serve``.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
import uuid

import httpx
import pytest

from surveys.pseudonyms import display, new_code, pseudonym
from surveys.tables import Initiative
from tests.privacy.helpers import phase_session
from tests.support import hidden_fields, run

CLIENT_IP = "127.0.0.77"  # a loopback address of its own, so the server sees a distinctive peer
USER_AGENT = "HeardPrivacyProbe/5.0 (ua-7f3c9e)"
FORWARDED_IP = "203.0.113.99"  # documentation range (RFC 5737): must be ignored, not stored
DISTINCTIVE = "Zebracorn lanterns please"


async def _every_value() -> list[str]:
    """Every value of every column of every table, as text, found from the catalogue."""
    engine = Initiative._meta.db
    if engine.engine_type == "postgres":
        rows = await Initiative.raw(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        )
        tables = [r["table_name"] for r in rows]
    else:
        rows = await Initiative.raw("SELECT name FROM sqlite_master WHERE type = 'table'")
        tables = [r["name"] for r in rows]
    assert {"response", "answer", "initiative", "audit_event"} <= set(tables)
    values = []
    for table in tables:
        for row in await Initiative.raw(f'SELECT * FROM "{table}"'):
            values.extend(f"{table}.{column}={value}" for column, value in row.items())
    return values


def _secrets(codes: list[str]) -> list[str]:
    forms = []
    for code in codes:
        shown = display(code)
        forms += [code, code.lower(), shown, shown.lower(), shown.replace("-", " ")]
    return forms + [CLIENT_IP, FORWARDED_IP, USER_AGENT, "ua-7f3c9e", "HeardPrivacyProbe"]


def _assert_nothing_of(secrets: list[str], where: str, text: str) -> None:
    found = [s for s in secrets if s.lower() in text.lower()]
    assert not found, f"{where} contains {found}"


def _journey(client: httpx.Client, token: str, code: str, api_code: str) -> None:
    """A parent scans their card, opens the form, answers every page; then a program uses the API."""
    went = client.get(f"/c/{display(code)}", params={"session": token})
    assert went.status_code == 200 and f'value="{display(code)}"' in went.text
    page = client.post(f"/s/{token}", data={**dict(hidden_fields(went.text)), "nav": "next",
                                            "participant_code": display(code)})
    answers = [("listened", "yes"), ("next_steps", "partly"), ("helpful", "yes"), ("child_views", "no"),
               ("better", DISTINCTIVE)]
    for key, value in answers:
        assert page.status_code == 200, page.text
        data: dict[str, list[str]] = {}
        for name, v in hidden_fields(page.text):
            data.setdefault(name, []).append(v)
        data.update(nav=["next"], **{key: [value]})
        page = client.post(f"/s/{token}", data=data)
    assert "Thank you" in page.text
    body = {"submission_id": str(uuid.uuid4()), "participant_code": api_code,
            "answers": {"listened": "no", "next_steps": "no", "helpful": "no", "child_views": "yes"}}
    assert client.post(f"/api/v1/sessions/{token}/responses", json=body).status_code == 201
    # Mistakes get logged too: a wrong card code and a wrong token with the code in the path.
    wrong = code[:8] + ("0" if code[8] != "0" else "1")
    assert client.get(f"/c/{wrong}").status_code == 404
    assert client.get(f"/s/{code}/{code}").status_code == 404


def _check_database_and_stored_pseudonyms(codes: list[str]) -> None:
    values = "\n".join(run(_every_value()))
    # The scan can see what is there: the redacted free text and the pseudonyms...
    assert DISTINCTIVE in values
    assert pseudonym("anew", codes[0]) in values and pseudonym("anew", codes[1]) in values
    # ...and nothing that would point at a person or a device.
    _assert_nothing_of(_secrets(codes), "the database", values)


def test_nothing_identifying_reaches_the_database_or_the_heard_logs(client, db, caplog):
    caplog.set_level(logging.DEBUG, logger="heard")
    caplog.set_level(logging.DEBUG, logger="litestar")
    session = run(phase_session("anew", "before"))
    code, api_code = new_code(), display(new_code()).lower()
    client.headers.update({"User-Agent": USER_AGENT, "X-Forwarded-For": FORWARDED_IP,
                           "X-Real-IP": FORWARDED_IP})
    _journey(client, session["token"], code, api_code)
    _check_database_and_stored_pseudonyms([code, api_code.replace("-", "").upper()])
    logged = "\n".join(f"{r.name} {r.getMessage()}" for r in caplog.records if r.name.startswith(("heard", "litestar")))
    assert "heard.access POST /s/{token} 200" in logged  # the request log is on, and generic
    _assert_nothing_of(_secrets([code, api_code.replace("-", "").upper()]) + [session["token"], "code="],
                       "the heard logs", logged)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def heard_serve(db, tmp_path):
    """A real ``heard serve`` (its own logging set-up, uvicorn, one worker) on a free port."""
    port = _free_port()
    log_path = tmp_path / "serve.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "frontend.cli", "serve", "--port", str(port)],
            env={**os.environ, "HEARD_BASE_URL": f"http://127.0.0.1:{port}"},
            stdout=log, stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("heard serve did not start:\n" + log_path.read_text())
            time.sleep(0.2)
        try:
            yield url, process, log_path
        finally:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=15)


def test_a_real_server_logs_no_code_ip_user_agent_or_query(heard_serve):
    url, process, log_path = heard_serve
    session = run(phase_session("anew", "after"))
    code, api_code = new_code(), new_code()
    transport = httpx.HTTPTransport(local_address=CLIENT_IP)
    with httpx.Client(base_url=url, transport=transport, follow_redirects=True, timeout=10,
                      headers={"User-Agent": USER_AGENT, "X-Forwarded-For": FORWARDED_IP}) as client:
        _journey(client, session["token"], code, display(api_code))
    process.terminate()
    process.wait(timeout=15)
    log = log_path.read_text()
    assert "heard.access GET /c/{code} 404" in log, log  # the log was written, with route patterns
    assert "heard.access POST /api/v1/sessions/{token}/responses 201" in log
    _assert_nothing_of(_secrets([code, api_code]) + [session["token"], "code=", "session="],
                       "the server log", log)
    _check_database_and_stored_pseudonyms([code, api_code])
