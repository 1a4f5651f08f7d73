"""A real server and a real Chromium (Debian's, never a downloaded one).

Without /usr/bin/chromium these tests are skipped with a message saying how to run them;
CI sets HEARD_REQUIRE_BROWSER=1, which turns a missing browser into a failure.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("HEARD_CHROMIUM", "/usr/bin/chromium")
REQUIRED = os.environ.get("HEARD_REQUIRE_BROWSER") == "1"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(migrated):
    """``uvicorn`` serving the app factory, on the test database, on a free loopback port."""
    port = _free_port()
    log = open(Path(os.environ["HEARD_DATA_DIR"]).parent / "server.log", "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "frontend.app:create_app", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--no-access-log"],
        env={**os.environ, "HEARD_BASE_URL": f"http://127.0.0.1:{port}"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("The test server did not start; see server.log") from None
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        message = (f"No Chromium at {CHROMIUM}: install Debian's (apt-get install -y chromium) "
                   "to run the browser tests")
        if REQUIRED:
            pytest.fail(message + " (HEARD_REQUIRE_BROWSER=1)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone(chromium):
    """A 360×740 touch phone with JavaScript turned off."""
    context = chromium.new_context(
        viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True, java_script_enabled=False
    )
    yield context
    context.close()
