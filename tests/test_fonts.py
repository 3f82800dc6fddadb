"""The Chinese font subset draws every character the dashboard can show in Chinese (issue 23)."""

from __future__ import annotations

import tomllib

import pytest
from fontTools.ttLib import TTFont

from mandate_metrics import glyphs
from mandate_metrics.paths import FONTS_DIR, PROJECT_DIR


@pytest.fixture(scope="module")
def used() -> set[str]:
    return glyphs.characters()


@pytest.mark.parametrize("weight", sorted(glyphs.FONT_FILES))
def test_every_chinese_character_in_use_is_in_the_shipped_subset(used, weight):
    font = TTFont(FONTS_DIR / glyphs.FONT_FILES[weight])
    missing = sorted(c for c in used if ord(c) not in font.getBestCmap())
    assert not missing, f"run make fonts: {''.join(missing)}"
    assert font["name"].getDebugName(1).startswith("Noto Sans SC")
    assert (FONTS_DIR / glyphs.FONT_FILES[weight]).stat().st_size < 400_000  # a subset, not 10 MB


def test_the_characters_cover_the_catalogue_the_data_and_cldr(used):
    assert {"国", "际", "机", "制"} <= used  # the IIIM's name in the catalogue
    assert {"德", "瑞", "典"} <= used  # Germany and Sweden, from CLDR by code
    assert {"万", "亿", "年", "月", "日"} <= used  # compact amounts and dates
    assert {"中", "文"} <= used  # the switcher names Chinese in Chinese on every page
    assert all(glyphs.is_cjk(c) for c in used)
    assert not glyphs.is_cjk("A") and not glyphs.is_cjk("٣")


def test_a_new_word_in_the_data_is_a_character_to_subset(tmp_path):
    (tmp_path / "milestones.csv").write_text("event,event_zh\nA,鑫\n", encoding="utf-8")
    assert "鑫" in glyphs.characters(tmp_path)


def test_the_page_and_the_pdf_take_only_cjk_from_the_subset():
    theme = tomllib.loads((PROJECT_DIR / ".streamlit" / "config.toml").read_text())["theme"]
    faces = [f for f in theme["fontFaces"] if f["family"] == "noto-sans-sc"]
    assert {f["url"].rsplit("/", 1)[1] for f in faces} == set(glyphs.FONT_FILES.values())
    assert {f["unicodeRange"] for f in faces} == {glyphs.CJK_RANGE}
    assert "noto-sans-sc" in theme["font"]
