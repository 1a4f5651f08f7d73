"""Respondent page weight: bytes a phone or tablet actually transfers, from Chromium's network events.

Targets: the parent question page at most 30 KB all-in and at most 14 KB for the first HTML
response (one TCP round trip's worth); the same for the kiosk page. Compared against the size of
the page's own HTML as a baseline.

    python -m bench.page_weight --json bench/results/page_weight.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bench.servers import Server, environment, fresh_database, prepare

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def transferred(page, url: str, click: list[tuple[str, str]]) -> dict:
    """Load ``url``, click through ``click`` ((role, name) pairs), and measure the last page's transfers."""
    from playwright.sync_api import Response

    responses: list[Response] = []
    page.on("response", lambda response: responses.append(response))
    # Measure the last page cold, as a phone meeting it for the first time would: earlier pages
    # load without their assets, so nothing the measured page needs is already cached.
    page.route("**/static/**", lambda route: route.abort())
    page.goto(url)
    for role, name in click:
        if (role, name) == click[-1]:
            page.unroute("**/static/**")
        responses.clear()
        page.get_by_role(role, name=name, exact=True).click()
        page.wait_for_load_state("networkidle")
    total, first_html, detail = 0, None, []
    for response in responses:
        sizes = response.request.sizes()
        size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        total += size
        detail.append((response.url.rsplit("/", 1)[-1][:30], response.status, sizes["responseBodySize"],
                       sizes["responseHeadersSize"]))
        if first_html is None and "text/html" in (response.headers.get("content-type") or ""):
            first_html = size
    return {"requests": len(responses), "all_in_bytes": total, "first_html_bytes": first_html,
            "responses": detail}


def measure() -> dict:
    from playwright.sync_api import sync_playwright

    with fresh_database("sqlite") as url:
        env = environment(url)
        prepare(env)
        seed = "import asyncio; from surveys.demo import ensure_demo_sessions as e; s=asyncio.run(e()); " \
               "print(s['anew']['token'], s['cmhwf']['token'])"
        import subprocess

        tokens = subprocess.run([sys.executable, "-c", seed], env=env, capture_output=True, text=True,
                                check=True).stdout.split()
        with Server("frontend.app:create_app", env) as server, sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            phone = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
            tablet = browser.new_context(viewport={"width": 1024, "height": 768}, has_touch=True)
            parent = transferred(phone.new_page(), f"{server.url}/s/{tokens[0]}", [("button", "Start now")])
            kiosk = transferred(tablet.new_page(), f"{server.url}/k/{tokens[1]}", [("link", "Start for the children")])
            browser.close()
    return {"parent_question_page": parent, "kiosk_question_page": kiosk,
            "targets": {"all_in_bytes": 30 * 1024, "first_html_bytes": 14 * 1024}}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    result = measure()
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2))
    ok = all(page["all_in_bytes"] <= 30 * 1024 and page["first_html_bytes"] <= 14 * 1024
             for page in (result["parent_question_page"], result["kiosk_question_page"]))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
