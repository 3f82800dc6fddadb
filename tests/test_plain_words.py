"""Plain words for the public: no dataset column names, no "None", no raw timestamps, no "ledger".

Every public page, in the published record and in the sample, and every download it offers (the
files are made on click: the test wraps st.download_button and makes each one itself).
"""

from __future__ import annotations

import io
import re
import zipfile

import pandas as pd
import pytest
import streamlit as st
from conftest import shown
from streamlit.testing.v1 import AppTest

from mandate_metrics.paths import PROJECT_DIR
from mandate_metrics.schemas import SCHEMAS

APP = str(PROJECT_DIR / "app.py")
PAGES = [
    "overview",
    "requests_investigations",
    "jurisdictions",
    "funding_donors",
    "briefing",
    "sources_methods",
]
SNAKE = {c for model in SCHEMAS.values() for c in model.to_schema().columns if "_" in c} | {"dataset_version"}
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _problems(where: str, frame: pd.DataFrame) -> list[str]:
    found = [f"{where}: column {c}" for c in frame.columns if str(c) in SNAKE or "_" in str(c)]
    cells = [str(v) for v in frame.to_numpy().ravel()]
    found += [f"{where}: a {v} cell" for v in cells if v in ("None", "nan", "NaN", "<NA>")][:1]
    found += [f"{where}: a timestamp {v}" for v in cells if TIMESTAMP.search(v)][:1]
    return found


def _dates_as_days(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
    return out


def _frames_in(name: str, data: bytes) -> list[tuple[str, pd.DataFrame]]:
    if name.endswith(".csv"):
        return [(name, pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False))]
    if name.endswith(".xlsx"):  # an Excel date cell is a date (shown without a time), as it should be
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, keep_default_na=False)
        return [(f"{name}/{s}", _dates_as_days(f)) for s, f in sheets.items() if s != "About"]
    if name.endswith(".zip"):
        archive = zipfile.ZipFile(io.BytesIO(data))
        return [
            (f"{name}/{n}", pd.read_csv(archive.open(n), dtype=str, keep_default_na=False))
            for n in archive.namelist()
            if n.endswith(".csv")
        ]
    return []  # the deck and the PDF: checked by the briefing tests


@pytest.mark.parametrize("view", ["record", "sample"])
@pytest.mark.parametrize("page", PAGES)
def test_public_pages_and_downloads_speak_plain_words(page, view, monkeypatch):
    offered: list[tuple[str, object]] = []
    real = st.download_button

    def recording(label, data, file_name=None, *args, **kwargs):
        offered.append((str(file_name), data))
        return real(label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", recording)
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["view"] = view
    at.query_params["as_of"] = "2024-05-29"
    at.run()
    if page != "overview":
        at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.date_input[0].proto.format == "DD/MM/YYYY"  # not "2024 - 05 - 29"
    problems = []
    for table in at.dataframe:
        problems += _problems(f"{page} table", table.value)
    text = " ".join(
        shown(e.value) for kind in (at.markdown, at.caption, at.header, at.subheader, at.info) for e in kind
    )
    problems += [f"{page}: the word ledger" for _ in re.findall(r"(?i)\bledger\b", text)][:1]
    problems += [f"{page}: {name} in the text" for name in SNAKE if re.search(rf"\b{name}\b", text)]
    for file_name, data in offered:
        content = data() if callable(data) else data
        for where, frame in _frames_in(file_name, content):
            problems += _problems(where, frame)
    assert offered or page == "overview" or page == "briefing"
    assert not problems, problems[:8]
