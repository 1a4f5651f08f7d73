"""Request bodies and numbers from outside: refused clearly, never a server error or a lost answer.

Deep JSON, bodies over the limit (chunked too), bodies of the wrong kind, unknown API fields,
forms that are not UTF-8, text fields sent as files and numbers too big for the database, all
over HTTP against the real app (and, for chunked bodies, a real server over a raw socket).
"""

from __future__ import annotations

import re
import select
import socket
import uuid
from urllib.parse import urlencode, urlparse

import pytest

from frontend.core.bodies import MAX_JSON_DEPTH, _body_headers, _too_deep
from surveys import accounts
from surveys.tables import Answer, Initiative, Response
from tests.support import form_data, hidden_fields, run

GOOD = {"listened": "yes", "next_steps": "yes", "helpful": "partly", "child_views": "no"}
CHOICES = [("listened", "yes"), ("next_steps", "partly"), ("helpful", "yes"), ("child_views", "not_sure")]


@pytest.fixture
def token(db):
    from surveys.demo import ensure_demo_sessions

    return run(ensure_demo_sessions())["anew"]["token"]


@pytest.fixture
def lead(client, db):
    run(accounts.add_account("lead@anew.example", "correct horse", "lead", ["anew"]))
    signed = client.post(
        "/lead/login",
        data={
            "email": "lead@anew.example",
            "password": "correct horse",
            "_csrf_token": _csrf(client.get("/lead/login").text),
        },
        follow_redirects=False,
    )
    assert signed.status_code == 303
    return client


def _csrf(html: str) -> str:
    return re.search(r'name="_csrf_token" value="([^"]+)"', html).group(1)


def _api(token: str) -> str:
    return f"/api/v1/sessions/{token}/responses"


def _submission(answers: str = '{"listened": "yes"}', **extra: str) -> str:
    members = "".join(f', "{k}": {v}' for k, v in extra.items())
    return f'{{"submission_id": "{uuid.uuid4()}", "answers": {answers}{members}}}'


def _is_problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == status and "Traceback" not in response.text
    return problem


def _is_page(response, status: int) -> str:
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    assert "Traceback" not in response.text
    return response.text


def _start(client, token: str) -> list[tuple[str, str]]:
    """The hidden fields of the parent form's first page."""
    return hidden_fields(client.get(f"/s/{token}").text)


def _walk_to_better(client, token: str):
    """Answer the choice questions; the page asking the free-text question "better"."""
    page = client.post(f"/s/{token}", data=form_data(_start(client, token), nav="next"))
    for key, value in CHOICES:
        page = client.post(f"/s/{token}", data=form_data(hidden_fields(page.text), nav="next", **{key: value}))
    assert 'name="better"' in page.text
    return page


# --- JSON depth ---------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 500, 1000, 20_000])
def test_deeply_nested_json_is_a_400_naming_the_limit(client, token, depth):
    body = _submission(answers='{"listened": ' + "[" * depth + "]" * depth + "}")
    problem = _is_problem(client.post(_api(token), content=body, headers={"content-type": "application/json"}), 400)
    assert f"more than {MAX_JSON_DEPTH} levels" in problem["detail"]
    assert problem["max_depth"] == MAX_JSON_DEPTH
    assert run(Response.count()) == 0


def test_brackets_inside_text_are_not_nesting(client, token):
    deep_looking = '"' + "[{" * 900 + '\\"]"'  # inside a string (an escaped quote too): just text
    body = _submission(
        answers='{"listened": "yes", "next_steps": "yes", "helpful": "partly", '
        f'"child_views": "no", "better": {deep_looking}}}'
    )
    response = client.post(_api(token), content=body, headers={"content-type": "application/json"})
    assert response.status_code == 201, response.text
    assert run(Answer.select(Answer.text).where(Answer.question_key == "better").first())["text"].startswith("[{[{")


def test_the_depth_limit_is_exact_and_ignores_brackets_in_strings():
    assert not _too_deep(b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH)
    assert _too_deep(b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1))
    assert _too_deep(b'{"a": ' * (MAX_JSON_DEPTH + 1) + b"1" + b"}" * (MAX_JSON_DEPTH + 1))
    assert not _too_deep(b'["' + b"[{" * 100 + b'"]')


def test_the_body_headers_are_read_as_sent_first_one_counting():
    scope = {
        "headers": [
            (b"Content-Type", b"Application/JSON; charset=utf-8"),
            (b"content-type", b"text/plain"),
            (b"content-length", b" 12 "),
            (b"transfer-encoding", b"chunked"),
        ]
    }
    assert _body_headers(scope) == ("application/json", "12", True)
    assert _body_headers({"headers": []}) == ("", "", False)


# --- size, chunked included ---------------------------------------------------------------------


def _chunks(total: int, start: bytes = b"", size: int = 4096):
    yield start
    sent = len(start)
    while sent < total:
        yield b"a" * size
        sent += size


def test_a_chunked_api_body_over_the_limit_is_413_problem(client, token):
    body = _chunks(70 * 1024, b'{"submission_id": "' + str(uuid.uuid4()).encode() + b'", "answers": {"better": "')
    response = client.post(_api(token), content=body, headers={"content-type": "application/json"})
    assert "content-length" not in {k.lower() for k in response.request.headers}
    assert "Too much" in _is_problem(response, 413)["detail"]
    assert run(Response.count()) == 0


def test_a_chunked_api_body_under_the_limit_is_taken(client, token):
    raw = _submission(answers=str(GOOD).replace("'", '"')).encode()
    response = client.post(
        _api(token), content=iter([raw[:10], raw[10:]]), headers={"content-type": "application/json"}
    )
    assert response.status_code == 201, response.text
    assert run(Response.count()) == 1


def test_a_chunked_form_over_the_ordinary_limit_is_413_even_where_voice_notes_may_be_bigger(client, token):
    start = urlencode(form_data(_start(client, token), nav="next"), doseq=True).encode() + b"&better="
    response = client.post(
        f"/s/{token}", content=_chunks(70 * 1024, start), headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert "Too much was sent" in _is_page(response, 413)


def test_a_form_announcing_too_much_is_413(client, token):
    response = client.post(
        f"/s/{token}", content=b"a=" + b"b" * (65 * 1024), headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert "Too much was sent" in _is_page(response, 413)


def _raw_chunked(url: str, path: str, content_type: str, chunks) -> str:
    """POST ``chunks`` with Transfer-Encoding: chunked to a real server; the status line and body.

    The server may answer (413) and close before the whole body is sent, so what it says is read
    between chunks too: a reset after the answer must not lose the answer."""
    where = urlparse(url)
    answer = b""
    with socket.create_connection((where.hostname, where.port), timeout=30) as s:
        s.sendall(
            (
                f"POST {path} HTTP/1.1\r\nHost: {where.netloc}\r\nContent-Type: {content_type}\r\n"
                "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            ).encode()
        )
        try:
            for chunk in [*chunks, b""]:
                s.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                while select.select([s], [], [], 0)[0]:
                    if not (part := s.recv(65536)):
                        break
                    answer += part
                if b"\r\n\r\n" in answer:
                    break  # answered already: send no more
            while part := s.recv(65536):
                answer += part
        except OSError:
            pass  # reset by the server after it answered
    return answer.decode("utf-8", "replace")


def test_chunked_bodies_over_a_raw_socket_are_held_to_the_limit(server, token):
    form = f"submission_id={uuid.uuid4()}&page=-1&nav=next&better=".encode()
    answer = _raw_chunked(server, f"/s/{token}", "application/x-www-form-urlencoded", _chunks(65 * 1024, form))
    assert answer.startswith("HTTP/1.1 413"), answer[:200]
    assert "Too much was sent" in answer
    api = _raw_chunked(
        server,
        _api(token),
        "application/json",
        _chunks(65 * 1024, b'{"submission_id": "' + str(uuid.uuid4()).encode() + b'", "answers": "'),
    )
    assert api.startswith("HTTP/1.1 413") and "application/problem+json" in api, api[:300]
    small = _raw_chunked(server, f"/s/{token}", "application/x-www-form-urlencoded", [form[:20], form[20:]])
    assert small.startswith("HTTP/1.1 200"), small[:200]


# --- content types and unknown fields -----------------------------------------------------------


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"])
def test_the_api_refuses_a_body_that_is_not_json(client, token, content_type):
    body = _submission(answers=str(GOOD).replace("'", '"'))
    problem = _is_problem(client.post(_api(token), content=body, headers={"content-type": content_type}), 415)
    assert "application/json" in problem["detail"]
    assert run(Response.count()) == 0


@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
def test_forms_refuse_a_body_that_is_not_a_form(client, token, content_type):
    body = f'{{"submission_id": "{uuid.uuid4()}", "page": "-1"}}'
    text = _is_page(client.post(f"/s/{token}", content=body, headers={"content-type": content_type}), 415)
    assert "application/x-www-form-urlencoded" in text


def test_unknown_api_fields_are_refused_by_name(client, token):
    body = _submission(answers=str(GOOD).replace("'", '"'), participant_cod='"ABCD-2345-X"')
    problem = _is_problem(client.post(_api(token), content=body, headers={"content-type": "application/json"}), 400)
    assert "participant_cod" in str(problem["errors"])
    assert run(Response.count()) == 0


# --- UTF-8 --------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", [b"%FF%FE", b"\xff\xfe", b"caf%E9"])
def test_a_form_that_is_not_utf8_is_a_400(client, token, lang):
    body = urlencode(form_data(_start(client, token), nav="next"), doseq=True).encode() + b"&lang=" + lang
    text = _is_page(
        client.post(f"/s/{token}", content=body, headers={"content-type": "application/x-www-form-urlencoded"}), 400
    )
    assert "UTF-8" in text


def test_a_multipart_text_part_that_is_not_utf8_is_a_400(client, token):
    start = dict(_start(client, token))
    files = {"submission_id": (None, start["submission_id"]), "page": (None, "-1"), "lang": (None, b"\xff")}
    assert "UTF-8" in _is_page(client.post(f"/s/{token}", files=files), 400)


def test_raw_utf8_in_a_form_is_stored_as_sent_not_as_latin1(client, token):
    page = _walk_to_better(client, token)
    body = urlencode(form_data(hidden_fields(page.text), nav="next"), doseq=True).encode()
    sent = client.post(
        f"/s/{token}",
        content=body + "&better=the café was lovely".encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text[:500]
    assert run(Answer.select(Answer.text).where(Answer.question_key == "better").first())["text"] == (
        "the café was lovely"
    )


# --- text fields sent as files ------------------------------------------------------------------


def test_the_page_number_sent_as_a_file_is_a_400_naming_it(client, token):
    start = dict(_start(client, token))
    response = client.post(
        f"/s/{token}",
        data={"submission_id": start["submission_id"], "nav": "next"},
        files={"page": ("page.txt", b"-1", "text/plain")},
    )
    assert "page" in _is_page(response, 400).split("not files:")[1]


def test_a_text_answer_sent_as_a_file_is_a_400_never_dropped(client, token):
    page = _walk_to_better(client, token)
    response = client.post(
        f"/s/{token}",
        data=form_data(hidden_fields(page.text), nav="next"),
        files={"better": ("answer.txt", b"it was lovely", "text/plain")},
        follow_redirects=False,
    )
    assert "better" in _is_page(response, 400).split("not files:")[1]
    assert run(Response.count()) == 0


def test_the_kiosk_refuses_text_sent_as_a_file_too(client, db):
    from surveys.demo import ensure_demo_sessions

    kiosk = next(s for s in run(ensure_demo_sessions()).values() if s.get("audience") == "child")
    response = client.post(
        f"/k/{kiosk['token']}",
        data={"submission_id": str(uuid.uuid4())},
        files={"page": ("page.txt", b"-1", "text/plain")},
    )
    assert "page" in _is_page(response, 400).split("not files:")[1]


# --- numbers ------------------------------------------------------------------------------------

HUGE = "99999999999999999999999"


@pytest.mark.parametrize("page_number", [HUGE, "-" + HUGE, "٣", "1_0", " 0x1"])
def test_a_respondent_page_number_that_is_no_page_is_a_400(client, token, page_number):
    start = dict(_start(client, token))
    response = client.post(f"/s/{token}", data={"submission_id": start["submission_id"], "page": page_number})
    assert "out of date" in _is_page(response, 400)


def test_a_huge_questionnaire_version_is_a_400_naming_it(lead):
    listing = lead.get("/lead/anew/questionnaires").text
    download = re.search(r'href="(/lead/anew/questionnaires/[a-z0-9-]+/download)', listing).group(1)
    assert lead.get(f"{download}?version=1").status_code == 200
    for odd in (HUGE, "0", "-1", "1.0"):
        assert "version" in _is_page(lead.get(f"{download}?version={odd}"), 400)
    problem = _is_problem(lead.get(f"{download}?version={HUGE}", headers={"accept": "application/json"}), 400)
    assert "version" in problem["errors"]


@pytest.mark.parametrize("threshold", [HUGE, "1001", "-" + HUGE])
def test_a_suppression_threshold_out_of_range_is_a_field_error(lead, threshold):
    form = lead.get("/lead/anew/privacy")
    fields = {
        "privacy_controller": "ANEW",
        "privacy_contact": "anew@example.org",
        "retention_months": "18",
        "suppression_threshold": threshold,
        "_csrf_token": _csrf(form.text),
    }
    assert "Enter a whole number from 5 to 1000" in _is_page(lead.post("/lead/anew/privacy", data=fields), 422)
    stored = run(Initiative.select(Initiative.suppression_threshold).where(Initiative.slug == "anew").first())
    assert stored == {"suppression_threshold": 10}
    saved = lead.post("/lead/anew/privacy", data={**fields, "suppression_threshold": "1000"}, follow_redirects=False)
    assert saved.status_code == 303
