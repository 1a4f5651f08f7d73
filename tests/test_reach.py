"""Reach figures and the ANEW views-heard measure, from a dataset built here and counted by hand.

Runs on both engines. The dataset is small and written out in full so each expected figure can
be checked against it by reading; nothing is random.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest

from surveys.comparisons import OUTSIDE_NOTE, comparison_for, comparisons_of, measure, measure_line, measures_of
from surveys.initiatives import by_slug
from surveys.practitioners import PartnerError, add_partner, partners_of, remove_partner
from surveys.questionnaires import InvalidAnswers
from surveys.reach import Period, Scope, reach
from surveys.responses import submit
from surveys.sessions import create_session, open_session
from surveys.tables import Questionnaire, Session
from surveys.versions import latest_version
from tests.support import run

UTC = dt.UTC
PERIOD = Period(dt.date(2026, 9, 1), dt.date(2026, 12, 31))
IN_PERIOD = dt.datetime(2026, 10, 5, 15, tzinfo=UTC)
BEFORE = dt.datetime(2025, 5, 1, 10, tzinfo=UTC)


async def _session(slug: str, questionnaire: str, *, site: str, held_on: dt.date | None, audience: str):
    initiative = await by_slug(slug)
    q = await Questionnaire.select().where(
        (Questionnaire.initiative == initiative["id"]) & (Questionnaire.slug == questionnaire)).first()
    version = await latest_version(q["id"])
    row = await create_session(initiative["id"], version["id"], audience=audience, site=site, held_on=held_on)
    return await open_session(row["token"])


async def _answer(session, answers, *, when=IN_PERIOD, pseudonym=None):
    return await submit(session, uuid.uuid4(), answers, pseudonym=pseudonym, now=when)


def meeting(views, first="yes", written="yes", home="yes"):
    return {"views_heard": views, "views_first": first, "actions_written": written, "actions_home": home}


# ANEW, by hand: 12 meetings in the period at 10 schools (School 1 and School 2 twice each),
# 35 meeting records: views heard in person 12, through a buddy or worker 8, in writing or
# drawing 5, not heard 10, so 25 of 35 heard (71.4%, shown as 71%). 5 records carry a family's
# code (3 of them also on parents' answers). One more meeting in May 2025, outside the period,
# with 3 records (all heard) that must not count. Parents: 14 answers in the period on one
# undated link at School 1, with 12 distinct codes.
VIEWS = ["in_person"] * 12 + ["buddy_or_worker"] * 8 + ["writing_or_drawing"] * 5 + ["not_heard"] * 10
SITES = [f"School {i}" for i in range(1, 11)] + ["School 1", "school 2 "]
PARENT_CODES = [f"family-{i}" for i in range(1, 13)] + ["family-1", "family-2"]
RECORD_CODES = {0: "family-1", 7: "family-2", 13: "family-3", 20: "family-13", 30: "family-14"}


async def _anew_dataset():
    meetings = [
        await _session("anew", "anew-practitioner-meeting", site=site, audience="practitioner",
                       held_on=dt.date(2026, 9, 2) + dt.timedelta(days=7 * i))
        for i, site in enumerate(SITES)
    ]
    for i, views in enumerate(VIEWS):
        await _answer(meetings[i % len(meetings)], meeting(views), pseudonym=RECORD_CODES.get(i))
    old = await _session("anew", "anew-practitioner-meeting", site="School 11", audience="practitioner",
                         held_on=BEFORE.date())
    for _ in range(3):
        await _answer(old, meeting("in_person"), when=BEFORE)
    parents = await _session("anew", "anew-parent-after", site="School 1", audience="parent", held_on=None)
    for code in PARENT_CODES:
        await _answer(parents, {"listened": "yes", "next_steps": "yes", "helpful": "yes", "child_views": "yes"},
                      pseudonym=code)


def test_anew_reach_matches_the_hand_count(db):
    run(_anew_dataset())
    anew = run(by_slug("anew"))
    r = run(reach(anew, PERIOD))
    assert r.sessions.value == 13  # 12 dated meetings + the undated parents' link answered in the period
    assert r.sites.value == 10  # "school 2 " is School 2; the May 2025 school is outside the period
    assert r.participants.value == 14 and r.participants.label == "participants"  # 12 families + family-13, -14
    assert "distinct participant codes" in r.participants.source
    assert r.practitioners.value == 35 and r.practitioners.label == "practitioner records"
    assert "no practitioner identity" in r.practitioners.source
    assert r.responses.value == 49
    assert [(f.key, f.value) for f in r.by_audience] == [
        ("responses:parent", 14), ("responses:child", 0), ("responses:practitioner", 35)]
    assert not r.organisations.recorded and r.organisations.sentence == "delivery organisations: not recorded"

    everything = run(reach(anew))  # no period: the May 2025 meeting counts too
    assert (everything.sessions.value, everything.sites.shown, everything.practitioners.value) == (14, "11", 38)


def test_a_summarys_filters_narrow_its_reach_too(db):
    """The summary's reach block counts only the sessions its filters cover (site, questionnaire),
    not the whole initiative beside figures for one school."""
    from frontend.documents.summary import document
    from surveys.summary import Filters, build_summary

    run(_anew_dataset())
    anew = run(by_slug("anew"))
    meetings = run(reach(anew, PERIOD, Scope(questionnaire="anew-practitioner-meeting")))
    assert (meetings.sessions.value, meetings.sites.value, meetings.practitioners.value) == (12, 10, 35)
    assert meetings.responses.value == 35  # the 14 parents' answers are another questionnaire's
    assert meetings.participants.value is None  # 5 codes on meeting records: fewer than 10
    parents = run(reach(anew, PERIOD, Scope(questionnaire="anew-parent-after")))
    assert (parents.responses.value, parents.participants.value, parents.sites.shown) == (14, 12, "fewer than 10")
    school_1 = run(reach(anew, Period(), Scope(site="School 1")))
    # School 1: 2 meetings in the period with 3 + 3 records (records 0, 12, 24 and 10, 22, 34),
    # and the parents' link with 14 answers.
    assert school_1.responses.value == 20 and school_1.sessions.shown == "fewer than 10"
    assert run(reach(anew, Period(), Scope(audience="child"))).responses.value == 0  # no children asked

    filtered = run(build_summary(anew, Filters(date_from=PERIOD.start, date_to=PERIOD.end,
                                               questionnaire="anew-parent-after")))
    assert filtered.reach.responses.value == 14 and filtered.reach.practitioners.value == 0
    whole = run(build_summary(anew, Filters(date_from=PERIOD.start, date_to=PERIOD.end)))
    assert whole.reach.responses.value == 49
    [caption] = [b.caption for b in document(filtered).blocks if getattr(b, "caption", "").startswith("Who took")]
    assert "at the sessions these filters cover" in caption


def test_anew_views_heard_with_its_comparison_line(db, client):
    run(_anew_dataset())
    anew = run(by_slug("anew"))
    m = run(measure(anew["id"], "anew-practitioner-meeting", "views_heard",
                    ("in_person", "buddy_or_worker", "writing_or_drawing"), "pupils had their views heard", PERIOD))
    assert (m.x, m.n) == (25, 35)
    assert measure_line(m, None, 10) == "71% of pupils had their views heard (25 of 35)."

    # The measure as Heard lists it, with a comparison a lead attached on the reach page.
    from surveys import accounts
    from tests.test_lead_pages import sign_in

    run(accounts.add_account("lead@anew.example", "correct horse", "lead", ["anew"]))
    assert sign_in(client, "lead@anew.example", "correct horse").status_code == 303
    page = client.get("/lead/anew/reach/")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
    added = client.post("/lead/anew/reach/comparisons", follow_redirects=False, data={
        "_csrf_token": token, "measure": "anew-practitioner-meeting:views_heard", "value": "35",
        "description": "across primary schools in Dundee", "source": "Pupil wellbeing survey", "year": "2024"})
    assert added.status_code == 303

    expected = ("71% of children had their views heard at their meeting (25 of 35), against 35% across primary "
                "schools in Dundee (Pupil wellbeing survey, 2024). " + OUTSIDE_NOTE)
    measures = {x.key: x for x in run(measures_of(anew["id"], PERIOD))}
    views = measures["anew-practitioner-meeting:views_heard"]
    assert (views.x, views.n) == (25, 35)
    assert measure_line(views, comparison_for(views, run(comparisons_of(anew["id"]))), 10) == expected

    shown = client.get("/lead/anew/reach/?from=2026-09-01&to=2026-12-31")
    assert shown.status_code == 200
    # The page says it exactly as the summary for the same dates does, comparison included.
    # The summary hides this measure (one way of being heard has only 5 records, and the share would
    # give it away), so the reach page does too, where it used to print 71% (25 of 35).
    said = ("How often children had their views heard at their meeting is hidden to protect small numbers "
            "(35 practitioner records). Compared with: 35% across primary schools in Dundee "
            "(Pupil wellbeing survey, 2024)")
    assert said in shown.text and "25 of 35" not in shown.text and "71%" not in shown.text
    summary = client.get("/lead/anew/summary/?from=2026-09-01&to=2026-12-31")
    assert said in summary.text and OUTSIDE_NOTE.replace("'", "&#39;") in summary.text
    assert re.search(r"Sessions held</th><td class=\"numeric\">13<", shown.text)
    assert re.search(r"Settings or sites</th><td class=\"numeric\">10<", shown.text)
    assert re.search(r"Participants</th><td class=\"numeric\">14<", shown.text)
    assert "significan" not in shown.text.lower()


def test_small_figures_are_never_shown(db):
    async def dataset():
        # Art at the Start, by hand: 4 observations at 3 nurseries: parents 6+5+7+4 = 22,
        # children 7+6+8+5 = 26; no codes, so participants are the recorded counts, 48.
        counts = [(6, 7, "Nursery A"), (5, 6, "Nursery B"), (7, 8, "Nursery C"), (4, 5, "Nursery A")]
        for i, (parents, children, site) in enumerate(counts):
            s = await _session("art-at-the-start", "art-at-the-start-practitioner-observation", site=site,
                               audience="practitioner", held_on=dt.date(2026, 9, 10 + i))
            await _answer(s, {"parents_carers": str(parents), "children": str(children), "stayed": "mostly",
                              "tuning_in": "often"})

    run(dataset())
    r = run(reach(run(by_slug("art-at-the-start")), PERIOD))
    recorded = {f.label: f.value for f in r.recorded}
    assert recorded == {"parents and carers (counted on practitioner forms)": 22,
                        "children (counted on practitioner forms)": 26}
    assert r.participants.value == 48 and r.participants.label == "people counted on practitioner forms"
    assert "counted at each" in r.participants.source
    for figure in (r.sessions, r.sites, r.practitioners, r.responses):
        assert figure.value is None and figure.shown == "fewer than 10"
    # 4 responses, all from practitioners: every audience cell is hidden, the zeros too.
    assert all(f.value is None for f in r.by_audience)


def test_cmhwf_delivery_organisations_and_recorded_children(db):
    async def dataset():
        cmhwf = await by_slug("cmhwf")
        partners = await partners_of(cmhwf["id"])
        assert len(partners) == 12
        log = await _session("cmhwf", "cmhwf-practitioner-log", site="", audience="practitioner", held_on=None)
        # By hand: 14 logs naming partners 1..11 (partner 1 three times, 2 twice, 3..11 once):
        # 11 organisations; children seen 5 each for 13 logs and 40 once = 105.
        named = [0, 0, 0, 1, 1] + list(range(2, 11))
        for i, p in enumerate(named):
            await _answer(log, {"organisation": partners[p].option_key, "seen": "40" if i == 0 else "5",
                                "new_or_returning": "new", "came_through": ["school", "family"]})
        await _answer(log, {"organisation": partners[11].option_key, "seen": "9", "new_or_returning": "new",
                            "came_through": "self"}, when=BEFORE)
        return cmhwf

    cmhwf = run(dataset())
    r = run(reach(cmhwf, PERIOD))
    assert r.organisations.value == 11
    assert r.participants.value == 105 and r.participants.label == "people counted on practitioner forms"
    assert [(f.label, f.value) for f in r.recorded] == [
        ("children and young people (counted on practitioner forms)", 105)]
    assert r.sessions.shown == "fewer than 10" and r.sites.value == 0  # one undated link with no site
    assert run(reach(cmhwf)).organisations.value == 12


def test_partner_list_changes_make_a_new_version_and_move_open_links(db):
    async def scenario():
        cmhwf = await by_slug("cmhwf")
        log = await _session("cmhwf", "cmhwf-practitioner-log", site="", audience="practitioner", held_on=None)
        first_version = log.version_id
        await _answer(log, {"organisation": (await partners_of(cmhwf["id"]))[0].option_key, "seen": "3",
                            "new_or_returning": "new", "came_through": "self"})
        added = await add_partner(cmhwf["id"], "  Harbour   youth trust ")
        assert added.name == "Harbour youth trust"
        with pytest.raises(PartnerError, match="already on the list"):
            await add_partner(cmhwf["id"], "harbour YOUTH trust")
        with pytest.raises(PartnerError, match="Enter the organisation's name"):
            await add_partner(cmhwf["id"], "   ")
        moved = await open_session(log.token)
        assert moved.version_id != first_version
        labels = [o.label for o in moved.definition.questions[0].options]
        assert labels[-1] == "Harbour youth trust" and len(labels) == 13
        await remove_partner(cmhwf["id"], added.id)
        after = await open_session(log.token)
        assert "Harbour youth trust" not in [o.label for o in after.definition.questions[0].options]
        with pytest.raises(InvalidAnswers):
            await _answer(after, {"organisation": added.option_key, "seen": "3", "new_or_returning": "new",
                                  "came_through": "self"})
        # The earlier answer keeps its version.
        sessions = await Session.select(Session.questionnaire_version).where(Session.token == log.token)
        assert sessions[0]["questionnaire_version"] == after.version_id

    run(scenario())


def test_the_last_partner_cannot_be_removed(db):
    async def scenario():
        cmhwf = await by_slug("cmhwf")
        partners = await partners_of(cmhwf["id"])
        for p in partners[1:]:
            await remove_partner(cmhwf["id"], p.id)
        with pytest.raises(PartnerError, match="at least one"):
            await remove_partner(cmhwf["id"], partners[0].id)

    run(scenario())


def test_demo_practitioner_records_are_added_once_and_counted(db):
    from surveys.demo import ensure_demo_initiatives, generate_responses
    from surveys.practitioner_demo import PLAN, ensure_practitioner_demo

    initiatives = run(ensure_demo_initiatives())
    run(generate_responses(10))  # the parents' and children's demo answers come first, as in `heard demo`
    expected = sum(len(sites) * per_site for sites, per_site, _ in PLAN.values())
    assert run(ensure_practitioner_demo(initiatives)) == expected == 112
    assert run(ensure_practitioner_demo(initiatives)) == 0
    art = run(reach(initiatives["art-at-the-start"]))
    # 12 nurseries, plus the parents' demo link at "Demo site"
    assert (art.sessions.value, art.sites.value, art.practitioners.value) == (13, 13, 12)
    cmhwf = run(reach(initiatives["cmhwf"]))
    assert cmhwf.practitioners.value == 60 and cmhwf.organisations.value is not None


def test_data_dictionary_gives_a_number_questions_range(client):
    from surveys import accounts
    from tests.test_lead_pages import sign_in

    run(accounts.add_account("lead@art.example", "correct horse", "lead", ["art-at-the-start"]))
    sign_in(client, "lead@art.example", "correct horse")
    text = client.get("/lead/art-at-the-start/data-dictionary.csv").content.decode("utf-8-sig")
    assert ("art-at-the-start-practitioner-observation v1: children,answer_code,"
            "A whole number from 0 to 50 (children)") in text


def test_a_small_recorded_count_cannot_be_worked_out_from_the_people_counted(db):
    async def dataset():
        # 3 observations: parents 8+8+6 = 22, children 2+1+2 = 5 (small): the sum 27 minus 22 would
        # give the children away, so one more figure is hidden as well.
        for i, (parents, children) in enumerate([(8, 2), (8, 1), (6, 2)]):
            s = await _session("art-at-the-start", "art-at-the-start-practitioner-observation", site=f"N{i}",
                               audience="practitioner", held_on=dt.date(2026, 9, 10 + i))
            await _answer(s, {"parents_carers": str(parents), "children": str(children), "stayed": "mostly",
                              "tuning_in": "often"})

    run(dataset())
    r = run(reach(run(by_slug("art-at-the-start")), PERIOD))
    recorded = {f.label.split(" (")[0]: f for f in r.recorded}
    assert recorded["children"].shown == "fewer than 10"
    assert recorded["parents and carers"].value is None or r.participants.value is None


@pytest.mark.parametrize("x, n, expected", [
    (25, 35, "71% of children had their views heard (25 of 35)."),
    (1, 8 * 10, None),  # 1 heard: hidden
    (30, 35, None),  # 5 not heard would follow from 30 of 35: hidden
    (5, 9, None),  # fewer than 10 records
    (10, 80, "13% of children had their views heard (10 of 80)."),  # 12.5 rounds up, as people round
])
def test_measure_lines_follow_the_suppression_rules(x, n, expected):
    from surveys.comparisons import Measure

    line = measure_line(Measure("q", "views", "children had their views heard", x, n), None, 10)
    if expected:
        assert line == expected
    else:
        assert line.startswith("Not shown (") and line.endswith("): how many children had their views heard.")
        assert f"{x} of" not in line and "%" not in line


def test_parents_and_childrens_measures_name_who(db):
    anew = run(by_slug("anew"))
    labels = {m.key: m.label for m in run(measures_of(anew["id"]))}
    assert labels["anew-parent-after:listened"] == "parents and carers felt listened to"
    assert labels["anew-practitioner-meeting:views_heard"] == "children had their views heard at their meeting"
    cmhwf = run(by_slug("cmhwf"))
    assert {m.label for m in run(measures_of(cmhwf["id"]))} >= {"children would come again"}
