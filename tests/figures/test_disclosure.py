"""The disclosure rule: undisclosed names never reach the public; no withheld count can be recovered.

Small counts are withheld with complementary suppression, so that no subtraction on any public
table recovers one, at any month.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from mandate_metrics.figures import disclosure, metrics

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
    table = disclosure.public_tables(per_jurisdiction, "public", LABEL).jurisdictions
    assert "Secret big" not in table["name"].tolist()
    assert "Secret small" not in table["name"].tolist()
    pooled = table.set_index("name").loc["Undisclosed jurisdictions (Europe)"]
    assert pooled["requests_supported"] == "5"  # 4 + 1, pooled before suppression
    assert pooled["requests_received"] == "withheld"  # beside Asia's 3 (complementary suppression)


def test_public_sees_small_counts_withheld_and_one_more_beside_each(per_jurisdiction):
    tables = disclosure.public_tables(per_jurisdiction, "public", LABEL)
    table = tables.jurisdictions.set_index("name")
    assert table.loc["Open small", "requests_received"] == "withheld"
    assert table.loc["Open small", "requests_supported"] == "0"  # zero discloses nothing
    # Asia holds one row: its region total would give the row away, so it is withheld too, and
    # then one more region, or the headline total minus Europe would give Asia away.
    regions = tables.regions.set_index("region")
    assert regions.loc["Asia", "requests_received"] == "withheld"
    assert regions.loc["Europe", "requests_received"] == "withheld"


def test_staff_see_everything(per_jurisdiction):
    table = disclosure.public_tables(per_jurisdiction, "staff", LABEL).jurisdictions
    assert set(table["name"]) == {"Open big", "Secret big", "Open small", "Secret small"}
    assert table.set_index("name").loc["Secret small", "requests_received"] == 2


def test_any_other_role_is_public(per_jurisdiction):
    table = disclosure.public_tables(per_jurisdiction, "viewer", LABEL).jurisdictions  # type: ignore[arg-type]
    assert "Secret big" not in table["name"].tolist()


def test_public_downloads_hide_names_and_per_jurisdiction_rows(shipped):
    jurisdictions = shipped.frame("jurisdictions")
    hidden = set(jurisdictions.loc[~jurisdictions["disclose_name"], "name"])
    public = disclosure.public_dataset("jurisdictions", jurisdictions, jurisdictions, "public", "Undisclosed")
    assert not hidden & set(public["name"])
    for row_level in ("requests", "investigations"):  # one row per request: never public
        assert (
            disclosure.public_dataset(row_level, shipped.frame(row_level), jurisdictions, "public", "-")
            is None
        )
    staff = disclosure.public_dataset("requests", shipped.frame("requests"), jurisdictions, "staff", "-")
    assert "jurisdiction_id" in staff.columns


def test_shipped_data_exercises_both_rules(shipped):
    per = metrics.by_jurisdiction(
        shipped.frame("requests"), shipped.frame("jurisdictions"), date(2025, 12, 8)
    )
    table = disclosure.public_tables(per, "public", LABEL).jurisdictions
    assert (~per["disclose_name"]).any()
    assert disclosure.SUPPRESSED in table["requests_received"].tolist() + table["requests_supported"].tolist()


def test_a_region_of_one_jurisdiction_does_not_reveal_its_small_count():
    per = pd.DataFrame(
        {
            "jurisdiction_id": ["E1", "E2", "A1", "M1"],
            "name": ["Europe one", "Europe two", "Asia one", "Americas one"],
            "region": ["Europe", "Europe", "Asia", "Americas"],
            "disclose_name": [True, True, True, True],
            "requests_received": [60, 40, 3, 12],
            "requests_supported": [50, 30, 1, 9],
            "investigations_related": [30, 30, 2, 8],
        }
    )
    public = disclosure.public_tables(per, "public", LABEL).regions.set_index("region")
    assert public.loc["Asia"].tolist()[1:] == ["withheld"] * 3
    assert public.loc["Americas", "requests_received"] == "withheld"  # the smallest region beside Asia
    assert public.loc["Europe", "requests_supported"] == "80"
    staff = disclosure.public_tables(per, "staff", LABEL).regions.set_index("region")
    assert staff.loc["Asia", "requests_received"] == 3


def _recovered(rows: pd.DataFrame, regions: pd.DataFrame, column: str, grand_total: int) -> list[str]:
    """The attack: for every published sum, subtract the published cells from the total shown.

    Sums: each region's total = its rows; the headline total = the regions. An equation with one
    withheld cell gives it away; so does any chain, found by solving the linear system exactly.
    """
    import numpy as np

    withheld = disclosure.SUPPRESSED
    names = list(regions["region"])
    unknown = [("row", i) for i, v in enumerate(rows[column]) if v == withheld] + [
        ("region", r) for r, v in enumerate(regions[column]) if v == withheld
    ]
    if not unknown:
        return []
    equations = []
    for r, region in enumerate(names):
        eq = {("row", i): 1.0 for i, g in enumerate(rows["region"]) if g == region}
        eq[("region", r)] = -1.0
        equations.append(eq)
    equations.append({("region", r): 1.0 for r in range(len(names))})
    matrix = np.array([[eq.get(c, 0.0) for c in unknown] for eq in equations])
    rank = np.linalg.matrix_rank(matrix)
    found = []
    for k, cell in enumerate(unknown):
        unit = np.zeros(len(unknown))
        unit[k] = 1.0
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            found.append(f"{column} {cell}")
    # and the plain subtraction, one equation at a time, as a person with a calculator would
    for r, region in enumerate(names):
        cells = list(rows.loc[rows["region"] == region, column]) + [regions.loc[r, column]]
        if cells.count(withheld) == 1:
            found.append(f"{column} in {region} by one subtraction")
    if list(regions[column]).count(withheld) == 1:
        found.append(f"{column}: a region by subtracting the others from the headline {grand_total}")
    return found


def test_no_withheld_count_can_be_worked_out_at_any_month(shipped):
    requests, jurisdictions = shipped.frame("requests"), shipped.frame("jurisdictions")
    months = pd.date_range(requests["received_on"].min(), "2025-12-31", freq="ME")
    withheld_seen = 0
    for month in months:
        day = month.date()
        per = metrics.by_jurisdiction(requests, jurisdictions, day)
        if per.empty:
            continue
        tables = disclosure.public_tables(per, "public", LABEL)
        head = metrics.headline(requests, day)
        if tables.withheld_whole:  # one jurisdiction, whose count the headline is: nothing by jurisdiction
            assert tables.regions.empty and tables.jurisdictions.empty
            continue
        for column in disclosure.COUNT_COLUMNS:
            total = int(per[column].sum()) if column != "requests_received" else head.requests_received
            leaks = _recovered(tables.jurisdictions, tables.regions, column, total)
            assert not leaks, (day, leaks)
            withheld_seen += list(tables.jurisdictions[column]).count(disclosure.SUPPRESSED)
        # the published regions still add up to the published headline where nothing is withheld
        shown = [int(v) for v in tables.regions["requests_received"] if v != disclosure.SUPPRESSED]
        if len(shown) == len(tables.regions):
            assert sum(shown) == head.requests_received
    assert withheld_seen > 100  # the rule was exercised, month after month


def test_public_zip_holds_aggregates_only(shipped):
    import io
    import zipfile

    from mandate_metrics.exports.package import public_data_zip

    archive = zipfile.ZipFile(
        io.BytesIO(public_data_zip(shipped, "public", "Undisclosed", date(2024, 5, 29), "ledger"))
    )
    names = set(archive.namelist())
    assert "data/requests.csv" not in names and "data/investigations.csv" not in names
    assert {"data/requests_by_region.csv", "data/requests_by_jurisdiction.csv"} <= names
    regions = pd.read_csv(archive.open("data/requests_by_region.csv"), dtype=str)
    assert "withheld" in set(regions["Requests received"])
    staff = zipfile.ZipFile(io.BytesIO(public_data_zip(shipped, "staff", "Undisclosed", date(2024, 5, 29))))
    assert "data/requests.csv" in staff.namelist()
