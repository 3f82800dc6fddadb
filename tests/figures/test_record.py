"""The published record first: every value carries its provenance, and no sample value passes as real.

Library tests of the record and the ledger, the conversions, the data version; then the record view
of every page, slide, deck and PDF against the numbers only the sample can produce.
"""

from __future__ import annotations

import io
import json
import re
import statistics
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from conftest import shown
from currency_converter import CurrencyConverter, RateNotFoundError
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from mandate_metrics import briefing, loading
from mandate_metrics.exports.deck import deck_bytes
from mandate_metrics.exports.pdf import brief_html
from mandate_metrics.figures import disclosure, funding, metrics
from mandate_metrics.figures.record import LedgerEvidence, PublishedRecord
from mandate_metrics.paths import DATA_DIR, PROJECT_DIR
from mandate_metrics.store import LocalStore

APP = str(PROJECT_DIR / "app.py")
PAGES = ["overview", "requests_investigations", "jurisdictions", "funding_donors", "briefing"]
BRUSSELS, LATEST = date(2024, 5, 29), date(2025, 12, 8)
NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?![\w])|(?<![\w.,])\d+(?![\w,]|\.\d)")
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DAY = re.compile(rf"\b\d{{1,2}} (?:{MONTHS})\b")
# A growth between two published figures ("+34%"): a rate, not a count; test_case_for_funding checks
# its arithmetic and that the sample view shows the same one.
GROWTH = re.compile(r"\+\d+\s?%")
MARKERS = ("Illustrative:", "Illustrative sample value", "illustrative, not a public figure")


# The record and the ledger ---------------------------------------------------------------------


def test_record_gives_the_latest_published_figure_with_its_own_date_and_source(shipped):
    record = PublishedRecord(shipped.frame("published_figures"))
    received = record.figure("requests_received", LATEST)
    assert (received.value, received.qualifier, received.on) == (530, "lower_bound", LATEST)
    supported = record.figure("requests_supported", LATEST)
    assert (supported.value, supported.on) == (261, BRUSSELS)  # nothing published since
    assert supported.source_title == "IIIM press release, 29 May 2024 (Brussels VIII)"
    assert record.figure("requests_received", date(2018, 1, 1)) is None


def test_record_change_is_between_published_dates_and_keeps_a_lower_bound(shipped):
    record = PublishedRecord(shipped.frame("published_figures"))
    change = record.change("requests_received", date(2025, 4, 29))
    assert (change.delta, change.since) == (66, date(2024, 12, 17))  # 400 -> 466
    bound = record.change("requests_received", LATEST)
    assert (bound.delta, bound.qualifier, bound.since) == (30, "lower_bound", date(2025, 9, 19))


def test_record_support_rate_only_from_two_figures_of_one_day(shipped):
    record = PublishedRecord(shipped.frame("published_figures"))
    rate = record.support_rate(BRUSSELS)
    assert rate.provenance == "derived" and rate.value == pytest.approx(261 / 375)
    assert rate.how == "261 ÷ 375"
    assert record.support_rate(LATEST) is None  # "more than 530" and 261 of another day: no ratio


def test_ledger_values_equal_to_a_published_figure_carry_its_source(shipped):
    ledger = LedgerEvidence(
        shipped.frame("requests"), shipped.frame("published_figures"), "illustrative", "v1"
    )
    on_the_day = ledger.figure("requests_received", BRUSSELS)
    assert on_the_day.provenance == "published" and "Brussels VIII" in on_the_day.source_title
    a_day_later = ledger.figure("requests_received", BRUSSELS + timedelta(days=1))
    assert a_day_later.provenance == "illustrative" and a_day_later.dataset_version == "v1"
    above_the_bound = ledger.figure("requests_received", LATEST)  # 534 is not "more than 530"
    assert (above_the_bound.value, above_the_bound.provenance) == (534, "illustrative")
    official = LedgerEvidence(shipped.frame("requests"), shipped.frame("published_figures"), "official", "v7")
    assert official.figure("requests_received", LATEST + timedelta(days=1)).provenance == "official"


# Conversions, from the package's own ECB rates -------------------------------------------------


def _ecb_usd_per_unit(converter: CurrencyConverter, currency: str, on: date, precision: str) -> float:
    """The rate computed here independently of the app: EUR/USD ÷ EUR/X, per day or averaged."""

    def rate(cur: str, day: date) -> float | None:
        try:
            return 1.0 if cur == "EUR" else converter.convert(1, "EUR", cur, date=day)
        except RateNotFoundError:
            return None

    if precision == "day":
        day = on
        while rate("USD", day) is None:
            day -= timedelta(days=1)
        return rate("USD", day) / rate(currency, day)
    if precision == "month":
        days = [d for d in pd.date_range(on, periods=31).date if d.month == on.month]
    else:
        days = list(pd.date_range(date(on.year, 1, 1), date(on.year, 12, 31)).date)

    def mean(cur: str) -> float:
        return statistics.fmean(r for d in days if (r := rate(cur, d)) is not None)

    return mean("USD") / mean(currency)


def test_each_published_contribution_in_usd_equals_amount_times_the_ecb_rate(shipped):
    converter = CurrencyConverter()
    given = shipped.frame("contributions")
    given = given[(given["status"] == "published") & given["amount"].notna()]
    assert len(given) >= 18
    for row in given.itertuples():
        if row.currency == "USD":
            assert row.amount_usd == row.amount
            continue
        rate = _ecb_usd_per_unit(converter, row.currency, row.date.date(), row.date_precision)
        assert row.amount_usd == pytest.approx(row.amount * rate, abs=0.01), row.contribution_id
        assert f"{rate:.4f} USD" in row.usd_rate_note and "not an official UN rate" in row.usd_rate_note


def test_the_2018_sek_conversion_matches_the_checked_annual_means():
    from mandate_metrics.figures.currency import convert

    # shared/sources/iiim_public_figures_2.md, section F: EUR/USD 1.1810 and EUR/SEK 10.2583 in 2018
    assert convert(3_500_000, "SEK", date(2018, 7, 1), "year").rate == pytest.approx(1.180955 / 10.258258)
    assert convert(1_000_000, "EUR", date(2017, 1, 1), "year").usd == pytest.approx(1_129_681, abs=1)


# The data version: contents, not history --------------------------------------------------------


def test_data_version_is_the_contents_and_a_rollback_to_the_same_contents_restores_it(tmp_path):
    store = LocalStore(tmp_path / "store")
    first = loading.load_from_store(store, DATA_DIR).version
    budget = store.read("budget")
    store.publish("budget", budget.head(3), by="ana", declared="official")
    changed = loading.load_from_store(store, DATA_DIR).version
    store.rollback("budget", "v0001", by="ana")
    assert changed != first
    assert loading.load_from_store(store, DATA_DIR).version == first
    store.publish("budget", budget, by="ana", declared="illustrative")  # same rows again: same version
    assert loading.load_from_store(store, DATA_DIR).version == first


def test_an_official_version_changes_the_marking_and_the_title(tmp_path):
    store = LocalStore(tmp_path / "store")
    loading.load_from_store(store, DATA_DIR)
    store.publish("requests", store.read("requests"), by="ana", declared="official")
    requests = loading.load_from_store(store, DATA_DIR)["requests"]
    assert requests.meta.provenance == "official" and not requests.meta.is_illustrative
    assert requests.meta.title == "Requests for assistance (IIIM records)"


# Numbers only the sample can produce --------------------------------------------------------


def _sample_only_numbers(data: loading.Datasets, days: list[date]) -> set[int]:
    """Every number the sample ledger and the illustrative budget compute, less any published value.

    Numbers under 30 and years are left out: they also occur as days, counts of months and dates.
    """
    requests, jurisdictions = data.frame("requests"), data.frame("jurisdictions")
    found: set[float] = set()
    for day in days:
        head = metrics.headline(requests, day)
        found |= {head.value(m) for m in metrics.LEDGER_METRICS}
        series = metrics.cumulative_series(requests, day)
        found |= set(series[list(metrics.LEDGER_METRICS)].to_numpy().ravel().tolist())
        found |= set(metrics.requests_per_year(requests, day)["requests_received"])
        found |= set(metrics.count_by(requests, day, "assistance_type")["requests"])
        found |= set(metrics.by_region(requests, jurisdictions, day)["requests_received"])
        stages = metrics.investigations_by_stage(data.frame("investigations"), requests, day)
        found |= set(stages["investigations"])
    return {
        int(v) for v in found if v >= 30 and int(v) not in _published_numbers(data) and not 2016 <= v <= 2030
    }


def _published_numbers(data: loading.Datasets) -> set[int]:
    """Every number the published record itself says: values, vote tallies, symbols, derived rates."""
    published = data.frame("published_figures")
    numbers = set(published["value"].round().astype(int))
    given = data.frame("contributions")
    texts = [
        published.astype(str).to_csv(),
        data.frame("milestones").astype(str).to_csv(),
        data.frame("messages").astype(str).to_csv(),
        given[given["status"] == "published"].astype(str).to_csv(),
    ]
    numbers |= {n for text in texts for n in _numbers(text)}
    days = published[published["metric"] == "requests_received"]["as_of"]
    for day in days:
        rate = PublishedRecord(published).support_rate(day.date())
        if rate is not None:
            numbers.add(round(rate.value * 100))
    return numbers


def _illustrative_money(data: loading.Datasets, day: date) -> set[str]:
    years = funding.funding_by_year(data.frame("budget"), data.frame("contributions"), day)
    from mandate_metrics.i18n import fmt_percent, fmt_usd

    shown = years[years["illustrative"]]
    sample = {fmt_usd(v) for v in shown["gap_usd"]} | {fmt_percent(c) for c in shown["coverage"]}
    given = funding.published_contributions(data.frame("contributions"), day).dropna(subset=["amount_usd"])
    public = {fmt_usd(v) for v in given["amount_usd"]} | {
        fmt_usd(v) for v in given.groupby("donor")["amount_usd"].sum()
    }
    return sample - public


@pytest.fixture(scope="module")
def sample_only(shipped) -> set[int]:
    return _sample_only_numbers(shipped, [BRUSSELS, LATEST, date(2024, 4, 24)])


def _numbers(text: str) -> set[int]:
    """The whole numbers a text states, dates ("31 January") and growth rates ("+34%") left out."""
    return {int(n.replace(",", "")) for n in NUMBER.findall(GROWTH.sub(" ", DAY.sub(" ", text)))}


def _page_text(at: AppTest) -> str:
    parts = [
        shown(e.value)
        for kind in (at.title, at.header, at.subheader, at.markdown, at.caption, at.info, at.warning)
        for e in kind
    ]
    parts += [f"{m.label} {m.value} {m.delta or ''}" for m in at.metric]
    parts += [d.value.to_csv() for d in at.dataframe]
    for chart in at.get("plotly_chart"):
        for trace in json.loads(chart.proto.spec)["data"]:
            parts += [str(v) for key in ("y", "x", "text") for v in (trace.get(key) or []) if key != "x"]
    return " ".join(parts)


def _visit(page: str, as_of: str, view: str | None = None) -> AppTest:
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["as_of"] = as_of
    if view:
        at.query_params["view"] = view
    at.run()
    if page != "overview":
        at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("as_of", ["2024-05-29", "2025-12-08"])
def test_record_view_pages_hold_no_sample_value(page, as_of, sample_only, shipped):
    at = _visit(page, as_of)
    text = _page_text(at)
    leaked = _numbers(text) & sample_only
    assert not leaked, (page, sorted(leaked))
    assert not any(marker in text for marker in MARKERS), page
    for money in _illustrative_money(shipped, date.fromisoformat(as_of)):
        assert money not in text, (page, money)


@pytest.mark.parametrize("day", [BRUSSELS, LATEST])
def test_record_view_briefing_deck_and_pdf_hold_no_sample_value(day, sample_only, shipped):
    brief = briefing.build(shipped, day)
    assert not brief.illustrative
    deck = Presentation(io.BytesIO(deck_bytes(brief)))
    texts = []
    for slide in deck.slides:
        texts += [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        texts.append(slide.notes_slide.notes_text_frame.text)
        for shape in slide.shapes:
            if shape.has_chart:
                texts += [str(v) for s in shape.chart.plots[0].series for v in s.values if v is not None]
    deck_text = " ".join(texts)
    # What a reader of the PDF sees: the text, not Plotly's code or layout (chart values: the deck's)
    html = re.sub(r"<(script|style)\b.*?</\1>|<[^>]+>", " ", brief_html(brief), flags=re.S)
    for what, text in (("deck", deck_text), ("pdf", html)):
        leaked = _numbers(text) & sample_only
        assert not leaked, (what, sorted(leaked))
        assert not any(marker in text for marker in MARKERS), what


@pytest.mark.parametrize("day", [BRUSSELS, LATEST])
def test_record_view_data_package_holds_no_sample_value(day, sample_only, shipped):
    """The default view's "Download all public data": published and official data only."""
    import zipfile
    from datetime import UTC, datetime

    from mandate_metrics.exports.package import public_data_zip

    created = datetime(2026, 1, 1, tzinfo=UTC)  # a fixed time: its minutes are not a count
    data = public_data_zip(shipped, "public", "Undisclosed", day, "record", created=created)
    archive = zipfile.ZipFile(io.BytesIO(data))
    texts = {name: archive.read(name).decode("utf-8") for name in archive.namelist()}
    assert not {"data/requests_by_region.csv", "data/jurisdictions.csv"} & set(texts)
    leaked = {name: _numbers(text) & sample_only for name, text in texts.items()}
    assert not any(leaked.values()), leaked
    budget = shipped.frame("budget")
    invented = set(budget.loc[budget["requirement_status"] == "illustrative", "requirement_usd"].astype(int))
    given = shipped.frame("contributions")
    invented |= set(given.loc[given["status"] == "illustrative", "contribution_id"])
    assert not {str(v) for v in invented} & {w for text in texts.values() for w in re.split(r"[,\n]", text)}
    for name, text in texts.items():
        if name.endswith(".csv"):
            assert set(pd.read_csv(io.StringIO(text))["Illustrative"]) == {"no"}, name


def test_sample_view_marks_every_title_and_sentence_stating_a_sample_number(sample_only):
    for page in ("overview", "requests_investigations", "jurisdictions", "funding_donors"):
        at = _visit(page, "2025-12-08", view="sample")
        statements = [s.value for s in at.subheader] + [m.value for m in at.markdown if len(m.value) > 40]
        for text in statements:
            if _numbers(text) & sample_only:
                assert "Illustrative" in text, (page, text)


def test_sample_briefing_marks_every_takeaway_stating_a_sample_number(shipped, sample_only):
    for day in (BRUSSELS, LATEST):
        brief = briefing.build(shipped, day, view="ledger")
        for slide in brief.slides:
            if _numbers(slide.takeaway) & sample_only:
                assert slide.takeaway.startswith("Illustrative: "), slide.takeaway
            if slide.illustrative:
                assert brief.illustrative


def test_record_funding_lists_every_public_donor_with_original_and_usd(shipped):
    at = _visit("funding_donors", "2025-12-08")
    at.segmented_control(key="published_contributions_view").set_value("Table").run()
    table = next(d.value for d in at.dataframe if "USD (derived)" in d.value.columns)
    donors = set(table["Donor"])
    for donor in ("Finland", "Sweden", "Qatar", "Germany", "Belgium", "Liechtenstein", "Luxembourg"):
        assert donor in donors
    assert not any(d.startswith("Member State") for d in donors)  # no placeholder donor in the record
    b8 = table[table["Kind"] == "Statement of support"]
    assert set(b8["Donor"]) == {"European Union", "Belgium", "Liechtenstein", "Luxembourg", "Switzerland"}
    assert set(b8["Amount"]) == {"not stated"}
    sweden = table[(table["Donor"] == "Sweden") & table["Amount"].str.startswith("SEK")].iloc[0]
    assert sweden["Provenance"] == "derived" and "ECB" in sweden["USD conversion"]
    text = _page_text(at)
    assert "$17.8M" in text and "88 against" in text and "Additional funding is needed" in text


def test_public_disclosure_still_holds_in_the_record(shipped):
    # the record view draws no jurisdiction at all; the rule is unchanged for the sample view
    assert disclosure.SUPPRESSED == "withheld"
    at = _visit("jurisdictions", "2025-12-08")
    assert not any("Jurisdiction " in str(d.value.to_csv()) for d in at.dataframe)


def test_a_figure_leaves_the_store_unchanged(tmp_path: Path):
    store = LocalStore(tmp_path / "s")
    loading.load_from_store(store, DATA_DIR)
    before = store.pointers()
    PublishedRecord(store.read("published_figures")).figure("requests_received", LATEST)
    assert store.pointers() == before


def test_a_store_from_an_older_release_loads_and_takes_the_new_shipped_figures(tmp_path):
    store = LocalStore(tmp_path / "store")
    old = loading.read_table(DATA_DIR / "published_figures.csv", "published_figures")
    old = old.drop(columns=["occasion"]).head(40)  # a release before the column and these rows
    store.publish("published_figures", old, by="seed", note="shipped data", mode="seed")
    milestones = loading.read_table(DATA_DIR / "milestones.csv", "milestones").drop(columns=["topic"])
    store.publish("milestones", milestones, by="ana", note="staff's own", declared="official")
    messages = loading.read_table(DATA_DIR / "messages.csv", "messages")
    messages = messages.drop(columns=["amount", "currency", "year"])  # before the appeal's columns
    store.publish("messages", messages, by="ana", note="staff's own", declared="official")
    data = loading.load_from_store(store, DATA_DIR)  # no error: old versions read under today's schema
    assert len(data.frame("published_figures")) == 61  # the shipped update reached the seeded dataset
    assert store.current("published_figures").mode == "shipped"
    assert store.current("milestones").by == "ana"  # a staff version is never replaced
    assert set(data.frame("milestones")["topic"]) == {"institution"}
    assert data.frame("messages")[["amount", "currency", "year"]].isna().all().all()


def test_a_takeaway_that_opens_on_a_bound_reads_as_a_sentence():
    from mandate_metrics import narrative

    record = PublishedRecord(loading.read_table(DATA_DIR / "published_figures.csv", "published_figures"))
    sentence = narrative.figure_sentence(
        "brief.headline.takeaway", record.figure("requests_received", LATEST), "", "en"
    )
    assert sentence.startswith("More than 530 requests")


def test_a_charts_table_and_download_hold_the_published_marks_drawn_on_it(shipped):
    at = _visit("requests_investigations", "2025-12-08", "sample")
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    marked = sorted(
        v
        for trace in chart["data"]
        if str(trace.get("meta", "")).startswith("published:")
        for v in trace["y"]
    )
    assert marked  # the sample's lines carry the published figures as marks
    at.segmented_control(key="cumulative_view").set_value("Table").run()
    table = next(d.value for d in at.dataframe if "Provenance" in d.value.columns)
    assert sorted(table.loc[table["Provenance"] == "published", "Value"]) == marked
    assert {"published", "illustrative"} <= set(table["Provenance"])
