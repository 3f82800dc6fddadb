"""Funding & donors: requirement against what was funded, the gap, pledges, and who gives."""

import streamlit as st

from mandate_metrics import charts, narrative, palette
from mandate_metrics.figures import funding
from mandate_metrics.figures.record import ledger_shows
from mandate_metrics.i18n import fmt_date, fmt_percent, fmt_usd, fmt_usd_label, t
from mandate_metrics.ui import components as ui
from mandate_metrics.ui.funding_record import (
    contributions_view,
    donor_view,
    funding_cards,
    funding_record,
)
from mandate_metrics.ui.shell import context, end_page

ctx = context()
L = ctx.locale
budget, contributions = ctx.frame("budget"), ctx.frame("contributions")
NAMES = ["budget", "contributions"]
SOURCE = ctx.datasets["budget"].title(L) + " · " + ctx.datasets["contributions"].title(L)

st.title(t("funding.title", L))
ui.illustrative_notice(ctx, NAMES)
record_view = not ledger_shows(ctx.datasets, ctx.view, NAMES)
known = ctx.prepared(
    "known_contributions",
    lambda: contributions[contributions["date"].dt.date <= ctx.as_of].sort_values("date", ascending=False),
)
published = ctx.prepared(
    "published_contributions", lambda: funding.published_contributions(contributions, ctx.as_of)
)
# One donor first: a link to a donor (?donor=Germany) opens on that donor's contributions.
donor_view(ctx, published if record_view else known)
if record_view:
    # The published record: what is public, each item with its date and source. No gap, coverage
    # or ranking is computed here: the budget years and most donor amounts are not public.
    funding_record(ctx)
    end_page()
years = ctx.prepared("funding_by_year", lambda: funding.funding_by_year(budget, contributions, ctx.as_of))
latest = ctx.prepared("latest_year", lambda: funding.latest_year(years))
if latest is None:
    st.caption(t("funding.explainer", L))
    ui.empty_state(t("funding.no_budget", L, as_of=fmt_date(ctx.as_of, L)))
    end_page()
funding_cards(ctx, latest, SOURCE)  # the year's four figures, before the charts that show them over the years
st.caption(t("funding.explainer", L))

year_table = years.assign(coverage=years["coverage"].round(4))
illustrative = bool(latest["illustrative"])


def requirement() -> ui.Built:
    """Requirement against the regular budget and voluntary payments, per year."""
    title = narrative.mark_if(narrative.funding_title(latest, L), illustrative, L)
    return title, charts.funding(years, L), year_table


def gap() -> ui.Built:
    """The gap per year with its coverage."""
    title = narrative.mark_if(narrative.gap_title(latest, L), illustrative, L)
    columns = ["year", "requirement_usd", "funded_usd", "gap_usd", "coverage", "illustrative"]
    return title, charts.gap(years, L), year_table[columns]


def pledges() -> ui.Built:
    """Voluntary payments beside pledges not recorded as paid."""
    unpaid = fmt_usd(float(latest["pledged_unpaid_usd"]), L)
    title = t("chart.pledges.title", L, unpaid=unpaid, year=int(latest["year"]))
    table = years[["year", "voluntary_paid_usd", "pledged_unpaid_usd", "illustrative"]]
    return (
        narrative.mark_if(title, bool(latest["voluntary_illustrative"]), L),
        charts.pledges(years, L),
        table,
    )


ui.chart_panel(ctx, "funding", requirement, NAMES, SOURCE)
left, right = st.columns(2)
with left:
    ui.chart_panel(ctx, "gap", gap, NAMES, SOURCE)
with right:
    ui.chart_panel(ctx, "pledges", pledges, NAMES, SOURCE)

all_years = t("funding.all_years", L)
choices = [all_years, *sorted({int(y) for y in contributions["year"] if y <= ctx.as_of.year}, reverse=True)]
pick = st.selectbox(t("funding.donor_year", L), choices, key="donor_year", bind="query-params")
year = None if pick == all_years else int(pick)
donors = ctx.prepared("donors_ranked", lambda: funding.donors_ranked(contributions, ctx.as_of, year), year)


def ranking() -> ui.Built:
    """Donors by voluntary payments, each bar with its amount and share; sample values hatched."""
    paid = donors[donors["paid_usd"] > 0]
    flag = f" ({t('label.illustrative', L)})"
    labels = [d + (flag if ill else "") for d, ill in zip(paid["donor"], paid["illustrative"], strict=True)]
    top = paid.iloc[0]
    title = t("chart.donors.title", L, top=top["donor"], share=fmt_percent(top["share"], L))
    figure = charts.bars(
        labels,
        paid["paid_usd"].tolist(),
        horizontal=True,
        colour=palette.ORANGE,
        texts=[
            f"{fmt_usd_label(v, L)} · {fmt_percent(s, L)}"  # Arabic: in millions; the title says US$
            for v, s in zip(paid["paid_usd"], paid["share"], strict=True)
        ],
        hatched=paid["illustrative"].tolist(),
        locale=L,
    )
    title = narrative.mark_if(title, bool(paid["illustrative"].any()), L)
    return title, figure, donors.assign(share=donors["share"].round(4))


def donor_count() -> ui.Built:
    """How many donors paid or pledged each year."""
    counts = funding.donors_per_year(contributions, ctx.as_of)
    last = counts.iloc[-1]
    title = t("chart.donor_count.title", L, n=int(last["donors"]), year=int(last["year"]))
    figure = charts.bars(
        counts["year"].astype(str).tolist(), counts["donors"].tolist(), colour=palette.BLUE, locale=L
    )
    return narrative.mark_if(title, ctx.datasets["contributions"].meta.is_illustrative, L), figure, counts


left, right = st.columns([3, 2])  # donor names are long: give the ranking the wider column
with left:
    if donors.empty or donors["paid_usd"].sum() == 0:
        ui.empty_state(t("empty.no_contributions", L, as_of=fmt_date(ctx.as_of, L)))
    else:
        ui.chart_panel(ctx, "donors", ranking, NAMES, SOURCE, year)
with right:
    if ctx.prepared("any_donor", lambda: not funding.donors_per_year(contributions, ctx.as_of).empty):
        ui.chart_panel(ctx, "donor_count", donor_count, ["contributions"], SOURCE)

st.subheader(t("funding.contributions_table", L), anchor="contributions")
missing = ctx.prepared("not_converted", lambda: len(funding.not_converted(contributions, ctx.as_of)))
if missing:
    st.caption(t("funding.not_converted", L, n=missing))
contributions_view(ctx, lambda: known, "all")
