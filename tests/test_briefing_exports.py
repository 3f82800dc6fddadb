"""The deck and the PDF brief: the same numbers as the dashboard, stamped, sourced, flagged."""

from __future__ import annotations

import io
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.text import PP_ALIGN

from mandate_metrics import briefing, cli, glyphs, i18n
from mandate_metrics.exports.deck import deck_bytes
from mandate_metrics.exports.pdf import PdfUnavailable, brief_html, find_chromium, pdf_bytes
from mandate_metrics.figures import funding, metrics

BRUSSELS = date(2024, 5, 29)
SLIDES = ["headline", "demand", "reach", "investigations", "funding", "case", "ask", "sources"]


@pytest.fixture(scope="module")
def brief(shipped):
    return briefing.build(shipped, BRUSSELS)  # the default: the published record


@pytest.fixture(scope="module")
def deck(brief):
    return Presentation(io.BytesIO(deck_bytes(brief)))


@pytest.fixture(scope="module")
def sample_brief(shipped):
    return briefing.build(shipped, BRUSSELS, view="ledger")


@pytest.fixture(scope="module")
def sample_deck(sample_brief):
    return Presentation(io.BytesIO(deck_bytes(sample_brief)))


def _texts(slide) -> str:
    return " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


def _chart(slide):
    return next(shape.chart for shape in slide.shapes if shape.has_chart)


def test_briefing_has_one_message_per_slide(brief):
    assert [s.key for s in brief.slides] == SLIDES
    assert all(s.title and s.takeaway for s in brief.slides)


def test_deck_headline_slide_shows_brussels_figures(deck, brief):
    text = _texts(deck.slides[0])
    for value in ("375", "16", "261", "192"):
        assert value in text.split()
    assert "IIIM press release, 29 May 2024" in text
    assert "Illustrative" not in text and not brief.slides[0].illustrative
    assert all(
        p.startswith("Published 29 May 2024: IIIM press release") for _, _, p in brief.slides[0].figures
    )


def test_deck_has_the_expected_slides_with_stamp_and_notes(deck, brief):
    assert len(deck.slides) == len(SLIDES)
    for slide, spec in zip(deck.slides, brief.slides, strict=True):
        text = _texts(slide)
        assert spec.title in text
        assert "Data version data-" in text and "figures as of 29 May 2024" in text
        assert ("Illustrative: includes sample values" in text) == spec.illustrative
        notes = slide.notes_slide.notes_text_frame.text
        assert "Sources:" in notes and brief.stamp in notes


def test_record_deck_charts_are_the_published_observations(deck, brief):
    demand = _chart(deck.slides[1])
    assert demand.chart_type == XL_CHART_TYPE.LINE_MARKERS
    series = {s.name: list(s.values) for s in demand.plots[0].series}
    assert [v for v in series["Requests received"] if v is not None] == [15, 23, 100, 280, 367, 375]
    assert [v for v in series["Requests supported"] if v is not None] == [254, 261]
    inv = {s.name: list(s.values) for s in _chart(deck.slides[3]).plots[0].series}
    assert [v for v in inv["Investigations supported"] if v is not None] == [138, 143, 185, 192]
    # Nothing was published for investigations related on 29 May 2024: no 276 from the sample.
    assert [v for v in inv["Investigations related to requests"] if v is not None] == [84, 271]
    assert brief.slides[1].chart.dates[-1] == BRUSSELS  # a true time axis
    assert "dispBlanksAs" in demand._chartSpace.xml  # a missing date is spanned, not a break
    assert not _chart_less(deck.slides[4])  # the record's funding slide has figures, no computed chart


def _chart_less(slide) -> bool:
    return any(shape.has_chart for shape in slide.shapes)


def test_sample_deck_charts_equal_the_ledger_and_are_marked(sample_deck, sample_brief, shipped):
    requests = shipped.frame("requests")
    demand = _chart(sample_deck.slides[1])
    series = {s.name: list(s.values) for s in demand.plots[0].series}
    head = metrics.headline(requests, BRUSSELS)
    assert series["Requests received"][-1] == head.requests_received == 375
    assert series["Requests supported"][-1] == head.requests_supported == 261
    inv = {s.name: list(s.values) for s in _chart(sample_deck.slides[3]).plots[0].series}
    assert inv["Investigations supported"][-1] == 192
    assert inv["Investigations related to requests"][-1] == head.investigations_related
    assert sample_brief.slides[1].illustrative  # the year-end points are sample values
    money = _chart(sample_deck.slides[4])
    assert money.chart_type == XL_CHART_TYPE.COLUMN_CLUSTERED
    years = funding.funding_by_year(shipped.frame("budget"), shipped.frame("contributions"), BRUSSELS)
    values = {s.name: list(s.values) for s in money.plots[0].series}
    assert values["Requirement"] == years["requirement_usd"].tolist()
    assert values["Voluntary payments"] == years["voluntary_paid_usd"].tolist()
    assert list(money.plots[0].categories) == [str(y) for y in years["year"]]


def test_deck_reach_slide_applies_the_disclosure_rule(sample_deck):
    notes = sample_deck.slides[2].notes_slide.notes_text_frame.text
    assert "withheld" in notes and "Illustrative: " in notes


def test_deck_ask_slide_quotes_the_press_release(deck):
    text = _texts(deck.slides[SLIDES.index("ask")])
    assert "Justice and accountability require time and resources" in text
    assert "Robert Petit" in text


def test_brief_html_escapes_data_text(brief):
    page = brief_html(brief)
    assert "<script>alert" not in page
    assert "375" in page and "29 May 2024" in page


def test_pdf_without_chromium_says_what_to_install(brief, monkeypatch):
    monkeypatch.setattr("shutil.which", lambda name: None)
    with pytest.raises(PdfUnavailable, match="apt-get install chromium"):
        pdf_bytes(brief, "/nonexistent/chromium")


def test_cli_exports_deck_as_of_brussels(tmp_path: Path, capsys):
    out = tmp_path / "brief.pptx"
    assert cli.main(["export", "deck", "--out", str(out), "--as-of", "2024-05-29"]) == 0
    text = _texts(Presentation(str(out)).slides[0])
    assert {"375", "16", "261", "192"} <= set(text.split())
    assert "figures as of 29 May 2024" in capsys.readouterr().out


@pytest.mark.skipif(find_chromium("/usr/bin/chromium") is None, reason="Chromium not installed")
def test_pdf_brief_holds_figures_date_and_sources(tmp_path: Path):
    pypdf = pytest.importorskip("pypdf")
    out = tmp_path / "brief.pdf"
    assert cli.main(["export", "pdf", "--out", str(out), "--as-of", "2024-05-29"]) == 0
    reader = pypdf.PdfReader(str(out))
    assert 2 <= len(reader.pages) <= 5
    first = " ".join(reader.pages[0].extract_text().split())
    for value in ("375", "16", "261", "192"):
        assert value in first
    assert "as of 29 May 2024" in first and "IIIM press release, 29 May 2024" in first
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "GA/12594" in text
    assert "Illustrative" not in text  # the record: every value published


@pytest.mark.skipif(find_chromium("/usr/bin/chromium") is None, reason="Chromium not installed")
def test_pdf_brief_of_the_sample_is_marked(tmp_path: Path):
    pypdf = pytest.importorskip("pypdf")
    out = tmp_path / "brief.pdf"
    assert cli.main(["export", "pdf", "--out", str(out), "--as-of", "2024-05-29", "--view", "sample"]) == 0
    pages = [page.extract_text() for page in pypdf.PdfReader(str(out)).pages]
    assert all("Illustrative" in text for text in pages)  # the banner on every page


def test_briefing_before_any_data_has_every_slide_and_a_deck(shipped):
    early = briefing.build(shipped, date(2017, 3, 1))
    assert [s.key for s in early.slides] == SLIDES
    assert early.slides[0].figures[0][1] == "–"  # nothing published yet: no figure, not a zero
    deck = Presentation(io.BytesIO(deck_bytes(early)))
    assert len(deck.slides) == len(SLIDES)


@pytest.mark.parametrize("view", ["record", "ledger"])
@pytest.mark.parametrize("day", [BRUSSELS, date(2025, 12, 8)])
def test_no_two_parts_of_a_deck_slide_overlap_and_footers_are_legible(shipped, view, day):
    deck = Presentation(io.BytesIO(deck_bytes(briefing.build(shipped, day, view=view))))
    for number, slide in enumerate(deck.slides, start=1):
        boxes = [(s.left, s.top, s.left + s.width, s.top + s.height, s.name) for s in slide.shapes]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
                assert apart, (view, day, number, a[4], b[4])
            assert a[3] <= deck.slide_height, (number, a[4])  # nothing runs off the slide
        footer = max(slide.shapes, key=lambda s: s.top)
        sizes = {r.font.size.pt for p in footer.text_frame.paragraphs for r in p.runs if r.font.size}
        assert sizes and min(sizes) >= 14, (number, sizes)


def test_the_ask_carries_the_appeal_staff_recorded_and_falls_back_to_the_statements_of_need(shipped):
    from dataclasses import replace

    import pandas as pd

    from mandate_metrics.loading import Datasets
    from mandate_metrics.schemas import Messages

    messages = shipped.frame("messages")
    appeal = messages.iloc[[0]].assign(
        message_id="APPEAL-2025",
        page="appeal",
        text="Fund the IIIM's 2025 work plan",
        amount=2_500_000.0,
        currency="USD",
        year=2025.0,
        date=pd.Timestamp("2025-04-29"),
        status="published",
    )
    with_appeal = Messages.validate(pd.concat([messages, appeal], ignore_index=True))
    data = Datasets(
        tuple(replace(d, frame=with_appeal) if d.name == "messages" else d for d in shipped.values())
    )
    ask = briefing.build(data, date(2025, 12, 8)).slides[SLIDES.index("ask")]
    assert ask.figures[0][:2] == ("The appeal 2025", "$2.5M") and ask.takeaway.startswith("Fund the IIIM")
    earlier = briefing.build(data, BRUSSELS).slides[
        SLIDES.index("ask")
    ]  # before the appeal: the Head's words
    assert "Justice and accountability require time and resources" in earlier.quote[0]


# In Arabic and French ------------------------------------------------------------------------

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def test_the_arabic_deck_is_translated_and_right_to_left(tmp_path: Path, capsys):
    out = tmp_path / "ar.pptx"
    assert cli.main(["--lang", "ar", "export", "deck", "--out", str(out), "--as-of", "2024-05-29"]) == 0
    assert "كُتب الملف" in capsys.readouterr().out  # the command speaks Arabic too
    deck = Presentation(str(out))
    titles = [_texts(slide) for slide in deck.slides]
    assert i18n.t("brief.headline.title", "ar") in titles[0]
    assert i18n.t("brief.demand.title", "ar") in titles[1]
    assert "29 أيار/مايو 2024" in titles[0]  # the UN double month name
    paragraphs = [
        p
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
        for p in shape.text_frame.paragraphs
        if p.runs
    ]
    assert paragraphs and all(p._p.pPr.get("rtl") == "1" for p in paragraphs)
    assert all(p.alignment in (PP_ALIGN.RIGHT, PP_ALIGN.CENTER) for p in paragraphs)
    run = paragraphs[0].runs[0]._r.rPr
    assert run.get("lang") == "ar-SY" and run.find(f"{A}cs").get("typeface") == "Noto Sans Arabic"
    notes = deck.slides[0].notes_slide.notes_text_frame.paragraphs[0]
    assert notes._p.pPr.get("rtl") == "1"
    chart = next(s.chart for slide in deck.slides for s in slide.shapes if s.has_chart)
    assert chart.category_axis.reverse_order  # time starts on the right
    # no English month names on a date axis: PowerPoint would write them in the reader's language
    assert chart.category_axis.tick_labels.number_format == "yyyy"


def test_the_french_deck_is_translated_and_left_to_right(shipped):
    deck = Presentation(io.BytesIO(deck_bytes(briefing.build(shipped, BRUSSELS, locale="fr"), "fr")))
    first = _texts(deck.slides[0])
    assert i18n.t("brief.headline.title", "fr") in first and "29 mai 2024" in first
    assert all(
        p._p.pPr is None or p._p.pPr.get("rtl") is None
        for shape in deck.slides[0].shapes
        if shape.has_text_frame
        for p in shape.text_frame.paragraphs
    )
    chart = next(s.chart for slide in deck.slides for s in slide.shapes if s.has_chart)
    assert chart.category_axis.tick_labels.number_format == "yyyy"  # years: no English month names
    axis = chart._chartSpace.xpath(".//c:dateAx")[0]
    assert [e.get("val") for e in axis.xpath("c:majorUnit | c:majorTimeUnit")] == ["1", "years"]


def _line_starts(reader, wanted: str) -> list[float]:
    """The x where each text run holding ``wanted`` starts on the first page."""
    found: list[float] = []

    def visit(text, cm, tm, font, size):
        if wanted in unicodedata.normalize("NFKC", text):
            found.append(tm[4] * cm[0] + cm[4])

    reader.pages[0].extract_text(visitor_text=visit)
    return found


@pytest.mark.skipif(find_chromium("/usr/bin/chromium") is None, reason="Chromium not installed")
@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_the_pdf_brief_in_arabic_and_french(tmp_path: Path, lang):
    pypdf = pytest.importorskip("pypdf")
    out = tmp_path / f"{lang}.pdf"
    assert cli.main(["--lang", lang, "export", "pdf", "--out", str(out), "--as-of", "2024-05-29"]) == 0
    reader = pypdf.PdfReader(str(out))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    width = float(reader.pages[0].mediabox.width)
    fonts = {str(f["/BaseFont"]) for page in reader.pages for f in page["/Resources"]["/Font"].values()}
    if lang == "fr":
        assert i18n.t("brief.headline.title", "fr") in text and "29 mai 2024" in text
        assert min(_line_starts(reader, "Indicateurs du mandat")) < width / 4  # left-aligned
        return
    letters = unicodedata.normalize("NFKC", text)  # the PDF holds shaped (presentation) forms
    for word in ("الولاية", "المساعدة", "مايو", "أيار"):
        assert word in letters
    assert any("NotoSansArabic" in f for f in fonts)  # the shipped font, embedded
    starts = _line_starts(reader, "الولاية")
    assert starts and min(starts) > width / 2  # the title sits on the right


def test_the_brief_html_declares_its_language_and_direction(shipped):
    arabic = brief_html(briefing.build(shipped, BRUSSELS, locale="ar"), "ar")
    assert '<html lang="ar" dir="rtl">' in arabic and "font/ttf;base64" in arabic
    french = brief_html(briefing.build(shipped, BRUSSELS, locale="fr"), "fr")
    assert '<html lang="fr" dir="ltr">' in french


@pytest.mark.skipif(find_chromium("/usr/bin/chromium") is None, reason="Chromium not installed")
@pytest.mark.parametrize(
    ("lang", "date_words"), [("zh", "2024年5月29日"), ("ru", "29 мая 2024"), ("es", "29 de mayo de 2024")]
)
def test_the_pdf_brief_in_chinese_russian_and_spanish(tmp_path: Path, lang, date_words):
    pypdf = pytest.importorskip("pypdf")
    out = tmp_path / f"{lang}.pdf"
    assert cli.main(["--lang", lang, "export", "pdf", "--out", str(out), "--as-of", "2024-05-29"]) == 0
    reader = pypdf.PdfReader(str(out))
    text = unicodedata.normalize(
        "NFKC", " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    )
    packed = "".join(text.split())  # the PDF's text layer spaces Chinese runs apart ("2024 年 5 月")
    assert "".join(i18n.t("app.title", lang).split()) in packed and "".join(date_words.split()) in packed
    assert "\ufffd" not in text and "Illustrative" not in text
    fonts = {str(f["/BaseFont"]) for page in reader.pages for f in page["/Resources"]["/Font"].values()}
    if lang == "zh":  # every Chinese glyph from the shipped subset, embedded: nothing falls back to a box
        assert any("NotoSansSC" in f for f in fonts), fonts
        shown = {c for c in text if glyphs.is_cjk(c)}
        assert shown and shown <= glyphs.characters()


def test_a_chinese_figure_is_sized_for_its_wide_characters():
    from mandate_metrics.exports.deck import fitting

    # a Chinese character is as wide as two average Latin glyphs: "超过 530" is sized as "abcd 530"
    assert fitting("超过 530", 2.9, 0.9, 54, 24, 0.7) == fitting("abcd 530", 2.9, 0.9, 54, 24, 0.7)
    assert fitting("超过 530", 2.9, 0.9, 54, 24, 0.7) < fitting("ab 530", 2.9, 0.9, 54, 24, 0.7)
