"""Each audited action records itself in the domain, with the actor it is given (issue 22).

The actions are called directly, as a page or a CLI command would call them, with no HTTP: each
leaves its entry (action, actor, initiative) and that entry names things and counts, never an
answer, a password, a link's token or a code. A last test keeps ``audit.record`` out of the faces,
so a new page or command can't forget to audit: it calls the action, which remembers.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from pathlib import Path

import pyotp
import pytest

from surveys import accounts, audit, credentials, sharing, tokens
from surveys.comparisons import add_comparison, measures_of, remove_comparison
from surveys.demo import ensure_demo_sessions
from surveys.initiatives import archive_initiative, by_slug, create_initiative, rename_initiative
from surveys.practitioners import add_partner, partners_of, remove_partner
from surveys.questionnaires import parse_definition
from surveys.responses import submit
from surveys.sessions import close_session, create_session, delete_session, open_session, reopen_session, update_session
from surveys.summary import Filters
from surveys.tables import Answer, AuditEvent
from surveys.versions import definition_of, import_definition, latest_version, questionnaires_of
from tests.support import run
from voice import analysis
from voice.codebook_versions import ignore_proposal

ROOT = Path(__file__).resolve().parent.parent
ANSWER = "My son Callum loves the Tuesday group"  # an answer's words: never on the audit log
PASSWORD = "correct horse battery"  # nosec B105 # a test password


def entries_since(mark: int) -> list[dict]:
    return run(AuditEvent.select().where(AuditEvent.id > mark).order_by(AuditEvent.id))


def last_id() -> int:
    row = run(AuditEvent.select(AuditEvent.id).order_by(AuditEvent.id, ascending=False).first())
    return row["id"] if row else 0


def one(mark: int, action: str, actor: str, initiative_id: int | None, *secrets: str) -> dict:
    """The single entry written since ``mark``: its fields, and none of ``secrets`` (nor an answer)."""
    written = entries_since(mark)
    assert [(e["action"], e["actor"], e["initiative"]) for e in written] == [(action, actor, initiative_id)]
    clean(written[0]["detail"], *secrets)
    return written[0]


def clean(detail: str, *secrets: str) -> None:
    for secret in (ANSWER, "Callum", PASSWORD, *secrets):
        assert secret and secret not in detail, f"{secret!r} is on the audit log: {detail!r}"


@pytest.fixture
def anew(db):
    return run(by_slug("anew"))


@pytest.fixture
def lead(anew):
    account_id = run(accounts.add_account("lead@anew.example", PASSWORD, "lead", ["anew"]))
    return account_id


# -- accounts and sign-in --------------------------------------------------------------------


def test_sign_in_events_record_the_email_typed_and_nothing_else(lead):
    mark = last_id()
    token = run(accounts.sign_in(lead, " Lead@ANEW.example ", detail="with a second factor"))
    entry = one(mark, "signed in", "lead@anew.example", None, token)
    assert entry["detail"] == "with a second factor"

    mark = last_id()
    run(accounts.sign_in_failed("Lead@anew.example"))
    one(mark, "sign-in failed", "lead@anew.example", None)

    mark = last_id()
    run(accounts.sign_in_refused("lead@anew.example"))
    assert one(mark, "sign-in refused", "lead@anew.example", None)["detail"] == "too many failed attempts"


def test_signing_out_everywhere_says_how_many_and_whose(lead):
    token = run(accounts.sign_in(lead, "lead@anew.example"))
    mark = last_id()
    assert run(accounts.sign_out_everywhere(lead, actor="lead@anew.example", own=True)) == 1
    assert one(mark, "signed out everywhere", "lead@anew.example", None, token)["detail"] == "1 sign-ins ended"

    mark = last_id()
    run(accounts.sign_out_everywhere(lead, actor="admin@example.org", own=False))
    entry = one(mark, "signed out everywhere", "admin@example.org", None)
    assert entry["detail"] == "lead@anew.example: 0 sign-ins ended"


def test_an_access_change_is_recorded_once_for_each_initiative_touched(lead, anew):
    cmhwf = run(by_slug("cmhwf"))
    mark = last_id()
    run(
        accounts.change_access(
            lead, role="viewer", initiative_slugs=["cmhwf"], active=True, totp_required=True, actor="admin@example.org"
        )
    )
    written = entries_since(mark)
    assert sorted((e["action"], e["actor"], e["initiative"]) for e in written) == sorted(
        [("access changed", "admin@example.org", anew["id"]), ("access changed", "admin@example.org", cmhwf["id"])]
    )
    assert written[0]["detail"] == (
        "lead@anew.example: role: lead → viewer; initiatives: anew → cmhwf; totp_required: no → yes"
    )
    mark = last_id()
    run(
        accounts.change_access(
            lead, role="viewer", initiative_slugs=["cmhwf"], active=True, totp_required=True, actor="admin@example.org"
        )
    )
    assert entries_since(mark) == []  # nothing changed, nothing recorded


def test_password_links_and_setting_a_password(lead, anew):
    mark = last_id()
    token = run(credentials.reset_link(lead, actor="admin@example.org"))
    assert one(mark, "password reset link made", "admin@example.org", None, token)["detail"] == "for lead@anew.example"

    mark = last_id()
    token = run(credentials.reset_link(lead, actor="other@anew.example", initiative_id=anew["id"]))
    one(mark, "password reset link made", "other@anew.example", anew["id"], token)

    mark = last_id()
    token = run(credentials.reset_link_for_email(" LEAD@anew.example", actor="cli"))
    assert one(mark, "password reset link made", "cli", None, token)["detail"] == "for lead@anew.example"
    assert run(credentials.reset_link_for_email("nobody@anew.example", actor="cli")) is None

    mark = last_id()
    run(credentials.set_password_with(token, PASSWORD + "!", PASSWORD + "!"))
    entry = one(mark, "password set", "lead@anew.example", None, token, PASSWORD + "!")
    assert entry["detail"] == "with a one-time link"


def test_the_second_factor(lead):
    secret, _ = run(credentials.start_enrolment(lead))
    mark = last_id()
    assert run(credentials.second_step(lead, "lead@anew.example", "12345")) == (False, True)
    one(mark, "second factor failed", "lead@anew.example", None, secret)

    code = pyotp.TOTP(secret).now()
    mark = last_id()
    assert run(credentials.second_step(lead, "lead@anew.example", code)) == (True, True)
    one(mark, "second factor set up", "lead@anew.example", None, secret, code)

    mark = last_id()
    run(credentials.remove_second_factor(lead, actor="lead@anew.example"))
    one(mark, "second factor removed", "lead@anew.example", None, secret)

    secret, _ = run(credentials.start_enrolment(lead))
    code = pyotp.TOTP(secret).now()
    mark = last_id()
    assert run(credentials.confirm_enrolment(lead, code, actor="lead@anew.example"))
    one(mark, "second factor set up", "lead@anew.example", None, secret, code)

    mark = last_id()
    run(credentials.reset_second_factor(lead, actor="admin@example.org"))
    assert one(mark, "second factor reset", "admin@example.org", None, secret)["detail"] == "for lead@anew.example"


# -- initiatives, questionnaires and sessions --------------------------------------------------


def test_initiatives(db):
    mark = last_id()
    row = run(create_initiative("Harbour Families", actor="admin@example.org"))
    assert one(mark, "initiative created", "admin@example.org", row["id"])["detail"] == "blank"

    mark = last_id()
    run(rename_initiative(row["slug"], "Harbour Families Dundee", actor="cli"))
    assert one(mark, "initiative renamed", "cli", row["id"])["detail"] == "Harbour Families → Harbour Families Dundee"

    mark = last_id()
    run(archive_initiative(row["slug"], actor="admin@example.org"))
    one(mark, "initiative archived", "admin@example.org", row["id"])
    mark = last_id()
    run(archive_initiative(row["slug"], archived=False, actor="cli"))
    one(mark, "initiative restored", "cli", row["id"])

    mark = last_id()
    run(create_initiative("Unrecorded", slug="unrecorded"))  # demo data and tests: no actor, no entry
    assert entries_since(mark) == []


def test_a_questionnaire_import_is_recorded_when_it_makes_a_version(anew):
    questionnaire = run(questionnaires_of(anew["id"]))[0]
    definition = run(definition_of(run(latest_version(questionnaire["id"]))["id"]))
    changed = parse_definition({**dict(definition.raw), "title": definition.title + " (new)"}, "q.toml")
    mark = last_id()
    version, created = run(import_definition(anew["id"], changed, source="q.toml", actor="lead@anew.example"))
    assert created
    entry = one(mark, "questionnaire imported", "lead@anew.example", anew["id"])
    assert entry["detail"] == f"{definition.slug} version {version['number']}"
    mark = last_id()
    assert not run(import_definition(anew["id"], changed, source="q.toml", actor="lead@anew.example"))[1]
    assert entries_since(mark) == []  # the same file again changes nothing


def test_sessions(anew):
    questionnaire = run(questionnaires_of(anew["id"]))[0]
    version = run(latest_version(questionnaire["id"]))
    mark = last_id()
    row = run(create_session(anew["id"], version["id"], audience=questionnaire["audience"], site="Hall", actor="cli"))
    entry = one(mark, "session created", "cli", anew["id"])
    assert entry["detail"] == f"{questionnaire['slug']} version {version['number']}, {questionnaire['audience']}"

    shown = tokens.display(row["token"])
    mark = last_id()
    run(
        update_session(
            row["id"],
            site="Hall",
            held_on=dt.date(2026, 11, 23),
            opens_at=None,
            closes_at=None,
            actor="lead@anew.example",
        )
    )
    assert one(mark, "session changed", "lead@anew.example", anew["id"])["detail"] == f"{shown}: held_on"

    mark = last_id()
    run(close_session(row["id"], actor="lead@anew.example"))
    assert one(mark, "session closed", "lead@anew.example", anew["id"])["detail"] == shown

    until = dt.datetime(2099, 11, 23, 10, 0, tzinfo=dt.UTC)
    mark = last_id()
    run(reopen_session(row["id"], until=until, actor="lead@anew.example"))
    detail = one(mark, "session reopened", "lead@anew.example", anew["id"])["detail"]
    assert detail == f"{shown} until Monday 23 November 2099, 10:00"
    mark = last_id()
    run(reopen_session(row["id"], actor="lead@anew.example"))
    assert one(mark, "session reopened", "lead@anew.example", anew["id"])["detail"] == f"{shown} until no closing time"

    mark = last_id()
    run(delete_session(row["id"], actor="lead@anew.example"))
    assert one(mark, "session deleted", "lead@anew.example", anew["id"])["detail"] == shown


# -- reach, partners, shared links ---------------------------------------------------------------


def test_comparisons_and_delivery_partners(db):
    cmhwf = run(by_slug("cmhwf"))
    known = {m.key for m in run(measures_of(cmhwf["id"]))}
    key = sorted(known)[0]
    mark = last_id()
    added = run(
        add_comparison(
            cmhwf["id"], key, "35", "across Dundee", "Survey 2024", "2024", known, actor="lead@cmhwf.example"
        )
    )
    assert (
        one(mark, "comparison added", "lead@cmhwf.example", cmhwf["id"])["detail"]
        == f"{key}: 35.0% (Survey 2024, 2024)"
    )
    mark = last_id()
    run(remove_comparison(cmhwf["id"], added.id, actor="lead@cmhwf.example"))
    assert one(mark, "comparison removed", "lead@cmhwf.example", cmhwf["id"])["detail"] == f"comparison {added.id}"

    mark = last_id()
    partner = run(add_partner(cmhwf["id"], "  Harbour   youth trust ", actor="lead@cmhwf.example"))
    assert one(mark, "delivery partner added", "lead@cmhwf.example", cmhwf["id"])["detail"] == partner.name
    mark = last_id()
    run(remove_partner(cmhwf["id"], partner.id, actor="lead@cmhwf.example"))
    one(mark, "delivery partner removed", "lead@cmhwf.example", cmhwf["id"])
    assert partner.id not in {p.id for p in run(partners_of(cmhwf["id"]))}


def test_shared_summary_links(anew):
    mark = last_id()
    token, row = run(
        sharing.create_link(anew["id"], Filters(), days=7, created_by="lead@anew.example", actor="lead@anew.example")
    )
    assert one(mark, "summary link made", "lead@anew.example", anew["id"], token)["detail"] == "expires in 7 days"
    mark = last_id()
    assert run(sharing.revoke(anew["id"], row["id"], actor="lead@anew.example"))
    assert one(mark, "summary link revoked", "lead@anew.example", anew["id"], token)["detail"] == f"link {row['id']}"


# -- free text ---------------------------------------------------------------------------------


def _an_answer(initiative: dict) -> None:
    """One response with a written answer (the words the audit log must never hold)."""
    session = run(ensure_demo_sessions())[initiative["slug"]]
    opened = run(open_session(session["token"]))
    choices = {"listened": "yes", "next_steps": "partly", "helpful": "yes", "child_views": "not_sure"}
    run(submit(opened, uuid.uuid4(), {**choices, "better": ANSWER}))
    assert run(Answer.count().where(Answer.text == ANSWER))


def test_rethemeing_and_ignoring_a_suggested_theme(anew):
    _an_answer(anew)
    mark = last_id()
    n = run(analysis.retheme(anew["id"], actor="lead@anew.example"))
    entry = one(mark, "answers re-themed", "lead@anew.example", anew["id"])
    assert re.fullmatch(rf"{n} answers with codebook version \d+", entry["detail"])
    mark = last_id()
    run(analysis.retheme(anew["id"], [1], actor="lead@anew.example"))  # one answer: not an event of its own
    assert entries_since(mark) == []

    mark = last_id()
    assert run(ignore_proposal(anew["id"], "tuesday group", actor="lead@anew.example"))
    assert one(mark, "suggested theme ignored", "lead@anew.example", anew["id"])["detail"] == "tuesday group"
    mark = last_id()
    assert not run(ignore_proposal(anew["id"], "Tuesday Group", actor="lead@anew.example"))
    assert entries_since(mark) == []


# -- a face's own events -----------------------------------------------------------------------


def test_downloads_exports_and_cards(anew):
    mark = last_id()
    run(audit.audit_log_downloaded(actor="admin@example.org"))
    one(mark, "audit log downloaded", "admin@example.org", None)
    mark = last_id()
    run(audit.audit_log_downloaded(actor="lead@anew.example", initiative_id=anew["id"]))
    one(mark, "audit log downloaded", "lead@anew.example", anew["id"])

    mark = last_id()
    run(audit.responses_downloaded(anew["id"], "CSV", actor="lead@anew.example"))
    assert one(mark, "responses downloaded", "lead@anew.example", anew["id"])["detail"] == "CSV"

    mark = last_id()
    run(audit.summary_exported(anew["id"], "pdf", "site=Hall", actor="cli"))
    assert one(mark, "summary exported (pdf)", "cli", anew["id"])["detail"] == "site=Hall"

    mark = last_id()
    run(audit.cards_printed(anew["id"], 30, actor="lead@anew.example"))
    assert one(mark, "participant cards printed", "lead@anew.example", anew["id"])["detail"] == "30 cards"


# -- the faces call actions, not audit.record ------------------------------------------------------

# Each exception is named with why. Nothing else in frontend/ may call audit.record.
ALLOWED: dict[str, int] = {}


def test_the_faces_leave_auditing_to_the_actions():
    found: dict[str, int] = {}
    for path in sorted((ROOT / "frontend").rglob("*.py")):
        n = len(re.findall(r"\baudit\.record\(", path.read_text(encoding="utf-8")))
        if n:
            found[path.relative_to(ROOT).as_posix()] = n
    assert found == ALLOWED, (
        "A page or CLI command calls audit.record: call the domain action with actor=..., which records "
        "itself (or a named event in surveys/audit.py for a face's own event)"
    )
