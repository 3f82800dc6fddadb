"""The upload corpus (tests/data/uploads/), file by file.

Awkward files are read and say what was done; bad ones are refused with a specific message; a
refused file changes nothing in the store.
"""

from __future__ import annotations

import importlib.util
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from mandate_metrics import i18n
from mandate_metrics.paths import PROJECT_DIR
from mandate_metrics.store import LocalStore
from mandate_metrics.upload import publishing
from mandate_metrics.upload.validation import parse_date, parse_number, validate_upload

UPLOADS = Path(__file__).parents[1] / "data" / "uploads"
LIMIT = 20_000_000
TODAY = date(2026, 11, 28)


@pytest.fixture(scope="module")
def upload_files():
    """benchmarks/upload_files.py: the large-file generator, shared with the validation benchmark."""
    spec = importlib.util.spec_from_file_location(
        "upload_files", PROJECT_DIR / "benchmarks" / "upload_files.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def others(shipped):
    return {name: shipped.frame(name) for name in ("jurisdictions", "investigations")}


def check(name: str, dataset: str, others, **kwargs):
    return validate_upload(
        dataset,
        name,
        (UPLOADS / name).read_bytes(),
        max_bytes=kwargs.pop("max_bytes", LIMIT),
        others=others,
        today=TODAY,
        **kwargs,
    )


OK = [
    ("ok_utf8.csv", "requests", None),
    ("ok_utf8_bom.csv", "requests", "byte-order mark"),
    ("ok_semicolon.csv", "requests", "semicolon-separated"),
    ("ok_tab.tsv", "requests", "tab-separated"),
    ("ok_utf16.txt", "requests", "UTF-16"),
    ("ok_trailing_blank_rows.csv", "requests", "Ignored 3 blank rows"),
    ("ok_header_case_spacing.csv", "requests", "Column 'Request ID' read as request_id"),
    ("ok_excel_dates.csv", "requests", None),
    ("ok_cp1252.csv", "jurisdictions", "Windows-1252"),
    ("ok_thousands.csv", "budget", None),
    ("ok_decimal_comma.csv", "budget", "semicolon-separated"),
    ("ok_workbook.xlsx", "requests", None),
]


@pytest.mark.parametrize(("name", "dataset", "notice"), OK)
def test_awkward_files_are_read(name, dataset, notice, others):
    report = check(name, dataset, others)
    assert report.ok, report.table().to_string()
    if notice:
        assert any(notice in n for n in report.notices), report.notices


def test_conversions_give_the_right_values(others):
    assert check("ok_cp1252.csv", "jurisdictions", others).frame.loc[2, "name"] == "Genève"
    dates = check("ok_excel_dates.csv", "requests", others).frame["received_on"].dt.date.tolist()[:3]
    assert dates == [date(2018, 7, 22), date(2018, 8, 1), date(2018, 8, 5)]
    assert check("ok_thousands.csv", "budget", others).frame.loc[0, "regular_budget_usd"] == 18_200_000
    assert check("ok_decimal_comma.csv", "budget", others).frame.loc[0, "requirement_usd"] == 23_000_000
    workbook = check("ok_workbook.xlsx", "requests", others).frame
    assert workbook.equals(check("ok_utf8.csv", "requests", others).frame)


def test_named_sheet(others):
    assert check("ok_workbook_named_sheet.xlsx", "requests", others, sheet="Ledger").ok
    first = check("ok_workbook_named_sheet.xlsx", "requests", others)
    assert not first.ok and any("Read the first sheet, 'Notes'" in n for n in first.notices)
    missing = check("ok_workbook.xlsx", "requests", others, sheet="Nope")
    assert "no sheet called 'Nope'" in missing.problems[0].problem and "Sheet1" in missing.problems[0].fix


BAD = [
    ("bad_missing_column.csv", "requests", 1, "status_on", "Required column status_on is missing."),
    ("bad_unknown_column.csv", "requests", 1, "comments", "Unknown column 'comments'"),
    ("bad_duplicate_column.csv", "requests", 1, "status", "appears twice"),
    ("bad_not_a_date.csv", "requests", 4, "received_on", "Not a date."),
    ("bad_not_a_number.csv", "budget", 2, "requirement_usd", "Not a number."),
    ("bad_not_whole.csv", "budget", 2, "year", "Not a whole number."),
    ("bad_allowed_values.csv", "requests", 6, "status", "Not one of the allowed values."),
    ("bad_date_before_iiim.csv", "requests", 2, "received_on", "Date before the IIIM existed."),
    ("bad_future_date.csv", "requests", 3, "status_on", "Date in the future."),
    ("bad_duplicate_ids.csv", "requests", 4, "request_id", "Duplicate id."),  # rows 4 and 5 share an id
    ("bad_unknown_jurisdiction.csv", "requests", 7, "jurisdiction_id", "Unknown jurisdiction_id"),
    ("bad_unknown_investigation.csv", "requests", 8, "investigation_id", "Unknown investigation_id"),
    ("bad_status_before_receipt.csv", "requests", 9, "status_on", "status date is before the date received"),
    ("bad_missing_value.csv", "requests", 10, "investigation_id", "Missing value."),
    ("bad_formula.csv", "requests", 11, "jurisdiction_id", "formula"),
    ("bad_formula.xlsx", "requests", 2, "investigation_id", "formula"),
    ("bad_ragged_row.csv", "requests", 12, None, "cells but the header has 7"),
    ("bad_negative_amount.csv", "contributions", 2, "amount", "Negative amount."),
    ("bad_boolean.csv", "jurisdictions", 3, "disclose_name", "Not true or false."),
    ("bad_iso3.csv", "jurisdictions", 2, "iso3", "Not in the expected form."),
    ("bad_empty.csv", "requests", None, None, "The file is empty."),
    ("bad_header_only.csv", "requests", None, None, "no data rows"),
    ("bad_binary.csv", "requests", None, None, "binary file"),
    ("bad_workbook_named_csv.csv", "requests", None, None, "Excel workbook saved with a .csv name"),
    ("bad_text_named_xlsx.xlsx", "requests", None, None, "not an Excel workbook"),
    ("bad_report.pdf", "requests", None, None, "Only CSV and XLSX"),
]


@pytest.mark.parametrize(("name", "dataset", "row", "column", "message"), BAD)
def test_bad_files_are_refused_with_a_specific_message(name, dataset, row, column, message, others):
    report = check(name, dataset, others)
    assert not report.ok
    match = [p for p in report.problems if message in p.problem]
    assert match, report.table().to_string()
    assert (match[0].row, match[0].column) == (row, column)
    assert match[0].fix  # every problem says how to fix it


def test_allowed_values_hint_lists_them(others):
    problem = check("bad_allowed_values.csv", "requests", others).problems[0]
    assert problem.value == "approved" and "supported" in problem.fix and "withdrawn" in problem.fix


def test_every_problem_is_reported_at_once(others):
    report = check("bad_many_problems.csv", "requests", others)
    found = {(p.row, p.column) for p in report.problems}
    assert {
        (2, "received_on"),
        (3, "status"),
        (4, "investigation_id"),
        (5, "jurisdiction_id"),
        (6, "status_on"),
    } <= found
    assert len(found) == len(report.problems)  # no cell reported twice
    assert len(report.table()) >= 4


def test_a_file_over_the_limit_is_refused_unread(others):
    report = check("ok_utf8.csv", "requests", others, max_bytes=100)
    assert "larger than the 0.0001 MB limit, so it was not read" in report.problems[0].problem


def test_companion_file_supplies_new_references(others):
    report = check("bad_unknown_jurisdiction.csv", "requests", others)
    assert not report.ok
    extra = pd.concat(
        [others["jurisdictions"], others["jurisdictions"].head(1).assign(jurisdiction_id="J99")]
    )
    assert check("bad_unknown_jurisdiction.csv", "requests", {**others, "jurisdictions": extra}).ok


def test_appending_rows_already_published_is_refused(others, shipped):
    report = check("ok_utf8.csv", "requests", others, append_to=shipped.frame("requests"))
    assert "already in the published data" in report.problems[0].problem


def test_parsers():
    assert parse_date("2024-05-29") == date(2024, 5, 29)
    assert parse_date("29/05/2024") == date(2024, 5, 29)
    assert parse_date("45441") == date(2024, 5, 29)
    assert parse_date("May 2024") is None
    assert parse_number("1,234,567", decimal_comma=False) == 1_234_567
    assert parse_number("1.234.567,5", decimal_comma=True) == 1_234_567.5
    assert parse_number("12,5", decimal_comma=False) is None  # ambiguous outside a decimal-comma file


@pytest.mark.parametrize("name", [b[0] for b in BAD] + ["bad_many_problems.csv"])
def test_a_refused_file_changes_nothing_in_the_store(tmp_path, name, shipped, others):
    store = LocalStore(tmp_path / "store")
    store.seed({n: shipped.frame(n) for n in ("requests", "budget", "contributions", "jurisdictions")})
    before = (store.pointers(), sorted(p.name for p in (tmp_path / "store").rglob("*")))
    dataset = (
        next(b[1] for b in BAD if b[0] == name)
        if name.startswith("bad_") and name != "bad_many_problems.csv"
        else "requests"
    )
    report = check(name, dataset, others)
    with pytest.raises(publishing.PublishRefused, match="nothing was published"):
        publishing.publish(store, report, "staff", by="ana", note="", append=False, declared="official")
    assert (store.pointers(), sorted(p.name for p in (tmp_path / "store").rglob("*"))) == before


def test_only_staff_can_publish(tmp_path, others):
    store = LocalStore(tmp_path / "store")
    report = check("ok_utf8.csv", "requests", others)
    with pytest.raises(publishing.PublishRefused, match="only signed-in staff"):
        publishing.publish(store, report, "public", by="anyone", note="", append=False, declared="official")
    assert store.current("requests") is None


def test_preview_diff_and_headline_effect(shipped, others):
    current = shipped.frame("requests")
    report = check("ok_utf8.csv", "requests", others)
    new = publishing.candidate(report, current, append=False)
    change = publishing.diff(current, new, "requests")
    assert change.counts == (0, len(current) - 20, 0)
    edited = current.copy()
    edited.loc[0, "status"] = "declined"
    one = publishing.diff(current, edited, "requests")
    assert one.counts == (0, 0, 1)
    assert one.changed.iloc[0][["column", "before", "after"]].tolist() == ["status", "supported", "declined"]
    effect = dict(
        (m, (a, b)) for m, a, b in publishing.headline_effect(shipped, "requests", new, date(2025, 12, 8))
    )
    assert effect["requests_received"] == (534, 20)


def test_a_file_for_another_dataset_is_recognised(others):
    report = check("ok_utf8.csv", "budget", others)
    assert not report.ok and report.looks_like == "requests"
    assert check("ok_utf8.csv", "requests", others).looks_like is None


@pytest.mark.parametrize(
    "dataset",
    [
        "requests",
        "investigations",
        "jurisdictions",
        "contributions",
        "budget",
        "messages",
        "milestones",
        "published_figures",
    ],
)
def test_every_template_passes_its_own_validation(dataset, shipped, others):
    from mandate_metrics.exports.templates import columns_guide, template_csv, template_xlsx

    current = shipped.frame(dataset)
    for name, data in (
        ("t.csv", template_csv(dataset, current)),
        ("t.xlsx", template_xlsx(dataset, current)),
    ):
        report = validate_upload(dataset, name, data, max_bytes=LIMIT, others=others, today=TODAY)
        assert report.ok, report.table().to_string()
        assert len(report.frame) == len(current)  # the template is the current data, every row
    guide = columns_guide(dataset)
    assert guide["column"].tolist() == list(current.columns)


@pytest.mark.parametrize(("kind", "rows", "errors"), [("csv", 30_000, 1_300), ("xlsx", 3_000, 130)])
def test_every_planted_problem_is_reported_in_one_pass(kind, rows, errors, others, tmp_path, upload_files):
    table = upload_files.frame(rows)
    planted = upload_files.plant(table, errors)
    assert {k for _, _, k in planted} == {*upload_files.ERROR_KINDS, "duplicate_id"}
    if kind == "csv":
        data = upload_files.csv_bytes(table)
    else:
        table.to_excel(tmp_path / "big.xlsx", index=False)  # text starting "=" is written as a formula
        data = (tmp_path / "big.xlsx").read_bytes()
    report = validate_upload("requests", f"big.{kind}", data, max_bytes=10**9, others=others, today=TODAY)
    found = {(p.row, p.column) for p in report.problems}
    missed = [(row, column, k) for row, column, k in planted if (row, column) not in found]
    assert not missed, missed[:10]
    assert {p.row for p in report.problems} == {row for row, _, _ in planted}  # nothing else reported
    assert all(p.value or p.problem == "Missing value." for p in report.problems)
    assert all(p.fix for p in report.problems)


def test_the_fast_and_exact_readers_agree(others, upload_files):
    table = upload_files.frame(500)
    upload_files.plant(table, 40)
    data = upload_files.csv_bytes(table)
    fast = validate_upload("requests", "f.csv", data, max_bytes=LIMIT, others=others, today=TODAY)
    exact = validate_upload(
        "requests", "f.csv", data + b"\r\n\r\n", max_bytes=LIMIT, others=others, today=TODAY
    )
    assert fast.table().equals(exact.table())
    assert len(fast.problems) >= 40


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_checks_report_in_the_language_they_are_asked_in(others, lang):
    english = check("bad_many_problems.csv", "requests", others)
    with i18n.speaking(lang):
        report = check("bad_many_problems.csv", "requests", others)
        table = report.table()
        semicolon = check("ok_semicolon.csv", "requests", others)
    assert [(p.row, p.column) for p in report.problems] == [(p.row, p.column) for p in english.problems]
    for translated, original in zip(report.problems, english.problems, strict=True):
        assert translated.problem != original.problem and translated.fix != original.fix
        if lang == "ar":
            assert re.search("[\u0600-\u06ff]", translated.problem), translated.problem
    assert list(table.columns) != ["Row", "Column", "Value", "Problem", "How to fix"]
    assert semicolon.ok  # the decimal comma still follows the semicolon, whatever the language
    assert semicolon.notices and semicolon.notices[0] != "Read as semicolon-separated."


def test_threads_check_columns_in_the_language_of_the_check(others):
    with i18n.speaking("fr"):
        report = check("bad_many_problems.csv", "requests", others)
    assert any(p.problem == "Ce n’est pas une date." for p in report.problems)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_publish_on_a_stale_preview_tells_staff_someone_published_first(store_location, others, lang):
    from mandate_metrics.i18n import speaking
    from mandate_metrics.store import open_store

    store = open_store(store_location)
    report = check("ok_utf8.csv", "requests", others)
    first = publishing.publish(store, report, "staff", by="ana", note="", append=False, declared="official")
    reviewed = first.version  # both colleagues previewed against this version
    publishing.publish(
        store, report, "staff", by="ben", note="", append=True, declared="official", reviewed=reviewed
    )
    expected = "someone published first" if lang == "en" else "quelqu’un a publié entre-temps"
    with speaking(lang), pytest.raises(publishing.PublishRefused, match=expected):
        publishing.publish(
            store, report, "staff", by="ana", note="", append=True, declared="official", reviewed=reviewed
        )
    with speaking(lang), pytest.raises(publishing.PublishRefused, match=expected):
        publishing.rollback(store, "staff", "requests", first.version, by="ana", reviewed=reviewed)
    assert store.current("requests").by == "ben"  # what ben published stays current, whole


def test_a_file_far_wider_or_longer_than_any_dataset_is_refused_from_its_byte_counts():
    """A 10 MB header of a million columns once took a minute and 2.3 GB; now its delimiters are counted."""
    wide = (",".join(f"c{i}" for i in range(1_000_000)) + "\n" + "1," * 999_999 + "1\n").encode()
    report = validate_upload("requests", "wide.csv", wide, max_bytes=100_000_000)
    assert [p.problem for p in report.problems] == [
        "The header has 1,000,000 columns; no dataset has more than 200."
    ]
    assert report.problems[0].row == 1 and report.frame is None
    long = b"request_id\n" + b"R\n" * 2_000_001
    report = validate_upload("requests", "long.csv", long, max_bytes=100_000_000)
    assert [p.problem for p in report.problems] == [
        "The file has about 2,000,002 lines; at most 2,000,000 rows can be checked at once."
    ]


def test_a_workbook_far_wider_than_any_dataset_is_refused_before_its_cells_are_read(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append([f"c{i}" for i in range(300)])
    book.active.append(["1"] * 300)
    book.save(tmp_path / "wide.xlsx")
    data = (tmp_path / "wide.xlsx").read_bytes()
    report = validate_upload("requests", "wide.xlsx", data, max_bytes=100_000_000)
    assert [p.problem for p in report.problems] == [
        "The header has 300 columns; no dataset has more than 200."
    ]


def _shipped_requests_with(change) -> bytes:
    """The shipped requests as a staff member downloads them, changed by ``change`` (lines of text)."""
    lines = (PROJECT_DIR / "data" / "requests.csv").read_text(encoding="utf-8").splitlines()
    return ("\n".join(change(lines)) + "\n").encode()


def test_a_misspelt_header_is_one_problem_and_no_row_is_blamed_for_it(others):
    def misspell_and_break_three(lines: list[str]) -> list[str]:
        lines[0] = lines[0].replace("received_on", "recieved_on")
        header = lines[0].split(",")
        for row, column, bad in (
            (5, "status", "approved"),
            (9, "jurisdiction_id", "ZZZ-9"),
            (20, "status_on", "soon"),
        ):
            cells = lines[row - 1].split(",")
            cells[header.index(column)] = bad
            lines[row - 1] = ",".join(cells)
        return lines

    data = _shipped_requests_with(misspell_and_break_three)
    report = validate_upload("requests", "requests.csv", data, max_bytes=LIMIT, others=others, today=TODAY)
    header = [p for p in report.problems if p.row == 1]
    assert len(header) == 1, report.table().to_string()
    assert "received_on is missing; 'recieved_on' looks like it" in header[0].problem
    assert "Did you mean received_on?" in header[0].fix
    rows = sorted((p.row, p.column) for p in report.problems if p.row != 1)
    assert rows == [(5, "status"), (9, "jurisdiction_id"), (20, "status_on")], report.table().to_string()


def test_a_column_of_unreadable_values_is_one_problem_with_a_count(others):
    def text_in_the_dates(lines: list[str]) -> list[str]:
        column = lines[0].split(",").index("status_on")
        out = [lines[0]]
        for line in lines[1:]:
            cells = line.split(",")
            cells[column] = "pending"
            out.append(",".join(cells))
        return out

    data = _shipped_requests_with(text_in_the_dates)
    report = validate_upload("requests", "requests.csv", data, max_bytes=LIMIT, others=others, today=TODAY)
    assert len(report.problems) == 1, report.table().to_string()[:2000]
    problem = report.problems[0]
    assert problem.row is None and problem.column == "status_on"
    assert "No value in this column can be read: Not a date (" in problem.problem
    assert "rows: 2, 3, 4, 5, 6, …" in problem.problem
    assert report.table().iloc[0]["Column"] == "status_on"  # the cause leads the report


# RFC 4180 in full: the kinds of cell the csv-spectrum suite covers, each in the messages dataset's
# text column (where a message may run over several lines), written as the tools staff use write them.
HEADER = "message_id,page,text,attribution,date,source_title,source_url,status,amount,currency,year"
TAIL = ',"Head, IIIM",2024-05-29,"Press release",https://iiim.un.org,published,,,'
SPECTRUM = {
    "simple": ("M9,overview,plain words" + TAIL, "plain words"),
    "comma_in_quotes": ('M9,overview,"one, two, three"' + TAIL, "one, two, three"),
    "escaped_quotes": ('M9,overview,"she said ""now"""' + TAIL, 'she said "now"'),
    "json": ('M9,overview,"{""a"": 1, ""b"": [2, 3]}"' + TAIL, '{"a": 1, "b": [2, 3]}'),
    "newlines": ('M9,overview,"first line\nsecond line"' + TAIL, "first line\nsecond line"),
    "newlines_crlf": ('M9,overview,"first line\r\nsecond line"' + TAIL, "first line\nsecond line"),
    "newlines_cr": ('M9,overview,"first line\rsecond line"' + TAIL, "first line\nsecond line"),
    "quotes_and_newlines": ('M9,overview,"a ""quoted""\r\nword"' + TAIL, 'a "quoted"\nword'),
    "utf8": ("M9,overview,ça va — شكرا" + TAIL, "ça va — شكرا"),
    "empty_last_field": ("M9,overview,x" + TAIL, "x"),
}


@pytest.mark.parametrize("case", sorted(SPECTRUM))
@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_every_rfc_4180_cell_reads_in_a_text_column(case, ending, others):
    row, expected = SPECTRUM[case]
    data = (HEADER + ending + row + ending).encode()
    report = validate_upload("messages", f"{case}.csv", data, max_bytes=LIMIT, others=others, today=TODAY)
    assert report.ok, report.table().to_string()
    assert report.frame["text"].tolist() == [expected]


@pytest.mark.parametrize("line_break", ["\n", "\r\n"])
def test_a_line_break_where_a_column_holds_one_line_is_refused_by_name(line_break, others):
    row = f'"M9{line_break}X",overview,text' + TAIL
    report = validate_upload(
        "messages",
        "m.csv",
        (HEADER + "\r\n" + row + "\r\n").encode(),
        max_bytes=LIMIT,
        others=others,
        today=TODAY,
    )
    assert [(p.row, p.column) for p in report.problems] == [(2, "message_id")]
    assert "A line break inside the cell: message_id holds a single line." in report.problems[0].problem


def test_the_command_line_shows_a_cells_line_break_as_a_symbol(tmp_path, capsys):
    from mandate_metrics import cli

    upload = tmp_path / "messages.csv"
    upload.write_bytes((HEADER + "\r\n" + '"M9\r\nX",overview,text' + TAIL + "\r\n").encode())
    assert cli.main(["--store", str(tmp_path / "store"), "validate", "messages", str(upload)]) == 1
    lines = capsys.readouterr().out.splitlines()
    problem = [line for line in lines if "line break" in line]
    assert len(problem) == 1 and "M9⏎X" in problem[0]  # one problem, one line


def test_every_occurrence_of_a_repeated_id_or_year_is_named_and_nothing_is_accepted(others):
    ids = check("bad_duplicate_ids.csv", "requests", others)
    assert [(p.row, p.column, p.value) for p in ids.problems] == [
        (4, "request_id", "RFA-0003"),
        (5, "request_id", "RFA-0003"),
    ]
    assert ids.frame is None  # a duplicate alone refuses the file: the schema passed, the ids did not
    header = ",".join(
        ["year", "requirement_usd", "requirement_status", "regular_budget_usd", "regular_budget_status"]
        + ["source_title", "source_url", "note"]
    )
    rows = ["2024,1,illustrative,1,illustrative,,,", "2025,1,illustrative,1,illustrative,,,"] * 2
    data = "\n".join([header, *rows]).encode()
    years = validate_upload("budget", "b.csv", data, max_bytes=LIMIT, others=others, today=TODAY)
    assert [(p.row, p.column, p.problem) for p in years.problems] == [
        (row, "year", "Duplicate id.") for row in (2, 3, 4, 5)
    ]
