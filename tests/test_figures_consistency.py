"""One source of truth for figures: one rounding rule, one wording per audience, comparisons
wherever their measure is, and p-values that never read "p = 0.000"."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest

from frontend.core.i18n import language
from frontend.documents.summary import Words
from surveys import accounts, sharing
from surveys.figures import percent_text, whole_percent
from surveys.initiatives import by_slug
from surveys.responses import submit
from surveys.sessions import create_session, open_session
from surveys.summary import Filters, Share
from surveys.tables import Comparison, Questionnaire
from surveys.versions import latest_version
from tests.support import run
from tests.test_lead_pages import sign_in


def test_halves_round_up_everywhere():
    w = Words(language("en"), 10)
    # 23 of 40 is 57.5%: floats and Babel round that half to even (57%); partners read 58%.
    assert (whole_percent(23, 40), percent_text(23 / 40), w.percent(23 / 40)) == (58, "58%", "58%")
    assert (whole_percent(1, 8), percent_text(1 / 8), w.percent(1 / 8)) == (13, "13%", "13%")
    assert w.percent(0.125) == "13%" and w.percent1(0.0125) == "1.3%"
    assert Words(language("pl"), 10).percent(23 / 40) == "58%"


def test_p_values_below_a_thousandth_say_so():
    w = Words(language("en"), 10)
    assert w.p_value(0.0004) == "p < 0.001"
    assert w.p_value(0.031) == "p = 0.031" and w.p_value(0.001) == "p = 0.001"


def test_practitioner_headlines_count_records_and_read_as_sentences():
    w = Words(language("en"), 10)
    share = Share(count=25, n=35, share=25 / 35, low=None, high=None, hidden=None)
    assert w.headline("children had their views heard", "practitioner", share) == (
        "In 25 of 35 practitioner records (71%), children had their views heard"
    )
    hidden = Share(count=None, n=35, share=None, low=None, high=None, hidden="secondary")
    line = w.headline("children had their views heard", "practitioner", hidden)
    assert (
        line == "How often children had their views heard is hidden to protect small numbers (35 practitioner records)"
    )
    assert "practitioners children" not in line
    parents = Share(count=23, n=23, share=1.0, low=None, high=None, hidden=None)
    assert w.headline("felt listened to", "parent", parents).startswith("23 of 23 parents")


@pytest.fixture
def anew_40(client, db):
    """40 parents after an ANEW meeting: 23 felt listened to, 17 did not."""

    async def build():
        initiative = await by_slug("anew")
        q = (
            await Questionnaire.select()
            .where((Questionnaire.initiative == initiative["id"]) & (Questionnaire.slug == "anew-parent-after"))
            .first()
        )
        row = await create_session(
            initiative["id"],
            (await latest_version(q["id"]))["id"],
            audience="parent",
            site="School A",
            held_on=dt.date(2026, 11, 20),
        )
        session = await open_session(row["token"])
        for i in range(40):
            answers = {
                "listened": "yes" if i < 23 else "no",
                "next_steps": "yes",
                "helpful": "yes",
                "child_views": "yes",
            }
            await submit(session, uuid.uuid4(), answers)
        await Comparison.insert(
            Comparison(
                initiative=initiative["id"],
                questionnaire="anew-parent-after",
                question_key="listened",
                value_percent=35.0,
                description="across schools",
                source="Pupil survey",
                year=2024,
            )
        )
        await accounts.add_account("lead@anew.example", "correct horse", "lead", ["anew"])
        return initiative

    initiative = run(build())
    sign_in(client, "lead@anew.example", "correct horse")
    return initiative


def test_23_of_40_is_58_percent_on_every_page_with_its_comparison(client, anew_40):
    line = "23 of 40 parents (58%) felt listened to. Compared with: 35% across schools (Pupil survey, 2024)"
    token, _ = run(sharing.create_link(anew_40["id"], Filters(), days=3))
    pages = {
        "summary": client.get("/lead/anew/summary/").text,
        "reach": client.get("/lead/anew/reach/").text,
        "shared link": client.get(f"/shared/{token}").text,
    }
    for name, html in pages.items():
        assert line in html, name
        assert "57%" not in html, name
    initiative_page = client.get("/lead/anew/").text.split("Answers so far", 1)[1]
    assert re.search(r"23 <span class=\"share\">\(58%\)</span>", initiative_page)
    import io

    from docx import Document

    docx = client.get("/lead/anew/summary/download/docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert line in text


def test_dates_in_a_partner_summary_are_written_the_british_way(client, anew_40):
    """ "3 December 2026", as partners in Dundee write it, not the US "December 3, 2026"."""
    import re as _re

    page = client.get("/lead/anew/summary/").text
    subtitle = _re.search(r"Responses from ([^<]+?) to ([^<]+?)<", page)
    assert subtitle, "the summary says which dates it covers"
    for day in subtitle.groups():
        assert _re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", day.strip()), day


@pytest.mark.parametrize(
    ("code", "line"),
    [
        ("en", "23 of 40 parents (58%) felt listened to"),
        ("pl", "Czuli się wysłuchani: 23 z 40 rodziców (58%)"),
        ("uk", ": 23 з 40 батьків (58%)"),
        ("ar", ": 23 من 40 من الآباء والأمهات (58%)"),
        ("ur", ": 40 والدین میں سے 23 (58%)"),
    ],
)
def test_headlines_are_whole_sentences_in_every_language(anew_40, code, line):
    """The wording comes first in the other four languages, so the verb never has to agree with a
    number, and the noun takes its own plural form; the questionnaire's own translation of the
    wording is used."""
    from frontend.documents.summary import headline_lines
    from surveys.summary import build_summary

    summary = run(build_summary(anew_40, Filters()))
    lines = headline_lines(summary, Words(language(code), 10))
    listened = next(x for x in lines if "58" in x)
    assert line in listened, listened
    if code != "en":
        assert "felt listened to" not in listened  # the questionnaire's translation, not English
        assert "Compared with" not in listened  # the comparison line is translated too


def test_plural_forms_follow_the_number_of_people():
    from surveys.summary import Share

    pl = Words(language("pl"), 10)
    one = Share(count=1, n=1, share=1.0, hidden=None, low=None, high=None)
    assert pl.headline("Czuli się wysłuchani", "parent", one) == "Czuli się wysłuchani: 1 z 1 rodzica (100%)"
    three = Share(count=2, n=3, share=2 / 3, hidden=None, low=None, high=None)
    assert pl.headline("Powiedziały", "child", three) == "Powiedziały: 2 z 3 dzieci (67%)"
    en = Words(language("en"), 10)
    assert en.headline("felt listened to", "child", one) == "1 of 1 child (100%) felt listened to"
