"""A partner summary as a document: headings, sentences, charts and tables, in one language.

:func:`document` turns a :class:`surveys.summary.Summary` (numbers and keys) into a flat list of
blocks with every figure already worded ("23 of 23 parents (100%) felt listened to",
"fewer than 10"). The web page, the Word file and the PDF all walk the same blocks, so they say
the same thing in the same order; numbers are formatted by Babel for the reader's language.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import NumberPattern, format_decimal, format_percent, parse_pattern

from frontend.core.i18n import Language
from frontend.core.i18n import language as language_named
from frontend.documents import charts, headlines
from surveys.comparisons import OUTSIDE_NOTE
from surveys.figures import SMALLEST_P, TENTH_OF_A_PERCENT, rounded_share
from surveys.summary import Change, QuestionResult, Share, Summary
from surveys.text import for_document

FOOTNOTE = "†"


@dataclass(frozen=True)
class Heading:
    kind = "heading"
    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    kind = "paragraph"
    text: str
    style: str = "body"  # body, lead, hint, warning


@dataclass(frozen=True)
class Headlines:
    kind = "headlines"
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Figure:
    kind = "figure"
    chart: charts.Chart


@dataclass(frozen=True)
class Table:
    kind = "table"
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""


@dataclass(frozen=True)
class Quote:
    kind = "quote"
    text: str
    attribution: str


@dataclass
class Document:
    title: str
    subtitle: str
    blocks: list = field(default_factory=list)
    language: str = "en"

    @property
    def headline_lines(self) -> list[str]:
        return [line for block in self.blocks if isinstance(block, Headlines) for line in block.lines]


AUDIENCE_NOUNS = {
    "parent": ("parent", "parents"),
    "child": ("child", "children"),
    "practitioner": ("practitioner", "practitioners"),
}
AUDIENCE_GROUP = {"parent": "Parent", "child": "Child", "practitioner": "Practitioner"}
KIND_NAMES = {"paired": "Paired (same person before and after)", "then-and-now": "Then and now (asked at the end)"}


class Words:
    """The wording of numbers in one language (Babel for the digits, gettext for the words)."""

    def __init__(self, language: Language, threshold: int) -> None:
        self.language = language
        self.threshold = threshold
        self._ = language.gettext
        # Parsed once, not for every number: Babel takes either, and a summary has hundreds.
        self._locale = Locale.parse(language.formats)

    def percent(self, share: float | None) -> str:
        if share is None:
            return ""
        # One rounding rule everywhere (surveys.figures): halves up, so 23 of 40 is 58%, as on every page.
        return format_percent(rounded_share(share), format=_pattern("#,##0%"), locale=self._locale)

    def percent1(self, share: float) -> str:
        return format_percent(rounded_share(share, TENTH_OF_A_PERCENT), format=_pattern("#,##0.0%"),
                              locale=self._locale)

    def number(self, value: float | None, digits: int = 0) -> str:
        if value is None:
            return ""
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, format=_pattern(pattern), locale=self._locale)

    def people(self, audience: str, n: int) -> str:
        singular, plural = AUDIENCE_NOUNS.get(audience, ("person", "people"))
        return self.language.ngettext(singular, plural, n)

    def fewer(self) -> str:
        return self._("fewer than %(threshold)s", threshold=self.threshold)

    def count(self, count: int | None, hidden: str | None, share: float | None = None) -> str:
        if hidden == "primary":
            return self.fewer()
        if count is None:
            return self._("hidden")
        if share is None:
            return self.number(count)
        return f"{self.number(count)} ({self.percent(share)})"

    def interval(self, share: Share) -> str:
        if share.low is None or share.high is None:
            return ""
        return f"{self.percent1(share.low)}–{self.percent1(share.high)}"

    def p_value(self, p: float) -> str:
        """"p = 0.031", or "p < 0.001" for anything smaller (never "p = 0.000")."""
        if p < SMALLEST_P:
            return f"p < {self.number(SMALLEST_P, 3)}"
        return f"p = {self.number(p, 3)}"

    def outside_percent(self, value: float) -> str:
        """A lead's outside figure as they typed it (35.5 stays 35.5%)."""
        digits = 0 if float(value).is_integer() else 1
        return f"{self.number(value, digits)}%"

    def headline(self, wording: str, audience: str, top: Share) -> str:
        """One headline, a whole sentence per audience and state (frontend.documents.headlines):
        "23 of 40 parents (58%) felt listened to", or what may be said when it is hidden."""
        values = {"wording": wording}
        if top.count is not None and top.n:
            state = "shown"
            values |= {"count": self.number(top.count), "total": self.number(top.n), "share": self.percent(top.share)}
        elif top.n is None or top.n == 0:
            state = "none" if top.n == 0 else "too_few"
            values["threshold"] = self.number(self.threshold)
        elif top.hidden == "primary":
            state = "fewer"
            values |= {"threshold": self.number(self.threshold), "total": self.number(top.n)}
        else:
            state = "hidden"
            values["total"] = self.number(top.n)
        return headlines.sentence(self._, self.language.ngettext, audience, state, top.n, **values)


@cache
def _pattern(pattern: str) -> NumberPattern:
    return parse_pattern(pattern)


def headline_lines(summary: Summary, w: Words) -> list[str]:
    """Each headline as partners read it, with the outside figure a lead set beside it: the one
    wording of a measure, used by the summary in every format and by the lead's reach page."""
    _ = w._
    lines = []
    for h in summary.headlines:
        wording, _lang = h.wording_in(w.language.code)
        line = w.headline(wording, h.audience, h.top)
        outside = summary.comparison_for(h)
        if outside is not None:
            line = headlines.compared(_, line=line, value=w.outside_percent(outside.value_percent),
                                      description=outside.description, source=outside.source,
                                      year=str(outside.year))
        lines.append(line)
    return lines


def document(summary: Summary, language: Language | None = None) -> Document:
    language = language or language_named("en")
    _ = language.gettext
    w = Words(language, summary.threshold)
    doc = Document(
        title=_("%(initiative)s: summary for partners", initiative=summary.initiative_name),
        subtitle=_period(summary, w),
        language=language.code,
    )
    b = doc.blocks
    if summary.method.responses == 0:
        b.append(Paragraph(_("No responses match these filters yet."), "lead"))

    if summary.reach is not None:
        shown = [f for f in summary.reach.figures if f.recorded]
        if shown:
            b.append(Heading(2, _("Reach")))
            b.append(Table(
                caption=_("Who took part in this period, at the sessions these filters cover (counts below "
                          "%(threshold)s are not shown)", threshold=summary.threshold)
                if summary.reach.scope.narrowed else
                _("Who took part in this period (counts below %(threshold)s are not shown)",
                  threshold=summary.threshold),
                header=(_("Figure"), _("Number"), _("Where it comes from")),
                rows=tuple((f.label, w.count(f.value, f.hidden), f.source) for f in shown),
            ))

    all_lines = headline_lines(summary, w)
    if all_lines:
        b.append(Heading(2, _("Headlines")))
        b.append(Headlines(tuple(all_lines)))

    for q in summary.questionnaires:
        b.append(Heading(2, q.title))
        if q.responses is None:
            responses = _("Fewer than %(threshold)s responses", threshold=summary.threshold)
        else:
            responses = language.ngettext("%(num)s response", "%(num)s responses", q.responses)
        versions = ", ".join(str(v) for v in q.versions)
        audience = w.people(q.audience, 2)
        b.append(Paragraph(f"{responses} · {audience}" + (f" · {_('version')} {versions}" if versions else ""),
                           "hint"))
        if q.responses == 0:
            continue
        ordered = [r for r in q.questions if r.ordered]
        for group in _same_scale_groups(ordered):
            b.append(Figure(_bars_chart(group, w)))
        for result in q.questions:
            b.append(_question_table(result, w))
        shown_changes = [c for c in q.changes if c.shown]
        if q.changes:
            b.append(Heading(3, _("Before and after")))
            if shown_changes:
                b.append(Figure(_dumbbell_chart(shown_changes, w)))
            b.append(_changes_table(q.changes, w))
        for item in q.unpaired:
            b.append(Heading(3, _("Before and after, not paired: %(question)s", question=item.text)))
            if item.before is None:
                b.append(Paragraph(_("Not shown: split into before and after, some numbers would be small "
                                     "enough to work out from the totals above."), "hint"))
                continue
            b.append(Paragraph(_("These are two separate groups of answers, not the same people followed "
                                 "over time: they can't show whether anyone changed."), "warning"))
            b.append(_unpaired_table(item, w))

    if summary.themes:
        b.append(Heading(2, _("What people told us, by theme")))
        for theme in summary.themes:
            mentions = (w.fewer() if theme.mentions is None else w.number(theme.mentions))
            b.append(Heading(3, f"{theme.label} ({_('%(count)s answers', count=mentions)})"))
            for quote in theme.quotes:
                b.append(Quote(quote, AUDIENCE_GROUP.get(_main_audience(summary), "Participant") + ", "
                               + summary.initiative_name))

    b.append(Heading(2, _("How these figures were made")))
    for line in method_lines(summary, w):
        b.append(Paragraph(line, "hint"))
    return _writable(doc)


def _writable(value):
    """``value`` with every text in it (titles, tables, quotes, chart labels) made writable by
    every format: the one place the Word, PDF and web-page writers are kept safe from a control
    character stored before :mod:`surveys.text` refused it, which would stop the whole file.
    What has nothing to drop is returned as it is (a chart's hundreds of shapes, mostly)."""
    if isinstance(value, str):
        return for_document(value)
    if isinstance(value, tuple):
        cleaned = tuple(_writable(v) for v in value)
        return value if all(a is b for a, b in zip(cleaned, value)) else cleaned
    if isinstance(value, list):
        return [_writable(v) for v in value]
    kind: type = type(value)
    names = _init_fields(kind)
    if names:
        values = {name: getattr(value, name) for name in names}
        fields = {name: _writable(v) for name, v in values.items()}
        if all(fields[name] is values[name] for name in names):
            return value
        return dataclasses.replace(value, **fields)
    return value


@cache
def _init_fields(kind: type) -> tuple[str, ...]:
    """The fields a dataclass is made from (none for anything else)."""
    if not dataclasses.is_dataclass(kind):
        return ()
    return tuple(f.name for f in dataclasses.fields(kind) if f.init)


def method_lines(summary: Summary, w: Words) -> list[str]:
    _ = w._
    m = summary.method
    lines = []
    if m.responses is None:
        lines.append(_("Fewer than %(threshold)s responses are included.", threshold=m.threshold))
    else:
        lines.append(w.language.ngettext("%(num)s response is included.", "%(num)s responses are included.",
                                         m.responses))
    if m.ways:
        named = {"phone": _("on a phone or browser form"), "tablet": _("on a shared tablet"),
                 "paper": _("on paper, typed in by staff")}
        parts = [f"{w.count(n, hidden)} {named.get(way, way)}" for way, n, hidden in m.ways]
        lines.append(_("How people answered: %(ways)s.", ways="; ".join(parts)))
    if any(summary.comparison_for(h) for h in summary.headlines):
        lines.append(_(OUTSIDE_NOTE))
    filters = summary.filters.as_dict()
    if filters:
        lines.append(_("Filtered by: %(filters)s.", filters="; ".join(f"{k} {v}" for k, v in filters.items())))
    lines.append(_(
        "Small numbers: any count from 1 to %(last)s is shown as \"fewer than %(threshold)s\", and where "
        "that count could be worked out from the others, another count is hidden too. In this summary "
        "%(small)s counts were shown as \"fewer than %(threshold)s\" and %(secondary)s were hidden for that "
        "reason.", last=m.threshold - 1, threshold=m.threshold, small=m.hidden_small, secondary=m.hidden_secondary))
    lines.append(_(
        "%(mark)s Shares come with a 95%% Wilson confidence interval: the range the share for everyone "
        "like those who answered probably lies in. With few answers the range is wide. People who "
        "said \"not sure\" are counted in the total and shown separately.", mark=FOOTNOTE))
    lines.append(_(
        "Paired means the same person answered before and after: their private participant code "
        "links the two, and only their first before and their last after count, on questions with one "
        "answer on a numbered scale (\"not sure\", or several answers at once, has nothing to compare). "
        "\"Then and now\" questions "
        "ask at the end how things were before and how they are now. A p-value (exact Wilcoxon "
        "signed-rank test) is given only when at least 6 pairs changed; r is the effect size (0.1 small, "
        "0.3 medium, 0.5 large)."))
    if m.pairs_too_few:
        lines.append(_("%(count)s before-and-after results had fewer than %(threshold)s pairs and are not shown.",
                       count=m.pairs_too_few, threshold=m.threshold))
    lines.append(_("Automatic sentiment scoring was not used for anything in this summary.")
                 if not m.sentiment_used else _("Automatic sentiment scoring was used as an aid only."))
    return lines


def _period(summary: Summary, w: Words) -> str:
    m = summary.method
    code = w.language.formats  # en_GB for English: "3 December 2026"
    if m.first and m.last:
        return w._("Responses from %(first)s to %(last)s", first=format_date(m.first, "long", locale=code),
                   last=format_date(m.last, "long", locale=code))
    return w._("Made on %(date)s", date=format_date(summary.generated, "long", locale=code))


def _main_audience(summary: Summary) -> str:
    return summary.questionnaires[0].audience if summary.questionnaires else ""


def _same_scale_groups(results: list[QuestionResult]) -> list[list[QuestionResult]]:
    groups: list[list[QuestionResult]] = []
    for r in results:
        keys = tuple(o.key for o in r.options)
        if groups and tuple(o.key for o in groups[-1][0].options) == keys:
            groups[-1].append(r)
        else:
            groups.append([r])
    return groups


def _bars_chart(group: list[QuestionResult], w: Words) -> charts.Chart:
    """One diverging bar per question; options from lowest to highest value."""
    first = group[0]
    ordered = sorted((o for o in first.options if not o.aside), key=lambda o: o.value or 0)
    shade_of = _shades(len(ordered))
    middle = (len(ordered) - 1) / 2

    def side(i: int) -> str:
        return "negative" if i < middle else "positive" if i > middle else "neutral"

    legend = [charts.Segment(w._(o.label), 0, side(i), shade_of[i]) for i, o in enumerate(ordered)]
    legend += [charts.Segment(w._(o.label), 0, "aside", 0) for o in first.options if o.aside]
    legend.append(charts.Segment(w._("hidden (small numbers)"), 0, "aside", 1))
    bars = []
    for r in group:
        by_key = {o.key: o for o in r.options}
        segments = []
        hidden = 0.0
        if r.n:
            for i, o in enumerate(ordered):
                option = by_key[o.key]
                if option.share is None:
                    continue
                segments.append(charts.Segment(w._(o.label), option.share, side(i), shade_of[i]))
            for o in r.options:
                if o.aside and o.share is not None:
                    segments.append(charts.Segment(w._(o.label), o.share, "aside", 0))
            hidden = max(0.0, 1 - sum(s.share for s in segments))
            if hidden > 1e-9:
                segments.append(charts.Segment(w._("hidden (small numbers)"), hidden, "aside", 1))
        note = f"n = {w.number(r.n)}" if r.n is not None else w.fewer()
        bars.append(charts.Bar(r.text, tuple(segments), note))
    title = w._("Answers to %(count)s questions", count=len(group)) if len(group) > 1 else first.text
    return charts.diverging_bars(title, bars, legend)


def _shades(count: int) -> list[int]:
    """Grey/pattern indexes for ``count`` ordered answers, spread from light to dark."""
    if count <= 1:
        return [3]
    top = len(charts.GREYS) - 1
    return [round(i * top / (count - 1)) for i in range(count)]


def _question_table(r: QuestionResult, w: Words) -> Table:
    _ = w._
    rows = []
    for o in r.options:
        label = _("Wrote an answer") if r.type == "text" else _(o.label)
        if o.aside:
            label += " " + _("(shown separately)")
        rows.append((label, w.count(o.count, o.hidden, o.share)))
    total = w.fewer() if r.n_hidden == "primary" else _("hidden") if r.n is None else w.number(r.n)
    rows.append((_("Total who answered"), total))
    note = ""
    if r.top is not None:
        top = r.top
        if top.count is not None and top.n:
            note = _("Top answers: %(count)s of %(n)s (%(share)s); 95%% interval %(interval)s %(mark)s",
                     count=w.number(top.count), n=w.number(top.n), share=w.percent(top.share),
                     interval=w.interval(top), mark=FOOTNOTE)
        elif top.hidden == "primary" and top.n:
            note = _("Top answers: %(fewer)s of %(n)s", fewer=w.fewer(), n=w.number(top.n))
    return Table(r.text, (_("Answer"), _("People")), tuple(rows), note)


def _changes_table(changes: tuple[Change, ...], w: Words) -> Table:
    _ = w._
    rows: list[tuple[str, ...]] = []
    for c in changes:
        kind = _(KIND_NAMES[c.kind])
        if not c.shown:
            pairs = _("none yet") if c.pairs == 0 else w.fewer()
            rows.append((c.text, kind, pairs, "", "", "", "", _("Too few pairs to report")))
            continue
        share = dict(better=c.better_share, same=c.same_share, worse=c.worse_share)
        reasons = dict(c.hidden)
        cells = [w.count(getattr(c, k), reasons.get(k), share[k]) for k in ("better", "same", "worse")]
        median = w.number(c.median_change, 1) if c.median_change is not None else ""
        if c.p_value is not None:
            test = f"{w.p_value(c.p_value)}, r = {w.number(c.effect_size_r, 2)}"
        else:
            test = _(c.note or "")
        rows.append((c.text, kind, w.number(c.pairs), *cells, median, test))
    header = (_("Question"), _("How"), _("Pairs"), _("Better"), _("Same"), _("Worse"), _("Median change"),
              _("Test"))
    return Table(_("Before and after"), header, tuple(rows),
                 _("Median change is in steps of the answer scale; positive means better."))


def _dumbbell_chart(changes: list[Change], w: Words) -> charts.Chart:
    rows = []
    for c in changes:
        before = c.before_top.share if c.before_top else None
        after = c.after_top.share if c.after_top else None
        rows.append(charts.Dumbbell(c.text, before, after))
    return charts.dumbbells(w._("Top answers before and after (same people)"), rows, w._("Before"), w._("After"))


def _unpaired_table(item, w: Words) -> Table:
    _ = w._
    rows = []
    for before, after in zip(item.before.options, item.after.options):
        rows.append((_(before.label), w.count(before.count, before.hidden, before.share),
                     w.count(after.count, after.hidden, after.share)))
    def total(r):
        return w.fewer() if r.n_hidden == "primary" else _("hidden") if r.n is None else w.number(r.n)
    rows.append((_("Total who answered"), total(item.before), total(item.after)))
    return Table(item.text, (_("Answer"), _("Before (not paired)"), _("After (not paired)")), tuple(rows))
