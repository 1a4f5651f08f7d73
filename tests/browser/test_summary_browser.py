"""A partner opens a shared summary in a real browser: headlines, charts and tables render."""

from __future__ import annotations

import re

import pytest

from surveys import sharing
from surveys.summary import Filters
from tests.browser.axe import assert_accessible
from tests.support import run

pytestmark = pytest.mark.browser


@pytest.fixture
def shared_link(db):
    from surveys.demo import generate_responses
    from surveys.initiatives import by_slug

    run(generate_responses(30, seed=5))
    initiative = run(by_slug("art-at-the-start"))
    token, _ = run(sharing.create_link(initiative["id"], Filters(), days=3))
    return f"/shared/{token}"


def test_shared_summary_renders_in_chromium(server, chromium, shared_link):
    # bypass_csp only so axe-core can be injected for the check; the page itself runs no script.
    context = chromium.new_context(viewport={"width": 1024, "height": 900}, bypass_csp=True)
    page = context.new_page()
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 and "favicon" not in r.url else None)
    page.goto(server + shared_link)
    assert page.title().startswith("Art at the Start: summary for partners")
    headlines = page.locator(".summary-headlines li").all_inner_texts()
    # Always "x of n (y%)", unless a count is small enough to hide: then it says so, without x.
    assert len(headlines) == 3 and all(" of 30 parents " in h for h in headlines)
    assert re.match(r"^\d+ of 30 parents \(\d+%\) enjoyed making art", headlines[0])
    # Each chart is drawn (a real size, not zero) and has its data table after it.
    charts = page.locator("figure.summary-chart svg")
    assert charts.count() >= 2
    box = charts.first.bounding_box()
    assert box["width"] > 300 and box["height"] > 80
    assert page.get_by_role("img", name=re.compile("Answers to 2 questions")).count() >= 1
    assert page.locator("table.summary-table").count() >= 4
    assert failed == []  # its stylesheet and everything else loaded
    assert page.locator(".summary-headlines").evaluate("e => getComputedStyle(e).fontWeight") == "700"
    assert_accessible(page, "the shared partner summary")
    context.close()
