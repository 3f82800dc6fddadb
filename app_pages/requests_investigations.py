"""Requests & investigations: how demand grew, what was asked, what became of it."""

import streamlit as st

from mandate_metrics import charts, narrative, palette
from mandate_metrics.figures import metrics
from mandate_metrics.figures.record import ledger_shows
from mandate_metrics.i18n import fmt_date, fmt_int, t
from mandate_metrics.schemas import ASSISTANCE_TYPES, REQUEST_STATUSES, STAGES
from mandate_metrics.ui import cached
from mandate_metrics.ui import components as ui
from mandate_metrics.ui.shell import context, end_page

ctx = context()
L = ctx.locale
evidence = ctx.evidence

st.title(t("requests.title", L))
ui.illustrative_notice(ctx, ["requests", "investigations"])


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
head = cached.ledger_index(ctx.datasets).headline(ctx.as_of)
left, right = st.columns(2)
with left:
    per_year = metrics.requests_per_year(requests, ctx.as_of)
    labels = [
        t("chart.per_year.ytd", L, year=y) if ytd else str(y)
        for y, ytd in zip(per_year["year"], per_year["year_to_date"], strict=True)
    ]
    ui.chart_panel(
        ctx,
        "per_year",
        narrative.mark_if(narrative.per_year_title(per_year, L), sample, L),
        charts.bars(labels, per_year["requests_received"].tolist(), locale=L),
        per_year,
        ["requests"],
        SOURCE,
    )
with right:
    by_type = metrics.count_by(requests, ctx.as_of, "assistance_type")
    type_labels = {a: t(f"assistance.{a}", L) for a in ASSISTANCE_TYPES}
    ui.chart_panel(
        ctx,
        "assistance_type",
        narrative.mark_if(
            narrative.share_title("chart.assistance.title", by_type, type_labels, "assistance_type", L),
            sample,
            L,
        ),
        charts.bars(
            [type_labels[a] for a in by_type["assistance_type"]],
            by_type["requests"].tolist(),
            horizontal=True,
            colour=palette.SKY,
            locale=L,
        ),
        by_type,
        ["requests"],
        SOURCE,
    )

left, right = st.columns(2)
with left:
    by_status = metrics.count_by(requests, ctx.as_of, "status")
    status_labels = {s: t(f"status.{s}", L) for s in REQUEST_STATUSES}
    ui.chart_panel(
        ctx,
        "status",
        narrative.mark_if(narrative.status_title(head, L), sample, L),
        charts.bars(
            [status_labels[s] for s in by_status["status"]],
            by_status["requests"].tolist(),
            horizontal=True,
            colour=palette.GREEN,
            locale=L,
        ),
        by_status,
        ["requests"],
        SOURCE,
    )
    median = metrics.median_days_to_decision(requests, ctx.as_of)
    st.metric(
        narrative.mark_if(t("metric.median_days", L), sample, L),
        "–" if median is None else fmt_int(median, L),
        help=t("help.median_days", L),
        border=True,
    )
with right:
    if ledger_shows(ctx.datasets, ctx.view, ["investigations"]):
        stages = metrics.investigations_by_stage(ctx.frame("investigations"), requests, ctx.as_of)
        ui.chart_panel(
            ctx,
            "stage",
            narrative.mark_if(narrative.stage_title(stages, L), sample, L),
            charts.bars(
                [t(f"stage.{s}", L) for s in STAGES],
                stages["investigations"].tolist(),
                horizontal=True,
                colour=palette.PURPLE,
                locale=L,
            ),
            stages,
            ["investigations", "requests"],
            SOURCE,
        )
    else:
        st.info(t("record.not_official", L, dataset=ctx.datasets["investigations"].title(L)))
