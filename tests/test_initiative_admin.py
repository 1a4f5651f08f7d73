"""Admins set up initiatives from the web: a fresh service starts empty, a fourth initiative
is made from a pack in the browser's forms, a session is created, a parent answers in Polish,
and the lead downloads the summary. No Python changes for a new initiative."""

from __future__ import annotations

import html
import re

import pytest

from surveys import accounts, audit
from surveys.initiatives import by_slug
from surveys.tables import Initiative, Questionnaire, Response
from tests.support import answer_pages, form_data, hidden_fields, run


def _csrf(page_text: str) -> str:
    return re.search(r'name="_csrf_token" value="([^"]+)"', page_text).group(1)


def _sign_in(client, email: str, password: str = "correct horse"):
    form = client.get("/lead/login")
    return client.post(
        "/lead/login",
        data={"email": email, "password": password, "_csrf_token": _csrf(form.text)},
        follow_redirects=False,
    )


@pytest.fixture
def admin(empty_client):
    client = empty_client
    run(accounts.add_account("admin@heard.example", "correct horse", "admin"))
    assert _sign_in(client, "admin@heard.example").status_code in (302, 303)
    return client


def _create(client, **fields):
    page = client.get("/lead/admin/initiatives/")
    return client.post(
        "/lead/admin/initiatives/", data={"_csrf_token": _csrf(page.text), **fields}, follow_redirects=False
    )


def test_an_admin_on_a_new_service_makes_an_initiative_from_a_pack_and_runs_it(admin):
    home = admin.get("/lead/")
    assert "Create your first initiative" in home.text and "/lead/admin/initiatives/" in home.text
    page = admin.get("/lead/admin/initiatives/")
    assert page.status_code == 200
    assert "Parent and carer group programme" in page.text and "Start blank" in page.text
    made = _create(admin, name="Together to Thrive", slug="", pack="generic-parent-group")
    assert made.status_code == 303 and made.headers["location"] == "/lead/admin/initiatives/?created=together-to-thrive"
    done = admin.get(made.headers["location"])
    assert "Together to Thrive is set up" in done.text and "/lead/together-to-thrive/sessions/new" in done.text
    initiative = run(by_slug("together-to-thrive"))
    assert initiative["pack"] == "generic-parent-group"
    events = run(audit.events())
    assert any(e["action"] == "initiative created" and e["actor"] == "admin@heard.example" for e in events)

    # A session for the after-session form, a parent answering on a phone in Polish.
    form = admin.get("/lead/together-to-thrive/sessions/new")
    assert "After the session" in form.text
    session = admin.post(
        "/lead/together-to-thrive/sessions/new",
        follow_redirects=False,
        data={
            "_csrf_token": _csrf(form.text),
            "questionnaire": "parent-group-after-session",
            "audience": "parent",
            "phase": "after",
            "site": "Whitfield Community Centre",
        },
    )
    assert session.status_code == 303
    token = session.headers["location"].rsplit("/", 1)[1].replace("-", "")
    phone = admin.get(f"/s/{token}?lang=pl")
    assert phone.status_code == 200 and 'lang="pl"' in phone.text
    page = admin.post(f"/s/{token}", data=form_data(hidden_fields(phone.text), nav="next", lang="pl"))
    assert "Czy podobały Ci się dzisiejsze zajęcia?" in page.text  # the pack's question, in Polish
    page = answer_pages(
        admin,
        f"/s/{token}",
        page.text,
        [
            {"enjoyed": "yes"},
            {"child_enjoyed": "yes"},
            {"listened": "yes"},
            {"helpful": "partly"},
            {"best": "Malowanie razem"},
            {"better": ""},
        ],
        lang="pl",
    )
    assert page.status_code == 303
    stored = run(Response.select(Response.language).where(Response.initiative == initiative["id"]))
    assert stored == [{"language": "pl"}]

    # The lead's summary of it, as a Word document.
    summary = admin.get("/lead/together-to-thrive/summary/download/docx")
    assert summary.status_code == 200 and summary.content[:2] == b"PK"


@pytest.mark.parametrize(
    "fields, field, words",
    [
        ({"name": "", "pack": "generic-parent-group"}, "name", "Enter the initiative's name"),
        ({"name": "Together", "slug": "Not A Slug!", "pack": ""}, "slug", "lower-case letters"),
        ({"name": "Together", "pack": "../anew"}, "pack", "no pack called"),
    ],
)
def test_a_mistake_is_shown_in_an_error_summary_and_nothing_is_made(admin, fields, field, words):
    refused = _create(admin, **fields)
    assert refused.status_code == 400
    assert "<title>Error:" in refused.text and "There is a problem" in refused.text
    assert f'href="#{field}"' in refused.text and f'id="{field}"' in refused.text
    assert words in html.unescape(refused.text)
    assert run(Initiative.count()) == 0 and run(Questionnaire.count()) == 0


def test_a_duplicate_name_or_address_is_refused(admin):
    assert _create(admin, name="Together to Thrive", pack="generic-children-tablet").status_code == 303
    again = _create(admin, name="together to thrive", pack="")
    assert again.status_code == 400 and "There is already an initiative called together to thrive" in html.unescape(
        again.text
    )
    taken = _create(admin, name="Another", slug="together-to-thrive", pack="")
    assert taken.status_code == 400 and "already used by another initiative" in taken.text
    assert run(Initiative.count()) == 1


def test_rename_and_archive_from_the_web_and_only_admins_may(admin):
    assert _create(admin, name="Together to Thrive", pack="generic-children-tablet").status_code == 303
    page = admin.get("/lead/admin/initiatives/")
    renamed = admin.post(
        "/lead/admin/initiatives/together-to-thrive/rename",
        follow_redirects=False,
        data={"_csrf_token": _csrf(page.text), "name": "Together to Thrive Dundee"},
    )
    assert renamed.status_code == 303 and run(by_slug("together-to-thrive"))["name"] == "Together to Thrive Dundee"
    asked = admin.post(
        "/lead/admin/initiatives/together-to-thrive/archive",
        data={"_csrf_token": _csrf(page.text), "archived": "yes"},
    )
    assert asked.status_code == 200 and "Archive together-to-thrive?" in asked.text
    assert run(by_slug("together-to-thrive"))["archived_at"] is None  # not until it is confirmed
    archived = admin.post(
        "/lead/admin/initiatives/together-to-thrive/archive",
        follow_redirects=False,
        data={"_csrf_token": _csrf(page.text), "archived": "yes", "confirm": "yes"},
    )
    assert archived.status_code == 303 and run(by_slug("together-to-thrive"))["archived_at"] is not None
    assert "Restore Together to Thrive Dundee" in admin.get("/lead/admin/initiatives/").text
    home = admin.get("/lead/").text  # still listed for its answers, marked and after the open ones
    assert re.search(r"Together to Thrive Dundee</a> <strong class=\"tag\">Archived</strong>", home)
    form = admin.get("/lead/together-to-thrive/sessions/new")
    refused = admin.post(
        "/lead/together-to-thrive/sessions/new",
        data={
            "_csrf_token": _csrf(form.text),
            "questionnaire": "children-check-in-out",
            "audience": "child",
            "phase": "before",
        },
    )
    assert refused.status_code == 409 and "archived" in refused.text
    without_csrf = admin.post("/lead/admin/initiatives/together-to-thrive/archive", data={"archived": "no"})
    assert without_csrf.status_code == 403
    actions = [e["action"] for e in run(audit.events())]
    assert "initiative renamed" in actions and "initiative archived" in actions

    run(accounts.add_account("lead@ttt.example", "correct horse", "lead", ["together-to-thrive"]))
    admin.cookies.clear()
    assert _sign_in(admin, "lead@ttt.example").status_code in (302, 303)
    assert admin.get("/lead/admin/initiatives/").status_code == 403
