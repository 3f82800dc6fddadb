"""The disclosure rule, for both roles: undisclosed names never reach the public; small counts show as <5."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from mandate_metrics import disclosure, metrics

LABEL = "Undisclosed jurisdictions ({region})"


@pytest.fixture
def per_jurisdiction():
    return pd.DataFrame(
        {
            "jurisdiction_id": ["J1", "J2", "J3", "J4"],
            "name": ["Open big", "Secret big", "Open small", "Secret small"],
            "region": ["Europe", "Europe", "Asia", "Europe"],
            "disclose_name": [True, False, True, False],
            "requests_received": [40, 12, 3, 2],
            "requests_supported": [30, 4, 0, 1],
            "investigations_related": [20, 6, 2, 1],
        }
    )


def test_public_never_sees_an_undisclosed_name(per_jurisdiction):
    table = disclosure.public_jurisdiction_table(per_jurisdiction, "public", LABEL)
    assert "Secret big" not in table["name"].tolist()
    assert "Secret small" not in table["name"].tolist()
    pooled = table.set_index("name").loc["Undisclosed jurisdictions (Europe)"]
    assert pooled["requests_received"] == "14"  # 12 + 2, pooled before suppression
    assert pooled["requests_supported"] == "5"


def test_public_sees_small_counts_as_less_than_five(per_jurisdiction):
    table = disclosure.public_jurisdiction_table(per_jurisdiction, "public", LABEL).set_index("name")
    assert table.loc["Open small", "requests_received"] == "<5"
    assert table.loc["Open small", "requests_supported"] == "0"  # zero discloses nothing
    assert table.loc["Open big", "requests_received"] == "40"


def test_staff_see_everything(per_jurisdiction):
    table = disclosure.public_jurisdiction_table(per_jurisdiction, "staff", LABEL)
    assert set(table["name"]) == {"Open big", "Secret big", "Open small", "Secret small"}
    assert table.set_index("name").loc["Secret small", "requests_received"] == 2


def test_any_other_role_is_public(per_jurisdiction):
    table = disclosure.public_jurisdiction_table(per_jurisdiction, "viewer", LABEL)  # type: ignore[arg-type]
    assert "Secret big" not in table["name"].tolist()


def test_public_downloads_hide_names_and_per_jurisdiction_rows(shipped):
    jurisdictions = shipped.frame("jurisdictions")
    hidden = set(jurisdictions.loc[~jurisdictions["disclose_name"], "name"])
    public = disclosure.public_dataset("jurisdictions", jurisdictions, jurisdictions, "public", "Undisclosed")
    assert not hidden & set(public["name"])
    requests = disclosure.public_dataset("requests", shipped.frame("requests"), jurisdictions, "public", "-")
    assert "jurisdiction_id" not in requests.columns and "region" in requests.columns
    staff = disclosure.public_dataset("requests", shipped.frame("requests"), jurisdictions, "staff", "-")
    assert "jurisdiction_id" in staff.columns


def test_shipped_data_exercises_both_rules(shipped):
    per = metrics.by_jurisdiction(
        shipped.frame("requests"), shipped.frame("jurisdictions"), date(2025, 12, 8)
    )
    table = disclosure.public_jurisdiction_table(per, "public", LABEL)
    assert (~per["disclose_name"]).any()
    assert disclosure.SUPPRESSED in table["requests_received"].tolist() + table["requests_supported"].tolist()


def test_a_region_of_one_jurisdiction_does_not_reveal_its_small_count():
    regions = pd.DataFrame(
        {
            "region": ["Europe", "Asia", "Americas"],
            "jurisdictions": [5, 1, 1],
            "requests_received": [100, 3, 12],
            "requests_supported": [80, 1, 9],
            "investigations_related": [60, 2, 8],
        }
    )
    public = disclosure.public_region_table(regions, "public").set_index("region")
    assert public.loc["Asia"].tolist()[1:] == ["<5", "<5", "<5"]
    assert public.loc["Americas", "requests_received"] == "12"
    assert public.loc["Europe", "requests_supported"] == "80"
    staff = disclosure.public_region_table(regions, "staff").set_index("region")
    assert staff.loc["Asia", "requests_received"] == 3
