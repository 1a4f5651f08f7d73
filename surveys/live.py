"""How an initiative's responses are coming in: today, this week, per session, site and week.

This is what a lead watches while a programme runs ("did the three parents at this morning's
group get their answers in?"), so it counts everything in SQL and is cheap to ask again every
half a minute. Each figure carries both the true count and the figure as a viewer or a partner
may see it: every group of figures goes through :func:`surveys.disclosure.suppress` and then
:func:`surveys.linked.protect` across all of them, because the headline counts, the sites, the
ways of answering and the weeks are all counts of the same people and could otherwise be played
off against each other. Per-session counts are for leads alone and are not published at all.

Days and weeks are the reader's: ``zone`` says where midnight is (weeks start on Monday).
Responses are stored to the hour, in UTC; every zone Heard serves is a whole number of hours
from UTC, so a local day is a whole number of stored hours.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from piccolo.query.functions.aggregate import Sum

from surveys import linked
from surveys.disclosure import PRIMARY, suppress
from surveys.tables import ResponseTally, Session

WEEKS = 12
WAYS = {"phone": "Phone or browser form", "tablet": "Tablet", "paper": "Paper, typed in by staff"}
HEADLINES = {"today": "Today", "week": "This week", "total": "In all"}


@dataclass(frozen=True)
class Figure:
    """A count with what a viewer or partner sees of it.

    ``shown`` is the count or None; ``hidden`` is None, "primary" (1 to threshold-1: "fewer than
    N") or "secondary" (hidden so that a small count can't be worked out from the rest).
    """

    key: str
    label: str
    count: int
    hidden: str | None

    @property
    def shown(self) -> int | None:
        return None if self.hidden else self.count


@dataclass(frozen=True)
class SessionLine:
    """One session's responses, for leads only (true counts; ``small`` marks 1..threshold-1)."""

    token: str
    site: str
    audience: str
    held_on: dt.date | None
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    total: int
    today: int
    week: int
    last_hour: dt.datetime | None
    small: bool


@dataclass(frozen=True)
class Activity:
    threshold: int
    as_of: dt.datetime
    today_starts: dt.datetime
    week_starts: dt.date
    headlines: tuple[Figure, ...]  # today, this week, in all
    sites: tuple[Figure, ...]
    ways: tuple[Figure, ...]
    weeks: tuple[Figure, ...]  # oldest first, this week last; key = the Monday, ISO
    sessions: tuple[SessionLine, ...]  # newest activity first

    @property
    def any_hidden(self) -> bool:
        return any(f.hidden for f in (*self.headlines, *self.sites, *self.ways, *self.weeks))


def _as_utc(value) -> dt.datetime:
    if isinstance(value, str):  # SQLite hands back the stored text in a raw group
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def _site_key(site: str) -> str:
    return site.strip().casefold()


async def activity(initiative: dict, zone: ZoneInfo, now: dt.datetime | None = None) -> Activity:
    """How ``initiative``'s responses came in, as of ``now``, in ``zone``'s days and weeks."""
    initiative_id, threshold = initiative["id"], initiative["suppression_threshold"]
    now = (now or dt.datetime.now(dt.UTC)).astimezone(zone)
    today = now.date()
    monday = today - dt.timedelta(days=today.weekday())
    first_monday = monday - dt.timedelta(weeks=WEEKS - 1)
    today_starts = dt.datetime.combine(today, dt.time(0), tzinfo=zone).astimezone(dt.UTC)
    week_starts = dt.datetime.combine(monday, dt.time(0), tzinfo=zone).astimezone(dt.UTC)
    chart_starts = dt.datetime.combine(first_monday, dt.time(0), tzinfo=zone).astimezone(dt.UTC)

    sessions = {
        row["id"]: row
        for row in await Session.select(
            Session.id,
            Session.token,
            Session.site,
            Session.audience,
            Session.held_on,
            Session.opens_at,
            Session.closes_at,
        ).where(Session.initiative == initiative_id)
    }
    totals: dict[tuple[int, str], int] = defaultdict(int)
    # From the response tallies (surveys.tallies): a row per session, hour and way, not per response.
    for row in await (
        ResponseTally.select(ResponseTally.session, ResponseTally.way, Sum(ResponseTally.n, alias="n"))
        .where(ResponseTally.initiative == initiative_id)
        .group_by(ResponseTally.session, ResponseTally.way)
    ):
        totals[(row["session"], row["way"])] += row["n"]
    recent = await (
        ResponseTally.select(
            ResponseTally.session, ResponseTally.way, ResponseTally.submitted_hour, Sum(ResponseTally.n, alias="n")
        )
        .where(
            (ResponseTally.initiative == initiative_id)
            & (ResponseTally.submitted_hour >= chart_starts)
            & (ResponseTally.n > 0)
        )
        .group_by(ResponseTally.session, ResponseTally.way, ResponseTally.submitted_hour)
    )

    # Base cells: (site, way, bucket), bucket being "today", a Monday (ISO) or "before".
    cells: dict[tuple, int] = defaultdict(int)
    per_session: dict[int, dict] = defaultdict(lambda: {"today": 0, "week": 0, "last": None})
    recent_by_way: dict[tuple[int, str], int] = defaultdict(int)
    for row in recent:
        hour = _as_utc(row["submitted_hour"])
        s = sessions.get(row["session"])
        if s is None:
            continue
        line = per_session[row["session"]]
        recent_by_way[(row["session"], row["way"])] += row["n"]
        line["last"] = max(line["last"] or hour, hour)
        local = hour.astimezone(zone).date()
        if hour >= today_starts:
            bucket = "today"
            line["today"] += row["n"]
        else:
            bucket = (local - dt.timedelta(days=local.weekday())).isoformat()
        if hour >= week_starts:
            line["week"] += row["n"]
        cells[(_site_key(s["site"]), row["way"], bucket)] += row["n"]
    session_totals: dict[int, int] = defaultdict(int)
    for (session_id, way), n in totals.items():
        session_totals[session_id] += n
        s = sessions.get(session_id)
        before = n - recent_by_way.get((session_id, way), 0)
        if s is not None and before:
            cells[(_site_key(s["site"]), way, "before")] += before
    cells = {k: n for k, n in cells.items() if n}

    site_names: dict[str, str] = {}
    for s in sorted(sessions.values(), key=lambda s: s["id"]):
        site_names.setdefault(_site_key(s["site"]), s["site"].strip() or "No site given")
    ways_used = {c[1] for c in cells}
    mondays = [(first_monday + dt.timedelta(weeks=i)).isoformat() for i in range(WEEKS)]
    this_week = {"today", monday.isoformat()}

    def where(test) -> frozenset:
        return frozenset(c for c in cells if test(c))

    def count(of: frozenset) -> int:
        return sum(cells[c] for c in of)

    groups = {
        "headline": [
            ("today", where(lambda c: c[2] == "today")),
            ("week", where(lambda c: c[2] in this_week)),
            ("total", frozenset(cells)),
        ],
        "site": [(k, where(lambda c, k=k: c[0] == k)) for k in sorted(site_names, key=lambda k: site_names[k])],
        "way": [(k, where(lambda c, k=k: c[1] == k)) for k in WAYS if k in ways_used],
        "week": [
            (m, where(lambda c, m=m: c[2] == m or (m == monday.isoformat() and c[2] == "today"))) for m in mondays
        ],
    }
    figures = []
    for group, entries in groups.items():
        counts = [(str(key), count(of)) for key, of in entries]
        if group == "headline":  # single figures: each one small or not on its own
            hidden = [PRIMARY if 0 < n < threshold else None for _, n in counts]
        else:
            hidden = [cell.hidden for cell in suppress(counts, threshold).cells]
        figures += [
            linked.Figure((group, key), group, of, n, h) for (key, of), (_, n), h in zip(entries, counts, hidden)
        ]
    protected = {f.key: f for f in linked.protect(figures)}

    def published(group: str, labels) -> tuple[Figure, ...]:
        return tuple(
            Figure(str(key), labels(key), protected[(group, key)].count, protected[(group, key)].hidden)
            for key, _ in groups[group]
        )

    lines = []
    for session_id, s in sessions.items():
        n = session_totals.get(session_id, 0)
        extra = per_session.get(session_id, {"today": 0, "week": 0, "last": None})
        lines.append(
            SessionLine(
                s["token"],
                s["site"],
                s["audience"],
                s["held_on"],
                s["opens_at"],
                s["closes_at"],
                n,
                extra["today"],
                extra["week"],
                extra["last"],
                0 < n < threshold,
            )
        )
    lines.sort(
        key=lambda line: (line.last_hour or dt.datetime.min.replace(tzinfo=dt.UTC), line.held_on or dt.date.min),
        reverse=True,
    )
    return Activity(
        threshold=threshold,
        as_of=now,
        today_starts=today_starts,
        week_starts=monday,
        headlines=published("headline", HEADLINES.__getitem__),
        sites=published("site", site_names.__getitem__),
        ways=published("way", WAYS.__getitem__),
        weeks=published("week", lambda m: dt.date.fromisoformat(m).strftime("%-d %b")),
        sessions=tuple(lines),
    )
