"""Sentences built from metric results: the overview story and each chart's takeaway title.

Each function takes computed results, never raw data, so the words always match the numbers on
screen. All text goes through ``i18n.t``.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from mandate_metrics.figures.case import Growth
from mandate_metrics.figures.disclosure import SUPPRESSED
from mandate_metrics.figures.metrics import Headline
from mandate_metrics.figures.record import Change, Figure, any_illustrative
from mandate_metrics.i18n import (
    DEFAULT_LOCALE,
    fmt_date,
    fmt_delta,
    fmt_int,
    fmt_money,
    fmt_percent,
    fmt_precise_date,
    fmt_usd,
    isolate,
    left_to_right,
    t,
    t_dated,
)


def fmt_figure(figure: Figure, locale: str = DEFAULT_LOCALE) -> str:
    """A value in its source's own terms: "more than 530", "about 20", "375"."""
    return t(f"qualifier.{figure.qualifier}", locale, value=fmt_int(figure.value, locale))


def growth_value(growth: Growth, locale: str = DEFAULT_LOCALE) -> str:
    """A growth as a signed percentage, "+27%"; "at least +41%" when the later figure is a lower bound."""
    # isolated: "+41%" keeps its sign in front inside a right-to-left sentence
    rate = left_to_right(("+" if growth.rate > 0 else "") + fmt_percent(growth.rate, locale), locale)
    return t("case.at_least", locale, rate=rate) if growth.at_least else rate


def growth_figure(measure: str, growth: Growth, locale: str = DEFAULT_LOCALE) -> Figure:
    """A growth as a derived figure whose ``how`` names the two published figures it is made of."""
    how = t(
        "case.how",
        locale,
        before=fmt_figure(growth.before, locale),
        before_date=fmt_date(growth.before.on, locale),
        now=fmt_figure(growth.now, locale),
        now_date=fmt_date(growth.now.on, locale),
    )
    sources = dict.fromkeys((growth.before.source_title, growth.now.source_title))
    return Figure(
        measure=measure,
        value=growth.rate,
        on=growth.now.on,
        provenance="derived",
        qualifier="lower_bound" if growth.at_least else "exact",
        source_title="; ".join(s for s in sources if s),
        how=how,
    )


def provenance_line(figure: Figure | None, as_of: date, locale: str = DEFAULT_LOCALE) -> str:
    """Where one value comes from, in a line under it: its source and date, its version, or "illustrative"."""
    if figure is None:
        return t("metric.none_published", locale, as_of=fmt_date(as_of, locale))
    source = isolate(figure.source_title, locale)
    if figure.provenance == "published":
        return t_dated("prov.published", locale, figure.on, figure.precision, source=source)
    if figure.provenance == "derived":
        how = isolate(figure.how, locale)
        return t_dated("prov.derived", locale, figure.on, figure.precision, how=how, source=source)
    if figure.provenance == "official":
        return t("prov.official", locale, version=figure.dataset_version)
    return t("prov.illustrative", locale)


def mark_if(text: str, illustrative: bool, locale: str = DEFAULT_LOCALE) -> str:
    """``text`` prefixed "Illustrative: " when it states values computed from sample data."""
    return (t("label.illustrative_prefix", locale) + text) if illustrative else text


def count_text(value: object, locale: str = DEFAULT_LOCALE) -> str:
    """A count as a chart prints it: grouped per locale, or the reader's word for "withheld"."""
    if value == SUPPRESSED:
        return t("value.withheld", locale)
    return fmt_int(float(str(value)), locale)


def region_title(regions: pd.DataFrame, total: int, locale: str = DEFAULT_LOCALE) -> str:
    """The regions chart's title: the largest region's share, unless its count is withheld.

    ``regions`` is the public table (largest first); a withheld count gets a neutral title, so the
    share cannot reveal it.
    """
    top = regions.iloc[0]
    if top["requests_received"] == SUPPRESSED or total <= 0:
        return t("chart.region.neutral", locale)
    share = int(top["requests_received"]) / total
    return t("chart.region.title", locale, region=top["region"], share=fmt_percent(share, locale))


def money_figure(row: pd.Series, locale: str = DEFAULT_LOCALE) -> str:
    """A published money figure in its own currency and words: "about $14M", "more than €12M"."""
    amount = fmt_money(float(row["value"]), str(row["unit"]), locale)
    return t(f"qualifier.{row['qualifier']}", locale, value=amount)


def funding_item(row: pd.Series, locale: str = DEFAULT_LOCALE) -> str:
    """One published funding figure as a list item: its label, value, date and source.

    Label and source are isolated: an English title inside an Arabic item keeps its words in order.
    """
    return t(
        "brief.funding.item",
        locale,
        label=isolate(row["label"], locale),
        value=money_figure(row, locale),
        published=fmt_precise_date(row["as_of"].date(), row["as_of_precision"], locale),
        source=isolate(row["source_title"], locale),
    )


def marked(
    text: str, figures: list[Figure | None] | tuple[Figure | None, ...], locale: str = DEFAULT_LOCALE
) -> str:
    """``text`` prefixed "Illustrative: " when any of the figures it states rests on sample data.

    Every title, subtitle and sentence that states a value goes through here, so an illustrative
    number is never stated as a finding, whichever page, slide or file carries it.
    """
    return mark_if(text, any_illustrative(list(figures)), locale)


def figure_sentence(key: str, figure: Figure | None, empty: str, locale: str = DEFAULT_LOCALE) -> str:
    """A takeaway stating one value and its date ("… reached 375 by 29 May 2024"), marked if sample.

    ``key`` is a string with ``{value}`` and ``{date}``; ``empty`` is said when there is no value.
    """
    if figure is None:
        return empty
    text = t_dated(key, locale, figure.on, figure.precision, value=fmt_figure(figure, locale))
    text = text[:1].upper() + text[1:]  # "More than 530 requests …" when a sentence opens on a value
    return marked(text, [figure], locale)


def change_line(change: Change | None, locale: str = DEFAULT_LOCALE) -> str | None:
    """The change in words: "+99 since 24 April 2024", "more than +30 since …"; None when unknown."""
    if change is None:
        return None
    key = "change.since_bound" if change.qualifier == "lower_bound" else "change.since"
    return t(key, locale, delta=fmt_delta(change.delta, locale), date=fmt_date(change.since, locale))


def figures_paragraph(figures: dict[str, Figure | None], locale: str = DEFAULT_LOCALE) -> str:
    """The headline figures in one sentence, marked "Illustrative:" if any rests on sample data.

    Published figures differ in date, so each then carries its own; values of one day share it.
    """
    found = {m: f for m, f in figures.items() if f is not None}
    days = {f.on for f in found.values()}
    same_day = len(days) == 1
    items = [
        t(
            "overview.ledger_item" if same_day else "overview.record_item",
            locale,
            value=fmt_figure(f, locale),
            noun=t(f"noun.{measure}", locale),
            date=fmt_precise_date(f.on, f.precision, locale),
        )
        for measure, f in found.items()
    ]
    if same_day:
        lead = t("overview.ledger_lead", locale, as_of=fmt_date(days.pop(), locale))
    else:
        lead = t("overview.record_lead", locale)
    sentence = t("list.sentence", locale, lead=lead, items=t("list.separator", locale).join(items))
    return marked(sentence, list(found.values()), locale)


def per_year_title(per_year: pd.DataFrame, locale: str = DEFAULT_LOCALE) -> str:
    """Takeaway for requests per year: the busiest full or partial year."""
    peak = per_year.sort_values(["requests_received", "year"], ascending=[False, False]).iloc[0]
    return t(
        "chart.per_year.title",
        locale,
        peak_year=int(peak["year"]),
        peak=fmt_int(peak["requests_received"], locale),
    )


def share_title(
    key: str, counts: pd.DataFrame, label_of: dict[str, str], column: str, locale: str = DEFAULT_LOCALE
) -> str:
    """Takeaway naming the largest category and its share."""
    top = counts.iloc[0]
    share = top["requests"] / counts["requests"].sum()
    return t(key, locale, top=label_of.get(top[column], top[column]), share=fmt_percent(share, locale))


def status_title(head: Headline, locale: str = DEFAULT_LOCALE) -> str:
    """Takeaway for requests by status."""
    return t(
        "chart.status.title",
        locale,
        share=fmt_percent(head.support_rate, locale),
        as_of=fmt_date(head.as_of, locale),
    )


def stage_title(by_stage: pd.DataFrame, locale: str = DEFAULT_LOCALE) -> str:
    """Takeaway for investigations by stage: how many went beyond investigation."""
    advanced = int(by_stage.loc[by_stage["stage"] != "investigation", "investigations"].sum())
    return t("chart.stage.title", locale, advanced=fmt_int(advanced, locale))


def funding_title(row: pd.Series, locale: str = DEFAULT_LOCALE) -> str:
    """Takeaway for the funding chart."""
    return t(
        "chart.funding.title",
        locale,
        year=budget_year(row, locale),
        coverage=fmt_percent(float(row["coverage"]), locale),
    )


def gap_title(row: pd.Series, locale: str = DEFAULT_LOCALE) -> str:
    """Takeaway for the gap chart."""
    return t(
        "chart.gap.title", locale, year=budget_year(row, locale), gap=fmt_usd(float(row["gap_usd"]), locale)
    )


def budget_year(row: pd.Series, locale: str = DEFAULT_LOCALE) -> str:
    """A budget year, marked when the as-of date falls inside it."""
    return str(int(row["year"])) + (t("label.ytd", locale) if row.get("year_to_date", False) else "")


DEFINED_METRICS = (
    "requests_received",
    "requesting_jurisdictions",
    "requests_supported",
    "investigations_related",
    "investigations_supported",
    "support_rate",
    "coverage",
    "median_days",
)


def definitions(locale: str = DEFAULT_LOCALE) -> dict[str, str]:
    """Every metric's name and definition, as downloads and the sources page print them."""
    return {t(f"metric.{m}", locale, year="").strip(): t(f"help.{m}", locale) for m in DEFINED_METRICS}
