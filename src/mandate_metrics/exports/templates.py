"""Upload templates: the current data itself, and (in the workbook) what every column takes.

A template starts from every published row, so "download, add rows, upload with Replace" keeps
what is there, and the same file uploaded unchanged changes nothing (a test round-trips it). The
column guide comes from the schema, so it can never disagree with what validation accepts.
"""

from __future__ import annotations

import io

import pandas as pd

from mandate_metrics.exports.tables import neutralise_formulas
from mandate_metrics.schemas import SCHEMAS

TYPE_WORDS = {"str": "text", "float64": "number", "int64": "whole number", "bool": "true or false"}


def _type_word(dtype: str) -> str:
    if dtype.startswith("datetime"):
        return "date (YYYY-MM-DD)"
    if dtype.startswith("str"):  # str, string[pyarrow]: pandas 3's text types
        return "text"
    return TYPE_WORDS.get(dtype, dtype)


def _rules(spec: object) -> str:
    words = []
    for check in getattr(spec, "checks", []):
        stats = check.statistics
        if check.name == "isin":
            words.append("one of: " + ", ".join(str(v) for v in stats["allowed_values"]))
        elif check.name == "greater_than_or_equal_to":
            value = stats["min_value"]
            words.append(f"at least {value.date() if isinstance(value, pd.Timestamp) else value}")
        elif check.name == "less_than_or_equal_to":
            words.append(f"at most {stats['max_value']}")
        elif check.name == "str_matches":
            words.append(f"pattern {stats['pattern']}")
    if getattr(spec, "unique", False):
        words.append("unique")
    return "; ".join(words)


def columns_guide(dataset: str) -> pd.DataFrame:
    """One row per column: name, type, required, and the values it accepts."""
    columns = SCHEMAS[dataset].to_schema().columns
    return pd.DataFrame(
        [
            {
                "column": name,
                "type": _type_word(str(spec.dtype)),
                "required": "no" if spec.nullable else "yes",
                "accepted values": _rules(spec),
            }
            for name, spec in columns.items()
        ]
    )


def _rows(dataset: str, current: pd.DataFrame) -> pd.DataFrame:
    """The current data in the form an upload takes: the schema's columns, dates as YYYY-MM-DD."""
    rows = current[list(SCHEMAS[dataset].to_schema().columns)].copy()
    for column in rows.columns:
        if pd.api.types.is_datetime64_any_dtype(rows[column]):
            rows[column] = rows[column].dt.strftime("%Y-%m-%d")
    return rows


def template_csv(dataset: str, current: pd.DataFrame) -> bytes:
    """The current data as CSV, ready to edit and upload again: UTF-8 with a BOM for Excel."""
    return neutralise_formulas(_rows(dataset, current)).to_csv(index=False).encode("utf-8-sig")


def template_xlsx(dataset: str, current: pd.DataFrame) -> bytes:
    """The current data as a workbook to edit and upload again, with a sheet explaining each column."""
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        neutralise_formulas(_rows(dataset, current)).to_excel(writer, sheet_name=dataset[:31], index=False)
        columns_guide(dataset).to_excel(writer, sheet_name="Columns", index=False)
        for sheet in writer.sheets.values():
            for letter in "ABCD":
                sheet.column_dimensions[letter].width = 28
    return out.getvalue()
