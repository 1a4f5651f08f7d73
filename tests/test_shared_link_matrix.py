"""Shared links made from the summary page with every combination of filters, opened signed out.

Each link is made the way the page's own form makes it (the form's action carries the filters),
then opened by someone with no account, in the combination's language: it must show exactly the
summary the lead saw with those filters. A revoked link and an expired one are a kind "not
found" page, never an error.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import re

from surveys.tables import ShareLink
from tests.security import matrix
from tests.support import run
from tests.test_summary import NOW, Dataset

LANGUAGES = ("en", "pl")


def _filters(questionnaire: str) -> list[dict[str, str]]:
    """Two values per filter, "all" (empty) among them: 2**7 = 128 combinations."""
    choices = {
        "questionnaire": ("", questionnaire),
        "from": ("", (NOW - dt.timedelta(days=10)).date().isoformat()),
        "to": ("", (NOW + dt.timedelta(days=10)).date().isoformat()),
        "site": ("", "North"),
        "audience": ("", "parent"),
        "phase": ("", "after"),
        "lang": LANGUAGES,
    }
    return [dict(zip(choices, values)) for values in itertools.product(*choices.values())]


def _query(filters: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode(filters)


def _figures(page: str) -> list[str]:
    """The summary's headline lines and tables as a reader sees them."""
    parts = re.findall(
        r'<ul class="summary-headlines">.*?</ul>|<table class="table summary-table">.*?</table>', page, flags=re.S
    )
    assert parts, "no summary on the page"
    return parts


def test_shared_links_with_every_filter_combination_open_signed_out_and_stop(client):
    world = matrix.make_world(client)
    data = Dataset("anew")
    data.respond({"listened": "yes"}, phase="after", site="North", times=12)
    data.respond({"listened": "partly"}, phase="before", site="South", times=11, when=NOW - dt.timedelta(days=30))
    combinations = _filters(data.questionnaire["slug"])
    links, seen = [], set()
    for filters in combinations:
        summary = world.request("lead", "GET", f"/lead/anew/summary/?{_query(filters)}")
        assert summary.status_code == 200, (filters, summary.text)
        action = html.unescape(
            re.search(r'<form method="post" action="(/lead/anew/summary/share[^"]*)"', summary.text).group(1)
        )
        made = world.request("lead", "POST", action)
        assert made.status_code == 200, (filters, made.text)
        link = re.search(r'class="summary-link">http://[^/]+(/shared/[^<]+)<', made.text).group(1)
        shared = world.request("nobody", "GET", f"{link}?lang={filters['lang']}")
        assert shared.status_code == 200, (filters, shared.text)
        assert f'<html lang="{filters["lang"]}"' in shared.text
        assert shared.headers["cache-control"] == "no-store"
        assert "/download/" not in shared.text and "summary/share" not in shared.text
        # Exactly the summary the lead saw with these filters, in that language.
        assert _figures(shared.text) == _figures(summary.text), filters
        seen.add(tuple(_figures(shared.text)))
        links.append(link)
    assert len(links) == len(combinations) == 128
    assert len(seen) > 4  # the filters really changed what was shown

    # The lead revokes one with the page's own button, and another runs out.
    page = world.request("lead", "GET", "/lead/anew/summary/")
    revoke = re.findall(r'action="(/lead/anew/summary/share/\d+/revoke)"', page.text)
    assert len(revoke) == len(links) + 1  # the world's own link too
    asked = world.request("lead", "POST", revoke[0])  # asks first: nothing is withdrawn by one press
    assert asked.status_code == 200 and "Stop this shared link working?" in asked.text
    assert world.request("lead", "POST", revoke[0], {"confirm": "yes"}).status_code == 303  # the newest
    newest = run(
        ShareLink.select(ShareLink.id)
        .where(ShareLink.revoked_at.is_null())
        .order_by(ShareLink.id, ascending=False)
        .first()
    )
    run(
        ShareLink.update({ShareLink.expires_at: dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)}).where(
            ShareLink.id == newest["id"]
        )
    )
    page = world.request("lead", "GET", "/lead/anew/summary/")
    assert page.status_code == 200
    assert re.search(r">\s*Revoked\s*<", page.text) and re.search(r">\s*Expired\s*<", page.text)
    for link, lang, title in ((links[-1], "en", "Page not found"), (links[-2], "pl", "Nie ma takiej strony")):
        stopped = world.request("nobody", "GET", f"{link}?lang={lang}")
        assert stopped.status_code == 404, stopped.text
        assert stopped.headers["content-type"].startswith("text/html")
        assert f'<h1 class="heading-l">{title}</h1>' in stopped.text
        assert "summary-headlines" not in stopped.text and "went wrong" not in stopped.text
    assert world.request("nobody", "GET", links[0]).status_code == 200  # the others still work


def test_a_link_is_never_made_with_filters_the_page_refused(client):
    world = matrix.make_world(client)
    before = run(ShareLink.count())
    for query in ("from=yesterday", "to=2026-02-30", "from=2026-10-02&to=2026-10-01", "audience=funder", "phase=later"):
        # The page says what is wrong; making a link from it must not share everything instead.
        assert world.request("lead", "GET", f"/lead/anew/summary/?{query}").status_code == 400, query
        made = world.request("lead", "POST", f"/lead/anew/summary/share?{query}")
        assert made.status_code == 400, (query, made.status_code)
        assert "/shared/" not in made.text
    assert run(ShareLink.count()) == before
