"""The Briefing page in AppTest: presentation mode, slide navigation in the URL, downloads, links."""

from __future__ import annotations

import pytest
import streamlit as st
from conftest import shown
from streamlit.testing.v1 import AppTest

from mandate_metrics.paths import PROJECT_DIR

APP = str(PROJECT_DIR / "app.py")


@pytest.fixture(autouse=True)
def _fresh_caches():
    st.cache_data.clear()


def present(slide: str | None = None, as_of: str = "2024-05-29") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["as_of"] = as_of
    at.query_params["present"] = "1"
    if slide:
        at.query_params["slide"] = slide
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_presentation_opens_on_the_slide_in_the_url():
    at = present("2")
    assert [t.value for t in at.title] == ["Demand keeps growing"]
    assert "Requests for assistance received reached 375 by 29 May 2024" in at.markdown[0].value


def test_presentation_shows_brussels_figures_on_the_first_slide():
    at = present()
    assert {m.label: m.value for m in at.metric} == {
        "Requests received": "375",
        "Requesting jurisdictions": "16",
        "Requests supported": "261",
        "Investigations supported": "192",
    }


def test_next_and_back_move_the_slide_and_keep_it_in_the_url():
    at = present("1")
    at.button(key="slide_next").click().run()
    assert at.query_params["slide"] == "2"
    assert at.title[0].value == "Demand keeps growing"
    at.button(key="slide_back").click().run()
    assert at.query_params["slide"] == "1"
    assert at.button(key="slide_back").disabled


def test_out_of_range_slide_is_clamped():
    assert present("99").title[0].value == "Sources"
    assert present("abc").title[0].value == "What the mandate delivers"


def test_presentation_hides_the_chrome():
    at = present()
    styles = " ".join(str(h.proto.body) for h in at.get("html"))
    for element in ("stSidebar", "stHeader", "stToolbar"):
        assert element in styles
    assert not at.sidebar.get("page_link")  # no page links: navigation is hidden
    exit_button = at.button(key="present_exit")
    exit_button.click().run()
    assert "present" not in at.query_params


def test_every_slide_renders_with_its_stamp():
    for number in range(1, 9):
        at = present(str(number))
        stamp = " ".join(shown(c.value) for c in at.caption)
        assert "Data version data-" in stamp and f"Slide {number} of 8" in stamp


def test_briefing_page_offers_the_deck_and_the_pdf():
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["as_of"] = "2024-05-29"
    at.run()
    at.switch_page("app_pages/briefing.py").run()
    assert not at.exception
    ids = [b.proto.id for b in at.get("download_button")]
    assert any("dl_deck" in i for i in ids)
    at.button(key="pdf_prepare").click().run()
    assert not at.exception
    ids = [b.proto.id for b in at.get("download_button")]
    errors = [e.value for e in at.error]
    assert any("dl_pdf" in i for i in ids) or any("apt-get install chromium" in e for e in errors)


def test_cite_this_and_copy_link_carry_version_date_and_view():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["as_of"] = "2024-05-29"
    at.run()
    at.switch_page("app_pages/funding_donors.py").run()
    codes = [c.value for c in at.code]
    link = next(c for c in codes if c.startswith("http") or "as_of=" in c)
    assert "as_of=2024-05-29" in link
    citation = next(c for c in codes if c.startswith("IIIM, Mandate Metrics"))
    assert "data-" in citation and "29 May 2024" in citation and "as_of=2024-05-29" in citation


def test_language_in_the_url_is_kept_in_the_copied_link():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["as_of"] = "2024-05-29"
    at.query_params["lang"] = "en"
    at.run()
    link = next(c.value for c in at.code if "as_of=" in c.value)
    assert "lang=en" in link and "as_of=2024-05-29" in link
