"""The live counts on an initiative's page: true for leads, marked where partners would see less;
published figures only for viewers, with no hidden count recoverable across its tables."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from zoneinfo import ZoneInfo

import pytest

from surveys import accounts, linked, packs
from surveys.disclosure import PRIMARY
from surveys.initiatives import by_slug
from surveys.live import activity
from surveys.practitioners import save_with_partners
from surveys.questionnaires import load_file
from surveys.responses import submit
from surveys.sessions import create_session, open_session
from surveys.tables import Questionnaire
from surveys.versions import latest_version
from tests.support import run
from tests.test_lead_pages import sign_in

LONDON = ZoneInfo("Europe/London")
# A Wednesday in winter (London = UTC); the week started on Monday 30 November.
NOW = dt.datetime(2026, 12, 2, 15, 30, tzinfo=dt.UTC)


async def _session(questionnaire: str, audience: str, site: str):
    initiative = await by_slug("anew")
    q = (
        await Questionnaire.select()
        .where((Questionnaire.initiative == initiative["id"]) & (Questionnaire.slug == questionnaire))
        .first()
    )
    version = await latest_version(q["id"])
    row = await create_session(initiative["id"], version["id"], audience=audience, site=site)
    return row["token"], await open_session(row["token"])


async def _answers(session, n: int, when: dt.datetime, way: str = "phone") -> None:
    answers = {p.answer_key: p.question.options[0].key for p in session.definition.pages if p.question.options}
    for _ in range(n):
        await submit(session, uuid.uuid4(), answers, now=when, way=way)


async def _story(now: dt.datetime, hour: dt.timedelta) -> dict:
    """School A: 3 parents today and 12 last week; School B: 2 children's tablet answers today
    and 20 parents three weeks ago, 1 before the chart's 12 weeks; all as of ``now``. Today's
    come ``hour`` and two before ``now`` (the tablet's last); an ``hour`` of 0 keeps them in
    ``now``'s own hour, whatever its time of day."""
    a_token, a = await _session("anew-parent-after", "parent", "School A")
    b_token, b = await _session("anew-parent-after", "parent", "School B")
    anew = await by_slug("anew")  # ANEW starts without its children's questionnaire: add it
    await save_with_partners(anew["id"], load_file(packs.get("anew").questionnaire_file("anew-child")))
    k_token, k = await _session("anew-child", "child", "School B")
    await _answers(a, 3, now - 2 * hour)
    await _answers(a, 12, now - dt.timedelta(days=7))
    await _answers(k, 2, now - hour, "tablet")
    await _answers(b, 20, now - dt.timedelta(weeks=3))
    await _answers(b, 1, now - dt.timedelta(weeks=30))
    await accounts.add_account("lead@anew.example", "correct horse", "lead", ["anew"])
    await accounts.add_account("viewer@anew.example", "just looking", "viewer", ["anew"])
    return {"a": a_token, "b": b_token, "kiosk": k_token, "a_session": a}


@pytest.fixture
def anew(db):
    """The story as of a fixed Wednesday afternoon, for counting with ``activity(now=NOW)``."""
    return run(_story(NOW, dt.timedelta(hours=1)))


@pytest.fixture
def anew_now(db):
    """The same story as of the real clock, for the pages, which count as of now."""
    return run(_story(dt.datetime.now(dt.UTC), dt.timedelta(0)))


def _figures(found) -> dict:
    return {f.key: f for f in found}


def test_counts_by_day_week_site_way_and_session(anew):
    live = run(activity(run(by_slug("anew")), LONDON, now=NOW))
    headlines = _figures(live.headlines)
    assert (headlines["today"].count, headlines["week"].count, headlines["total"].count) == (5, 5, 38)
    assert headlines["today"].hidden == PRIMARY  # 5 is small: partners would see "fewer than 10"
    assert headlines["total"].hidden is None
    sites = {f.label: f.count for f in live.sites}
    assert sites == {"School A": 15, "School B": 23}
    ways = {f.key: f.count for f in live.ways}
    assert ways == {"tablet": 2, "phone": 36}
    weeks = {f.key: f.count for f in live.weeks}
    assert len(weeks) == 12 and list(weeks)[-1] == "2026-11-30"
    assert weeks["2026-11-30"] == 5 and weeks["2026-11-23"] == 12 and weeks["2026-11-09"] == 20
    assert sum(weeks.values()) == 37  # the 38th came 30 weeks ago, before the chart
    by_token = {s.token: s for s in live.sessions}
    assert (by_token[anew["a"]].today, by_token[anew["a"]].week, by_token[anew["a"]].total) == (3, 3, 15)
    assert by_token[anew["kiosk"]].small and not by_token[anew["b"]].small
    assert live.sessions[0].token == anew["kiosk"]  # most recent answers first


def test_a_day_is_londons_day_in_summer_time(db):
    """At 00:20 in London in June (23:20 UTC the day before), answers given at 23:05 UTC count
    as today's, and the ones given at 22:50 UTC as yesterday's."""
    just_after_midnight = dt.datetime(2026, 6, 10, 23, 20, tzinfo=dt.UTC)

    async def build():
        _, session = await _session("anew-parent-after", "parent", "School A")
        await _answers(session, 4, dt.datetime(2026, 6, 10, 23, 5, tzinfo=dt.UTC))
        await _answers(session, 6, dt.datetime(2026, 6, 10, 22, 50, tzinfo=dt.UTC))
        return await activity(await by_slug("anew"), LONDON, now=just_after_midnight)

    headlines = _figures(run(build()).headlines)
    assert (headlines["today"].count, headlines["week"].count, headlines["total"].count) == (4, 10, 10)


def test_no_hidden_figure_can_be_worked_out_from_the_others(anew):
    live = run(activity(run(by_slug("anew")), LONDON, now=NOW))
    assert live.any_hidden
    published = []
    for group in ("headlines", "sites", "ways", "weeks"):
        published += [(group, f) for f in getattr(live, group)]
    # Every shown figure, and every hidden one, as a sum over the base cells the page counts
    # (site, way, week), rebuilt here from the fixture's own story.
    cells = {
        ("A", "phone", "today"): 3,
        ("A", "phone", "2026-11-23"): 12,
        ("B", "tablet", "today"): 2,
        ("B", "phone", "2026-11-09"): 20,
        ("B", "phone", "before"): 1,
    }

    def of(group, key):
        if group == "headlines":
            buckets = {"today": {"today"}, "week": {"today", "2026-11-30"}}.get(key)
            return frozenset(c for c in cells if buckets is None or c[2] in buckets)
        if group == "sites":
            return frozenset(c for c in cells if c[0] == key[-1].upper())
        if group == "ways":
            return frozenset(c for c in cells if c[1] == key)
        week = {key} | ({"today"} if key == "2026-11-30" else set())
        return frozenset(c for c in cells if c[2] in week)

    figures = [linked.Figure((g, f.key), g, of(g, f.key), f.count, f.hidden) for g, f in published]
    for figure in figures:
        assert figure.count == sum(cells[c] for c in figure.cells), figure.key
    assert linked.recoverable(figures) == []


def test_protect_hides_more_until_nothing_can_be_worked_out():
    # x: site A tablet (3), y: site A phone (10), z: site B phone (15). The weeks split them
    # differently, so site A minus week 1 would give x away.
    x, y, z = "x", "y", "z"
    figures = [
        linked.Figure("tablet", "way", frozenset({x}), 3, PRIMARY),
        linked.Figure("phone", "way", frozenset({y, z}), 25, "secondary"),
        linked.Figure("A", "site", frozenset({x, y}), 13),
        linked.Figure("B", "site", frozenset({z}), 15),
        linked.Figure("week 1", "week", frozenset({y}), 10),
        linked.Figure("week 2", "week", frozenset({x, z}), 18),
        linked.Figure("total", "headline", frozenset({x, y, z}), 28),
    ]
    assert [f.key for f in linked.recoverable(figures)] == ["tablet", "phone"]
    protected = linked.protect(figures)
    assert linked.recoverable(protected) == []
    newly_hidden = {f.key for f, before in zip(protected, figures) if f.hidden and not before.hidden}
    assert newly_hidden and "total" not in newly_hidden


def test_a_lead_sees_true_counts_marked_and_a_viewer_sees_published_figures(client, anew_now):
    anew = anew_now
    assert sign_in(client, "lead@anew.example", "correct horse").status_code == 303
    lead = client.get("/lead/anew/").text
    live = lead.split('id="live"', 1)[1].split("</section>", 1)[0]
    today = re.search(r'data-figure="today">(.*?)</dd>', live).group(1)
    assert today.startswith("5 ") and "hidden from partners" in today
    assert f'data-session="{anew["kiosk"]}"' in live  # per-session lines, for leads
    assert "<svg" in live and 'role="img"' in live

    client.post("/lead/logout", data={"_csrf_token": re.search(r'name="_csrf_token" value="([^"]+)"', lead).group(1)})
    assert sign_in(client, "viewer@anew.example", "just looking").status_code == 303
    viewer = client.get("/lead/anew/").text
    # A viewer is offered only what a viewer may open: the summary, reach and the data dictionary.
    offered = set(re.findall(r'href="/lead/anew/([^"#?]*)', viewer))
    assert offered == {"summary/", "reach/", "data-dictionary.csv", ""}, offered
    for path in offered:
        assert client.get(f"/lead/anew/{path}").status_code == 200, path
    live = viewer.split('id="live"', 1)[1].split("</section>", 1)[0]
    assert re.search(r'data-figure="today"><span class="suppressed">fewer than 10</span>', live)
    assert "data-session=" not in live and "hidden from partners" not in live
    # No small number is printed anywhere in the viewer's block: numbers in cells are 0 or >= 10.
    for number in re.findall(r">(\d+)<", live):
        assert int(number) == 0 or int(number) >= 10, number


def test_the_live_block_alone_moves_with_three_new_answers(client, anew_now):
    anew = anew_now
    sign_in(client, "lead@anew.example", "correct horse")
    first = client.get("/lead/anew/live")
    assert first.status_code == 200
    assert first.headers["cache-control"] == "no-store"
    assert first.text.lstrip().startswith("<section") and "<html" not in first.text

    def total(html: str) -> int:
        return int(re.search(r'data-figure="total">(\d+)', html).group(1))

    before = total(first.text)
    run(_answers(anew["a_session"], 3, dt.datetime.now(dt.UTC)))
    after = client.get("/lead/anew/live").text
    assert total(after) == before + 3
    row = re.search(rf'data-session="{anew["a"]}">.*?</tr>', after, re.S).group(0)
    assert re.search(r"data-total>18\b", row)


def test_the_live_block_needs_an_account_for_that_initiative(client, anew_now):
    assert client.get("/lead/anew/live", follow_redirects=False).status_code == 303
    run(accounts.add_account("lead@cmhwf.example", "battery staple", "lead", ["cmhwf"]))
    sign_in(client, "lead@cmhwf.example", "battery staple")
    assert client.get("/lead/anew/live").status_code == 404
