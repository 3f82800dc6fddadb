"""Funding definitions: gap, coverage, pledges never counted as funded, conversions never silent."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from mandate_metrics.figures import funding
from mandate_metrics.schemas import Budget, Contributions


def _budget(rows):
    return Budget.validate(
        pd.DataFrame(
            rows,
            columns=list(Budget.to_schema().columns),
        )
    )


def _contributions(rows):
    frame = pd.DataFrame(
        rows, columns=["contribution_id", "donor", "year", "kind", "amount_usd", "date", "status"]
    )
    frame["donor_type"] = "member_state"
    frame["donor_code"] = None
    frame["amount"] = frame["amount_usd"].fillna(100.0)
    frame["currency"] = "USD"
    frame["usd_rate_note"] = None
    frame["date_precision"] = "day"
    frame["source_title"] = None
    frame["source_url"] = None
    return Contributions.validate(frame[list(Contributions.to_schema().columns)])


@pytest.fixture
def budget():
    return _budget(
        [
            (2023, 100.0, "published", 60.0, "published", None, None, None),
            (2024, 200.0, "illustrative", 120.0, "published", None, None, None),
        ]
    )


@pytest.fixture
def contributions():
    return _contributions(
        [
            ("c1", "A", 2023, "payment", 30.0, "2023-03-01", "published"),
            ("c2", "A", 2023, "pledge", 50.0, "2023-01-01", "published"),  # 20 pledged beyond what A paid
            ("c3", "B", 2024, "pledge", 40.0, "2024-02-01", "published"),  # never paid
            ("c4", "B", 2024, "payment", 10.0, "2024-09-01", "illustrative"),  # after the mid-2024 cut-off
            ("c5", "C", 2024, "payment", None, "2024-01-01", "published"),  # no USD conversion
        ]
    )


def test_gap_and_coverage(budget, contributions):
    years = funding.funding_by_year(budget, contributions, date(2024, 12, 31)).set_index("year")
    assert years.loc[2023, "funded_usd"] == 90.0
    assert years.loc[2023, "gap_usd"] == 10.0
    assert years.loc[2023, "coverage"] == pytest.approx(0.9)
    assert years.loc[2024, "voluntary_paid_usd"] == 10.0
    assert years.loc[2024, "gap_usd"] == 70.0


def test_pledges_are_never_counted_as_funded(budget, contributions):
    years = funding.funding_by_year(budget, contributions, date(2024, 6, 30)).set_index("year")
    assert years.loc[2024, "voluntary_paid_usd"] == 0.0  # B pledged 40 but paid nothing by June
    assert years.loc[2024, "funded_usd"] == 120.0
    assert years.loc[2024, "pledged_unpaid_usd"] == 40.0
    assert years.loc[2023, "pledged_unpaid_usd"] == 20.0


def test_only_years_up_to_the_as_of_year(budget, contributions):
    years = funding.funding_by_year(budget, contributions, date(2023, 12, 31))
    assert years["year"].tolist() == [2023]
    assert years["year_to_date"].tolist() == [True]


def test_illustrative_flag_follows_any_illustrative_input(budget, contributions):
    years = funding.funding_by_year(budget, contributions, date(2024, 12, 31)).set_index("year")
    assert not years.loc[2023, "illustrative"]
    assert years.loc[2024, "illustrative"]


def test_unconverted_contributions_are_reported_not_dropped(contributions):
    missing = funding.not_converted(contributions, date(2024, 12, 31))
    assert missing["contribution_id"].tolist() == ["c5"]


def test_donors_ranked_by_payments_with_shares(contributions):
    ranked = funding.donors_ranked(contributions, date(2024, 12, 31))
    assert ranked["donor"].tolist()[:2] == ["A", "B"]
    assert ranked["share"].tolist()[:2] == pytest.approx([0.75, 0.25])
    assert ranked.set_index("donor").loc["B", "pledged_unpaid_usd"] == 30.0


def test_donors_per_year_and_empty_cases(contributions):
    assert funding.donors_per_year(contributions, date(2024, 12, 31))["donors"].tolist() == [
        1,
        2,
    ]  # A in 2023; B and C in 2024
    assert funding.donors_ranked(contributions, date(2020, 1, 1)).empty
    assert funding.latest_year(funding.funding_by_year(_budget([]), contributions, date(2024, 1, 1))) is None


def test_shipped_funding_keeps_the_published_2020_appropriation(shipped):
    years = funding.funding_by_year(
        shipped.frame("budget"), shipped.frame("contributions"), date(2025, 12, 8)
    )
    row = years.set_index("year").loc[2020]
    assert row["regular_budget_usd"] == 17_810_000
    assert years["year"].max() == 2025
