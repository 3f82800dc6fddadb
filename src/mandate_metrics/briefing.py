"""The donor briefing as data: one list of slides that presentation mode, the deck and the PDF render.

Each slide carries its takeaway, its numbers (big figures or one chart's categories and series),
speaker notes and sources. Building it once means the projector, the PowerPoint file and the
printed brief can never disagree, and a test can compare any of them with the metrics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from mandate_metrics import disclosure, funding, metrics, narrative
from mandate_metrics.disclosure import Role
from mandate_metrics.i18n import DEFAULT_LOCALE, fmt_date, fmt_int, fmt_percent, fmt_usd, t
from mandate_metrics.loading import Datasets
from mandate_metrics.palette import COLOURS


@dataclass(frozen=True)
class ChartData:
    """One chart's numbers: categories on the axis, one list of values per named series."""

    kind: str  # "line", "column" or "bar"
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]
    money: bool = False
    colours: tuple[str, ...] = ()  # one per series; the measure's colour everywhere (palette.COLOURS)
    illustrative: tuple[tuple[bool, ...], ...] = ()  # per series, per value: drawn hatched

    def values(self, name: str) -> tuple[float, ...]:
        """The values of the series called ``name``."""
        return dict(self.series)[name]


@dataclass(frozen=True)
class Slide:
    """One message: a title, a one-line takeaway, and the figures, chart or quote that carry it."""

    key: str
    title: str
    takeaway: str
    figures: tuple[tuple[str, str, str], ...] = ()  # (label, value, published-figure line)
    chart: ChartData | None = None
    quote: tuple[str, str] | None = None  # (text, attribution)
    bullets: tuple[str, ...] = ()
    notes: str = ""
    sources: tuple[str, ...] = ()
    illustrative: bool = False


@dataclass(frozen=True)
class Briefing:
    """The whole briefing, stamped with what it was built from."""

    as_of: date
    version: str
    slides: tuple[Slide, ...]
    illustrative_datasets: tuple[str, ...] = field(default_factory=tuple)

    @property
    def stamp(self) -> str:
        """The line every slide and page carries: data version, as-of date, illustrative flag."""
        return t("brief.stamp", DEFAULT_LOCALE, version=self.version, as_of=self.as_of.isoformat())


def _year_ends(series: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """The cumulative series at each December and on the as-of date: few enough points for a slide."""
    keep = (series["date"].dt.month == 12) | (series["date"] == pd.Timestamp(as_of))
    return series[keep]


def _headline_slide(data: Datasets, as_of: date, locale: str) -> Slide:
    requests, published = data.frame("requests"), data.frame("published_figures")
    head = metrics.headline(requests, as_of)
    change = metrics.change_over_year(requests, as_of)
    keys = ("requests_received", "requesting_jurisdictions", "requests_supported", "investigations_supported")
    figures = tuple(
        (
            t(f"metric.{k}", locale),
            fmt_int(head.value(k), locale),
            narrative.published_line(metrics.latest_published(published, k, as_of), as_of, locale),
        )
        for k in keys
    )
    story = narrative.overview(head, change, None, locale, data["requests"].meta.is_illustrative)
    return Slide(
        key="headline",
        title=t("brief.headline.title", locale),
        takeaway=t(
            "brief.headline.takeaway",
            locale,
            supported=fmt_int(head.requests_supported, locale),
            received=fmt_int(head.requests_received, locale),
            rate=fmt_percent(head.support_rate, locale),
        ),
        figures=figures,
        notes=" ".join(story) + " " + " ".join(f[2] for f in figures),
        sources=tuple(sorted({f[2] for f in figures})),
        illustrative=data["requests"].meta.is_illustrative,
    )


def _cumulative_chart(
    requests: pd.DataFrame, as_of: date, measures: tuple[str, str], locale: str
) -> ChartData:
    """Two cumulative ledger measures at each year end and on the as-of date: one line each."""
    points = _year_ends(metrics.cumulative_series(requests, as_of), as_of)
    return ChartData(
        kind="line",
        categories=tuple(
            fmt_date(d.date(), locale) if d == pd.Timestamp(as_of) else str(d.year) for d in points["date"]
        ),
        series=tuple((t(f"metric.{m}", locale), tuple(float(v) for v in points[m])) for m in measures),
        colours=tuple(COLOURS[m] for m in measures),
    )


def _demand_slide(data: Datasets, as_of: date, locale: str) -> Slide:
    requests, published = data.frame("requests"), data.frame("published_figures")
    head = metrics.headline(requests, as_of)
    change = metrics.change_over_year(requests, as_of)
    chart = _cumulative_chart(requests, as_of, ("requests_received", "requests_supported"), locale)
    marks = published[
        published["metric"].isin(["requests_received", "requests_supported"])
        & (published["as_of"] <= pd.Timestamp(as_of))
    ]
    return Slide(
        key="demand",
        title=t("brief.demand.title", locale),
        takeaway=narrative.cumulative_title(head, locale),
        chart=chart,
        notes=t(
            "overview.narrative_growth",
            locale,
            delta_received=fmt_int(change["requests_received"], locale),
            delta_supported=fmt_int(change["requests_supported"], locale),
        ),
        sources=tuple(sorted(set(marks["source_title"]))) or (data["requests"].meta.title,),
        illustrative=data["requests"].meta.is_illustrative,
    )


def _reach_slide(data: Datasets, as_of: date, role: Role, locale: str) -> Slide:
    regions = metrics.by_region(data.frame("requests"), data.frame("jurisdictions"), as_of)
    shown = disclosure.public_region_table(regions, role)
    total = regions["requests_received"].sum()
    takeaway = (
        t(
            "chart.region.title",
            locale,
            region=regions.iloc[0]["region"],
            share=fmt_percent(regions.iloc[0]["requests_received"] / total, locale),
        )
        if total
        else t("empty.no_requests", locale, as_of=fmt_date(as_of, locale))
    )
    # A suppressed count ("<5") has no bar: the chart carries shown values only; the notes list all.
    drawn = shown[shown["requests_received"] != disclosure.SUPPRESSED]
    values = tuple(float(v) for v in drawn["requests_received"])
    head = metrics.headline(data.frame("requests"), as_of)
    return Slide(
        key="reach",
        title=t("brief.reach.title", locale, count=fmt_int(head.requesting_jurisdictions, locale)),
        takeaway=takeaway,
        chart=ChartData(
            kind="bar",
            categories=tuple(drawn["region"]),
            series=((t("metric.requests_received", locale), values),),
            colours=(COLOURS["requests_received"],),
        ),
        notes=t("jurisdictions.disclosure_note", locale)
        + " "
        + "; ".join(f"{r}: {v}" for r, v in zip(shown["region"], shown["requests_received"], strict=True)),
        sources=(data["jurisdictions"].meta.title,),
        illustrative=data["jurisdictions"].meta.is_illustrative,
    )


def _investigations_slide(data: Datasets, as_of: date, locale: str) -> Slide:
    requests = data.frame("requests")
    head = metrics.headline(requests, as_of)
    chart = _cumulative_chart(requests, as_of, ("investigations_supported", "investigations_related"), locale)
    return Slide(
        key="investigations",
        title=t("brief.investigations.title", locale),
        takeaway=t(
            "brief.investigations.takeaway",
            locale,
            supported=fmt_int(head.investigations_supported, locale),
            related=fmt_int(head.investigations_related, locale),
        ),
        chart=chart,
        notes=t("help.investigations_supported", locale) + " " + t("help.investigations_related", locale),
        sources=(data["requests"].meta.title,),
        illustrative=data["requests"].meta.is_illustrative,
    )


def _funding_slide(data: Datasets, as_of: date, locale: str) -> Slide:
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
    return Slide(
        key="funding",
        title=t("brief.funding.title", locale),
        takeaway=t(
            "brief.funding.takeaway",
            locale,
            year=narrative.budget_year(latest, locale),
            coverage=fmt_percent(float(latest["coverage"]), locale),
            gap=fmt_usd(float(latest["gap_usd"]), locale),
        ),
        chart=chart,
        notes=narrative.funding_title(latest, locale)
        + ". "
        + narrative.gap_title(latest, locale)
        + ". "
        + t("funding.explainer", locale)
        + " "
        + t(
            "chart.pledges.title",
            locale,
            unpaid=fmt_usd(float(latest["pledged_unpaid_usd"]), locale),
            year=int(latest["year"]),
        ),
        sources=tuple(s.title for name in ("budget", "contributions") for s in data[name].meta.sources),
        illustrative=bool(years["illustrative"].any()),
    )


def _ask_slide(data: Datasets, as_of: date, locale: str) -> Slide:
    messages = data.frame("messages")
    asks = messages[(messages["page"] == "ask") & (messages["date"] <= pd.Timestamp(as_of))]
    if asks.empty:
        return Slide(key="ask", title=t("brief.ask.title", locale), takeaway=t("brief.ask.none", locale))
    ask = asks.sort_values("date").iloc[-1]
    when = fmt_date(ask["date"].date(), locale)
    return Slide(
        key="ask",
        title=t("brief.ask.title", locale),
        takeaway=t("brief.ask.takeaway", locale),
        quote=(ask["text"], f"{ask['attribution']}, {when}"),
        notes=f"{ask['text']} — {ask['attribution']}, {when} ({ask['source_title']})",
        sources=(ask["source_title"],),
    )


def _sources_slide(data: Datasets, as_of: date, version: str, locale: str) -> Slide:
    bullets = tuple(
        f"{d.meta.title} ({t('sources.provenance.' + d.meta.provenance, locale)}; {d.version}): "
        + "; ".join(s.title for s in d.meta.sources)
        for d in data.values()
    )
    return Slide(
        key="sources",
        title=t("brief.sources.title", locale),
        takeaway=t("brief.sources.takeaway", locale, version=version, as_of=fmt_date(as_of, locale)),
        bullets=bullets,
        notes=t(
            "sources.cite_text",
            locale,
            title=t("app.subtitle", locale),
            version=version,
            as_of=fmt_date(as_of, locale),
        ).replace("*", ""),
        sources=tuple(b.split(":")[0] for b in bullets),
    )


def build(data: Datasets, as_of: date, role: Role = "public", locale: str = DEFAULT_LOCALE) -> Briefing:
    """The briefing as of ``as_of``, for a viewer of ``role`` (the disclosure rule applies)."""
    slides = (
        _headline_slide(data, as_of, locale),
        _demand_slide(data, as_of, locale),
        _reach_slide(data, as_of, role, locale),
        _investigations_slide(data, as_of, locale),
        _funding_slide(data, as_of, locale),
        _ask_slide(data, as_of, locale),
        _sources_slide(data, as_of, data.version, locale),
    )
    illustrative = tuple(d.meta.title for d in data.values() if d.meta.is_illustrative)
    return Briefing(as_of=as_of, version=data.version, slides=slides, illustrative_datasets=illustrative)
