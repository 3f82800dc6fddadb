"""Presentation mode: one briefing slide at a time, large and high-contrast, with no app chrome.

The slide number and the presentation state live in the address (``?present=1&slide=3``), so a
presenter can bookmark the deck at any slide, and the arrow keys move between slides.
"""

from __future__ import annotations

import streamlit as st

from mandate_metrics.briefing import Briefing, Slide
from mandate_metrics.charts import PLOTLY_CONFIG_STATIC, from_chart_data
from mandate_metrics.exports import qr
from mandate_metrics.i18n import direction, t
from mandate_metrics.ui.components import data_caption, escape, html_block, inert

PRESENT_KEY, SLIDE_KEY = "present", "slide"
LONG_LIST = 20  # more bullets than this are set smaller, in three columns
SHORT_LIST = 4  # this many bullets or fewer are set large however long: read from the back of a room
DENSE_CHARACTERS = 600  # a list longer than this (in characters) is set a size smaller

# Streamlit's own chrome (sidebar, header, toolbar, decoration) is hidden, and type is enlarged
# for a 1280x720 projector read from the back of a room. The CSS is ours, never data.
PRESENT_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
[data-testid="stExpandSidebarButton"] { display: none !important; }
[data-testid="stMainBlockContainer"] {
  padding: 0.8rem 2.5rem 0.5rem !important;
  max-width: 100% !important;
}
/* type follows the screen's height: a 1920x1080 slide reads as a 1280x720 one, only larger */
[data-testid="stMainBlockContainer"] h1 {
  font-size: max(2.8rem, 6.2vh) !important;
  padding-bottom: 0.3rem;
}
[data-testid="stMainBlockContainer"] h3 {
  font-size: max(1.8rem, 4vh) !important;
  color: #374151;
  font-weight: 500;
}
[data-testid="stMetricValue"] { font-size: max(5.5rem, 12.2vh) !important; line-height: 1.1; }
[data-testid="stMetricLabel"] p { font-size: max(1.6rem, 3.6vh) !important; }
/* a label that carries its date ("growth since 12 June 2023") wraps rather than losing the date */
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *,
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {
  white-space: normal !important;
  overflow: visible !important;
  text-overflow: clip !important;
}
.st-key-slide_body [data-testid="stCaptionContainer"] p { font-size: max(0.9rem, 2vh) !important; }
[data-testid="stMainBlockContainer"] blockquote p {
  font-size: max(2rem, 4.4vh) !important;
  line-height: 1.35;
}
[data-testid="stMainBlockContainer"] ul { columns: 2; column-gap: 2.5rem; }
[data-testid="stMainBlockContainer"] li { font-size: max(0.9rem, 2vh); break-inside: avoid; }
.st-key-slide_list ul, .st-key-slide_list_dense ul { columns: 1; }
.st-key-slide_list li, .st-key-slide_list p { font-size: max(1.5rem, 3.4vh) !important; line-height: 1.3; }
.st-key-slide_list_dense li { font-size: max(1.25rem, 2.9vh) !important; line-height: 1.3; }
.st-key-slide_list_long ul { columns: 3; column-gap: 1.8rem; }
.st-key-slide_list_long li {
  font-size: max(0.8rem, 1.8vh) !important;
  line-height: 1.3;
  margin: 0 0 0.25rem;
}
.slide-link { display: flex; align-items: center; gap: 1.5rem; }
.slide-link svg { width: max(8rem, 20vh); height: auto; flex: none; }
.slide-link p { font-size: max(1.25rem, 2.9vh); margin: 0; }
/* the body takes the screen's height; its first and last blocks go to its top and its bottom */
.st-key-slide_body { min-height: calc(83vh - 9rem); justify-content: space-between; }
/* the chart takes the height the title, takeaway and footer leave: the slide fills the screen */
.st-key-slide_chart [data-testid="stPlotlyChart"], .st-key-slide_chart .js-plotly-plot {
  height: calc(80vh - 9rem) !important;
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


def render(brief: Briefing, number: int, locale: str) -> None:
    """Draw slide ``number`` (from 1) of ``brief``."""
    slide = brief.slides[number - 1]
    st.title(slide.title, anchor=False)
    st.markdown(f"### {escape(slide.takeaway)}")
    with st.container(key="slide_body"):
        _body(slide, locale)
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


def _body(slide: Slide, locale: str) -> None:
    if slide.figures:
        # Four figures in two rows of two: each number as large as the screen allows.
        per_row = 2 if len(slide.figures) == 4 else len(slide.figures)
        for start in range(0, len(slide.figures), per_row):
            row = slide.figures[start : start + per_row]
            for column, (label, value, published) in zip(st.columns(len(row)), row, strict=True):
                with column:
                    st.metric(label, value)
                    data_caption(published)
    if slide.chart is not None and slide.chart.categories:
        with st.container(key="slide_chart"):
            st.plotly_chart(
                from_chart_data(slide.chart, locale, height=None),
                key=f"slide_{slide.key}",
                theme=None,
                config=PLOTLY_CONFIG_STATIC,
                width="stretch",
                height="stretch",
            )
    if slide.quote is not None:
        said, who = (inert(part) for part in slide.quote)
        html_block(f"<blockquote><p><em>{said}</em></p><p>— {who}</p></blockquote>")  # marks: the model's
    if slide.bullets:
        # A long list (the sources) goes in three narrower columns so it stays on the screen.
        with st.container(key=_list_key(slide.bullets)):
            heading = f"<p><strong>{inert(slide.list_title)}</strong></p>" if slide.list_title else ""
            # each item isolated: an English source title keeps its quotes in an Arabic list
            items = "".join(f"<li><bdi>{inert(b)}</bdi></li>" for b in slide.bullets)
            html_block(f"{heading}<ul>{items}</ul>")


def _list_key(bullets: tuple[str, ...]) -> str:
    """The list's type size: large for a few lines, smaller for long statements, three columns for many."""
    if len(bullets) > LONG_LIST:
        return "slide_list_long"
    dense = len(bullets) > SHORT_LIST and sum(len(b) for b in bullets) > DENSE_CHARACTERS
    return "slide_list_dense" if dense else "slide_list"


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
