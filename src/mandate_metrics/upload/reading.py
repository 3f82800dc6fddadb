"""Reading an uploaded CSV or workbook into text columns, fast for large files and exact for odd ones.

Every cell is read as text (the checks in ``cells`` decide what it means), column by column. Two
readers for each format give the same result:

- the fast one hands the whole file to a compiled reader (pyarrow's CSV reader, python-calamine
  for workbooks): a million-row file is read in a fraction of a second;
- the exact one walks the file in Python (the ``csv`` module, openpyxl) and is used only when the
  fast one cannot say precisely which Excel row a cell came from: a row with more or fewer cells
  than the header, a blank line, a cell longer than a read block, a formula the workbook does not
  locate. Such files are small in practice, and every row of them is still reported.

Rows are numbered as Excel shows them: the header is row 1.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from mandate_metrics.i18n import _, gettext_noop
from mandate_metrics.text import visible
from mandate_metrics.upload.cells import Add
from mandate_metrics.upload.workbook import Sheet, oversized, parse

DELIMITERS = (",", ";", "\t")
# What a notice says about a file read with a separator other than the comma (English message ids).
DELIMITER_NOTICES = {
    ";": gettext_noop("Read as semicolon-separated."),
    "\t": gettext_noop("Read as tab-separated."),
}
SNIFF_BYTES = 64 * 1024
BLOCK_BYTES = 4 << 20  # pyarrow's read block; a longer record falls back to the exact reader
MAX_COLUMNS = 200  # no dataset has more than 15: a wider file is refused from its header line alone
MAX_ROWS = 2_000_000  # a ledger 1,000 times today's: more lines are refused before any is parsed


@dataclass
class Table:
    """An upload as read: its header, one text column per header cell, and each row's Excel number."""

    header: list[str]
    columns: list[pa.Array]
    rows: np.ndarray  # Excel row number of each data row (int64)

    def without(self, drop: np.ndarray) -> Table:
        """The table without the rows where ``drop`` is true."""
        keep = pa.array(~drop)
        return Table(self.header, [c.filter(keep) for c in self.columns], self.rows[~drop])


# CSV ------------------------------------------------------------------------------------------


def read_csv(data: bytes, add: Add, notices: list[str]) -> Table | None:
    """Read a CSV (or tab-separated) file; None after reporting why it is not one."""
    head = data[:SNIFF_BYTES]
    if head.startswith(b"PK\x03\x04"):
        add(
            None,
            None,
            "",
            _("This is an Excel workbook saved with a .csv name."),
            _('Rename it to .xlsx, or save it from Excel as "CSV UTF-8".'),
        )
        return None
    if b"\x00" in data and not head.startswith((b"\xff\xfe", b"\xfe\xff")):  # anywhere, not just the start
        add(
            None,
            None,
            "",
            _("This is a binary file, not text."),
            _("Upload the CSV or XLSX file itself (not a PDF, image or zip)."),
        )
        return None
    data = _unmarked(data, notices)
    first_line = data[:SNIFF_BYTES].split(b"\n", 1)[0].decode("utf-8", errors="replace")
    delimiter = _delimiter(first_line, notices)
    if not _within_limits(data, delimiter, add):
        return None
    fast = _read_csv_fast(data, delimiter)  # pyarrow checks the text is UTF-8 as it reads
    if fast is not None:
        return fast
    utf8 = _utf8(data, add, notices)
    if utf8 is None:
        return None
    if utf8 is not data:  # converted from Windows-1252: the fast reader may take it now
        fast = _read_csv_fast(utf8, delimiter)
        if fast is not None:
            return fast
    return _read_csv_exact(utf8.decode("utf-8"), delimiter, add)


def _within_limits(data: bytes, delimiter: str, add: Add) -> bool:
    """Refuse a file far wider or longer than any dataset, counting bytes before parsing any cell.

    A 10 MB header of a million columns once took a minute and 2.3 GB to check; counting its
    delimiters takes milliseconds. Quoted delimiters and line breaks make the counts upper bounds,
    which is all a limit needs.
    """
    end = data.find(b"\n")
    header = data if end < 0 else data[:end]
    return _within_size(header.count(delimiter.encode()) + 1, data.count(b"\n"), add)


def _within_size(columns: int, lines: int, add: Add) -> bool:
    """Refuse a table wider than ``MAX_COLUMNS`` or longer than ``MAX_ROWS``, saying which and by how much."""
    if columns > MAX_COLUMNS:
        add(
            1,
            None,
            f"{columns:,}",
            _(
                "The header has {n} columns; no dataset has more than {limit}.",
                n=f"{columns:,}",
                limit=MAX_COLUMNS,
            ),
            _("Upload only the dataset's own columns (download the template to see them)."),
        )
        return False
    if lines > MAX_ROWS:
        add(
            None,
            None,
            f"{lines:,}",
            _(
                "The file has about {n} lines; at most {limit} rows can be checked at once.",
                n=f"{lines:,}",
                limit=f"{MAX_ROWS:,}",
            ),
            _("Split the file and upload the parts one after another."),
        )
        return False
    return True


def _unmarked(data: bytes, notices: list[str]) -> bytes:
    """The file without Excel's byte-order mark, and UTF-16 ("Unicode text") converted to UTF-8."""
    if data.startswith(b"\xef\xbb\xbf"):
        notices.append(_("Read as UTF-8 (the file starts with a byte-order mark, as Excel writes it)."))
        return data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        notices.append(_('Read as UTF-16 (Excel\'s "Unicode text"); converted to UTF-8.'))
        return data.decode("utf-16").encode("utf-8")
    return data


def _utf8(data: bytes, add: Add, notices: list[str]) -> bytes | None:
    """The file's bytes as UTF-8, converted from Windows-1252 (and said so) where they are not."""
    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        add(
            None,
            None,
            "",
            _("The text encoding could not be recognised."),
            _('In Excel use File > Save As > "CSV UTF-8 (Comma delimited)".'),
        )
        return None
    notices.append(
        _(
            "The file was not UTF-8: read as Windows-1252 (Excel's CSV on Windows) and converted to UTF-8. "
            "Check accented names in the preview."
        )
    )
    return text.encode("utf-8")


def _delimiter(header: str, notices: list[str]) -> str:
    counts = {d: header.count(d) for d in DELIMITERS}
    chosen = max(counts, key=lambda d: counts[d])
    chosen = chosen if counts[chosen] else ","
    if chosen != ",":
        notices.append(_(DELIMITER_NOTICES[chosen]))
    return chosen


def _read_csv_fast(data: bytes, delimiter: str) -> Table | None:
    """Pyarrow's reader, all text; None when a row's Excel number would be uncertain (see module)."""
    if b"\n\n" in data or b"\n\r\n" in data:  # a blank line: pyarrow skips it, so rows would shift
        return None
    uneven: list[object] = []

    def invalid(row: Any) -> str:
        uneven.append(row)
        return "skip"

    try:
        table = pa_csv.read_csv(
            io.BytesIO(data),
            read_options=pa_csv.ReadOptions(autogenerate_column_names=True, block_size=BLOCK_BYTES),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, invalid_row_handler=invalid
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=_all_text(data, delimiter), strings_can_be_null=False
            ),
        )
    except (pa.ArrowInvalid, csv.Error, ValueError):
        return None
    if uneven or table.num_rows == 0:
        return None
    header = [str(v) for v in table.slice(0, 1).to_pylist()[0].values()]
    body = table.slice(1)
    columns = [body.column(i).combine_chunks() for i in range(body.num_columns)]
    return Table(header, columns, np.arange(2, body.num_rows + 2, dtype=np.int64))


def _all_text(data: bytes, delimiter: str) -> dict[str, pa.DataType]:
    """Column types naming every column as text (pyarrow would otherwise guess numbers and dates)."""
    first = data[:SNIFF_BYTES].decode("utf-8", errors="replace")
    try:
        width = len(next(csv.reader(io.StringIO(first, newline=""), delimiter=delimiter)))
    except (StopIteration, csv.Error):
        width = 1
    return {f"f{i}": pa.string() for i in range(max(width, 1))}


def _read_csv_exact(text: str, delimiter: str, add: Add) -> Table | None:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as exc:  # a cell beyond the csv module's own limit (131,072 characters)
        add(
            reader.line_num,
            None,
            "",
            _("A cell is far too long to be a value ({error}).", error=exc),
            _("Check for an unclosed quote; no cell holds that much text."),
        )
        return None
    if not rows:
        return Table([], [], np.zeros(0, dtype=np.int64))
    return _from_rows(rows[0], rows[1:], add)


def _from_rows(header: Sequence[Any], rows: Sequence[Sequence[Any]], add: Add) -> Table:
    """Text columns from rows of cells; a row with more cells than the header is reported."""
    width = len(header)
    for number, row in enumerate(rows, start=2):
        if len(row) > width and any(str(c).strip() for c in row[width:]):
            add(
                number,
                None,
                "",
                _("The row has {cells} cells but the header has {width}.", cells=len(row), width=width),
                _("Check for an extra separator (a comma inside a value needs quotes)."),
            )
    columns = [
        pa.array([str(row[i]) if i < len(row) else "" for row in rows], type=pa.string())
        for i in range(width)
    ]
    return Table([str(h) for h in header], columns, np.arange(2, len(rows) + 2, dtype=np.int64))


# Workbooks ------------------------------------------------------------------------------------


def read_xlsx(
    data: bytes, sheet: str | None, add: Add, notices: list[str], parsed: Sheet | None = None
) -> Table | None:
    """Read one sheet of a workbook (default: the first); None after reporting why it cannot be.

    ``parsed`` is that sheet already parsed from the same bytes (``workbook.start``), if it was.
    """
    if not data.startswith(b"PK\x03\x04"):
        add(
            None,
            None,
            "",
            _("This file is named .xlsx but is not an Excel workbook."),
            _("Open it in Excel and save it again as an Excel Workbook (.xlsx), or upload it as CSV."),
        )
        return None
    archive = _archive(data, add)
    if archive is None:
        return None
    try:
        return _read_xlsx_fast(data, archive, sheet, add, notices, parsed)
    except Exception as exc:  # noqa: BLE001 - malformed XML raises many kinds; every one is a report
        add(
            None,
            None,
            "",
            _(
                "The workbook could not be read ({error}).",
                error=visible(type(exc).__name__) + ": " + visible(str(exc)[:120]),
            ),
            _("Open it in Excel and save it again as an Excel Workbook (.xlsx), or upload it as CSV UTF-8."),
        )
        return None


def _archive(data: bytes, add: Add) -> zipfile.ZipFile | None:
    """The workbook's zip, refused if its entries unpack out of proportion (before any XML is parsed)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        add(
            None,
            None,
            "",
            _("The workbook could not be opened ({error}).", error=exc),
            _("Save it again from Excel."),
        )
        return None
    unpacked = oversized(archive)
    if unpacked is not None:
        add(
            None,
            None,
            _("{mb} MB unpacked", mb=format(unpacked / 1e6, ",.0f")),
            _(
                "The workbook unpacks to far more than its size (or to too many parts) for a data table, "
                "so it was not read."
            ),
            _("Open it in Excel, copy the data to a new workbook and save that, or upload it as CSV UTF-8."),
        )
        return None
    return archive


def _read_xlsx_fast(  # noqa: PLR0913 - the reader's state, passed down rather than kept
    data: bytes,
    archive: zipfile.ZipFile,
    sheet: str | None,
    add: Add,
    notices: list[str],
    parsed: Sheet | None,
) -> Table | None:
    from python_calamine import CalamineWorkbook  # noqa: PLC0415 - only workbook uploads need it

    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    names = list(book.sheet_names)
    if sheet and sheet not in names:
        add(
            None,
            None,
            sheet,
            _("There is no sheet called {name}.", name=repr(visible(sheet))),
            _("Choose one of: {names}.", names=", ".join(visible(n) for n in names)),
        )
        return None
    if not names:
        return Table([], [], np.zeros(0, dtype=np.int64))
    name = sheet or names[0]
    if sheet is None and len(names) > 1:
        notices.append(
            _("Read the first sheet, {name}, of {count}.", name=repr(visible(name)), count=len(names))
        )
    if parsed is None or parsed.name != name:
        parsed = parse(archive, book, name)
    loaded, formulas = parsed.loaded, parsed.formulas
    if formulas is None:  # formulas the sheet does not locate: read it cell by cell, formulas as text
        return _read_xlsx_exact(data, name, add)
    if not _within_size(loaded.width, loaded.height, add):  # Excel's own limit is 16,384 columns
        return None
    rows = loaded.to_python(skip_empty_area=False)
    rows = _trim_empty_rows(rows)
    for (row, col), formula in formulas.items():
        if row <= len(rows) and col < len(rows[row - 1]):
            rows[row - 1][col] = formula
    if not rows:
        return Table([], [], np.zeros(0, dtype=np.int64))
    header = [_cell_text(v) for v in rows[0]]
    width = len(header)
    body = rows[1:]
    if any(len(r) != width for r in body):  # calamine's rows are as wide as the sheet; be sure
        body = [list(r[:width]) + [""] * (width - len(r)) for r in body]
    columns = [_text_column(list(values)) for values in zip(*body, strict=True)] if body else []
    return Table(header, columns, np.arange(2, len(body) + 2, dtype=np.int64))


def _trim_empty_rows(rows: list[list[Any]]) -> list[list[Any]]:
    end = len(rows)
    while end and all(v == "" or v is None for v in rows[end - 1]):
        end -= 1
    return rows[:end]


def _read_xlsx_exact(data: bytes, sheet: str, add: Add) -> Table:
    import openpyxl  # noqa: PLC0415 - only odd workbooks need it

    book = openpyxl.load_workbook(io.BytesIO(data), data_only=False, read_only=True)
    rows = [[_cell_text(v) for v in row] for row in book[sheet].iter_rows(values_only=True)]
    if not rows:
        return Table([], [], np.zeros(0, dtype=np.int64))
    return _from_rows(rows[0], rows[1:], add)


def _cell_text(value: Any) -> str:
    """A workbook cell as the text a CSV of it would hold (dates ISO, whole numbers without ".0")."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _text_column(values: list[Any]) -> pa.Array:
    """One workbook column as text; a column of text (most of them) is taken as it is."""
    try:
        found = pa.array(values)  # compiled: a column of text is taken as it is
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed kinds of value: each made text in Python
        found = None
    if found is not None and pa.types.is_string(found.type):
        return found
    whole_seconds = found is not None and pa.types.is_timestamp(found.type)
    if whole_seconds and not pc.any(pc.not_equal(pc.subsecond(found), 0)).as_py():
        seconds = pc.cast(found, pa.timestamp("s"))  # a column of dates: formatted in Arrow, no loop
        midnight = pc.and_(
            pc.equal(pc.hour(seconds), 0),
            pc.and_(pc.equal(pc.minute(seconds), 0), pc.equal(pc.second(seconds), 0)),
        )
        text = pc.if_else(
            midnight, pc.strftime(seconds, "%Y-%m-%d"), pc.strftime(seconds, "%Y-%m-%d %H:%M:%S")
        )
        return pc.fill_null(text, "")
    return pa.array([_cell_text(v) for v in values], type=pa.string())


def blank_rows(table: Table) -> np.ndarray:
    """True for each row whose every cell is empty or spaces (Excel leaves such rows at the end)."""
    candidates = np.arange(len(table.rows))
    for column in table.columns:  # each column narrows the rows that may still be blank
        if not len(candidates):
            break
        cells = column.take(pa.array(candidates))
        empty = pc.equal(pc.utf8_length(pc.utf8_trim_whitespace(cells)), 0)
        candidates = candidates[np.asarray(empty.to_numpy(zero_copy_only=False), dtype=bool)]
    blank = np.zeros(len(table.rows), dtype=bool)
    blank[candidates] = True
    return blank
