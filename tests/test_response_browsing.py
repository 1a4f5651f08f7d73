"""A lead browses single responses, deletes one, and downloads the wide (one row per response)
table; viewers get none of it. Driven over HTTP against the real database."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import uuid

import pytest
from openpyxl import load_workbook

from surveys import accounts, pseudonyms
from surveys.aggregation import response_count
from surveys.initiatives import by_slug
from surveys.questionnaires import parse_toml
from surveys.sessions import create_session
from surveys.tables import Answer, AuditEvent, Response
from surveys.versions import save_version
from tests.support import run
from voice.tables import AnswerTheme, QuoteRevision, VoiceNote

CLUB = """slug = "club-feedback"
title = "Club feedback"
audience = "parent"
about = "the club"

[[questions]]
key = "travel"
type = "choice"
text = "How did you get here today?"
options = [{ key = "walk", label = "Walked" }, { key = "bus", label = "By bus" }]

[[questions]]
key = "activities"
type = "multi"
text = "Which activities did you try?"
required = false
options = [
  { key = "paint", label = "Painting" },
  { key = "clay", label = "Clay modelling" },
  { key = "collage", label = "Collage" },
]

[[questions]]
key = "children"
type = "number"
text = "How many children came with you?"
min = 0
max = 10
unit = "children"

[[questions]]
key = "better"
type = "text"
text = "What could be better?"
required = false
"""

PHONE = "07712 345678"
SECRET_TEXT = f"Text me on {PHONE} about the bus"
FORMULA = "=SUM(A1:A3)*10"


def sign_in(client, email, password="a long password here"):
    form = client.get("/lead/login")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', form.text).group(1)
    client.post(
        "/lead/login", data={"email": email, "password": password, "_csrf_token": token}, follow_redirects=False
    )


def csrf(client, path):
    return re.search(r'name="_csrf_token" value="([^"]+)"', client.get(path).text).group(1)


def submit(client, token, answers, code=None):
    body = {"submission_id": str(uuid.uuid4()), "answers": answers}
    if code:
        body["participant_code"] = code
    response = client.post(f"/api/v1/sessions/{token}/responses", json=body)
    assert response.status_code == 201, response.text


@pytest.fixture
def world(client):
    from surveys.demo import ensure_demo_sessions, generate_responses

    run(ensure_demo_sessions())
    run(generate_responses(30, seed=11))
    anew = run(by_slug("anew"))
    version = run(save_version(anew["id"], parse_toml(CLUB)))
    session = run(create_session(anew["id"], version["id"], audience="parent", site="Hilltown Library"))
    code = pseudonyms.display(pseudonyms.new_code())
    submit(
        client,
        session["token"],
        {"travel": "bus", "activities": ["clay", "paint"], "children": "3", "better": SECRET_TEXT},
        code=code,
    )
    submit(client, session["token"], {"travel": "walk", "children": "0", "better": FORMULA})
    for email, role, slugs in [("lead@anew.example", "lead", ["anew"]), ("viewer@anew.example", "viewer", ["anew"])]:
        run(accounts.add_account(email, "a long password here", role, slugs))
    club_ids = [
        r["id"]
        for r in run(Response.select(Response.id).where(Response.session == session["id"]).order_by(Response.id))
    ]
    return {"initiative": anew, "code": code, "club": club_ids, "session": session}


def listed_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'href="/lead/anew/responses/(\d+)"', html)]


def all_ids(initiative_id: int) -> set[int]:
    return {r["id"] for r in run(Response.select(Response.id).where(Response.initiative == initiative_id))}


def test_the_list_pages_through_every_response_once_newest_first(client, world):
    sign_in(client, "lead@anew.example")
    first = client.get("/lead/anew/responses/")
    assert first.status_code == 200
    assert "Page 1 of 2" in first.text and 'rel="next"' in first.text and 'rel="prev"' not in first.text
    assert 'aria-current="page"' in first.text
    second = client.get(re.search(r'href="([^"]+)" rel="next"', first.text).group(1).replace("&amp;", "&"))
    assert "Page 2 of 2" in second.text and 'rel="prev"' in second.text and 'rel="next"' not in second.text
    shown = listed_ids(first.text) + listed_ids(second.text)
    assert len(listed_ids(first.text)) == 25
    assert len(shown) == len(set(shown)) == 32  # no response twice, none missed
    assert set(shown) == all_ids(world["initiative"]["id"])
    hours = {r["id"]: r["submitted_hour"] for r in run(Response.select(Response.id, Response.submitted_hour))}
    assert [hours[i] for i in shown] == sorted((hours[i] for i in shown), reverse=True)
    # A page past the end shows the last page rather than nothing.
    assert listed_ids(client.get("/lead/anew/responses/?page=99").text) == listed_ids(second.text)


def test_filters_narrow_the_list(client, world):
    sign_in(client, "lead@anew.example")
    club = client.get("/lead/anew/responses/?questionnaire=club-feedback")
    assert sorted(listed_ids(club.text)) == world["club"]
    assert sorted(listed_ids(client.get("/lead/anew/responses/?site=Hilltown+Library").text)) == world["club"]
    assert listed_ids(client.get("/lead/anew/responses/?audience=child").text) == []
    assert "No responses match these filters." in client.get("/lead/anew/responses/?audience=child").text
    # Dates: move one response to a known day, then ask for that day only.
    moved = world["club"][0]
    run(
        Response.update({Response.submitted_hour: dt.datetime(2020, 3, 4, 10, tzinfo=dt.UTC)}).where(
            Response.id == moved
        )
    )
    assert listed_ids(client.get("/lead/anew/responses/?from=2020-03-04&to=2020-03-04").text) == [moved]
    assert moved not in listed_ids(client.get("/lead/anew/responses/?from=2020-03-05").text)
    wrong = client.get("/lead/anew/responses/?from=yesterday")
    assert wrong.status_code == 400 and "There is a problem" in wrong.text


def test_no_codes_pseudonyms_or_removed_text_on_the_pages(client, world):
    stored = run(
        Answer.select(Answer.text)
        .where((Answer.response == world["club"][0]) & (Answer.question_key == "better"))
        .first()
    )["text"]
    assert PHONE not in stored and "[phone]" in stored  # redacted on arrival
    pseudonym = run(Response.select(Response.pseudonym).where(Response.id == world["club"][0]).first())["pseudonym"]
    assert pseudonym
    sign_in(client, "lead@anew.example")
    pages = [
        client.get("/lead/anew/responses/").text,
        client.get("/lead/anew/responses/?page=2").text,
        client.get(f"/lead/anew/responses/{world['club'][0]}").text,
        client.get(f"/lead/anew/responses/{world['club'][0]}/delete").text,
    ]
    for html in pages:
        assert PHONE not in html and "07712" not in html
        assert world["code"] not in html and pseudonyms.normalise(world["code"]) not in html
        assert pseudonym[:12] not in html
    assert "[phone]" in pages[2]  # only the redacted text is shown
    assert "[phone]" not in pages[0] + pages[1]  # and lists show no answers at all


def test_a_response_shows_each_question_with_the_label_chosen(client, world):
    sign_in(client, "lead@anew.example")
    html = client.get(f"/lead/anew/responses/{world['club'][0]}").text
    for expected in (
        "How did you get here today?",
        "By bus",
        "Which activities did you try?",
        "Painting",
        "Clay modelling",
        "How many children came with you?",
        "3 children",
        "Hilltown Library",
        "Club feedback (version 1)",
        "English",
    ):
        assert expected in html
    assert ">bus<" not in html and ">clay<" not in html and "Collage" not in html
    # Painting before Clay modelling: the order offered, not the order ticked.
    assert html.index("Painting") < html.index("Clay modelling")
    other = run(Response.select(Response.id).where(Response.initiative != world["initiative"]["id"]).first())["id"]
    assert client.get(f"/lead/anew/responses/{other}").status_code == 404
    assert client.get("/lead/anew/responses/999999999999").status_code == 404


def test_deleting_a_response_asks_first_and_removes_it_and_what_came_from_it(client, world):
    target, kept = world["club"]
    answer_id = run(
        Answer.select(Answer.id).where((Answer.response == target) & (Answer.question_key == "better")).first()
    )["id"]
    if not run(AnswerTheme.exists().where(AnswerTheme.answer == answer_id)):  # the worker may have themed it
        run(AnswerTheme.insert(AnswerTheme(answer=answer_id, theme_key="practical-help", codebook_version=1)))
    assert run(AnswerTheme.exists().where(AnswerTheme.answer == answer_id))
    run(
        QuoteRevision.insert(
            QuoteRevision(answer=answer_id, number=1, status="approved", text="x", decided_by="lead@anew.example")
        )
    )
    run(
        VoiceNote.insert(
            VoiceNote(
                initiative=world["initiative"]["id"],
                submission_id=uuid.uuid4(),
                response=target,
                question_key="better",
                media_type="audio/ogg",
                size=4,
                audio=b"OggS",
            )
        )
    )
    before = run(response_count(world["initiative"]["id"]))
    other_answers = run(Answer.count().where(Answer.response != target))
    sign_in(client, "lead@anew.example")

    confirm = client.get(f"/lead/anew/responses/{target}/delete")
    assert confirm.status_code == 200
    assert f"Are you sure you want to delete response {target}?" in confirm.text
    assert 'method="post"' in confirm.text and 'name="_csrf_token"' in confirm.text
    assert client.post(f"/lead/anew/responses/{target}/delete").status_code == 403  # no CSRF token: nothing
    assert run(Response.exists().where(Response.id == target))

    token = csrf(client, f"/lead/anew/responses/{target}/delete")
    done = client.post(f"/lead/anew/responses/{target}/delete", data={"_csrf_token": token}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/lead/anew/responses/?deleted={target}"
    assert f"Response {target} deleted" in client.get(done.headers["location"]).text

    assert not run(Response.exists().where(Response.id == target))
    assert run(Answer.count().where(Answer.response == target)) == 0
    assert run(AnswerTheme.count().where(AnswerTheme.answer == answer_id)) == 0
    assert run(QuoteRevision.count().where(QuoteRevision.answer == answer_id)) == 0
    assert run(VoiceNote.count().where(VoiceNote.response == target)) == 0
    assert run(response_count(world["initiative"]["id"])) == before - 1
    assert run(Answer.count().where(Answer.response != target)) == other_answers  # the rest untouched
    assert run(Response.exists().where(Response.id == kept))
    event = run(AuditEvent.select().where(AuditEvent.action == "response deleted").first())
    assert event["actor"] == "lead@anew.example" and str(target) in event["detail"]
    assert world["code"] not in event["detail"] and PHONE not in event["detail"]
    assert client.get(f"/lead/anew/responses/{target}").status_code == 404
    again = client.post(f"/lead/anew/responses/{target}/delete", data={"_csrf_token": token})
    assert again.status_code == 404


def test_the_wide_csv_has_one_row_per_response_with_labels(client, world):
    sign_in(client, "lead@anew.example")
    response = client.get("/lead/anew/responses-wide.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 32 and len({r["response"] for r in rows}) == 32
    header = list(rows[0])
    assert header[:3] == ["response", "questionnaire", "version"]
    assert "club-feedback.activities" in header and "anew-parent-after.listened" in header
    by_id = {int(r["response"]): r for r in rows}
    first, second = by_id[world["club"][0]], by_id[world["club"][1]]
    assert first["club-feedback.travel"] == "By bus"
    assert first["club-feedback.activities"] == "Painting; Clay modelling"
    assert first["club-feedback.children"] == "3"
    assert "[phone]" in first["club-feedback.better"] and PHONE not in response.text
    assert world["code"] not in response.text
    assert second["club-feedback.better"].startswith("'=")  # shown as text, never run
    assert second["club-feedback.activities"] == ""
    # Another questionnaire's columns stay empty for these responses.
    assert first["anew-parent-after.listened"] == ""
    demo = next(r for r in rows if r["questionnaire"] == "anew-parent-after")
    assert demo["club-feedback.travel"] == "" and demo["anew-parent-after.listened"] in (
        "Yes",
        "Partly",
        "No",
        "Not sure",
    )
    # A questionnaire filter keeps only its responses and its columns.
    only = list(
        csv.DictReader(
            io.StringIO(
                client.get("/lead/anew/responses-wide.csv?questionnaire=club-feedback").content.decode("utf-8-sig")
            )
        )
    )
    assert [int(r["response"]) for r in only] == world["club"]
    assert not any(k.startswith("anew-") for k in only[0])
    assert run(AuditEvent.count().where(AuditEvent.action == "responses downloaded")) == 2


def test_the_wide_xlsx_opens_with_headers_labels_and_safe_cells(client, world, tmp_path):
    sign_in(client, "lead@anew.example")
    response = client.get("/lead/anew/responses-wide.xlsx")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    path = tmp_path / "wide.xlsx"
    path.write_bytes(response.content)
    book = load_workbook(path)
    assert book.sheetnames == ["Responses", "Questions"]
    rows = list(book["Responses"].iter_rows(values_only=True))
    header, data = list(rows[0]), rows[1:]
    assert len(data) == 32 and len({r[0] for r in data}) == 32
    by_id = {r[0]: dict(zip(header, r, strict=True)) for r in data}
    first, second = by_id[world["club"][0]], by_id[world["club"][1]]
    assert first["club-feedback.travel"] == "By bus"
    assert first["club-feedback.activities"] == "Painting; Clay modelling"
    assert first["club-feedback.children"] == 3
    assert second["club-feedback.better"] == "'" + FORMULA
    questions = {r[0]: r for r in book["Questions"].iter_rows(values_only=True)}
    assert questions["club-feedback.activities"][1:] == ("Club feedback", "Which activities did you try?")
    event = run(AuditEvent.select(AuditEvent.detail).where(AuditEvent.action == "responses downloaded").first())
    assert event["detail"] == "wide XLSX"


def test_viewers_and_other_leads_get_none_of_it(client, world):
    target = world["club"][0]
    paths = [
        "/lead/anew/responses/",
        f"/lead/anew/responses/{target}",
        f"/lead/anew/responses/{target}/delete",
        "/lead/anew/responses-wide.csv",
        "/lead/anew/responses-wide.xlsx",
    ]
    sign_in(client, "viewer@anew.example")
    for path in paths:
        response = client.get(path)
        assert response.status_code == 403, path
        assert "[phone]" not in response.text and "By bus" not in response.text
    token = csrf(client, "/lead/anew/")
    assert client.post(f"/lead/anew/responses/{target}/delete", data={"_csrf_token": token}).status_code == 403
    assert run(Response.exists().where(Response.id == target))
