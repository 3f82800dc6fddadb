"""Shared page elements: notices, metric cards, the chart panel, citations.

Text that comes from data is escaped before it reaches Markdown, so a value such as
``<img src=x onerror=alert(1)>`` or ``[link](javascript:...)`` shows as the characters it is.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from mandate_metrics import charts, narrative
from mandate_metrics.config import load_config
from mandate_metrics.exports.tables import Stamp, csv_bytes, labelled, neutralise_formulas, xlsx_bytes
from mandate_metrics.figures.record import (
    EVIDENCE_MEASURES,
    PROVENANCE_COLUMN,
    Change,
    Figure,
    PublishedRecord,
    figures_frame,
    ledger_shows,
)
from mandate_metrics.figures.translated import LANG
from mandate_metrics.i18n import DEFAULT_LOCALE, direction, fmt_date, fmt_money, fmt_precise_date, language, t
from mandate_metrics.narrative import definitions
from mandate_metrics.text import visible
from mandate_metrics.ui import share
from mandate_metrics.ui.prepared import SentFigure
from mandate_metrics.ui.shell import Context

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")
CARD_WIDTH = 320  # px: wide enough for the longest headline label at the projector font size
PLOTLY_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
    # Plotly's own "Download plot as a PNG" draws in the browser: it works offline, at print size.
    "toImageButtonOptions": {"format": "png", "filename": "iiim-mandate-metrics-chart", "scale": 2},
}
EMBEDS: dict[str, tuple[tuple[str, ...], str]] = {
    "cumulative": (("requests_received", "requests_supported"), "brief.demand.takeaway"),
    "investigations": (
        ("investigations_supported", "investigations_related"),
        "brief.investigations.takeaway",
    ),
    "jurisdictions_over_time": (("requesting_jurisdictions",), "brief.reach.takeaway"),
}
"""Charts that can be shown alone at /embed?chart=KEY&embed=true, for a delegation's website."""


def escape(text: object) -> str:
    r"""Make data text inert where Markdown is the only way to draw it (headings, alerts, bold).

    Every special character is shown as itself (``*`` is no emphasis, ``Title\n===`` no heading),
    a colon that would open a Streamlit directive (``:red[…]``, ``:material/…:``) is a character
    reference, and what GFM would turn into a link by itself (``www.``, ``://``, an e-mail's
    ``@``) is broken with an invisible word joiner: Markdown links even character references.
    Where the text can sit in HTML (a list, a quote, a caption), ``inert`` and ``html_block`` are
    cleaner: nothing is added to the text.
    """
    flat = re.sub(r"[\r\n]+", " ", visible(text))
    inert_md = _MD_SPECIAL.sub(r"\\\1", flat)
    unlinked = (
        re.sub(r"(?i)www\\\.", "www\u2060\\.", inert_md).replace("://", ":\u2060//").replace("@", "@\u2060")
    )
    return re.sub(r":(?=[A-Za-z+\-])", "&#58;", unlinked)


def inert(text: object) -> str:
    """Data text as HTML that neither Markdown, a Streamlit directive nor an autolink can touch.

    Inside an HTML block (``html_block``) Markdown makes no link, emphasis or heading; ``<`` and
    ``&`` are escaped, and a colon is ``&colon;`` so no ``:red[…]`` or ``:material/…:`` directive
    can form. The browser shows the text exactly as written.
    """
    flat = re.sub(r"[\r\n]+", " ", visible(text))
    return html.escape(flat, quote=False).replace(":", "&colon;")


def html_block(markup: str) -> None:
    """Draw HTML made of ``inert`` data and our own tags: one block, so Markdown leaves it alone.

    CommonMark reads an HTML block that starts a line and has no blank line as HTML, not Markdown;
    Streamlit then draws it as it is (its sanitiser keeps the tags we use).
    """
    st.markdown(re.sub(r"\n\s*\n", "\n", markup), unsafe_allow_html=True)


def data_caption(text: str) -> None:
    """A caption that carries data (source titles, names): small grey text, drawn as text."""
    st.caption(f"<div>{inert(text)}</div>", unsafe_allow_html=True)


def readable(frame: pd.DataFrame, locale: str, keep: frozenset[str] = frozenset()) -> pd.DataFrame:
    """A table in plain words whose built-in "Download as CSV" cannot run a formula.

    Headers become words (except ``keep``, columns a column_config labels), true/false yes/no,
    missing values blank; Streamlit's own table download exports the cells as shown, so text
    starting with ``=``, ``+``, ``-`` or ``@`` is shown (and exported) with a leading apostrophe.
    """
    shown = neutralise_formulas(labelled(frame, locale, keep))
    if direction(locale) == "rtl":  # the grid draws left to right: mirror it, first column on the right
        shown = shown[shown.columns[::-1]]
    return shown


def table_view(frame: pd.DataFrame, locale: str, **options: Any) -> None:
    """``frame`` as a ``readable`` table view."""
    st.dataframe(readable(frame, locale, frozenset(options.get("column_config") or ())), **options)


def prepared_table_view(
    ctx: Context, part: str, build: Callable[[], pd.DataFrame], *filters: Hashable, **options: Any
) -> None:
    """A ``readable`` table made once per data version, date, language, view and ``filters``."""
    keep = frozenset(options.get("column_config") or ())
    shown = ctx.prepared(f"table:{part}", lambda: readable(build(), ctx.locale, keep), *filters)
    st.dataframe(shown, **options)


def illustrative_names(ctx: Context, names: Sequence[str]) -> list[str]:
    """Titles of the datasets among ``names`` that hold illustrative values."""
    return [ctx.datasets[n].title(ctx.locale) for n in names if ctx.datasets[n].meta.is_illustrative]


def illustrative_notice(ctx: Context, names: Sequence[str]) -> None:
    """The notice a page showing the illustrative sample carries, naming the datasets.

    The published record holds no sample value, so it carries none; every illustrative value is
    marked where it stands in any case.
    """
    titles = illustrative_names(ctx, names) if ledger_shows(ctx.datasets, ctx.view, names) else []
    if titles:
        st.warning(
            t("notice.illustrative", ctx.locale, datasets=t("list.separator", ctx.locale).join(titles)),
            icon=":material/info:",
        )


def marking(ctx: Context, names: Sequence[str], table: pd.DataFrame) -> str:
    """What a table's values are: from its per-row provenance column if it has one, else its datasets."""
    if PROVENANCE_COLUMN in table.columns:
        kinds = set(table[PROVENANCE_COLUMN])
        for kind in ("illustrative", "official"):
            if kind in kinds:
                return kind
        return "published"
    if illustrative_names(ctx, names):
        return "illustrative"
    ledger = {"requests", "investigations", "jurisdictions"} & set(names)
    return "official" if ledger and ctx.evidence.has_ledger else "published"


def stamp(ctx: Context, names: Sequence[str], source: str, table: pd.DataFrame) -> Stamp:
    """The provenance stamp for a download built from datasets ``names``.

    A table that marks each row says per row what it is; otherwise every row carries the note.
    """
    versions = "; ".join(f"{n} {ctx.datasets[n].version}" for n in names)
    titles = illustrative_names(ctx, names)
    per_row = PROVENANCE_COLUMN in table.columns
    note = (
        t("notice.illustrative_short", ctx.locale, datasets=t("list.separator", ctx.locale).join(titles))
        if titles and not per_row
        else ""
    )
    about = (
        t("notice.per_row", ctx.locale) if per_row and set(table[PROVENANCE_COLUMN]) - {"published"} else ""
    )
    return Stamp(
        datasets=versions,
        as_of=ctx.as_of.isoformat(),
        source=source,
        illustrative_note=note,
        about_note=about,
        locale=ctx.locale,
    )


def caption(
    ctx: Context, names: Sequence[str], source: str, illustrative: bool | None = None, starred: bool = True
) -> str:
    """Chart caption: source, dataset versions, as-of date, and the illustrative flag if any.

    ``illustrative`` comes from the values drawn where the caller knows them; by default, from
    whether the datasets named hold sample values. ``starred``: the values drawn mark a sample
    value with * (a chart's bars do; cards say "Illustrative:" in their label instead).
    """
    text = t("caption.chart", ctx.locale, source=source, as_of=fmt_date(ctx.as_of, ctx.locale))
    if illustrative if illustrative is not None else bool(illustrative_names(ctx, names)):
        text += " " + t("caption.illustrative", ctx.locale)
        text += " " + t("caption.starred", ctx.locale) if starred else ""
    return text


def figure_card(ctx: Context, measure: str, figure: Figure | None, change: Change | None) -> None:
    """One headline figure: its value in its source's words, where it comes from, and its change.

    A published value shows its date and source; an illustrative one says so at body size beside
    the latest published figure, so the two are never confused.
    """
    st.metric(
        t(f"metric.{measure}", ctx.locale),
        "–" if figure is None else narrative.fmt_figure(figure, ctx.locale),
        delta=narrative.change_line(change, ctx.locale),
        delta_color="off" if change is None or change.delta == 0 else "normal",
        help=t(f"help.{measure}", ctx.locale),
        border=True,
    )
    if figure is not None and figure.is_illustrative:
        st.markdown(f":orange-background[**{t('prov.illustrative', ctx.locale)}**]")
        published = ctx.prepared(
            "published_figure",
            lambda: PublishedRecord(ctx.frame("published_figures")).figure(measure, ctx.as_of),
            measure,
        )
        if published is not None:
            line = narrative.fmt_figure(published, ctx.locale) + " · "
            data_caption(line + narrative.provenance_line(published, ctx.as_of, ctx.locale))
    else:
        data_caption(narrative.provenance_line(figure, ctx.as_of, ctx.locale))


def _headline_figures(
    ctx: Context, measures: tuple[str, ...]
) -> tuple[dict[str, Figure | None], dict[str, Change | None]]:
    evidence = ctx.evidence
    figures = {m: evidence.figure(m, ctx.as_of) for m in measures}
    return figures, {m: evidence.change(m, ctx.as_of) for m in measures}


def headline_cards(ctx: Context, measures: Sequence[str]) -> bool:
    """A page's headline figures as cards, four to a row, before its charts.

    They are what a viewer reads first, and they arrive first: cards need none of the chart code a
    first-time visitor's browser is still fetching (``headline_row``). Returns False, drawing
    nothing, when no measure has a value by the as-of date.
    """
    figures, changes = ctx.prepared("headline", partial(_headline_figures, ctx, tuple(measures)), *measures)
    if all(f is None for f in figures.values()):
        return False
    with headline_row() as columns:
        for column, (measure, figure) in zip(columns, figures.items(), strict=False):
            with column:
                figure_card(ctx, measure, figure, changes[measure])
    return True


@contextmanager
def headline_row() -> Iterator[Sequence[Any]]:
    """Four columns for a page's headline cards, then ``first_screen_sent``.

    Keyed ``headline``: its height is kept while the cards' code loads (``ui/server.py``).
    """
    with st.container(key="headline"):
        yield st.columns(4, gap="small")
    first_screen_sent()


FIRST_SCREEN_KEY = "first_screen_sent"


def first_screen_sent() -> None:
    """On a viewer's first page load, give the browser time to draw the headline before the charts.

    A first visit's browser has yet to run Plotly's module (0.7-1.2 s of one thread on this
    machine). When the charts' messages arrive with the cards', that run starts before the cards
    are shown: React reveals content that waited for its code in batches (at most every 500 ms once
    a placeholder is on screen), and the long task holds the next batch back. The headline then
    appeared with the charts, about 2.5 s after navigation, against 1 s for a bare one-metric page.
    A pause after the cards on the session's first run (``MANDATE_METRICS_FIRST_SCREEN_MS``, 200 ms)
    lets them be drawn first; later runs, whose browser has the chart code, never wait.
    """
    if st.session_state.get(FIRST_SCREEN_KEY):
        return
    st.session_state[FIRST_SCREEN_KEY] = True
    pause = load_config().first_screen_ms / 1000
    if pause > 0:
        time.sleep(pause)


def evidence_panel(ctx: Context) -> None:
    """Repository, collection, cooperation and partners: published figures, each dated and sourced."""
    found = ctx.prepared("evidence_figures", partial(_evidence_figures, ctx))
    if not found:
        return
    st.subheader(t("evidence.title", ctx.locale), anchor="evidence")
    with st.container(horizontal=True, wrap=True, gap="medium"):
        for measure, figure in found:
            with st.container(width=CARD_WIDTH):
                value = narrative.fmt_figure(figure, ctx.locale)
                if measure == "repository_size_tb":
                    value = t("evidence.unit.repository_size_tb", ctx.locale, value=value)
                st.metric(t(f"evidence.{measure}", ctx.locale), value, border=True)
                data_caption(narrative.provenance_line(figure, ctx.as_of, ctx.locale))


Built = tuple[str, go.Figure, pd.DataFrame]
"""What a chart panel is made of: its takeaway title, its figure and the table of exactly its numbers."""


@dataclass(frozen=True)
class PreparedChart:
    """A chart panel's parts, built once per data version, date, language, view and filter."""

    title: str
    figure: go.Figure
    table: pd.DataFrame  # headers in words: what is read and downloaded
    kind: str  # illustrative, official or published (``marking``)
    stamp: Stamp


def _prepare(ctx: Context, build: Callable[[], Built], names: Sequence[str], source: str) -> PreparedChart:
    title, figure, table = build()
    return PreparedChart(
        title,
        SentFigure(figure),
        labelled(table, ctx.locale),
        marking(ctx, names, table),
        stamp(ctx, names, source, table),
    )


def _evidence_figures(ctx: Context) -> list[tuple[str, Figure]]:
    record = PublishedRecord(ctx.frame("published_figures"))
    return [(m, f) for m in EVIDENCE_MEASURES if (f := record.figure(m, ctx.as_of)) is not None]


def chart_panel(
    ctx: Context,
    key: str,
    build: Callable[[], Built],
    names: Sequence[str],
    source: str,
    *filters: Hashable,
) -> None:
    """A chart with its takeaway title, chart/table toggle, caption and CSV of exactly its numbers.

    ``build`` makes the title, figure and table from the context (and ``filters``) alone: it runs
    once per data version, date, language, view and filter (``Context.prepared``); every other
    rerun draws what it made.
    """
    chart = ctx.prepared(f"chart:{key}", partial(_prepare, ctx, build, names, source), *filters)
    title, kind, provenance, table = chart.title, chart.kind, chart.stamp, chart.table
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
        table_view(table, ctx.locale, hide_index=True, width="stretch")
    else:
        st.plotly_chart(chart.figure, key=f"{key}_chart", config=PLOTLY_CONFIG, theme=None, width="stretch")
    st.caption(caption(ctx, names, source, illustrative=kind == "illustrative"))
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
            st.code(share.citation(ctx, title, kind), language=None, wrap_lines=True)
            if key in EMBEDS:
                st.caption(t("embed.snippet", ctx.locale))
                st.code(share.embed_snippet(ctx, key), language="html", wrap_lines=True)


def growth_panel(ctx: Context, key: str, measures: tuple[str, ...], title_key: str) -> bool:
    """Cumulative measures over time, each its own line; the title states the first one's latest value.

    Over a ledger, the published figures are marked on its lines. Returns False (drawing nothing)
    when the first measure has no value by the as-of date.
    """
    series = ctx.prepared("growth", partial(_growth_series, ctx, measures), measures)
    if series is None:
        return False
    lines, marks, latest = series
    locale, has_ledger = ctx.locale, ctx.evidence.has_ledger
    chart_panel(
        ctx,
        key,
        lambda: (
            narrative.figure_sentence(title_key, latest, "", locale),
            charts.over_time(lines, marks, locale),
            figures_frame(lines + marks, locale),
        ),
        ["published_figures", "requests"] if has_ledger else ["published_figures"],
        series_source(ctx),
        measures,
    )
    return True


Series = list[tuple[str, list[Figure]]]


def _growth_series(ctx: Context, measures: tuple[str, ...]) -> tuple[Series, Series, Figure] | None:
    """The lines, the published marks on them and the latest figure; None before the first value."""
    evidence = ctx.evidence
    lines = [(m, list(evidence.series(m, ctx.as_of))) for m in measures]
    if not lines[0][1]:
        return None
    record = PublishedRecord(ctx.frame("published_figures"))
    marks = [(m, list(record.series(m, ctx.as_of))) for m in measures] if evidence.has_ledger else []
    latest = evidence.figure(measures[0], ctx.as_of) or lines[0][1][-1]
    return lines, marks, latest


def series_source(ctx: Context) -> str:
    """The source line of a chart over time: published figures, and the ledger where it is drawn."""
    published = t("sources.published", ctx.locale)
    if not ctx.evidence.has_ledger:
        return published
    return published + " · " + ctx.datasets["requests"].title(ctx.locale)


def source_link(title: str, url: object) -> str:
    """HTML for a source: a link only for an http(s) address, the title always ``inert``.

    A missing address can arrive as None or as NaN (a published version read back from Parquet).
    """
    if isinstance(url, str) and re.match(r"^https?://[^\s()<>\"']+$", url):
        return f'<a href="{html.escape(url, quote=True)}">{inert(title)}</a>'
    return inert(title)


def in_source_language(markup: str, locale: str, source_language: str = "en") -> str:
    """HTML from a source, declared in its own language when the page is in another.

    The span carries ``lang`` (a screen reader switches voice, WCAG 3.1.2) and isolates the text's
    direction inside Arabic.
    """
    if language(locale) == source_language:
        return markup
    return f'<span lang="{source_language}" dir="ltr">{markup}</span>'


def in_its_language(row: pd.Series, column: str, locale: str) -> str:
    """A translated column's value (``figures.translated``) as HTML, declared English where untranslated."""
    return in_source_language(inert(row[column]), locale, str(row.get(column + LANG, DEFAULT_LOCALE)))


def said_by(message: pd.Series, locale: str) -> str:
    """Who said a message and when, as HTML: "Robert Petit, Head of the IIIM, 29 May 2024"."""
    who = in_its_language(message, "attribution", locale)
    return t("said.by", locale, who=who, when=inert(fmt_date(message["date"].date(), locale)))


def quote_html(quote: pd.Series, locale: str) -> str:
    """A key message as a block quote: its words and source as said, who said it in the reader's language."""
    said, where = (in_source_language(inert(quote[c]), locale) for c in ("text", "source_title"))
    return f"<blockquote><p>{said}</p><p>— {said_by(quote, locale)} ({where})</p></blockquote>"


def milestone_item(ctx: Context, row: pd.Series) -> str:
    """One timeline entry, as a list item: the date as precise as its source, the event, its source."""
    when = fmt_precise_date(row["date"].date(), row["date_precision"], ctx.locale)
    source = in_source_language(source_link(row["source_title"], row["source_url"]), ctx.locale)
    return f"<li><strong>{inert(when)}</strong> — {in_its_language(row, 'event', ctx.locale)} · {source}</li>"


def html_list(items: Sequence[str]) -> None:
    """A bulleted list of HTML items (``milestone_item``, sources, quotes)."""
    html_block("<ul>" + "".join(items) + "</ul>")


def amount_text(amount: float, currency: str | float, locale: str) -> str:
    """An amount in its own currency, or "not stated" where the source gives none."""
    if pd.isna(amount) or pd.isna(currency):
        return t("funding.amount_not_stated", locale)
    return fmt_money(float(amount), str(currency), locale)


def empty_state(message: str) -> None:
    """A calm, specific message where a chart would be."""
    st.info(message, icon=":material/event_busy:")
