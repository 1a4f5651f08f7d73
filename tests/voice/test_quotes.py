"""People's words from answer to partner output: redact, theme after commit, moderate, quote.

Runs on both engines. A consented answer goes redact -> theme -> approve -> ``approved_quotes``;
an unconsented one counts for its theme but never appears, even if a decision row says approved.
"""

from __future__ import annotations

import re
import uuid

import pytest

from surveys import accounts
from surveys.audit import events
from surveys.responses import submit
from surveys.sessions import open_session
from surveys.tables import Answer, Initiative
from tests.support import form_data, hidden_fields, run, themed
from voice import analysis, quotes
from voice.codebook_versions import current_codebook
from voice.tables import AnswerAnalysis, AnswerTheme, CodebookVersion, QuoteRevision
from voice.themes import default_codebook, match_themes

ANEW_CHOICES = [("listened", "yes"), ("next_steps", "partly"), ("helpful", "yes"), ("child_views", "not_sure")]


SHIPPED = default_codebook("anew").version  # the version an initiative's codebook is seeded with


@pytest.fixture
def anew(db):
    from surveys.demo import ensure_demo_sessions

    sessions = run(ensure_demo_sessions())
    run(accounts.add_account("lead@anew.example", "correct horse", "lead", ["anew"]))
    run(accounts.add_account("lead@cmhwf.example", "battery staple", "lead", ["cmhwf"]))
    run(accounts.add_account("viewer@anew.example", "just looking", "viewer", ["anew"]))
    return sessions["anew"]


def sign_in(client, email, password):
    form = client.get("/lead/login")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', form.text).group(1)
    response = client.post("/lead/login", data={"email": email, "password": password, "_csrf_token": token},
                           follow_redirects=False)
    assert response.status_code == 303
    return token


def csrf(client, path="/lead/anew/quotes"):
    page = client.get(path)
    assert page.status_code == 200, page.text
    return re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)


def answer_anew(client, token, text, *, consent, files=None):
    """Walk the ANEW parent form without JavaScript, writing ``text`` for "What would have made it better?"."""
    page = client.get(f"/s/{token}")
    page = client.post(f"/s/{token}", data=form_data(hidden_fields(page.text), nav="next"))
    for key, value in ANEW_CHOICES:
        page = client.post(f"/s/{token}", data=form_data(hidden_fields(page.text), nav="next", **{key: value}))
    assert "What would have made it better?" in page.text
    fields = {"better": text}
    if consent:
        fields["better.consent"] = "yes"
    last = client.post(f"/s/{token}", data=form_data(hidden_fields(page.text), nav="next", **fields),
                       files=files, follow_redirects=False)
    assert last.status_code == 303, last.text
    themed(client)  # as a lead would find it a moment later: themed by the app's worker
    return last


def add_plain_responses(token, n):
    """``n`` more ANEW responses without free text, so the group is big enough to quote from."""
    session = run(open_session(token))
    for _ in range(n):
        run(submit(session, uuid.uuid4(), dict(ANEW_CHOICES)))


def anew_id():
    return run(Initiative.select(Initiative.id).where(Initiative.slug == "anew").first())["id"]


def text_answers():
    return run(Answer.select().where(Answer.text.is_not_null()).order_by(Answer.id))


def test_consented_quote_travels_and_unconsented_only_counts(client, anew):
    token = anew["token"]
    add_plain_responses(token, 10)
    answer_anew(client, token, "My son Callum said it felt good not to be interrupted. Nobody listened before.",
                consent=True)
    answer_anew(client, token, "They never listened to me, email me at jo.bloggs@example.com", consent=False)
    consented, unconsented = text_answers()
    # Redacted before storage.
    assert "Callum" not in consented["text"] and "[name]" in consented["text"]
    assert "[email]" in unconsented["text"]
    # Themed by the app's worker after the response was stored.
    themes = run(AnswerTheme.select().order_by(AnswerTheme.answer))
    assert {(t["answer"], t["theme_key"]) for t in themes} >= {
        (consented["id"], "listened-to"), (unconsented["id"], "listened-to")}
    assert all(t["codebook_version"] == SHIPPED for t in themes)
    assert run(AnswerAnalysis.count()) == 2
    assert run(analysis.theme_counts(anew_id()))["listened-to"] == 2

    sign_in(client, "lead@anew.example", "correct horse")
    page = client.get("/lead/anew/quotes")
    assert page.status_code == 200
    assert '<mark class="redacted" title="redacted">[name]</mark>' in page.text
    assert "rough computer guess" in page.text
    assert "did not agree: counts for themes only" in page.text
    assert f'/lead/anew/quotes/{unconsented["id"]}/approve' not in page.text  # no approve button
    assert "Being listened to" in page.text
    token_csrf = csrf(client)

    # No quote before approval.
    assert run(quotes.approved_quotes(anew_id())) == []
    refused = client.post(f"/lead/anew/quotes/{unconsented['id']}/approve",
                          data={"_csrf_token": token_csrf, "text": unconsented["text"]})
    assert refused.status_code == 400
    trimmed = "It felt good not to be interrupted."
    approved = client.post(f"/lead/anew/quotes/{consented['id']}/approve",
                           data={"_csrf_token": token_csrf, "text": trimmed}, follow_redirects=False)
    assert approved.status_code == 303

    found = run(quotes.approved_quotes(anew_id()))
    assert len(found) == 1
    assert found[0].text == trimmed
    assert re.fullmatch(r"Parent, ANEW, \d{4}", found[0].attribution)
    assert "listened-to" in found[0].themes
    assert [q.answer_id for q in run(quotes.approved_quotes(anew_id(), theme_key="listened-to"))] == [consented["id"]]
    assert run(quotes.approved_quotes(anew_id(), theme_key="practical-help")) == []
    # The lead's edit is a revision; the stored redacted answer is untouched for audit.
    assert run(Answer.select(Answer.text).where(Answer.id == consented["id"]).first())["text"] == consented["text"]
    assert [r["text"] for r in run(quotes.revisions(consented["id"]))] == [trimmed]

    # Even a stray approval row can't publish an unconsented answer.
    run(QuoteRevision.insert(QuoteRevision(answer=unconsented["id"], number=1, status="approved",
                                           text=unconsented["text"], decided_by="someone")))
    assert [q.answer_id for q in run(quotes.approved_quotes(anew_id(), limit=10))] == [consented["id"]]

    # Rejecting later withdraws it; both decisions are audited without the words.
    client.post(f"/lead/anew/quotes/{consented['id']}/reject", data={"_csrf_token": token_csrf})
    assert run(quotes.approved_quotes(anew_id())) == []
    logged = run(events(initiative_ids=[anew_id()]))
    actions = [e["action"] for e in logged]
    assert "quote approved" in actions and "quote rejected" in actions
    assert all("interrupted" not in e["detail"] for e in logged)
    assert next(e for e in logged if e["action"] == "quote approved")["actor"] == "lead@anew.example"


def test_lead_edit_is_redacted_again(client, anew):
    add_plain_responses(anew["token"], 10)
    answer_anew(client, anew["token"], "The worker was kind and I felt listened to.", consent=True)
    answer = text_answers()[0]
    wording = run(quotes.approve(anew_id(), answer["id"], actor="lead@anew.example",
                                 text="The worker was kind, ring 07700 900123"))
    assert "07700" not in wording and "[phone]" in wording


def test_quotes_are_withheld_from_a_small_group(client, anew):
    answer_anew(client, anew["token"], "I felt listened to for once.", consent=True)
    answer = text_answers()[0]
    run(quotes.approve(anew_id(), answer["id"], actor="lead@anew.example"))
    # One response is below the initiative's threshold (10): quoting could identify the writer.
    assert run(quotes.approved_quotes(anew_id())) == []
    add_plain_responses(anew["token"], 9)
    assert [q.answer_id for q in run(quotes.approved_quotes(anew_id()))] == [answer["id"]]


def test_other_initiatives_and_viewers_cannot_moderate(client, anew):
    answer_anew(client, anew["token"], "I felt listened to.", consent=True)
    answer = text_answers()[0]
    sign_in(client, "lead@cmhwf.example", "battery staple")
    assert client.get("/lead/anew/quotes").status_code == 404
    token = csrf(client, "/lead/cmhwf/quotes")
    # An ANEW answer id through the CMHWF pages is simply not found.
    assert client.post(f"/lead/cmhwf/quotes/{answer['id']}/approve", data={"_csrf_token": token}).status_code == 404
    client.cookies.clear()
    sign_in(client, "viewer@anew.example", "just looking")
    # A viewer reads summaries only: the moderation queue (raw answers) is not theirs to open.
    assert client.get("/lead/anew/quotes").status_code == 403
    token = csrf(client, "/lead/anew/summary/")
    assert client.post(f"/lead/anew/quotes/{answer['id']}/approve", data={"_csrf_token": token}).status_code == 403
    assert run(QuoteRevision.count()) == 0


def test_stop_list_names_are_redacted_in_new_answers(client, anew):
    sign_in(client, "lead@anew.example", "correct horse")
    token = csrf(client, "/lead/anew/codebook")
    added = client.post("/lead/anew/stop-list", data={"_csrf_token": token, "name": "Kowalska"},
                        follow_redirects=False)
    assert added.status_code == 303
    assert "Kowalska" in client.get("/lead/anew/codebook").text
    answer_anew(client, anew["token"], "kowalska at the meeting really listened", consent=True)
    assert text_answers()[0]["text"] == "[name] at the meeting really listened"
    # The audit log says a name was added, never which.
    assert all("Kowalska" not in e["detail"] for e in run(events()))


def test_codebook_edits_are_new_versions_and_rethemed_on_demand(client, anew):
    answer_anew(client, anew["token"], "The bus fare was too dear to get there.", consent=False)
    answer = text_answers()[0]
    assert run(AnswerTheme.count().where(AnswerTheme.theme_key == "travel")) == 0
    sign_in(client, "lead@anew.example", "correct horse")
    token = csrf(client, "/lead/anew/codebook")
    assert run(CodebookVersion.count()) == 1  # seeded from surveys/packs/anew/codebook.toml on first use
    client.post("/lead/anew/codebook/themes",
                data={"_csrf_token": token, "name": "Travel", "description": "Getting there", "keywords": "bus\ntaxi"})
    codebook = run(current_codebook(anew_id()))
    assert codebook.version == SHIPPED + 1 and codebook.themes[-1].key == "travel"
    assert codebook.themes[-1].keywords == ("bus", "taxi")
    page = client.get("/lead/anew/quotes")
    assert "1 answer was themed with an older codebook." in page.text
    client.post("/lead/anew/quotes/retheme", data={"_csrf_token": token})
    rethemed = run(AnswerTheme.select(AnswerTheme.theme_key, AnswerTheme.codebook_version).where(
        AnswerTheme.answer == answer["id"]))
    assert {"theme_key": "travel", "codebook_version": SHIPPED + 1} in rethemed
    assert {r["codebook_version"] for r in rethemed} == {SHIPPED + 1}
    client.post("/lead/anew/codebook/themes/travel/edit",
                data={"_csrf_token": token, "name": "Travel and cost", "description": "Getting there",
                      "keywords": "bus\ntaxi\nfare"})
    asked = client.post("/lead/anew/codebook/themes/travel/remove", data={"_csrf_token": token})
    assert "Remove the theme 'travel' from the codebook?" in asked.text.replace("&#39;", "'")
    assert "travel" in {t.key for t in run(current_codebook(anew_id())).themes}
    client.post("/lead/anew/codebook/themes/travel/remove", data={"_csrf_token": token, "confirm": "yes"})
    codebook = run(current_codebook(anew_id()))
    assert codebook.version == SHIPPED + 3 and "travel" not in {t.key for t in codebook.themes}
    versions_page = client.get("/lead/anew/codebook").text
    assert "removed theme &#39;travel&#39;" in versions_page or "removed theme 'travel'" in versions_page
    assert [e["action"] for e in run(events())].count("codebook changed") == 3


def test_a_refused_theme_quoting_a_huge_value_still_comes_back_to_a_page(client, anew):
    """The refusal travels in the redirect's query string: a long value it quotes is cut, so the
    Location header stays short enough for any browser or proxy (the generated-input test found
    one of 60 KB)."""
    sign_in(client, "lead@anew.example", "correct horse")
    token = csrf(client, "/lead/anew/codebook")
    sent = client.post("/lead/anew/codebook/themes", follow_redirects=False,
                       data={"_csrf_token": token, "name": "Noise", "description": "d", "keywords": "!" * 20_000})
    assert sent.status_code == 303
    assert len(sent.headers["location"]) < 2_000
    assert "error=" in sent.headers["location"]
    page = client.get(sent.headers["location"])
    assert page.status_code == 200 and "…" in page.text


def test_suggested_themes_can_be_accepted_merged_or_ignored(client, anew):
    for text in ("The waiting room was cold.", "A warmer waiting room please.", "Cold waiting room again.",
                 "Parking was impossible.", "No parking nearby.", "The parking was full."):
        answer_anew(client, anew["token"], text, consent=False)
    sign_in(client, "lead@anew.example", "correct horse")
    page = client.get("/lead/anew/quotes")
    assert "Suggested themes" in page.text
    assert "“room”" in page.text and "“parking”" in page.text
    token = csrf(client)
    client.post("/lead/anew/proposals/accept", data={"_csrf_token": token, "phrase": "room",
                                                      "name": "The waiting room"})
    codebook = run(current_codebook(anew_id()))
    assert codebook.themes[-1].name == "The waiting room" and codebook.themes[-1].keywords == ("room",)
    client.post("/lead/anew/proposals/merge", data={"_csrf_token": token, "phrase": "parking",
                                                     "theme": "practical-help"})
    codebook = run(current_codebook(anew_id()))
    assert "parking" in next(t for t in codebook.themes if t.key == "practical-help").keywords
    run(analysis.retheme(anew_id()))
    counts = run(analysis.theme_counts(anew_id()))
    assert counts[codebook.themes[-1].key] == 3 and counts["practical-help"] >= 3
    page = client.get("/lead/anew/quotes")
    assert "“room”" not in page.text and "“parking”" not in page.text


def test_ignored_suggestion_is_not_suggested_again(client, anew):
    for text in ("Parking was impossible.", "No parking nearby.", "The parking was full."):
        answer_anew(client, anew["token"], text, consent=False)
    sign_in(client, "lead@anew.example", "correct horse")
    assert "“parking”" in client.get("/lead/anew/quotes").text
    client.post("/lead/anew/proposals/ignore", data={"_csrf_token": csrf(client), "phrase": "parking"})
    assert "“parking”" not in client.get("/lead/anew/quotes").text
    assert run(CodebookVersion.count()) == 1  # ignoring changes no codebook


def test_a_lead_gives_a_theme_example_answers_but_not_a_title_word_as_a_keyword(client, anew):
    sign_in(client, "lead@anew.example", "correct horse")
    token = csrf(client, "/lead/anew/codebook")
    page = client.get("/lead/anew/codebook").text
    assert 'name="examples"' in page and "Example answers (optional), one per line" in page
    refused = client.post("/lead/anew/codebook/themes",
                          data={"_csrf_token": token, "name": "Meetings", "description": "d", "keywords": "meeting"})
    assert "There is a problem" in refused.text
    assert "in the questionnaire title" in refused.text.replace("&#39;", "'")
    assert run(CodebookVersion.count()) == 1  # nothing saved
    client.post("/lead/anew/codebook/themes/practical-help/edit",
                data={"_csrf_token": token, "name": "Practical help", "description": "Everyday things",
                      "keywords": "money\nforms", "examples": "They sorted out a cot for the baby, and a pram\n"})
    codebook = run(current_codebook(anew_id()))
    theme = next(t for t in codebook.themes if t.key == "practical-help")
    assert theme.examples == ("They sorted out a cot for the baby, and a pram",)
    assert "They sorted out a cot for the baby, and a pram" in client.get("/lead/anew/codebook").text
    assert "practical-help" in match_themes("they got us a cot and a pram for the baby", codebook)


def test_queue_is_paged_in_the_database_newest_first_by_status(client, anew):
    session = run(open_session(anew["token"]))
    for i in range(5):
        run(submit(session, uuid.uuid4(), {**dict(ANEW_CHOICES), "better": f"Answer number {i}"}))
    ids = [a["id"] for a in text_answers()]
    initiative = anew_id()
    first = run(quotes.queue_page(initiative, size=2))
    assert (first.number, first.pages, first.total) == (1, 3, 5)
    assert [item["id"] for item in first.items] == ids[::-1][:2]
    last = run(quotes.queue_page(initiative, number=99, size=2))  # past the end: the last page
    assert last.number == 3 and [item["id"] for item in last.items] == [ids[0]]
    run(quotes.reject(initiative, ids[-1], actor="lead@anew.example"))
    assert run(quotes.queue_page(initiative, size=2)).total == 4
    rejected = run(quotes.queue_page(initiative, status="rejected"))
    assert [item["id"] for item in rejected.items] == [ids[-1]] and rejected.items[0]["status"] == "rejected"
    assert run(quotes.queue_page(initiative, status="all")).total == 5
    assert run(quotes.queue_page(initiative, status="approved")).total == 0

    for i in range(30):
        run(submit(session, uuid.uuid4(), {**dict(ANEW_CHOICES), "better": f"More words {i}"}))
    sign_in(client, "lead@anew.example", "correct horse")
    page = client.get("/lead/anew/quotes")
    assert 'aria-label="Pages of answers"' in page.text and 'href="/lead/anew/quotes?page=2"' in page.text
    assert "34 answers, newest first: page 1 of 2" in page.text
    second = client.get("/lead/anew/quotes?status=all&page=2")
    assert second.status_code == 200 and "page 2 of 2" in second.text
