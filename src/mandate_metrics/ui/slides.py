"""Presentation mode: one briefing slide at a time, large and high-contrast, with no app chrome.

The slide number and the presentation state live in the address (``?present=1&slide=3``), so a
presenter can bookmark the deck at any slide, and the arrow keys move between slides.
"""

from __future__ import annotations

import streamlit as st

from mandate_metrics.briefing import Briefing, Slide
from mandate_metrics.charts import PLOTLY_CONFIG_STATIC, from_chart_data
from mandate_metrics.exports import qr
from mandate_metrics.i18n import direction, list_item, t
from mandate_metrics.ui.components import data_caption, escape, html_block, inert

PRESENT_KEY, SLIDE_KEY = "present", "slide"
LONG_FIGURE = 8  # characters: a figure longer than this, three to a row, is set a size smaller
CHART_SIZE = (1200, 440)  # CSS pixels of a projected chart at 1280x720, zoomed with the screen

# Streamlit's own chrome (sidebar, header, toolbar, decoration) is hidden, and type is enlarged
# for a 1280x720 projector read from the back of a room. The CSS is ours, never data.
PRESENT_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
[data-testid="stExpandSidebarButton"] { display: none !important; }
[data-testid="stMainBlockContainer"] {
  padding: max(0.8rem, 1.8vh) 2.5rem 0.5rem !important;
  max-width: 100% !important;
}
/* the space between blocks follows the height too: 16px at 720 lines, 24px at 1080 */
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] { gap: max(1rem, 2.2vh); }
.st-key-slide_footer { gap: max(0.4rem, 0.9vh) !important; }
/* Type follows the screen's height: a 1920x1080 slide reads as a 1280x720 one, only larger.
   At 1280x720 (1vh = 7.2px): body 3.4vh = 24.5px, figures 12.2vh = 88px, notes and footer
   2.3vh = 16.6px (tests/test_browser.py measures every text node against these floors). */
[data-testid="stMainBlockContainer"] h1 {
  font-size: max(2.8rem, 6.2vh) !important;
  padding-bottom: 0.3rem;
}
[data-testid="stMainBlockContainer"] h3 {
  font-size: max(1.8rem, 4vh) !important;
  color: #374151;
  font-weight: 500;
}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {
  font-size: max(5.5rem, 12.2vh) !important;
  line-height: 1.1;
}
[data-testid="stMetricLabel"] p { font-size: max(1.6rem, 3.6vh) !important; }
/* a label that carries its date ("growth since 12 June 2023") wraps rather than losing the date */
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *,
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {
  white-space: normal !important;
  overflow: visible !important;
  text-overflow: clip !important;
}
.st-key-slide_body [data-testid="stCaptionContainer"] p,
.st-key-slide_body [data-testid="stCaptionContainer"] div,
.st-key-slide_footer p, .st-key-slide_footer span { font-size: max(1rem, 2.3vh) !important; }
.st-key-slide_body p, .st-key-slide_body li { font-size: max(1.5rem, 3.4vh); line-height: 1.3; }
[data-testid="stMainBlockContainer"] blockquote p {
  font-size: max(2rem, 4.4vh) !important;
  line-height: 1.35;
}
.st-key-slide_body ul { columns: 1; margin-bottom: 0; }
.st-key-slide_body li { break-inside: avoid; margin: 0 0 0.3rem; }
.slide-link { display: flex; align-items: center; gap: 1.5rem; }
.slide-link svg { width: max(8rem, 20vh); height: auto; flex: none; }
/* the body takes the screen's height; its first and last blocks go to its top and its bottom */
.st-key-slide_body { min-height: 63vh; justify-content: space-between; }
/* The chart is drawn for a 1280x720 screen (CHART_SIZE) and scaled with the screen, its labels
   with it: 18px at 720 lines, 27px at 1080. The scale is a transform on Plotly's own drawing,
   which nothing measures (CSS zoom, or a transform on Streamlit's element, feeds the scaled size
   back into the layout); the box keeps the scaled height. Without typed arithmetic (the scale as
   a number), steps of the height. */
.st-key-slide_chart { --scale: 1; min-height: calc(CHART_HEIGHTpx * var(--scale)) !important; }
@media (min-height: 860px) and (min-width: 1530px) { .st-key-slide_chart { --scale: 1.2; } }
@media (min-height: 1000px) and (min-width: 1780px) { .st-key-slide_chart { --scale: 1.4; } }
@supports (width: calc(1px * (100vh / 720px))) {
  .st-key-slide_chart { --scale: min(100vh / 720px, (100vw - 5rem) / 1200px); }
}
.st-key-slide_chart .svg-container {
  transform: scale(var(--scale));
  transform-origin: top left;
}
[dir="rtl"] .st-key-slide_chart .svg-container { transform-origin: top right; }
.st-key-slide_chart .js-plotly-plot, .st-key-slide_chart [data-testid="stPlotlyChart"],
.st-key-slide_chart [data-testid="stFullScreenFrame"], .st-key-slide_chart .stElementContainer {
  overflow: visible !important;
}
/* the controls are not projected: they show when the pointer or the keyboard reaches them */
.st-key-slide_controls {
  opacity: 0;
  transition: opacity 0.4s;
  position: fixed;
  bottom: 0.4rem;
  right: 1.5rem;
  width: auto !important;
  z-index: 10;
  background: white;
}
.st-key-slide_controls:hover, .st-key-slide_controls:focus-within { opacity: 1; }
</style>
"""
PRESENT_CSS = PRESENT_CSS.replace("CHART_HEIGHT", str(CHART_SIZE[1]))  # one size, in Python and CSS


# A slide whose figures are long (``_long_figures``) sets them a size smaller: 9vh is 65px at 720.
LONG_FIGURES_CSS = """
<style>
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: max(4rem, 9vh) !important; }
</style>
"""


def is_presenting() -> bool:
    """True when the address asks for presentation mode."""
    return st.query_params.get(PRESENT_KEY) == "1"


def current(total: int, locale: str = "en") -> int:
    """The slide number from the address, kept within 1..total; a wrong number says what is shown."""
    raw = st.query_params.get(SLIDE_KEY, "1")
    try:
        number = int(raw)
    except ValueError:
        number = 1
    shown = min(max(number, 1), total)
    if str(shown) != raw:
        st.warning(t("link.slide", locale, value=raw, total=total, shown=shown), icon=":material/link_off:")
        st.query_params[SLIDE_KEY] = str(shown)
    return shown


def _go(number: int) -> None:
    st.query_params[SLIDE_KEY] = str(number)


def _present(on: bool) -> None:
    if on:
        st.query_params[PRESENT_KEY] = "1"
    elif PRESENT_KEY in st.query_params:
        del st.query_params[PRESENT_KEY]


def hide_chrome() -> None:
    """Hide the app's chrome for presenting."""
    st.html(PRESENT_CSS)


def render(brief: Briefing, number: int, locale: str, presenting: bool = False) -> None:
    """Draw slide ``number`` (from 1) of ``brief``; projected (``presenting``), at the screen's scale."""
    slide = brief.slides[number - 1]
    if presenting and _long_figures(slide):
        st.html(LONG_FIGURES_CSS)
    st.title(slide.title, anchor=False)
    st.markdown(f"### {escape(slide.takeaway)}")
    with st.container(key="slide_body"):
        _body(slide, locale, presenting)
        if slide.link:  # the Sources page a phone can open, and the line that names it
            said = qr.caption(slide.link, locale)
            html_block(
                f'<div class="slide-link">{qr.svg(slide.link, said)}'
                f"<p><strong>{inert(slide.closing)}</strong><br>{inert(said)}</p></div>"
            )
        elif slide.closing:  # at the foot of the body: the body spreads its blocks top to bottom
            st.markdown(f"**{escape(slide.closing)}**")
    with st.container(key="slide_footer"):
        if slide.illustrative:  # body size, dark text on a light ground: readable from the back of a room
            hatched = slide.chart is not None and any(any(flags) for flags in slide.chart.illustrative)
            note = t("brief.illustrative", locale) + (f" · {t('brief.hatched', locale)}" if hatched else "")
            st.markdown(f":orange-background[**{escape(note)}**]")
        st.caption(f"{brief.stamp} · {t('brief.slide_of', locale, number=number, total=len(brief.slides))}")


def _long_figures(slide: Slide) -> bool:
    """Whether a figure is too long for its column at full size (Arabic millions, three to a row)."""
    if not slide.figures:
        return False
    return max(len(value) for _, value, _ in slide.figures) > LONG_FIGURE * (4 - min(_per_row(slide), 3))


def _per_row(slide: Slide) -> int:
    """Figures to a row: four in two rows of two, otherwise all in one."""
    return 2 if len(slide.figures) == 4 else len(slide.figures)


def _body(slide: Slide, locale: str, presenting: bool) -> None:
    if slide.figures:
        # Four figures in two rows of two: each number as large as the screen allows; a long one
        # sets every number of the slide a size smaller (LONG_FIGURES_CSS), not below 64px.
        per_row = _per_row(slide)
        for start in range(0, len(slide.figures), per_row):
            row = slide.figures[start : start + per_row]
            for column, (label, value, published) in zip(st.columns(len(row)), row, strict=True):
                with column:
                    st.metric(label, value)
                    data_caption(published)
    if slide.chart is not None and slide.chart.categories:
        # projected: drawn for 1280x720 and zoomed with the screen (PRESENT_CSS), labels included
        width, height = CHART_SIZE if presenting else (None, None)
        with st.container(key="slide_chart"):
            st.plotly_chart(
                from_chart_data(slide.chart, locale, height=height),
                key=f"slide_{slide.key}",
                theme=None,
                config=PLOTLY_CONFIG_STATIC,
                width=width or "stretch",
                height=height or "stretch",
            )
    if slide.quote is not None:
        said, who = (inert(part) for part in slide.quote)
        html_block(f"<blockquote><p><em>{said}</em></p><p>— {who}</p></blockquote>")  # marks: the model's
    if slide.bullets:
        # One size for every list, read from the back of the room; the briefing keeps lists short.
        with st.container(key="slide_list"):
            heading = f"<p><strong>{inert(slide.list_title)}</strong></p>" if slide.list_title else ""
            # each item isolated: an English source title keeps its quotes in an Arabic list
            items = "".join(list_item(inert(b), b) for b in slide.bullets)
            html_block(f"{heading}<ul>{items}</ul>")


def navigation(total: int, number: int, locale: str, presenting: bool) -> None:
    """Back / Next (arrow keys) and enter or leave presentation mode (Esc leaves).

    In Arabic the arrows point the way the slides are read (Next points left); the keys stay as a
    presenter's clicker sends them, Right for Next, as PowerPoint has them in either direction.
    """
    back, forward = ":material/arrow_back:", ":material/arrow_forward:"
    if direction(locale) == "rtl":
        back, forward = forward, back
    with st.container(horizontal=True, vertical_alignment="center", key="slide_controls"):
        st.button(
            t("brief.back", locale),
            icon=back,
            disabled=number <= 1,
            on_click=_go,
            args=(number - 1,),
            shortcut="Left",
            key="slide_back",
        )
        st.button(
            t("brief.next", locale),
            icon=forward,
            disabled=number >= total,
            on_click=_go,
            args=(number + 1,),
            shortcut="Right",
            key="slide_next",
            type="primary",
        )
        if presenting:
            st.button(
                t("brief.exit", locale),
                icon=":material/close_fullscreen:",
                on_click=_present,
                args=(False,),
                shortcut="Esc",
                key="present_exit",
                type="tertiary",
            )
        else:
            st.button(
                t("brief.present", locale),
                icon=":material/slideshow:",
                on_click=_present,
                args=(True,),
                key="present_enter",
            )
