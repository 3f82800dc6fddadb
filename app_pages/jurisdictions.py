"""Jurisdictions: where requests come from, by region and by jurisdiction, under the disclosure rule."""

import streamlit as st

from mandate_metrics import charts, narrative, palette
from mandate_metrics.figures import disclosure, linked, metrics
from mandate_metrics.figures.record import ledger_shows
from mandate_metrics.i18n import fmt_date, t
from mandate_metrics.ui import components as ui
from mandate_metrics.ui.shell import context, end_page

ctx = context()
L = ctx.locale
requests, jurisdictions = ctx.frame("requests"), ctx.frame("jurisdictions")
NAMES = ["requests", "jurisdictions"]
SOURCE = ctx.datasets["requests"].title(L)

st.title(t("jurisdictions.title", L))
ui.illustrative_notice(ctx, NAMES)
ui.headline_cards(ctx, ("requesting_jurisdictions", "requests_received"))
if not ui.growth_panel(ctx, "jurisdictions_over_time", ("requesting_jurisdictions",), "brief.reach.takeaway"):
    ui.empty_state(t("empty.no_requests", L, as_of=fmt_date(ctx.as_of, L)))
    end_page()
if not ledger_shows(ctx.datasets, ctx.view, NAMES):
    st.caption(t("record.series_caption", L))
    st.info(t("record.no_regions", L, sample=t("view.sample", L)), icon=":material/info:")
    end_page()

# Breakdowns exist only in a ledger: their titles are marked when it is a sample.
sample = ctx.datasets["requests"].meta.is_illustrative
st.caption(t("jurisdictions.disclosure_note", L))
found = ctx.prepared(
    "linked_tables",
    lambda: linked.public_tables_at(ctx.datasets, ctx.as_of, ctx.role, t("jurisdictions.undisclosed", L)),
)
if found.shown_for is None:
    ui.empty_state(t("jurisdictions.no_reference_yet", L, as_of=fmt_date(ctx.as_of, L)))
    end_page()
if found.shown_for != ctx.as_of:  # said at the top: these tables are not as of the date asked for
    st.info(t("jurisdictions.reference_date", L, shown=fmt_date(found.shown_for, L)), icon=":material/event:")
tables = found.tables
if tables.withheld_whole or tables.regions.empty:
    ui.empty_state(t("jurisdictions.withheld_whole", L, as_of=fmt_date(found.shown_for, L)))
    end_page()
regions, shown, shown_for = tables.regions, tables.jurisdictions, found.shown_for


def by_region() -> ui.Built:
    """Requests by region, under the disclosure rule; the title states the largest region's share."""
    received = metrics.headline(requests, shown_for).requests_received
    figure = charts.bars(
        regions["region"].tolist(),
        disclosure.drawn(regions["requests_received"]),
        horizontal=True,
        texts=[narrative.count_text(v, L) for v in regions["requests_received"]],
        locale=L,
    )
    table = regions.rename(
        columns={"region": t("column.region", L), "jurisdictions": t("column.jurisdictions", L)}
    )
    return narrative.mark_if(narrative.region_title(regions, received, L), sample, L), figure, table


def by_jurisdiction() -> ui.Built:
    """Requests by jurisdiction: names and small counts only where the disclosure rule allows."""
    figure = charts.bars(
        shown["name"].tolist(),
        disclosure.drawn(shown["requests_received"]),
        horizontal=True,
        colour=palette.SKY,
        texts=[narrative.count_text(v, L) for v in shown["requests_received"]],
        locale=L,
    )
    table = shown[["name", "region", *disclosure.COUNT_COLUMNS]].rename(
        columns={"name": t("column.jurisdiction", L), "region": t("column.region", L)}
    )
    title = t("chart.jurisdiction.title", L, as_of=fmt_date(shown_for, L))
    return narrative.mark_if(title, sample, L), figure, table


ui.chart_panel(ctx, "regions", by_region, NAMES, SOURCE)
ui.chart_panel(ctx, "by_jurisdiction", by_jurisdiction, NAMES, SOURCE)
