"""Charts print every value (no hover-only numbers), keep measures apart, and flag illustrative data."""

from __future__ import annotations

from datetime import date

from mandate_metrics import charts, narrative, palette
from mandate_metrics.figures import funding
from mandate_metrics.figures.record import LedgerEvidence, PublishedRecord


def test_bars_print_every_value():
    fig = charts.bars(["a", "b"], [1200, 3])
    assert list(fig.data[0].text) == ["1,200", "3"]


def test_over_time_draws_published_points_with_a_dotted_line_on_a_time_axis(shipped):
    record = PublishedRecord(shipped.frame("published_figures"))
    lines = [(m, record.series(m, date(2024, 5, 29))) for m in ("requests_received", "requests_supported")]
    fig = charts.over_time(lines)
    received = next(trace for trace in fig.data if trace.meta == "requests_received")
    assert list(received.y) == [15, 23, 100, 280, 367, 375]
    assert received.line.dash == "dot" and "markers" in received.mode  # visibly observations
    assert list(received.text) == ["15", "23", "100", "280", "367", "375"]
    assert received.customdata[-1][0] == "29 May 2024"  # the date in words, as the page writes it
    assert "IIIM press release, 29 May 2024" in received.customdata[-1][1]  # the source on hover
    assert fig.layout.xaxis.type == "date"


def test_over_time_marks_the_published_figures_on_a_ledger(shipped):
    ledger = LedgerEvidence(
        shipped.frame("requests"), shipped.frame("published_figures"), "illustrative", "v1"
    )
    record = PublishedRecord(shipped.frame("published_figures"))
    day = date(2025, 12, 8)
    measures = ("investigations_related", "investigations_supported")
    fig = charts.over_time(
        [(m, ledger.series(m, day)) for m in measures], [(m, record.series(m, day)) for m in measures]
    )
    names = [trace.name for trace in fig.data if trace.mode == "lines"]
    assert names == ["Investigations related to requests", "Investigations supported"]  # never one line
    marks = next(trace for trace in fig.data if trace.meta == "published:investigations_supported")
    assert sorted(marks.y) == [138, 143, 185, 192, 256]


def test_funding_chart_hatches_illustrative_years(shipped):
    years = funding.funding_by_year(
        shipped.frame("budget"), shipped.frame("contributions"), date(2025, 12, 8)
    )
    fig = charts.funding(years)
    requirement, regular, voluntary = (list(trace.marker.pattern.shape) for trace in fig.data)
    assert requirement[:2] == ["", charts.ILLUSTRATIVE_PATTERN]  # 2018 estimate published, 2019 not
    assert regular[:3] == ["", "", ""]  # no regular budget before 2020; 2020 appropriation published
    assert regular[3] == charts.ILLUSTRATIVE_PATTERN
    assert voluntary[0] == charts.ILLUSTRATIVE_PATTERN  # 2018 payments come from placeholder donors
    assert all(text for text in fig.data[0].text)
    # the marking is also in words on each value, never in the hatching alone (WCAG 1.4.1)
    for trace in fig.data:
        for text, shape in zip(trace.text, trace.marker.pattern.shape, strict=True):
            if text:
                assert text.endswith(charts.STAR) == (shape == charts.ILLUSTRATIVE_PATTERN), text


def test_palette_is_okabe_ito():
    assert palette.PALETTE[:3] == ("#0072B2", "#E69F00", "#009E73")


def test_headline_sentence_gives_each_published_figure_its_own_date(shipped):
    record = PublishedRecord(shipped.frame("published_figures"))
    day = date(2025, 12, 8)
    figures = {m: record.figure(m, day) for m in ("requests_received", "requests_supported")}
    sentence = narrative.figures_paragraph(figures)
    assert sentence == (
        "Latest published figures: more than 530 requests for assistance received (8 December 2025); "
        "261 requests supported (29 May 2024)."
    )


def test_a_sentence_with_a_sample_value_is_marked_inside_the_text(shipped):
    ledger = LedgerEvidence(
        shipped.frame("requests"), shipped.frame("published_figures"), "illustrative", "v1"
    )
    day = date(2025, 12, 8)
    sentence = narrative.figures_paragraph({"requests_received": ledger.figure("requests_received", day)})
    assert sentence == "Illustrative: As of 8 December 2025: 534 requests for assistance received."


def test_text_from_data_is_inert_in_charts():
    evil = "<img src=x onerror=alert(1)>"
    fig = charts.bars([evil, "ok"], [3, 1], horizontal=True, texts=["<5", "1"])
    assert fig.data[0].y[0] == "&lt;img src=x onerror=alert(1)&gt;"
    assert fig.data[0].text[0] == "&lt;5"


def test_printed_values_meet_aa_contrast_in_every_measure_colour():
    for colour in palette.PALETTE[:6]:
        shade = palette.text_colour(colour)
        assert 1.05 / (palette._luminance(shade) + 0.05) >= 4.5, colour
    assert palette.text_colour("#0072B2") == "#0072B2"  # already dark enough: unchanged


def test_the_region_title_never_states_a_share_of_a_withheld_count():
    import pandas as pd

    from mandate_metrics import narrative
    from mandate_metrics.figures.disclosure import SUPPRESSED, drawn

    regions = pd.DataFrame({"region": ["Europe", "Asia"], "requests_received": [30, 10]})
    assert narrative.region_title(regions, 40) == "Europe accounts for 75% of requests received"
    withheld = regions.assign(requests_received=[SUPPRESSED, SUPPRESSED])
    assert narrative.region_title(withheld, 40) == "Requests received by region"
    assert drawn(withheld["requests_received"]) == [0, 0]


def test_charts_share_one_slim_theme():
    from mandate_metrics import charts as chart_builders

    fig = chart_builders.bars(["2023", "2024"], [3, 5])
    template = fig.layout.template
    assert template.layout.font.family == chart_builders.FONT and template.layout.plot_bgcolor == "white"
    assert set(template.data.to_plotly_json()) <= {"bar", "scatter"}  # not Plotly's 40 trace defaults
    assert fig.layout.height and fig.layout.margin.l is None  # per-figure: only what differs


def test_kind_bars_keep_kinds_apart_and_do_not_rank():
    rows = [("B · Pledge", "Pledge", 5.0), ("A · Payment", "Payment", 9.0), ("A · Pledge", "Pledge", 1.0)]
    fig = charts.kind_bars(rows, [("Payment", "#000"), ("Pledge", "#111")])
    assert fig.layout.barmode == "overlay"  # one bar per row: nothing stacked, nothing added up
    assert list(fig.layout.yaxis.categoryarray) == [r[0] for r in rows]  # drawn in the given order
    assert sorted(v for trace in fig.data for v in trace.x) == [1.0, 5.0, 9.0]
    assert [trace.type for trace in fig.data] == ["bar", "bar"]  # no total printed beside a bar


def test_a_chinese_money_axis_counts_in_wan_as_its_bars_do(shipped):
    years = funding.funding_by_year(
        shipped.frame("budget"), shipped.frame("contributions"), date(2025, 12, 8)
    )
    for build in (charts.funding, charts.pledges):
        chinese = build(years, "zh").layout.yaxis
        assert chinese.ticktext and all(text.startswith("US$") for text in chinese.ticktext)
        assert any("万" in text for text in chinese.ticktext) and not chinese.tickprefix
        assert list(chinese.tickvals) == sorted(chinese.tickvals) and chinese.tickvals[0] == 0
        labels = [text for trace in build(years, "zh").data for text in trace.text if text]
        assert labels and not any(text.startswith("US$") for text in labels)  # 2420万: the axis says US$
        english = build(years, "en").layout.yaxis
        assert english.tickprefix == "$" and english.tickformat == "~s" and english.ticktext is None
