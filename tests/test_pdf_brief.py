"""The printed brief: one kept Chromium prints it, and every language turns its pages alike.

Each PDF is read back as its reader would read it: page by page, text extracted (Arabic in its
shaped presentation forms, folded back with NFKC), and with Poppler's ``pdftotext`` where a
delegate would copy from it.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
from datetime import date

import pytest

from mandate_metrics import briefing, i18n
from mandate_metrics.exports import pdf, printer

CHROMIUM = pdf.find_chromium("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="needs chromium (.ci/run installs it)")
pypdf = pytest.importorskip("pypdf")


def _words(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).replace("\u200f", "").split())


def _pages(data: bytes) -> list[str]:
    return [_words(page.extract_text()) for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def _bare(text: str) -> list[str]:
    """The words of ``text`` without punctuation (which pypdf may set on either side of an Arabic word)."""
    return re.findall(r"\w+", _words(text))


def _lines(data: bytes) -> list[list[list[str]]]:
    """Each page's lines as words (pypdf gives Arabic words right to left: compare them as sets)."""
    return [
        [_bare(line) for line in page.extract_text().splitlines()]
        for page in pypdf.PdfReader(io.BytesIO(data)).pages
    ]


@pytest.fixture(scope="module")
def printed(shipped) -> dict[tuple[str, str], tuple[briefing.Briefing, bytes]]:
    """The brief in three languages, record and sample views, as of 29 May 2024."""
    assert CHROMIUM is not None
    out = {}
    for view in ("record", "sample"):
        for lang in ("en", "ar", "fr"):
            brief = briefing.build(shipped, date(2024, 5, 29), locale=lang, view=view)
            out[view, lang] = (brief, pdf.pdf_bytes(brief, CHROMIUM, lang))
    return out


@needs_chromium
@pytest.mark.parametrize("view", ["record", "sample"])
def test_every_language_has_the_english_number_of_pages(printed, view):
    counts = {lang: len(_pages(printed[view, lang][1])) for lang in ("en", "ar", "fr")}
    assert len(set(counts.values())) == 1, counts


@needs_chromium
@pytest.mark.parametrize("lang", ["en", "ar", "fr"])
def test_no_heading_is_left_at_the_foot_of_a_page(printed, lang):
    brief, data = printed["record", lang]
    pages = _lines(data)
    sources = brief.slides[-1]
    headings = [(s.title, s.takeaway) for s in brief.slides] + [(i18n.t("sources.cite", lang), sources.notes)]
    for heading, text in headings:
        title, opening = sorted(_bare(heading)), set(_bare(text)[:2])
        holding = [lines for lines in pages if any(sorted(line) == title for line in lines)]
        assert holding, f"{heading}: not found"
        assert any(opening <= set(line) for lines in holding for line in lines), f"{heading}: apart"


@needs_chromium
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (.ci/run installs it)")
def test_the_arabic_brief_copies_us_dollars_the_one_way(printed):
    data = printed["record", "ar"][1]
    text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout
    assert b"$US" not in text and "مليون".encode() in text
    lines = [line for page in _lines(data) for line in page]  # (Poppler splits the lam-alef ligature)
    assert any({"مليون", "دولار", "أمريكي"} <= set(line) for line in lines)


def test_the_printed_page_holds_no_script(shipped):
    page = pdf.brief_html(briefing.build(shipped, date(2024, 5, 29)), "en", lambda spec, w, h: "<svg></svg>")
    assert "<script" not in page and page.count('<div class="chart"><svg></svg></div>') >= 3


@needs_chromium
def test_one_chromium_stays_warm_and_a_dead_one_is_replaced(shipped):
    brief = briefing.build(shipped, date(2024, 5, 29))
    assert CHROMIUM is not None
    pdf.pdf_bytes(brief, CHROMIUM)
    kept = printer.warm(CHROMIUM, pdf.WARM_FLAGS, pdf.network_isolation(), "")
    assert pdf.pdf_bytes(brief, CHROMIUM).startswith(b"%PDF")
    assert printer.warm(CHROMIUM, pdf.WARM_FLAGS, pdf.network_isolation(), "") is kept  # not restarted
    kept.process.kill()
    kept.process.wait()
    assert pdf.pdf_bytes(brief, CHROMIUM).startswith(b"%PDF")  # a new one, started for this brief
    assert printer.warm(CHROMIUM, pdf.WARM_FLAGS, pdf.network_isolation(), "") is not kept


@needs_chromium
def test_charts_print_as_vector_svg(printed):
    brief, data = printed["record", "en"]
    page = pdf.brief_html(
        brief, "en", printer.warm(CHROMIUM, pdf.WARM_FLAGS, pdf.network_isolation(), "").svg
    )
    assert page.count('<div class="chart"><svg') >= 3 and 'class="main-svg"' in page
    assert "<script" not in page
