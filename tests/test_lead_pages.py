"""A lead signs in, sees counts per answer for their own initiative only, and downloads the CSVs."""

from __future__ import annotations

import csv
import io
import re
import uuid

import pytest

from surveys import accounts
from tests.support import run


@pytest.fixture
def demo(db):
    from surveys.demo import ensure_demo_sessions, generate_responses

    sessions = run(ensure_demo_sessions())
    run(generate_responses(30, seed=7))
    run(accounts.add_account("lead@anew.example", "correct horse", "lead", ["anew"]))
    run(accounts.add_account("lead@cmhwf.example", "battery staple", "lead", ["cmhwf"]))
    return sessions


def sign_in(client, email, password):
    form = client.get("/lead/login")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', form.text).group(1)
    return client.post("/lead/login", data={"email": email, "password": password, "_csrf_token": token},
                       follow_redirects=False)


def test_lead_pages_need_sign_in(client, demo):
    for path in ("/lead/", "/lead/anew/", "/lead/anew/responses.csv"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == "/lead/login"


def test_wrong_password_is_refused_with_a_clear_message(client, demo):
    response = sign_in(client, "lead@anew.example", "wrong")
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert "heard_login" not in response.headers.get("set-cookie", "")


def test_sign_in_without_csrf_token_is_refused(client, demo):
    client.get("/lead/login")
    response = client.post("/lead/login", data={"email": "lead@anew.example", "password": "correct horse"})
    assert response.status_code == 403


def test_lead_sees_counts_per_answer(client, demo):
    assert sign_in(client, "lead@anew.example", "correct horse").status_code == 303
    page = client.get("/lead/anew/")
    assert page.status_code == 200
    assert "30 responses" in page.text
    assert "Did you feel listened to?" in page.text
    # Counts below 10 are never shown as numbers in the answers (the live counts above them are
    # the lead's true counts, each small one marked: tests/test_live_counts.py).
    answers = page.text.split("Answers so far", 1)[1]
    for number in re.findall(r'<td class="numeric">(\d+) ', answers):
        assert int(number) >= 10 or int(number) == 0


def test_lead_cannot_see_another_initiative(client, demo):
    sign_in(client, "lead@cmhwf.example", "battery staple")
    for path in ("/lead/anew/", "/lead/anew/responses.csv", "/lead/anew/data-dictionary.csv"):
        response = client.get(path)
        assert response.status_code == 404
        assert "listened" not in response.text
    home = client.get("/lead/")
    assert "ANEW" not in home.text and "Community Mental Health" in home.text


def test_csv_export_is_pseudonymised_one_row_per_answer(client, demo):
    sign_in(client, "lead@anew.example", "correct horse")
    response = client.get("/lead/anew/responses.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len({r["response"] for r in rows}) == 30
    assert {r["question"] for r in rows} <= {"listened", "next_steps", "helpful", "child_views", "better"}
    assert all(r["submitted_hour"].endswith(":00") for r in rows)
    assert "submission_id" not in rows[0]
    listened = [r for r in rows if r["question"] == "listened"]
    assert len(listened) == 30
    assert all(r["answer_code"] in ("1", "2", "3", "") for r in listened)

    dictionary = client.get("/lead/anew/data-dictionary.csv")
    entries = list(csv.DictReader(io.StringIO(dictionary.content.decode("utf-8-sig"))))
    variables = {e["variable"] for e in entries}
    assert {"response", "participant", "answer_code"} <= variables
    assert any(e["meaning"] == "Did you feel listened to?" for e in entries)
    assert any(e["value"] == "yes" and "code 3" in e["meaning"] for e in entries)


def test_sign_out_ends_the_session_everywhere(client, demo):
    sign_in(client, "lead@anew.example", "correct horse")
    token = client.cookies.get("heard_login")
    csrf = re.search(r'name="_csrf_token" value="([^"]+)"', client.get("/lead/").text).group(1)
    client.post("/lead/logout", data={"_csrf_token": csrf})
    assert run(accounts.signed_in(token)) is None
    assert client.get("/lead/anew/", follow_redirects=False).headers["location"] == "/lead/login"


def test_formula_cells_are_neutralised():
    from frontend.documents.cells import safe_cell

    assert safe_cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert safe_cell("+44 7700") == "'+44 7700"
    assert safe_cell("Lovely staff") == "Lovely staff"
    assert safe_cell(uuid.UUID(int=1)) == uuid.UUID(int=1)


def test_sign_ins_are_audited_without_passwords(client, demo):
    from surveys.audit import events

    sign_in(client, "lead@anew.example", "wrong")
    sign_in(client, "lead@anew.example", "correct horse")
    logged = run(events())
    assert [e["action"] for e in logged[:2]] == ["signed in", "sign-in failed"]
    assert all("correct horse" not in e["detail"] and "wrong" not in e["detail"] for e in logged)
