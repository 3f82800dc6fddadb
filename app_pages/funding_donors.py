"""Funding & donors: requirement against what was funded, the gap, pledges, and who gives."""

import streamlit as st

from mandate_metrics import charts, narrative, palette
from mandate_metrics.figures import funding
from mandate_metrics.figures.record import ledger_shows
from mandate_metrics.i18n import fmt_date, fmt_percent, fmt_usd, t
from mandate_metrics.ui import components as ui
from mandate_metrics.ui.funding_record import contributions_view, donor_view, funding_record
from mandate_metrics.ui.shell import context, end_page

ctx = context()
L = ctx.locale
budget, contributions = ctx.frame("budget"), ctx.frame("contributions")
NAMES = ["budget", "contributions"]
SOURCE = ctx.datasets["budget"].title(L) + " · " + ctx.datasets["contributions"].title(L)

st.title(t("funding.title", L))
ui.illustrative_notice(ctx, NAMES)
record_view = not ledger_shows(ctx.datasets, ctx.view, NAMES)
known = contributions[contributions["date"].dt.date <= ctx.as_of].sort_values("date", ascending=False)
# One donor first: a link to a donor (?donor=Germany) opens on that donor's contributions.
donor_view(ctx, funding.published_contributions(contributions, ctx.as_of) if record_view else known)
if record_view:
    # The published record: what is public, each item with its date and source. No gap, coverage
    # or ranking is computed here: the budget years and most donor amounts are not public.
    funding_record(ctx)
    end_page()
st.caption(t("funding.explainer", L))

years = funding.funding_by_year(budget, contributions, ctx.as_of)
latest = funding.latest_year(years)
if latest is None:
    ui.empty_state(t("funding.no_budget", L, as_of=fmt_date(ctx.as_of, L)))
    end_page()

year_table = years.assign(coverage=years["coverage"].round(4))
illustrative = bool(latest["illustrative"])
ui.chart_panel(
    ctx,
    "funding",
    narrative.mark_if(narrative.funding_title(latest, L), illustrative, L),
    charts.funding(years, L),
    year_table,
    NAMES,
    SOURCE,
)
left, right = st.columns(2)
with left:
    ui.chart_panel(
        ctx,
        "gap",
        narrative.mark_if(narrative.gap_title(latest, L), illustrative, L),
        charts.gap(years, L),
        year_table[["year", "requirement_usd", "funded_usd", "gap_usd", "coverage", "illustrative"]],
        NAMES,
        SOURCE,
    )
with right:
    ui.chart_panel(
        ctx,
        "pledges",
        narrative.mark_if(
            t(
                "chart.pledges.title",
                L,
                unpaid=fmt_usd(float(latest["pledged_unpaid_usd"]), L),
                year=int(latest["year"]),
            ),
            bool(latest["voluntary_illustrative"]),
            L,
        ),
        charts.pledges(years, L),
        years[["year", "voluntary_paid_usd", "pledged_unpaid_usd", "illustrative"]],
        NAMES,
        SOURCE,
    )

all_years = t("funding.all_years", L)
choices = [all_years, *sorted({int(y) for y in contributions["year"] if y <= ctx.as_of.year}, reverse=True)]
pick = st.selectbox(t("funding.donor_year", L), choices, key="donor_year", bind="query-params")
donors = funding.donors_ranked(contributions, ctx.as_of, None if pick == all_years else int(pick))
left, right = st.columns([3, 2])  # donor names are long: give the ranking the wider column
with left:
    if donors.empty or donors["paid_usd"].sum() == 0:
        ui.empty_state(t("empty.no_contributions", L, as_of=fmt_date(ctx.as_of, L)))
    else:
        paid = donors[donors["paid_usd"] > 0]
        flag = f" ({t('label.illustrative', L)})"
        labels = [
            d + (flag if ill else "") for d, ill in zip(paid["donor"], paid["illustrative"], strict=True)
        ]
        top = paid.iloc[0]
        ui.chart_panel(
            ctx,
            "donors",
            narrative.mark_if(
                t("chart.donors.title", L, top=top["donor"], share=fmt_percent(top["share"], L)),
                bool(paid["illustrative"].any()),
                L,
            ),
            charts.bars(
                labels,
                paid["paid_usd"].tolist(),
                horizontal=True,
                colour=palette.ORANGE,
                texts=[
                    f"{fmt_usd(v, L)} · {fmt_percent(s, L)}"
                    for v, s in zip(paid["paid_usd"], paid["share"], strict=True)
                ],
                hatched=paid["illustrative"].tolist(),
                locale=L,
            ),
            donors.assign(share=donors["share"].round(4)),
            NAMES,
            SOURCE,
        )
with right:
    counts = funding.donors_per_year(contributions, ctx.as_of)
    if not counts.empty:
        last = counts.iloc[-1]
        ui.chart_panel(
            ctx,
            "donor_count",
            narrative.mark_if(
                t("chart.donor_count.title", L, n=int(last["donors"]), year=int(last["year"])),
                ctx.datasets["contributions"].meta.is_illustrative,
                L,
            ),
            charts.bars(
                counts["year"].astype(str).tolist(), counts["donors"].tolist(), colour=palette.BLUE, locale=L
            ),
            counts,
            ["contributions"],
            SOURCE,
        )

st.subheader(t("funding.contributions_table", L), anchor="contributions")
missing = funding.not_converted(contributions, ctx.as_of)
if not missing.empty:
    st.caption(t("funding.not_converted", L, n=len(missing)))
contributions_view(known, L)
