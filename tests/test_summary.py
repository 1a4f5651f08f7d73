"""The partner summary matches counts worked out by hand, on SQLite and PostgreSQL alike.

Each test builds its own small dataset (sessions, responses, answers) and checks the Summary
against figures counted from that dataset by hand, including what must be hidden.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from surveys.initiatives import by_slug
from surveys.sessions import create_session
from surveys.statistics import paired_change, wilson_interval
from surveys.summary import Filters, ThemeInput, build_summary
from surveys.tables import Answer, Response
from surveys.versions import definition_of, latest_version, questionnaires_of
from tests.support import run

NOW = dt.datetime(2026, 10, 15, 12, tzinfo=dt.UTC)


class Dataset:
    """Sessions and responses for one initiative, written straight to the tables."""

    def __init__(self, slug: str) -> None:
        self.initiative = run(by_slug(slug))
        questionnaire = run(questionnaires_of(self.initiative["id"]))[0]
        self.questionnaire = questionnaire
        self.version = run(latest_version(questionnaire["id"]))
        self.definition = run(definition_of(self.version["id"]))
        self.sessions: dict[tuple, dict] = {}

    def session(self, phase: str = "single", site: str = "Hub") -> dict:
        key = (phase, site)
        if key not in self.sessions:
            self.sessions[key] = run(create_session(self.initiative["id"], self.version["id"],
                                                    audience=self.questionnaire["audience"], phase=phase,
                                                    site=site))
        return self.sessions[key]

    def respond(self, answers: dict[str, str], *, phase: str = "single", site: str = "Hub",
                pseudonym: str | None = None, when: dt.datetime = NOW, times: int = 1) -> None:
        session = self.session(phase, site)
        for _ in range(times):
            rows = run(Response.insert(Response(
                initiative=self.initiative["id"], session=session["id"],
                questionnaire_version=self.version["id"], submission_id=uuid.uuid4(),
                pseudonym=pseudonym, submitted_hour=when)))
            response_id = rows[0]["id"]
            for key, option in answers.items():
                page = self.definition.page(key)
                if page.question.type == "text":
                    run(Answer.insert(Answer(response=response_id, question_key=key, text=option,
                                             quote_consent=True)))
                else:
                    value = page.question.option(option).value
                    run(Answer.insert(Answer(response=response_id, question_key=key, option_key=option,
                                             value=value)))

    def summary(self, filters: Filters | None = None, **kw):
        return run(build_summary(self.initiative, filters, **kw))


def question(summary, key):
    return next(r for q in summary.questionnaires for r in q.questions if r.key == key)


def option(result, key):
    return next(o for o in result.options if o.key == key)


def test_no_responses(db):
    data = Dataset("anew")
    summary = data.summary()
    assert summary.method.responses == 0
    assert summary.method.first is None
    # The practitioner record questionnaire is there too, unanswered in these datasets.
    (q,) = [x for x in summary.questionnaires if x.audience != "practitioner"]
    assert q.responses == 0
    listened = question(summary, "listened")
    assert listened.n == 0
    assert all(o.count == 0 for o in listened.options)
    assert [h.top.n for h in summary.headlines if h.questionnaire == q.slug] == [0, 0, 0, 0]
    assert q.changes == () and q.unpaired == ()


def test_counts_match_hand_counts_with_not_sure_shown_apart(db):
    data = Dataset("anew")
    data.respond({"listened": "yes"}, times=20)
    data.respond({"listened": "partly"}, times=12)
    data.respond({"listened": "no"}, times=10)
    data.respond({"listened": "not_sure"}, times=3)
    summary = data.summary()
    assert summary.method.responses == 45
    listened = question(summary, "listened")
    assert listened.n == 45
    assert (option(listened, "yes").count, option(listened, "partly").count) == (20, 12)
    assert option(listened, "yes").share == pytest.approx(20 / 45)
    # "Not sure" (3) is small: shown as "fewer than 10"; "no" (10) is hidden as well, or 45-20-12
    # would give it away. Neither is dropped from the total.
    assert option(listened, "not_sure").aside and option(listened, "not_sure").hidden == "primary"
    assert option(listened, "no").count is None and option(listened, "no").hidden == "secondary"
    assert listened.top.count == 20 and listened.top.n == 45
    assert (listened.top.low, listened.top.high) == pytest.approx(wilson_interval(20, 45))
    headline = summary.headlines[0]
    assert (headline.question, headline.wording, headline.audience) == ("listened", "felt listened to", "parent")
    assert summary.method.hidden_small == 1 and summary.method.hidden_secondary == 1
    # Questions nobody answered are counted as such, not invented.
    assert question(summary, "helpful").n == 0


def test_everyone_gave_the_same_answer(db):
    data = Dataset("anew")
    data.respond({"listened": "yes"}, times=23)
    summary = data.summary()
    headline = summary.headlines[0]
    assert (headline.top.count, headline.top.n, headline.top.share) == (23, 23, 1.0)
    assert headline.top.high == 1.0 and headline.top.low == pytest.approx(wilson_interval(23, 23)[0])
    assert headline.uniform
    from frontend.core.i18n import language
    from frontend.documents.summary import Words

    line = Words(language("en"), 10).headline(headline.wording, headline.audience, headline.top)
    assert line == "23 of 23 parents (100%) felt listened to"


def test_a_small_group_hides_everything(db):
    data = Dataset("anew")
    data.respond({"listened": "yes"}, times=7)
    summary = data.summary()
    assert summary.method.responses is None
    listened = question(summary, "listened")
    assert listened.n is None and all(o.count is None for o in listened.options)
    assert summary.headlines[0].top.count is None


def test_a_top_count_that_would_reveal_a_small_one_is_hidden(db):
    data = Dataset("anew")
    data.respond({"helpful": "yes"}, times=13)
    data.respond({"helpful": "partly"}, times=2)
    headline = next(h for h in data.summary().headlines if h.question == "helpful")
    assert headline.top.count is None and headline.top.n == 15 and headline.top.hidden == "secondary"


def test_paired_before_and_after_by_pseudonym(db):
    data = Dataset("anew")
    # 12 people who got better by one step, 10 who stayed the same (ties), each seen before and after.
    before, after = [], []
    for i in range(22):
        start, end = ("partly", "yes") if i < 12 else ("yes", "yes")
        data.respond({"listened": start}, phase="before", pseudonym=f"p{i}")
        data.respond({"listened": end}, phase="after", pseudonym=f"p{i}")
        before.append(2 if start == "partly" else 3)
        after.append(3)
    # Someone who answered "before" twice: only their first before counts.
    data.respond({"listened": "no"}, phase="before", pseudonym="p0", when=NOW + dt.timedelta(days=1))
    # Someone seen only after, and an after with no code: never paired.
    data.respond({"listened": "yes"}, phase="after", pseudonym="lonely")
    data.respond({"listened": "yes"}, phase="after")
    summary = data.summary()
    # The practitioner record questionnaire is there too, unanswered in these datasets.
    (q,) = [x for x in summary.questionnaires if x.audience != "practitioner"]
    change = next(c for c in q.changes if c.kind == "paired" and c.question == "listened")
    expected = paired_change(before, after)
    assert change.shown and change.pairs == 22
    assert (change.better, change.same, change.worse) == (12, 10, 0)
    assert change.median_change == expected.median_change == 1.0
    assert change.p_value == pytest.approx(expected.p_value)
    assert change.effect_size_r == pytest.approx(expected.effect_size_r)
    assert change.before_top.count == 10 and change.after_top.count == 22
    # As two separate groups: "no" (1 person, before) is small, so the split is not shown at all:
    # its parts and the whole together would give hidden counts away.
    unpaired = next(u for u in q.unpaired if u.question == "listened")
    assert unpaired.before is None and unpaired.after is None


def test_unpaired_before_and_after_when_nothing_is_small(db):
    data = Dataset("anew")
    data.respond({"listened": "partly"}, phase="before", times=12)
    data.respond({"listened": "yes"}, phase="before", times=10)
    data.respond({"listened": "yes"}, phase="after", times=15)
    data.respond({"listened": "partly"}, phase="after", times=10)
    (q,) = [x for x in data.summary().questionnaires if x.audience != "practitioner"]
    assert q.changes == ()  # no codes, so no pairs
    unpaired = next(u for u in q.unpaired if u.question == "listened")
    assert (unpaired.before.n, unpaired.after.n) == (22, 25)
    assert option(unpaired.before, "partly").count == 12 and option(unpaired.after, "yes").count == 15
    assert unpaired.after.top.count == 15


def test_one_pair_shows_nothing_but_that_it_is_too_few(db):
    data = Dataset("anew")
    data.respond({"listened": "partly"}, phase="before", pseudonym="only")
    data.respond({"listened": "yes"}, phase="after", pseudonym="only")
    (q,) = [x for x in data.summary().questionnaires if x.audience != "practitioner"]
    (change,) = q.changes
    assert not change.shown
    assert change.pairs is None and change.median_change is None and change.p_value is None
    assert data.summary().method.pairs_too_few == 1


def test_p_value_is_withheld_when_fewer_than_six_pairs_changed(db):
    data = Dataset("anew")
    for i in range(12):
        end = "yes" if i < 3 else "partly"
        data.respond({"listened": "partly"}, phase="before", pseudonym=f"p{i}")
        data.respond({"listened": end}, phase="after", pseudonym=f"p{i}")
    change = data.summary().questionnaires[0].changes[0]
    assert change.shown and change.pairs == 12
    assert change.p_value is None and "changed" in change.note
    assert change.better is None and change.better_share is None  # 3 is a small number


def test_then_and_now_in_one_response(db):
    data = Dataset("art-at-the-start")
    for _ in range(11):
        data.respond({"confidence.before": "a_little", "confidence.now": "very"})
    for _ in range(10):
        data.respond({"confidence.before": "fairly", "confidence.now": "fairly"})
    summary = data.summary()
    change = next(c for c in summary.questionnaires[0].changes if c.kind == "then-and-now")
    assert (change.pairs, change.better, change.same, change.worse) == (21, 11, 10, 0)
    assert change.median_change == 2.0
    expected = paired_change([2] * 11 + [3] * 10, [4] * 11 + [3] * 10)
    assert change.p_value == pytest.approx(expected.p_value)
    headline = next(h for h in summary.headlines if h.question == "confidence.now")
    assert (headline.top.count, headline.top.n) == (11, 21)


def test_filters_by_site_date_and_phase(db):
    data = Dataset("anew")
    data.respond({"listened": "yes"}, site="North", times=10)
    data.respond({"listened": "partly"}, site="South", times=12, when=NOW - dt.timedelta(days=40))
    assert question(data.summary(Filters(site="North")), "listened").n == 10
    early = data.summary(Filters(date_to=(NOW - dt.timedelta(days=30)).date()))
    assert option(question(early, "listened"), "partly").count == 12 and question(early, "listened").n == 12
    same_day = data.summary(Filters(date_from=NOW.date(), date_to=NOW.date()))
    assert same_day.method.responses == 10
    assert data.summary(Filters(phase="before")).method.responses == 0
    assert data.summary(Filters(audience="child")).questionnaires == ()


def test_themes_are_suppressed_like_any_count(db):
    data = Dataset("anew")
    data.respond({"listened": "yes"}, times=10)

    async def themes(initiative_id, filters):
        return [ThemeInput("time", "Time to talk", 12, ("More time to talk.",) * 5),
                ThemeInput("room", "The room", 3, ("A quieter room.",))]

    summary = data.summary(themes=themes)
    time_theme, room = summary.themes
    assert time_theme.mentions == 12 and len(time_theme.quotes) == 3
    assert room.mentions is None and room.quotes == ("A quieter room.",)


def test_the_calendars_first_and_last_days_leave_the_period_open(db):
    import csv
    import io

    from frontend.documents.summary_files import export

    data = Dataset("anew")
    data.respond({"listened": "yes"}, times=10)
    everything = Filters(date_from=dt.date.min, date_to=dt.date.max)  # there is no day after 9999-12-31
    assert data.summary(everything).method.responses == 10
    rows = list(csv.reader(io.StringIO(run(export(data.initiative, "csv", everything)).decode("utf-8-sig"))))
    assert len({row[0] for row in rows[1:]}) == 10
    assert everything.period.ends_before is None and Filters(date_to=NOW.date()).period.ends_before == dt.datetime(
        2026, 10, 16, tzinfo=dt.UTC)
