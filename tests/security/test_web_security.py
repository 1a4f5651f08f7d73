"""Web security: CSRF on every state-changing route, no inline script or style on any page,
security headers (HSTS over HTTPS), body limits, respondent rate limits per session, and
hostile text escaped in pages and neutralised in CSV."""

from __future__ import annotations

import csv
import io
import re
import uuid

import pytest
from litestar.testing import TestClient

from frontend.core import access
from tests.hostile import PAYLOADS, assert_inert_cell, assert_inert_html, live_markup
from tests.security import matrix
from tests.support import hidden_fields, run


@pytest.fixture
def world(client):
    return matrix.make_world(client)


def _get_routes(app):
    return [r for r in matrix.routes(app) if r.method == "GET"]


def test_every_state_changing_route_needs_a_csrf_token(app, world):
    """POST with a signed-in admin's cookies but no token: refused, for every non-respondent route."""
    posts = [r for r in matrix.routes(app) if r.method in ("POST", "PUT", "PATCH", "DELETE")]
    checked = 0
    for r in posts:
        if r.path.startswith(("/s/", "/k/", "/api/")):
            continue  # respondents have no account or cookie to forge; the token is their scope
        values = {"slug": "anew", "token": "a-set-password-token", **world.params}
        for param, kind in (r.opt.get("resources") or {}).items():
            values[param] = world.samples[(kind, "anew")]
        path = r.fill(values)
        world.client.cookies.clear()
        response = world.client.request(
            r.method, path, data={"email": "x"}, follow_redirects=False,
            headers={"Cookie": f"heard_csrf={world.csrf[0]}; heard_login={world.logins['admin']}"},
        )
        assert response.status_code == 403, f"{r.method} {path} answered {response.status_code} without a CSRF token"
        checked += 1
    assert checked >= 8


def test_get_then_post_with_the_cookie_is_accepted(client, db):
    from surveys import accounts

    run(accounts.add_account("lead@anew.example", "three random words", "lead", ["anew"]))
    form = client.get("/lead/login")
    assert "heard_csrf" in form.headers["set-cookie"] and "HttpOnly" in form.headers["set-cookie"]
    token = re.search(r'name="_csrf_token" value="([^"]+)"', form.text).group(1)
    ok = client.post("/lead/login", data={"email": "lead@anew.example", "password": "three random words",
                                          "_csrf_token": token}, follow_redirects=False)
    assert ok.status_code == 303
    cookie = ok.headers["set-cookie"]
    assert "heard_login=" in cookie and "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    forged = client.post("/lead/account/sign-out-everywhere", data={"_csrf_token": "forged"})
    assert forged.status_code == 403


def _every_page(app, world) -> dict[str, str]:
    """Every HTML page a person can reach: each GET route as the right person, and respondent pages."""
    pages = {}
    for r in _get_routes(app):
        if r.path.startswith(("/static", "/schema")) or r.path.endswith((".csv", ".png", ".pdf", ".svg")):
            continue
        values = {"slug": "anew", **world.params}
        for param, kind in (r.opt.get("resources") or {}).items():
            values[param] = world.samples[(kind, "anew")]
        needed = r.opt.get("role", "admin") if access.declared_scope(r.handler) not in ("public", "respondent") else None
        who = needed or "nobody"
        path = r.fill(values) if "token" not in r.params and all(p in values for p in r.params) else None
        if path is None:
            continue
        response = world.request(who, "GET", path)
        # Downloads are opened from disk, not under our CSP, and may carry their own styles.
        if ("text/html" in response.headers.get("content-type", "")
                and "attachment" not in response.headers.get("content-disposition", "")):
            pages[path] = response.text
    from surveys.demo import ensure_demo_sessions

    sessions = run(ensure_demo_sessions())
    for prefix, slug in (("s", "anew"), ("k", "cmhwf")):
        token = sessions[slug]["token"]
        first = world.request("nobody", "GET", f"/{prefix}/{token}")
        pages[f"/{prefix}/{token}"] = first.text
        world.client.cookies.clear()
        nxt = world.client.post(f"/{prefix}/{token}", data=dict(hidden_fields(first.text)) | {"nav": "next"})
        pages[f"/{prefix}/{token} (question)"] = nxt.text
    pages["404"] = world.request("nobody", "GET", "/no/such/page").text
    pages["login error"] = world.client.post("/lead/login", data={"_csrf_token": world.csrf[1]},
                                             headers={"Cookie": f"heard_csrf={world.csrf[0]}"}).text
    return pages


def test_no_page_has_inline_script_or_style(app, world):
    pages = _every_page(app, world)
    assert len(pages) >= 12 and any("/lead/admin/users" in p for p in pages) and any("/s/" in p for p in pages)
    for path, html in pages.items():
        # Every page is a whole page, but the live counts' block, which dashboard.js swaps in.
        assert "<html" in html or (path.endswith("/live") and html.lstrip().startswith('<section id="live"')), path
        assert live_markup(html) == [], path


def test_security_headers_on_every_page(client, db):
    for path in ("/", "/lead/login", "/no/such/page"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-content-type-options"] == "nosniff"
        assert "strict-transport-security" not in headers  # served over plain HTTP here


def test_hsts_when_served_over_https(db):
    from frontend.app import create_app
    from frontend.core.settings import Settings

    settings = Settings.from_env()
    https = Settings(**{**settings.__dict__, "base_url": "https://heard.example.org"})
    with TestClient(app=create_app(https), base_url="http://127.0.0.1:8000") as client:
        response = client.get("/lead/login")
        assert response.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
        assert "Secure" in response.headers["set-cookie"] or "secure" in response.headers["set-cookie"]


def test_body_limits(client, db):
    from surveys.demo import ensure_demo_sessions

    token = run(ensure_demo_sessions())["anew"]["token"]
    big = "x" * (70 * 1024)
    assert client.post(f"/s/{token}", data={"better": big}).status_code == 413
    assert client.post(f"/api/v1/sessions/{token}/responses", json={"answers": {"better": big}}).status_code == 413
    assert client.post("/lead/login", data={"email": "x" * (20 * 1024)}).status_code == 413
    assert client.post("/lead/login/code", data={"code": "x" * (20 * 1024)}).status_code == 413


def test_respondent_routes_are_limited_per_session_not_per_address(app, client, db):
    from surveys.demo import ensure_demo_sessions

    sessions = run(ensure_demo_sessions())
    app.state.limiter.per_minute = 3
    anew, cmhwf = sessions["anew"]["token"], sessions["cmhwf"]["token"]
    assert [client.get(f"/s/{anew}").status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(f"/s/{anew.lower()}")  # the same session however it is typed
    assert refused.status_code == 429 and refused.headers["retry-after"] == "60"
    assert "Please wait a minute" in refused.text
    assert client.get(f"/api/v1/sessions/{anew}").status_code == 429
    # Same address, another session: a classroom's other tablets are not affected.
    assert client.get(f"/k/{cmhwf}").status_code == 200


def test_the_limiter_forgets_old_windows_and_stays_bounded():
    from frontend.core.limits import SessionLimiter

    now = [0.0]
    limiter = SessionLimiter(per_minute=2, max_keys=3, clock=lambda: now[0])
    assert [limiter.allow("A"), limiter.allow("A"), limiter.allow("A")] == [True, True, False]
    now[0] = 61
    assert limiter.allow("A")
    for key in "BCDEF":
        limiter.allow(key)
    assert len(limiter.windows) == 3


def test_hostile_answers_are_escaped_in_pages_and_neutralised_in_csv(client, db):
    """Every payload as a written answer: carried safely through the form, harmless in the CSV."""
    from surveys import accounts
    from surveys.demo import ensure_demo_sessions

    token = run(ensure_demo_sessions())["anew"]["token"]
    for payload in PAYLOADS:
        response = client.post(f"/api/v1/sessions/{token}/responses", json={
            "submission_id": str(uuid.uuid4()),
            "answers": {"listened": "yes", "next_steps": "yes", "helpful": "yes", "child_views": "yes",
                        "better": payload},
        })
        assert response.status_code == 201, response.text
    # The no-JS form carries a typed answer back in hidden fields: escaped there too.
    page = client.get(f"/s/{token}")
    state = dict(hidden_fields(page.text))
    page = client.post(f"/s/{token}", data=state | {"nav": "next", "listened": PAYLOADS[1]})
    assert_inert_html(page.text)

    run(accounts.add_account("lead@anew.example", "three random words", "lead", ["anew"]))
    form = client.get("/lead/login")
    csrf = re.search(r'name="_csrf_token" value="([^"]+)"', form.text).group(1)
    client.post("/lead/login", data={"email": "lead@anew.example", "password": "three random words", "_csrf_token": csrf})
    rows = list(csv.reader(io.StringIO(client.get("/lead/anew/responses.csv").content.decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    for cell in cells:
        assert_inert_cell(cell)
    texts = [r[rows[0].index("text")] for r in rows[1:] if r[rows[0].index("text")]]
    assert len(texts) >= len(PAYLOADS) - 1  # all there (redaction may alter, never drop them all)
    assert any("HYPERLINK" in t and t.startswith("'") for t in texts)
    assert_inert_html(client.get("/lead/anew/").text)


def test_hostile_site_and_email_are_escaped_in_lead_pages(client, db):
    from surveys import accounts
    from surveys.demo import ensure_demo_sessions
    from surveys.tables import Session

    sessions = run(ensure_demo_sessions())
    run(Session.update({Session.site: PAYLOADS[1]}).where(Session.id == sessions["anew"]["id"]))
    run(accounts.add_account("admin@heard.example", "three random words", "admin"))
    form = client.get("/lead/login")
    csrf = re.search(r'name="_csrf_token" value="([^"]+)"', form.text).group(1)
    echoed = client.post("/lead/login", data={"email": PAYLOADS[0], "password": "x", "_csrf_token": csrf})
    assert_inert_html(echoed.text)
    assert "&lt;script&gt;" in echoed.text
    client.post("/lead/login", data={"email": "admin@heard.example", "password": "three random words", "_csrf_token": csrf})
    audit_page = client.get("/lead/audit")
    assert_inert_html(audit_page.text)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in audit_page.text
    rows = list(csv.reader(io.StringIO(client.get("/lead/audit.csv").content.decode("utf-8-sig"))))
    for row in rows:
        for cell in row:
            assert_inert_cell(cell)
    assert_inert_html(client.get("/lead/anew/").text)
    sites = list(csv.DictReader(io.StringIO(client.get("/lead/anew/responses.csv").content.decode("utf-8-sig"))))
    assert all(not r["site"].startswith(("=", "+", "-", "@")) for r in sites)
