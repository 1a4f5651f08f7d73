"""Accounts end to end: the shell bootstraps them, links set passwords once, admins change roles
(on the record), a second factor can be required, sign-ins are throttled, sign-out is everywhere."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import time

import pyotp
import pytest

from frontend import cli
from surveys import accounts, audit
from surveys.tables import AccountToken, LoginAttempt, LoginSession
from tests.support import run

PASSWORD = "three random words"


def csrf(client, path="/lead/login"):
    return re.search(r'name="_csrf_token" value="([^"]+)"', client.get(path).text).group(1)


def sign_in(client, email, password=PASSWORD):
    return client.post("/lead/login", data={"email": email, "password": password, "_csrf_token": csrf(client)},
                       follow_redirects=False)


def main(argv: list[str]) -> int:
    """``heard …`` in this process, on a thread of its own (the browser tests keep a loop running here)."""
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(cli.main, argv).result()


def link_from(output: str) -> str:
    return re.search(r"http://127\.0\.0\.1:8000(/lead/password/\S+)", output).group(1)


@pytest.fixture
def admin(client):
    run(accounts.add_account("admin@heard.example", PASSWORD, "admin"))
    assert sign_in(client, "admin@heard.example").status_code == 303
    return client


def test_user_add_with_a_link_and_setting_the_password(client, db, capsys):
    assert main(["user", "add", "New.Lead@anew.example", "--role", "lead", "--initiative", "anew", "--link"]) == 0
    out = capsys.readouterr().out
    assert "new.lead@anew.example is a lead of anew." in out
    path = link_from(out)
    # Before the link is used the account can't sign in at all.
    assert sign_in(client, "new.lead@anew.example", "anything at all").status_code == 400

    form = client.get(path)
    assert form.status_code == 200 and "new.lead@anew.example" in form.text
    token = re.search(r'name="_csrf_token" value="([^"]+)"', form.text).group(1)
    short = client.post(path, data={"password": "short", "confirm": "short", "_csrf_token": token})
    assert short.status_code == 400 and "at least 10 characters" in short.text
    done = client.post(path, data={"password": PASSWORD, "confirm": PASSWORD, "_csrf_token": token},
                       follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/lead/login?password=set"
    assert sign_in(client, "new.lead@anew.example").status_code == 303
    assert client.get("/lead/anew/").status_code == 200
    assert client.get("/lead/cmhwf/").status_code == 404
    # A link works once.
    assert client.get(path).status_code == 410
    # Only a hash of the token is stored.
    assert path.rsplit("/", 1)[1] not in str(run(AccountToken.select()))


def test_a_lead_needs_an_initiative(db, capsys):
    assert main(["user", "add", "x@y.example", "--role", "lead", "--link"]) == 2
    assert "needs at least one --initiative" in capsys.readouterr().err


def test_a_failed_user_add_leaves_nothing_behind_and_a_good_one_is_audited(db, capsys):
    from surveys import audit
    from surveys.tables import Account, Membership

    before = (run(Account.count()), run(Membership.count()), len(run(audit.events())))
    argv = ["user", "add", "new@anew.example", "--role", "lead", "--initiative", "anew", "--initiative", "nope",
            "--link"]
    assert main(argv) == 2
    assert "No initiative 'nope'" in capsys.readouterr().err
    assert (run(Account.count()), run(Membership.count()), len(run(audit.events()))) == before

    assert main(["user", "add", "new@anew.example", "--role", "lead", "--initiative", "anew", "--link"]) == 0
    [event] = [e for e in run(audit.events()) if e["action"] == "account added"]
    assert event["actor"] == "cli" and event["detail"] == "new@anew.example: lead; anew"


def test_user_reset_link_expires_and_signs_out_everywhere(client, db, capsys):
    account_id = run(accounts.add_account("lead@anew.example", PASSWORD, "lead", ["anew"]))
    other_browser = run(accounts.start_login(account_id))
    assert main(["user", "reset", "lead@anew.example"]) == 0
    path = link_from(capsys.readouterr().out)
    token = re.search(r'name="_csrf_token" value="([^"]+)"', client.get(path).text).group(1)
    client.post(path, data={"password": "a new long password", "confirm": "a new long password", "_csrf_token": token})
    assert run(accounts.signed_in(other_browser)) is None
    assert sign_in(client, "lead@anew.example", PASSWORD).status_code == 400
    assert sign_in(client, "lead@anew.example", "a new long password").status_code == 303
    assert [e["action"] for e in run(audit.events())][:3] == ["signed in", "sign-in failed", "password set"]
    assert main(["user", "reset", "nobody@nowhere.example"]) == 2

    # An expired link says so.
    assert main(["user", "reset", "lead@anew.example"]) == 0
    path = link_from(capsys.readouterr().out)
    run(AccountToken.update({AccountToken.expires_at: dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)}, force=True))
    expired = client.get(path)
    assert expired.status_code == 410 and "This link has expired" in expired.text


def test_user_list(db, capsys):
    run(accounts.add_account("viewer@anew.example", PASSWORD, "viewer", ["anew"]))
    assert main(["user", "list"]) == 0
    assert "viewer@anew.example\tviewer\tanew" in capsys.readouterr().out


def test_admin_changes_a_role_and_it_is_audited(admin):
    lead_id = run(accounts.add_account("lead@anew.example", PASSWORD, "lead", ["anew"]))
    users = admin.get("/lead/admin/users/")
    assert users.status_code == 200 and "lead@anew.example" in users.text
    token = csrf(admin, f"/lead/admin/users/{lead_id}")
    changed = admin.post(f"/lead/admin/users/{lead_id}", data={
        "role": "viewer", "initiative": ["anew", "cmhwf"], "active": "yes", "_csrf_token": token,
    }, follow_redirects=False)
    assert changed.status_code == 303
    after = run(accounts.get_account(lead_id))
    assert after["role"] == "viewer" and after["initiatives"] == ["anew", "cmhwf"]
    changes = [e for e in run(audit.events()) if e["action"] == "access changed"]
    assert {e["initiative"] for e in changes} == {"anew", "cmhwf"}
    assert all(e["actor"] == "admin@heard.example" for e in changes)
    assert "role: lead → viewer" in changes[0]["detail"] and "initiatives: anew → anew, cmhwf" in changes[0]["detail"]


def test_an_admin_cannot_demote_themselves(admin):
    me = run(accounts.list_accounts())[0]["id"]
    response = admin.post(f"/lead/admin/users/{me}", data={"role": "lead", "_csrf_token": csrf(admin, "/lead/admin/users/")})
    assert response.status_code == 400 and "own admin role" in response.text


def test_admin_makes_a_reset_link_and_signs_an_account_out_everywhere(admin):
    lead_id = run(accounts.add_account("lead@anew.example", PASSWORD, "lead", ["anew"]))
    login = run(accounts.start_login(lead_id))
    token = csrf(admin, f"/lead/admin/users/{lead_id}")
    page = admin.post(f"/lead/admin/users/{lead_id}/password-link", data={"_csrf_token": token})
    assert page.status_code == 200 and "/lead/password/" in page.text
    admin.post(f"/lead/admin/users/{lead_id}/sign-out-everywhere", data={"_csrf_token": token})
    assert run(accounts.signed_in(login)) is None
    actions = [e["action"] for e in run(audit.events())]
    assert "password reset link made" in actions and "signed out everywhere" in actions


def test_suspending_an_account_ends_its_sign_ins(admin):
    lead_id = run(accounts.add_account("lead@anew.example", PASSWORD, "lead", ["anew"]))
    login = run(accounts.start_login(lead_id))
    asked = admin.post(f"/lead/admin/users/{lead_id}", data={"role": "lead", "initiative": "anew",
                                                             "_csrf_token": csrf(admin, "/lead/admin/users/")})
    assert "Suspend lead@anew.example?" in asked.text and run(accounts.signed_in(login)) is not None
    admin.post(f"/lead/admin/users/{lead_id}", data={"role": "lead", "initiative": "anew", "confirm": "yes",
                                                     "_csrf_token": csrf(admin, "/lead/admin/users/")})
    assert run(accounts.signed_in(login)) is None
    assert run(LoginSession.count().where(LoginSession.account == lead_id)) == 0


def test_sign_out_everywhere_ends_every_browser(client, db):
    account_id = run(accounts.add_account("lead@anew.example", PASSWORD, "lead", ["anew"]))
    elsewhere = [run(accounts.start_login(account_id)) for _ in range(2)]
    sign_in(client, "lead@anew.example")
    response = client.post("/lead/account/sign-out-everywhere", data={"_csrf_token": csrf(client, "/lead/account")},
                           follow_redirects=False)
    assert response.status_code == 303
    assert all(run(accounts.signed_in(t)) is None for t in elsewhere)
    assert client.get("/lead/anew/", follow_redirects=False).headers["location"] == "/lead/login"


# --- the second factor --------------------------------------------------------------------


def _secret(html: str) -> str:
    return re.search(r'<code class="secret">([A-Z2-7]+)</code>', html).group(1)


def test_required_second_factor_is_set_up_at_sign_in_then_asked_for(admin, client):
    lead_id = run(accounts.add_account("lead@anew.example", PASSWORD, "lead", ["anew"]))
    admin.post(f"/lead/admin/users/{lead_id}", data={"role": "lead", "initiative": "anew", "active": "yes",
                                                     "totp_required": "yes", "_csrf_token": csrf(admin, "/lead/admin/users/")})
    admin.cookies.clear()

    step = sign_in(client, "lead@anew.example")
    assert step.status_code == 200 and "Set up a second factor" in step.text
    assert "heard_login" not in step.headers.get("set-cookie", "")
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="qr"' in step.text
    secret = _secret(step.text)
    pending = re.search(r'name="pending" value="([^"]+)"', step.text).group(1)
    token = re.search(r'name="_csrf_token" value="([^"]+)"', step.text).group(1)

    wrong = client.post("/lead/login/code", data={"pending": pending, "code": "000000", "_csrf_token": token})
    assert wrong.status_code == 400 and "6-digit code" in wrong.text
    first_code = pyotp.TOTP(secret).now()
    done = client.post("/lead/login/code", data={"pending": pending, "code": first_code,
                                                 "_csrf_token": token}, follow_redirects=False)
    assert done.status_code == 303 and client.get("/lead/anew/").status_code == 200
    # The step token works once.
    again = client.post("/lead/login/code", data={"pending": pending, "code": pyotp.TOTP(secret).now(),
                                                  "_csrf_token": token})
    assert again.status_code == 400 and "Sign in again" in again.text

    client.cookies.clear()
    step = sign_in(client, "lead@anew.example")
    assert "Enter your code" in step.text and 'class="secret"' not in step.text
    pending = re.search(r'name="pending" value="([^"]+)"', step.text).group(1)
    token = re.search(r'name="_csrf_token" value="([^"]+)"', step.text).group(1)
    # The code used to set it up was spent: a code works once.
    replayed = client.post("/lead/login/code", data={"pending": pending, "code": first_code, "_csrf_token": token})
    assert replayed.status_code == 400
    next_code = pyotp.TOTP(secret).at(time.time() + 30)
    done = client.post("/lead/login/code", data={"pending": pending, "code": next_code,
                                                 "_csrf_token": token}, follow_redirects=False)
    assert done.status_code == 303
    actions = [e["action"] for e in run(audit.events()) if e["actor"] == "lead@anew.example"]
    assert actions.count("signed in") == 2
    assert actions.count("second factor set up") == 1 and actions.count("second factor failed") == 2


def test_a_lead_can_turn_on_a_second_factor_themselves(client, db):
    run(accounts.add_account("lead@anew.example", PASSWORD, "lead", ["anew"]))
    sign_in(client, "lead@anew.example")
    assert "Set up a second factor" in client.get("/lead/account").text
    page = client.get("/lead/account/two-factor")
    secret = _secret(page.text)
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
    assert client.post("/lead/account/two-factor", data={"code": "123", "_csrf_token": token}).status_code == 400
    ok = client.post("/lead/account/two-factor", data={"code": pyotp.TOTP(secret).now(), "_csrf_token": token},
                     follow_redirects=False)
    assert ok.status_code == 303
    assert "On (authenticator app)" in client.get("/lead/account").text
    client.cookies.clear()
    assert "Enter your code" in sign_in(client, "lead@anew.example").text


# --- throttling ---------------------------------------------------------------------------


def test_five_failures_for_an_account_pause_its_sign_ins(client, db):
    run(accounts.add_account("lead@anew.example", PASSWORD, "lead", ["anew"]))
    for _ in range(5):
        assert sign_in(client, "lead@anew.example", "wrong password").status_code == 400
    refused = sign_in(client, "lead@anew.example", PASSWORD)
    assert refused.status_code == 429
    assert "Too many sign-in attempts have failed" in refused.text and "15 minutes" in refused.text
    assert "heard_login" not in refused.headers.get("set-cookie", "")
    # Stored as keyed hashes only: no email, no address.
    stored = str(run(LoginAttempt.select()))
    assert "lead@anew.example" not in stored and "testclient" not in stored and "127.0.0.1" not in stored
    # Fifteen minutes later it works again (and a success clears the account's count).
    run(LoginAttempt.update({LoginAttempt.at: LoginAttempt.at - dt.timedelta(minutes=15, seconds=1)}, force=True))
    assert sign_in(client, "lead@anew.example", PASSWORD).status_code == 303


def test_twenty_failures_from_one_address_pause_it(client, db):
    run(accounts.add_account("lead@anew.example", PASSWORD, "lead", ["anew"]))
    for n in range(20):
        assert sign_in(client, f"guess{n}@anew.example", "wrong password").status_code == 400
    assert sign_in(client, "lead@anew.example", PASSWORD).status_code == 429
    assert any(e["action"] == "sign-in refused" for e in run(audit.events()))


def test_throttling_counts_in_the_database(db):
    """Two app processes share the count: the count is rows, not memory."""
    from surveys import throttle
    from surveys.tables import LoginAttempt

    keys = {"account": "a" * 64, "address": "b" * 64}
    for _ in range(5):
        assert run(throttle.reserve(keys)).until is None  # counted, to be checked
    refused = run(throttle.reserve(keys))  # the sixth is refused, and not counted
    assert refused.ids == ()
    assert dt.timedelta(minutes=14) < refused.until - dt.datetime.now(dt.UTC) <= dt.timedelta(minutes=15)
    assert run(LoginAttempt.count().where(LoginAttempt.kind == "account")) == 5


# --- the audit log ------------------------------------------------------------------------


def test_audit_log_pages_and_csv(admin, client):
    from surveys.initiatives import by_slug

    anew = run(by_slug("anew"))
    run(audit.record("questionnaire changed", actor="lead@anew.example", initiative_id=anew["id"],
                     detail='=HYPERLINK("http://evil.example","x")'))
    cmhwf = run(by_slug("cmhwf"))
    run(audit.record("questionnaire changed", actor="lead@cmhwf.example", initiative_id=cmhwf["id"], detail="cmhwf-only"))
    everything = admin.get("/lead/audit")
    assert everything.status_code == 200 and "cmhwf-only" in everything.text and "signed in" in everything.text
    rows = list(csv.DictReader(io.StringIO(admin.get("/lead/audit.csv").content.decode("utf-8-sig"))))
    assert rows[0].keys() == {"at", "actor", "action", "initiative", "detail"}
    assert any(r["detail"] == "'=HYPERLINK(\"http://evil.example\",\"x\")" for r in rows)

    admin.cookies.clear()
    run(accounts.add_account("lead@anew.example", PASSWORD, "lead", ["anew"]))
    sign_in(client, "lead@anew.example")
    mine = client.get("/lead/anew/audit")
    assert mine.status_code == 200 and "questionnaire changed" in mine.text and "cmhwf-only" not in mine.text
    assert client.get("/lead/audit").status_code == 403
    assert client.get("/lead/cmhwf/audit").status_code == 404
    rows = list(csv.DictReader(io.StringIO(client.get("/lead/anew/audit.csv").content.decode("utf-8-sig"))))
    assert [r["initiative"] for r in rows] and all(r["initiative"] == "anew" for r in rows)


def test_audit_log_never_holds_answers_codes_or_passwords(client, db):
    from surveys.demo import ensure_demo_sessions, generate_responses
    from surveys.tables import Answer, AuditEvent

    run(ensure_demo_sessions())
    run(generate_responses(12, seed=5))
    run(accounts.add_account("lead@anew.example", PASSWORD, "lead", ["anew"]))
    sign_in(client, "lead@anew.example", "wrong one here")
    sign_in(client, "lead@anew.example")
    client.get("/lead/anew/responses.csv")
    logged = str(run(AuditEvent.select()))
    texts = {a["text"] for a in run(Answer.select(Answer.text).where(Answer.text.is_not_null())) if a["text"]}
    assert texts and not any(t in logged for t in texts)
    assert PASSWORD not in logged and "wrong one here" not in logged
    assert "responses downloaded" in logged
