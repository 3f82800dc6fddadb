"""Charts print every value (no hover-only numbers), keep measures apart, and flag illustrative data."""

from __future__ import annotations

from datetime import date

from mandate_metrics import charts, funding, metrics, narrative, palette


def test_bars_print_every_value():
    fig = charts.bars(["a", "b"], [1200, 3])
    assert list(fig.data[0].text) == ["1,200", "3"]


def test_cumulative_keeps_each_measure_on_its_own_line_with_its_published_markers(shipped):
    requests, published = shipped.frame("requests"), shipped.frame("published_figures")
    series = metrics.cumulative_series(requests, date(2024, 5, 29))
    fig = charts.cumulative(series, published)
    lines = [trace for trace in fig.data if trace.mode == "lines"]
    assert [trace.name for trace in lines] == ["Requests received", "Requests supported"]
    received = next(trace for trace in fig.data if trace.meta == "requests_received")
    assert "375" in list(received.text) and "367" in list(received.text)
    assert "14" not in list(received.text)  # year-precise: no day to place it on
    assert all("2025" not in str(x) for x in received.x)  # nothing published after the as-of date


def test_investigation_series_never_share_a_line(shipped):
    series = metrics.cumulative_series(shipped.frame("requests"), date(2025, 12, 8))
    fig = charts.cumulative(
        series,
        shipped.frame("published_figures"),
        lines=(("investigations_related", palette.PURPLE), ("investigations_supported", palette.VERMILION)),
    )
    names = [trace.name for trace in fig.data if trace.mode == "lines"]
    assert names == ["Investigations related to requests", "Investigations supported"]
    supported_marks = next(trace for trace in fig.data if trace.meta == "investigations_supported")
    assert sorted(supported_marks.y) == [138, 185, 192, 256]


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


def test_palette_is_okabe_ito():
    assert palette.PALETTE[:3] == ("#0072B2", "#E69F00", "#009E73")


def test_overview_narrative_uses_the_figures(shipped):
    requests = shipped.frame("requests")
    head = metrics.headline(requests, date(2024, 5, 29))
    sentences = narrative.overview(head, metrics.change_over_year(requests, date(2024, 5, 29)), None)
    assert "received 375 requests" in sentences[0]
    assert "16 jurisdictions" in sentences[0] and "supported 261" in sentences[0]
    assert "192 distinct investigations supported" in sentences[0]


def test_narrative_carries_the_illustrative_warning_inside_the_text(shipped):
    requests = shipped.frame("requests")
    day = date(2025, 12, 8)
    years = funding.funding_by_year(shipped.frame("budget"), shipped.frame("contributions"), day)
    sentences = narrative.overview(
        metrics.headline(requests, day),
        metrics.change_over_year(requests, day),
        funding.latest_year(years),
        ledger_illustrative=True,
    )
    assert sentences[0].startswith("*Illustrative sample")
    assert "on illustrative budget figures" in sentences[-1]


def test_text_from_data_is_inert_in_charts():
    evil = "<img src=x onerror=alert(1)>"
    fig = charts.bars([evil, "ok"], [3, 1], horizontal=True, texts=["<5", "1"])
    assert fig.data[0].y[0] == "&lt;img src=x onerror=alert(1)&gt;"
    assert fig.data[0].text[0] == "&lt;5"
