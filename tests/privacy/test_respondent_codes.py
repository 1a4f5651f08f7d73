"""Participant codes on the respondent journey: typed, scanned, picked as pictures, or sent by API.

Only the keyed pseudonym is stored; the code never comes back in a page after the first one.
"""

from __future__ import annotations

import uuid

import pytest

from surveys.pseudonyms import display, new_code, pseudonym
from surveys.tables import Response
from tests.privacy.helpers import phase_session
from tests.support import form_data, hidden_fields, run

ANEW_ANSWERS = [("listened", "yes"), ("next_steps", "partly"), ("helpful", "yes"),
                ("child_views", "no"), ("better", "")]


@pytest.fixture
def before(db):
    return run(phase_session("anew", "before"))


@pytest.fixture
def kiosk(db):
    return run(phase_session("cmhwf", "before"))


def _walk(client, token, first_page, answers=ANEW_ANSWERS):
    page = first_page
    for key, value in answers:
        assert page.status_code == 200, page.text
        page = client.post(f"/s/{token}", data=form_data(hidden_fields(page.text), nav="next", **{key: value}),
                           follow_redirects=False)
    return page


def test_a_typed_code_is_stored_only_as_its_pseudonym(client, before):
    token, code = before["token"], new_code()
    start = client.get(f"/s/{token}")
    assert 'name="participant_code"' in start.text and "(optional)" in start.text
    typed = display(code).lower().replace("-", " ")
    first = client.post(f"/s/{token}", data=form_data(hidden_fields(start.text), nav="next", participant_code=typed))
    assert first.status_code == 200 and "Question 1 of" in first.text
    # From here on only the pseudonym travels (with the tag that proves the service made it), never the code.
    carried = dict(hidden_fields(first.text))
    assert carried["pseudonym"].partition(".")[0] == pseudonym("anew", code)
    assert code not in first.text and display(code) not in first.text
    last = _walk(client, token, first)
    assert last.status_code == 303
    assert run(Response.select(Response.pseudonym).first())["pseudonym"].partition(".")[0] == pseudonym("anew", code)


def test_answering_without_a_code_stores_no_pseudonym(client, before):
    token = before["token"]
    start = client.get(f"/s/{token}")
    first = client.post(f"/s/{token}", data=form_data(hidden_fields(start.text), nav="next", participant_code=""))
    assert "pseudonym" not in dict(hidden_fields(first.text))
    assert _walk(client, token, first).status_code == 303
    assert run(Response.select(Response.pseudonym).first())["pseudonym"] is None


def test_a_mistyped_code_gets_a_clear_error_and_can_be_fixed(client, before):
    token, code = before["token"], new_code()
    wrong = code[:8] + ("0" if code[8] != "0" else "1")
    start = client.get(f"/s/{token}")
    state = hidden_fields(start.text)
    problem = client.post(f"/s/{token}", data=form_data(state, nav="next", participant_code=display(wrong)))
    assert problem.status_code == 422
    assert "<title>Error:" in problem.text and "There is a problem" in problem.text
    assert 'href="#participant-code"' in problem.text and 'id="participant-code"' in problem.text
    assert "Check your participant code" in problem.text
    fixed = client.post(f"/s/{token}", data=form_data(hidden_fields(problem.text), nav="next",
                                                  participant_code=display(code)))
    assert fixed.status_code == 200 and "Question 1 of" in fixed.text
    assert dict(hidden_fields(fixed.text))["pseudonym"].partition(".")[0] == pseudonym("anew", code)
    # Or leave it empty and carry on without one.
    without = client.post(f"/s/{token}", data=form_data(hidden_fields(problem.text), nav="next", participant_code=""))
    assert without.status_code == 200 and "pseudonym" not in dict(hidden_fields(without.text))


def test_back_to_the_start_keeps_the_code(client, before):
    token, code = before["token"], new_code()
    start = client.get(f"/s/{token}")
    first = client.post(f"/s/{token}", data=form_data(hidden_fields(start.text), nav="next", participant_code=code))
    back = client.post(f"/s/{token}", data=form_data(hidden_fields(first.text), nav="back"))
    assert "Your code is kept with your answers" in back.text
    again = client.post(f"/s/{token}", data=form_data(hidden_fields(back.text), nav="next", participant_code=""))
    assert dict(hidden_fields(again.text))["pseudonym"].partition(".")[0] == pseudonym("anew", code)


def test_a_scanned_card_fills_in_the_code(client, before):
    token, code = before["token"], new_code()
    card = client.get(f"/c/{display(code)}")
    assert card.status_code == 200 and display(code) in card.text
    assert card.headers["cache-control"] == "no-store"
    went = client.get(f"/c/{display(code)}", params={"session": before["token"].lower()}, follow_redirects=False)
    assert went.status_code == 303
    assert went.headers["location"].startswith(f"/s/{token}?code={code}")
    start = client.get(went.headers["location"])
    assert f'value="{display(code)}"' in start.text
    # A bad session code is explained; a bad card code is not a page at all.
    assert client.get(f"/c/{display(code)}", params={"session": "nope"}).status_code == 422
    wrong = code[:8] + ("0" if code[8] != "0" else "1")
    assert client.get(f"/c/{wrong}").status_code == 404
    # ?code= with a wrong check character is dropped, not shown back.
    assert display(wrong) not in client.get(f"/s/{token}", params={"code": wrong}).text


def test_a_child_picks_a_picture_code_on_the_kiosk(client, kiosk):
    token = kiosk["token"]
    start = client.get(f"/k/{token}")
    assert f"/k/{token}/code" in start.text
    pictures = client.get(f"/k/{token}/code")
    assert pictures.status_code == 200
    assert pictures.text.count('type="radio"') == 48
    assert len(pictures.text.encode()) < 14 * 1024
    state = hidden_fields(pictures.text)
    missing = client.post(f"/k/{token}", data=form_data(state, nav="next", picture1="cat", picture2="sun"))
    assert missing.status_code == 422 and "Choose one picture in each row" in missing.text
    chosen = client.post(f"/k/{token}", data=form_data(state, nav="next", picture1="cat", picture2="sun", picture3="boat"))
    assert chosen.status_code == 200 and "Question 1 of" in chosen.text
    assert dict(hidden_fields(chosen.text))["pseudonym"].partition(".")[0] == pseudonym("cmhwf", "pic:cat-sun-boat")
    # The pseudonym, not the pictures, travels on with the child's answers.
    following = client.post(f"/k/{token}", data=form_data(hidden_fields(chosen.text), nav="next",
                                                      **{"feeling": "happy"}))
    assert dict(hidden_fields(following.text))["pseudonym"].partition(".")[0] == pseudonym("cmhwf", "pic:cat-sun-boat")


def _forged(real: str) -> list[str]:
    """Carried pseudonym fields a device could send that this service never issued."""
    value, _, tag = real.partition(".")
    other_tag = ("0" if tag[0] != "0" else "1") + tag[1:]
    return [
        "not-hex-at-all",  # the report's case: a made-up, non-hex value
        "f" * 64,  # a well-formed pseudonym without a tag
        value,  # the real pseudonym with its tag stripped
        f"{'a' * 64}.{tag}",  # another pseudonym under the real tag
        f"{value}.{other_tag}",  # the real pseudonym under an altered tag
        f"{value}.{tag}x",
        "é" * 64 + "." + tag,
    ]


@pytest.mark.parametrize("where", ["mid-form", "final page"])
def test_a_forged_carried_pseudonym_is_refused_and_nothing_is_stored(client, before, where):
    token, code = before["token"], new_code()
    start = client.get(f"/s/{token}")
    first = client.post(f"/s/{token}", data=form_data(hidden_fields(start.text), nav="next", participant_code=code))
    page = first if where == "mid-form" else _walk(client, token, first, ANEW_ANSWERS[:-1])
    key, value = ("listened", "yes") if where == "mid-form" else ANEW_ANSWERS[-1]
    state = hidden_fields(page.text)
    real = dict(state)["pseudonym"]
    for forged in _forged(real):
        tampered = [(name, forged if name == "pseudonym" else v) for name, v in state]
        refused = client.post(f"/s/{token}", data=form_data(tampered, nav="next", **{key: value}),
                              follow_redirects=False)
        assert refused.status_code == 400, (forged, refused.status_code)
        assert "This form is out of date. Please start again." in refused.text
        assert run(Response.count()) == 0
    # The same form with the field the service gave it still goes through, once.
    sent = client.post(f"/s/{token}", data=form_data(state, nav="next", **{key: value}), follow_redirects=False)
    assert sent.status_code == (200 if where == "mid-form" else 303)
    if where == "final page":
        assert [r["pseudonym"] for r in run(Response.select(Response.pseudonym))] == [pseudonym("anew", code)]


def test_a_carried_pseudonym_only_fits_the_form_it_was_issued_for(client, before):
    """A tag copied from one form into another (another submission) is refused too."""
    token = before["token"]
    pages = []
    for _ in range(2):
        start = client.get(f"/s/{token}")
        pages.append(client.post(f"/s/{token}", data=form_data(hidden_fields(start.text), nav="next",
                                                                  participant_code=new_code())))
    theirs = dict(hidden_fields(pages[0].text))["pseudonym"]
    mine = [(name, theirs if name == "pseudonym" else v) for name, v in hidden_fields(pages[1].text)]
    refused = client.post(f"/s/{token}", data=form_data(mine, nav="next", listened="yes"))
    assert refused.status_code == 400 and "out of date" in refused.text


def test_a_forged_pseudonym_is_refused_on_the_kiosk_too(client, kiosk):
    token = kiosk["token"]
    pictures = client.get(f"/k/{token}/code")
    chosen = client.post(f"/k/{token}", data=form_data(hidden_fields(pictures.text), nav="next", picture1="cat",
                                                       picture2="sun", picture3="boat"))
    state = hidden_fields(chosen.text)
    assert dict(state)["pseudonym"].partition(".")[0] == pseudonym("cmhwf", "pic:cat-sun-boat")
    tampered = [(name, "1" * 64 if name == "pseudonym" else v) for name, v in state]
    refused = client.post(f"/k/{token}", data=form_data(tampered, nav="next"))
    assert refused.status_code == 400 and run(Response.count()) == 0


def test_the_api_takes_an_optional_participant_code(client, before):
    token, code = before["token"], new_code()
    body = {"submission_id": str(uuid.uuid4()), "answers": dict(ANEW_ANSWERS[:4]), "participant_code": display(code)}
    assert client.post(f"/api/v1/sessions/{token}/responses", json=body).status_code == 201
    wrong = code[:8] + ("0" if code[8] != "0" else "1")
    bad = client.post(f"/api/v1/sessions/{token}/responses",
                      json={**body, "submission_id": str(uuid.uuid4()), "participant_code": wrong})
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert "participant_code" in bad.json()["errors"]
    rows = run(Response.select(Response.pseudonym))
    assert [r["pseudonym"] for r in rows] == [pseudonym("anew", code)]


def test_every_respondent_page_links_to_the_privacy_notice(client, before, kiosk):
    link = '/privacy/anew'
    token = before["token"]
    start = client.get(f"/s/{token}")
    first = client.post(f"/s/{token}", data=form_data(hidden_fields(start.text), nav="next"))
    pages = [start, first, client.get(f"/s/{token}/done")]
    assert all(link in p.text for p in pages)
    kiosk_pages = [client.get(f"/k/{kiosk['token']}"), client.get(f"/k/{kiosk['token']}/code")]
    assert all("/privacy/cmhwf" in p.text for p in kiosk_pages)
