"""The deck and the PDF brief: the same numbers as the dashboard, stamped, sourced, flagged."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from mandate_metrics import briefing, cli, funding, metrics
from mandate_metrics.exports.deck import deck_bytes
from mandate_metrics.exports.pdf import PdfUnavailable, brief_html, find_chromium, pdf_bytes

BRUSSELS = date(2024, 5, 29)
SLIDES = ["headline", "demand", "reach", "investigations", "funding", "ask", "sources"]


@pytest.fixture(scope="module")
def brief(shipped):
    return briefing.build(shipped, BRUSSELS)


@pytest.fixture(scope="module")
def deck(brief):
    return Presentation(io.BytesIO(deck_bytes(brief)))


def _texts(slide) -> str:
    return " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


def _chart(slide):
    return next(shape.chart for shape in slide.shapes if shape.has_chart)


def test_briefing_has_one_message_per_slide(brief):
    assert [s.key for s in brief.slides] == SLIDES
    assert all(s.title and s.takeaway for s in brief.slides)


def test_deck_headline_slide_shows_brussels_figures(deck):
    text = _texts(deck.slides[0])
    for value in ("375", "16", "261", "192"):
        assert value in text.split()
    assert "IIIM press release, 29 May 2024" in text


def test_deck_has_the_expected_slides_with_stamp_and_notes(deck, brief):
    assert len(deck.slides) == len(SLIDES)
    for slide, spec in zip(deck.slides, brief.slides, strict=True):
        text = _texts(slide)
        assert spec.title in text
        assert "Data version data-" in text and "figures as of 2024-05-29" in text
        assert ("Illustrative: includes sample values" in text) == spec.illustrative
        notes = slide.notes_slide.notes_text_frame.text
        assert "Sources:" in notes and brief.stamp in notes


def test_deck_charts_are_native_and_equal_the_dashboard_numbers(deck, shipped):
    requests = shipped.frame("requests")
    demand = _chart(deck.slides[1])
    assert demand.chart_type == XL_CHART_TYPE.LINE_MARKERS
    series = {s.name: list(s.values) for s in demand.plots[0].series}
    head = metrics.headline(requests, BRUSSELS)
    assert series["Requests received"][-1] == head.requests_received == 375
    assert series["Requests supported"][-1] == head.requests_supported == 261
    inv = {s.name: list(s.values) for s in _chart(deck.slides[3]).plots[0].series}
    assert inv["Investigations supported"][-1] == 192
    assert inv["Investigations related to requests"][-1] == head.investigations_related
    money = _chart(deck.slides[4])
    assert money.chart_type == XL_CHART_TYPE.COLUMN_CLUSTERED
    years = funding.funding_by_year(shipped.frame("budget"), shipped.frame("contributions"), BRUSSELS)
    values = {s.name: list(s.values) for s in money.plots[0].series}
    assert values["Requirement"] == years["requirement_usd"].tolist()
    assert values["Voluntary payments"] == years["voluntary_paid_usd"].tolist()
    assert list(money.plots[0].categories) == [str(y) for y in years["year"]]


def test_deck_reach_slide_applies_the_disclosure_rule(deck):
    reach = _chart(deck.slides[2])
    assert all(v >= 5 for v in reach.plots[0].series[0].values)  # suppressed regions get no bar
    assert "<5" in deck.slides[2].notes_slide.notes_text_frame.text


def test_deck_ask_slide_quotes_the_press_release(deck):
    text = _texts(deck.slides[5])
    assert "Justice and accountability require time and resources" in text
    assert "Robert Petit" in text


def test_brief_html_escapes_data_text(brief, shipped):
    page = brief_html(brief, shipped)
    assert "<script>alert" not in page
    assert "375" in page and "2024-05-29" in page


def test_pdf_without_chromium_says_what_to_install(brief, shipped, monkeypatch):
    monkeypatch.setattr("shutil.which", lambda name: None)
    with pytest.raises(PdfUnavailable, match="apt-get install chromium"):
        pdf_bytes(brief, shipped, "/nonexistent/chromium")


def test_cli_exports_deck_as_of_brussels(tmp_path: Path, capsys):
    out = tmp_path / "brief.pptx"
    assert cli.main(["export", "deck", "--out", str(out), "--as-of", "2024-05-29"]) == 0
    text = _texts(Presentation(str(out)).slides[0])
    assert {"375", "16", "261", "192"} <= set(text.split())
    assert "figures as of 2024-05-29" in capsys.readouterr().out


@pytest.mark.skipif(find_chromium("/usr/bin/chromium") is None, reason="Chromium not installed")
def test_pdf_brief_holds_figures_date_and_sources(tmp_path: Path):
    pypdf = pytest.importorskip("pypdf")
    out = tmp_path / "brief.pdf"
    assert cli.main(["export", "pdf", "--out", str(out), "--as-of", "2024-05-29"]) == 0
    reader = pypdf.PdfReader(str(out))
    assert 2 <= len(reader.pages) <= 4
    text = " ".join(page.extract_text() for page in reader.pages)
    for value in ("375", "16", "261", "192"):
        assert value in text
    assert "2024-05-29" in text
    assert "IIIM press release, 29 May 2024" in text and "GA/12594" in text
    assert "Illustrative" in text


def test_briefing_before_any_data_has_every_slide_and_a_deck(shipped):
    early = briefing.build(shipped, date(2017, 3, 1))
    assert [s.key for s in early.slides] == SLIDES
    assert early.slides[0].figures[0][1] == "0"
    deck = Presentation(io.BytesIO(deck_bytes(early)))
    assert len(deck.slides) == len(SLIDES)
