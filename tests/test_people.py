"""Staff on the web: admins add and manage accounts; a lead manages their own initiative's
leads and viewers, and nothing beyond it. Every change audited; removals ask first."""

from __future__ import annotations

import re

import pytest

from surveys import accounts, audit, credentials
from surveys.tables import Account, LoginSession, Membership
from tests.support import run
from tests.test_lead_pages import sign_in

PASSWORD = "a long password here"


def _csrf(client, path) -> str:
    return re.search(r'name="_csrf_token" value="([^"]+)"', client.get(path).text).group(1)


def _post(client, path, data, page="/lead/"):
    return client.post(path, data={"_csrf_token": _csrf(client, page), **data}, follow_redirects=False)


def _actions():
    return [e["action"] for e in run(audit.events())]


@pytest.fixture
def people(db):
    ids = {
        "admin": run(accounts.add_account("admin@heard.example", PASSWORD, "admin")),
        "lead": run(accounts.add_account("lead@anew.example", PASSWORD, "lead", ["anew"])),
        "both": run(accounts.add_account("both@heard.example", PASSWORD, "viewer", ["anew", "cmhwf"])),
        "solo": run(accounts.add_account("solo@anew.example", PASSWORD, "viewer", ["anew"])),
        "other": run(accounts.add_account("lead@cmhwf.example", PASSWORD, "lead", ["cmhwf"])),
    }
    return ids


def test_an_admin_adds_a_user_who_sets_their_own_password(client, people):
    sign_in(client, "admin@heard.example", PASSWORD)
    assert 'href="/lead/admin/users/new"' in client.get("/lead/admin/users/").text
    before = run(Account.count())
    for data, message in [
        ({"email": "not an email", "role": "viewer", "initiative": "anew"}, "Enter an email address"),
        ({"email": "new@anew.example", "role": "viewer"}, "Choose at least one initiative"),
        ({"email": "lead@anew.example", "role": "viewer", "initiative": "anew"}, "already has an account"),
    ]:
        refused = _post(client, "/lead/admin/users/new", data, "/lead/admin/users/new")
        assert refused.status_code == 400 and message in refused.text and "There is a problem" in refused.text
    assert run(Account.count()) == before
    added = _post(
        client,
        "/lead/admin/users/new",
        {"email": "New@Anew.example", "role": "viewer", "initiative": "anew"},
        "/lead/admin/users/new",
    )
    assert added.status_code == 200 and "new@anew.example has been added" in added.text
    path = re.search(r"http://[^/]+(/lead/password/[^<\s]+)", added.text).group(1)
    assert run(Account.count()) == before + 1 and "account added" in _actions()
    client.cookies.clear()
    form = client.get(path)
    token = re.search(r'name="_csrf_token" value="([^"]+)"', form.text).group(1)
    client.post(path, data={"password": PASSWORD, "confirm": PASSWORD, "_csrf_token": token})
    assert sign_in(client, "new@anew.example", PASSWORD).status_code == 303
    assert client.get("/lead/anew/").status_code == 200 and client.get("/lead/cmhwf/").status_code == 404


def test_an_admin_suspends_and_resets_a_second_factor_after_asking(client, people):
    solo = people["solo"]
    run(accounts.start_login(solo))
    run(Account.update({Account.totp_secret: "JBSWY3DPEHPK3PXP"}).where(Account.id == solo))
    sign_in(client, "admin@heard.example", PASSWORD)
    page = f"/lead/admin/users/{solo}"
    asked = _post(client, page, {"role": "viewer", "initiative": "anew"}, page)
    assert asked.status_code == 200 and "Suspend solo@anew.example?" in asked.text
    assert run(Account.select(Account.active).where(Account.id == solo).first())["active"] is True
    done = _post(client, page, {"role": "viewer", "initiative": "anew", "confirm": "yes"}, page)
    assert done.status_code == 303
    assert run(Account.select(Account.active).where(Account.id == solo).first())["active"] is False
    assert run(LoginSession.count().where(LoginSession.account == solo)) == 0

    assert "Remove their second factor" in client.get(page).text
    asked = _post(client, f"{page}/second-factor/reset", {}, page)
    assert "Remove solo@anew.example&#39;s second factor?" in asked.text or "second factor?" in asked.text
    assert run(credentials.second_factor(solo))["totp_secret"]
    _post(client, f"{page}/second-factor/reset", {"confirm": "yes"}, page)
    assert not run(credentials.second_factor(solo))["totp_secret"]
    assert {"second factor reset", "access changed"} <= set(_actions())


def test_a_lead_adds_people_to_their_own_initiative_only(client, people):
    sign_in(client, "lead@anew.example", PASSWORD)
    page = client.get("/lead/anew/people/")
    assert (
        page.status_code == 200 and "both@heard.example" in page.text and "also works on other initiatives" in page.text
    )
    assert "cmhwf" not in page.text.lower()  # never says where else someone works
    added = _post(
        client, "/lead/anew/people/", {"email": "helper@anew.example", "role": "viewer"}, "/lead/anew/people/"
    )
    assert added.status_code == 200 and "One-time link for helper@anew.example" in added.text
    helper = run(Account.select().where(Account.email == "helper@anew.example").first())
    assert helper["role"] == "viewer"
    assert [m["initiative"] for m in run(Membership.select().where(Membership.account == helper["id"]))] == [
        run(Membership.select(Membership.initiative).where(Membership.account == people["lead"]).first())["initiative"]
    ]
    for data, message in [
        ({"email": "admin@heard.example", "role": "viewer"}, "is an administrator"),
        ({"email": "lead@cmhwf.example", "role": "viewer"}, "ask an administrator to change its role"),
        ({"email": "solo@anew.example", "role": "viewer"}, "already has access"),
        ({"email": "x@anew.example", "role": "admin"}, "Choose lead or viewer"),
    ]:
        refused = _post(client, "/lead/anew/people/", data, "/lead/anew/people/")
        assert refused.status_code == 400 and message in refused.text, data
    # Another initiative's people are out of reach.
    assert client.get("/lead/cmhwf/people/").status_code == 404
    assert _post(client, f"/lead/anew/people/{people['other']}/remove", {"confirm": "yes"}).status_code == 404


def test_removing_asks_first_and_suspends_only_someone_left_with_nothing(client, people):
    sign_in(client, "lead@anew.example", PASSWORD)
    asked = _post(client, f"/lead/anew/people/{people['both']}/remove", {})
    assert asked.status_code == 200 and "keep access to the other initiatives" in asked.text
    _post(client, f"/lead/anew/people/{people['both']}/remove", {"confirm": "yes"})
    both = run(Account.select(Account.active).where(Account.id == people["both"]).first())
    assert both["active"] is True and run(Membership.count().where(Membership.account == people["both"])) == 1
    run(accounts.start_login(people["solo"]))
    _post(client, f"/lead/anew/people/{people['solo']}/remove", {"confirm": "yes"})
    solo = run(Account.select(Account.active).where(Account.id == people["solo"]).first())
    assert solo["active"] is False and run(LoginSession.count().where(LoginSession.account == people["solo"])) == 0
    yourself = _post(client, f"/lead/anew/people/{people['lead']}/remove", {"confirm": "yes"})
    assert yourself.status_code == 400 and "remove yourself" in yourself.text


def test_role_changes_and_links_only_for_people_who_work_here_alone(client, people):
    sign_in(client, "lead@anew.example", PASSWORD)
    made = _post(client, f"/lead/anew/people/{people['solo']}/role", {"role": "lead"})
    assert made.status_code == 303
    assert run(Account.select(Account.role).where(Account.id == people["solo"]).first())["role"] == "lead"
    refused = _post(client, f"/lead/anew/people/{people['both']}/role", {"role": "lead"})
    assert refused.status_code == 400 and "also works elsewhere" in refused.text
    link = _post(client, f"/lead/anew/people/{people['solo']}/password-link", {})
    assert link.status_code == 200 and "/lead/password/" in link.text
    refused = _post(client, f"/lead/anew/people/{people['both']}/password-link", {})
    assert refused.status_code == 400 and "/lead/password/" not in refused.text
    assert "password reset link made" in _actions()


def test_viewers_cant_open_the_people_page(client, people):
    sign_in(client, "solo@anew.example", PASSWORD)
    assert client.get("/lead/anew/people/").status_code == 403
