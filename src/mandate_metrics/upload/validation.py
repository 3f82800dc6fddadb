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

import difflib
import re
import threading
from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

import pandas as pd
import pandera.errors as pa_errors
from pandera.pandas import DataFrameSchema

from mandate_metrics.frames import member, repeated
from mandate_metrics.i18n import _, gettext_noop, ngettext
from mandate_metrics.schemas import EARLIEST_DATE, OPTIONAL, SCHEMAS
from mandate_metrics.text import visible
from mandate_metrics.upload.cells import MAX_CELL_CHARS, parse_date, parse_number, typed_frame
from mandate_metrics.upload.reading import DELIMITER_NOTICES, Table, blank_rows, read_csv, read_xlsx
from mandate_metrics.upload.workbook import Sheet

__all__ = ["MAX_CELL_CHARS", "Problem", "Report", "parse_date", "parse_number", "validate_upload"]

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
    _cells: set[tuple[int | None, str | None]] = field(default_factory=set, repr=False)

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

    def ordered(self) -> list[Problem]:
        """The problems causes first (no row, then the header), then by row and column."""
        return sorted(self.problems, key=lambda p: (p.row or 0, p.column or ""))

    @staticmethod
    def headings() -> list[str]:
        """The problem table's column names, in the language of this check."""
        return [_("Row"), _("Column"), _("Value"), _("Problem"), _("How to fix")]

    def table(self) -> pd.DataFrame:
        """The problems as a table staff can sort and download."""
        return pd.DataFrame(
            [(p.row, p.column, p.value, p.problem, p.fix) for p in self.ordered()], columns=self.headings()
        )

    def add(self, row: int | None, column: str | None, value: object, problem: str, fix: str) -> None:
        """Record one problem; the value is kept short and with any invisible character made visible."""
        shown = "" if value is None else visible(str(value)[:200])
        self.problems.append(Problem(row, None if column is None else visible(column), shown, problem, fix))
        self._cells.add((row, column))

    def add_many(
        self, column: str | None, rows: list[int | None], values: list[object], problem: str, fix: str
    ) -> None:
        """Record one kind of problem in one column for many rows; a cell already reported is skipped."""
        for row, value in zip(rows, values, strict=True):
            if not self.reported(row, column):
                self.add(row, column, value, problem, fix)

    def add_column(self, column: str, cells: list[tuple[int | None, str | None, object, str, str]]) -> None:
        """One problem for a column none of whose values could be read; its cells count as reported.

        Text in a date column, or columns shifted by one: the cause is the column, and a report of
        10,000 identical rows would bury it.
        """
        rows = [row for row, *_ in cells if row is not None]
        first = ", ".join(str(r) for r in rows[:5]) + (", …" if len(rows) > 5 else "")
        _row, _column, value, problem, fix = cells[0]
        self.add(
            None,
            column,
            value,
            _(
                "No value in this column can be read: {problem} ({n} rows: {rows}).",
                problem=problem.rstrip("."),
                n=len(cells),
                rows=first,
            ),
            fix + " " + _("Check that the column holds what its header says, and that no column is shifted."),
        )
        self._cells.update((row, column) for row in rows)

    def reported(self, row: int | None, column: str | None) -> bool:
        """True when this cell already has a problem (one problem per cell keeps the report readable)."""
        return (row, column) in self._cells


# Header ---------------------------------------------------------------------------------------


def _key(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())


def _near(column: str, unknown: list[str]) -> str | None:
    """The unknown header that looks like ``column`` (a misspelling, not a column left out), if any."""
    near = difflib.get_close_matches(_key(column), [_key(u) for u in unknown], n=1, cutoff=0.6)
    return next(u for u in unknown if _key(u) == near[0]) if near else None


def _map_header(dataset: str, header: list[str], report: Report) -> dict[int, str] | None:
    """Which file column is which dataset column; header problems are reported as their causes.

    A misspelt header is one problem ("received_on is missing; recieved_on looks like it"), not an
    unknown column plus a missing one; the rules that need a missing column are then not run.
    """
    expected = list(SCHEMAS[dataset].to_schema().columns)
    wanted = {_key(c): c for c in expected}
    mapping: dict[int, str] = {}
    unknown: list[str] = []
    for position, name in enumerate(header):
        if not str(name).strip():
            continue
        column = wanted.get(_key(name))
        if column is None:
            unknown.append(str(name))
        elif column in mapping.values():
            report.add(
                1,
                column,
                name,
                _("Column {column} appears twice.", column=column),
                _("Keep one of the two columns."),
            )
        else:
            mapping[position] = column
            if name != column:
                report.notices.append(_("Column {name} read as {column}.", name=repr(name), column=column))
    missing = [c for c in expected if c not in mapping.values()]
    left_out = [c for c in missing if c in OPTIONAL.get(dataset, ()) and _near(c, unknown) is None]
    if left_out:
        report.notices.append(_("Columns left out, read as empty: {columns}.", columns=", ".join(left_out)))
    for column in [c for c in missing if c not in left_out]:
        found = _near(column, unknown)
        if found is not None:
            unknown.remove(found)
            report.add(
                1,
                column,
                found,
                _(
                    "Column {column} is missing; {found} looks like it.",
                    column=column,
                    found=repr(found),
                ),
                _(
                    "Did you mean {column}? Rename the header {found} to {column}.",
                    column=column,
                    found=repr(found),
                ),
            )
        else:
            report.add(
                1,
                column,
                "",
                _("Required column {column} is missing.", column=column),
                _("Add the column (download the template to see every column)."),
            )
    for name in unknown:
        report.add(
            1,
            name,
            name,
            _("Unknown column {name} for {dataset}.", name=repr(name), dataset=dataset),
            _("Rename it, or remove it. The columns are: {columns}.", columns=", ".join(expected)),
        )
    # Rows are still checked with the columns that were found, so one upload shows every problem;
    # a file in which no column is recognised is not a table for this dataset at all.
    return mapping or None


# Schema and cross-checks ----------------------------------------------------------------------

# English message ids, translated where a problem is reported (``_`` then knows the language).
HINTS = {
    "isin": (gettext_noop("Not one of the allowed values."), gettext_noop("Use one of: {allowed}.")),
    "greater_than_or_equal_to": (
        gettext_noop("Below the smallest allowed value."),
        gettext_noop("Use a value of at least {limit}."),
    ),
    "less_than_or_equal_to": (
        gettext_noop("Above the largest allowed value."),
        gettext_noop("Use a value of at most {limit}."),
    ),
    "str_matches": (
        gettext_noop("Not in the expected form."),
        gettext_noop("Follow the pattern {limit} (for example a 3-letter code)."),
    ),
    "field_uniqueness": (
        gettext_noop("Duplicate id."),
        gettext_noop("Each id must appear once; remove or renumber the repeated row."),
    ),
    "not_nullable": (
        gettext_noop("Missing value."),
        gettext_noop("Fill in this cell; the column is required."),
    ),
}


def _schema_problems(
    dataset: str, frame: pd.DataFrame, report: Report, missing: set[str]
) -> pd.DataFrame | None:
    """The schema's checks, reported a check and column at a time (not a failure case at a time).

    Each kind of failure gets its message once, and its rows and values are listed together:
    10,000 failing cells cost a few milliseconds rather than a tenth of a second.
    """
    _repeated_ids(dataset, frame, report, missing)
    try:
        return _checks_but_unique(dataset).validate(frame, lazy=True)
    except pa_errors.SchemaErrors as exc:
        columns = SCHEMAS[dataset].to_schema().columns
        cases = exc.failure_cases
        # a missing column is one header problem, not one per row; dataframe-level checks (the
        # header's) are already reported
        cases = cases[~cases["column"].isin(missing) & (cases["column"] != dataset)]
        for (column, check), group in cases.groupby(["column", "check"], sort=False, dropna=False):
            rows = [None if pd.isna(i) else int(i) + 2 for i in group["index"].tolist()]
            values = [_shown(v) for v in group["failure_case"].tolist()]
            _schema_failure(str(check), column, rows, values, columns, report, missing)
        return None


@cache
def _unique_columns(dataset: str) -> tuple[str, ...]:
    return tuple(name for name, spec in SCHEMAS[dataset].to_schema().columns.items() if spec.unique)


@cache
def _checks_but_unique(dataset: str) -> DataFrameSchema:
    """The dataset's schema without its uniqueness checks, which ``_repeated_ids`` makes in one pass."""
    return (
        SCHEMAS[dataset]
        .to_schema()
        .update_columns({name: {"unique": False} for name in _unique_columns(dataset)})
    )


def _repeated_ids(dataset: str, frame: pd.DataFrame, report: Report, missing: set[str]) -> None:
    """Every row whose id (or other unique value) occurs more than once, each occurrence named."""
    problem, fix = HINTS["field_uniqueness"]
    for column in _unique_columns(dataset):
        if column in missing:
            continue
        twice = frame[column][repeated(frame[column])]
        rows: list[int | None] = [_row(index) for index in twice.index]
        report.add_many(column, rows, [_shown(v) for v in twice.tolist()], _(problem), _(fix))


def _shown(value: object) -> object:
    return value.date().isoformat() if isinstance(value, pd.Timestamp) else value


def _schema_failure(  # noqa: PLR0913 - one check's failures in one column, and where to report them
    check: str,
    column: str,
    rows: list[int | None],
    values: list[object],
    columns: Any,
    report: Report,
    missing: set[str],
) -> None:
    if "status_on must not be before received_on" in check:
        if column != "status_on" or missing & {"status_on", "received_on"}:
            return  # reported once per row (pandera lists every column of it), or the header says why
        # not where a date was unreadable: that cell's own problem says what is wrong
        kept = [(r, v) for r, v in zip(rows, values, strict=True) if not report.reported(r, "received_on")]
        report.add_many(
            "status_on",
            [r for r, _v in kept],
            [v for _r, v in kept],
            _("The status date is before the date received."),
            _("A request cannot change status before it arrives: correct either date."),
        )
        return
    if check.startswith("column_in_"):  # dataframe-level checks already reported
        return
    name = check.split("(")[0]
    problem, fix = HINTS.get(
        name, (gettext_noop("Fails the check {check}."), gettext_noop("Correct the value."))
    )
    allowed, limit = "", check[check.find("(") + 1 : -1] if "(" in check else ""
    spec = columns.get(column)
    if spec is not None and name == "isin":
        allowed = ", ".join(
            str(v) for c in spec.checks if c.name == "isin" for v in c.statistics["allowed_values"]
        )
    if name == "greater_than_or_equal_to" and limit in ("0", "0.0"):
        problem, fix = (
            gettext_noop("Negative amount."),
            gettext_noop("Amounts cannot be negative; enter the amount without a minus sign."),
        )
    if name == "greater_than_or_equal_to" and limit.startswith("20") and "-" in limit:
        problem, fix = gettext_noop("Date before the IIIM existed."), gettext_noop("Dates start on {first}.")
    first = EARLIEST_DATE.date().isoformat()
    report.add_many(
        column, rows, values, _(problem, check=check), _(fix, allowed=allowed, limit=limit, first=first)
    )


def _future_dates(dataset: str, frame: pd.DataFrame, today: date, report: Report) -> None:
    for column in LEDGER_DATE_COLUMNS.get(dataset, ()):
        dates = pd.to_datetime(frame[column], errors="coerce")  # typed, or as read (None where unreadable)
        late = dates[dates > pd.Timestamp(today)]
        for index, value in late.items():
            report.add(
                _row(index),
                column,
                value.date().isoformat(),
                _("Date in the future."),
                _("Dates cannot be after today ({today}); check the year.", today=today.isoformat()),
            )


def _references(
    dataset: str, frame: pd.DataFrame, others: Mapping[str, pd.DataFrame], report: Report
) -> None:
    for column, target, target_column in REFERENCES.get(dataset, ()):
        if target not in others:
            continue
        unknown = frame[frame[column].notna() & ~member(frame[column], others[target][target_column])]
        for index, value in unknown[column].items():
            report.add(
                _row(index),
                column,
                value,
                _("Unknown {column}: not in {dataset}.", column=target_column, dataset=target),
                _(
                    "Add it to {dataset} first (or upload the {dataset} file together with this one), "
                    "or correct the id.",
                    dataset=target,
                ),
            )


def _append_duplicates(dataset: str, frame: pd.DataFrame, current: pd.DataFrame, report: Report) -> None:
    column = ID_COLUMNS[dataset]
    clash = frame[member(frame[column], current[column])]
    for index, value in clash[column].items():
        report.add(
            _row(index),
            column,
            value,
            _("This id is already in the published data."),
            _(
                "Appending adds new rows only: remove this row. To change a published row, download the "
                "current data, edit the row there and upload that whole file."
            ),
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
    parsed: Future[Sheet | None] | None = None,
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
        parsed: for a workbook, its sheet being parsed from these same bytes (``workbook.start``).
    """
    report = Report(dataset=dataset, file_name=file_name)
    if dataset not in SCHEMAS:
        report.add(
            None,
            None,
            dataset,
            _("Unknown dataset {name}.", name=repr(dataset)),
            _("Choose one of: {names}.", names=", ".join(SCHEMAS)),
        )
        return report
    if len(data) > max_bytes:
        report.add(
            None,
            None,
            f"{len(data) / 1e6:.1f} MB",
            _(
                "The file is larger than the {mb} MB limit, so it was not read.",
                mb=format(max_bytes / 1e6, "g"),
            ),
            _("Split the file, or remove columns and rows that are not part of the dataset."),
        )
        return report
    blank = b" \t\r\n\xef\xbb\xbf"
    if not data[:4096].strip(blank) and not data.strip(blank):  # (a full strip copies the file)
        report.add(
            None, None, "", _("The file is empty."), _("Upload the file with its header row and data.")
        )
        return report
    if not CHECKING.acquire(timeout=CHECK_QUEUE_SECONDS):
        report.add(
            None,
            None,
            "",
            _("The server is checking other files right now; this one was not read."),
            _("Upload it again in a minute."),
        )
        return report
    try:
        return _read_and_check(report, data, sheet, others, append_to, today, parsed)
    finally:
        CHECKING.release()


def _read_and_check(
    report: Report,
    data: bytes,
    sheet: str | None,
    others: Mapping[str, pd.DataFrame] | None,
    append_to: pd.DataFrame | None,
    today: date | None,
    parsed: Future[Sheet | None] | None,
) -> Report:
    file_name = report.file_name
    suffix = file_name.lower().rsplit(".", 1)[-1] if "." in file_name else ""
    if suffix not in ("csv", "txt", "tsv", "xlsx"):
        report.add(
            None,
            None,
            file_name,
            _("Only CSV and XLSX files can be uploaded."),
            _("Save the file from Excel as CSV UTF-8 or as an Excel Workbook (.xlsx)."),
        )
        return report
    if suffix == "xlsx":
        early = parsed.result() if parsed is not None else None
        table = read_xlsx(data, sheet, report.add, report.notices, early)
    else:
        table = read_csv(data, report.add, report.notices)
    if table is None:
        return report
    report.header = list(table.header)
    return _validate_table(
        report,
        table,
        decimal_comma=_(DELIMITER_NOTICES[";"]) in report.notices,
        others=others or {},
        append_to=append_to,
        today=today or datetime.now(UTC).date(),
    )


def _validate_table(
    report: Report,
    table: Table,
    *,
    decimal_comma: bool,
    others: Mapping[str, pd.DataFrame],
    append_to: pd.DataFrame | None,
    today: date,
) -> Report:
    dataset = report.dataset
    blank = blank_rows(table)
    if blank.any():
        report.notices.append(ngettext("Ignored {n} blank row.", "Ignored {n} blank rows.", int(blank.sum())))
        table = table.without(blank)
    if not table.header or not len(table.rows):
        report.add(
            None,
            None,
            "",
            _("The file has no data rows.") if table.header else _("The file is empty."),
            _("Add the data under the header row (download the template for the layout)."),
        )
        return report
    mapping = _map_header(dataset, table.header, report)
    if mapping is None:
        return report
    schema = SCHEMAS[dataset].to_schema().columns
    declared = {name: (str(spec.dtype), bool(spec.nullable)) for name, spec in schema.items()}
    texts = {column: table.columns[position] for position, column in mapping.items()}
    frame = typed_frame(
        declared, texts, table.rows, decimal_comma, report.add, report.notices, report.add_column
    )
    missing = set(declared) - set(mapping.values())  # already reported once, in the header
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
