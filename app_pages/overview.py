"""Overview: the four headline figures with their provenance, the story, evidence, a quote, milestones."""

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from mandate_metrics import narrative
from mandate_metrics.figures import funding
from mandate_metrics.figures.record import Figure, ledger_shows
from mandate_metrics.i18n import fmt_date, fmt_percent, t
from mandate_metrics.ui import components as ui
from mandate_metrics.ui.shell import context

HEADLINE = ("requests_received", "requesting_jurisdictions", "requests_supported", "investigations_supported")

ctx = context()
L = ctx.locale
st.title(t("overview.title", L))
ui.illustrative_notice(ctx, ["requests", "investigations", "jurisdictions", "contributions", "budget"])


def headline() -> tuple[dict[str, Figure | None], Figure | None, str]:
    """The four headline figures, the support rate and the story told in words."""
    evidence = ctx.evidence
    figures = {m: evidence.figure(m, ctx.as_of) for m in HEADLINE}
    if all(f is None for f in figures.values()):
        return figures, None, ""
    story = [narrative.figures_paragraph(figures, L)]
    if ledger_shows(ctx.datasets, ctx.view, ["budget", "contributions"]):  # marked where illustrative
        latest = funding.latest_year(
            funding.funding_by_year(ctx.frame("budget"), ctx.frame("contributions"), ctx.as_of)
        )
        if latest is not None:
            story.append(
                narrative.mark_if(
                    narrative.funding_title(latest, L) + ", " + narrative.gap_title(latest, L).lower() + ".",
                    bool(latest["illustrative"]),
                    L,
                )
            )
    return figures, evidence.support_rate(ctx.as_of), " ".join(story)


figures, rate, story = ctx.prepared("overview.headline", headline)
if all(f is None for f in figures.values()):
    ui.empty_state(t("notice.before_data", L, as_of=fmt_date(ctx.as_of, L)))
else:
    st.header(t("overview.figures_title", L), anchor="headline", divider="gray")
    newest = max(f.on for f in figures.values() if f is not None)
    age = (datetime.now(UTC).date() - newest).days
    st.caption(t("overview.staleness", L, date=fmt_date(newest, L), n=age))
    # Four across, filling the row, at 1920x1080 and on a 1280x720 projector alike: all four
    # headline figures are on the first screen.
    ui.headline_cards(ctx, HEADLINE)
    if rate is not None:
        st.metric(
            narrative.marked(t("metric.support_rate", L), [rate], L),
            fmt_percent(rate.value, L),
            help=t("help.support_rate", L),
            border=True,
            width="content",
        )
        ui.data_caption(narrative.provenance_line(rate, ctx.as_of, L))
    st.markdown(ui.escape(story))

    ui.growth_panel(ctx, "overview_demand", ("requests_received",), "brief.demand.takeaway")

st.caption(  # the same record without a websocket: for slow links, archives and text browsers
    f"[{t('overview.plain_page', L)}](/record?as_of={ctx.as_of.isoformat()}&lang={L}) · "
    f"[{t('overview.api', L)}](/api/v1/)"
)

ui.evidence_panel(ctx)

st.subheader(t("overview.about_title", L), anchor="about")
st.markdown(t("overview.about", L))


def quote_and_milestones() -> tuple[str, str]:
    """The first key message of the page (HTML, or empty) and the timeline up to the date (HTML)."""
    quotes = ctx.frame("messages")
    quotes = quotes[(quotes["page"] == "overview") & (quotes["date"] <= pd.Timestamp(ctx.as_of))]
    quote = "" if quotes.empty else ui.quote_html(quotes.sort_values("date").iloc[0], L)
    milestones = ctx.frame("milestones")
    shown = milestones[milestones["date"] <= pd.Timestamp(ctx.as_of)].sort_values("date", ascending=False)
    return quote, "".join(ui.milestone_item(ctx, row) for _, row in shown.iterrows())


quote, timeline = ctx.prepared("overview.quote_and_milestones", quote_and_milestones)
if quote:
    st.subheader(t("overview.quote_title", L), anchor="quote")
    ui.html_block(quote)

st.subheader(t("overview.timeline_title", L), anchor="milestones")
ui.html_list([timeline])
st.caption(ui.caption(ctx, ["milestones"], ctx.datasets["milestones"].title(L)))
