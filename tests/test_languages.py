"""Every page in Arabic and French: no English sentence of ours on it, its charts laid out for the language.

The English catalogue is the list of sentences that must not appear: each message is cut at its
placeholders, and every piece of two words or more is looked for in everything the page sends
(text, labels, help, tables, chart specs). Data that is text in its source (a source's title, a
quote) is not ours to translate and is not in the catalogue.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
import streamlit as st
from google.protobuf.text_format import MessageToString
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Dataframe

from mandate_metrics import charts, i18n
from mandate_metrics.figures.record import Figure
from mandate_metrics.paths import PROJECT_DIR

APP = str(PROJECT_DIR / "app.py")
PAGES = re.findall(r'st\.Page\(\s*"(app_pages/[a-z_]+\.py)"', (PROJECT_DIR / "app.py").read_text())


@pytest.fixture(autouse=True)
def _fresh_caches():
    st.cache_data.clear()


def _pieces(text: str) -> Iterator[str]:
    plain = re.sub(r"\*+|`", "", text)
    for piece in re.split(r"\{[^}]*\}", plain):
        piece = piece.strip(" .,:;()“”'\"—–-·\n")
        if len(re.findall(r"[A-Za-z]{2,}", piece)) >= 2:
            yield piece


def _english_pieces(lang: str) -> dict[str, str]:
    """Each English piece, keyed to its message.

    Pieces a translation keeps as they are (a product name, "datapackage.json") are left out.
    """
    catalogue = i18n.translations(lang)
    translated = " ".join(
        " ".join(catalogue.npgettext(key, *i18n.PLURALS[key], n) for n in (0, 1, 2, 7, 11, 100))
        if key in i18n.PLURALS
        else catalogue.pgettext(key, i18n.EN[key])
        for key in i18n.MESSAGES
    )
    found: dict[str, str] = {}
    for key, english in i18n.MESSAGES.items():
        for text in english if isinstance(english, tuple) else (english,):
            for piece in _pieces(text):
                if piece not in translated:
                    found[piece] = key
    return found


def _page_text(at: AppTest) -> str:
    """Everything the page sends the browser that a reader could see or hear, as one string."""
    parts: list[str] = []

    def walk(node: object) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and not isinstance(node, Dataframe):  # tables: their headers, below
            parts.append(MessageToString(proto, as_utf8=True))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    for frame in at.dataframe:  # the cells are data; the headers are ours
        parts.append(" | ".join(map(str, frame.value.columns)))
    text = "\n".join(parts)
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)  # chart JSON
    text = text.replace("\\", "")
    # Text in its source's language is declared as such: a span with lang, or Unicode isolates.
    text = re.sub(r'<span lang="en"[^>]*>.*?</span>', " ", text)
    return re.sub("\u2068[^\u2069]*\u2069", " ", text)


def _run(page: str, lang: str, view: str | None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    if view:
        at.query_params["view"] = view
    if page == "app_pages/data.py":
        at.session_state["role"] = "staff"
    at.run()
    if page != "app_pages/overview.py":
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


CASES = [
    *[(page, "ar", "record") for page in PAGES],
    *[(page, "ar", "sample") for page in PAGES],
    *[(page, "fr", "sample") for page in PAGES],
]


@pytest.mark.parametrize(("page", "lang", "view"), CASES)
def test_no_english_sentence_of_ours_on_any_page(page, lang, view):
    at = _run(page, lang, view)
    text = _page_text(at)
    left = {piece: key for piece, key in _english_pieces(lang).items() if piece in text}
    assert not left, f"{page} in {lang}: English text of these messages is showing: {left}"


def test_the_language_is_kept_in_the_address_and_across_pages():
    at = _run("app_pages/overview.py", "ar", None)
    assert at.title[0].value == i18n.t("overview.title", "ar")
    at.switch_page("app_pages/sources_methods.py").run()
    assert at.query_params["lang"] == ["ar"] or at.query_params["lang"] == "ar"
    assert at.title[0].value == i18n.t("sources.title", "ar")


def test_the_switcher_changes_the_language():
    at = _run("app_pages/overview.py", "en", None)
    switch = at.sidebar.button_group[0]
    switch.set_value("fr").run()
    assert at.title[0].value == i18n.t("overview.title", "fr")
    assert at.query_params["lang"] in ("fr", ["fr"])


def test_an_unknown_language_says_so_in_english():
    at = _run("app_pages/overview.py", "de", None)
    assert any("“de”" in w.value for w in at.warning)
    assert at.title[0].value == i18n.t("overview.title", "en")


def _figures() -> list[Figure]:
    from datetime import date

    return [
        Figure("requests_received", 100, date(2023, 1, 1), "published", source_title="A"),
        Figure("requests_received", 375, date(2024, 5, 29), "published", source_title="B"),
    ]


def test_charts_run_right_to_left_in_arabic():
    english = charts.over_time([("requests_received", _figures())], locale="en")
    arabic = charts.over_time([("requests_received", _figures())], locale="ar")
    assert english.layout.yaxis.side in (None, "left")
    assert arabic.layout.yaxis.side == "right"
    low, high = english.layout.xaxis.range
    assert list(arabic.layout.xaxis.range) == [high, low]  # time runs from the right
    assert arabic.layout.legend.xanchor == "right"
    bars = charts.bars(["a", "b"], [1, 2], horizontal=True, locale="ar")
    assert bars.layout.xaxis.range[0] > bars.layout.xaxis.range[1]  # bars grow leftwards
    # Plotly writes its labels left to right: a right-to-left mark first keeps Arabic order
    assert all(label.startswith("\u200f") for label in bars.data[0].y)
    assert all(text.startswith("\u200f") for text in bars.data[0].text)


def test_charts_speak_the_language_in_numbers_and_dates():
    french = charts.over_time([("requests_received", _figures())], locale="fr")
    assert french.layout.separators == ",\u202f"
    assert french.layout.xaxis.tickformat == "%Y"  # Plotly would name months in English
    hover = json.dumps(french.to_plotly_json()["data"][0]["customdata"], ensure_ascii=False)
    assert "29 mai 2024" in hover


def test_slide_arrows_point_the_way_the_slides_are_read():
    arabic = _run("app_pages/briefing.py", "ar", None)
    assert arabic.button(key="slide_next").proto.icon == ":material/arrow_back:"
    english = _run("app_pages/briefing.py", "en", None)
    assert english.button(key="slide_next").proto.icon == ":material/arrow_forward:"
