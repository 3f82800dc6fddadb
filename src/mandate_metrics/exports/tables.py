"""Tabular downloads (CSV) that carry their provenance and cannot run as spreadsheet formulas.

Every row of a download carries the dataset version, the as-of date, the source and, where it
applies, the illustrative note, so the numbers keep their context when copied elsewhere.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Stamp:
    """What a download must say about where its numbers come from."""

    datasets: str
    as_of: str
    source: str
    illustrative_note: str = ""  # said on every row (a table without a per-row provenance column)
    about_note: str = ""  # the About sheet's note when rows say what they are themselves


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


def _cells_for_excel(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as dates (not midnight timestamps), text neutralised against formulas."""
    out = neutralise_formulas(frame)
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.date
    return out


def xlsx_bytes(frame: pd.DataFrame, stamp: Stamp, definitions: dict[str, str], title: str) -> bytes:
    """An Excel workbook: the numbers on one sheet; title, source, version, as-of, definitions on another."""
    about = [
        ("Title", title),
        ("Source", stamp.source),
        ("Dataset versions", stamp.datasets),
        ("Figures as of", stamp.as_of),
        ("Note", stamp.illustrative_note or stamp.about_note or "All values from published sources."),
        ("", ""),
        ("Definitions", ""),
        *definitions.items(),
    ]
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        _cells_for_excel(frame).to_excel(writer, sheet_name="Data", index=False)
        about_frame = pd.DataFrame(about, columns=["Field", "Value"])
        neutralise_formulas(about_frame).to_excel(writer, sheet_name="About", index=False)
        writer.sheets["About"].column_dimensions["A"].width = 34
        writer.sheets["About"].column_dimensions["B"].width = 110
    return out.getvalue()
