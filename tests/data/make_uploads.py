"""Write the upload corpus in tests/data/uploads/: awkward files to read, bad ones to refuse.

Run from the project root: .venv/bin/python tests/data/make_uploads.py. The files are committed
so anyone can open them in Excel; test_validation.py says what each must produce.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl

from mandate_metrics.schemas import SCHEMAS

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent / "uploads"
REQUESTS = (ROOT / "data" / "requests.csv").read_text(encoding="utf-8").splitlines()[:21]  # header + 20 rows
HEADER = REQUESTS[0].split(",")


def columns(dataset: str) -> list[str]:
    """A dataset's columns, from the schema: the one place they are declared."""
    return list(SCHEMAS[dataset].to_schema().columns)


def rows() -> list[list[str]]:
    return [line.split(",") for line in REQUESTS[1:]]


def write_csv(
    name: str,
    header: list[str],
    body: list[list[str]],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    bom: bool = False,
    tail: str = "",
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(body)
    data = (buffer.getvalue() + tail).encode(encoding)
    (OUT / name).write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)


def edited(row_index: int, column: str, value: str) -> list[list[str]]:
    body = rows()
    body[row_index][HEADER.index(column)] = value
    return body


def write_xlsx(name: str, sheets: dict[str, list[list[object]]]) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, table in sheets.items():
        sheet = book.create_sheet(title)
        for row in table:
            sheet.append(row)
    book.save(OUT / name)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    # Awkward but valid: each must be read, with the notice that says what was done.
    write_csv("ok_utf8.csv", HEADER, rows())
    write_csv("ok_utf8_bom.csv", HEADER, rows(), bom=True)
    write_csv("ok_semicolon.csv", HEADER, rows(), delimiter=";")
    write_csv("ok_tab.tsv", HEADER, rows(), delimiter="\t")
    (OUT / "ok_utf16.txt").write_bytes("\r\n".join("\t".join(r) for r in [HEADER, *rows()]).encode("utf-16"))
    write_csv("ok_trailing_blank_rows.csv", HEADER, rows(), tail=",,,,,,\r\n\r\n,,,,,,\r\n")
    write_csv(
        "ok_header_case_spacing.csv",
        [
            "Request ID",
            " Received On ",
            "JURISDICTION_ID",
            "assistance-type",
            "Status",
            "status on",
            "Investigation Id",
        ],
        rows(),
    )
    excel_dates = rows()
    excel_dates[0][1] = "22/07/2018"  # day-first, as Excel writes it in Europe
    excel_dates[1][1] = "43313"  # an Excel serial date: 2018-08-01
    excel_dates[2][1] = "05.08.2018"
    write_csv("ok_excel_dates.csv", HEADER, excel_dates)
    jurisdictions = [columns("jurisdictions")] + [
        [f"J{i:02d}", f"Jurisdiction {chr(64 + i)}", "national", "Europe", "", "TRUE" if i % 2 else "False"]
        for i in range(1, 18)
    ]
    jurisdictions[3][1] = "Genève"  # an accented name: proves the Windows-1252 conversion
    write_csv("ok_cp1252.csv", jurisdictions[0], jurisdictions[1:], encoding="cp1252")
    budget_header = columns("budget")
    write_csv(
        "ok_thousands.csv",
        budget_header,
        [["2024", "23,000,000", "illustrative", "18 200 000", "illustrative", "", "", ""]],
    )
    write_csv(
        "ok_decimal_comma.csv",
        budget_header,
        [["2024", "23.000.000,00", "illustrative", "18.200.000", "illustrative", "", "", ""]],
        delimiter=";",
    )
    typed = [[r[0], r[1], r[2], r[3], r[4], r[5], r[6]] for r in rows()]
    from datetime import date

    as_dates = [[c if i not in (1, 5) else date.fromisoformat(c) for i, c in enumerate(r)] for r in typed]
    write_xlsx("ok_workbook.xlsx", {"Sheet1": [HEADER, *as_dates]})
    write_xlsx("ok_workbook_named_sheet.xlsx", {"Notes": [["Read me first"]], "Ledger": [HEADER, *as_dates]})

    # Bad: each must be refused with its own message.
    write_csv("bad_missing_column.csv", HEADER[:5] + HEADER[6:], [r[:5] + r[6:] for r in rows()])
    write_csv("bad_unknown_column.csv", [*HEADER, "comments"], [[*r, "ok"] for r in rows()])
    write_csv("bad_duplicate_column.csv", [*HEADER, "status"], [[*r, r[4]] for r in rows()])
    write_csv("bad_not_a_date.csv", HEADER, edited(2, "received_on", "yesterday"))
    write_csv(
        "bad_not_a_number.csv",
        budget_header,
        [["2024", "n/a", "illustrative", "1", "illustrative", "", "", ""]],
    )
    write_csv(
        "bad_not_whole.csv", budget_header, [["2024.5", "1", "illustrative", "1", "illustrative", "", "", ""]]
    )
    write_csv("bad_allowed_values.csv", HEADER, edited(4, "status", "approved"))
    write_csv("bad_date_before_iiim.csv", HEADER, edited(0, "received_on", "2015-01-01"))
    write_csv("bad_future_date.csv", HEADER, edited(1, "status_on", "2099-01-01"))
    body = rows()
    body[3][0] = body[2][0]
    write_csv("bad_duplicate_ids.csv", HEADER, body)
    write_csv("bad_unknown_jurisdiction.csv", HEADER, edited(5, "jurisdiction_id", "J99"))
    write_csv("bad_unknown_investigation.csv", HEADER, edited(6, "investigation_id", "INV-9999"))
    body = rows()
    body[7][HEADER.index("status_on")] = "2018-01-01"
    write_csv("bad_status_before_receipt.csv", HEADER, body)
    write_csv("bad_missing_value.csv", HEADER, edited(8, "investigation_id", ""))
    write_csv("bad_formula.csv", HEADER, edited(9, "jurisdiction_id", "=A1&B1"))
    write_xlsx(
        "bad_formula.xlsx", {"Sheet1": [HEADER, *[[*r[:6], '=CONCAT("INV-","0001")'] for r in typed[:3]]]}
    )
    ragged = rows()
    ragged[10] = [*ragged[10], "extra", "cells"]
    write_csv("bad_ragged_row.csv", HEADER, ragged)
    contributions_header = columns("contributions")
    write_csv(
        "bad_negative_amount.csv",
        contributions_header,
        [
            [
                "X-1",
                "Member State Z",
                "member_state",
                "2025",
                "payment",
                "-5000",
                "USD",
                "-5000",
                "",
                "2025-03-01",
                "day",
                "",
                "",
                "illustrative",
            ]
        ],
    )
    bad_bool = [list(r) for r in jurisdictions]
    bad_bool[2][5] = "maybe"
    write_csv("bad_boolean.csv", bad_bool[0], bad_bool[1:])
    bad_iso = [list(r) for r in jurisdictions]
    bad_iso[1][4] = "Syria"
    write_csv("bad_iso3.csv", bad_iso[0], bad_iso[1:])
    (OUT / "bad_empty.csv").write_bytes(b"")
    write_csv("bad_header_only.csv", HEADER, [])
    (OUT / "bad_binary.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (OUT / "bad_workbook_named_csv.csv").write_bytes((OUT / "ok_workbook.xlsx").read_bytes())
    (OUT / "bad_text_named_xlsx.xlsx").write_bytes((OUT / "ok_utf8.csv").read_bytes())
    (OUT / "bad_report.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    many = rows()
    many[0][1] = "not a date"
    many[1][4] = "approved"
    many[2][6] = ""
    many[3][2] = "=1+1"
    many[4][5] = "31/31/2020"
    write_csv("bad_many_problems.csv", HEADER, many)
    print(f"wrote {len(list(OUT.iterdir()))} files to {OUT}")


if __name__ == "__main__":
    main()
