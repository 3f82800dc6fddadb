"""The metric definitions of DESIGN.md, on tiny ledgers whose answers can be checked by hand."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from mandate_metrics.figures import metrics

ROWS = [
    # received,    status,        status_on,    jurisdiction, investigation
    ("2019-01-10", "supported", "2019-02-01", "J1", "I1"),
    ("2019-03-01", "supported", "2019-06-01", "J1", "I1"),  # second request, same investigation
    ("2019-04-01", "declined", "2019-05-01", "J2", "I2"),
    ("2020-01-15", "supported", "2020-03-01", "J2", "I3"),  # supported after the 2020-02-01 cut-off
    ("2020-02-20", "under_review", "2020-02-25", "J3", "I4"),
]


@pytest.fixture
def requests(ledger):
    return ledger(ROWS)


def test_received_and_supported_are_different_counts(requests):
    head = metrics.headline(requests, date(2020, 12, 31))
    assert head.requests_received == 5
    assert head.requests_supported == 3
    assert head.support_rate == pytest.approx(0.6)


def test_two_investigation_series_are_counted_apart(requests):
    head = metrics.headline(requests, date(2020, 12, 31))
    assert head.investigations_related == 4  # I1..I4 among requests received
    assert head.investigations_supported == 2  # I1 and I3 among requests supported
    assert head.requesting_jurisdictions == 3


def test_request_supported_after_the_as_of_date_is_not_yet_supported(requests):
    head = metrics.headline(requests, date(2020, 2, 1))
    assert head.requests_received == 4
    assert head.requests_supported == 2  # the 2020-01-15 request is supported only on 2020-03-01
    assert head.investigations_supported == 1
    assert head.investigations_related == 3


def test_cut_off_includes_the_as_of_day_itself(requests):
    assert metrics.headline(requests, date(2019, 2, 1)).requests_supported == 1
    assert metrics.headline(requests, date(2019, 1, 31)).requests_supported == 0
    assert metrics.headline(requests, date(2019, 1, 10)).requests_received == 1


def test_status_before_it_is_reached_is_received(requests):
    statuses = metrics.status_as_of(requests, date(2019, 4, 15))
    assert list(statuses[:3]) == ["supported", "received", "received"]


def test_empty_ledger_gives_zeros_and_no_rate(ledger):
    head = metrics.headline(ledger([]), date(2024, 5, 29))
    assert [head.value(m) for m in metrics.LEDGER_METRICS] == [0, 0, 0, 0, 0]
    assert head.support_rate is None
    assert metrics.cumulative_series(ledger([]), date(2024, 5, 29)).empty
    assert metrics.median_days_to_decision(ledger([]), date(2024, 5, 29)) is None


def test_as_of_before_2018_gives_nothing(requests, shipped):
    for frame in (requests, shipped.frame("requests")):
        head = metrics.headline(frame, date(2017, 6, 1))
        assert head.requests_received == 0
        assert metrics.requests_per_year(frame, date(2017, 6, 1)).empty


def test_change_over_year(requests):
    change = metrics.change_over_year(requests, date(2020, 3, 1))
    # after 2019-03-01 (that day counts as "then"): 2019-04-01, 2020-01-15 and 2020-02-20
    assert change["requests_received"] == 3
    assert change["requests_supported"] == 2  # 2019-06-01 and 2020-03-01 fall inside the year


def test_year_before_handles_leap_day():
    assert metrics.year_before(date(2024, 2, 29)) == date(2023, 2, 28)


def test_median_days_to_decision_counts_supported_and_declined_only(requests):
    # decisions by 2019-12-31: 22 days, 92 days (supported), 30 days (declined) -> median 30
    assert metrics.median_days_to_decision(requests, date(2019, 12, 31)) == 30


def test_count_by_status_uses_the_status_on_the_day(requests):
    counts = metrics.count_by(requests, date(2020, 2, 21), "status")
    assert dict(zip(counts["status"], counts["requests"], strict=True)) == {
        "supported": 2,
        "received": 2,
        "declined": 1,
    }


def test_requests_per_year_flags_the_year_to_date(requests):
    per_year = metrics.requests_per_year(requests, date(2020, 2, 21))
    assert per_year.to_dict("list") == {
        "year": [2019, 2020],
        "requests_received": [3, 2],
        "year_to_date": [False, True],
    }


def test_cumulative_series_ends_on_the_as_of_day(requests):
    series = metrics.cumulative_series(requests, date(2020, 2, 21))
    assert series.iloc[-1]["date"] == pd.Timestamp("2020-02-21")
    assert series.iloc[-1]["requests_received"] == 5
    assert series["requests_received"].is_monotonic_increasing


def test_investigations_by_stage_counts_stage_reached_by_the_date(requests):
    investigations = pd.DataFrame(
        {
            "investigation_id": ["I1", "I2", "I3", "I4"],
            "jurisdiction_id": ["J1", "J2", "J2", "J3"],
            "stage": ["trial", "closed", "prosecution", "investigation"],
            "stage_on": pd.to_datetime(["2019-06-01", "2021-01-01", "2020-01-20", "2020-02-20"]),
        }
    )
    stages = metrics.investigations_by_stage(investigations, requests, date(2020, 1, 31))
    # I4's request arrives after the date; I2 closes only in 2021, so it is still under investigation.
    assert dict(zip(stages["stage"], stages["investigations"], strict=True)) == {
        "investigation": 1,
        "prosecution": 1,
        "trial": 1,
        "judgment": 0,
        "closed": 0,
    }


def test_by_jurisdiction_and_region(requests):
    jurisdictions = pd.DataFrame(
        {
            "jurisdiction_id": ["J1", "J2", "J3", "J4"],
            "name": ["A", "B", "C", "D"],
            "kind": ["national"] * 4,
            "region": ["Europe", "Europe", "Asia", "Asia"],
            "iso3": [None] * 4,
            "disclose_name": [True, False, True, True],
        }
    )
    per = metrics.by_jurisdiction(requests, jurisdictions, date(2020, 12, 31))
    assert per["jurisdiction_id"].tolist() == ["J1", "J2", "J3"]  # J4 sent nothing
    assert per["requests_received"].tolist() == [2, 2, 1]
    regions = metrics.by_region(requests, jurisdictions, date(2020, 12, 31))
    assert regions.to_dict("list")["requests_received"] == [4, 1]


def test_reconcile_treats_lower_bounds_as_lower_bounds(requests):
    published = pd.DataFrame(
        {
            "metric": ["requests_received", "requests_received", "requests_supported"],
            "as_of": pd.to_datetime(["2020-12-31", "2020-12-31", "2020-12-31"]),
            "as_of_precision": ["day", "day", "day"],
            "value": [4.0, 5.0, 3.0],
            "qualifier": ["lower_bound", "lower_bound", "exact"],
        }
    )
    assert metrics.reconcile(published, requests)["consistent"].tolist() == [True, False, True]


def test_cumulative_series_equals_the_headline_definition_at_every_point(shipped):
    requests = shipped.frame("requests")
    series = metrics.cumulative_series(requests, date(2025, 12, 8))
    for row in series.itertuples():
        head = metrics.headline(requests, row.date.date())
        assert [getattr(row, m) for m in metrics.LEDGER_METRICS] == [
            head.value(m) for m in metrics.LEDGER_METRICS
        ]


def test_the_ledger_index_gives_the_headline_definition_on_any_day(shipped):
    requests = shipped.frame("requests")
    index = metrics.LedgerIndex.of(requests)
    days = [date(2017, 1, 1), date(2018, 7, 22), date(2020, 2, 29), date(2024, 5, 29), date(2025, 12, 8)]
    days += [d.date() for d in requests["status_on"].iloc[::37]]  # on a status change, not only month ends
    for day in days:
        assert index.headline(day) == metrics.headline(requests, day), day
        now, then = metrics.headline(requests, day), metrics.headline(requests, metrics.year_before(day))
        assert index.change_over_year(day) == {
            m: now.value(m) - then.value(m) for m in metrics.LEDGER_METRICS
        }


def test_member_agrees_with_isin_on_text_numbers_and_missing_values():
    from mandate_metrics.frames import member

    text = pd.Series(["INV-1", "INV-2", None, "INV-3", "inv-1"], dtype="str")
    assert member(text, pd.Series(["INV-1", "INV-3", None], dtype="str")).tolist() == [1, 0, 0, 1, 0]
    assert member(text, ["INV-2"]).tolist() == text.isin(["INV-2"]).tolist()
    assert member(pd.Series([2016, 2024]), {2024}).tolist() == [False, True]
    assert member(pd.Series([], dtype="str"), ["x"]).tolist() == []


@pytest.mark.parametrize("dtype", ["str", "string[pyarrow]", "object"])
def test_repeated_agrees_with_duplicated_and_never_counts_missing_values(dtype):
    from mandate_metrics.frames import repeated

    ids = pd.Series(["R-1", "R-2", None, "R-1", None, "r-2", "R-1"], dtype=dtype)
    assert repeated(ids).tolist() == [True, False, False, True, False, False, True]
    assert repeated(ids).tolist() == (ids.duplicated(keep=False) & ids.notna()).tolist()
    assert repeated(pd.Series([2020, 2021, 2020])).tolist() == [True, False, True]
    assert repeated(pd.Series(["a", "b"], dtype=dtype)).tolist() == [False, False]
    assert repeated(pd.Series([], dtype=dtype)).tolist() == []
