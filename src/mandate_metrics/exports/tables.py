"""Tabular downloads (CSV) that carry their provenance and cannot run as spreadsheet formulas.

Every row of a download carries the dataset version, the as-of date, the source and, where it
applies, the illustrative note, so the numbers keep their context when copied elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Stamp:
    """What a download must say about where its numbers come from."""

    datasets: str
    as_of: str
    source: str
    illustrative_note: str = ""


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with an apostrophe.

    Numbers are left alone: a negative number is a number, not a formula.
    """
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_PREFIXES) else v
            )
    return out


def stamped(frame: pd.DataFrame, stamp: Stamp) -> pd.DataFrame:
    """The table with the provenance columns added to every row."""
    out = frame.copy()
    out["dataset_version"] = stamp.datasets
    out["as_of"] = stamp.as_of
    out["source"] = stamp.source
    if stamp.illustrative_note:
        out["note"] = stamp.illustrative_note
    return out


def csv_bytes(frame: pd.DataFrame, stamp: Stamp) -> bytes:
    """The CSV a user downloads: stamped, neutralised, UTF-8 with a BOM so Excel reads it right."""
    return neutralise_formulas(stamped(frame, stamp)).to_csv(index=False).encode("utf-8-sig")
