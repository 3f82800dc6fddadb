"""Presentation mode: one briefing slide at a time, large and high-contrast, with no app chrome.

The slide number and the presentation state live in the address (``?present=1&slide=3``), so a
presenter can bookmark the deck at any slide, and the arrow keys move between slides.
"""

from __future__ import annotations

import streamlit as st

from mandate_metrics.briefing import Briefing, Slide
from mandate_metrics.charts import PLOTLY_CONFIG_STATIC, from_chart_data
from mandate_metrics.i18n import t
from mandate_metrics.ui.components import escape

PRESENT_KEY, SLIDE_KEY = "present", "slide"

# Streamlit's own chrome (sidebar, header, toolbar, decoration) is hidden, and type is enlarged
# for a 1280x720 projector read from the back of a room. The CSS is ours, never data.
PRESENT_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
[data-testid="stExpandSidebarButton"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 1.2rem 2.5rem 0.5rem !important; max-width: 100% !important; }
[data-testid="stMainBlockContainer"] h1 { font-size: 2.8rem !important; padding-bottom: 0.3rem; }
[data-testid="stMainBlockContainer"] h3 { font-size: 1.8rem !important; color: #374151; font-weight: 500; }
[data-testid="stMetricValue"] { font-size: 6rem !important; line-height: 1.1; }
[data-testid="stMetricLabel"] p { font-size: 1.6rem !important; }
[data-testid="stMainBlockContainer"] blockquote p { font-size: 2rem !important; line-height: 1.35; }
[data-testid="stMainBlockContainer"] ul { columns: 2; column-gap: 2.5rem; }
[data-testid="stMainBlockContainer"] li { font-size: 0.9rem; break-inside: avoid; }
/* the controls are not projected: they show when the pointer or the keyboard reaches them */
.st-key-slide_controls { opacity: 0; transition: opacity 0.4s; }
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
    _body(slide)
    with st.container(key="slide_footer"):
        if slide.illustrative:  # body size, dark text on a light ground: readable from the back of a room
            hatched = slide.chart is not None and any(any(flags) for flags in slide.chart.illustrative)
            note = t("brief.illustrative", locale) + (f" · {t('brief.hatched', locale)}" if hatched else "")
            st.markdown(f":orange-background[**{escape(note)}**]")
        st.caption(f"{brief.stamp} · {t('brief.slide_of', locale, n=number, total=len(brief.slides))}")


def _body(slide: Slide) -> None:
    if slide.figures:
        for column, (label, value, published) in zip(
            st.columns(len(slide.figures)), slide.figures, strict=True
        ):
            with column:
                st.metric(label, value)
                st.caption(escape(published))
    if slide.chart is not None and slide.chart.categories:
        st.plotly_chart(
            from_chart_data(slide.chart, height=460),
            key=f"slide_{slide.key}",
            theme=None,
            config=PLOTLY_CONFIG_STATIC,
            width="stretch",
        )
    if slide.quote is not None:
        st.markdown(f"> *“{escape(slide.quote[0])}”*\n>\n> — {escape(slide.quote[1])}")
    if slide.bullets:
        st.markdown("\n".join(f"- {escape(b)}" for b in slide.bullets))


def navigation(total: int, number: int, locale: str, presenting: bool) -> None:
    """Back / Next (arrow keys) and enter or leave presentation mode (Esc leaves)."""
    with st.container(horizontal=True, vertical_alignment="center", key="slide_controls"):
        st.button(
            t("brief.back", locale),
            icon=":material/arrow_back:",
            disabled=number <= 1,
            on_click=_go,
            args=(number - 1,),
            shortcut="Left",
            key="slide_back",
        )
        st.button(
            t("brief.next", locale),
            icon=":material/arrow_forward:",
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
