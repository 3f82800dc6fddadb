"""Requests & investigations: how demand grew, what was asked, what became of it."""

from functools import partial

import streamlit as st

from mandate_metrics import charts, narrative, palette
from mandate_metrics.figures import metrics
from mandate_metrics.figures.record import ledger_shows
from mandate_metrics.i18n import fmt_date, fmt_int, t
from mandate_metrics.schemas import ASSISTANCE_TYPES, REQUEST_STATUSES, STAGES
from mandate_metrics.ui import cached
from mandate_metrics.ui import components as ui
from mandate_metrics.ui.shell import context, end_page

HEADLINE = ("requests_received", "requests_supported", "investigations_supported", "investigations_related")

ctx = context()
L = ctx.locale

st.title(t("requests.title", L))
ui.illustrative_notice(ctx, ["requests", "investigations"])
ui.headline_cards(ctx, HEADLINE)

if not ui.growth_panel(
    ctx, "cumulative", ("requests_received", "requests_supported"), "brief.demand.takeaway"
):
    ui.empty_state(t("empty.no_requests", L, as_of=fmt_date(ctx.as_of, L)))
    end_page()
ui.growth_panel(
    ctx,
    "investigations",
    ("investigations_supported", "investigations_related"),
    "brief.investigations.takeaway",
)
if not ledger_shows(ctx.datasets, ctx.view, ["requests"]):
    st.caption(t("record.series_caption", L))
    st.info(t("record.no_breakdown", L, sample=t("view.sample", L)), icon=":material/info:")
    end_page()

# Breakdowns exist only in a ledger: every title they carry is marked when the ledger is a sample.
requests = ctx.frame("requests")
sample = ctx.datasets["requests"].meta.is_illustrative
SOURCE = ctx.datasets["requests"].title(L)


def per_year() -> ui.Built:
    """Requests received each year; the current year says it is year to date."""
    counts = metrics.requests_per_year(requests, ctx.as_of)
    labels = [
        t("chart.per_year.ytd", L, year=y) if ytd else str(y)
        for y, ytd in zip(counts["year"], counts["year_to_date"], strict=True)
    ]
    title = narrative.mark_if(narrative.per_year_title(counts, L), sample, L)
    return title, charts.bars(labels, counts["requests_received"].tolist(), locale=L), counts


def by_kind(column: str, labels: dict[str, str], colour: str) -> ui.Built:
    """Requests by assistance type or by status, largest first."""
    counts = metrics.count_by(requests, ctx.as_of, column)
    if column == "status":
        title = narrative.status_title(cached.ledger_index(ctx.datasets).headline(ctx.as_of), L)
    else:
        title = narrative.share_title("chart.assistance.title", counts, labels, column, L)
    figure = charts.bars(
        [labels[a] for a in counts[column]],
        counts["requests"].tolist(),
        horizontal=True,
        colour=colour,
        locale=L,
    )
    return narrative.mark_if(title, sample, L), figure, counts


def by_stage() -> ui.Built:
    """Investigations supported, by the stage each has reached."""
    stages = metrics.investigations_by_stage(ctx.frame("investigations"), requests, ctx.as_of)
    figure = charts.bars(
        [t(f"stage.{s}", L) for s in STAGES],
        stages["investigations"].tolist(),
        horizontal=True,
        colour=palette.PURPLE,
        locale=L,
    )
    return narrative.mark_if(narrative.stage_title(stages, L), sample, L), figure, stages


left, right = st.columns(2)
with left:
    ui.chart_panel(ctx, "per_year", per_year, ["requests"], SOURCE)
with right:
    TYPES = {a: t(f"assistance.{a}", L) for a in ASSISTANCE_TYPES}
    ui.chart_panel(
        ctx, "assistance_type", partial(by_kind, "assistance_type", TYPES, palette.SKY), ["requests"], SOURCE
    )

left, right = st.columns(2)
with left:
    STATUSES = {s: t(f"status.{s}", L) for s in REQUEST_STATUSES}
    ui.chart_panel(ctx, "status", partial(by_kind, "status", STATUSES, palette.GREEN), ["requests"], SOURCE)
    median = ctx.prepared("median_days", lambda: metrics.median_days_to_decision(requests, ctx.as_of))
    st.metric(
        narrative.mark_if(t("metric.median_days", L), sample, L),
        "–" if median is None else fmt_int(median, L),
        help=t("help.median_days", L),
        border=True,
    )
with right:
    if ledger_shows(ctx.datasets, ctx.view, ["investigations"]):
        ui.chart_panel(ctx, "stage", by_stage, ["investigations", "requests"], SOURCE)
    else:
        st.info(t("record.not_official", L, dataset=ctx.datasets["investigations"].title(L)))
