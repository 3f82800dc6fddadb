"""The donor briefing as data: one list of slides that presentation mode, the deck and the PDF render.

Each slide carries its takeaway, its numbers (big figures or one chart's categories and series),
speaker notes and sources. Building it once means the projector, the PowerPoint file and the
printed brief can never disagree, and a test can compare any of them with the metrics.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from babel.lists import format_list

from mandate_metrics import narrative
from mandate_metrics.figures import case, funding, linked, record, translated
from mandate_metrics.figures.disclosure import Role
from mandate_metrics.figures.record import Evidence, Figure, View, any_illustrative
from mandate_metrics.i18n import (
    DEFAULT_LOCALE,
    fmt_date,
    fmt_money,
    fmt_percent,
    fmt_usd,
    isolate,
    language,
    left_to_right,
    t,
    t_dated,
)
from mandate_metrics.loading import Datasets
from mandate_metrics.palette import COLOURS


@dataclass(frozen=True)
class ChartData:
    """One chart's numbers: categories on the axis, one list of values per named series.

    A value may be None (a series with no figure on that date). With ``dates`` the categories
    sit on a true time axis (the slide, the deck and the PDF space them by time, not evenly).
    """

    kind: str  # "line", "column" or "bar"
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float | None, ...]], ...]
    money: bool = False
    colours: tuple[str, ...] = ()  # one per series; the measure's colour everywhere (palette.COLOURS)
    illustrative: tuple[tuple[bool, ...], ...] = ()  # per series, per value: drawn hatched
    dates: tuple[date, ...] = ()

    def values(self, name: str) -> tuple[float | None, ...]:
        """The values of the series called ``name``."""
        return dict(self.series)[name]


@dataclass(frozen=True)
class Slide:
    """One message: a title, a one-line takeaway, and the figures, chart or quote that carry it.

    ``illustrative`` is true when any value on the slide rests on sample data; the takeaway then
    begins "Illustrative:" and the footer says so. A slide of published figures carries neither.
    """

    key: str
    title: str
    takeaway: str
    figures: tuple[tuple[str, str, str], ...] = ()  # (label, value, where the value comes from)
    chart: ChartData | None = None
    quote: tuple[str, str] | None = None  # (the words in their quote marks, who said them and when)
    bullets: tuple[str, ...] = ()
    notes: str = ""
    sources: tuple[str, ...] = ()
    illustrative: bool = False
    closing: str = ""  # a line set at the foot of the slide's body (where to read more)
    list_title: str = ""  # what the bullets are, set above them
    link: str = ""  # an address to open (with its QR code): the Sources page, where one is configured


@dataclass(frozen=True)
class Briefing:
    """The whole briefing, stamped with what it was built from."""

    as_of: date
    version: str
    slides: tuple[Slide, ...]
    view_name: str = ""
    illustrative_datasets: tuple[str, ...] = field(default_factory=tuple)
    locale: str = DEFAULT_LOCALE

    @property
    def stamp(self) -> str:
        """The line every slide and page carries: data version, as-of date and what the figures are.

        The version ("data-86a0db59") is isolated left to right: in Arabic it keeps its hyphen.
        """
        version = left_to_right(self.version, self.locale)
        return t("brief.stamp", self.locale, version=version, as_of=fmt_date(self.as_of, self.locale)) + (
            f" · {self.view_name}" if self.view_name else ""
        )

    @property
    def illustrative(self) -> bool:
        """True when any slide holds an illustrative value."""
        return any(s.illustrative for s in self.slides)


HEADLINE = ("requests_received", "requesting_jurisdictions", "requests_supported", "investigations_supported")


def _headline_slide(ev: Evidence, as_of: date, locale: str) -> Slide:
    found = {m: ev.figure(m, as_of) for m in HEADLINE}
    figures = tuple(
        (
            t(f"metric.{m}", locale),
            "–" if f is None else narrative.fmt_figure(f, locale),
            narrative.provenance_line(f, as_of, locale),
        )
        for m, f in found.items()
    )
    takeaway = narrative.figure_sentence(
        "brief.headline.takeaway",
        found["requests_received"],
        t("brief.headline.none", locale, as_of=fmt_date(as_of, locale)),
        locale,
    )
    changes = [narrative.change_line(ev.change(m, as_of), locale) for m in HEADLINE]
    notes = [narrative.figures_paragraph(found, locale)]
    notes += [f"{label}: {c}." for (label, _, _), c in zip(figures, changes, strict=True) if c]
    return Slide(
        key="headline",
        title=t("brief.headline.title", locale),
        takeaway=takeaway,
        figures=figures,
        notes=" ".join(notes),
        sources=_sources_of(found.values()),
        illustrative=any_illustrative(list(found.values())),
    )


def _sources_of(figures: Iterable[Figure | None]) -> tuple[str, ...]:
    return tuple(sorted({f.source_title for f in figures if f is not None and f.source_title}))


def _year_ends(points: list[Figure], as_of: date) -> list[Figure]:
    """A ledger's month-end points thinned to each December and the as-of date: few enough for a slide."""
    return [f for f in points if f.on.month == 12 and f.on.day == 31 or f.on == as_of]


def _series_chart(ev: Evidence, as_of: date, measures: tuple[str, ...], locale: str) -> ChartData:
    """Cumulative measures over time, one line each, on a true time axis.

    Published figures are drawn where they were published; a ledger is drawn at each year end
    and on the as-of date. Two measures never share a line: a date one measure lacks is a gap.
    """
    per = {m: ev.series(m, as_of) for m in measures}
    if ev.has_ledger:
        per = {m: _year_ends(points, as_of) for m, points in per.items()}
    days = sorted({f.on for points in per.values() for f in points})
    by_day = {m: {f.on: f for f in points} for m, points in per.items()}
    return ChartData(
        kind="line",
        categories=tuple(
            fmt_date(d, locale) if d == as_of or not ev.has_ledger else str(d.year) for d in days
        ),
        series=tuple(
            (t(f"metric.{m}", locale), tuple(f.value if (f := by_day[m].get(d)) else None for d in days))
            for m in measures
        ),
        colours=tuple(COLOURS[m] for m in measures),
        illustrative=tuple(
            tuple(bool((f := by_day[m].get(d)) and f.is_illustrative) for d in days) for m in measures
        ),
        dates=tuple(days),
    )


def _growth_slide(
    ev: Evidence, as_of: date, locale: str, key: str, measures: tuple[str, str], lead: str
) -> Slide:
    """A slide of two cumulative measures; its takeaway states the first measure's latest value."""
    chart = _series_chart(ev, as_of, measures, locale)
    takeaway = narrative.figure_sentence(
        f"brief.{key}.takeaway",
        ev.figure(measures[0], as_of),
        t("empty.no_requests", locale, as_of=fmt_date(as_of, locale)),
        locale,
    )
    shown = [f for m in measures for f in ev.series(m, as_of)]
    return Slide(
        key=key,
        title=t(f"brief.{key}.title", locale),
        takeaway=takeaway,
        chart=chart,
        notes=t(lead, locale) + " " + " ".join(t(f"help.{m}", locale) for m in measures),
        sources=_sources_of(shown),
        illustrative=any(any(flags) for flags in chart.illustrative),
    )


def _reach_slide(data: Datasets, ev: Evidence, as_of: date, role: Role, locale: str) -> Slide:
    """How many jurisdictions, over time; with a ledger, also how many regions (within disclosure)."""
    count = ev.figure("requesting_jurisdictions", as_of)
    chart = _series_chart(ev, as_of, ("requesting_jurisdictions",), locale)
    title = t(
        "brief.reach.title", locale, count="–" if count is None else narrative.fmt_figure(count, locale)
    )
    takeaway = narrative.figure_sentence(
        "brief.reach.takeaway",
        count,
        t("metric.none_published", locale, as_of=fmt_date(as_of, locale)),
        locale,
    )
    notes = t("jurisdictions.disclosure_note", locale)
    if ev.has_ledger:
        found = linked.public_tables_at(data, as_of, role, t("jurisdictions.undisclosed", locale))
        shown = (
            found.tables.regions
            if found.shown_for is not None
            else pd.DataFrame(columns=["region", "requests_received"])
        )
        notes += " " + narrative.mark_if(
            t("brief.reach.regions", locale, n=len(shown))
            + " "
            + t("list.separator", locale).join(
                f"{r}: {v}" for r, v in zip(shown["region"], shown["requests_received"], strict=True)
            ),
            data["requests"].meta.is_illustrative,
            locale,
        )
    return Slide(
        key="reach",
        title=title,
        takeaway=takeaway,
        chart=chart,
        notes=notes,
        sources=_sources_of(ev.series("requesting_jurisdictions", as_of))
        or (data["jurisdictions"].title(locale),),
        illustrative=any(any(flags) for flags in chart.illustrative),
    )


def _funding_slide(data: Datasets, view: View, as_of: date, locale: str) -> Slide:
    """The funding slide: budget years over a ledger; only what is public in the record.

    Over a ledger, gap and coverage are marked wherever an input is illustrative; the record shows
    the regular budget, the published funding figures and contributions, and computes nothing.
    """
    if not record.ledger_shows(data, view, ("budget", "contributions")):
        return _funding_record_slide(data, as_of, locale)
    years = funding.funding_by_year(data.frame("budget"), data.frame("contributions"), as_of)
    latest = funding.latest_year(years)
    if latest is None:
        return Slide(
            key="funding",
            title=t("brief.funding.title", locale),
            takeaway=t("funding.no_budget", locale, as_of=fmt_date(as_of, locale)),
        )
    measures = (
        ("requirement_usd", "series.requirement", "requirement_illustrative"),
        ("regular_budget_usd", "series.regular_budget", "regular_budget_illustrative"),
        ("voluntary_paid_usd", "series.voluntary_paid", "voluntary_illustrative"),
    )
    chart = ChartData(
        kind="column",
        categories=tuple(str(y) for y in years["year"]),
        series=tuple(
            (t(key, locale), tuple(float(v) for v in years[col].fillna(0.0))) for col, key, _ in measures
        ),
        money=True,
        colours=tuple(COLOURS[col] for col, _, _ in measures),
        illustrative=tuple(tuple(bool(f) for f in years[flag]) for _, _, flag in measures),
    )
    illustrative = bool(latest["illustrative"])
    return Slide(
        key="funding",
        title=t("brief.funding.title", locale),
        takeaway=narrative.mark_if(
            t(
                "brief.funding.takeaway",
                locale,
                year=narrative.budget_year(latest, locale),
                coverage=fmt_percent(float(latest["coverage"]), locale),
                gap=fmt_usd(float(latest["gap_usd"]), locale),
            ),
            illustrative,
            locale,
        ),
        chart=chart,
        notes=narrative.mark_if(
            narrative.funding_title(latest, locale) + ". " + narrative.gap_title(latest, locale) + ".",
            illustrative,
            locale,
        )
        + " "
        + t("funding.explainer", locale),
        sources=tuple(s.title for name in ("budget", "contributions") for s in data[name].meta.sources),
        illustrative=bool(years["illustrative"].any()),
    )


RECORD_FUNDING_FIGURES = ("regular_budget_approved_2020", "received_to_date")
"""The funding figures a record slide shows large (two fit a projector), when published by the as-of date."""


def _funding_record_slide(data: Datasets, as_of: date, locale: str) -> Slide:
    """Only public funding facts: published budget and funding figures, each with its date and source.

    A figure is large only while it is recent (``case.headlines``); older ones are listed, newest
    first and at most four, under "the most recent published funding figures", each with its date.
    """
    rows = funding.published_funding(data.frame("published_figures"), as_of)
    recent = rows["metric"].isin(RECORD_FUNDING_FIGURES) & case.headlines(rows, as_of)
    lead = rows[recent].set_index("metric")
    lead = lead.loc[[m for m in RECORD_FUNDING_FIGURES if m in lead.index]].reset_index()
    figures = tuple(
        (
            t(f"brief.funding.short.{row['metric']}", locale),
            narrative.money_figure(row, locale),
            narrative.provenance_line(record.published_figure(row), as_of, locale),
        )
        for _, row in lead.iterrows()
    )
    given = funding.published_contributions(data.frame("contributions"), as_of)
    donors = funding.contributing_donors(given)
    listed = rows[~recent].iloc[::-1].head(MOST_RECENT_LISTED)
    bullets = tuple(narrative.funding_item(row, locale) for _, row in listed.iterrows())
    regular = as_of >= REGULAR_BUDGET_FROM  # before 2020 the IIIM ran on voluntary funds alone
    takeaway = (
        t(
            "brief.funding.record_takeaway" if regular else "brief.funding.voluntary_takeaway",
            locale,
            n=len(donors),
        )
        if donors
        else t("funding.no_budget", locale, as_of=fmt_date(as_of, locale))
    )
    return Slide(
        key="funding",
        title=t("brief.funding.title", locale),
        takeaway=takeaway,
        figures=figures,
        bullets=bullets,
        list_title=t("brief.funding.recent", locale) if bullets else "",
        closing=t("brief.funding.more", locale),
        notes=t("brief.funding.record_notes", locale, donors=", ".join(donors)),
        sources=tuple(
            sorted(
                set(lead["source_title"]) | set(listed["source_title"]) | set(given["source_title"].dropna())
            )
        ),
    )


REGULAR_BUDGET_FROM = date(2020, 1, 1)  # GA/12235: the first year on the UN regular budget
MOST_RECENT_LISTED = 4  # funding figures listed under the large ones: what a room can read


def _case_figures(
    found: dict[str, case.Growth], as_of: date, locale: str
) -> tuple[tuple[str, str, str], ...]:
    """The growth of demand between published figures, each with the arithmetic that makes it."""
    return tuple(
        (
            t("case.label", locale, measure=t(f"metric.{m}", locale), date=fmt_date(g.before.on, locale)),
            narrative.growth_value(g, locale),
            narrative.provenance_line(narrative.growth_figure(m, g, locale), as_of, locale),
        )
        for m, g in found.items()
    )


def _case_slide(data: Datasets, as_of: date, locale: str) -> Slide:
    """Why funding matters now: demand's growth between published figures, and the latest resources.

    From the published record whatever the view: nothing on it rests on the sample.
    """
    published = data.frame("published_figures")
    found = case.growths(published, as_of)
    figures = _case_figures(found, as_of, locale)
    resources = funding.published_funding(published, as_of)
    resources = resources[resources["metric"].isin(RECORD_FUNDING_FIGURES)].tail(1)
    for (_, row), recent in zip(resources.iterrows(), case.headlines(resources, as_of), strict=True):
        label = t(f"brief.funding.short.{row['metric']}", locale)
        if not recent:  # an old figure says how old in its label
            on, precision = row["as_of"].date(), row["as_of_precision"]
            label = t_dated("brief.case.dated", locale, on, precision, label=label)
        figures += (
            (
                label,
                narrative.money_figure(row, locale),
                narrative.provenance_line(record.published_figure(row), as_of, locale),
            ),
        )
    items = [
        t(
            "brief.case.item",
            locale,
            noun=t(f"noun.{m}", locale),
            rate=narrative.growth_value(g, locale),
            date=fmt_date(g.before.on, locale),
        )
        for m, g in found.items()
    ]
    listed = format_list(items, locale=language(locale))  # "a and b", "a et b", "a وb"
    takeaway = t("brief.case.takeaway", locale, growths=listed) if items else t("brief.case.none", locale)
    hows = [narrative.growth_figure(m, g, locale) for m, g in found.items()]
    return Slide(
        key="case",
        title=t("brief.case.title", locale),
        takeaway=takeaway,
        figures=figures,
        notes=" ".join(
            f"{label}: {value} ({f.how})." for (label, value, _), f in zip(figures, hows, strict=False)
        ),
        closing=t("brief.case.notes", locale),  # how the growths are made, said to the room
        sources=tuple(
            sorted(
                {f.source_title for g in found.values() for f in (g.before, g.now)}
                | set(resources["source_title"])
            )
        ),
    )


def _ask_slide(data: Datasets, as_of: date, locale: str) -> Slide:
    """The ask in the IIIM's published words, with the published statements of need beside it."""
    messages = data.frame("messages")
    asks = messages[(messages["page"] == "ask") & (messages["date"] <= pd.Timestamp(as_of))]
    appeals = messages[
        (messages["page"] == "appeal")
        & (messages["date"] <= pd.Timestamp(as_of))
        & messages["amount"].notna()
    ]
    if not appeals.empty:
        return _appeal_slide(appeals.sort_values("date").iloc[-1], locale)
    needs = funding.statements_of_need(messages[messages["page"] == "funding"], as_of)
    bullets = tuple(
        f"“{row['text']}” — "
        + t("said.by", locale, who=row["attribution"], when=fmt_date(row["date"].date(), locale))
        for _, row in needs.iterrows()
    )
    if asks.empty:
        return Slide(
            key="ask",
            title=t("brief.ask.title", locale),
            takeaway=t("brief.ask.none", locale),
            bullets=bullets,
            sources=tuple(needs["source_title"]),
        )
    ask = asks.sort_values("date").iloc[-1]
    when = fmt_date(ask["date"].date(), locale)
    said_by = t("said.by", locale, who=ask["attribution"], when=when)
    by = t("said.by", locale, who=isolate(ask["attribution"], locale), when=when)  # kept whole in Arabic
    # No amount on record: the strongest published numbers of the case stand beside the Head's
    # words, never an invented amount. The statements of need go to the notes.
    growths = case.growths(data.frame("published_figures"), as_of)
    figures = _case_figures(growths, as_of, locale)
    return Slide(
        key="ask",
        title=t("brief.ask.title", locale),
        takeaway=t("brief.ask.takeaway", locale),
        figures=figures,
        # isolated: an English name or quote keeps its order and its marks in an Arabic slide
        quote=(isolate(f"“{ask['text']}”", locale), by),
        bullets=() if figures else bullets[:2],
        notes=f"{ask['text']} — {said_by} ({ask['source_title']}) " + " ".join(bullets),
        sources=tuple(
            dict.fromkeys(
                (
                    ask["source_title"],
                    *(f.source_title for g in growths.values() for f in (g.before, g.now)),
                    *needs["source_title"],
                )
            )
        ),
    )


def _appeal_slide(appeal: pd.Series, locale: str) -> Slide:
    """The ask with its amount and target, from an appeal staff recorded (a ``messages`` row)."""
    when = fmt_date(appeal["date"].date(), locale)
    amount = fmt_money(float(appeal["amount"]), str(appeal["currency"]), locale)
    year = "" if pd.isna(appeal["year"]) else str(int(appeal["year"]))
    said_by = t("said.by", locale, who=appeal["attribution"], when=when)
    return Slide(
        key="ask",
        title=t("brief.ask.title", locale),
        takeaway=str(appeal["text"]),
        figures=((t("brief.ask.appeal", locale, year=year).strip(), amount, said_by),),
        notes=f"{appeal['text']} — {said_by} ({appeal['source_title']})",
        sources=(str(appeal["source_title"]),),
        illustrative=appeal["status"] == "illustrative",
    )


SOURCES_SHOWN = 8  # sources on the last slide: what a room can read; the rest are a QR code away


def _most_cited(slides: tuple[Slide, ...]) -> tuple[str, ...]:
    """Every source the slides cite, the most cited first (then alphabetically), each once."""
    counts: dict[str, int] = {}
    for slide in slides:
        for source in dict.fromkeys(slide.sources):
            counts[source] = counts.get(source, 0) + 1
    return tuple(sorted(counts, key=lambda source: (-counts[source], source)))


def _sources_slide(  # noqa: PLR0913 - what the last slide names, and where the rest are
    data: Datasets,
    cited: tuple[str, ...],
    ev: Evidence,
    as_of: date,
    version: str,
    locale: str,
    public_url: str,
) -> Slide:
    """The sources of the slides' figures, most cited first and at most eight; all of them in ``sources``.

    With a ledger, its datasets come first. Where the dashboard's public address is configured the
    slide carries the Sources page's address (and, drawn, its QR code) for the full list.
    """
    everything = tuple(cited)
    if ev.has_ledger:
        everything = (
            tuple(
                f"{d.title(locale)} ({t('sources.provenance.' + d.meta.provenance, locale)})"
                for d in data.values()
                if d.name in ("requests", "investigations", "jurisdictions", "budget", "contributions")
            )
            + everything
        )
    return Slide(
        key="sources",
        title=t("brief.sources.title", locale),
        takeaway=t("brief.sources.takeaway", locale, as_of=fmt_date(as_of, locale)),
        bullets=everything[:SOURCES_SHOWN],
        notes=t(
            "sources.cite_text",
            locale,
            title=t("app.subtitle", locale),
            version=version,
            as_of=fmt_date(as_of, locale),
        ).replace("*", ""),
        sources=everything,
        closing=t("brief.sources.more", locale),
        link=f"{public_url}/sources" if public_url else "",
    )


def build(
    data: Datasets,
    as_of: date,
    role: Role = "public",
    locale: str = DEFAULT_LOCALE,
    view: View | None = None,
    public_url: str = "",
) -> Briefing:
    """The briefing as of ``as_of``, for a viewer of ``role`` (the disclosure rule applies).

    ``view`` defaults to the published record while the request ledger is illustrative;
    ``public_url`` is the dashboard's public address, for the Sources page's QR code.
    """
    data = translated.datasets_in(data, locale)  # our own words in the reader's language
    view = view or record.default_view(data["requests"].meta.is_illustrative)
    ev = record.evidence_of(data.as_loaded(), view)
    slides: tuple[Slide, ...] = (
        _headline_slide(ev, as_of, locale),
        _growth_slide(
            ev, as_of, locale, "demand", ("requests_received", "requests_supported"), "brief.demand.lead"
        ),
        _reach_slide(data, ev, as_of, role, locale),
        _growth_slide(
            ev,
            as_of,
            locale,
            "investigations",
            ("investigations_supported", "investigations_related"),
            "brief.investigations.lead",
        ),
        _funding_slide(data, view, as_of, locale),
        _case_slide(data, as_of, locale),
        _ask_slide(data, as_of, locale),
    )
    slides += (_sources_slide(data, _most_cited(slides), ev, as_of, data.version, locale, public_url),)
    illustrative = tuple(
        d.title(locale)
        for d in data.values()
        if d.meta.is_illustrative and any(s.illustrative for s in slides)
    )
    return Briefing(
        as_of=as_of,
        version=data.version,
        slides=slides,
        view_name=record.view_name(data, view, locale),
        illustrative_datasets=illustrative,
        locale=locale,
    )
