"""Tabular downloads (CSV) that carry their provenance and cannot run as spreadsheet formulas.

Every row of a download carries the dataset version, the as-of date, the source and, where it
applies, the illustrative note, so the numbers keep their context when copied elsewhere.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pandas as pd

from mandate_metrics.figures.disclosure import SUPPRESSED
from mandate_metrics.figures.record import PROVENANCE_COLUMN, PROVENANCES
from mandate_metrics.i18n import DEFAULT_LOCALE, column_label, direction, t

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Stamp:
    """What a download must say about where its numbers come from."""

    datasets: str
    as_of: str
    source: str
    illustrative_note: str = ""  # said on every row (a table without a per-row provenance column)
    about_note: str = ""  # the About sheet's note when rows say what they are themselves
    locale: str = DEFAULT_LOCALE  # the language of the headers the stamp adds


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
    """The table with the provenance columns added to every row (headers in words)."""
    out = frame.copy()
    out[column_label("dataset_version", stamp.locale)] = stamp.datasets
    out[column_label("as_of", stamp.locale)] = stamp.as_of
    out[column_label("table_source", stamp.locale)] = stamp.source  # never over a row's own "Source"
    if stamp.illustrative_note:
        out[column_label("note", stamp.locale)] = stamp.illustrative_note
    return out


def labelled(
    frame: pd.DataFrame, locale: str = DEFAULT_LOCALE, keep: frozenset[str] = frozenset()
) -> pd.DataFrame:
    """A table as people read it: headers in words, yes/no, blanks for missing values, no times.

    Columns in ``keep`` keep their name (a column_config labels them on screen).
    """
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_bool_dtype(values):
            out[column] = values.map({True: column_label("yes", locale), False: column_label("no", locale)})
        elif pd.api.types.is_datetime64_any_dtype(values):
            out[column] = values.dt.strftime("%Y-%m-%d").fillna("")
        elif values.dtype == object or pd.api.types.is_string_dtype(values):
            out[column] = values.astype(object).map(lambda v: "" if v is None or pd.isna(v) else v)
            if locale != DEFAULT_LOCALE:  # a withheld count, a row's provenance: the reader's words
                words = {SUPPRESSED: t("value.withheld", locale)}
                if column == PROVENANCE_COLUMN:
                    words |= {p: t(f"provenance.{p}", locale) for p in PROVENANCES}
                out[column] = out[column].replace(words)
        elif pd.api.types.is_numeric_dtype(values) and values.isna().any():
            # a number column with gaps: written as text, so a gap is blank (not NaN or None)
            out[column] = values.map(
                lambda v: "" if pd.isna(v) else f"{v:.0f}" if float(v).is_integer() else str(v)
            )
    return out.rename(columns={c: column_label(c, locale) for c in out.columns if c not in keep})


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
    L = stamp.locale
    about = [
        (t("about.title", L), title),
        (t("about.source", L), stamp.source),
        (t("about.versions", L), stamp.datasets),
        (t("column.as_of", L), stamp.as_of),
        (t("column.note", L), stamp.illustrative_note or stamp.about_note or t("about.all_published", L)),
        ("", ""),
        (t("sources.definitions", L), ""),
        *definitions.items(),
    ]
    data_sheet, about_sheet = t("about.sheet_data", L), t("about.sheet_about", L)
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        _cells_for_excel(frame).to_excel(writer, sheet_name=data_sheet, index=False)
        about_frame = pd.DataFrame(about, columns=[t("about.field", L), t("column.value", L)])
        neutralise_formulas(about_frame).to_excel(writer, sheet_name=about_sheet, index=False)
        for sheet in (data_sheet, about_sheet):
            writer.sheets[sheet].sheet_view.rightToLeft = direction(L) == "rtl"
        writer.sheets[about_sheet].column_dimensions["A"].width = 34
        writer.sheets[about_sheet].column_dimensions["B"].width = 110
    return out.getvalue()
