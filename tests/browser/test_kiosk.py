"""Children on a shared 1024×768 touch tablet: the CMHWF kiosk, one child after another.

With JavaScript (the kiosk as it normally runs) and without it (it must still work), no child can
reach the previous child's answers by Back, history or reload; offline answers wait on the
tablet, survive a restart, and arrive exactly once.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from urllib.request import Request, urlopen

import pytest
from playwright.sync_api import expect

from surveys.tables import Answer, Response
from tests.browser.conftest import ARGS, CHROMIUM
from tests.support import run

pytestmark = pytest.mark.browser

TABLET = {"viewport": {"width": 1024, "height": 768}, "has_touch": True}
PIN = "2468"
CMHWF = [
    ("How are you feeling today?", "feeling"),
    ("Did you feel listened to today?", "listened"),
    ("Do you know who to talk to if you're worried?", "who_to_talk"),
    ("Would you come again?", "again"),
]
# What each of three children answers, in question order.
CHILDREN = [
    ["Happy", "Happy", "Yes", "Happy"],
    ["Sad", "OK", "No", "OK"],
    ["OK", "Sad", "Not sure", "Sad"],
]
KEYS = {"Happy": "happy", "OK": "ok", "Sad": "sad", "Yes": "yes", "No": "no", "Not sure": "not_sure"}


@pytest.fixture
def kiosk_token(db):
    from surveys.demo import ensure_demo_sessions
    from surveys.kiosk import set_kiosk_pin

    token = run(ensure_demo_sessions())["cmhwf"]["token"]
    run(set_kiosk_pin(token, PIN))
    return token


@pytest.fixture
def tablet(chromium):
    """A 1024×768 touch tablet with JavaScript on, as the kiosk normally runs."""
    context = chromium.new_context(**TABLET)
    yield context
    context.close()


@pytest.fixture
def plain_tablet(chromium):
    """The same tablet with JavaScript off."""
    context = chromium.new_context(**TABLET, java_script_enabled=False)
    yield context
    context.close()


def _stored() -> list[dict[str, str]]:
    """Each stored response's answers, oldest first."""
    rows = run(Answer.select(Answer.response, Answer.question_key, Answer.option_key).order_by(Answer.id))
    by_response: dict[int, dict[str, str]] = {}
    for row in rows:
        by_response.setdefault(row["response"], {})[row["question_key"]] = row["option_key"]
    return [by_response[k] for k in sorted(by_response)]


def _expected(child: list[str]) -> dict[str, str]:
    return {key: KEYS[word] for (_, key), word in zip(CMHWF, child)}


def _wait_for(page, condition, what: str, seconds: float = 15):
    """Poll a condition that depends on the tablet catching up (never a timing assertion).

    Waiting through the page lets Playwright deliver its events (requests, routes) meanwhile.
    """
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        page.wait_for_timeout(100)


def _answer_turn(page, child: list[str]) -> None:
    """One child's turn from the practice question to "All done!"."""
    expect(page.get_by_role("heading", level=1)).to_have_text("How does having a party make you feel?")
    expect(page.get_by_role("button", name="Back", exact=True)).to_be_hidden()  # nowhere to go back to
    page.get_by_text("Happy", exact=True).tap()
    page.get_by_role("button", name="Next", exact=True).tap()
    for number, ((question, _), word) in enumerate(zip(CMHWF, child), start=1):
        expect(page.get_by_role("heading", level=1)).to_have_text(question)
        expect(page.get_by_text(f"Question {number} of 4")).to_be_visible()
        page.get_by_text(word, exact=True).tap()
        page.get_by_role("button", name="Finish" if number == 4 else "Next", exact=True).tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("All done!")


def _nothing_of_anyone(page) -> None:
    """The page shows no answer already chosen, and is not a question page mid-turn."""
    assert page.locator("input:checked").count() == 0
    assert not re.search(r"Question [2-4] of 4", page.content())


def test_three_children_in_a_row_with_javascript(server, tablet, kiosk_token):
    page = tablet.new_page()
    page.goto(f"{server}/k/{kiosk_token}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up the tablet")
    expect(page.get_by_text("If a child tells you something that worries you")).to_be_visible()
    page.get_by_role("link", name="Start for the children").tap()
    page.wait_for_url(re.compile(r"/practice"))
    start_url = page.url

    for n, child in enumerate(CHILDREN, start=1):
        _answer_turn(page, child)
        assert page.url == start_url  # the whole turn happened without a page in the history
        _wait_for(page, lambda: len(_stored()) == n, f"child {n}'s answers to arrive")
        page.get_by_role("button", name="Next child").tap()
        expect(page.get_by_role("heading", level=1)).to_have_text("How does having a party make you feel?")
        _nothing_of_anyone(page)
        # Back leads out of the kiosk (the setup screen was replaced), never to a child's page.
        page.go_back()
        assert "/practice" not in page.url and page.locator("input:checked").count() == 0
        page.go_forward()
        expect(page.get_by_role("heading", level=1)).to_have_text("How does having a party make you feel?")
        _nothing_of_anyone(page)
        page.reload()
        _nothing_of_anyone(page)

    assert _stored() == [_expected(c) for c in CHILDREN]
    assert run(Response.count().where(Response.language == "en")) == 3


def test_an_idle_turn_resets_for_the_next_child(server, tablet, kiosk_token):
    page = tablet.new_page()
    page.clock.install()
    page.goto(f"{server}/k/{kiosk_token}/practice")
    page.get_by_text("Happy", exact=True).tap()
    page.get_by_role("button", name="Next", exact=True).tap()
    page.get_by_text("Sad", exact=True).tap()
    page.get_by_role("button", name="Next", exact=True).tap()
    expect(page.get_by_text("Question 2 of 4")).to_be_visible()
    page.clock.run_for(61_000)  # a minute with no touch
    expect(page.get_by_role("heading", level=1)).to_have_text("How does having a party make you feel?")
    _nothing_of_anyone(page)
    assert run(Response.count()) == 0


def test_three_children_in_a_row_without_javascript(server, plain_tablet, kiosk_token):
    page = plain_tablet.new_page()
    page.goto(f"{server}/k/{kiosk_token}")
    page.get_by_role("link", name="Start for the children").tap()
    for n, child in enumerate(CHILDREN, start=1):
        _answer_turn(page, child)
        assert len(_stored()) == n
        page.get_by_role("link", name="Next child").tap()
        # the next child's practice question has loaded (a tap does not wait for the page)
        expect(page.get_by_role("heading", level=1)).to_have_text("How does having a party make you feel?")
        _nothing_of_anyone(page)
        # Walk back through the whole history, reloading each page: no earlier child reappears.
        steps = 0
        while steps < 30:
            try:
                moved = page.go_back()
            except Exception:  # noqa: BLE001 - a no-store page Chrome won't show again
                moved = True
            if moved is None and page.url in ("about:blank", ""):
                break
            steps += 1
            _nothing_of_anyone(page)
            try:
                page.reload()
            except Exception:  # noqa: BLE001 - likewise
                pass
            _nothing_of_anyone(page)
            if page.url == "about:blank":
                break
        page.goto(f"{server}/k/{kiosk_token}/practice")
    assert _stored() == [_expected(c) for c in CHILDREN]


def test_leaving_the_kiosk_needs_the_pin(server, tablet, kiosk_token):
    page = tablet.new_page()
    page.goto(f"{server}/k/{kiosk_token}/practice")
    page.get_by_role("button", name="For adults").tap()
    page.get_by_label("PIN").fill("1111")
    page.get_by_role("button", name="Unlock").tap()
    expect(page.get_by_text("That PIN is not right.")).to_be_visible()
    assert "/practice" in page.url
    page.get_by_role("button", name="Back to the questions").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("How does having a party make you feel?")
    page.get_by_role("button", name="For adults").tap()
    page.get_by_label("PIN").fill(PIN)
    page.get_by_role("button", name="Unlock").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up the tablet")


def test_the_speaker_reads_the_question_and_each_answer(server, tablet, kiosk_token):
    page = tablet.new_page()
    page.goto(f"{server}/k/{kiosk_token}/practice")
    clips = []
    tablet.on("request", lambda r: clips.append(r.url) if "/static/audio/" in r.url else None)
    listen = page.get_by_role("button", name="Listen")
    expect(listen).to_be_visible()
    box = listen.bounding_box()
    assert box["height"] >= 64
    listen.tap()
    # Headless Chromium has no voice, so the recorded clips play, the question's first.
    _wait_for(page, lambda: len(clips) >= 1, "the question's clip")
    question_clip = page.get_by_role("heading", level=1).get_attribute("data-audio")
    assert clips[0].endswith(question_clip)


def _offline_ready(page, token: str) -> None:
    """Wait until the service worker controls the page and has kept the kiosk for offline use."""
    # (Polled from here: the page's CSP forbids wait_for_function's eval.)
    _wait_for(page, lambda: page.evaluate("navigator.serviceWorker.controller !== null"), "the service worker")
    kept = """async (token) => {
        const cache = await caches.open("heard-kiosk-v1");
        return !!(await cache.match(`/k/${token}/practice?lang=en`)) && !!(await cache.match("/static/kiosk.js"));
    }"""
    _wait_for(page, lambda: page.evaluate(kept, token), "the kiosk to be kept for offline use")


def test_offline_answers_wait_survive_a_restart_and_arrive_exactly_once(server, chromium, kiosk_token, tmp_path):
    profile = tmp_path / "tablet-profile"

    def open_tablet():
        context = chromium.browser_type.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=ARGS, **TABLET
        )
        return context, context.pages[0] if context.pages else context.new_page()

    context, page = open_tablet()
    page.goto(f"{server}/k/{kiosk_token}/practice?lang=en")
    _offline_ready(page, kiosk_token)

    context.set_offline(True)
    for child in CHILDREN[:2]:
        _answer_turn(page, child)
        page.get_by_role("button", name="Next child").tap()
    expect(page.get_by_text("2 answers waiting to send")).to_be_visible()
    assert run(Response.count()) == 0

    # The tablet is switched off and on again, still offline: the kiosk and its queue come back.
    context.close()
    context, page = open_tablet()
    context.set_offline(True)
    page.goto(f"{server}/k/{kiosk_token}/practice?lang=en")
    expect(page.get_by_role("heading", level=1)).to_have_text("How does having a party make you feel?")
    expect(page.get_by_text("2 answers waiting to send")).to_be_visible()
    assert run(Response.count()) == 0

    context.set_offline(False)
    _wait_for(page, lambda: run(Response.count()) == 2, "both queued answers to arrive")
    expect(page.get_by_text("2 answers waiting to send")).to_be_hidden()

    # The adult's screen, behind the PIN, shows the queue is empty; sending again changes nothing.
    page.get_by_role("button", name="For adults").tap()
    page.get_by_label("PIN").fill(PIN)
    page.get_by_role("button", name="Unlock").tap()
    expect(page.get_by_text("All answers have been sent.")).to_be_visible()
    page.get_by_role("button", name="Send now").tap()
    assert run(Response.count()) == 2
    assert _stored() == [_expected(c) for c in CHILDREN[:2]]
    context.close()


def test_a_lost_reply_is_resent_and_stored_once(server, chromium, kiosk_token):
    # Playwright can only intercept requests no service worker handles, so this tablet has none.
    tablet = chromium.new_context(**TABLET, service_workers="block")
    page = tablet.new_page()
    lost = []

    def lose_the_first_reply(route):
        if not lost:
            lost.append(route.fetch())  # the server stores it, but the tablet never hears back
            route.abort()
        else:
            route.continue_()

    tablet.route("**/api/v1/sessions/*/responses", lose_the_first_reply)
    page.goto(f"{server}/k/{kiosk_token}/practice")
    _answer_turn(page, CHILDREN[0])
    _wait_for(page, lambda: lost, "the first send")
    assert lost[0].status == 201
    expect(page.get_by_text("1 answer waiting to send")).to_be_visible()
    assert run(Response.count()) == 1

    page.evaluate("dispatchEvent(new Event('online'))")  # what the tablet does when it reconnects
    expect(page.get_by_text("1 answer waiting to send")).to_be_hidden()
    assert run(Response.count()) == 1
    assert _stored() == [_expected(CHILDREN[0])]
    tablet.close()


def test_a_reused_submission_id_with_other_answers_is_shown_to_the_adult_not_dropped(server, chromium, kiosk_token):
    # Another child's answers were stored under this id; a buggy tablet then sends it again with
    # this child's answers: the server refuses (409), and the outbox keeps them for the adult.
    used = str(uuid.uuid4())
    body = json.dumps({"submission_id": used, "answers": _expected(CHILDREN[1]), "language": "en"}).encode()
    request = Request(
        f"{server}/api/v1/sessions/{kiosk_token}/responses",
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urlopen(request, timeout=30) as stored:
        assert stored.status == 201
    tablet = chromium.new_context(**TABLET, service_workers="block")  # so Playwright sees the requests
    page = tablet.new_page()
    replies = []

    def reuse_the_id(route):
        sent = json.loads(route.request.post_data)
        sent["submission_id"] = used
        replies.append(route.fetch(post_data=json.dumps(sent)))
        route.fulfill(response=replies[-1])

    tablet.route("**/api/v1/sessions/*/responses", reuse_the_id)
    page.goto(f"{server}/k/{kiosk_token}/practice")
    _answer_turn(page, CHILDREN[0])
    _wait_for(page, lambda: replies, "the send")
    assert replies[0].status == 409
    expect(page.get_by_text("1 answer waiting to send")).to_be_visible()  # not marked sent
    page.get_by_role("button", name="Next child").tap()
    page.get_by_role("button", name="For adults").tap()
    page.get_by_label("PIN").fill(PIN)
    page.get_by_role("button", name="Unlock").tap()
    expect(page.get_by_text("not accepted (409)")).to_be_visible()
    expect(page.get_by_role("button", name="Remove answers that were not accepted")).to_be_visible()
    assert run(Response.count()) == 1
    assert _stored() == [_expected(CHILDREN[1])]
    tablet.close()


def test_the_kiosk_page_is_light(server, tablet, kiosk_token):
    """Everything the practice page loads (HTML, styles, script, pictures), as transferred."""
    page = tablet.new_page()
    cdp = tablet.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    sizes: dict[str, int] = {}
    urls: dict[str, str] = {}
    cdp.on("Network.responseReceived", lambda e: urls.__setitem__(e["requestId"], e["response"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(f"{server}/k/{kiosk_token}/practice", wait_until="networkidle")
    by_url = {urls.get(k, k): v for k, v in sizes.items()}
    html = next(v for u, v in by_url.items() if u.endswith("/practice"))
    total = sum(by_url.values())
    print(f"\nkiosk practice page: HTML {html} B, all-in {total} B over {len(by_url)} requests")
    assert html <= 14 * 1024
    assert total <= 30 * 1024
    assert not any(u for u in by_url if not u.startswith(server))  # no third-party requests
