"""Hostile and broken input: what passes validation renders everywhere; nothing acts on data text.

Each payload found by attacking the staff workflow is a case here: control, format and
non-characters, non-finite and absurd numbers, NUL bytes deep in a file, giant cells, broken and
explosive workbooks, formulas in table views, Markdown and links in data, terminal escapes.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from mandate_metrics import cli
from mandate_metrics.paths import DATA_DIR, PROJECT_DIR
from mandate_metrics.store import LocalStore
from mandate_metrics.ui.components import escape
from mandate_metrics.upload.validation import MAX_CELL_CHARS, validate_upload

APP = str(PROJECT_DIR / "app.py")
LIMIT = 50_000_000


def _csv(dataset: str, edit: dict[str, str], row: int = 0) -> bytes:
    """The shipped file for ``dataset`` with one row's cells replaced."""
    frame = pd.read_csv(DATA_DIR / f"{dataset}.csv", dtype=str, keep_default_na=False)
    for column, value in edit.items():
        frame.loc[row, column] = value
    return frame.to_csv(index=False).encode("utf-8")


def _problems(dataset: str, data: bytes, name: str = "upload.csv") -> list[str]:
    report = validate_upload(dataset, name, data, max_bytes=LIMIT)
    assert not report.ok, "the file should have been refused"
    return [f"{p.column}: {p.problem}" for p in report.problems]


@pytest.mark.parametrize(
    ("dataset", "column", "value", "expected"),
    [
        ("messages", "text", "Accountability \ufffe now", "non-character"),  # crashed the Briefing
        ("contributions", "donor", "Member\x0bState", "control character"),  # broke the Excel download
        ("contributions", "donor", "Evil \u202eetats", "invisible formatting character"),  # reorders text
        ("contributions", "donor", "Zero\u200bwidth", "invisible formatting character"),
        ("budget", "requirement_usd", "1e308", "plausible"),  # crashed Overview, Funding, Briefing
        ("budget", "requirement_usd", "inf", "plausible"),  # crashed the Briefing
        ("budget", "regular_budget_usd", "nan", "plausible"),
        ("messages", "text", "x" * (MAX_CELL_CHARS + 1), "no cell may hold more than"),
    ],
)
def test_a_cell_that_would_break_a_page_is_refused_at_validation(dataset, column, value, expected):
    problems = _problems(dataset, _csv(dataset, {column: value}))
    assert any(column in p and expected in p for p in problems), problems


def test_nul_bytes_deep_in_a_file_are_refused():
    data = (
        _csv("requests", {}) + b"\n" * 70_000 + b"RFA-9999,2025-01-01,J01,\x00,received,2025-01-01,INV-0001\n"
    )
    assert any("binary file" in p for p in _problems("requests", data))


def test_a_cell_beyond_the_csv_modules_own_limit_is_a_report_not_a_traceback():
    import csv

    data = b'request_id,received_on\n"' + b"x" * 140_000 + b'",2024-01-01\n'
    assert any("holds 140,000 characters" in p for p in _problems("requests", data))  # fast reader
    blank_line = data + b"\n\n"  # read by the exact reader (the csv module), which has a limit
    before = csv.field_size_limit(131_072)  # the module's own; frictionless (imported by a test) raises it
    try:
        assert any("far too long" in p for p in _problems("requests", blank_line))
    finally:
        csv.field_size_limit(before)


def _workbook(dataset: str) -> bytes:
    frame = pd.read_csv(DATA_DIR / f"{dataset}.csv", dtype=str, keep_default_na=False)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(frame.columns))
    for row in frame.head(3).itertuples(index=False):
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_workbook_with_malformed_xml_is_a_report_not_a_traceback():
    original = zipfile.ZipFile(io.BytesIO(_workbook("budget")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as broken:
        for item in original.infolist():
            content = original.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) // 2]  # cut in the middle of an element
            broken.writestr(item, content)
    problems = _problems("budget", out.getvalue(), "budget.xlsx")
    assert any("could not be read" in p for p in problems), problems


def test_a_zip_bomb_is_refused_before_any_xml_is_parsed(monkeypatch):
    def never(*_args, **_kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("[Content_Types].xml", "<Types/>")
        with bomb.open("xl/worksheets/sheet1.xml", "w") as sheet:
            chunk = b"0" * 1_000_000
            for _ in range(250):  # 250 MB unpacked, a few hundred KB packed
                sheet.write(chunk)
    data = out.getvalue()
    assert len(data) < 2_000_000
    problems = _problems("budget", data, "budget.xlsx")
    assert any("unpacks to far more" in p for p in problems), problems


def test_escape_keeps_data_from_becoming_a_heading_a_link_or_reordered_text():
    assert "\n" not in escape("Title\n===")
    # what GFM links by itself is broken with an invisible word joiner (it links character references)
    assert "www." not in escape("see www.evil.example").replace("\\", "")
    assert "://" not in escape("https://evil.example/x")
    assert "@\u2060" in escape("someone@evil.example")
    assert ":red[" not in escape(":red[x] :material/home:").replace("\\", "")  # no directive can open
    assert "\u202e" not in escape("Evil \u202etxt") and "\\u202e" in escape("Evil \u202etxt")


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("MANDATE_METRICS_STORE", str(tmp_path / "store"))
    st.cache_data.clear()
    st.cache_resource.clear()
    return tmp_path


def _visit(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page != "overview":
        at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_table_views_show_and_export_formulas_inert(home):
    _visit("overview")  # seeds the store
    store = LocalStore(home / "store")
    contributions = store.read("contributions")
    payloads = ["+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "-cmd|' /C calc'!A0"]
    for row, payload in enumerate(payloads):
        contributions.loc[contributions.index[-1 - row], "source_title"] = payload
    store.publish("contributions", contributions, by="ana", note="formula test", declared="illustrative")
    at = _visit("funding_donors", view="sample")
    shown = [v for d in at.dataframe for column in d.value.columns for v in d.value[column].astype(str)]
    for payload in payloads:
        assert payload not in shown
        assert "'" + payload in shown  # what the built-in "Download as CSV" exports too


def test_sources_page_links_are_real_addresses(home):
    at = _visit("sources_methods")
    text = " ".join(c.value for c in at.caption)
    assert "%5C" not in text and 'href="https://press.un.org/en/2019/ga12235.doc.htm"' in text


def test_an_internal_dataset_is_not_offered_to_the_public(home, monkeypatch, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for path in DATA_DIR.iterdir():
        (data / path.name).write_bytes(path.read_bytes())
    meta = json.loads((data / "messages.meta.json").read_text())
    meta["visibility"] = "internal"
    (data / "messages.meta.json").write_text(json.dumps(meta))
    monkeypatch.setenv("MANDATE_METRICS_DATA", str(data))
    at = _visit("sources_methods")
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download messages.csv" not in labels and "Download budget.csv" in labels


def test_staff_see_a_marker_on_every_page(home):
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["role"] = "staff"
    at.run()
    for page in ("overview", "jurisdictions", "briefing"):
        if page != "overview":
            at.switch_page(f"app_pages/{page}.py").run()
        assert any("Staff view — do not project or share" in w.value for w in at.warning), page


def test_the_command_line_prints_names_and_notes_inert(home, capsys, tmp_path):
    store = ["--store", str(home / "store")]
    upload = Path(__file__).parent / "data" / "uploads" / "ok_thousands.csv"
    assert (
        cli.main(
            [
                *store,
                "publish",
                "budget",
                str(upload),
                "--by",
                "ana\x1b[2J",
                "--note",
                "\x1b]0;pwned\x07",
                "--official",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert cli.main([*store, "history", "budget"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\\u001b" in out


def test_the_server_checks_few_files_at_once(monkeypatch):
    from mandate_metrics.upload import validation

    monkeypatch.setattr(validation, "CHECK_QUEUE_SECONDS", 0.05)
    held = [validation.CHECKING.acquire(timeout=1) for _ in range(2)]
    try:
        report = validate_upload("budget", "b.csv", _csv("budget", {}), max_bytes=LIMIT)
        assert "checking other files" in report.problems[0].problem
    finally:
        for _ in held:
            validation.CHECKING.release()
    assert validate_upload("budget", "b.csv", _csv("budget", {}), max_bytes=LIMIT).ok


def test_a_sheet_name_with_markdown_shows_as_text_in_the_data_pages_notices(home, tmp_path, monkeypatch):
    from mandate_metrics import auth

    monkeypatch.setenv("MANDATE_METRICS_STAFF_FILE", str(tmp_path / "staff.json"))
    auth.add_account(tmp_path / "staff.json", "ana", "correct horse battery staple")
    book = openpyxl.load_workbook(io.BytesIO(_workbook("budget")))
    book.active.title = "`code` _it_ <img src=x>"  # Excel forbids [ ] * : / \\ ? in sheet names
    book.create_sheet("second")
    out = io.BytesIO()
    book.save(out)
    at = _visit("data")
    at.text_input(key="sign_in_name").input("ana")
    at.text_input(key="sign_in_password").input("correct horse battery staple")
    at.button[0].click().run()
    at.file_uploader(key="upload_file").upload(
        "budget.xlsx", out.getvalue(), "application/octet-stream"
    ).run()
    at.selectbox(key="upload_dataset").select("budget").run()
    notice = next(i.value for i in at.info if "first sheet" in i.value)
    assert "\\`code\\`" in notice and "\\_it\\_" in notice and "\\<img" in notice


def test_our_direction_marks_stay_marks_but_uploads_may_not_hold_them():
    from mandate_metrics.text import bad_character, visible

    line = "Publié le 8 décembre 2025 : \u2068IIIM Bulletin No. 14\u2069 · \u200f17.8 مليون"
    assert visible(line) == line  # isolates and Babel's right-to-left mark are ours: kept
    assert "\\u202e" in visible("Evil \u202etxt")  # an override still shows as an escape
    assert bad_character("x\u2068y") and bad_character("x\u200fy")  # and no upload may hold either
