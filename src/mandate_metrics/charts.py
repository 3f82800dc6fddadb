"""Plotly figure builders: pure functions from tables to figures, one palette, no hover-only values.

Every value a chart shows is printed on it (bar labels, line-end labels, labelled markers), so a
projector audience and a screen-reader table get the same numbers without hovering. Illustrative
values are drawn hatched and say so in the legend. The palette is Okabe-Ito, safe for the common
forms of colour blindness.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from datetime import timedelta

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from mandate_metrics.briefing import ChartData
from mandate_metrics.figures.labels import label_positions
from mandate_metrics.figures.labels import lowest as lowest_line
from mandate_metrics.figures.record import Figure
from mandate_metrics.i18n import (
    DEFAULT_LOCALE,
    direction,
    fmt_date,
    fmt_int,
    fmt_usd,
    fmt_usd_label,
    language,
    t,
)
from mandate_metrics.palette import BLUE, COLOURS, GREY, ORANGE, PALETTE, PURPLE, VERMILION, text_colour

# Streamlit serves "Source Sans" itself, and Noto Sans Arabic and the Noto Sans SC subset from static/
# (theme.fontFaces, each for its own letters only): no web-font request leaves the server, and Arabic
# and Chinese look the same on every machine.
FONT = "Source Sans, noto-sans-arabic, noto-sans-sc, DejaVu Sans, sans-serif"
# Plotly's number separators (decimal, then thousands), to match Babel's in the text around a chart.
SEPARATORS = {"en": ".,", "ar": ".,", "fr": ",\u202f", "es": ",.", "ru": ",\u00a0", "zh": ".,"}
RLM = "\u200f"
ILLUSTRATIVE_PATTERN = "/"
# A hatched (sample) value's label also ends with a star, so the marking never rests on the
# hatching alone (WCAG 1.4.1); captions and slide footers say what the star means, in words.
STAR = "*"
PLOTLY_CONFIG_STATIC = {"staticPlot": True, "responsive": True}  # slides: nothing to hover or zoom


def plain(text: object) -> str:
    """Text from data, made inert for Plotly, which renders a subset of HTML in labels and hovers.

    ``<img src=x onerror=alert(1)>`` then shows as those characters, never as markup.
    """
    return html.escape(str(text), quote=False)


def _theme() -> go.layout.Template:
    """Plotly's own template, cut to the traces we draw, with our layout on top; built once.

    Setting these properties on each figure (update_layout, update_xaxes, update_yaxes) made
    Plotly validate them every time, and the full default template (defaults for 40 kinds of
    trace) is copied into every figure and sent to every browser: a chart and its JSON took 9.4 ms,
    now 6.1 ms, in half the bytes. The browser applies the template as it applied the properties.
    """
    plotly = pio.templates["plotly"]
    theme = go.layout.Template(layout=plotly.layout)
    theme.data.bar, theme.data.scatter = plotly.data.bar, plotly.data.scatter  # hatching, markers
    theme.layout.update(
        margin={"l": 10, "r": 30, "t": 30, "b": 10},
        font={"family": FONT, "size": 15, "color": "#1B1F24"},
        plot_bgcolor="white",
        paper_bgcolor="white",
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.02,
            "x": 0,
            "font": {"family": FONT, "size": 14},
        },
        hoverlabel={"font": {"family": FONT, "size": 14}},
    )
    return theme


THEME = _theme()
# Plotly gives every new figure the default template without validating it again; assigned with
# update_layout(template=...), the template was copied and validated in every figure (60 % of a
# bar chart's 11 ms). Every figure this process draws is ours, so ours is the default.
pio.templates["mandate_metrics"] = THEME
pio.templates.default = "mandate_metrics"
# ticklabelstandoff keeps the first date clear of the y axis's "0" at projector widths.
X_AXIS = {
    "showgrid": False,
    "linecolor": "#9CA3AF",
    "tickfont": {"size": 14},
    "automargin": True,
    "ticklabelstandoff": 6,
}
Y_AXIS = {"gridcolor": "#E5E7EB", "zeroline": False, "tickfont": {"size": 14}, "automargin": True}


def _layout(fig: go.Figure, locale: str, height: int | None = 420, legend: bool = True) -> go.Figure:
    """Size, axes, number separators and, for Arabic, the mirrored layout: one update, one validation.

    The axes are set on the figure itself: taken from a template, plotly.js places the y axis's "0"
    3 px lower, into the first date's label at projector widths (a browser test measures it).
    """
    xaxis, yaxis = dict(X_AXIS), dict(Y_AXIS)
    if language(locale) != DEFAULT_LOCALE and fig.layout.xaxis.type == "date":
        xaxis.update(tickformat="%Y", dtick="M12")  # Plotly names months in English: years in digits only
    layout: dict[str, object] = {
        "height": height,
        "showlegend": legend,
        "separators": SEPARATORS[language(locale)],
    }
    if direction(locale) == "rtl":
        # Right to left, as Arabic reads: time and categories start on the right, the value axis
        # and the legend stand on the right.
        drawn = fig.layout.xaxis.range
        xaxis.update({"range": list(reversed(drawn))} if drawn is not None else {"autorange": "reversed"})
        yaxis["side"] = "right"
        layout.update(
            legend={"x": 1, "xanchor": "right"}, hoverlabel={"align": "right"}, margin={"l": 30, "r": 40}
        )
        _mirror_labels(fig)
    fig.update_layout(xaxis=xaxis, yaxis=yaxis, **layout)
    return fig


def _right_to_left(label: str) -> str:
    """A label read right to left in Plotly's left-to-right SVG text.

    The mark alone orders "24.2 مليون"; the embedding (RLE … PDF) also keeps a Latin run inside an
    Arabic name in its place: «الدولة العضو A (توضيحي)», not A between the Arabic words' halves.
    """
    return f"{RLM}\u202b{label}\u202c"


def _mirror_labels(fig: go.Figure) -> None:
    """Every label beside a point moves to its other side, and reads right to left."""
    swap = {"left": "right", "right": "left"}
    for trace in fig.data:
        # Plotly lays out its SVG text left to right: a right-to-left mark first makes "24.2 مليون"
        # and "8 أيار/مايو 2024" read in Arabic order (the number on the right).
        texts = getattr(trace, "text", None)
        if isinstance(texts, tuple | list):
            trace.text = [_right_to_left(t) if isinstance(t, str) and t else t for t in texts]
        template = getattr(trace, "hovertemplate", None)
        if isinstance(template, str):
            trace.hovertemplate = RLM + template
        for axis in ("x", "y"):  # category names ("2025 (منذ بداية السنة)"), the same on every trace
            values = getattr(trace, axis, None)
            if isinstance(values, tuple | list) and values and all(isinstance(v, str) for v in values):
                setattr(trace, axis, [_right_to_left(v) for v in values])
        position = getattr(trace, "textposition", None)
        if position is None:
            continue
        trace.textposition = (
            _flip(position, swap) if isinstance(position, str) else [_flip(p, swap) for p in position]
        )


def over_time(
    lines: Sequence[tuple[str, Sequence[Figure]]],
    marks: Sequence[tuple[str, Sequence[Figure]]] = (),
    locale: str = DEFAULT_LOCALE,
) -> go.Figure:
    """Measures over time on a true time axis, one line each; two measures never share a line.

    Published observations are dated points joined by a dotted line (nothing is known between
    them), each labelled with its value and, on hover, its source. A ledger (dense month-end
    points) is a solid line labelled at its end; ``marks`` then puts the published figures on it
    as open diamonds, so a reader sees where the sample meets the record.

    Args:
        lines: (measure, figures oldest first) to draw.
        marks: (measure, published figures) to mark on the lines.
        locale: for labels and numbers.
    """
    fig = go.Figure()
    last_day = max((f.on for _, figures in lines for f in figures), default=None)
    marked_points = {(m, f.on, f.value) for m, figures in marks for f in figures}
    # Two labelled lines meet near zero: the lower one is labelled below its points, never on top.
    lowest = lowest_line([[f.value for f in figures] for _, figures in lines])
    ceiling = max((f.value for _, figures in lines for f in figures), default=0.0)
    for index, (measure, figures) in enumerate(lines):
        if not figures:
            continue
        colour = COLOURS.get(measure, BLUE)
        observed = all(f.provenance in ("published", "derived") for f in figures)
        positions = label_positions([f.on for f in figures], index == lowest)
        fig.add_scatter(
            x=[f.on for f in figures],
            y=[f.value for f in figures],
            mode="lines+markers+text" if observed else "lines",
            name=t(f"metric.{measure}", locale),
            meta=measure,
            line={"color": colour, "width": 2 if observed else 3, "dash": "dot" if observed else "solid"},
            marker={"color": colour, "size": 11},
            text=[_qualified(f.value, f.qualifier, locale) for f in figures] if observed else None,
            textposition=positions if observed else None,
            textfont={"size": 14, "color": text_colour(colour)},
            cliponaxis=False,
            customdata=[[fmt_date(f.on, locale), plain(_hover(f, locale))] for f in figures],
            hovertemplate="%{customdata[0]}: %{y:,}<br>%{customdata[1]}<extra></extra>",
        )
        end = figures[-1]
        if not observed and (measure, end.on, end.value) not in marked_points:  # one label per point
            fig.add_scatter(
                x=[end.on],
                y=[end.value],
                mode="markers+text",
                showlegend=False,
                text=[fmt_int(end.value, locale)],
                textposition="middle right",
                marker={"color": colour, "size": 9},
                textfont={"size": 16, "color": text_colour(colour)},
                hoverinfo="skip",
            )
    first_marks = True
    for measure, figures in marks:
        if not figures:
            continue
        colour = COLOURS.get(measure, BLUE)
        fig.add_scatter(
            x=[f.on for f in figures],
            y=[f.value for f in figures],
            mode="markers+text",
            name=t("chart.cumulative.published", locale),
            legendgroup="published",
            showlegend=first_marks,
            meta=f"published:{measure}",
            text=[_qualified(f.value, f.qualifier, locale) for f in figures],
            textposition=label_positions([f.on for f in figures]),
            textfont={"size": 13, "color": text_colour(colour)},
            cliponaxis=False,  # a label beside the last or the first mark runs past the plot area
            marker={"symbol": "diamond-open", "size": 13, "color": colour, "line": {"width": 2.5}},
            customdata=[[fmt_date(f.on, locale), plain(_hover(f, locale))] for f in figures],
            hovertemplate="%{customdata[0]}: %{text}<br>%{customdata[1]}<extra></extra>",
        )
        first_marks = False
    fig.update_yaxes(rangemode="tozero")  # cumulative counts: the baseline is zero
    if lowest is not None and ceiling > 0:
        fig.update_yaxes(range=[_floor(ceiling * 1.15), ceiling * 1.15])
    if last_day is not None:
        first_day = min(f.on for _, figures in lines for f in figures)
        span = max(60, (last_day - first_day).days // 8)  # room right of the last point for its label
        fig.update_xaxes(
            type="date", range=[first_day - timedelta(days=span // 3), last_day + timedelta(days=span)]
        )
    return _layout(fig, locale, height=460)


def _flip(position: str, swap: dict[str, str]) -> str:
    return " ".join(swap.get(word, word) for word in position.split())


def _hover(figure: Figure, locale: str) -> str:
    """A point's hover: where it comes from (a source title, or "illustrative")."""
    if figure.provenance == "published":
        return figure.source_title
    return t(f"prov.tag.{figure.provenance}", locale)


def _floor(ceiling: float) -> float:
    """Room under zero for labels drawn below points at zero.

    Under a tenth of the top: Plotly's tick step is larger, so no negative tick is ever drawn.
    """
    return -ceiling / 11


def _qualified(value: float, qualifier: str, locale: str) -> str:
    return t(f"qualifier.{qualifier}", locale, value=fmt_int(value, locale))


def bars(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    horizontal: bool = False,
    colour: str = BLUE,
    texts: Sequence[str] | None = None,
    hatched: Sequence[bool] | None = None,
    locale: str = DEFAULT_LOCALE,
    height: int | None = None,
) -> go.Figure:
    """A single-series bar chart with every value printed on its bar."""
    text = [plain(x) for x in texts] if texts is not None else [fmt_int(v, locale) for v in values]
    if hatched is not None:
        text = [x + STAR if h else x for x, h in zip(text, hatched, strict=True)]
    pattern = [ILLUSTRATIVE_PATTERN if h else "" for h in hatched] if hatched is not None else None
    common = {
        "marker": {"color": colour, "pattern": {"shape": pattern}} if pattern else {"color": colour},
        "text": text,
        "textposition": "outside",
        "cliponaxis": False,
        "constraintext": "none",
        "textfont": {"size": 15},
    }
    if horizontal:
        fig = go.Figure(
            go.Bar(
                x=list(values),
                y=[plain(label) for label in labels],
                orientation="h",
                **common,
                hovertemplate="%{y}: %{x:,}<extra></extra>",
            )
        )
        fig.update_yaxes(autorange="reversed", showgrid=False)
        fig.update_xaxes(showticklabels=False, showgrid=False, range=_headroom(values, 1.6))
        size = height or max(260, 48 * len(labels) + 60)
    else:
        fig = go.Figure(
            go.Bar(
                x=[plain(label) for label in labels],
                y=list(values),
                **common,
                hovertemplate="%{x}: %{y:,}<extra></extra>",
            )
        )
        fig.update_xaxes(type="category")
        fig.update_yaxes(showticklabels=False, showgrid=False, range=_headroom(values, 1.15))
        size = height or 380
    return _layout(fig, locale, height=size, legend=False)


def kind_bars(
    rows: Sequence[tuple[str, str, float]],
    kinds: Sequence[tuple[str, str]],
    locale: str = DEFAULT_LOCALE,
) -> go.Figure:
    """Horizontal bars, one per (label, kind) row, each kind its own colour and legend entry.

    ``rows`` are (label, kind, value) in the order drawn; ``kinds`` are (kind, colour) for the
    legend. A row is one kind only: an announcement, a pledge and a payment are never stacked or
    added up, and the rows are drawn in the given order, not ranked.
    """
    fig = go.Figure()
    order = [plain(label) for label, _, _ in rows]
    for kind, colour in kinds:
        mine = [(plain(label), value) for label, k, value in rows if k == kind]
        if not mine:
            continue
        fig.add_bar(
            x=[value for _, value in mine],
            y=[label for label, _ in mine],
            orientation="h",
            name=plain(kind),
            marker={"color": colour},
            text=[fmt_usd_label(value, locale) for _, value in mine],
            textposition="outside",
            cliponaxis=False,
            textfont={"size": 14},
            hovertemplate="%{y}: %{x:$,.0f}<extra>" + plain(kind) + "</extra>",
        )
    fig.update_layout(barmode="overlay")
    fig.update_yaxes(categoryorder="array", categoryarray=order, autorange="reversed", showgrid=False)
    fig.update_xaxes(showticklabels=False, showgrid=False, range=_headroom([v for _, _, v in rows], 1.3))
    return _layout(fig, locale, height=max(300, 40 * len(rows) + 90))


def _headroom(values: Sequence[float], factor: float) -> list[float] | None:
    """An axis range with room beyond the longest bar for its printed value."""
    numbers = [float(v) for v in values]
    if not numbers or max(numbers) <= 0:
        return None
    return [min(0.0, min(numbers) * factor), max(numbers) * factor]


def _money_axis(fig: go.Figure, top: list[float] | None, locale: str) -> None:
    """A dollar value axis: $20M; in Chinese, in the 万 its bars' labels use (US$2000万 by 2000万).

    Plotly's number formats have no 万, so Chinese ticks are placed here and named by Babel.
    """
    if language(locale) != "zh" or not top or top[1] <= 0:
        fig.update_yaxes(tickprefix="$", tickformat="~s")
        return
    rough = top[1] / 5
    scale = 10 ** math.floor(math.log10(rough))
    step = next(m * scale for m in (1, 2, 2.5, 5, 10) if m * scale >= rough)
    values = [i * step for i in range(int(top[1] // step) + 1)]
    fig.update_yaxes(tickvals=values, ticktext=[fmt_usd(v, locale) for v in values])


def funding(funding_by_year: pd.DataFrame, locale: str = DEFAULT_LOCALE) -> go.Figure:
    """Requirement, regular budget and voluntary payments per year; each illustrative value hatched."""
    years = funding_by_year["year"].astype(str)
    fig = go.Figure()
    series = (
        ("requirement_usd", "series.requirement", GREY, "requirement_illustrative"),
        ("regular_budget_usd", "series.regular_budget", BLUE, "regular_budget_illustrative"),
        ("voluntary_paid_usd", "series.voluntary_paid", ORANGE, "voluntary_illustrative"),
    )
    for column, key, colour, flag in series:
        values = funding_by_year[column]
        hatched = [ILLUSTRATIVE_PATTERN if f else "" for f in funding_by_year[flag]]
        fig.add_bar(
            x=years,
            y=values,
            name=t(key, locale),
            # Plotly's default pattern mode draws the hatch in the bar colour on a clear ground:
            # illustrative bars read as lighter, published ones as solid.
            marker={"color": colour, "pattern": {"shape": hatched, "solidity": 0.45}},
            text=[
                fmt_usd_label(v, locale) + (STAR if f else "") if pd.notna(v) else ""
                for v, f in zip(values, funding_by_year[flag], strict=True)
            ],
            textposition="outside",
            textangle=-90 if len(years) > 6 else 0,
            cliponaxis=False,
            constraintext="none",
            textfont={"size": 13},
            hovertemplate="%{x}: %{y:$,.0f}<extra>" + t(key, locale) + "</extra>",
        )
    fig.update_layout(barmode="group", bargap=0.25)
    # Room above the tallest bar for its rotated label.
    top = _headroom(funding_by_year["requirement_usd"].fillna(0).tolist(), 1.3)
    fig.update_yaxes(range=top)
    _money_axis(fig, top, locale)
    fig.update_xaxes(type="category")
    return _layout(fig, locale, height=460)


def gap(funding_by_year: pd.DataFrame, locale: str = DEFAULT_LOCALE) -> go.Figure:
    """The gap per year, labelled with the gap and the coverage; illustrative years hatched."""
    gaps = funding_by_year["gap_usd"].fillna(0).tolist()
    fig = bars(
        funding_by_year["year"].astype(str).tolist(),
        gaps,
        colour=VERMILION,
        hatched=funding_by_year["illustrative"].tolist(),
        locale=locale,
    )
    # Gap over coverage on two lines: on one, neighbouring labels run into each other at 1280 px.
    fig.update_traces(
        text=[
            f"{plain(fmt_usd_label(g, locale))}<br>{c:.0%}" if pd.notna(g) else ""
            for g, c in zip(funding_by_year["gap_usd"], funding_by_year["coverage"], strict=True)
        ]
    )
    fig.update_yaxes(range=_headroom(gaps, 1.3))
    return fig


def pledges(funding_by_year: pd.DataFrame, locale: str = DEFAULT_LOCALE) -> go.Figure:
    """Voluntary payments beside pledges not recorded as paid: two measures, two series."""
    years = funding_by_year["year"].astype(str)
    fig = go.Figure()
    for column, key, colour in (
        ("voluntary_paid_usd", "series.voluntary_paid", ORANGE),
        ("pledged_unpaid_usd", "series.pledged_unpaid", PURPLE),
    ):
        fig.add_bar(
            x=years,
            y=funding_by_year[column],
            name=t(key, locale),
            marker={"color": colour},
            text=[fmt_usd_label(v, locale) if v else "" for v in funding_by_year[column]],
            textposition="outside",
            cliponaxis=False,
            constraintext="none",
            textfont={"size": 13},
            hovertemplate="%{x}: %{y:$,.0f}<extra></extra>",
        )
    fig.update_layout(barmode="group")
    paid = funding_by_year[["voluntary_paid_usd", "pledged_unpaid_usd"]].fillna(0).to_numpy().ravel()
    _money_axis(fig, _headroom(paid.tolist(), 1.0), locale)
    fig.update_xaxes(type="category")
    return _layout(fig, locale, height=400)


def from_chart_data(
    data: ChartData, locale: str = DEFAULT_LOCALE, size: int = 20, height: int | None = 400
) -> go.Figure:
    """A briefing chart drawn for a projector: large type, every value printed, nothing on hover only."""
    fig = go.Figure()
    lowest = lowest_line([values for _, values in data.series])
    for index, (name, values) in enumerate(data.series):
        colour = data.colours[index] if data.colours else PALETTE[index % len(PALETTE)]
        label = fmt_usd_label if data.money else fmt_int
        texts = ["" if v is None else label(v, locale) for v in values]
        flags = data.illustrative[index] if data.illustrative else ()
        if data.kind != "line":
            texts = [x + STAR if x and i < len(flags) and flags[i] else x for i, x in enumerate(texts)]
        pattern = (
            {"shape": [ILLUSTRATIVE_PATTERN if f else "" for f in flags], "solidity": 0.45} if flags else {}
        )
        if data.kind == "line":
            observed = not any(flags)
            fig.add_scatter(
                x=list(data.dates) if data.dates else [plain(c) for c in data.categories],
                y=list(values),
                name=plain(name),
                mode="lines+markers+text",
                text=texts,
                textposition=label_positions(list(data.dates), index == lowest)
                if data.dates
                else "top center",
                line={"color": colour, "width": 3 if observed else 4, "dash": "dot" if observed else "solid"},
                marker={"size": 12},
                textfont={"size": size - 2, "color": text_colour(colour)},
                cliponaxis=False,
                connectgaps=True,
            )
        else:
            orientation = "h" if data.kind == "bar" else "v"
            x, y = (
                (list(values), [plain(c) for c in data.categories])
                if orientation == "h"
                else ([plain(c) for c in data.categories], list(values))
            )
            fig.add_bar(
                x=x,
                y=y,
                name=plain(name),
                orientation=orientation,
                marker={"color": colour, "pattern": pattern} if pattern else {"color": colour},
                text=texts,
                textposition="outside",
                cliponaxis=False,
                constraintext="none",
                textfont={"size": size - 2},
            )
    fig.update_layout(barmode="group")
    if data.kind == "bar":
        fig.update_yaxes(autorange="reversed", showgrid=False)
        fig.update_xaxes(
            visible=False, range=_headroom([v for _, vs in data.series for v in vs if v is not None], 1.25)
        )
    else:
        if data.dates:
            span = max(60, (data.dates[-1] - data.dates[0]).days // 10)
            fig.update_xaxes(
                type="date",
                range=[data.dates[0] - timedelta(days=span), data.dates[-1] + timedelta(days=span)],
            )
        else:
            fig.update_xaxes(type="category")
        top = _headroom([v for _, vs in data.series for v in vs if v is not None], 1.18)
        if top is not None and lowest is not None and data.kind == "line":
            top = [_floor(top[1]), top[1]]
        fig.update_yaxes(range=top, tickformat="~s")
        if data.money:
            _money_axis(fig, top, locale)
    # A legend even for one series: a printed chart says what it is.
    _layout(fig, locale, height=height, legend=True)
    fig.update_layout(font={"size": size}, legend={"font": {"family": FONT, "size": size}})
    fig.update_xaxes(tickfont={"size": size})
    fig.update_yaxes(tickfont={"size": size - 2})
    return fig
