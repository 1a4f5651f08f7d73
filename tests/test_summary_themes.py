"""People's words reach the partner summary only when consented and approved (issues 6 and 7).

A consented answer goes redact → theme → approve → appears as a quote under its theme; an
unconsented one counts for its theme but never appears.
"""

from __future__ import annotations

import uuid

import pytest

from surveys import accounts
from surveys.tables import Answer, Session
from tests.support import run, themed
from tests.test_lead_pages import sign_in

CHOICES = {"listened": "yes", "next_steps": "yes", "helpful": "yes", "child_views": "yes"}
CONSENTED = "Everyone listened to me and nobody talked over me, said Kirsty"
UNCONSENTED = "I felt listened to but the room was far too cold for us"


@pytest.fixture
def anew(db):
    from surveys.demo import ensure_demo_sessions, generate_responses

    sessions = run(ensure_demo_sessions())
    run(generate_responses(12, seed=5))  # enough people that quotes may be shown at all
    run(accounts.add_account("lead@anew.example", "correct horse", "lead", ["anew"]))
    return sessions["anew"]


def _submit(client, token, text, consent):
    answers = {**CHOICES, "better": text, **({"better.consent": "yes"} if consent else {})}
    body = {"submission_id": str(uuid.uuid4()), "answers": answers}
    assert client.post(f"/api/v1/sessions/{token}/responses", json=body).status_code == 201
    return run(Answer.select(Answer.id, Answer.text).where(Answer.text.like("%listened to%"))
               .order_by(Answer.id, ascending=False).first())


def test_consented_approved_quote_appears_in_the_summary_unconsented_never(client, anew):
    from voice.analysis import theme_counts
    from voice.quotes import NotQuotable, approve

    consented = _submit(client, anew["token"], CONSENTED, consent=True)
    unconsented = _submit(client, anew["token"], UNCONSENTED, consent=False)
    assert "Kirsty" not in consented["text"] and "[name]" in consented["text"]  # redacted on arrival
    # Themed after commit, by the app's theming worker.
    themed(client)
    counts = run(theme_counts(anew["initiative"]))
    assert counts.get("listened-to", 0) >= 2
    run(approve(anew["initiative"], consented["id"], actor="lead@anew.example"))
    with pytest.raises(NotQuotable):
        run(approve(anew["initiative"], unconsented["id"], actor="lead@anew.example"))

    sign_in(client, "lead@anew.example", "correct horse")
    page = client.get("/lead/anew/summary/")
    assert page.status_code == 200
    assert "nobody talked over me" in page.text
    assert "[name]" in page.text and "Kirsty" not in page.text
    assert "far too cold" not in page.text


def test_reach_opens_the_summary_and_its_exports(client, anew):
    import io

    from docx import Document

    sign_in(client, "lead@anew.example", "correct horse")
    page = client.get("/lead/anew/summary/")
    assert "Reach" in page.text and "sessions" in page.text.lower()
    docx = client.get("/lead/anew/summary/download/docx")
    assert docx.status_code == 200
    text = "\n".join(cell.text for table in Document(io.BytesIO(docx.content)).tables
                     for row in table.rows for cell in row.cells)
    assert "Where it comes from" in text


def test_theme_counts_and_quotes_follow_the_summary_filters(client, anew):
    """A summary for one site counts that site's answers under each theme, and quotes only them."""
    from surveys.sessions import create_session
    from surveys.summary import Filters
    from voice.analysis import theme_counts, theme_unthemed
    from voice.quotes import approve

    other = run(create_session(anew["initiative"], anew["questionnaire_version"], audience="parent",
                               phase="after", site="Other family centre"))
    here = run(Session.select(Session.site).where(Session.token == anew["token"]).first())["site"]
    quoted = _submit(client, anew["token"], CONSENTED, consent=True)
    _submit(client, other["token"], "They listened to me at the other centre", consent=False)
    _submit(client, other["token"], "I was listened to, and the tea was good", consent=False)
    themed(client)
    run(theme_unthemed(anew["initiative"]))  # the demo's own answers too
    run(approve(anew["initiative"], quoted["id"], actor="lead@anew.example"))

    everywhere = run(theme_counts(anew["initiative"]))["listened-to"]
    only_here = run(theme_counts(anew["initiative"], Filters(site=here)))["listened-to"]
    only_other = run(theme_counts(anew["initiative"], Filters(site="Other family centre")))["listened-to"]
    assert only_other == 2 and everywhere == only_here + only_other
    from frontend.documents.summary_themes import summary_themes

    def listened(filters):
        return next(t for t in run(summary_themes(anew["initiative"], filters)) if t.key == "listened-to")

    assert listened(Filters(site=here)).mentions == only_here
    assert listened(Filters(site="Other family centre")).mentions == 2
    assert any("nobody talked over me" in q for q in listened(Filters(site=here)).quotes)
    assert listened(Filters(site="Other family centre")).quotes == ()  # its answers were not consented
