"""Overview: the four headline figures, the story they tell, a key quote and the milestones."""

import pandas as pd
import streamlit as st

from mandate_metrics import funding, metrics, narrative
from mandate_metrics.i18n import fmt_date, fmt_int, fmt_percent, t
from mandate_metrics.ui import components as ui
from mandate_metrics.ui.shell import context

ctx = context()
requests = ctx.frame("requests")
st.title(t("overview.title", ctx.locale))
ui.illustrative_notice(ctx, ["requests", "investigations", "jurisdictions", "contributions", "budget"])

head = metrics.headline(requests, ctx.as_of)
if head.requests_received == 0:
    ui.empty_state(t("notice.before_data", ctx.locale, as_of=fmt_date(ctx.as_of, ctx.locale)))
else:
    change = metrics.change_over_year(requests, ctx.as_of)
    years = funding.funding_by_year(ctx.frame("budget"), ctx.frame("contributions"), ctx.as_of)
    latest = funding.latest_year(years)
    st.header(t("overview.figures_title", ctx.locale), anchor="headline", divider="gray")
    headline_metrics = (
        "requests_received",
        "requesting_jurisdictions",
        "requests_supported",
        "investigations_supported",
    )
    # Fixed-width cards in a wrapping row: four across on a desktop, two by two on a 1280x720
    # projector, never a truncated label.
    with st.container(horizontal=True, wrap=True, gap="medium"):
        for metric in headline_metrics:
            with st.container(width=ui.CARD_WIDTH):
                ui.headline_card(ctx, metric, head.value(metric), change[metric])
    rate, cover, days = st.columns(3)
    rate.metric(
        t("metric.support_rate", ctx.locale),
        fmt_percent(head.support_rate, ctx.locale),
        help=t("help.support_rate", ctx.locale),
        border=True,
    )
    if latest is not None:
        flag = f" ({t('label.illustrative', ctx.locale)})" if latest["illustrative"] else ""
        cover.metric(
            t("metric.coverage", ctx.locale, year=int(latest["year"])) + flag,
            fmt_percent(float(latest["coverage"]), ctx.locale),
            help=t("help.coverage", ctx.locale),
            border=True,
        )
    median = metrics.median_days_to_decision(requests, ctx.as_of)
    days.metric(
        t("metric.median_days", ctx.locale),
        "–" if median is None else fmt_int(median, ctx.locale),
        help=t("help.median_days", ctx.locale),
        border=True,
    )
    illustrative = ctx.datasets["requests"].meta.is_illustrative
    st.markdown(" ".join(narrative.overview(head, change, latest, ctx.locale, illustrative)))

    quotes = ctx.frame("messages")
    quotes = quotes[(quotes["page"] == "overview") & (quotes["date"] <= pd.Timestamp(ctx.as_of))]
    if not quotes.empty:
        quote = quotes.sort_values("date").iloc[0]
        st.subheader(t("overview.quote_title", ctx.locale), anchor="quote")
        st.markdown(
            f"> {ui.escape(quote['text'])}\n>\n> — {ui.escape(quote['attribution'])}, "
            f"{fmt_date(quote['date'].date(), ctx.locale)} ({ui.escape(quote['source_title'])})"
        )

st.subheader(t("overview.timeline_title", ctx.locale), anchor="milestones")
milestones = ctx.frame("milestones")
shown = milestones[milestones["date"] <= pd.Timestamp(ctx.as_of)].sort_values("date", ascending=False)
st.markdown("\n".join(ui.milestone_line(ctx, row) for _, row in shown.iterrows()))
st.caption(ui.caption(ctx, ["milestones"], ctx.datasets["milestones"].meta.title))
