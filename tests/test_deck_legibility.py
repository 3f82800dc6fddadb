"""The deck read from the back of a room and in Arabic: type sizes, and English kept whole.

Checked on the .pptx itself (what PowerPoint reads): every run's size against its floor (body
18 pt, notes and footer 11 pt, chart text 14 pt), and in Arabic every run of Latin letters
inside right-to-left text held in an isolate, so "US$", dates and titles keep their order.
"""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pptx import Presentation
from pptx.util import Emu

from mandate_metrics import briefing
from mandate_metrics.exports.deck import BODY, NOTE, SMALL_PRINT, deck_bytes

CASES = [
    ("en", date(2024, 5, 29), "record"),
    ("ar", date(2025, 12, 8), "record"),
    ("fr", date(2019, 6, 1), "record"),
    ("ar", date(2024, 5, 29), "ledger"),
    ("fr", date(2025, 4, 29), "ledger"),
]
LATIN = re.compile(r"[A-Za-z]")


@pytest.fixture(scope="module", params=CASES, ids=[f"{lang}-{day}-{view}" for lang, day, view in CASES])
def deck(request, shipped):
    lang, day, view = request.param
    brief = briefing.build(shipped, day, locale=lang, view=view, public_url="https://m.example.org")
    return lang, Presentation(io.BytesIO(deck_bytes(brief, lang)))


def test_every_text_is_large_enough_for_a_room(deck):
    lang, prs = deck
    for number, slide in enumerate(prs.slides, start=1):
        boxes = [s for s in slide.shapes if s.has_text_frame and s.text_frame.text.strip()]
        small = [s for s in boxes if s.name == SMALL_PRINT]
        assert any(Emu(s.top).inches >= 6.8 for s in small)  # the footer, at least, is small print
        for shape in boxes:
            floor = NOTE if shape.name == SMALL_PRINT else BODY
            for paragraph in shape.text_frame.paragraphs:
                for run in paragraph.runs:
                    assert run.font.size.pt >= floor, (lang, number, run.text[:40], run.font.size.pt)
        for shape in slide.shapes:
            if shape.has_chart:
                chart = shape.chart
                assert chart.font.size.pt >= 14
                assert chart.plots[0].data_labels.font.size.pt >= 14, (lang, number)
                assert chart.value_axis.tick_labels.font.size.pt >= 14


def test_latin_text_in_arabic_paragraphs_is_isolated(deck):
    lang, prs = deck
    if lang != "ar":
        pytest.skip("a right-to-left deck only")
    paragraphs = 0
    for number, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            if not shape.has_text_frame:
                continue
            for paragraph in shape.text_frame.paragraphs:
                text = "".join(run.text for run in paragraph.runs)
                if not re.search(r"[\u0600-\u06FF]", text) or not LATIN.search(text):
                    continue
                paragraphs += 1
                assert paragraph._p.pPr.get("rtl") == "1"
                depth = 0
                for char in text:
                    depth += char in "\u2066\u2067\u2068"
                    depth -= char == "\u2069"
                    assert depth > 0 or not LATIN.match(char), (number, text[:80])
    assert paragraphs > 5  # the check met Arabic paragraphs holding English at all
