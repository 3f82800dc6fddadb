"""The page's language: the switcher, and the declared language and direction of the document.

Streamlit writes ``<html lang="en">`` whatever the content (streamlit/streamlit#15726), so a
screen reader would read Arabic with English rules and the browser would lay it out left to
right. ``declare`` sets ``lang`` and ``dir`` on the document itself on every run, so the page,
its sidebar, tables, metric cards and dialogs all follow the language; the few places Streamlit
aligns with a fixed ``left`` get a rule of their own.
"""

from __future__ import annotations

import json

import streamlit as st

from mandate_metrics.i18n import LANGUAGES, direction, language, t

SWITCH_KEY = "lang_switch"
SCRIPT_KEY = "page_language"
HIDDEN_CSS = (
    f'<style>[data-testid="stLayoutWrapper"]:has(> .st-key-{SCRIPT_KEY}) {{ display: none; }}</style>'
)
LANG_KEY = "lang"

# Where Streamlit's own styles hold text to the left whatever the direction.
RTL_CSS = """
<style>
html[dir="rtl"] [data-testid="stMarkdownContainer"],
html[dir="rtl"] [data-testid="stCaptionContainer"],
html[dir="rtl"] [data-testid="stMetric"],
html[dir="rtl"] [data-testid="stAlert"],
html[dir="rtl"] [data-testid="stExpander"] summary,
html[dir="rtl"] [data-testid="stWidgetLabel"],
html[dir="rtl"] h1, html[dir="rtl"] h2, html[dir="rtl"] h3 { text-align: right; }
html[dir="rtl"] [data-testid="stMarkdownContainer"] ul,
html[dir="rtl"] [data-testid="stMarkdownContainer"] ol { padding-right: 1.5em; padding-left: 0; }
html[dir="rtl"] [lang="en"], html[dir="rtl"] [lang="fr"] { unicode-bidi: isolate; }
html[dir="rtl"] code { direction: ltr; unicode-bidi: isolate; }
/* Plotly anchors its SVG labels for left-to-right; the chart mirrors itself (charts._mirror). */
/* ... and measures its labels in a hidden SVG of its own, which must be left to right too, or the
   margins it leaves for them come out wrong and the labels are cut. */
html[dir="rtl"] [data-testid="stPlotlyChart"], html[dir="rtl"] #js-plotly-tester { direction: ltr; }
</style>
"""


# Each chart's text alternative is its takeaway, the heading above it (WCAG 1.1.1): the chart is
# announced as a figure with that name, and the Table view beside it holds every number. Each
# language in the switcher is named in itself, and declared so (WCAG 3.1.2). Charts and the
# switcher are drawn after this script runs, so it labels them whenever they appear.
LABELS_JS = """
const doc = window.parent.document;
const names = %s;
const label = () => {
  for (const chart of doc.querySelectorAll('[data-testid="stPlotlyChart"]:not([aria-label])')) {
    let node = chart.closest('.stElementContainer') || chart, title = null;
    for (node = node.previousElementSibling; node && !title; node = node.previousElementSibling) {
      title = node.matches('h1, h2, h3') ? node : node.querySelector('h1, h2, h3');
    }
    if (title) {
      chart.setAttribute('role', 'figure');
      chart.setAttribute('aria-label', title.textContent.trim());
    }
  }
  for (const button of doc.querySelectorAll('[data-testid="stSidebar"] button:not([lang])')) {
    const code = names[button.textContent.trim()];
    if (code) { button.lang = code; }
  }
};
label();
if (!doc.mandateMetricsLabels) {
  doc.mandateMetricsLabels = new MutationObserver(label);
  doc.mandateMetricsLabels.observe(doc.body, {childList: true, subtree: true});
}
"""


def declare(locale: str, css: str = "") -> None:
    """Declare the page's language and direction on the document; label charts and languages.

    Called after the page, in every language. The shell is laid out in the page's direction from
    its first byte (``ui/server.first_paint_css``: ``<html dir>`` and the right-to-left styles), so
    nothing waits for this element; drawn before the page, its code (Streamlit's ``Html`` module,
    fetched on first use) held the headline cards back in Arabic: React reveals elements that
    waited for their code in batches, and the cards joined this one's.
    ``css`` (a ``<style>`` element) comes along: every page's styles and this script share one
    element, kept out of the layout, so a slide still fills the projector's screen.
    """
    lang, way = language(locale), direction(locale)
    script = (
        "<script>(() => { const d = window.parent.document.documentElement;"
        f" d.lang = {json.dumps(lang)}; d.dir = {json.dumps(way)};"
        + LABELS_JS % json.dumps({name: code for code, name in LANGUAGES.items()}, ensure_ascii=False)
        + "})();</script>"
    )
    with st.container(key=SCRIPT_KEY):
        st.html(HIDDEN_CSS + css + (RTL_CSS if way == "rtl" else "") + script, unsafe_allow_javascript=True)


def current(default: str) -> str:
    """The language of this run: ``?lang=``, else the one chosen earlier, else ``default``.

    A page link drops the address's parameters; the session keeps the choice and puts it back.
    """
    asked = st.query_params.get(LANG_KEY, "")
    if asked in LANGUAGES:
        st.session_state[LANG_KEY] = asked
        return asked
    kept = st.session_state.get(LANG_KEY)
    if kept in LANGUAGES and not asked:
        st.query_params[LANG_KEY] = kept
        return str(kept)
    return default


def _chosen() -> None:
    choice = st.session_state.get(SWITCH_KEY)
    if choice in LANGUAGES:
        st.session_state[LANG_KEY] = choice
        st.query_params[LANG_KEY] = choice


def switch(locale: str) -> None:
    """English, العربية, Français: each named in itself; the choice goes into the address."""
    st.session_state[SWITCH_KEY] = language(locale)
    st.segmented_control(
        t("control.language", locale),
        list(LANGUAGES),
        key=SWITCH_KEY,
        format_func=LANGUAGES.__getitem__,
        required=True,
        on_change=_chosen,
    )


def uploader_words(locale: str, mb: float, types: list[str]) -> None:
    """The file uploader's own words (its button and its size limit) in the reader's language.

    Streamlit 1.67 has no interface language: the uploader says "Upload" and "100MB per file"
    whatever the page's. Its text is hidden and our translation drawn in its place with CSS
    ``content``, which Chromium also gives the button as its accessible name. English keeps
    Streamlit's own words.
    """
    if language(locale) == "en":
        return
    button = _css_string(t("upload.button", locale))
    kinds = ", ".join(kind.upper() for kind in types)
    limit = _css_string(t("upload.limit", locale, mb=f"{mb:g}", types=kinds))
    zone = '[data-testid="stFileUploaderDropzone"]'
    words = f'{zone} [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"]'
    limits = f'{zone} [data-testid="stFileUploaderDropzoneInstructions"]'
    st.html(
        f"<style>{words} p {{ display: none; }} {words}::after {{ content: {button}; }}"
        f" {limits} span {{ display: none; }} {limits} > div::after {{ content: {limit};"
        " font-size: 0.875rem; color: #555867; }</style>"
    )


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal: quoted, its quotes and backslashes escaped, no markup."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return f'"{escaped}"'
