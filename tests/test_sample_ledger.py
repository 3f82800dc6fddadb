"""The illustrative ledger reconciles with every published figure and is reproducible from its script."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from mandate_metrics.figures import metrics
from mandate_metrics.paths import DATA_DIR
from mandate_metrics.sample import CHECKPOINTS, build_ledger

BRUSSELS_VIII = date(2024, 5, 29)


def test_every_applicable_published_figure_reconciles(shipped):
    check = metrics.reconcile(shipped.frame("published_figures"), shipped.frame("requests"))
    assert len(check) >= 19
    assert check["consistent"].all(), check.loc[~check["consistent"], ["figure_id", "value", "ledger_value"]]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (
            date(2024, 4, 24),
            {
                "requests_received": 367,
                "requesting_jurisdictions": 16,
                "investigations_related": 271,
                "requests_supported": 254,
                "investigations_supported": 185,
            },
        ),
        (
            BRUSSELS_VIII,
            {
                "requests_received": 375,
                "requesting_jurisdictions": 16,
                "requests_supported": 261,
                "investigations_supported": 192,
            },
        ),
        (
            date(2025, 4, 29),
            {"requests_received": 466, "requesting_jurisdictions": 16, "investigations_related": 321},
        ),
        (
            date(2025, 9, 19),
            {"requests_received": 500, "requesting_jurisdictions": 17, "investigations_related": 338},
        ),
        (date(2025, 12, 8), {"investigations_supported": 256}),
    ],
)
def test_design_figures_at_their_dates(shipped, day, expected):
    head = metrics.headline(shipped.frame("requests"), day)
    assert {metric: head.value(metric) for metric in expected} == expected


def test_more_than_530_is_honoured_as_a_lower_bound(shipped):
    assert metrics.headline(shipped.frame("requests"), date(2025, 12, 8)).requests_received > 530


def test_generator_hits_every_checkpoint():
    requests = build_ledger()["requests"]
    frame = requests.assign(
        received_on=pd.to_datetime(requests["received_on"]), status_on=pd.to_datetime(requests["status_on"])
    )
    for point in CHECKPOINTS:
        head = metrics.headline(frame, point.on)
        assert (
            head.requests_received,
            head.requesting_jurisdictions,
            head.investigations_related,
            head.requests_supported,
            head.investigations_supported,
        ) == (
            point.received,
            point.jurisdictions,
            point.investigations_related,
            point.supported,
            point.investigations_supported,
        ), point.on


@pytest.mark.parametrize("name", ["requests", "investigations", "jurisdictions"])
def test_shipped_ledger_is_exactly_what_the_script_makes(name):
    made = build_ledger()[name].to_csv(index=False, lineterminator="\n")
    assert (DATA_DIR / f"{name}.csv").read_text(encoding="utf-8") == made


def test_ledger_is_internally_consistent(shipped):
    requests, investigations = shipped.frame("requests"), shipped.frame("investigations")
    assert set(requests["investigation_id"]) == set(investigations["investigation_id"])
    assert set(requests["jurisdiction_id"]) <= set(shipped.frame("jurisdictions")["jurisdiction_id"])
    owner = investigations.set_index("investigation_id")["jurisdiction_id"]
    assert (requests["investigation_id"].map(owner) == requests["jurisdiction_id"]).all()
    assert (requests["received_on"] >= pd.Timestamp("2018-05-01")).all()
