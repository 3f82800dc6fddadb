"""The deck as LibreOffice draws it: no text runs below the footer line or off the slide.

The box geometry is tested elsewhere; this renders the .pptx headless (``soffice --convert-to
pdf``) and reads where every piece of text landed, so text that overflows its box (a long
takeaway, a figure that wraps, a list of sources) is caught as a reader would see it.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from mandate_metrics import briefing
from mandate_metrics.exports.deck import deck_bytes

SOFFICE = shutil.which("soffice")
POINTS_PER_INCH = 72
SLIDE_WIDTH, SLIDE_HEIGHT = 13.333 * POINTS_PER_INCH, 7.5 * POINTS_PER_INCH
FOOTER_TOP = 6.85 * POINTS_PER_INCH  # from the top: the footer's box starts here


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, shipped) -> dict[str, tuple[Path, Path, briefing.Briefing]]:
    if SOFFICE is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is missing: .ci/run installs libreoffice-impress-nogui")
        pytest.skip("LibreOffice not installed (apt-get install libreoffice-impress-nogui)")
    folder = tmp_path_factory.mktemp("decks")
    decks = {
        "en": briefing.build(shipped, date(2025, 12, 8)),
        "ar": briefing.build(shipped, date(2025, 12, 8), locale="ar"),
        "fr": briefing.build(shipped, date(2025, 12, 8), locale="fr"),
        "en-sample": briefing.build(
            shipped, date(2024, 5, 29), view="ledger", public_url="https://m.example.org"
        ),
        "fr-early": briefing.build(shipped, date(2019, 6, 1), locale="fr"),
    }
    paths = []
    for name, brief in decks.items():
        path = folder / f"{name}.pptx"
        path.write_bytes(deck_bytes(brief, brief.locale))
        paths.append(str(path))
    profile = f"-env:UserInstallation=file://{folder / 'profile'}"
    subprocess.run(
        [SOFFICE, profile, "--headless", "--convert-to", "pdf", "--outdir", str(folder), *paths],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return {name: (folder / f"{name}.pdf", folder / f"{name}.pptx", brief) for name, brief in decks.items()}


def _plain(text: str) -> str:
    """Text as compared: compatibility forms folded, direction marks and spaces dropped."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(c for c in folded if unicodedata.category(c) != "Cf" and not c.isspace())


def _runs(pdf: Path) -> list[list[tuple[str, float, float]]]:
    """Per page, every text run with where it starts: (text, x from the left, y from the top)."""
    import pypdf  # noqa: PLC0415 - a test tool

    pages = []
    for page in pypdf.PdfReader(str(pdf)).pages:
        found: list[tuple[str, float, float]] = []

        def visit(text, cm, tm, font, size, found=found):
            if text.strip():
                x = tm[4] * cm[0] + cm[4]
                y = tm[5] * cm[3] + cm[5]
                found.append((unicodedata.normalize("NFKC", text).strip(), x, SLIDE_HEIGHT - y))

        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages


@pytest.mark.parametrize("name", ["en", "ar", "fr", "en-sample", "fr-early"])
def test_no_text_below_the_footer_line_or_off_the_slide(rendered, name):
    pdf, _, brief = rendered[name]
    pages = _runs(pdf)
    assert len(pages) == len(brief.slides)
    extra = [briefing.t(key, brief.locale) for key in ("brief.illustrative", "brief.hatched")]
    for number, runs in enumerate(pages, start=1):
        assert runs, f"{name} slide {number} has no text"
        footer = _plain(" · ".join([f"{brief.stamp} · {number}/{len(pages)}", *extra]))
        for text, x, y in runs:
            assert -1 <= x <= SLIDE_WIDTH + 1 and 0 <= y <= SLIDE_HEIGHT, (name, number, text, x, y)
            if y > FOOTER_TOP + 2:  # a baseline below the footer's top: only the footer may be there
                assert _plain(text) in footer, (name, number, text[:60], round(y))


def _boxes(pptx: Path) -> list[tuple[list[tuple[str, float, float]], list[tuple[float, float]]]]:
    """Per slide: each text box's words with its top and bottom, and each chart's top and bottom.

    In points from the slide's top. A chart draws its own text (legend, axes) inside its frame.
    """
    from pptx import Presentation  # noqa: PLC0415
    from pptx.util import Emu  # noqa: PLC0415

    def span(shape) -> tuple[float, float]:
        return Emu(shape.top).pt, Emu(shape.top + shape.height).pt

    return [
        (
            [
                (_plain(shape.text_frame.text), *span(shape))
                for shape in slide.shapes
                if shape.has_text_frame and shape.text_frame.text.strip()
            ],
            [span(shape) for shape in slide.shapes if shape.has_chart],
        )
        for slide in Presentation(str(pptx)).slides
    ]


@pytest.mark.parametrize("name", ["en", "ar", "fr", "en-sample", "fr-early"])
def test_every_line_of_text_stays_inside_its_box(rendered, name):
    """Each line lies within the one box whose text holds it.

    A figure that wraps onto its label, a takeaway that runs into the figures: LibreOffice draws
    overflowing text beyond its box, so its baseline is found outside the box.
    """
    pdf, pptx, _ = rendered[name]
    for number, (runs, (boxes, charts)) in enumerate(zip(_runs(pdf), _boxes(pptx), strict=True), start=1):
        for text, _, y in runs:
            if any(top <= y <= bottom for top, bottom in charts):
                continue  # the chart's own legend and axes
            words = _plain(text)
            holders = [(top, bottom) for shown, top, bottom in boxes if words in shown]
            if len(words) < 6 or len(set(holders)) != 1:  # a chart's label, or text in several boxes
                continue
            top, bottom = holders[0]
            assert top - 2 <= y <= bottom + 6, (name, number, text[:50], round(top), round(y), round(bottom))


WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def _words(pdf: Path) -> list[list[tuple[str, float, float, float, float]]]:
    """Per page, every word Poppler finds with its box (left, top, right, bottom, in points)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True, text=True)
    pages = []
    for page in re.findall(r"<page .*?</page>", out.stdout, flags=re.S):
        pages.append(
            [
                (html.unescape(m[4]), float(m[0]), float(m[1]), float(m[2]), float(m[3]))
                for m in WORD.findall(page)
            ]
        )
    return pages


@pytest.mark.parametrize("name", ["en", "ar", "fr", "en-sample", "fr-early"])
def test_no_chart_label_lies_on_another(rendered, name):
    """Every word inside a chart (values, axes, legend) clear of every other, as LibreOffice drew it.

    Close points (367 and 375, weeks apart) have their labels spread apart (``figures.labels``).
    """
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("Poppler is missing: .ci/run installs poppler-utils")
        pytest.skip("pdftotext not installed (apt-get install poppler-utils)")
    pdf, pptx, _ = rendered[name]
    checked = 0
    for number, (words, (_, charts)) in enumerate(zip(_words(pdf), _boxes(pptx), strict=True), start=1):
        for top, bottom in charts:
            inside = [w for w in words if top <= w[2] and w[4] <= bottom]
            checked += len(inside)
            for i, (a, *box_a) in enumerate(inside):
                for b, *box_b in inside[i + 1 :]:
                    across = min(box_a[2], box_b[2]) - max(box_a[0], box_b[0])
                    down = min(box_a[3], box_b[3]) - max(box_a[1], box_b[1])
                    assert across <= 1 or down <= 1, f"{name} slide {number}: {a!r} lies on {b!r}"
    assert checked > 10  # the charts' words were found at all
