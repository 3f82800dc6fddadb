"""Requests & investigations: how demand grew, what was asked, what became of it, and the reconciliation."""

import streamlit as st

from mandate_metrics import charts, metrics, narrative, palette
from mandate_metrics.i18n import fmt_date, fmt_int, fmt_percent, t
from mandate_metrics.schemas import ASSISTANCE_TYPES, REQUEST_STATUSES, STAGES
from mandate_metrics.ui import components as ui
from mandate_metrics.ui.shell import context

ctx = context()
requests = ctx.frame("requests")
published = ctx.frame("published_figures")
L = ctx.locale
LEDGER = ["requests", "published_figures"]
SOURCE = t("sources.published", L) + " · " + ctx.datasets["requests"].meta.title

st.title(t("requests.title", L))
ui.illustrative_notice(ctx, ["requests", "investigations"])
head = metrics.headline(requests, ctx.as_of)

if head.requests_received == 0:
    ui.empty_state(t("empty.no_requests", L, as_of=fmt_date(ctx.as_of, L)))
    st.stop()

series = metrics.cumulative_series(requests, ctx.as_of)
ui.chart_panel(
    ctx,
    "cumulative",
    narrative.cumulative_title(head, L),
    charts.cumulative(series, published, locale=L),
    series[["date", "requests_received", "requests_supported"]].assign(date=series["date"].dt.date),
    LEDGER,
    SOURCE,
)

inv_lines = (("investigations_related", palette.PURPLE), ("investigations_supported", palette.VERMILION))
ui.chart_panel(
    ctx,
    "investigations",
    t("metric.investigations_supported", L)
    + ": "
    + fmt_int(head.investigations_supported, L)
    + " · "
    + t("metric.investigations_related", L)
    + ": "
    + fmt_int(head.investigations_related, L),
    charts.cumulative(series, published, lines=inv_lines, locale=L),
    series[["date", "investigations_related", "investigations_supported"]].assign(
        date=series["date"].dt.date
    ),
    LEDGER,
    SOURCE,
)

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
        narrative.per_year_title(per_year, L),
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
        narrative.share_title("chart.assistance.title", by_type, type_labels, "assistance_type", L),
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
        narrative.status_title(head, L),
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
        t("metric.median_days", L),
        "–" if median is None else fmt_int(median, L),
        help=t("help.median_days", L),
        border=True,
    )
with right:
    stages = metrics.investigations_by_stage(ctx.frame("investigations"), requests, ctx.as_of)
    ui.chart_panel(
        ctx,
        "stage",
        narrative.stage_title(stages, L),
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

check = metrics.reconcile(published, requests)
check = check[check["as_of"].dt.date <= ctx.as_of]
st.subheader(
    t("chart.published_vs_ledger.title", L, ok=int(check["consistent"].sum()), total=len(check)),
    anchor="reconciliation",
)
st.caption(
    t("requests.reconcile_caption", L)
    + " "
    + fmt_percent(check["consistent"].mean() if len(check) else None, L)
)
st.dataframe(
    check[["as_of", "metric", "qualifier", "value", "ledger_value", "consistent", "source_title"]].assign(
        as_of=check["as_of"].dt.date, metric=[t(f"metric.{m}", L) for m in check["metric"]]
    ),
    hide_index=True,
    width="stretch",
)
