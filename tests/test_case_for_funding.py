"""The appeal from the public record: growth between published figures, honest dates, an ask with a number."""

from __future__ import annotations

import html
import re
from datetime import date

import pandas as pd
import pytest

from mandate_metrics import briefing
from mandate_metrics.figures import case

DAYS = [date(2024, 5, 29), date(2025, 4, 29), date(2025, 12, 8)]
HOW = re.compile(
    r"\((?P<a>[\d,]+) on (?P<a_on>[^→]+?) → (?P<more>more than )?(?P<b>[\d,]+) on (?P<b_on>[^)]+)\)"
)
RATE = re.compile(r"^(?P<bound>at least )?\+(?P<pct>\d+)%$")


def _slide(brief: briefing.Briefing, key: str) -> briefing.Slide:
    return next(s for s in brief.slides if s.key == key)


def _published(shipped, measure: str, value: float, on: str) -> bool:
    rows = shipped.frame("published_figures")
    day = pd.Timestamp(on)
    return bool(((rows["metric"] == measure) & (rows["value"] == value) & (rows["as_of"] == day)).any())


@pytest.mark.parametrize("day", DAYS)
def test_the_case_states_growth_that_is_arithmetic_on_two_named_published_figures(shipped, day):
    case_slide = _slide(briefing.build(shipped, day), "case")
    growths = [f for f in case_slide.figures if "growth since" in f[0]]
    assert len(growths) >= 2, case_slide.figures
    for (label, value, how), measure in zip(growths, case.CASE_MEASURES, strict=True):
        named = HOW.search(how)
        assert named, how
        before, after = (float(named[k].replace(",", "")) for k in ("a", "b"))
        shown = RATE.match(value)
        assert shown, value
        assert int(shown["pct"]) == round((after - before) / before * 100)
        assert bool(shown["bound"]) == bool(named["more"])  # "more than 530" gives "at least"
        for number, on in ((before, named["a_on"]), (after, named["b_on"])):
            assert _published(shipped, measure, number, on), (measure, number, on)
        assert named["a_on"] in label
    assert case_slide.takeaway.startswith("Demand for the IIIM's support keeps growing")
    assert not case_slide.illustrative


@pytest.mark.parametrize("day", DAYS)
def test_the_case_is_the_same_in_the_sample_view_nothing_rests_on_the_sample(shipped, day):
    record = _slide(briefing.build(shipped, day), "case")
    sample = _slide(briefing.build(shipped, day, view="ledger"), "case")
    assert sample.figures == record.figures and not sample.illustrative


@pytest.mark.parametrize("day", DAYS)
def test_the_ask_carries_a_number_without_an_appeal_on_record(shipped, day):
    ask = _slide(briefing.build(shipped, day), "ask")
    body = " ".join(v for _, v, _ in ask.figures)
    assert re.search(r"\d", body), ask
    assert ask.quote is not None and "Robert Petit" in ask.quote[1]  # beside the Head's own words


@pytest.mark.parametrize("day", [*DAYS, date(2019, 6, 1), date(2021, 1, 1)])
def test_no_funding_headline_is_older_than_two_years_unless_its_label_says_when(shipped, day):
    for key in ("funding", "case"):
        slide = _slide(briefing.build(shipped, day), key)
        for label, value, provenance in slide.figures:
            if "$" not in value:
                continue
            published = re.search(r"Published (.+?):", provenance)
            assert published, provenance
            when = pd.Timestamp(published[1])  # "December 2019" reads as the month's first day
            old = (pd.Timestamp(day) - when).days > case.HEADLINE_DAYS
            assert not old or published[1] in label, (day, key, label, provenance)


def test_old_funding_figures_are_listed_newest_first_at_most_four(shipped):
    funding = _slide(briefing.build(shipped, date(2024, 5, 29)), "funding")
    assert not funding.figures  # $7.6M of January 2018 is no headline in May 2024
    assert funding.list_title == "The most recent published funding figures:"
    assert 0 < len(funding.bullets) <= briefing.MOST_RECENT_LISTED
    assert funding.bullets[0].startswith("Regular budget approved for 2020")
    early = _slide(briefing.build(shipped, date(2019, 6, 1)), "funding")
    assert [label for label, _, _ in early.figures] == ["Voluntary funds received"]  # 16 months old
    assert early.takeaway.startswith("Funded by voluntary contributions")  # not yet on the regular budget


def test_a_growth_never_rests_on_an_approximate_latest_figure_or_a_secondary_base_when_a_primary_exists():
    rows = pd.DataFrame(
        {
            "figure_id": ["a", "b", "c", "d"],
            "metric": "requests_received",
            "as_of": pd.to_datetime(["2023-04-01", "2023-05-03", "2024-05-01", "2025-05-01"]),
            "as_of_precision": "day",
            "value": [100.0, 150.0, 200.0, 300.0],
            "qualifier": ["exact", "exact", "exact", "approx"],
            "source_type": ["primary", "secondary", "primary", "primary"],
            "source_title": "s",
            "source_url": None,
        }
    )
    assert case.growth(rows, "requests_received", date(2025, 6, 1)) is None  # "about 300"
    found = case.growth(rows, "requests_received", date(2024, 6, 1))
    assert found is not None and found.before.value == 100.0  # the primary one, not the secondary
    assert round(found.rate, 2) == 1.0


def test_the_last_slide_names_the_most_cited_sources_at_most_eight_and_the_pdf_all(shipped):
    from mandate_metrics.exports.pdf import brief_html

    brief = briefing.build(shipped, date(2025, 12, 8))
    last = brief.slides[-1]
    cited = [s for slide in brief.slides[:-1] for s in dict.fromkeys(slide.sources)]
    counts = {s: cited.count(s) for s in cited}
    assert len(last.bullets) == min(briefing.SOURCES_SHOWN, len(counts))
    assert set(last.sources) == set(counts) and last.bullets == last.sources[: len(last.bullets)]
    shown = [counts[s] for s in last.bullets]
    assert shown == sorted(shown, reverse=True)  # most cited first
    assert min(shown) >= max([counts[s] for s in last.sources[len(last.bullets) :]], default=0)
    assert not last.link  # no public address configured: the page is named, no QR code
    page = brief_html(brief)
    assert all(html.escape(s) in page for s in last.sources)  # the PDF keeps them all


def test_with_a_public_address_the_slide_deck_and_pdf_carry_the_sources_page_and_its_qr_code(shipped):
    import io

    from pptx import Presentation

    from mandate_metrics.exports import qr
    from mandate_metrics.exports.deck import deck_bytes
    from mandate_metrics.exports.pdf import brief_html

    brief = briefing.build(shipped, date(2025, 12, 8), public_url="https://metrics.example.org")
    assert brief.slides[-1].link == "https://metrics.example.org/sources"
    last = Presentation(io.BytesIO(deck_bytes(brief))).slides[-1]
    pictures = [s for s in last.shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
    assert [p.image.blob for p in pictures] == [qr.png("https://metrics.example.org/sources")]
    texts = " ".join(s.text_frame.text for s in last.shapes if s.has_text_frame)
    assert "Every source: metrics.example.org/sources" in texts
    page = brief_html(brief)
    assert "<svg" in page and "Every source: metrics.example.org/sources" in page


def test_a_public_address_that_is_not_one_is_refused_with_its_name(monkeypatch):
    from mandate_metrics.config import ConfigError, load_config

    monkeypatch.setenv("MANDATE_METRICS_PUBLIC_URL", "metrics.example.org")
    with pytest.raises(ConfigError, match="MANDATE_METRICS_PUBLIC_URL"):
        load_config()
    monkeypatch.setenv("MANDATE_METRICS_PUBLIC_URL", "https://metrics.example.org/")
    assert load_config().public_url == "https://metrics.example.org"


@pytest.mark.parametrize("view", ["record", "ledger"])
def test_arabic_money_names_its_currency_in_words_everywhere(shipped, view):
    import io

    from pptx import Presentation

    from mandate_metrics.exports.deck import deck_bytes
    from mandate_metrics.exports.pdf import brief_html
    from mandate_metrics.i18n import fmt_money, fmt_usd

    assert fmt_usd(17_810_000, "ar") == "17.8\xa0مليون دولار أمريكي"
    assert fmt_money(3_500_000, "SEK", "ar") == "3.5\xa0مليون كرونة سويدية"
    brief = briefing.build(shipped, date(2025, 12, 8), locale="ar", view=view)
    deck = Presentation(io.BytesIO(deck_bytes(brief, "ar")))
    texts = [s.text_frame.text for slide in deck.slides for s in slide.shapes if s.has_text_frame]
    shown = " ".join([*texts, brief_html(brief, "ar")] + [v for s in brief.slides for _, v, _ in s.figures])
    assert "دولار أمريكي" in shown
    assert "US$" not in shown and "$US" not in shown


def test_an_english_quote_stays_whole_in_arabic_and_its_speaker_is_named_in_arabic(shipped):
    english = _slide(briefing.build(shipped, DAYS[0]), "ask").quote
    arabic = _slide(briefing.build(shipped, DAYS[0], locale="ar"), "ask").quote
    assert english is not None and arabic is not None
    assert english[0].startswith("“Justice") and english[0].endswith("”")
    # marks inside the isolate: they stay at the ends of the English words, not of the Arabic line
    assert arabic[0] == f"\u2068{english[0]}\u2069"
    assert arabic[1].startswith("\u2068روبير بيتي، رئيس الآلية\u2069، 29 أيار/مايو 2024")
