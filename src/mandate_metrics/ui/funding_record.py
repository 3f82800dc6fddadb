"""The Funding page in the published record: only what is public, each item dated and sourced.

No gap, coverage or ranking is computed here: the budget years after 2020 and most donor amounts
are not public. What is public is shown as published: the regular budget, the early funding
figures, every published contribution in its own currency (with a derived USD value that names
its ECB rate), statements of support, the budget votes and the published statements of need.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from mandate_metrics import charts, narrative, palette
from mandate_metrics.figures import funding
from mandate_metrics.figures.record import PROVENANCE_COLUMN, published_figure
from mandate_metrics.i18n import fmt_date, fmt_precise_date, fmt_usd, isolate, t
from mandate_metrics.ui import components as ui
from mandate_metrics.ui import share
from mandate_metrics.ui.shell import Context


def funding_record(ctx: Context) -> None:
    """Draw the Funding page's record view."""
    st.caption(t("funding.record_intro", ctx.locale))
    _published_figures(ctx)
    _contributions(ctx)
    donor_view(ctx, funding.published_contributions(ctx.frame("contributions"), ctx.as_of))
    _statements(ctx)


DONOR_KEY = "donor"


def donor_view(ctx: Context, given: pd.DataFrame) -> None:
    """One donor's contributions by year, kept in the address (``?donor=Germany``) to share.

    Pledges, announcements, payments and statements of support stay apart; each row keeps its
    own currency, its derived USD value with the ECB rate, and its source.
    """
    L = ctx.locale
    donors = sorted(set(given["donor"]))
    if not donors:
        return
    asked = st.query_params.get(DONOR_KEY)
    if asked and asked not in donors:
        st.warning(t("donor.unknown", L, value=asked), icon=":material/link_off:")
        del st.query_params[DONOR_KEY]
    st.subheader(t("donor.title", L), anchor="donor")
    donor = st.selectbox(
        t("donor.choose", L), donors, index=None, key=DONOR_KEY, bind="query-params", placeholder="—"
    )
    if donor is None:
        return
    rows = given[given["donor"] == donor].sort_values("date")
    kinds = "; ".join(f"{t(f'kind.{k}', L)}: {n}" for k, n in rows["kind"].value_counts().items())
    years = f"{int(rows['year'].min())}–{int(rows['year'].max())}" if len(rows) else ""
    st.markdown(t("donor.summary", L, donor=ui.escape(donor), n=len(rows), kinds=kinds, years=years))
    ui.table_view(
        contributions_table(rows, L),
        L,
        hide_index=True,
        width="stretch",
        column_config={t("sources.column.link", L): st.column_config.LinkColumn(t("sources.column.link", L))},
    )
    st.caption(ui.escape(t("share.donor_link", L, url=share.view_url(ctx, donor=donor))))


def _published_figures(ctx: Context) -> None:
    rows = funding.published_funding(ctx.frame("published_figures"), ctx.as_of)
    if rows.empty:
        ui.empty_state(t("funding.no_budget", ctx.locale, as_of=fmt_date(ctx.as_of, ctx.locale)))
        return
    st.subheader(t("funding.record_figures", ctx.locale), anchor="published-funding")
    with st.container(horizontal=True, wrap=True, gap="medium"):
        for _, row in rows.iloc[::-1].iterrows():
            # Labels are long ("Voluntary funding actually transferred for 2018 so far"): they wrap
            # above the value instead of being cut by the metric's one-line label. They are the
            # source's own words, so they stay in its language.
            with st.container(width=ui.CARD_WIDTH, border=True):
                ui.html_block(f"<div>{ui.in_source_language(ui.inert(row['label']), ctx.locale)}</div>")
                st.metric(
                    isolate(str(row["label"]), ctx.locale),
                    narrative.money_figure(row, ctx.locale),
                    label_visibility="collapsed",
                )
                line = narrative.provenance_line(published_figure(row), ctx.as_of, ctx.locale)
                ui.data_caption(line)


def contributions_table(given: pd.DataFrame, locale: str) -> pd.DataFrame:
    """One row per published contribution, in plain column names, each with its marking."""
    return pd.DataFrame(
        {
            t("column.donor", locale): given["donor"],
            t("column.date", locale): [
                fmt_precise_date(d.date(), p, locale)
                for d, p in zip(given["date"], given["date_precision"], strict=True)
            ],
            t("column.kind", locale): [t(f"kind.{k}", locale) for k in given["kind"]],
            t("column.amount", locale): [
                ui.amount_text(a, c, locale) for a, c in zip(given["amount"], given["currency"], strict=True)
            ],
            t("column.usd_derived", locale): given["amount_usd"].round(0),
            t("column.conversion", locale): given["usd_rate_note"].fillna(""),
            t("column.source", locale): given["source_title"].fillna(""),
            t("sources.column.link", locale): given["source_url"].fillna(""),
            PROVENANCE_COLUMN: [
                "derived" if pd.notna(u) and c != "USD" else "published"
                for u, c in zip(given["amount_usd"], given["currency"], strict=True)
            ],
        }
    )


KIND_COLOURS = {"payment": palette.ORANGE, "pledge": palette.PURPLE, "announcement": palette.SKY}


def _contributions(ctx: Context) -> None:
    L = ctx.locale
    given = funding.published_contributions(ctx.frame("contributions"), ctx.as_of)
    if given.empty:
        return
    amounts = given.dropna(subset=["amount_usd"])
    per = amounts.pivot_table(index="donor", columns="kind", values="amount_usd", aggfunc="sum", fill_value=0)
    per = per.loc[per.sum(axis=1).sort_values(ascending=False).index]
    kinds = [k for k in KIND_COLOURS if k in per.columns]
    ui.chart_panel(
        ctx,
        "published_contributions",
        t("chart.published_contributions.title", L, n=len(per)),
        charts.stacked_bars(
            list(per.index),
            [(t(f"kind.{k}", L), per[k].tolist(), KIND_COLOURS[k]) for k in kinds],
            [fmt_usd(v, L) for v in per.sum(axis=1)],
            L,
        ),
        contributions_table(given, L),
        ["contributions"],
        t("funding.contributions_source", L),
    )
    without = sorted(set(given["donor"]) - set(per.index))
    st.caption(t("funding.contributions_caption", L, without=", ".join(without) or "–"))


def _statements(ctx: Context) -> None:
    L = ctx.locale
    milestones = ctx.frame("milestones")
    votes = milestones[
        milestones["topic"].isin(["vote", "funding"]) & (milestones["date"] <= pd.Timestamp(ctx.as_of))
    ].sort_values("date", ascending=False)
    if not votes.empty:
        st.subheader(t("funding.votes", L), anchor="votes")
        ui.html_list([ui.milestone_item(ctx, row) for _, row in votes.iterrows()])
    needs = funding.statements_of_need(ctx.frame("messages"), ctx.as_of)
    if not needs.empty:
        st.subheader(t("funding.needs", L), anchor="needs")
        ui.html_list(
            [
                f"<li>“{ui.inert(row['text'])}” — {ui.inert(row['attribution'])}, "
                f"{ui.inert(fmt_date(row['date'].date(), L))} · "
                f"{ui.source_link(row['source_title'], row['source_url'])}</li>"
                for _, row in needs.iterrows()
            ]
        )
