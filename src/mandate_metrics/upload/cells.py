"""What each uploaded cell means: text to dates, numbers and true/false, checked column by column.

A whole column is checked at once (pyarrow and pandas do the work), never cell by cell in Python:
a million-row file is checked in about a second. Each check finds the cells that fail it; only
those cells are then described one by one for the report. A cell gets one problem, the first of:
too long, a character that breaks pages, a formula, missing, unreadable as its type.

Dates are read as ISO (2024-05-29), day first (29/05/2024, 29.05.2024), with a time, or as an Excel
serial number (45441). A column of dd/mm/yyyy-like dates is read day first or month first as its
unambiguous dates show; where nothing tells, a date that could be either is a problem. Numbers may
carry thousands separators (1,234,567 or 1 234 567; 1.234,5 in a semicolon file, as French and
German Excel writes them).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from mandate_metrics.i18n import _, fmt_date, speaking, speaking_now
from mandate_metrics.text import bad_character

DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%d-%m-%Y",
    "%Y-%m-%d %H:%M:%S",
    "%d/%m/%Y %H:%M",
)
EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 (its 1900 leap-year bug is before any date we accept)
ISO_DAY = r"^\d{4}-\d{2}-\d{2}$"
EXCEL_SERIAL = r"^\d{5}(\.0+)?$"  # an Excel serial date such as 45441
SLASHED = r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})( .*)?$"
MAX_CELL_CHARS = 10_000  # longer cells are refused: no field of any dataset needs more
MAX_NUMBER = 1e12  # larger amounts or counts are not real (and 1e308 once crashed three pages)
TRUE_WORDS, FALSE_WORDS = ("true", "yes", "1"), ("false", "no", "0")
NAN_WORDS = ("nan", "+nan", "-nan")

Add = Callable[[int | None, str | None, object, str, str], None]
"""Where a problem is reported: (row, column, value, problem, fix), as ``Report.add``."""
WholeColumn = Callable[[str, list[tuple[int | None, str | None, object, str, str]]], None]
"""Where a column none of whose values could be read goes, with its cells' problems (``Report``)."""
WHOLE_COLUMN_AT_LEAST = 3  # fewer unreadable values than this are listed one by one


class Column:
    """One uploaded column on its way to a typed one: its text, its rows, and the cells already refused."""

    def __init__(self, name: str, text: pa.Array, rows: np.ndarray, add: Add) -> None:
        self.name = name
        self.text = text
        self.rows = rows
        self.add = add
        self.refused = np.zeros(len(rows), dtype=bool)

    def refuse(
        self, mask: np.ndarray, problem: str | Callable[[str], tuple[str, str]], fix: str = ""
    ) -> None:
        """Report each cell where ``mask`` holds and none is reported yet (``problem`` may be per value)."""
        new = mask & ~self.refused
        for index in np.flatnonzero(new):
            value = self.text[int(index)].as_py()
            said, how = problem(value) if callable(problem) else (problem, fix)
            self.add(int(self.rows[index]), self.name, value, said, how)
        self.refused |= new

    def mask(self, array: pa.Array | pa.ChunkedArray) -> np.ndarray:
        """A pyarrow boolean result as a numpy mask (nulls false)."""
        return np.asarray(pc.fill_null(array, False).to_numpy(zero_copy_only=False), dtype=bool)


def typed_frame(
    dataset_columns: dict[str, tuple[str, bool]],
    texts: dict[str, pa.Array],
    rows: np.ndarray,
    decimal_comma: bool,
    add: Add,
    notices: list[str],
    whole_column: WholeColumn | None = None,
) -> pd.DataFrame:
    """Every column typed, each unreadable cell reported; the index is the Excel row minus 2.

    A date, number or true/false column in which no value could be read (and the same problem
    each time: text in a date column, the columns shifted) goes to ``whole_column`` as one problem,
    not one per row.

    Args:
        dataset_columns: column name -> (dtype as the schema declares it, nullable), in order.
        texts: the uploaded text of each column found (a column not found is all empty, not reported:
            its absence is one problem in the header).
        rows: the Excel row of each data row.
        decimal_comma: the file writes 1.234,5 (a semicolon-separated file).
        add: where problems go.
        notices: where notes on how the file was read go.
        whole_column: where a column of only unreadable values goes (default: cell by cell).
    """
    found = [(name, spec) for name, spec in dataset_columns.items() if name in texts]
    found.sort(key=lambda item: not item[1][0].startswith("datetime"))  # the slowest start first
    lang = speaking_now()  # each thread reports in the language of this check

    def typed_column(
        item: tuple[str, tuple[str, bool]],
    ) -> tuple[pd.Series, list[tuple[int | None, str | None, object, str, str]], list[str]]:
        with speaking(lang):
            return _typed(item[0], item[1][0], item[1][1], texts[item[0]], rows, decimal_comma)

    with ThreadPoolExecutor(max_workers=min(len(found), os.cpu_count() or 1) or 1) as pool:
        typed = list(pool.map(typed_column, found))
    out: dict[str, pd.Series] = {}
    for (name, spec), (series, problems, said) in zip(found, typed, strict=True):
        out[name] = series
        has_type = spec[0].startswith(("datetime", "float", "int", "bool"))  # a type can be wrong
        if whole_column is not None and has_type and _none_readable(texts[name], problems):
            whole_column(name, problems)
        else:
            for problem in problems:  # in column order, whichever thread finished first
                add(*problem)
        notices.extend(said)
    blank = pd.Series([None] * len(rows), dtype=object)
    frame = pd.DataFrame({name: out.get(name, blank) for name in dataset_columns})
    frame.index = pd.Index(rows - 2)  # so schema failures map back to Excel rows
    return frame


def _none_readable(text: pa.Array, problems: list[tuple[int | None, str | None, object, str, str]]) -> bool:
    """Whether every filled cell of the column has a problem, the same one (and there are a few)."""
    if len(problems) < WHOLE_COLUMN_AT_LEAST or len({p[3] for p in problems}) != 1:
        return False
    filled = pc.sum(pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(pc.cast(text, pa.string()))), 0))
    return len(problems) == (filled.as_py() or 0)


def _typed(
    name: str, dtype: str, nullable: bool, text: pa.Array, rows: np.ndarray, decimal_comma: bool
) -> tuple[pd.Series, list[tuple[int | None, str | None, object, str, str]], list[str]]:
    """One column typed, with its problems and notices.

    Columns are typed in parallel: pyarrow and pandas release the interpreter's lock, so a two-core
    machine checks two columns at once.
    """
    problems: list[tuple[int | None, str | None, object, str, str]] = []
    notices: list[str] = []
    column = Column(name, _cleaned(text), rows, lambda *problem: problems.append(problem))
    empty = _screen(column, nullable)
    if dtype.startswith("datetime"):
        series = _dates(column, empty, notices)
    elif dtype in ("float64", "int64"):
        series = _numbers(column, empty, decimal_comma, whole=dtype == "int64")
    elif dtype == "bool":
        series = _booleans(column, empty)
    else:
        series = pd.Series(pc.if_else(pa.array(empty | column.refused), None, column.text).to_pandas())
    return series.reset_index(drop=True), problems, notices


def _cleaned(text: pa.Array) -> pa.Array:
    """Trimmed, line breaks written one way, and without the apostrophe our downloads put before formulas.

    A quoted cell may hold line breaks (RFC 4180): Excel on Windows writes CRLF, older tools a bare
    CR; every one becomes LF, the one the dashboard stores (whether the column may hold one is
    ``_screen``'s question).
    """
    if pc.any(pc.match_substring(text, "\r")).as_py():
        text = pc.replace_substring(pc.replace_substring(text, "\r\n", "\n"), "\r", "\n")
    trimmed = pc.utf8_trim_whitespace(text)
    if not pc.any(pc.starts_with(trimmed, "'")).as_py():
        return trimmed
    neutralised = pc.match_substring_regex(trimmed, r"^'[=+\-@]")
    return pc.if_else(neutralised, pc.utf8_slice_codeunits(trimmed, 1), trimmed)


MULTILINE_COLUMNS = frozenset({"text", "event", "quote", "note"})
"""Columns whose text may run over several lines: a message, a milestone, a quotation, a note."""


def _screen(column: Column, nullable: bool) -> np.ndarray:
    """Refuse cells too long, with a breaking character, a formula, or missing; return the empty cells."""
    lengths = pc.utf8_length(column.text)
    if column.name not in MULTILINE_COLUMNS:
        column.refuse(
            column.mask(pc.match_substring(column.text, "\n")),
            _("A line break inside the cell: {column} holds a single line.", column=column.name),
            _("Put the value on one line (in Excel, Alt+Enter adds a line break inside a cell)."),
        )
    column.refuse(
        column.mask(pc.greater(lengths, MAX_CELL_CHARS)),
        lambda v: (
            _(
                "The cell holds {count} characters; no cell may hold more than {limit}.",
                count=format(len(v), ","),
                limit=format(MAX_CELL_CHARS, ","),
            ),
            _("Shorten the text, or check for a missing closing quote that ran cells together."),
        ),
    )
    ascii_printable = pc.and_(pc.string_is_ascii(column.text), pc.ascii_is_printable(column.text))
    plain = column.mask(pc.or_(ascii_printable, pc.equal(lengths, 0)))  # no character can need a look
    unusual = np.flatnonzero(~plain & ~column.refused)
    bad = np.zeros(len(column.rows), dtype=bool)
    for index in unusual:  # only cells beyond plain ASCII need a look character by character
        bad[index] = bad_character(column.text[int(index)].as_py()) is not None
    column.refuse(
        bad,
        lambda v: (
            _(
                "The cell holds {character}, which can break pages, downloads or how text reads.",
                character=bad_character(v),
            ),
            _(
                "Retype the value, or paste it as plain text "
                "(in Excel: Paste Special > Values, then CLEAN())."
            ),
        ),
    )
    column.refuse(
        column.mask(pc.starts_with(column.text, "=")),
        _("The cell holds a formula, not a value."),
        _("In Excel copy the column and use Paste Special > Values."),
    )
    empty = column.mask(pc.equal(pc.utf8_length(column.text), 0))
    if not nullable:
        column.refuse(empty, _("Missing value."), _("Fill in this cell; the column is required."))
    return empty


def _open(column: Column, empty: np.ndarray) -> pd.Series:
    """The text of the cells still to read (not empty, not refused), indexed by position."""
    positions = np.flatnonzero(~empty & ~column.refused)
    text = column.text.take(pa.array(positions)).to_pandas()
    text.index = pd.Index(positions)
    return text


def _dates(column: Column, empty: np.ndarray, notices: list[str]) -> pd.Series:
    """Typed dates; ISO days (nearly every cell of a real file) are read by pyarrow, the rest by pandas."""
    positions = np.flatnonzero(~empty & ~column.refused)
    text = column.text.take(pa.array(positions))
    result = np.full(len(column.rows), np.datetime64("NaT"), dtype="datetime64[s]")
    try:  # a column of real ISO days, as nearly every file has: one strict cast in C++, 7 ms a million
        result[positions] = pc.cast(text, pa.date32()).to_numpy(zero_copy_only=False)
        return pd.Series(result).astype("datetime64[ns]")
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass  # some other form, or a day that does not exist: each cell is looked at below
    iso = column.mask(pc.match_substring_regex(text, ISO_DAY))
    if iso.any():
        days = text.filter(pa.array(iso))
        parsed, real = _iso_days(days, column)
        where = positions[iso][real]
        result[where] = parsed.filter(pa.array(real)).to_numpy(zero_copy_only=False)
        iso[np.flatnonzero(iso)[~real]] = False
    rest = text.filter(pa.array(~iso)).to_pandas()
    rest.index = pd.Index(positions[~iso])
    others = _other_dates(column, rest, notices)
    result[others.index.to_numpy(dtype=np.int64)] = others.to_numpy(dtype="datetime64[s]")
    return pd.Series(result).astype("datetime64[ns]")


def _iso_days(days: pa.Array, column: Column) -> tuple[pa.Array, np.ndarray]:
    """YYYY-MM-DD text as dates, and which are real days (2024-02-30 is not)."""
    try:  # the other cells were the odd ones out: these are usually all real days
        return pc.cast(days, pa.date32()), np.ones(len(days), dtype=bool)
    except pa.ArrowInvalid:
        pass
    parsed = pc.strptime(days, format="%Y-%m-%d", unit="s", error_is_null=True)
    # strptime rolls 2024-02-30 over to 1 March: a day is real only if its parts come back unchanged
    real = column.mask(
        pc.and_(
            pc.equal(pc.day(parsed), pc.cast(pc.utf8_slice_codeunits(days, 8, 10), pa.int64())),
            pc.equal(pc.month(parsed), pc.cast(pc.utf8_slice_codeunits(days, 5, 7), pa.int64())),
        )
    )
    return parsed, real


def _other_dates(column: Column, text: pd.Series, notices: list[str]) -> pd.Series:
    """Dates written day first, month first, with a time, or as Excel serial numbers."""
    found = pd.Series(dtype="datetime64[s]")
    if text.empty:
        return found
    parts = text.str.extract(SLASHED)
    slashed = parts[0].notna()
    first, second = (pd.to_numeric(parts[i], errors="coerce") for i in (0, 1))
    order = _date_order(column.name, first[slashed], second[slashed], notices)
    if order is None:
        either = slashed & (first <= 12) & (second <= 12) & (first != second)
        column.refuse(_at(either[either].index, len(column.rows)), _ambiguous)
        text = text[~either]
        parts, slashed = parts[~either], slashed[~either]
    if order == "mdy":
        swapped = parts[1] + "/" + parts[0] + "/" + parts[2] + parts[3].fillna("")
        text = text.where(~slashed, swapped)
    pieces = []
    for fmt in DATE_FORMATS:
        if text.empty:
            break
        parsed = pd.to_datetime(text, format=fmt, errors="coerce")
        pieces.append(parsed[parsed.notna()].dt.normalize())
        text = text[parsed.isna()]
    serial = text.str.fullmatch(EXCEL_SERIAL).fillna(False).astype(bool)
    days = pd.to_numeric(text[serial]).astype("int64")
    pieces.append(pd.Timestamp(EXCEL_EPOCH) + pd.to_timedelta(days, unit="D"))
    column.refuse(
        _at(text[~serial].index, len(column.rows)),
        _("Not a date."),
        _("Use YYYY-MM-DD, for example 2024-05-29."),
    )
    return pd.concat([found, *[p.astype("datetime64[s]") for p in pieces]])


def _at(positions: pd.Index | np.ndarray, size: int) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    mask[np.asarray(positions, dtype=np.int64)] = True
    return mask


def _ambiguous(value: str) -> tuple[str, str]:
    found = re.match(SLASHED, value)
    assert found is not None
    a, b, year = int(found.group(1)), int(found.group(2)), int(found.group(3))
    one, other = date(year, b, a), date(year, a, b)
    lang = speaking_now()
    return (
        _(
            "Ambiguous date: {one} or {other}? No other date in the column says which.",
            one=fmt_date(one, lang),
            other=fmt_date(other, lang),
        ),
        _("Write it as YYYY-MM-DD ({iso} for {one}).", iso=one.isoformat(), one=fmt_date(one, lang)),
    )


def _date_order(column: str, first: pd.Series, second: pd.Series, notices: list[str]) -> str | None:
    """Day-first or month-first for a column of dd/mm/yyyy-like dates; None when nothing tells.

    The dates that can be read only one way decide (a first part over 12 is a day).
    """
    day_first, month_first = bool((first > 12).any()), bool((second > 12).any())
    if day_first and not month_first:
        if bool(((first <= 12) & (second <= 12) & (first != second)).any()):
            notices.append(
                _("Dates in {column} read day first (dd/mm/yyyy), as its other dates show.", column=column)
            )
        return "dmy"
    if month_first and not day_first:
        notices.append(
            _("Dates in {column} read month first (mm/dd/yyyy), as its other dates show.", column=column)
        )
        return "mdy"
    return None


def _numbers(column: Column, empty: np.ndarray, decimal_comma: bool, whole: bool) -> pd.Series:
    text = _open(column, empty)
    cleaned = text.str.replace(r"[\u00a0 ']", "", regex=True)
    if decimal_comma:
        european = cleaned.str.fullmatch(r"-?[\d.]*,\d+|-?\d{1,3}(\.\d{3})+").fillna(False).astype(bool)
        cleaned = cleaned.where(~european, cleaned.str.replace(".", "").str.replace(",", "."))
    else:
        european = pd.Series(False, index=cleaned.index)
    grouped = cleaned.str.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?").fillna(False).astype(bool) & ~european
    cleaned = cleaned.where(~grouped, cleaned.str.replace(",", ""))
    numbers = pd.to_numeric(cleaned, errors="coerce")
    said_nan = cleaned.str.lower().isin(NAN_WORDS)
    size = len(column.rows)
    column.refuse(
        _at(numbers.index[numbers.isna() & ~said_nan], size),
        _("Not a number."),
        _("Use digits only, for example 1500000 or 1,500,000."),
    )
    implausible = said_nan | ~np.isfinite(numbers.fillna(0)) | (numbers.abs() > MAX_NUMBER)
    column.refuse(
        _at(numbers.index[implausible], size),
        _("Not a plausible amount or count (beyond {limit}).", limit=format(MAX_NUMBER, ",.0f")),
        _("Use the real figure in digits, for example 1500000."),
    )
    if whole:
        fraction = numbers.notna() & ~implausible & (numbers % 1 != 0)
        column.refuse(
            _at(numbers.index[fraction], size),
            _("Not a whole number."),
            _("Use a whole number, for example 2024."),
        )
    result = pd.Series(np.nan, index=range(size), dtype="float64")
    good = numbers.notna() & ~implausible
    result[numbers.index[good]] = numbers[good]
    return result


def _booleans(column: Column, empty: np.ndarray) -> pd.Series:
    words = _open(column, empty).str.lower()
    result = pd.Series(None, index=range(len(column.rows)), dtype=object)
    result[words.index[words.isin(TRUE_WORDS)]] = True
    result[words.index[words.isin(FALSE_WORDS)]] = False
    unread = ~words.isin(TRUE_WORDS + FALSE_WORDS)
    column.refuse(
        _at(words.index[unread], len(column.rows)), _("Not true or false."), _("Use true or false.")
    )
    return result


def parse_date(text: str) -> date | None:
    """A date from ISO, day-first, or an Excel serial number; None if it is none of these."""
    for fmt in DATE_FORMATS:
        parsed = pd.to_datetime(pd.Series([text]), format=fmt, errors="coerce")
        if parsed.notna().iloc[0]:
            return parsed.iloc[0].date()
    if re.fullmatch(EXCEL_SERIAL, text):
        return EXCEL_EPOCH + timedelta(days=int(float(text)))
    return None


def parse_number(text: str, decimal_comma: bool) -> float | None:
    """A number, thousands separators allowed (1,234,567 or 1 234 567; 1.234,5 in decimal-comma files)."""
    refused: list[str] = []
    column = Column("value", pa.array([text]), np.array([2]), lambda *a: refused.append(str(a[3])))
    value = _numbers(column, np.array([text.strip() == ""]), decimal_comma, whole=False).iloc[0]
    return None if refused or pd.isna(value) else float(value)
