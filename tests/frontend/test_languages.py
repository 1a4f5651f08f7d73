"""Languages: the catalogs are complete and current, the questionnaires are translated, and pages
say which language each part of them is in."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from frontend.core import i18n
from surveys.questionnaires import (
    DefinitionError,
    load_file,
    parse_definition,
    template,
    template_files,
)
from tests.support import hidden_fields, run

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "frontend" / "locales"
TRANSLATED = [code for code in i18n.SUPPORTED if code != "en"]
PLURALS = {"pl": 3, "uk": 3, "ur": 2, "ar": 6}


def _catalog(code: str):
    with (LOCALES / code / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f)


def _extracted() -> set:
    """Every _()/ngettext()/N_() string in the code today, read the way ``make messages`` reads it."""
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    return {
        message for _, _, message, _, _ in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords, strip_comment_tags=True)
    }


def test_the_template_holds_every_string_in_the_code():
    with (LOCALES / "messages.pot").open("rb") as f:
        pot = {m.id for m in read_po(f) if m.id}
    extracted = _extracted()
    assert extracted - pot == set(), "new UI text: run `make messages`, then translate it"
    assert pot - extracted == set(), "messages.pot has strings the code no longer uses: run `make messages`"


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_catalog_is_complete_and_correct(code):
    with (LOCALES / "messages.pot").open("rb") as f:
        pot = {m.id for m in read_po(f) if m.id}
    catalog = _catalog(code)
    assert catalog.num_plurals == PLURALS[code]
    assert {m.id for m in catalog if m.id} == pot, "run `make messages` to bring the catalog up to date"
    for message in catalog:
        if not message.id:
            continue
        assert not message.fuzzy, f"{code}: fuzzy translation of {message.id!r}"
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert len(strings) == (catalog.num_plurals if message.pluralizable else 1), message.id
        assert all(s.strip() for s in strings), f"{code}: {message.id!r} is not translated"
        # The same %(placeholders)s, so a translation can never crash a page or drop a value.
        wanted = set(re.findall(r"%\((\w+)\)s", str(message.id)))
        for s in strings:
            assert set(re.findall(r"%\((\w+)\)s", s)) == wanted, f"{code}: placeholders in {message.id!r}"
    assert list(catalog.check()) == []


def test_catalogs_are_compiled_in_memory_and_used():
    assert not list(LOCALES.rglob("*.mo")), "no compiled catalogs are committed"
    assert i18n.language("pl").gettext("Continue") == "Dalej"
    assert i18n.language("ar").gettext("There is a problem") == "هناك مشكلة"
    # Plural forms follow each language's rules.
    pl, ar = i18n.language("pl"), i18n.language("ar")
    plural = ("There is %(num)s question.", "There are %(num)s questions.")
    assert [pl.ngettext(*plural, n) for n in (1, 3, 5, 22)] == [
        "Jest 1 pytanie.", "Są 3 pytania.", "Jest 5 pytań.", "Są 22 pytania."]
    assert [ar.ngettext(*plural, n) for n in (5, 11)] == ["فيه 5 أسئلة.", "فيه 11 سؤالًا."]


def test_numbers_and_dates_use_the_locale():
    import datetime as dt

    assert i18n.language("pl").number(2000) == "2\xa0000"
    assert i18n.language("en").number(2000) == "2,000"
    assert i18n.language("en").date(dt.date(2026, 11, 22)) == "22 November 2026"
    assert i18n.language("pl").date(dt.date(2026, 11, 22)) == "22 listopada 2026"
    assert i18n.language("ar").percent(0.87).replace("\u200e", "").replace("\u061c", "") in ("87%", "87٪")
    assert i18n.language("uk").gettext("Question %(number)s of %(total)s", number=1200, total=1500) == (
        "Запитання 1\xa0200 з 1\xa0500")


@pytest.mark.parametrize("path", template_files(), ids=lambda p: p.stem)
def test_default_questionnaires_are_translated_into_every_language(path):
    definition = load_file(path)
    assert definition.languages == ("en", *sorted(TRANSLATED))
    for code in TRANSLATED:
        assert definition.title_in(code)[1] == code
        assert definition.about_in(code)[1] == code
        for page in definition.pages:
            assert page.text_in(code)[1] == code, (code, page.answer_key)
            if page.question.help:
                assert page.help_in(code)[1] == code, (code, page.answer_key)
            if page.question.required:
                # Every required question names itself in its error message, in every language.
                assert page.error != "Choose an answer", page.answer_key
                assert page.error_in(code)[1] == code, (code, page.answer_key)


def test_translations_round_trip_through_the_stored_definition():
    definition = template("art-at-the-start-parent")
    again = parse_definition(definition.raw, "stored")
    assert again.fingerprint == definition.fingerprint
    before = again.page("confidence.before")
    assert before.text_in("pl") == ("Przed zajęciami: jak pewnie było Ci tworzyć z dzieckiem w domu?", "pl")
    assert before.error_in("ar") == ("اختر مدى ثقتك قبل الجلسات", "ar")
    # A language nobody translated into falls back to English, and says so.
    assert before.text_in("gd") == (before.text, "en")


CUSTOM = {
    "slug": "custom",
    "title": "Our group",
    "audience": "parent",
    "questions": [
        {"key": "snack", "type": "choice", "text": "Which snack?",
         "options": [{"key": "fruit", "label": "Fruit"}, {"key": "toast", "label": "Toast"}],
         "translations": {"pl": {"text": "Jaka przekąska?", "options": {"fruit": "Owoce"}}}},
        {"key": "note", "type": "text", "text": "Anything else?"},
    ],
}


def test_bad_translations_are_refused_with_the_question_named():
    bad = {**CUSTOM, "questions": [{**CUSTOM["questions"][0], "translations": {"pl": {"colour": "x"}}}]}
    with pytest.raises(DefinitionError, match="'snack'.*colour"):
        parse_definition(bad)
    bad = {**CUSTOM, "questions": [{**CUSTOM["questions"][0],
                                    "translations": {"pl": {"options": {"cake": "Ciasto"}}}}]}
    with pytest.raises(DefinitionError, match="names no option cake"):
        parse_definition(bad)
    with pytest.raises(DefinitionError, match="not a language code"):
        parse_definition({**CUSTOM, "translations": {"p l!": {"title": "x"}}})


def _session(initiative: str, definition) -> str:
    from surveys.demo import ensure_demo_initiatives
    from surveys.sessions import create_session
    from surveys.versions import save_version

    async def make():
        initiatives = await ensure_demo_initiatives()
        version = await save_version(initiatives[initiative]["id"], definition)
        return (await create_session(initiatives[initiative]["id"], version["id"],
                                     audience=definition.audience))["token"]

    return run(make())


def _walk(client, token, lang, answers):
    """Start in ``lang`` and answer page by page; return the pages seen (start, questions…)."""
    pages = [client.get(f"/s/{token}?lang={lang}")]
    form = dict(hidden_fields(pages[-1].text))
    pages.append(client.post(f"/s/{token}", data={**form, "nav": "next"}))
    for key, value in answers:
        form = {}
        for name, v in hidden_fields(pages[-1].text):
            form.setdefault(name, []).append(v)
        pages.append(client.post(f"/s/{token}", data={**form, "nav": "next", key: value}, follow_redirects=False))
    return pages


def test_untranslated_parts_are_shown_in_english_marked_as_english(client, db):
    token = _session("anew", parse_definition(CUSTOM))
    start, snack, note = _walk(client, token, "pl", [("snack", "fruit")])
    assert '<html lang="pl" dir="ltr">' in start.text
    assert '<h1 class="heading-xl" lang="en" dir="ltr">Our group</h1>' in start.text
    assert "Jaka przekąska?" in snack.text
    assert '<span class="choices__word">Owoce</span>' in snack.text
    assert '<span class="choices__word" lang="en" dir="ltr">Toast</span>' in snack.text
    assert "Pytanie 1 z 2" in snack.text
    # The free-text question has no Polish: English, marked, inside a Polish page.
    assert '<span lang="en" dir="ltr">Anything else?</span> (nieobowiązkowe)' in note.text
    ar = client.get(f"/s/{token}?lang=ar")
    assert '<html lang="ar" dir="rtl">' in ar.text
    assert '<h1 class="heading-xl" lang="en" dir="ltr">Our group</h1>' in ar.text


def test_arabic_parent_sees_arabic_throughout_and_the_answer_records_it(client, db):
    from surveys.demo import ensure_demo_sessions
    from surveys.tables import Response

    token = run(ensure_demo_sessions())["anew"]["token"]
    answers = [("listened", "yes"), ("next_steps", "partly"), ("helpful", "yes"), ("child_views", "no"),
               ("better", "")]
    pages = _walk(client, token, "ar", answers)
    start, first = pages[0], pages[1]
    assert '<html lang="ar" dir="rtl">' in start.text
    assert "بعد الاجتماع" in start.text and "ابدأ الآن" in start.text
    assert "السؤال 1 من 5" in first.text
    assert "هل شعرت بأن أحدًا استمع إليك؟" in first.text
    assert ">نعم<" in first.text and ">إلى حد ما<" in first.text and ">لا أعرف<" in first.text
    assert ' lang="en"' not in first.text.split("</header>")[1]  # nothing left in English
    assert pages[-1].status_code == 303 and pages[-1].headers["location"].endswith("?lang=ar")
    done = client.get(pages[-1].headers["location"])
    assert "شكرًا لك" in done.text
    assert run(Response.select(Response.language).first())["language"] == "ar"


def test_missing_answer_message_names_the_question_in_the_language(client, db):
    from surveys.demo import ensure_demo_sessions

    token = run(ensure_demo_sessions())["anew"]["token"]
    for lang, title, message in [
        ("en", "Error: Did you feel listened to?", "Choose if you felt listened to"),
        ("pl", "Błąd: Czy czujesz, że Cię wysłuchano?", "Wybierz, czy czujesz, że Cię wysłuchano"),
        ("ar", "خطأ: هل شعرت بأن أحدًا استمع إليك؟", "اختر إن كنت شعرت بأن أحدًا استمع إليك"),
    ]:
        start, first, again = _walk(client, token, lang, [("listened", "")])
        assert again.status_code == 422
        assert f"<title>{title} – Heard</title>" in again.text
        assert f'<a href="#q-listened">{message}</a>' in again.text
        assert message in again.text.split('class="error-message"')[1]


def test_error_pages_speak_the_language_asked_for(client, db):
    page = client.get("/s/AAAA-BBBB-CCCC-D", headers={"accept-language": "uk,en;q=0.5"})
    assert page.status_code == 404
    assert '<html lang="uk" dir="ltr">' in page.text
    assert "Сторінку не знайдено" in page.text and "Ми не можемо знайти цю сторінку." in page.text
    assert "Page not found" in client.get("/s/AAAA-BBBB-CCCC-D").text


def test_privacy_notice_in_polish_formats_its_numbers(client, db):
    from surveys.demo import ensure_demo_initiatives

    run(ensure_demo_initiatives())
    page = client.get("/privacy/anew?lang=pl")
    assert '<html lang="pl" dir="ltr">' in page.text
    assert "Co robimy z Twoimi odpowiedziami" in page.text
    assert "Usuwamy odpowiedzi 24 miesiące po ich wysłaniu." in page.text
    # The initiative's name is English inside a Polish sentence, and marked as such.
    assert '<span lang="en" dir="ltr">ANEW</span> zadaje te pytania' in page.text
