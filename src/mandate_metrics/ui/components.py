"""Shared page elements: notices, metric cards, the chart panel, citations.

Text that comes from data is escaped before it reaches Markdown, so a value such as
``<img src=x onerror=alert(1)>`` or ``[link](javascript:...)`` shows as the characters it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import partial

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from mandate_metrics.exports.tables import Stamp, csv_bytes, xlsx_bytes
from mandate_metrics.i18n import fmt_date, fmt_delta, fmt_int, fmt_precise_date, t
from mandate_metrics.metrics import latest_published
from mandate_metrics.narrative import definitions, published_line
from mandate_metrics.ui import share
from mandate_metrics.ui.shell import Context

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")
CARD_WIDTH = 320  # px: wide enough for the longest headline label at the projector font size
PLOTLY_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
}


def escape(text: object) -> str:
    """Make data text inert in Markdown: every special character is shown as itself."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def illustrative_names(ctx: Context, names: Sequence[str]) -> list[str]:
    """Titles of the datasets among ``names`` that hold illustrative values."""
    return [ctx.datasets[n].meta.title for n in names if ctx.datasets[n].meta.is_illustrative]


def illustrative_notice(ctx: Context, names: Sequence[str]) -> None:
    """The visible notice every page using illustrative data must carry, naming the datasets."""
    titles = illustrative_names(ctx, names)
    if titles:
        st.warning(t("notice.illustrative", ctx.locale, datasets="; ".join(titles)), icon=":material/info:")


def stamp(ctx: Context, names: Sequence[str], source: str) -> Stamp:
    """The provenance stamp for a download built from datasets ``names``."""
    versions = "; ".join(f"{n} {ctx.datasets[n].version}" for n in names)
    titles = illustrative_names(ctx, names)
    note = t("notice.illustrative_short", ctx.locale, datasets="; ".join(titles)) if titles else ""
    return Stamp(datasets=versions, as_of=ctx.as_of.isoformat(), source=source, illustrative_note=note)


def caption(ctx: Context, names: Sequence[str], source: str) -> str:
    """Chart caption: source, dataset versions, as-of date, and the illustrative flag if any."""
    versions = ", ".join(f"{n} {ctx.datasets[n].version}" for n in names)
    text = t(
        "caption.chart", ctx.locale, source=source, datasets=versions, as_of=fmt_date(ctx.as_of, ctx.locale)
    )
    if illustrative_names(ctx, names):
        text += " " + t("caption.illustrative", ctx.locale)
    return text


def headline_card(ctx: Context, metric: str, value: int, delta: int) -> None:
    """One headline figure with its 12-month change, definition, and the published figure beside it."""
    st.metric(
        t(f"metric.{metric}", ctx.locale),
        fmt_int(value, ctx.locale),
        delta=t("metric.delta_year", ctx.locale, delta=fmt_delta(delta, ctx.locale)),
        delta_color="off" if delta == 0 else "normal",
        help=t(f"help.{metric}", ctx.locale),
        border=True,
    )
    row = latest_published(ctx.frame("published_figures"), metric, ctx.as_of)
    st.caption(escape(published_line(row, ctx.as_of, ctx.locale)))


def chart_panel(
    ctx: Context,
    key: str,
    title: str,
    figure: go.Figure,
    table: pd.DataFrame,
    names: Sequence[str],
    source: str,
) -> None:
    """A chart with its takeaway title, chart/table toggle, caption and CSV of exactly its numbers."""
    st.subheader(escape(title), anchor=key)  # titles carry data (donor names) and "$" amounts
    chart_label, table_label = t("control.view.chart", ctx.locale), t("control.view.table", ctx.locale)
    view = st.segmented_control(
        t("control.view", ctx.locale),
        [chart_label, table_label],
        default=chart_label,
        key=f"{key}_view",
        label_visibility="collapsed",
    )
    if view == table_label:
        st.dataframe(table, hide_index=True, width="stretch")
    else:
        st.plotly_chart(figure, key=f"{key}_chart", config=PLOTLY_CONFIG, theme=None, width="stretch")
    st.caption(caption(ctx, names, source))
    provenance = stamp(ctx, names, source)
    file_stem = f"iiim_{key}_{ctx.as_of.isoformat()}"
    with st.container(horizontal=True):
        st.download_button(
            t("control.download_csv", ctx.locale),
            partial(csv_bytes, table, provenance),  # made on click, not on every rerun
            file_name=f"{file_stem}.csv",
            mime="text/csv",
            key=f"{key}_csv",
            icon=":material/download:",
            on_click="ignore",
        )
        st.download_button(
            t("control.download_xlsx", ctx.locale),
            partial(xlsx_bytes, table, provenance, definitions(ctx.locale), title),
            file_name=f"{file_stem}.xlsx",
            key=f"{key}_xlsx",
            icon=":material/table_view:",
            on_click="ignore",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        with st.popover(t("cite.this", ctx.locale), icon=":material/format_quote:"):
            st.caption(t("cite.help", ctx.locale))
            st.code(share.citation(ctx, title), language=None, wrap_lines=True)


def source_link(title: str, url: str | None) -> str:
    """A Markdown link to a source, only for http(s) addresses; the title is always escaped."""
    if url and re.match(r"^https?://[^\s()<>]+$", url):
        return f"[{escape(title)}]({url})"
    return escape(title)


def milestone_line(ctx: Context, row: pd.Series) -> str:
    """One timeline entry: the date as precise as its source, the event, and its source."""
    when = fmt_precise_date(row["date"].date(), row["date_precision"], ctx.locale)
    return f"- **{when}** — {escape(row['event'])} · {source_link(row['source_title'], row['source_url'])}"


def empty_state(message: str) -> None:
    """A calm, specific message where a chart would be."""
    st.info(message, icon=":material/event_busy:")
