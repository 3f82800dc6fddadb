"""Downloads keep their provenance and can never run as spreadsheet formulas."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from mandate_metrics.exports.tables import Stamp, csv_bytes, neutralise_formulas

STAMP = Stamp(
    datasets="requests seed-1234", as_of="2024-05-29", source="Sample", illustrative_note="Illustrative"
)


@pytest.mark.parametrize("cell", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx", '=HYPERLINK("http://x")'])
def test_formula_cells_are_neutralised(cell):
    out = neutralise_formulas(pd.DataFrame({"donor": [cell]}))
    assert out.loc[0, "donor"] == "'" + cell


def test_numbers_and_plain_text_are_untouched():
    frame = pd.DataFrame({"donor": ["Member State A"], "amount": [-5.0]})
    assert neutralise_formulas(frame).equals(frame)


def test_csv_carries_provenance_on_every_row_and_opens_in_excel():
    data = csv_bytes(pd.DataFrame({"year": [2023, 2024], "donor": ["=evil()", "B"]}), STAMP)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel then reads the text right
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert frame["dataset_version"].tolist() == ["requests seed-1234"] * 2
    assert frame["as_of"].tolist() == ["2024-05-29"] * 2
    assert frame["note"].tolist() == ["Illustrative"] * 2
    assert frame.loc[0, "donor"] == "'=evil()"
