"""Jurisdictions: where requests come from, by region and by jurisdiction, under the disclosure rule."""

import streamlit as st

from mandate_metrics import charts, disclosure, metrics, narrative, palette
from mandate_metrics.i18n import fmt_date, fmt_percent, t
from mandate_metrics.record import ledger_shows
from mandate_metrics.ui import components as ui
from mandate_metrics.ui.shell import context

ctx = context()
L = ctx.locale
requests, jurisdictions = ctx.frame("requests"), ctx.frame("jurisdictions")
NAMES = ["requests", "jurisdictions"]
SOURCE = ctx.datasets["requests"].meta.title

st.title(t("jurisdictions.title", L))
ui.illustrative_notice(ctx, NAMES)
if not ui.growth_panel(ctx, "jurisdictions_over_time", ("requesting_jurisdictions",), "brief.reach.takeaway"):
    ui.empty_state(t("empty.no_requests", L, as_of=fmt_date(ctx.as_of, L)))
    st.stop()
if not ledger_shows(ctx.datasets, ctx.view, NAMES):
    st.caption(t("record.series_caption", L))
    st.info(t("record.no_regions", L, sample=t("view.sample", L)), icon=":material/info:")
    st.stop()

# Breakdowns exist only in a ledger: their titles are marked when it is a sample.
sample = ctx.datasets["requests"].meta.is_illustrative
st.caption(t("jurisdictions.disclosure_note", L))
regions = metrics.by_region(requests, jurisdictions, ctx.as_of)
if regions.empty:
    ui.empty_state(t("empty.no_requests", L, as_of=fmt_date(ctx.as_of, L)))
    st.stop()

top = regions.iloc[0]
share = top["requests_received"] / regions["requests_received"].sum()
shown_regions = disclosure.public_region_table(regions, ctx.role)
ui.chart_panel(
    ctx,
    "regions",
    narrative.mark_if(
        t("chart.region.title", L, region=top["region"], share=fmt_percent(share, L)), sample, L
    ),
    charts.bars(
        shown_regions["region"].tolist(),
        [0 if v == disclosure.SUPPRESSED else int(v) for v in shown_regions["requests_received"]],
        horizontal=True,
        texts=shown_regions["requests_received"].tolist(),
        locale=L,
    ),
    shown_regions.rename(
        columns={"region": t("column.region", L), "jurisdictions": t("column.jurisdictions", L)}
    ),
    NAMES,
    SOURCE,
)

per = metrics.by_jurisdiction(requests, jurisdictions, ctx.as_of)
shown = disclosure.public_jurisdiction_table(per, ctx.role, t("jurisdictions.undisclosed", L))
values = [0 if v == disclosure.SUPPRESSED else int(v) for v in shown["requests_received"]]
table = shown[["name", "region", *disclosure.COUNT_COLUMNS]].rename(
    columns={"name": t("column.jurisdiction", L), "region": t("column.region", L)}
)
ui.chart_panel(
    ctx,
    "by_jurisdiction",
    narrative.mark_if(t("chart.jurisdiction.title", L, as_of=fmt_date(ctx.as_of, L)), sample, L),
    charts.bars(
        shown["name"].tolist(),
        values,
        horizontal=True,
        colour=palette.SKY,
        texts=[str(v) for v in shown["requests_received"]],
        locale=L,
    ),
    table,
    NAMES,
    SOURCE,
)
