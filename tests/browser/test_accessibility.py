"""Respondent pages in a real Chromium: axe-core finds nothing wrong on any page, in English,
Polish and Arabic (right-to-left); a parent can finish with the keyboard alone; pages reflow at
320 px and at 200% zoom; right-to-left pages mirror; and the question page is light.

axe needs JavaScript and our CSP forbids injected scripts, so the axe contexts turn JavaScript on
and bypass the CSP for the test's own script only; the pages themselves have no script at all.
Set HEARD_SCREENSHOTS=/some/folder to keep a screenshot of every page visited.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from surveys.tables import Response
from tests.browser.axe import assert_accessible, check_file
from tests.support import run

pytestmark = pytest.mark.browser

SCREENSHOTS = os.environ.get("HEARD_SCREENSHOTS")

# What a parent sees and taps, in each language.
WORDS = {
    "en": {"start": "Start now", "continue": "Continue", "send": "Send my answers", "thanks": "Thank you",
           "answers": ["Yes", "Partly", "Yes", "Not sure"], "switch": "English",
           "first": "Did you feel listened to?", "progress": "Question 1 of 5", "problem": "There is a problem", "error": "Error:"},
    "pl": {"start": "Zacznij", "continue": "Dalej", "send": "Wyślij odpowiedzi", "thanks": "Dziękujemy",
           "answers": ["Tak", "Częściowo", "Tak", "Nie wiem"], "switch": "Polski",
           "first": "Czy czujesz, że Cię wysłuchano?", "progress": "Pytanie 1 z 5", "problem": "Jest problem", "error": "Błąd:"},
    "ar": {"start": "ابدأ الآن", "continue": "متابعة", "send": "أرسل إجاباتي", "thanks": "شكرًا لك",
           "answers": ["نعم", "إلى حد ما", "نعم", "لا أعرف"], "switch": "العربية",
           "first": "هل شعرت بأن أحدًا استمع إليك؟", "progress": "السؤال 1 من 5", "problem": "هناك مشكلة", "error": "خطأ:"},
}


@pytest.fixture(scope="module", autouse=True)
def _axe_is_genuine():
    check_file()


@pytest.fixture
def sessions(db):
    """The demo ANEW parent session, a closed one, and a CMHWF children's kiosk session."""
    from surveys.demo import ensure_demo_initiatives, ensure_demo_sessions
    from surveys.questionnaires import template
    from surveys.sessions import create_session
    from surveys.versions import save_version

    async def make():
        demo = await ensure_demo_sessions()
        initiatives = await ensure_demo_initiatives()
        anew = demo["anew"]
        closed = await create_session(anew["initiative"], anew["questionnaire_version"], audience="parent",
                                      closes_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
        cmhwf = initiatives["cmhwf"]["id"]
        version = await save_version(cmhwf, template("cmhwf-child"))
        kiosk = await create_session(cmhwf, version["id"], audience="child")
        return {"anew": anew["token"], "closed": closed["token"], "kiosk": kiosk["token"],
                "anew_slug": "anew"}

    return run(make())


def _context(chromium, *, width=360, height=740, scale=1, locale="en-GB", touch=True, **extra):
    return chromium.new_context(viewport={"width": width, "height": height}, device_scale_factor=scale,
                                has_touch=touch, is_mobile=touch, locale=locale, bypass_csp=True,
                                java_script_enabled=True, **extra)


def _shot(page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def _no_horizontal_scroll(page, where: str) -> None:
    page.wait_for_load_state("load")  # a page still navigating has no document to measure yet
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{where} scrolls sideways at {widths[1]}px: content is {widths[0]}px wide"


def _check(page, lang: str, where: str, allow: dict[str, str] | None = None) -> None:
    """What every respondent page must be: in the right language and direction, accessible, reflowing."""
    html = page.locator("html")
    assert html.get_attribute("lang") == lang, where
    assert html.get_attribute("dir") == ("rtl" if lang == "ar" else "ltr"), where
    assert_accessible(page, f"{where} [{lang}]", allow=allow)
    _no_horizontal_scroll(page, f"{where} [{lang}]")
    _shot(page, f"{lang}-{where}")


def _walk_parent_journey(page, server, tokens, lang, visit=_check):
    """Start, forget an answer, answer everything, send; check every page on the way."""
    w = WORDS[lang]
    page.goto(f"{server}/s/{tokens['anew']}")
    if page.locator("html").get_attribute("lang") != lang:
        # The visible switch on the first page.
        page.get_by_role("navigation", name=re.compile("Language|Język|اللغة")).get_by_role(
            "link", name=w["switch"]).click()
    visit(page, lang, "start")
    page.get_by_role("button", name=w["start"]).click()
    expect(page.locator(".caption")).to_have_text(w["progress"])
    visit(page, lang, "question-1")

    page.get_by_role("button", name=w["continue"], exact=True).click()
    expect(page.locator(".error-summary")).to_be_focused()
    assert page.get_by_text(w["problem"]).is_visible()
    assert page.title().startswith(w["error"] + " " + w["first"])
    visit(page, lang, "question-1-error")

    for i, answer in enumerate(w["answers"]):
        if i == 0:
            expect(page.get_by_role("heading", level=1)).to_have_text(w["first"])
        page.get_by_label(answer, exact=True).check()
        page.get_by_role("button", name=w["continue"], exact=True).click()
        visit(page, lang, f"question-{i + 2}")

    page.locator("textarea").fill("More time to talk")
    page.get_by_role("button", name=w["send"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(w["thanks"])
    visit(page, lang, "thank-you")


@pytest.mark.parametrize("lang", ["en", "pl", "ar"])
def test_parent_journey_has_no_accessibility_problems(server, chromium, sessions, lang):
    """A parent in English, Polish (from their phone's language) and Arabic (by the switch) completes
    the ANEW form; every page passes axe, reflows, and says its language and direction."""
    context = _context(chromium, locale="pl-PL" if lang == "pl" else "en-GB")
    page = context.new_page()
    _walk_parent_journey(page, server, sessions, lang)
    stored = run(Response.select(Response.language))
    assert [r["language"] for r in stored] == [lang]

    page.goto(f"{server}/privacy/{sessions['anew_slug']}?lang={lang}")
    _check(page, lang, "privacy")
    for path, status, where in [("/s/AAAA-BBBB-CCCC-D", 404, "not-found"),
                                (f"/s/{sessions['closed']}", 410, "closed")]:
        response = page.goto(f"{server}{path}?lang={lang}")
        assert response.status == status
        _check(page, lang, where)
    context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_kiosk_pages_have_no_accessibility_problems(server, chromium, sessions, lang):
    context = _context(chromium, width=1024, height=768)
    page = context.new_page()
    page.goto(f"{server}/k/{sessions['kiosk']}?lang={lang}")
    _check(page, lang, "kiosk-start")
    page.locator("[data-kiosk-start]").click()
    page.wait_for_load_state()
    _check(page, lang, "kiosk-practice")
    # With JavaScript a child's whole turn (practice, questions, "All done!") is one page.
    for step in range(5):
        page.locator(".choices__label:visible").first.click()
        page.locator("button[data-next]:visible").click()
        if step == 1:
            _check(page, lang, "kiosk-question")
    page.locator(".kiosk-done:visible").wait_for()
    _check(page, lang, "kiosk-done")
    context.close()


def test_right_to_left_pages_mirror(server, chromium, sessions):
    """In Arabic the back arrow points right, radios sit on the right, and faces run right to left."""
    context = _context(chromium, width=1024, height=768)
    page = context.new_page()
    layout = {}
    for lang in ("en", "ar"):
        page.goto(f"{server}/s/{sessions['anew']}?lang={lang}")
        page.locator("button.button--start").click()
        back = page.locator(".back-link")
        radio, word = page.locator(".choices__input").first, page.locator(".choices__word").first
        arrow = back.evaluate("el => getComputedStyle(el, '::before').transform")
        page.goto(f"{server}/k/{sessions['kiosk']}?lang={lang}")
        page.locator("[data-kiosk-start]").click()
        page.locator(".choices--faces .choices__label").first.wait_for()
        faces = [b["x"] for b in (f.bounding_box() for f in page.locator(".choices--faces .choices__label").all())]
        _shot(page, f"{lang}-kiosk-faces")
        layout[lang] = {"arrow": arrow, "faces": faces}
        page.goto(f"{server}/s/{sessions['anew']}?lang={lang}")
        page.locator("button.button--start").click()
        layout[lang]["radio_x"] = radio.bounding_box()["x"]
        layout[lang]["word_x"] = word.bounding_box()["x"]
        layout[lang]["back_right"] = back.bounding_box()["x"] + back.bounding_box()["width"]
    # rotate(225deg) points the chevron left; rotate(45deg) points it right.
    assert layout["en"]["arrow"].startswith("matrix(-0.707107, -0.707107")
    assert layout["ar"]["arrow"].startswith("matrix(0.707107, 0.707107")
    assert layout["en"]["radio_x"] < layout["en"]["word_x"]
    assert layout["ar"]["radio_x"] > layout["ar"]["word_x"]
    assert layout["ar"]["back_right"] > 1024 / 2
    # Sad, OK, Happy, then "I don't want to say": reading order, so left to right in English…
    assert layout["en"]["faces"] == sorted(layout["en"]["faces"])
    # …and right to left in Arabic.
    assert layout["ar"]["faces"] == sorted(layout["ar"]["faces"], reverse=True)
    context.close()


@pytest.mark.parametrize("width,scale", [(320, 1), (640, 2)], ids=["320px", "200%-zoom"])
def test_pages_reflow_without_sideways_scrolling(server, chromium, sessions, width, scale):
    """320 CSS px (WCAG 1.4.10), and a 1280 px window zoomed to 200% (640 CSS px at 2x)."""
    for lang in ("pl", "ar"):  # Polish has the longest words; Arabic runs right to left
        context = _context(chromium, width=width, height=640, scale=scale)
        page = context.new_page()

        def visit(page, lang, where):
            _no_horizontal_scroll(page, f"{where} [{lang}] at {width}px x{scale}")

        _walk_parent_journey(page, server, sessions, lang, visit)
        page.goto(f"{server}/privacy/anew?lang={lang}")
        visit(page, lang, "privacy")
        context.close()
        run(Response.delete(force=True))


def test_keyboard_only(server, chromium, sessions):
    """Tab, Space and Enter only: no mouse, no touch; focus is always visible."""
    context = _context(chromium, width=1024, height=768, touch=False)
    page = context.new_page()
    page.goto(f"{server}/s/{sessions['anew']}")

    def tab_to(describe: str, test: str, limit=30):
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(f"(() => {{ const el = document.activeElement; return {test}; }})()"):
                outline = page.evaluate("""(() => { const s = getComputedStyle(document.activeElement);
                    return s.outlineStyle !== 'none' && s.outlineWidth !== '0px' || s.boxShadow !== 'none'
                        || s.backgroundColor === 'rgb(255, 221, 0)'; })()""")
                assert outline, f"focus on {describe} is not visible"
                return
        raise AssertionError(f"Tab never reached {describe}")

    tab_to("Start now", "el.textContent.trim() === 'Start now'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Did you feel listened to?")

    # Enter without an answer: the error summary takes focus.
    tab_to("the first answer", "el.type === 'radio'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".error-summary")).to_be_focused()

    for _ in range(4):
        tab_to("the first answer", "el.type === 'radio'")
        page.keyboard.press("Space")
        assert page.evaluate("document.activeElement.checked")
        with page.expect_navigation():
            page.keyboard.press("Enter")  # the form's default button is Continue, never Back

    tab_to("the text box", "el.tagName === 'TEXTAREA'")
    page.keyboard.type("Keyboard only")
    tab_to("the consent box", "el.type === 'checkbox'")
    page.keyboard.press("Space")
    tab_to("Send my answers", "el.textContent.trim() === 'Send my answers'")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    rows = run(Response.select(Response.id))
    assert len(rows) == 1
    context.close()


def test_reduced_motion_is_honoured(server, chromium, sessions):
    context = _context(chromium, reduced_motion="reduce")
    page = context.new_page()
    page.goto(f"{server}/s/{sessions['anew']}")
    page.locator("button.button--start").click()
    assert page.evaluate("matchMedia('(prefers-reduced-motion: reduce)').matches")
    moving = page.evaluate("""[...document.querySelectorAll('*')].filter(el => {
        const s = getComputedStyle(el);
        return s.animationName !== 'none' || s.transitionDuration.split(',').some(d => parseFloat(d) > 0)
            || s.scrollBehavior === 'smooth';
    }).map(el => el.tagName + '.' + el.className)""")
    assert moving == []
    context.close()


def test_question_page_is_light(server, chromium, sessions):
    """Bytes on the wire for the parent question page, everything it loads included, from
    Chromium's own network events (CDP ``Network.loadingFinished``), with a cold cache."""
    context = chromium.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True,
                                   java_script_enabled=False)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    urls, sizes, kinds = {}, {}, {}
    cdp.on("Network.responseReceived", lambda e: (urls.__setitem__(e["requestId"], e["response"]["url"]),
                                                  kinds.__setitem__(e["requestId"], e["type"])))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))

    page.goto(f"{server}/s/{sessions['anew']}")
    urls.clear(), sizes.clear(), kinds.clear()
    page.locator("button.button--start").click()
    expect(page.locator(".caption")).to_have_text("Question 1 of 5")
    page.wait_for_load_state("networkidle")

    rows = [(kinds[r], urls[r].replace(server, ""), sizes[r]) for r in sizes if r in urls]
    total = sum(size for _, _, size in rows)
    document = [size for kind, _, size in rows if kind == "Document"]
    print("\nParent question page, bytes transferred (headers included):")
    for kind, url, size in rows:
        print(f"  {kind:<10} {size:>6}  {url.split('?')[0][:60]}")
    print(f"  {'total':<10} {total:>6}  ({total / 1024:.1f} KB; first HTML response {document[0] / 1024:.1f} KB)")
    assert len(document) == 1
    assert all(url.startswith("/") for _, url, _ in rows), "no third-party requests"
    assert document[0] <= 14 * 1024
    assert total <= 30 * 1024
    context.close()
