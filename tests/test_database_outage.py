"""A database that goes away: every face of the app answers 503 with Retry-After, never a 500.

A real app process talks to the real PostgreSQL through a small TCP relay on loopback. Cutting
the relay drops every open connection and refuses new ones, which is what a restart or a
network fault looks like from the app (asyncpg's connection errors, broken pooled connections,
refused connects). While it is cut, the parent's form, the kiosk, the API, the lead's pages and
downloads, a partner's shared link and the health check all answer 503 with Retry-After and store
nothing; once it is back, the same submission goes through, once.

SQLite has no server to lose; its busy database (locked past the timeout) is the 503 tested in
``tests/surveys/test_write_path.py``.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import threading
import time
import uuid
from urllib.parse import urlparse, urlunparse

import httpx
import pytest

from bench.servers import Server, free_port
from surveys import accounts
from surveys.initiatives import by_slug
from surveys.sharing import create_link
from surveys.summary import Filters
from surveys.tables import Answer, Response
from tests.privacy.helpers import phase_session
from tests.support import form_data, hidden_fields, run

ANSWERS = {"listened": "yes", "next_steps": "partly", "helpful": "yes", "child_views": "no"}


class Relay:
    """Forwards a loopback port to the database server; ``cut()`` is the database going away.

    It runs on an event loop of its own, in a thread, beside the test."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target, self.port = target, free_port()
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        self.listener: asyncio.Server | None = None
        self.open: set[asyncio.StreamWriter] = set()

    def start(self) -> Relay:
        async def listen():
            self.listener = await asyncio.start_server(self._relay, "127.0.0.1", self.port, reuse_address=True)

        asyncio.run_coroutine_threadsafe(listen(), self.loop).result(10)
        return self

    def cut(self) -> None:
        """Refuse new connections and drop every open one."""

        async def cut():
            if self.listener is not None:
                self.listener.close()
                self.listener = None
            for writer in list(self.open):
                writer.transport.abort()
            self.open.clear()

        asyncio.run_coroutine_threadsafe(cut(), self.loop).result(10)

    def close(self) -> None:
        self.cut()
        self.loop.call_soon_threadsafe(self.loop.stop)

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self.open |= {writer, upstream_writer}

        async def pump(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while chunk := await source.read(65536):
                    sink.write(chunk)
                    await sink.drain()
            except OSError:
                pass
            finally:
                sink.transport.abort()

        await asyncio.gather(pump(reader, upstream_writer), pump(upstream_reader, writer))


def _fetch(client: httpx.Client, url: str, data: dict | None = None, *, json_body: dict | None = None):
    """(status, headers, body) of one request, redirects not followed."""
    if json_body is not None:
        response = client.post(url, json=json_body)
    elif data is not None:
        response = client.post(url, data=data)
    else:
        response = client.get(url)
    return response.status_code, response.headers, response.text


@pytest.fixture
def outage_app(db, migrated, tmp_path):
    if migrated != "postgresql":
        pytest.skip("SQLite has no database server to lose; its busy case is tests/surveys/test_write_path.py")
    url = urlparse(os.environ["DATABASE_URL"])
    relay = Relay((url.hostname or "127.0.0.1", url.port or 5432)).start()
    through_relay = urlunparse(url._replace(netloc=f"{url.username}@127.0.0.1:{relay.port}"))
    server = Server(
        "frontend.app:create_app", {**os.environ, "DATABASE_URL": through_relay}, log=tmp_path / "server.log"
    ).start()
    yield server, relay, tmp_path / "server.log"
    server.stop()
    relay.close()


def test_every_face_answers_503_while_the_database_is_away(outage_app):
    server, relay, log = outage_app
    parent, spare_parent, child = (run(phase_session(slug, "after")) for slug in ("anew", "anew", "cmhwf"))
    initiative = run(by_slug("anew"))
    link, _ = run(create_link(initiative["id"], Filters()))
    run(accounts.add_account("lead@anew.example", "correct horse", "lead", ["anew"]))

    # While the database is there: sign in, and fill in a parent's form up to its last page.
    lead = httpx.Client(timeout=30)
    _, _, form = _fetch(lead, f"{server.url}/lead/login")
    csrf = re.search(r'name="_csrf_token" value="([^"]+)"', form).group(1)
    _fetch(
        lead,
        f"{server.url}/lead/login",
        {"email": "lead@anew.example", "password": "correct horse", "_csrf_token": csrf},
    )
    assert "heard_login" in lead.cookies
    phone = httpx.Client(timeout=30)
    status, _, page = _fetch(phone, f"{server.url}/s/{parent['token']}")
    for key, value in [(None, None), *ANSWERS.items()]:
        status, _, page = _fetch(
            phone,
            f"{server.url}/s/{parent['token']}",
            form_data(hidden_fields(page), nav="next", **({key: value} if key else {})),
        )
        assert status == 200, page
    last_page = hidden_fields(page)  # the optional free-text question is all that is left

    relay.cut()
    submission = str(uuid.uuid4())
    away = {
        "health check": _fetch(phone, f"{server.url}/healthz"),
        "parent's first page": _fetch(phone, f"{server.url}/s/{spare_parent['token']}"),
        "parent's last page sent": _fetch(phone, f"{server.url}/s/{parent['token']}", form_data(last_page, nav="next")),
        "kiosk": _fetch(phone, f"{server.url}/k/{child['token']}"),
        "API submission": _fetch(
            phone,
            f"{server.url}/api/v1/sessions/{spare_parent['token']}/responses",
            json_body={"submission_id": submission, "answers": ANSWERS},
        ),
        "lead's initiative page": _fetch(lead, f"{server.url}/lead/anew/"),
        "lead's CSV download": _fetch(lead, f"{server.url}/lead/anew/responses.csv"),
        "lead's Word summary": _fetch(lead, f"{server.url}/lead/anew/summary/download/docx"),
        "partner's shared link": _fetch(phone, f"{server.url}/shared/{link}"),
    }
    problems = {
        name: status
        for name, (status, headers, _) in away.items()
        if status != 503 or headers.get("Retry-After") != "5"
    }
    assert not problems, (
        f"not a 503 with Retry-After while the database was away: {problems}\n{log.read_text()[-3000:]}"
    )
    assert json.loads(away["API submission"][2])["status"] == 503  # problem details for programs
    assert "nothing was saved" in away["parent's last page sent"][2]  # a page for people
    assert " Unhandled " not in log.read_text()  # what errors.py logs for a 500
    assert run(Response.count()) == 0

    # Back again: the pool reconnects and the very same forms go through, once each.
    relay.start()
    deadline = time.monotonic() + 30
    while _fetch(phone, f"{server.url}/healthz")[0] != 200:
        assert time.monotonic() < deadline, "the app did not reconnect to the database"
        time.sleep(0.2)
    status, headers, body = _fetch(phone, f"{server.url}/s/{parent['token']}", form_data(last_page, nav="next"))
    assert status == 303, body and headers["location"].startswith(f"/s/{parent['token']}/done")
    status, _, _ = _fetch(
        phone,
        f"{server.url}/api/v1/sessions/{spare_parent['token']}/responses",
        json_body={"submission_id": submission, "answers": ANSWERS},
    )
    assert status == 201
    assert run(Response.count()) == 2
    assert run(Answer.count()) == 2 * len(ANSWERS)  # nothing half-written
