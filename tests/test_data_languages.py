"""The data's own words in the reader's language (issue 23, item 1).

A delegate reading in Arabic or French meets no English phrase except a source's own words
(a title, a quotation), kept as said. Names of states come from CLDR by code; regions and the
sample's placeholder names from the catalogues; our labels, occasions, events and attributions
from translated columns in the shipped data.
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
from collections.abc import Iterator

import pandas as pd
import pyarrow as pa
import pytest
from google.protobuf.json_format import MessageToDict
from pptx import Presentation
from streamlit.testing.v1 import AppTest
from test_pages import APP, PAGES, run

from mandate_metrics.briefing import build
from mandate_metrics.exports.deck import deck_bytes
from mandate_metrics.figures import translated
from mandate_metrics.figures.currency import SOURCE as RATES_SOURCE
from mandate_metrics.schemas import DATA_LANGUAGES, DONOR_TYPES, TRANSLATED
from mandate_metrics.upload.validation import validate_upload

LATIN_PHRASE = re.compile(r"[A-Za-z][A-Za-z'’-]*(?:[ \t,]+[A-Za-z][A-Za-z'’-]*)+")  # within a line
ENGLISH_PHRASE = re.compile(
    r"\b(?:the|of|and|for|with|from|by|to|received|requests|supported|report|funding)\b[ \tA-Za-z'’,-]*",
    re.IGNORECASE,
)
LATIN_SCRIPT = {"fr", "es"}
"""Languages in Latin letters: an English phrase is found by its words. In Arabic, Chinese and
Russian any phrase of two Latin words is English (or a code) shown to the reader."""
READERS = [lang for lang in DATA_LANGUAGES]
NOT_SHOWN = {
    "anchor",
    "legendgroup",
    "meta",
    "textposition",
    "family",
    "src",
    "url",
    "href",
    "id",
    "formId",
    "key",
    "hovertemplate",
    "fontFamily",
}
EMBED_NAMES = "cumulative, investigations, jurisdictions"  # chart names in an address, not words


def _originals(data) -> str:
    """A source's own words: what may stay in its language (titles, quotations, notes on sources)."""
    said: list[str] = []
    for dataset in data.values():
        frame = dataset.frame
        for column in ("source_title", "quote", "text"):
            if column in frame:
                said += [str(v) for v in frame[column].dropna()]
        said += [s.title for s in dataset.meta.sources]
    return "\n".join([*said, EMBED_NAMES, RATES_SOURCE])


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, inner in value.items():
            if key not in NOT_SHOWN:
                yield from _strings(inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            yield from _strings(inner)


def _table_strings(data: bytes) -> Iterator[str]:
    table = pa.ipc.open_stream(io.BytesIO(data)).read_all()
    for name in table.column_names:
        yield name
        yield from (v for v in table.column(name).to_pylist() if isinstance(v, str))


def _shown(at) -> Iterator[str]:
    """Every string an element of the page carries: text, labels, options, chart specs, table cells."""

    def walk(node):
        yield node
        children = getattr(node, "children", None)
        for child in children.values() if isinstance(children, dict) else ():
            yield from walk(child)

    for node in walk(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None or node.type == "html":  # html blocks here are our CSS and scripts
            continue
        if node.type == "plotly_chart":
            yield from _strings(json.loads(proto.spec))
        elif node.type in ("arrow_data_frame", "dataframe", "table"):
            yield from _table_strings(proto.arrow_data.data)
        else:
            yield from _strings(MessageToDict(proto))


CODE_WORDS = {"withheld", "derived", "published", "illustrative", "official", "pledge", "payment"}
"""Code values a table cell or chart label could show as they are stored, one English word each."""


def _foreign(texts: Iterator[str], lang: str, originals: str) -> set[str]:
    pattern = ENGLISH_PHRASE if lang in LATIN_SCRIPT else LATIN_PHRASE
    found = set()
    for text in texts:
        if text.strip("\u200f\u202b\u202c") in CODE_WORDS:
            found.add(text)
        plain = re.sub(r"https?://\S+", " ", re.sub(r"<[^>]+>", " ", text))
        for match in pattern.finditer(plain):
            phrase = match.group(0).strip(" ,'’")
            if phrase and phrase not in originals:
                found.add(phrase)
    return found


# The shipped data carries its translations -------------------------------------------------------


@pytest.mark.parametrize("name", sorted(TRANSLATED))
def test_every_word_of_ours_in_the_shipped_data_is_translated(shipped, name):
    frame = shipped.frame(name)
    for column in TRANSLATED[name]:
        for lang in DATA_LANGUAGES:
            english, local = frame[column], frame[f"{column}_{lang}"]
            missing = frame.loc[english.notna() & (local.isna() | (local == "")), column]
            assert missing.empty, f"{name}.{column}_{lang} is empty for: {missing.tolist()}"
            assert (local[english.isna()].isna()).all(), f"{name}.{column}_{lang} without English"


def test_every_state_donor_has_a_code_and_every_name_a_translation(shipped):
    contributions = shipped.frame("contributions")
    jurisdictions = shipped.frame("jurisdictions")
    published = contributions[contributions["status"] == "published"]
    states = published[published["donor_type"].isin([DONOR_TYPES[0], DONOR_TYPES[1]])]
    assert states["donor_code"].notna().all(), states.loc[states["donor_code"].isna(), "donor"].tolist()
    for lang in DATA_LANGUAGES:  # French writes Canada as English does: a source is asked, not a change
        for name, code in [
            *zip(contributions["donor"], contributions["donor_code"], strict=True),
            *zip(jurisdictions["name"], jurisdictions["iso3"], strict=True),
        ]:
            assert translated.territory(code, lang) or translated.placeholder(name, lang), name
    assert set(jurisdictions["region"]) <= set(translated.REGIONS)


@pytest.mark.parametrize(
    ("name", "code", "lang", "shown"),
    [
        ("Germany", "DE", "ar", "ألمانيا"),
        ("Germany", "DE", "fr", "Allemagne"),
        ("Germany", "DEU", "fr", "Allemagne"),  # a jurisdiction's ISO alpha-3 code
        ("European Union", "EU", "ar", "الاتحاد الأوروبي"),
        ("Germany", "DE", "en", "Germany"),
        ("Member State C", None, "ar", "الدولة العضو C"),
        ("Jurisdiction Q", None, "fr", "Juridiction Q"),
        ("Private foundation A", None, "fr", "Fondation privée A"),
        ("Some Trust", None, "ar", "Some Trust"),  # no code, no placeholder: as the source names it
        ("Member State", None, "ar", "Member State"),
    ],
)
def test_names_come_from_cldr_by_code_or_from_the_catalogue(name, code, lang, shown):
    assert translated.name_in(name, code, lang) == shown


def test_english_is_the_data_as_loaded_and_a_translation_keeps_the_english_key(shipped):
    assert translated.frame_in("contributions", shipped.frame("contributions"), "en") is shipped.frame(
        "contributions"
    )
    arabic = translated.datasets_in(shipped, "ar")
    assert arabic.identity != shipped.identity and arabic.version == shipped.version
    assert arabic.as_loaded() is shipped and translated.datasets_in(arabic, "en") is shipped
    given = arabic.frame("contributions")
    assert dict(zip(given["donor_key"], given["donor"], strict=True))["Germany"] == "ألمانيا"
    figures = arabic.frame("published_figures")
    assert "(التاريخ مستنتج)" in " ".join(figures["verification"])
    assert (figures["value"] == shipped.frame("published_figures")["value"]).all()


@pytest.mark.parametrize(
    ("lang", "words", "rate"),
    [
        ("ar", "متوسط الأسعار المرجعية اليومية للبنك المركزي الأوروبي خلال نيسان/أبريل 2017", "1.0723"),
        ("fr", "sur avril 2017", "1,0723"),  # the rate with the French decimal comma
    ],
)
def test_a_usd_conversion_note_is_in_the_readers_language_with_its_rate(lang, words, rate):
    note = (
        "Derived: EUR converted at 1.0723 USD, the mean of the ECB daily reference rates over April 2017 "
        f"({RATES_SOURCE}); not an official UN rate"
    )
    shown = translated.rate_note_in(note, lang)
    assert words in shown and f"{rate} " in shown and "EUR" in shown, shown
    assert (
        translated.rate_note_in("Converted by the donor's own figure", lang)
        == "Converted by the donor's own figure"
    )


def test_a_missing_translation_shows_the_english_not_nothing(shipped):
    figures = shipped.frame("published_figures").assign(label_ar=None)
    shown = translated.frame_in("published_figures", figures, "ar")
    assert shown["label"].tolist() == figures["label"].tolist()


# Pages, deck and PDF -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", READERS)
@pytest.mark.parametrize("view", ["record", "sample"])
def test_no_page_shows_an_english_phrase_that_is_not_a_sources_own(shipped, lang, view):
    originals = _originals(shipped)
    found = {}
    for page in PAGES:
        foreign = _foreign(_shown(run(page, view=view, lang=lang)), lang, originals)
        if foreign:
            found[page] = sorted(foreign)
    assert not found, found


@pytest.mark.parametrize("lang", READERS)
@pytest.mark.parametrize("view", ["record", "ledger"])
def test_the_briefing_for_deck_and_pdf_has_no_english_phrase_of_ours(shipped, lang, view):
    briefing = build(shipped, shipped.latest_date, "public", lang, view)
    found = _foreign(_strings(dataclasses.asdict(briefing)), lang, _originals(shipped))
    assert not found, sorted(found)


def _deck_strings(data: bytes) -> Iterator[str]:
    """Every text of a deck: shapes, tables, chart categories and series, speaker notes."""
    for slide in Presentation(io.BytesIO(data)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                yield shape.text_frame.text
            if shape.has_table:
                yield from (cell.text for row in shape.table.rows for cell in row.cells)
            if shape.has_chart:
                plot = shape.chart.plots[0]
                yield from (str(c) for c in plot.categories)
                yield from (str(series.name) for series in plot.series)
        if slide.has_notes_slide:
            yield slide.notes_slide.notes_text_frame.text


@pytest.mark.parametrize("lang", READERS)
def test_the_deck_file_has_no_english_phrase_of_ours(shipped, lang):
    briefing = build(shipped, shipped.latest_date, "public", lang, "ledger")
    found = _foreign(_deck_strings(deck_bytes(briefing, lang)), lang, _originals(shipped))
    assert not found, sorted(found)


def _donor_page(lang: str, donor: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.query_params["donor"] = donor
    at.run()
    at.switch_page("app_pages/funding_donors.py").run()
    return at


@pytest.mark.parametrize(("lang", "shown"), [("ar", "ألمانيا"), ("fr", "Allemagne"), ("en", "Germany")])
def test_a_donor_link_opens_in_every_language_with_the_readers_name(lang, shown):
    at = _donor_page(lang, "Germany")
    assert any(shown in s.value for s in at.subheader), [s.value for s in at.subheader]
    assert any("donor=Germany" in c.value for c in at.caption)  # the link to share works in any language
    assert at.selectbox(key="donor").value == "Germany" and not at.warning
    cells = {str(v) for frame in at.dataframe for v in frame.value.to_numpy().ravel()}
    assert not cells & CODE_WORDS or lang == "en", cells & CODE_WORDS  # "derived" reads «مشتق»
    at.selectbox(key="donor").set_value("Sweden").run()  # a choice writes the English name to the address
    assert at.query_params["donor"] in ("Sweden", ["Sweden"])


def test_a_withheld_count_reads_in_the_readers_language():
    at = run("app_pages/jurisdictions.py", role="public", view="sample", lang="ar")
    traces = [trace for chart in at.get("plotly_chart") for trace in json.loads(chart.proto.spec)["data"]]
    printed = [text.strip("\u200f\u202b\u202c") for trace in traces for text in trace.get("text", [])]
    assert "محجوب" in printed and "withheld" not in printed, printed
    control = at.segmented_control(key="regions_view")
    control.set_value(control.options[1]).run()  # the table
    regions = at.dataframe[0].value.set_index("المنطقة")
    assert regions.loc["أمريكا اللاتينية"].iloc[1] == "محجوب", regions


# Uploads -------------------------------------------------------------------------------------------


def test_an_upload_without_the_translation_columns_is_accepted_and_says_so(shipped):
    current = shipped.frame("milestones").drop(columns=["event_ar", "event_fr"])
    data = current.to_csv(index=False, date_format="%Y-%m-%d").encode()
    report = validate_upload("milestones", "m.csv", data, max_bytes=10**7, others={})
    assert report.ok, report.table().to_string()
    assert any("event_ar, event_fr" in n for n in report.notices), report.notices
    assert report.frame["event_ar"].isna().all()


def test_a_misspelt_translation_column_is_still_a_problem(shipped):
    current = shipped.frame("milestones").rename(columns={"event_ar": "evnt_ar"})
    data = current.to_csv(index=False, date_format="%Y-%m-%d").encode()
    report = validate_upload("milestones", "m.csv", data, max_bytes=10**7, others={})
    assert not report.ok
    assert "evnt_ar" in report.table().to_string()


def test_a_donor_code_must_be_two_capital_letters(shipped):
    frame = shipped.frame("contributions").copy()
    frame.loc[frame.index[0], "donor_code"] = "Hungary"
    data = frame.to_csv(index=False, date_format="%Y-%m-%d").encode()
    report = validate_upload("contributions", "c.csv", data, max_bytes=10**7, others={})
    assert not report.ok and "donor_code" in report.table().to_string()


def test_shipped_frames_are_unchanged_by_a_translation(shipped):
    before = shipped.frame("jurisdictions").copy()
    translated.datasets_in(shipped, "ar")
    pd.testing.assert_frame_equal(shipped.frame("jurisdictions"), before)
