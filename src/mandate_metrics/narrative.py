"""Sentences built from metric results: the overview story and each chart's takeaway title.

Each function takes computed results, never raw data, so the words always match the numbers on
screen. All text goes through ``i18n.t``.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from mandate_metrics.i18n import DEFAULT_LOCALE, fmt_date, fmt_int, fmt_percent, fmt_precise_date, fmt_usd, t
from mandate_metrics.metrics import Headline


def overview(
    head: Headline,
    change: dict[str, int],
    latest_funding: pd.Series | None,
    locale: str = DEFAULT_LOCALE,
    ledger_illustrative: bool = False,
) -> list[str]:
    """The overview's paragraph: what was delivered, how it grew, how it is funded.

    Sentences resting on illustrative data say so in the sentence itself, so a paragraph copied
    into a speech keeps the warning.
    """
    sentences = [t("narrative.illustrative_prefix", locale)] if ledger_illustrative else []
    sentences += [
        t(
            "overview.narrative",
            locale,
            received=fmt_int(head.requests_received, locale),
            jurisdictions=fmt_int(head.requesting_jurisdictions, locale),
            supported=fmt_int(head.requests_supported, locale),
            inv_supported=fmt_int(head.investigations_supported, locale),
            as_of=fmt_date(head.as_of, locale),
        )
    ]
    sentences.append(
        t(
            "overview.narrative_growth",
            locale,
            delta_received=fmt_int(change["requests_received"], locale),
            delta_supported=fmt_int(change["requests_supported"], locale),
        )
    )
    if latest_funding is not None:
        illustrative = bool(latest_funding["illustrative"])
        sentences.append(
            t(
                "overview.narrative_funding_illustrative" if illustrative else "overview.narrative_funding",
                locale,
                year=int(latest_funding["year"]),
                coverage=fmt_percent(float(latest_funding["coverage"]), locale),
                gap=fmt_usd(float(latest_funding["gap_usd"]), locale),
            )
        )
    return sentences


def cumulative_title(head: Headline, locale: str = DEFAULT_LOCALE) -> str:
    """Takeaway for the cumulative chart."""
    return t(
        "chart.cumulative.title",
        locale,
        received=fmt_int(head.requests_received, locale),
        supported=fmt_int(head.requests_supported, locale),
        as_of=fmt_date(head.as_of, locale),
    )


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


def published_line(row: pd.Series | None, as_of: date, locale: str = DEFAULT_LOCALE) -> str:
    """The line under a figure naming the published figure it should be read against.

    "Published for this date" when the source is dated on the as-of day, otherwise "Latest
    published" with its date; the date is left out where the source's title already gives it.
    """
    if row is None:
        return t("metric.not_published", locale)
    value = t(f"qualifier.{row['qualifier']}", locale, value=fmt_int(row["value"], locale))
    when = fmt_precise_date(row["as_of"].date(), row["as_of_precision"], locale)
    if row["as_of"].date() == as_of:
        return t("metric.published", locale, value=value, source=row["source_title"])
    if when in str(row["source_title"]):
        return t("metric.latest_published_dated", locale, value=value, source=row["source_title"])
    return t("metric.latest_published", locale, value=value, source=row["source_title"], date=when)


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
