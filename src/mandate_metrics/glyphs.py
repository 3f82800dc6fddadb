"""The Chinese characters the dashboard can show, and the font subset that draws them.

Noto Sans SC is 10 MB per weight: too heavy for a page, a projector laptop offline or a PDF.
Every Chinese word we show comes from three places we ship — the Chinese catalogue, the shipped
data's ``*_zh`` columns, and CLDR's Chinese names, dates and number words through Babel — so the
set of characters is known at build time, and ``make fonts`` keeps only those glyphs
(``fontTools.subset``). A test checks that every character in use is in the shipped subset, so a new
word in the catalogue cannot show as an empty box.

Run as ``python -m mandate_metrics.glyphs FONT.ttf OUT.woff2`` (``make fonts`` does it for both
weights).
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pandas as pd
from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.messages.pofile import read_po
from babel.numbers import format_compact_currency, format_compact_decimal

from mandate_metrics.i18n import LANGUAGES, LOCALES_DIR
from mandate_metrics.paths import DATA_DIR

CJK_RANGE = "U+2E80-2FDF, U+3000-303F, U+3400-4DBF, U+4E00-9FFF, U+F900-FAFF, U+FF00-FFEF"
"""The blocks the subset covers (CJK punctuation, ideographs, full-width forms): the browser and the
PDF take only these from it, so Latin letters and digits stay in the page's own font."""
_BLOCKS = (
    (0x2E80, 0x2FDF),
    (0x3000, 0x303F),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFF00, 0xFFEF),
)
FONT_FILES = {400: "NotoSansSC-Regular.subset.woff2", 700: "NotoSansSC-Bold.subset.woff2"}
"""The shipped subsets in ``static/fonts``, by weight."""


def is_cjk(character: str) -> bool:
    """Whether the subset, not the page's Latin font, draws ``character``."""
    point = ord(character)
    return any(low <= point <= high for low, high in _BLOCKS)


def _catalogue_text() -> str:
    with open(LOCALES_DIR / "zh" / "LC_MESSAGES" / "messages.po", "rb") as f:
        catalogue = read_po(f)
    strings = [m.string for m in catalogue if m.id]
    return "".join(s if isinstance(s, str) else "".join(s or ()) for s in strings)


def _data_text(data_dir: Path) -> str:
    texts: list[str] = []
    for path in sorted(data_dir.glob("*.csv")):
        frame = pd.read_csv(path, dtype=str)
        for column in [c for c in frame.columns if c.endswith("_zh")]:
            texts += frame[column].dropna().tolist()
    return "".join(texts)


def _babel_text() -> str:
    """CLDR's Chinese: territory names, dates, compact amounts (万, 亿), the switcher's names.

    Donors and jurisdictions are named by code, so every territory's name is kept.
    """
    chinese = Locale.parse("zh")
    days = [date(2024, month, 28) for month in range(1, 13)]
    words = [*chinese.territories.values(), *LANGUAGES.values()]
    words += [
        format_date(day, "long", locale="zh") + format_skeleton("yMMMM", day, locale="zh") for day in days
    ]
    words += [format_skeleton("y", days[0], locale="zh")]
    for value in (1.5e3, 1.5e4, 1.5e8, 1.5e12):
        words += [
            format_compact_decimal(value, locale="zh"),
            format_compact_currency(value, "USD", locale="zh"),
        ]
    return "".join(words)


def characters(data_dir: Path = DATA_DIR) -> set[str]:
    """Every CJK character the dashboard can show in Chinese (and the switcher's 中文 in any language)."""
    text = _catalogue_text() + _data_text(data_dir) + _babel_text()
    return {c for c in text if is_cjk(c)}


def subset(font: Path, out: Path, data_dir: Path = DATA_DIR) -> int:
    """Write ``font`` cut down to ``characters()`` as WOFF2 at ``out``; returns the glyph count kept."""
    from fontTools import subset as cut  # build-time tool: the app itself never imports it

    options = cut.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = cut.Subsetter(options=options)
    subsetter.populate(text="".join(sorted(characters(data_dir))))
    loaded = cut.load_font(str(font), options)
    subsetter.subset(loaded)
    cut.save_font(loaded, str(out), options)
    return len(loaded.getGlyphOrder())


if __name__ == "__main__":
    kept = subset(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"{sys.argv[2]}: {kept} glyphs")
