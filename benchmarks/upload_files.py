"""Large `requests` upload files for the validation benchmark and its completeness test.

The rows are drawn from the shipped ledger's shape (real jurisdiction and investigation ids, the
allowed statuses and assistance types), so a valid file validates against the shipped data. An
invalid file has `errors` rows spread evenly through it, each with exactly one planted problem;
`ERROR_KINDS` names every kind, and `planted` says which row and column each one is in, so a
report can be checked row by row: every planted problem found, nothing else reported.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from mandate_metrics.paths import PROJECT_DIR

COLUMNS = (
    "request_id",
    "received_on",
    "jurisdiction_id",
    "assistance_type",
    "status",
    "status_on",
    "investigation_id",
)
ERROR_KINDS: dict[str, tuple[str, str]] = {
    # kind: (column, value written there); "{id}" is the row's own id
    "not_a_date": ("received_on", "31/31/2020"),
    "before_iiim": ("received_on", "2015-06-01"),
    "future_date": ("status_on", "2031-01-01"),
    "status_before_receipt": ("status_on", "2017-01-02"),
    "not_allowed_status": ("status", "approved"),
    "not_allowed_type": ("assistance_type", "advice"),
    "unknown_jurisdiction": ("jurisdiction_id", "J99"),
    "unknown_investigation": ("investigation_id", "INV-9999"),
    "missing_value": ("investigation_id", ""),
    "formula": ("jurisdiction_id", "=HYPERLINK(1)"),
    "bad_character": ("request_id", "RFA-\u202e{id}"),
    "too_long": ("request_id", "X" * 10_001),
}


def _reference_ids() -> tuple[list[str], list[str]]:
    data = PROJECT_DIR / "data"
    jurisdictions = pd.read_csv(data / "jurisdictions.csv", dtype=str)["jurisdiction_id"].tolist()
    investigations = pd.read_csv(data / "investigations.csv", dtype=str)["investigation_id"].tolist()
    return jurisdictions, investigations


def frame(rows: int, seed: int = 7) -> pd.DataFrame:
    """A valid ledger of ``rows`` requests (text, as a file holds it), received 2017 to 2025."""
    rng = np.random.default_rng(seed)
    jurisdictions, investigations = _reference_ids()
    received = pd.Timestamp("2017-03-01") + pd.to_timedelta(rng.integers(0, 3000, rows), unit="D")
    status_on = received + pd.to_timedelta(rng.integers(0, 300, rows), unit="D")
    return pd.DataFrame(
        {
            "request_id": [f"RFA-{i:07d}" for i in range(1, rows + 1)],
            "received_on": received.strftime("%Y-%m-%d"),
            "jurisdiction_id": rng.choice(jurisdictions, rows),
            "assistance_type": rng.choice(
                ["evidence_sharing", "analytical_product", "witness_identification", "legal_advice"], rows
            ),
            "status": rng.choice(["received", "under_review", "supported", "declined", "withdrawn"], rows),
            "status_on": status_on.strftime("%Y-%m-%d"),
            "investigation_id": rng.choice(investigations, rows),
        },
        columns=list(COLUMNS),
    )


def plant(table: pd.DataFrame, errors: int) -> list[tuple[int, str, str]]:
    """Put one problem in each of ``errors`` evenly spread rows; return (Excel row, column, kind).

    A duplicate id is planted by copying the id of the planted row before, a "not a date" row whose
    id is intact (so both rows of a duplicate pair are planted rows).
    """
    planted: list[tuple[int, str, str]] = []
    if not errors:
        return planted
    kinds = list(ERROR_KINDS)
    kinds.insert(1, "duplicate_id")
    positions = np.linspace(1, len(table) - 1, errors).astype(int)
    for n, position in enumerate(positions):
        kind = kinds[n % len(kinds)]
        if kind == "duplicate_id":
            column, value = "request_id", table.iat[int(positions[n - 1]), 0]
        else:
            column, value = ERROR_KINDS[kind]
            value = value.format(id=position)
        table.iat[int(position), COLUMNS.index(column)] = value
        planted.append((int(position) + 2, column, kind))
    return planted


def csv_bytes(table: pd.DataFrame) -> bytes:
    """The table as the CSV UTF-8 file Excel writes (comma-separated, quoted where needed)."""
    out = io.StringIO()
    table.to_csv(out, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    return out.getvalue().encode("utf-8")


def write(folder: Path, rows: int, errors: int, kinds: Sequence[str] = ("csv",)) -> dict[str, Path]:
    """Write the file(s) for one size into ``folder``; returns {"csv": path, "xlsx": path}."""
    table = frame(rows)
    plant(table, errors)
    paths: dict[str, Path] = {}
    stem = folder / f"requests_{rows}_{errors}"
    if "csv" in kinds:
        paths["csv"] = stem.with_suffix(".csv")
        paths["csv"].write_bytes(csv_bytes(table))
    if "xlsx" in kinds:
        paths["xlsx"] = stem.with_suffix(".xlsx")
        table.to_excel(paths["xlsx"], index=False, engine="openpyxl")
    return paths
