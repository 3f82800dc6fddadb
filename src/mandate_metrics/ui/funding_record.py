"""The Funding page in the published record: only what is public, each item dated and sourced.

No gap, coverage or ranking is computed here: the budget years after 2020 and most donor amounts
are not public. What is public is shown as published: the regular budget, the early funding
figures, every published contribution in its own currency (with a derived USD value that names
its ECB rate), statements of support, the budget votes and the published statements of need.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import partial

import pandas as pd
import streamlit as st

from mandate_metrics import charts, narrative, palette
from mandate_metrics.figures import funding
from mandate_metrics.figures.record import PROVENANCE_COLUMN, published_figure
from mandate_metrics.figures.translated import KEY
from mandate_metrics.i18n import fmt_date, fmt_int, fmt_percent, fmt_precise_date, fmt_usd, isolate, t
from mandate_metrics.ui import components as ui
from mandate_metrics.ui import share
from mandate_metrics.ui.shell import Context


def funding_record(ctx: Context) -> None:
    """Draw the Funding page's record view."""
    st.caption(t("funding.record_intro", ctx.locale))
    _published_figures(ctx)
    _contributions(ctx)
    _statements(ctx)


def funding_cards(ctx: Context, latest: pd.Series, source: str) -> None:
    """The latest budget year as four cards: requirement, funded, gap and coverage, and their source.

    Each card is marked where its value rests on sample data (the gap and the coverage derive from
    all three parts, so they are marked if any is), as the charts below mark theirs.
    """
    locale = ctx.locale
    year = narrative.budget_year(latest, locale)
    any_sample = bool(latest["illustrative"])
    cards = (
        (
            "requirement",
            fmt_usd(float(latest["requirement_usd"]), locale),
            bool(latest["requirement_illustrative"]),
        ),
        ("funded", fmt_usd(float(latest["funded_usd"]), locale), any_sample),
        ("gap", fmt_usd(float(latest["gap_usd"]), locale), any_sample),
        ("coverage", fmt_percent(float(latest["coverage"]), locale), any_sample),
    )
    with ui.headline_row() as columns:
        for column, (measure, value, sample) in zip(columns, cards, strict=True):
            with column:
                st.metric(
                    narrative.mark_if(t(f"metric.{measure}", locale, year=year), sample, locale),
                    value,
                    help=t("help.coverage", locale) if measure == "coverage" else None,
                    border=True,
                    height="stretch",  # four cards of one height, however their labels wrap
                )
    st.caption(ui.caption(ctx, ["budget", "contributions"], source, illustrative=any_sample, starred=False))


DONOR_KEY = "donor"


def donor_view(ctx: Context, given: pd.DataFrame) -> None:
    """One donor's contributions, first on the Funding page and kept in the address (``?donor=``).

    A delegate opening a link to their country's contributions sees them on the first screen, not
    2,000 px down. Pledges, announcements, payments and statements of support stay apart; each row
    keeps its own currency, its derived USD value with the ECB rate, and its source.
    """
    L = ctx.locale
    # The address holds the donor's English name (``donor_key`` where the page is in another
    # language), so a link to a donor opens in every language; the reader sees their own name.
    # Streamlit would bind the shown name to the address, so the choice writes the address itself.
    keys = given.get("donor" + KEY, given["donor"])
    names = dict(zip(keys, given["donor"], strict=True))
    donors = sorted(names, key=lambda k: names[k])
    if not donors:
        return
    asked = st.query_params.get(DONOR_KEY)
    found = {**{shown: k for k, shown in names.items()}, **{k: k for k in names}}.get(asked or "")
    if asked and found is None:
        st.warning(t("donor.unknown", L, value=asked), icon=":material/link_off:")
        del st.query_params[DONOR_KEY]
    if st.session_state.get(DONOR_KEY) != found:
        st.session_state[DONOR_KEY] = found  # the address wins: a link, or the browser's back button
    key = st.selectbox(
        t("donor.choose", L),
        donors,
        index=None,
        key=DONOR_KEY,
        format_func=names.__getitem__,
        on_change=_donor_chosen,
        placeholder="—",
        width=420,
    )
    if key is None:
        return
    donor = names[key]
    rows = given[keys == key].sort_values("date")
    with st.container(border=True):
        st.subheader(t("donor.title", L, donor=donor), anchor="donor")
        kinds = "; ".join(
            f"{t(f'kind.{k}', L)}: {fmt_int(n, L)}" for k, n in rows["kind"].value_counts().items()
        )
        years = f"{int(rows['year'].min())}–{int(rows['year'].max())}" if len(rows) else ""
        st.markdown(t("donor.summary", L, donor=ui.escape(donor), n=len(rows), kinds=kinds, years=years))
        contributions_view(ctx, lambda: rows, donor)
        st.caption(ui.escape(t("share.donor_link", L, url=share.view_url(ctx, donor=key))))


def _donor_chosen() -> None:
    """Keep the chosen donor's English name in the address (none: no donor)."""
    chosen = st.session_state.get(DONOR_KEY)
    if chosen is None:
        st.query_params.pop(DONOR_KEY, None)
    else:
        st.query_params[DONOR_KEY] = chosen


def contributions_shown(given: pd.DataFrame, locale: str) -> pd.DataFrame:
    """The contributions as a table to read: derived USD grouped per locale ("1,218,500")."""
    shown = contributions_table(given, locale)
    usd = t("column.usd_derived", locale)
    shown[usd] = [fmt_int(v, locale) if pd.notna(v) else "" for v in shown[usd]]
    return shown


def contributions_view(ctx: Context, given: Callable[[], pd.DataFrame], *filters: Hashable) -> None:
    """The contributions ``given`` builds, made readable once per data version, date, language and filter."""
    link = t("sources.column.link", ctx.locale)
    ui.prepared_table_view(
        ctx,
        "contributions",
        lambda: contributions_shown(given(), ctx.locale),
        *filters,
        hide_index=True,
        width="stretch",
        column_config={link: st.column_config.LinkColumn(link)},
    )


def _published_figures(ctx: Context) -> None:
    cards = ctx.prepared("published_funding_cards", partial(_funding_cards, ctx))
    if not cards:
        ui.empty_state(t("funding.no_budget", ctx.locale, as_of=fmt_date(ctx.as_of, ctx.locale)))
        return
    st.subheader(t("funding.record_figures", ctx.locale), anchor="published-funding")
    with st.container(horizontal=True, wrap=True, gap="medium"):
        for label_html, label, value, line in cards:
            # Labels are long ("Voluntary funding actually transferred for 2018 so far"): they wrap
            # above the value instead of being cut by the metric's one-line label. They are the
            # source's own words, so they stay in its language.
            with st.container(width=ui.CARD_WIDTH, border=True):
                ui.html_block(label_html)
                st.metric(label, value, label_visibility="collapsed")
                ui.data_caption(line)


def _funding_cards(ctx: Context) -> list[tuple[str, str, str, str]]:
    """Each published funding figure, newest first: its label (HTML and text), value and provenance."""
    rows = funding.published_funding(ctx.frame("published_figures"), ctx.as_of)
    return [
        (
            f"<div>{ui.in_its_language(row, 'label', ctx.locale)}</div>",
            isolate(str(row["label"]), ctx.locale),
            narrative.money_figure(row, ctx.locale),
            narrative.provenance_line(published_figure(row), ctx.as_of, ctx.locale),
        )
        for _, row in rows.iloc[::-1].iterrows()
    ]


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
    """Every published amount by donor and kind, in alphabetical order: nothing summed, nothing ranked."""
    L = ctx.locale
    given = ctx.prepared(
        "published_contributions",
        lambda: funding.published_contributions(ctx.frame("contributions"), ctx.as_of),
    )
    if given.empty:
        return
    per = ctx.prepared("published_per_kind", lambda: _per_donor_and_kind(given))
    ui.chart_panel(
        ctx,
        "published_contributions",
        lambda: (
            t("chart.published_contributions.title", L),
            charts.kind_bars(
                [
                    (f"{d} · {t(f'kind.{k}', L)}", t(f"kind.{k}", L), float(v))
                    for d, k, v in per[["donor", "kind", "amount_usd"]].itertuples(index=False)
                ],
                [(t(f"kind.{k}", L), KIND_COLOURS[k]) for k in KIND_COLOURS if k in set(per["kind"])],
                L,
            ),
            contributions_table(given, L),
        ),
        ["contributions"],
        t("funding.contributions_source", L),
    )
    donors = funding.contributing_donors(given)
    without = [d for d in donors if d not in set(per["donor"])]
    st.caption(t("funding.contributions_caption", L, n=len(donors), without=", ".join(without) or "–"))


def _per_donor_and_kind(given: pd.DataFrame) -> pd.DataFrame:
    """USD per donor and kind of contribution, donors in alphabetical order, kinds in a fixed order."""
    amounts = given.dropna(subset=["amount_usd"])
    per = amounts.groupby(["donor", "kind"])["amount_usd"].sum().reset_index()
    per["order"] = per["kind"].map({k: i for i, k in enumerate(KIND_COLOURS)})
    return per.sort_values(["donor", "order"], ignore_index=True)


def _statements(ctx: Context) -> None:
    votes, needs = ctx.prepared("funding_statements", partial(_statement_lists, ctx))
    if votes:
        st.subheader(t("funding.votes", ctx.locale), anchor="votes")
        ui.html_list(votes)
    if needs:
        st.subheader(t("funding.needs", ctx.locale), anchor="needs")
        ui.html_list(needs)


def _statement_lists(ctx: Context) -> tuple[list[str], list[str]]:
    """The budget votes and funding milestones, and the published statements of need, as list items."""
    L = ctx.locale
    milestones = ctx.frame("milestones")
    votes = milestones[
        milestones["topic"].isin(["vote", "funding"]) & (milestones["date"] <= pd.Timestamp(ctx.as_of))
    ].sort_values("date", ascending=False)
    needs = funding.statements_of_need(ctx.frame("messages"), ctx.as_of)
    return [ui.milestone_item(ctx, row) for _, row in votes.iterrows()], [
        "<li>"
        + ui.in_source_language("“" + ui.inert(row["text"]) + "”", L)
        + f" — {ui.said_by(row, L)} · "
        + f"{ui.in_source_language(ui.source_link(row['source_title'], row['source_url']), L)}</li>"
        for _, row in needs.iterrows()
    ]
