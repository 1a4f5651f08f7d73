"""A viewer is offered only what a viewer may do: every link on the pages they can open works
for them, and they see no form that changes anything."""

from __future__ import annotations

import re

from surveys import accounts
from tests.support import run
from tests.test_lead_pages import sign_in


def test_a_viewer_sees_no_button_that_leads_to_not_allowed(client, db):
    from surveys.demo import ensure_demo_sessions, generate_responses

    run(ensure_demo_sessions())
    run(generate_responses(12, seed=4))
    run(accounts.add_account("viewer@anew.example", "just looking", "viewer", ["anew"]))
    sign_in(client, "viewer@anew.example", "just looking")
    seen, to_visit = set(), ["/lead/", "/lead/anew/"]
    while to_visit:
        path = to_visit.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        assert response.status_code == 200, f"{path}: {response.status_code} (linked from a page a viewer sees)"
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        html = response.text
        forms = re.findall(
            r'<form[^>]*method="post"[^>]*action="([^"]+)"|<form[^>]*action="([^"]+)"[^>]*method="post"', html
        )
        actions = {a or b for a, b in forms} - {"/lead/logout"}
        assert actions == set(), f"{path} offers a viewer {actions}"
        for link in re.findall(r'href="(/lead/[^"#]*)"', html):
            link = link.replace("&amp;", "&")
            if link not in seen and not link.startswith("/lead/account"):
                to_visit.append(link)
    assert {"/lead/anew/summary/", "/lead/anew/reach/", "/lead/anew/data-dictionary.csv"} <= seen
