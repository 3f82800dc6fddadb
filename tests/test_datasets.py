"""Every shipped dataset validates, matches its sidecar, and tells the truth about itself."""

from __future__ import annotations

import json
import shutil

import pytest

from mandate_metrics.loading import DatasetError, load_all, load_dataset, read_table
from mandate_metrics.metadata import MetadataError, file_sha256, read_sidecar
from mandate_metrics.paths import DATA_DIR
from mandate_metrics.schemas import SCHEMAS


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_dataset_validates_and_matches_its_sidecar(name):
    dataset = load_dataset(DATA_DIR, name)
    assert len(dataset.frame) == dataset.meta.rows > 0
    assert file_sha256(DATA_DIR / f"{name}.csv") == dataset.meta.sha256
    assert dataset.meta.sources and dataset.meta.licence and dataset.meta.title


def test_a_changed_file_is_refused_until_its_sidecar_is_refreshed(tmp_path):
    shutil.copytree(DATA_DIR, tmp_path / "data")
    path = tmp_path / "data" / "budget.csv"
    path.write_text(path.read_text().replace("17810000", "27810000"))
    with pytest.raises(MetadataError, match="checksum does not match budget.csv"):
        load_all(tmp_path / "data")


def test_a_bad_row_is_reported_with_its_row_and_column(tmp_path):
    shutil.copytree(DATA_DIR, tmp_path / "data")
    path = tmp_path / "data" / "requests.csv"
    lines = path.read_text().splitlines()
    lines[3] = (
        lines[3]
        .replace("supported", "approved")
        .replace("under_review", "approved")
        .replace("declined", "approved")
        .replace("withdrawn", "approved")
        .replace(",received,", ",approved,")
    )
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DatasetError, match=r"row 4, column status: isin.*'approved'"):
        read_table(path, "requests")


def test_a_malformed_sidecar_names_the_missing_field(tmp_path):
    shutil.copytree(DATA_DIR, tmp_path / "data")
    sidecar = tmp_path / "data" / "messages.meta.json"
    raw = json.loads(sidecar.read_text())
    del raw["licence"]
    sidecar.write_text(json.dumps(raw))
    with pytest.raises(MetadataError, match="missing field.*licence"):
        read_sidecar(tmp_path / "data" / "messages.csv")


def test_investigation_series_are_separate_metrics(shipped):
    figures = shipped.frame("published_figures").set_index("figure_id")
    assert figures.loc["A7", "metric"] == "investigations_related"  # 271, April 2024
    assert figures.loc["A9", "metric"] == "investigations_supported"  # 185, April 2024
    assert figures.loc["A11", ["metric", "value"]].tolist() == ["investigations_supported", 192]


def test_qualifiers_are_kept(shipped):
    figures = shipped.frame("published_figures").set_index("figure_id")
    assert figures.loc["A23", ["value", "qualifier"]].tolist() == [530, "lower_bound"]
    assert figures.loc["C7", "qualifier"] == "exact"
    assert figures.loc["C6", "qualifier"] == "approx"


def test_every_published_figure_has_a_source(shipped):
    figures = shipped.frame("published_figures")
    assert figures["source_title"].str.len().min() > 10
    assert figures["verification"].str.match(r"^(VERIFIED-[PS]|PRIMARY-PR)").all()


def test_brussels_figures_come_from_the_press_release(shipped):
    figures = shipped.frame("published_figures")
    brussels = figures[figures["as_of"] == "2024-05-29"].set_index("metric")
    assert brussels["value"].to_dict() == {
        "requests_received": 375,
        "requesting_jurisdictions": 16,
        "requests_supported": 261,
        "investigations_supported": 192,
    }
    assert brussels["source_title"].str.contains("press release, 29 May 2024").all()


def test_no_invented_figure_is_attached_to_a_real_country(shipped):
    jurisdictions = shipped.frame("jurisdictions")
    assert jurisdictions["name"].str.fullmatch(r"Jurisdiction [A-Z]").all()
    assert jurisdictions["iso3"].isna().all()
    contributions = shipped.frame("contributions")
    illustrative = contributions[contributions["status"] == "illustrative"]
    assert (
        illustrative["donor"]
        .str.match(r"^(Member State|Intergovernmental organisation|Private foundation) ")
        .all()
    )
    published = contributions[contributions["status"] == "published"]
    assert published["source_title"].notna().all()


def test_every_usd_conversion_states_its_rate(shipped):
    contributions = shipped.frame("contributions")
    converted = contributions[(contributions["currency"] != "USD") & contributions["amount_usd"].notna()]
    assert converted["usd_rate_note"].notna().all()
    assert converted["usd_rate_note"].str.contains(r"\d").all()


def test_budget_values_carry_their_own_status(shipped):
    budget = shipped.frame("budget").set_index("year")
    assert budget.loc[2020, ["regular_budget_usd", "regular_budget_status"]].tolist() == [
        17_810_000,
        "published",
    ]
    assert budget.loc[2020, "requirement_status"] == "illustrative"


def test_illustrative_datasets_say_so(shipped):
    for name in ("requests", "investigations", "jurisdictions"):
        assert shipped[name].meta.provenance == "illustrative"
    for name in ("contributions", "budget"):
        assert shipped[name].meta.provenance == "mixed"
    assert shipped["published_figures"].meta.provenance == "published"
