"""The upload pipeline: every problem in a staff member's file, found at once, before anything is stored.

Order of checks, cheapest first: size (refused unread), empty, binary or mislabelled file, encoding
(UTF-8 with or without BOM, UTF-16 from Excel's "Unicode text", Windows-1252 converted and said so),
delimiter (comma, semicolon, tab), header (case and spacing forgiven, with the mapping shown;
missing, unknown and repeated columns), then every cell (formulas, dates in Excel's formats and as
serial numbers, numbers with thousands separators, booleans), then the schema (allowed values,
ranges, duplicates, status after receipt) and the references between datasets.

Each problem names the row as Excel shows it (the header is row 1), the column, the value, what is
wrong and how to fix it. Notices (a conversion, a header mapping) are not problems.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import re
import threading
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pandas as pd
import pandera.errors as pa_errors

from mandate_metrics.schemas import EARLIEST_DATE, SCHEMAS
from mandate_metrics.text import bad_character, visible

DELIMITERS = (",", ";", "\t")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 (its 1900 leap-year bug is before any date we accept)
DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%d-%m-%Y",
    "%Y-%m-%d %H:%M:%S",
    "%d/%m/%Y %H:%M",
)
SNIFF_BYTES = 64 * 1024
MAX_CELL_CHARS = 10_000  # longer cells are refused: no field of any dataset needs more
MAX_NUMBER = 1e12  # larger amounts or counts are not real (and 1e308 once crashed three pages)
MAX_UNZIPPED_BYTES = 200_000_000  # a workbook unpacking to more is refused before it is parsed
MAX_ZIP_RATIO = 200  # ... and so is any entry compressed more than this (a zip bomb)
MAX_ZIP_ENTRIES = 2_000
CHECKING = threading.BoundedSemaphore(2)  # files checked at once per server, whoever uploads them
CHECK_QUEUE_SECONDS = 60
REFERENCES: dict[str, tuple[tuple[str, str, str], ...]] = {
    # dataset: (column, referenced dataset, referenced column)
    "requests": (
        ("jurisdiction_id", "jurisdictions", "jurisdiction_id"),
        ("investigation_id", "investigations", "investigation_id"),
    ),
    "investigations": (("jurisdiction_id", "jurisdictions", "jurisdiction_id"),),
}
LEDGER_DATE_COLUMNS = {"requests": ("received_on", "status_on"), "investigations": ("stage_on",)}
ID_COLUMNS = {name: next(iter(model.to_schema().columns)) for name, model in SCHEMAS.items()}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an upload."""

    row: int | None  # as Excel shows it: the header is row 1, the first data row is row 2
    column: str | None
    value: str
    problem: str
    fix: str


@dataclass
class Report:
    """The outcome of validating one file: its problems, its notices, and the typed frame if valid."""

    dataset: str
    file_name: str
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    frame: pd.DataFrame | None = None
    header: list[str] = field(default_factory=list)

    @property
    def looks_like(self) -> str | None:
        """Another dataset whose columns this file's header matches better, if any: a likely wrong choice."""
        found = {_key(h) for h in self.header}
        if not found:
            return None
        scores = {name: len(found & {_key(c) for c in m.to_schema().columns}) for name, m in SCHEMAS.items()}
        best = max(scores, key=lambda name: scores[name])
        return best if best != self.dataset and scores[best] > scores[self.dataset] else None

    @property
    def ok(self) -> bool:
        """True when nothing stops a publish."""
        return not self.problems and self.frame is not None

    def table(self) -> pd.DataFrame:
        """The problems as a table staff can sort and download."""
        ordered = sorted(self.problems, key=lambda p: (p.row or 0, p.column or ""))
        return pd.DataFrame(
            [(p.row, p.column, p.value, p.problem, p.fix) for p in ordered],
            columns=["Row", "Column", "Value", "Problem", "How to fix"],
        )

    def add(self, row: int | None, column: str | None, value: object, problem: str, fix: str) -> None:
        """Record one problem; the value is kept short and with any invisible character made visible."""
        shown = "" if value is None else visible(str(value)[:200])
        self.problems.append(Problem(row, None if column is None else visible(column), shown, problem, fix))


# Reading the file -----------------------------------------------------------------------------


def _decode(data: bytes, report: Report) -> str | None:
    if data.startswith(b"\xef\xbb\xbf"):
        report.notices.append("Read as UTF-8 (the file starts with a byte-order mark, as Excel writes it).")
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        report.notices.append('Read as UTF-16 (Excel\'s "Unicode text"); converted to UTF-8.')
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
        report.notices.append(
            "The file was not UTF-8: read as Windows-1252 (Excel's CSV on Windows) and converted to UTF-8. "
            "Check accented names in the preview."
        )
        return text
    except UnicodeDecodeError:
        report.add(
            None,
            None,
            "",
            "The text encoding could not be recognised.",
            'In Excel use File > Save As > "CSV UTF-8 (Comma delimited)".',
        )
        return None


def _delimiter(text: str, report: Report) -> str:
    header = text.splitlines()[0] if text else ""
    counts = {d: header.count(d) for d in DELIMITERS}
    chosen = max(counts, key=lambda d: counts[d])
    chosen = chosen if counts[chosen] else ","
    if chosen != ",":
        report.notices.append(f"Read as {DELIMITER_NAMES[chosen]}-separated.")
    return chosen


def _read_csv(data: bytes, report: Report) -> tuple[list[str], list[tuple[int, list[str]]]] | None:
    head = data[:SNIFF_BYTES]
    if head.startswith(b"PK\x03\x04"):
        report.add(
            None,
            None,
            "",
            "This is an Excel workbook saved with a .csv name.",
            'Rename it to .xlsx, or save it from Excel as "CSV UTF-8".',
        )
        return None
    if b"\x00" in data and not head.startswith((b"\xff\xfe", b"\xfe\xff")):  # anywhere, not just the start
        report.add(
            None,
            None,
            "",
            "This is a binary file, not text.",
            "Upload the CSV or XLSX file itself (not a PDF, image or zip).",
        )
        return None
    text = _decode(data, report)
    if text is None:
        return None
    delimiter = _delimiter(text, report)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as exc:  # a cell beyond the csv module's own limit (131,072 characters)
        report.add(
            reader.line_num,
            None,
            "",
            f"A cell is far too long to be a value ({exc}).",
            f"Check for an unclosed quote; no cell may hold more than {MAX_CELL_CHARS:,} characters.",
        )
        return None
    if not rows:
        return [], []
    return rows[0], [(number, row) for number, row in enumerate(rows[1:], start=2)]


def _read_xlsx(
    data: bytes, sheet: str | None, report: Report
) -> tuple[list[str], list[tuple[int, list[str]]]] | None:
    import openpyxl  # noqa: PLC0415 - only uploads need it

    if not data.startswith(b"PK\x03\x04"):
        report.add(
            None,
            None,
            "",
            "This file is named .xlsx but is not an Excel workbook.",
            "Open it in Excel and save it again as an Excel Workbook (.xlsx), or upload it as CSV.",
        )
        return None
    if not _workbook_size_ok(data, report):
        return None
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=False, read_only=True)
        return _sheet_rows(book, sheet, report)
    except Exception as exc:  # noqa: BLE001 - malformed XML raises many kinds; every one is a report
        report.add(
            None,
            None,
            "",
            f"The workbook could not be read ({visible(type(exc).__name__)}: {visible(str(exc)[:120])}).",
            "Open it in Excel and save it again as an Excel Workbook (.xlsx), or upload it as CSV UTF-8.",
        )
        return None


def _workbook_size_ok(data: bytes, report: Report) -> bool:
    """Refuse a workbook whose entries unpack out of proportion, before any XML is parsed."""
    try:
        entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except zipfile.BadZipFile as exc:
        report.add(None, None, "", f"The workbook could not be opened ({exc}).", "Save it again from Excel.")
        return False
    unpacked = sum(e.file_size for e in entries)
    squeezed = [
        e
        for e in entries
        if e.file_size > 1_000_000 and e.file_size > MAX_ZIP_RATIO * max(1, e.compress_size)
    ]
    if len(entries) > MAX_ZIP_ENTRIES or unpacked > MAX_UNZIPPED_BYTES or squeezed:
        report.add(
            None,
            None,
            f"{unpacked / 1e6:,.0f} MB unpacked",
            "The workbook unpacks to far more than its size (or to too many parts) for a data table, "
            "so it was not read.",
            "Open it in Excel, copy the data to a new workbook and save that, or upload it as CSV UTF-8.",
        )
        return False
    return True


def _sheet_rows(
    book: Any, sheet: str | None, report: Report
) -> tuple[list[str], list[tuple[int, list[str]]]] | None:
    if sheet and sheet not in book.sheetnames:
        report.add(
            None,
            None,
            sheet,
            f"There is no sheet called {visible(sheet)!r}.",
            f"Choose one of: {', '.join(visible(n) for n in book.sheetnames)}.",
        )
        return None
    worksheet = book[sheet] if sheet else book.worksheets[0]
    if sheet is None and len(book.sheetnames) > 1:
        report.notices.append(
            f"Read the first sheet, {visible(worksheet.title)!r}, of {len(book.sheetnames)}."
        )
    rows = [[_xlsx_cell(v) for v in row] for row in worksheet.iter_rows(values_only=True)]
    if not rows:
        return [], []
    return rows[0], [(number, row) for number, row in enumerate(rows[1:], start=2)]


def _xlsx_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# Header ---------------------------------------------------------------------------------------


def _key(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())


def _map_header(dataset: str, header: list[str], report: Report) -> dict[int, str] | None:
    expected = list(SCHEMAS[dataset].to_schema().columns)
    wanted = {_key(c): c for c in expected}
    mapping: dict[int, str] = {}
    for position, name in enumerate(header):
        if not str(name).strip():
            continue
        column = wanted.get(_key(name))
        if column is None:
            near = difflib.get_close_matches(_key(name), list(wanted), n=1, cutoff=0.6)
            hint = f"Did you mean {wanted[near[0]]}? " if near else ""
            report.add(
                1,
                str(name),
                name,
                f"Unknown column {name!r} for {dataset}.",
                f"{hint}Rename it, or remove it. The columns are: {', '.join(expected)}.",
            )
        elif column in mapping.values():
            report.add(1, column, name, f"Column {column} appears twice.", "Keep one of the two columns.")
        else:
            mapping[position] = column
            if name != column:
                report.notices.append(f"Column {name!r} read as {column}.")
    for column in expected:
        if column not in mapping.values():
            report.add(
                1,
                column,
                "",
                f"Required column {column} is missing.",
                "Add the column (download the template to see every column).",
            )
    # Rows are still checked with the columns that were found, so one upload shows every problem;
    # a file in which no column is recognised is not a table for this dataset at all.
    return mapping or None


# Cells ----------------------------------------------------------------------------------------


def parse_date(text: str) -> date | None:
    """A date from ISO, day-first, or an Excel serial number; None if it is none of these."""
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    if re.fullmatch(r"\d{5}(\.0+)?", text):  # an Excel serial date such as 45441
        return EXCEL_EPOCH + timedelta(days=int(float(text)))
    return None


def parse_number(text: str, decimal_comma: bool) -> float | None:
    """A number, thousands separators allowed (1,234,567 or 1 234 567; 1.234,5 in decimal-comma files)."""
    cleaned = text.replace("\u00a0", "").replace(" ", "").replace("'", "")
    if decimal_comma and re.fullmatch(r"-?[\d.]*,\d+|-?\d{1,3}(\.\d{3})+", cleaned):
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", cleaned):
        cleaned = cleaned.replace(",", "")
    try:
        return float(cleaned)
    except ValueError:
        return None


def _convert(
    dataset: str,
    columns: list[str],
    rows: list[tuple[int, dict[str, str]]],
    decimal_comma: bool,
    report: Report,
    missing: set[str] = frozenset(),  # type: ignore[assignment]
) -> pd.DataFrame:
    """Turn text cells into typed values; every cell that cannot be read is a problem."""
    schema = SCHEMAS[dataset].to_schema().columns
    out: dict[str, list[Any]] = {c: [] for c in columns}
    orders = {
        c: _date_order(c, [r.get(c, "").strip() for _, r in rows], report)
        for c in columns
        if str(schema[c].dtype).startswith("datetime") and c not in missing
    }
    for number, row in rows:
        for column in columns:
            if column in missing:
                out[column].append(None)
                continue
            text = _unneutralised(row.get(column, "").strip())
            out[column].append(
                _cell(
                    dataset,
                    column,
                    str(schema[column].dtype),
                    text,
                    number,
                    decimal_comma,
                    bool(schema[column].nullable),
                    report,
                    orders.get(column),
                )
            )
    frame = pd.DataFrame(out)
    frame.index = [number - 2 for number, _ in rows]  # so schema failures map back to Excel rows
    return frame


def _unneutralised(text: str) -> str:
    """Undo the apostrophe our own downloads put before formula-like text, so they upload unchanged."""
    return text[1:] if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@") else text


SLASHED = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})( .*)?$")


def _date_order(column: str, texts: list[str], report: Report) -> str | None:
    """Day-first or month-first for a column of dd/mm/yyyy-like dates; None when nothing tells.

    The dates that can be read only one way decide (a first part over 12 is a day).
    """
    parts = [(int(m.group(1)), int(m.group(2))) for t in texts if (m := SLASHED.match(t))]
    day_first = any(a > 12 for a, _ in parts)
    month_first = any(b > 12 for _, b in parts)
    if day_first and not month_first:
        if any(a <= 12 and b <= 12 and a != b for a, b in parts):
            report.notices.append(f"Dates in {column} read day first (dd/mm/yyyy), as its other dates show.")
        return "dmy"
    if month_first and not day_first:
        report.notices.append(f"Dates in {column} read month first (mm/dd/yyyy), as its other dates show.")
        return "mdy"
    return None


def _cell(
    dataset: str,
    column: str,
    dtype: str,
    text: str,
    row: int,
    decimal_comma: bool,
    nullable: bool,
    report: Report,
    date_order: str | None = None,
) -> Any:
    if len(text) > MAX_CELL_CHARS:
        report.add(
            row,
            column,
            text[:60] + "…",
            f"The cell holds {len(text):,} characters; no cell may hold more than {MAX_CELL_CHARS:,}.",
            "Shorten the text, or check for a missing closing quote that ran cells together.",
        )
        return None
    bad = bad_character(text)
    if bad is not None:
        report.add(
            row,
            column,
            text,
            f"The cell holds {bad}, which can break pages, downloads or how text reads.",
            "Retype the value, or paste it as plain text (in Excel: Paste Special > Values, then CLEAN()).",
        )
        return None
    if text.startswith("="):
        report.add(
            row,
            column,
            text,
            "The cell holds a formula, not a value.",
            "In Excel copy the column and use Paste Special > Values.",
        )
        return None
    if text == "":
        if not nullable:
            report.add(row, column, "", "Missing value.", "Fill in this cell; the column is required.")
        return None
    if dtype.startswith("datetime"):
        slashed = SLASHED.match(text)
        if slashed and date_order is None:
            first, second = int(slashed.group(1)), int(slashed.group(2))
            if first <= 12 and second <= 12 and first != second:
                one, other = (
                    date(int(slashed.group(3)), second, first),
                    date(int(slashed.group(3)), first, second),
                )
                report.add(
                    row,
                    column,
                    text,
                    f"Ambiguous date: {one:%-d %B %Y} or {other:%-d %B %Y}? No other date in the column "
                    "says which.",
                    f"Write it as YYYY-MM-DD ({one.isoformat()} for {one:%-d %B %Y}).",
                )
                return None
        if slashed and date_order == "mdy":
            text = f"{slashed.group(2)}/{slashed.group(1)}/{slashed.group(3)}{slashed.group(4) or ''}"
        parsed = parse_date(text)
        if parsed is None:
            report.add(row, column, text, "Not a date.", "Use YYYY-MM-DD, for example 2024-05-29.")
        return parsed
    if dtype in ("float64", "int64"):
        number = parse_number(text, decimal_comma)
        if number is None:
            report.add(
                row, column, text, "Not a number.", "Use digits only, for example 1500000 or 1,500,000."
            )
        elif not math.isfinite(number) or abs(number) > MAX_NUMBER:
            report.add(
                row,
                column,
                text,
                f"Not a plausible amount or count (beyond {MAX_NUMBER:,.0f}).",
                "Use the real figure in digits, for example 1500000.",
            )
            return None
        elif dtype == "int64" and not float(number).is_integer():
            report.add(row, column, text, "Not a whole number.", "Use a whole number, for example 2024.")
        return number
    if dtype == "bool":
        word = text.lower()
        if word in ("true", "yes", "1"):
            return True
        if word in ("false", "no", "0"):
            return False
        report.add(row, column, text, "Not true or false.", "Use true or false.")
        return None
    return text


# Schema and cross-checks ----------------------------------------------------------------------

HINTS = {
    "isin": ("Not one of the allowed values.", "Use one of: {allowed}."),
    "greater_than_or_equal_to": ("Below the smallest allowed value.", "Use a value of at least {limit}."),
    "less_than_or_equal_to": ("Above the largest allowed value.", "Use a value of at most {limit}."),
    "str_matches": ("Not in the expected form.", "Follow the pattern {limit} (for example a 3-letter code)."),
    "field_uniqueness": ("Duplicate id.", "Each id must appear once; remove or renumber the repeated row."),
    "not_nullable": ("Missing value.", "Fill in this cell; the column is required."),
}


def _schema_problems(
    dataset: str, frame: pd.DataFrame, report: Report, missing: set[str]
) -> pd.DataFrame | None:
    model = SCHEMAS[dataset]
    try:
        return model.validate(frame, lazy=True)
    except pa_errors.SchemaErrors as exc:
        columns = model.to_schema().columns
        for case in exc.failure_cases.to_dict("records"):
            if case["column"] not in missing:  # a missing column is one header problem, not one per row
                _schema_problem(dataset, case, columns, report)
        return None


def _schema_problem(dataset: str, case: dict[str, Any], columns: Any, report: Report) -> None:
    row = None if pd.isna(case["index"]) else int(case["index"]) + 2
    check, column = str(case["check"]), case["column"]
    if "status_on must not be before received_on" in check:
        # Reported once per row (pandera lists every column of it), and not where a date was unreadable.
        dates_reported = any(
            p.row == row and p.column in ("received_on", "status_on") for p in report.problems
        )
        if column == "status_on" and not dates_reported:
            value = case["failure_case"]
            shown = value.date().isoformat() if isinstance(value, pd.Timestamp) else value
            report.add(
                row,
                "status_on",
                shown,
                "The status date is before the date received.",
                "A request cannot change status before it arrives: correct either date.",
            )
        return
    if any(p.row == row and p.column == column for p in report.problems):
        return
    if column == dataset or check.startswith("column_in_"):  # dataframe-level checks already reported
        return
    name = check.split("(")[0]
    problem, fix = HINTS.get(name, (f"Fails the check {check}.", "Correct the value."))
    allowed, limit = "", check[check.find("(") + 1 : -1] if "(" in check else ""
    spec = columns.get(column)
    if spec is not None and name == "isin":
        allowed = ", ".join(
            str(v) for c in spec.checks if c.name == "isin" for v in c.statistics["allowed_values"]
        )
    if name == "greater_than_or_equal_to" and limit in ("0", "0.0"):
        problem, fix = (
            "Negative amount.",
            "Amounts cannot be negative; enter the amount without a minus sign.",
        )
    if name == "greater_than_or_equal_to" and limit.startswith("20") and "-" in limit:
        problem, fix = "Date before the IIIM existed.", f"Dates start on {EARLIEST_DATE.date().isoformat()}."
    value = case["failure_case"]
    if isinstance(value, pd.Timestamp):
        value = value.date().isoformat()
    report.add(row, column, value, problem, fix.format(allowed=allowed, limit=limit))


def _future_dates(dataset: str, frame: pd.DataFrame, today: date, report: Report) -> None:
    for column in LEDGER_DATE_COLUMNS.get(dataset, ()):
        dates = pd.to_datetime(frame[column], errors="coerce")  # typed, or as read (None where unreadable)
        late = dates[dates > pd.Timestamp(today)]
        for index, value in late.items():
            report.add(
                _row(index),
                column,
                value.date().isoformat(),
                "Date in the future.",
                f"Dates cannot be after today ({today.isoformat()}); check the year.",
            )


def _references(
    dataset: str, frame: pd.DataFrame, others: Mapping[str, pd.DataFrame], report: Report
) -> None:
    for column, target, target_column in REFERENCES.get(dataset, ()):
        if target not in others:
            continue
        known = set(others[target][target_column])
        unknown = frame[frame[column].notna() & ~frame[column].isin(known)]
        for index, value in unknown[column].items():
            report.add(
                _row(index),
                column,
                value,
                f"Unknown {target_column}: not in {target}.",
                f"Add it to {target} first (or upload the {target} file together with this one), "
                "or correct the id.",
            )


def _append_duplicates(dataset: str, frame: pd.DataFrame, current: pd.DataFrame, report: Report) -> None:
    column = ID_COLUMNS[dataset]
    clash = frame[frame[column].isin(set(current[column]))]
    for index, value in clash[column].items():
        report.add(
            _row(index),
            column,
            value,
            "This id is already in the published data.",
            "Appending adds new rows only: remove this row. To change a published row, download the "
            "current data, edit the row there and upload that whole file.",
        )


def _row(index: object) -> int:
    """The Excel row of a frame index (data row 0 is row 2: the header is row 1)."""
    return int(str(index)) + 2


# The pipeline ---------------------------------------------------------------------------------


def validate_upload(
    dataset: str,
    file_name: str,
    data: bytes,
    *,
    max_bytes: int,
    sheet: str | None = None,
    others: Mapping[str, pd.DataFrame] | None = None,
    append_to: pd.DataFrame | None = None,
    today: date | None = None,
) -> Report:
    """Validate one uploaded file for ``dataset``; nothing is stored, whatever the outcome.

    Args:
        dataset: the dataset the file is for.
        file_name: as uploaded; its extension chooses CSV or XLSX.
        data: the file's bytes.
        max_bytes: larger files are refused before they are read.
        sheet: for a workbook, the sheet to read (default: the first).
        others: current (or companion) frames of the datasets this one refers to.
        append_to: the current data when appending, to refuse ids already published.
        today: the day after which dates are in the future (default: today, UTC).
    """
    report = Report(dataset=dataset, file_name=file_name)
    if dataset not in SCHEMAS:
        report.add(
            None, None, dataset, f"Unknown dataset {dataset!r}.", f"Choose one of: {', '.join(SCHEMAS)}."
        )
        return report
    if len(data) > max_bytes:
        report.add(
            None,
            None,
            f"{len(data) / 1e6:.1f} MB",
            f"The file is larger than the {max_bytes / 1e6:g} MB limit, so it was not read.",
            "Split the file, or remove columns and rows that are not part of the dataset.",
        )
        return report
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        report.add(None, None, "", "The file is empty.", "Upload the file with its header row and data.")
        return report
    if not CHECKING.acquire(timeout=CHECK_QUEUE_SECONDS):
        report.add(
            None,
            None,
            "",
            "The server is checking other files right now; this one was not read.",
            "Upload it again in a minute.",
        )
        return report
    try:
        return _read_and_check(report, data, sheet, others, append_to, today)
    finally:
        CHECKING.release()


def _read_and_check(
    report: Report,
    data: bytes,
    sheet: str | None,
    others: Mapping[str, pd.DataFrame] | None,
    append_to: pd.DataFrame | None,
    today: date | None,
) -> Report:
    file_name = report.file_name
    suffix = file_name.lower().rsplit(".", 1)[-1] if "." in file_name else ""
    if suffix not in ("csv", "txt", "tsv", "xlsx"):
        report.add(
            None,
            None,
            file_name,
            "Only CSV and XLSX files can be uploaded.",
            "Save the file from Excel as CSV UTF-8 or as an Excel Workbook (.xlsx).",
        )
        return report
    read = _read_xlsx(data, sheet, report) if suffix == "xlsx" else _read_csv(data, report)
    if read is None:
        return report
    header, raw_rows = read
    report.header = [str(h) for h in header]
    return _validate_rows(
        report,
        header,
        raw_rows,
        decimal_comma="Read as semicolon-separated." in report.notices,
        others=others or {},
        append_to=append_to,
        today=today or datetime.now(UTC).date(),
    )


def _validate_rows(
    report: Report,
    header: list[str],
    raw_rows: list[tuple[int, list[str]]],
    *,
    decimal_comma: bool,
    others: Mapping[str, pd.DataFrame],
    append_to: pd.DataFrame | None,
    today: date,
) -> Report:
    dataset = report.dataset
    rows = [(n, r) for n, r in raw_rows if any(str(c).strip() for c in r)]
    if len(rows) < len(raw_rows):
        report.notices.append(f"Ignored {len(raw_rows) - len(rows)} blank row(s).")
    if not header or not rows:
        report.add(
            None,
            None,
            "",
            "The file has no data rows." if header else "The file is empty.",
            "Add the data under the header row (download the template for the layout).",
        )
        return report
    mapping = _map_header(dataset, header, report)
    if mapping is None:
        return report
    width = len(header)
    named: list[tuple[int, dict[str, str]]] = []
    for number, row in rows:
        if len(row) > width and any(str(c).strip() for c in row[width:]):
            report.add(
                number,
                None,
                "",
                f"The row has {len(row)} cells but the header has {width}.",
                "Check for an extra separator (a comma inside a value needs quotes).",
            )
        named.append(
            (number, {column: str(row[pos]) if pos < len(row) else "" for pos, column in mapping.items()})
        )
    columns = list(SCHEMAS[dataset].to_schema().columns)
    missing = set(columns) - set(mapping.values())  # already reported once, in the header
    frame = _convert(dataset, columns, named, decimal_comma, report, missing)
    # The schema and every cross-check run even when some cells could not be read, so one upload
    # shows every problem; cells already reported are not reported twice.
    typed = _schema_problems(dataset, frame, report, missing)
    checked = typed if typed is not None else frame
    _future_dates(dataset, checked, today, report)
    _references(dataset, checked, others, report)
    if append_to is not None:
        _append_duplicates(dataset, checked, append_to, report)
    if typed is not None and not report.problems:
        report.frame = typed.reset_index(drop=True)
    return report
