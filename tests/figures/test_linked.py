"""Disclosure over time: the public tables at reference dates, protected together and audited.

The auditor solves, for every withheld cell, the lowest and highest value a reader could work out
from every public table at every reference date, the headline totals and cumulative counts. The
protection must leave every cell at least four possible values, never only counts of 1 to 4; the
old rule (each date on its own) must fail the same audit, or the audit proves nothing.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pandas as pd
import pytest

from mandate_metrics.figures import disclosure_audit, linked

UNDISCLOSED = "Undisclosed ({region})"


def _audit(tables: linked.LinkedTables, per_date: bool = False) -> list:
    grids = [tables.grids[c] for c in tables.grids]
    patterns = (
        [linked.each_date(g) for g in grids] if per_date else [tables.patterns[c] for c in tables.grids]
    )
    return disclosure_audit.audit(grids, patterns)


@pytest.fixture(scope="module")
def sample(shipped) -> linked.LinkedTables:
    return linked.of(shipped)


def test_the_shipped_sample_gives_no_withheld_cell_away_across_dates(sample):
    assert len(sample.dates) >= 10 and not _audit(sample)


def test_the_old_rule_each_date_on_its_own_fails_the_same_audit(sample):
    findings = _audit(sample, per_date=True)
    assert len(findings) > 20  # the audit can fail: it found what the adversarial review found
    assert any(f.low == f.high for _, f in findings)  # some cells solved exactly


def test_neighbouring_days_show_the_same_reference_tables(shipped):
    """The review's attack: 2019-05-19 then 2019-05-20 gave Jurisdiction G = 26 - 24 - 1."""
    before = linked.public_tables_at(shipped, date(2019, 5, 19), "public", UNDISCLOSED)
    after = linked.public_tables_at(shipped, date(2019, 5, 20), "public", UNDISCLOSED)
    assert before.shown_for == after.shown_for
    if before.shown_for is not None:
        assert before.tables.jurisdictions.equals(after.tables.jurisdictions)
        assert before.tables.regions.equals(after.tables.regions)


def test_staff_still_see_the_exact_tables_of_any_day(shipped):
    found = linked.public_tables_at(shipped, date(2024, 5, 29), "staff", UNDISCLOSED)
    assert found.shown_for == date(2024, 5, 29)
    assert disclosure_audit.SMALL.start <= found.tables.jurisdictions["requests_received"].min()


def test_every_public_count_is_a_number_or_withheld_and_adds_up_where_shown(shipped, sample):
    for day in sample.dates:
        tables = sample.at(day, UNDISCLOSED)
        for column in ("requests_received", "requests_supported", "investigations_related"):
            cells = list(tables.jurisdictions[column]) + list(tables.regions[column])
            assert all(c == "withheld" or (c.isdigit() and not 1 <= int(c) <= 4) for c in cells), (
                day,
                column,
            )


def _hard_ledger(seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Many small jurisdictions in a few regions, requests spread over six years: hard to protect."""
    rng = random.Random(seed)
    regions = ["Europe", "Africa", "Asia-Pacific", "Americas", "International"]
    jurisdictions = pd.DataFrame(
        {
            "jurisdiction_id": [f"J{i:02d}" for i in range(30)],
            "name": [f"Place {i}" for i in range(30)],
            "kind": "national",
            "region": [regions[i % len(regions)] if i < 25 else rng.choice(regions) for i in range(30)],
            "iso3": None,
            "disclose_name": [i % 3 != 0 for i in range(30)],
        }
    )
    rows = []
    for i in range(30):
        for n in range(rng.choice([1, 2, 3, 4, 6, 9, 14, 25])):
            received = date(2019, 1, 1) + timedelta(days=rng.randrange(6 * 365))
            supported = rng.random() < 0.6
            rows.append(
                {
                    "request_id": f"R{i}-{n}",
                    "received_on": pd.Timestamp(received),
                    "jurisdiction_id": f"J{i:02d}",
                    "assistance_type": "evidence_sharing",
                    "status": "supported" if supported else "received",
                    "status_on": pd.Timestamp(received + timedelta(days=rng.randrange(1, 200))),
                    "investigation_id": f"I{i}-{n % 4}",
                }
            )
    return pd.DataFrame(rows), jurisdictions


def test_a_ledger_built_to_be_hard_is_protected_too():
    requests, jurisdictions = _hard_ledger()
    presented = [date(2021, 6, 1), date(2023, 3, 15), date(2024, 5, 29)]
    tables = linked.linked_tables(requests, jurisdictions, presented)
    assert len(tables.dates) >= 5
    assert not _audit(tables)
    assert _audit(tables, per_date=True)  # and the old rule would have given cells away there too
