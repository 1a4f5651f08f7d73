"""A real server and a real Chromium (Debian's, never a downloaded one).

Without /usr/bin/chromium these tests are skipped with a message saying how to run them;
CI sets HEARD_REQUIRE_BROWSER=1, which turns a missing browser into a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("HEARD_CHROMIUM", "/usr/bin/chromium")
REQUIRED = os.environ.get("HEARD_REQUIRE_BROWSER") == "1"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


# Module scope: Playwright's sync API keeps an event loop running on this thread while it is
# open, which would break asyncio.run() in every later test module.
@pytest.fixture(scope="module")
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
