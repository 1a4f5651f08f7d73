"""The child's tablet over HTTP: the no-JS flow's guards, the PIN, the service worker, the clips."""

from __future__ import annotations

import concurrent.futures
import re
import time

import pytest

from frontend.cli import main
from frontend.core import i18n
from frontend.respondent import audio
from frontend.respondent.kiosk import IDLE_SECONDS, queue_forms, stamp, stamp_is_fresh
from surveys.kiosk import InvalidPin, hash_pin, kiosk_pin_of, pin_matches, set_kiosk_pin
from surveys.tables import Response, Session
from tests.support import hidden_fields, run

SECRET = "s" * 32


@pytest.fixture
def token(db):
    from surveys.demo import ensure_demo_sessions

    return run(ensure_demo_sessions())["cmhwf"]["token"]


def _post(client, token, fields, **extra):
    data: dict[str, list[str]] = {}
    for name, value in [*fields, *extra.items()]:
        data.setdefault(name, []).append(value)
    return client.post(f"/k/{token}", data=data, follow_redirects=False)


def _fields(html: str, drop: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    return [(k, v) for k, v in hidden_fields(html) if k not in drop]


def test_practice_comes_first_and_is_never_stored(client, token):
    practice = client.get(f"/k/{token}/practice")
    assert practice.status_code == 200
    assert "How does having a party make you feel?" in practice.text
    assert practice.headers["cache-control"] == "no-store"
    first = _post(client, token, _fields(practice.text), practice="happy", nav="next")
    assert first.status_code == 200
    assert "How are you feeling today?" in first.text
    assert "practice" not in dict(hidden_fields(first.text))


def _complete(client, token) -> tuple[list[str], str]:
    """A whole no-JS turn; returns each page's HTML and the last posted page."""
    html = client.get(f"/k/{token}/practice").text
    pages = []
    answers = iter(["happy", "ok", "yes", "happy"])
    html = _post(client, token, _fields(html), nav="next").text
    for _ in range(4):
        pages.append(html)
        key = re.search(r'name="([a-z_]+)" type="radio"', html).group(1)
        response = _post(client, token, _fields(html), **{key: next(answers), "nav": "next"})
        html = response.text
    assert response.status_code == 303 and "/done" in response.headers["location"]
    return pages, pages[-1]


def test_a_finished_childs_pages_can_not_be_posted_again(client, token):
    pages, last = _complete(client, token)
    assert run(Response.count()) == 1
    # Counted as given on the tablet, with or without JavaScript (it was once counted as a phone).
    assert run(Response.select(Response.way)) == [{"way": "tablet"}]
    for html in pages:
        again = _post(client, token, _fields(html), nav="next", feeling="happy")
        assert again.status_code == 303
        assert again.headers["location"].startswith(f"/k/{token}/practice")
    assert run(Response.count()) == 1


def test_a_page_older_than_the_idle_limit_is_refused(client, token, app):
    practice = client.get(f"/k/{token}/practice").text
    first = _post(client, token, _fields(practice), nav="next").text
    fields = dict(_fields(first))
    old = stamp(app.state.settings.secret_key, fields["submission_id"], time.time() - IDLE_SECONDS - 5)
    stale = _post(client, token, _fields(first, drop=("stamp",)), stamp=old, feeling="happy", nav="next")
    assert stale.status_code == 303 and "/practice" in stale.headers["location"]
    forged = _post(client, token, _fields(first, drop=("stamp",)), stamp=f"{int(time.time())}.0000", feeling="happy",
                   nav="next")
    assert forged.status_code == 303
    fresh = _post(client, token, _fields(first), feeling="happy", nav="next")
    assert fresh.status_code == 200 and "Did you feel listened to today?" in fresh.text


def test_back_from_the_first_question_goes_to_the_practice_question(client, token):
    first = _post(client, token, _fields(client.get(f"/k/{token}/practice").text), nav="next").text
    back = _post(client, token, _fields(first), nav="back")
    assert back.status_code == 303 and "/practice" in back.headers["location"]


def test_question_pages_reset_themselves_and_never_restore_taps(client, token):
    first = _post(client, token, _fields(client.get(f"/k/{token}/practice").text), nav="next").text
    assert f'content="{IDLE_SECONDS};url=/k/{token}/practice' in first
    assert 'autocomplete="off"' in first
    done = client.get(f"/k/{token}/done")
    assert "All done!" in done.text and f"url=/k/{token}/practice" in done.text


def test_stamps_are_signed_and_expire():
    now = 1_800_000_000
    value = stamp(SECRET, "abc", now)
    assert stamp_is_fresh(SECRET, "abc", value, now + IDLE_SECONDS)
    assert not stamp_is_fresh(SECRET, "abc", value, now + IDLE_SECONDS + 1)
    assert not stamp_is_fresh(SECRET, "other", value, now)
    assert not stamp_is_fresh("another secret key", "abc", value, now)
    assert not stamp_is_fresh(SECRET, "abc", "garbage", now)


def test_pin_hashes_check_and_refuse_non_digits():
    stored = hash_pin("2468")
    assert stored.startswith("pbkdf2-sha256$")
    assert pin_matches(stored, "2468")
    assert not pin_matches(stored, "2469")
    assert not pin_matches(None, "2468")
    assert hash_pin("2468") != stored  # salted
    for bad in ("123", "123456789", "12a4", ""):
        with pytest.raises(InvalidPin):
            hash_pin(bad)


def test_the_setup_screen_names_the_safeguarding_contact_and_pin_state(client, token):
    page = client.get(f"/k/{token}").text
    assert "Set up the tablet" in page
    assert "If a child tells you something that worries you" in page
    assert "No PIN is set for this session" in page
    run(set_kiosk_pin(token, "2468"))
    assert "No PIN is set" not in client.get(f"/k/{token}").text


def test_the_adult_screen_needs_the_pin(client, token):
    run(set_kiosk_pin(token, "2468"))
    assert client.get(f"/k/{token}/adult").status_code == 200
    wrong = client.post(f"/k/{token}/adult", data={"pin": "1111"}, follow_redirects=False)
    assert wrong.status_code == 422 and "That PIN is not right." in wrong.text
    right = client.post(f"/k/{token}/adult", data={"pin": "2468"}, follow_redirects=False)
    assert right.status_code == 303 and right.headers["location"].startswith(f"/k/{token}?")


def test_guessing_the_pin_is_slowed_down(client, token):
    run(set_kiosk_pin(token, "2468"))
    for _ in range(5):
        assert client.post(f"/k/{token}/adult", data={"pin": "0000"}).status_code == 422
    blocked = client.post(f"/k/{token}/adult", data={"pin": "2468"}, follow_redirects=False)
    assert blocked.status_code == 429 and "Wait a minute" in blocked.text


def test_without_a_pin_the_adult_screen_is_open(client, token):
    response = client.get(f"/k/{token}/adult", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith(f"/k/{token}?")


def _heard(*argv: str) -> int:
    # The command runs its own event loop; keep it off any loop a browser test left running here.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(main, list(argv)).result()


def test_the_kiosk_pin_command_sets_and_clears_it(token, capsys):
    assert _heard("kiosk-pin", token, "--pin", "97531") == 0
    session_id = run(Session.select(Session.id).where(Session.token == token).first())["id"]
    assert pin_matches(run(kiosk_pin_of(session_id)), "97531")
    assert _heard("kiosk-pin", token, "--pin", "12") == 2
    assert _heard("kiosk-pin", "NOPE-NOPE-NOPE-N", "--pin", "1234") == 2
    assert _heard("kiosk-pin", token, "--clear") == 0
    assert run(kiosk_pin_of(session_id)) is None
    assert "no session has the token" in capsys.readouterr().err


def test_the_service_worker_covers_every_kiosk(client, token):
    response = client.get("/k/sw.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["service-worker-allowed"] == "/k/"
    assert "heard-kiosk-v1" in response.text
    # A kiosk with a token is still a kiosk page, not the service worker.
    assert "Set up the tablet" in client.get(f"/k/{token}").text


def test_every_default_kiosk_text_has_a_small_recorded_clip():
    texts = audio.kiosk_texts()
    assert "How are you feeling today?" in texts and "How does having a party make you feel?" in texts
    missing = [t for t in texts if audio.clip_for(t) is None]
    assert missing == [], f"run `python -m frontend.respondent.audio` to record: {missing}"
    total = sum(p.stat().st_size for p in audio.AUDIO.glob("*.ogg"))
    assert total < 200 * 1024
    assert audio.clip_for("How are you feeling today?", "pl") is None  # other languages use the device voice


def test_the_waiting_count_has_every_plural_form_of_the_language():
    assert queue_forms(i18n.language("en")) == {"one": "{n} answer waiting to send",
                                               "other": "{n} answers waiting to send"}
    assert set(queue_forms(i18n.language("pl"))) == {"one", "few", "many", "other"}
