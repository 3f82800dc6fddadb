"""Downloads keep their provenance and can never run as spreadsheet formulas."""

from __future__ import annotations

import io
import json
import re

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
    assert frame["Dataset version"].tolist() == ["requests seed-1234"] * 2
    assert frame["Figures as of"].tolist() == ["2024-05-29"] * 2
    assert frame["Note"].tolist() == ["Illustrative"] * 2
    assert frame.loc[0, "donor"] == "'=evil()"


def test_xlsx_has_the_numbers_and_an_about_sheet_with_definitions():
    from mandate_metrics.exports.tables import xlsx_bytes
    from mandate_metrics.narrative import definitions

    frame = pd.DataFrame({"year": [2024], "donor": ["=1+1"], "paid": [-5.0]})
    book = pd.read_excel(io.BytesIO(xlsx_bytes(frame, STAMP, definitions(), "A chart")), sheet_name=None)
    assert book["Data"].loc[0, "donor"] == "'=1+1"  # text, never a formula
    assert book["Data"].loc[0, "paid"] == -5.0
    about = dict(zip(book["About"]["Field"], book["About"]["Value"], strict=True))
    assert about["Figures as of"] == "2024-05-29"
    assert about["Dataset versions"] == "requests seed-1234"
    assert about["Note"] == "Illustrative"
    assert "Distinct investigations among the requests supported" in about["Investigations supported"]


def test_xlsx_cells_are_not_stored_as_formulas():
    import openpyxl

    from mandate_metrics.exports.tables import xlsx_bytes

    data = xlsx_bytes(pd.DataFrame({"donor": ['=HYPERLINK("http://x")', "@SUM(1)"]}), STAMP, {}, "t")
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Data"]
    assert [cell.data_type for cell in sheet["A"][1:]] == ["s", "s"]


def test_public_zip_applies_the_disclosure_rule_and_describes_itself(shipped):
    import json
    import zipfile
    from datetime import date

    from mandate_metrics.exports.package import public_data_zip

    data = public_data_zip(shipped, "public", "Undisclosed", date(2025, 12, 8), "ledger")
    archive = zipfile.ZipFile(io.BytesIO(data))
    descriptor = json.loads(archive.read("datapackage.json"))
    row_level = {"requests", "investigations"}  # one row per request: staff only
    aggregates = {"requests_by_region", "requests_by_jurisdiction"}
    assert {r["name"] for r in descriptor["resources"]} == (set(shipped) - row_level) | aggregates
    assert descriptor["version"] == shipped.version
    regions = next(r for r in descriptor["resources"] if r["name"] == "requests_by_region")
    assert regions["illustrative"] is True and regions["as_of"] == "2025-12-08"  # a reference date
    names = pd.read_csv(io.BytesIO(archive.read("data/jurisdictions.csv")))["Name"]
    jurisdictions = shipped.frame("jurisdictions")
    assert not set(jurisdictions.loc[~jurisdictions["disclose_name"], "name"]) & set(names)
    assert "Illustrative datasets" in descriptor["description"]
    for resource in descriptor["resources"]:
        frame = pd.read_csv(io.BytesIO(archive.read(resource["path"])))
        assert list(frame.columns) == [f["name"] for f in resource["schema"]["fields"]]


@pytest.mark.parametrize(("role", "view"), [("public", "record"), ("public", "ledger"), ("staff", "ledger")])
def test_the_data_package_passes_the_reference_validator(shipped, tmp_path, role, view):
    """What a data team runs first: frictionless validate, then open it with frictionless and pandas."""
    import zipfile
    from datetime import date

    import frictionless

    from mandate_metrics.exports.package import public_data_zip

    zipfile.ZipFile(
        io.BytesIO(public_data_zip(shipped, role, "Undisclosed", date(2024, 5, 29), view))
    ).extractall(tmp_path)
    report = frictionless.validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["type", "note"])[:10]
    package = frictionless.Package(tmp_path / "datapackage.json")
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", descriptor["created"])
    for resource in descriptor["resources"]:
        assert resource["sources"], resource["name"]
        assert resource.get("licenses") or resource.get("terms"), resource["name"]
        for licence in resource.get("licenses", []):
            assert licence.get("name") or licence.get("path"), licence
        for field in resource["schema"]["fields"]:
            assert field["title"] and field["description"] != field["name"], (resource["name"], field)
    types = {
        r["name"]: {f["name"]: f["type"] for f in r["schema"]["fields"]} for r in descriptor["resources"]
    }
    assert (
        types["published_figures"]["Figures as of"] == "date"
        and types["published_figures"]["Value"] == "number"
    )
    assert types["contributions"]["Amount usd"] == "number" and types["budget"]["Year"] == "integer"
    assert types["contributions"]["Illustrative"] == "boolean"
    rows = package.get_resource("contributions").read_rows()
    assert {type(r["Illustrative"]) for r in rows} == {bool}
    if "requests_by_region" in types:  # withheld cells are missing values, counts integers
        counts = [r["Requests received"] for r in package.get_resource("requests_by_region").read_rows()]
        assert None in counts and {type(c) for c in counts if c is not None} <= {int}


def test_the_sample_view_marks_every_illustrative_row(shipped):
    import zipfile
    from datetime import date

    from mandate_metrics.exports.package import public_data_zip

    archive = zipfile.ZipFile(
        io.BytesIO(public_data_zip(shipped, "public", "U", date(2025, 12, 8), "ledger"))
    )

    def marks(name: str) -> list[str]:
        return list(pd.read_csv(archive.open(f"data/{name}.csv"), dtype=str)["Illustrative"])

    given = shipped.frame("contributions")
    assert marks("contributions") == ["yes" if s == "illustrative" else "no" for s in given["status"]]
    assert set(marks("jurisdictions")) == set(marks("requests_by_region")) == {"yes"}
    assert set(marks("published_figures")) == set(marks("milestones")) == {"no"}


def test_a_per_row_table_never_claims_all_values_are_published():
    import io

    import pandas as pd

    from mandate_metrics.exports.tables import Stamp, xlsx_bytes

    rows = pd.DataFrame({"Value": [375, 534], "provenance": ["published", "illustrative"]})
    stamp = Stamp("requests v0001", "2025-12-08", "s", about_note="Each row says what it is")
    about = pd.read_excel(io.BytesIO(xlsx_bytes(rows, stamp, {}, "t")), sheet_name="About")
    note = about.set_index("Field").loc["Note", "Value"]
    assert note == "Each row says what it is"


def test_the_stamp_never_overwrites_a_rows_own_source():
    from mandate_metrics.exports.tables import Stamp, csv_bytes

    rows = pd.DataFrame({"Value": [375], "Source": ["IIIM press release, 29 May 2024 (Brussels VIII)"]})
    out = pd.read_csv(
        io.BytesIO(csv_bytes(rows, Stamp("v", "2024-05-29", "Published figures"))), encoding="utf-8-sig"
    )
    assert out.loc[0, "Source"] == "IIIM press release, 29 May 2024 (Brussels VIII)"
    assert out.loc[0, "Table source"] == "Published figures"


def test_downloads_in_arabic_and_french_carry_translated_headers_and_about_sheet():
    from dataclasses import replace

    from openpyxl import load_workbook

    from mandate_metrics import i18n
    from mandate_metrics.exports.tables import xlsx_bytes

    frame = pd.DataFrame({"year": [2024], "requests": [375]})
    french = pd.read_csv(io.BytesIO(csv_bytes(frame, replace(STAMP, locale="fr"))), encoding="utf-8-sig")
    assert i18n.column_label("as_of", "fr") in french.columns and "Figures as of" not in french.columns
    book = load_workbook(io.BytesIO(xlsx_bytes(frame, replace(STAMP, locale="ar"), {}, "عنوان")))
    data, about = i18n.t("about.sheet_data", "ar"), i18n.t("about.sheet_about", "ar")
    assert book.sheetnames == [data, about]
    assert all(book[name].sheet_view.rightToLeft for name in book.sheetnames)  # Excel shows it mirrored
    fields = [row[0].value for row in book[about].iter_rows(min_row=2)]
    assert i18n.t("about.title", "ar") in fields and i18n.t("column.as_of", "ar") in fields


def test_chart_tables_state_qualifiers_in_words_counts_as_integers_and_name_the_sample():
    from datetime import date

    from mandate_metrics.figures.record import Figure, figures_frame

    day = date(2025, 12, 8)
    rows = figures_frame(
        [
            (
                "requests_received",
                [
                    Figure("requests_received", 375.0, day, "published", source_title="IIIM press release"),
                    Figure("requests_received", 530.0, day, "published", "lower_bound", source_title="UN"),
                    Figure("requests_received", 15.0, day, "illustrative", dataset_version="seed-ae2acacc"),
                ],
            )
        ]
    )
    assert list(rows["Qualifier"]) == ["exact", "more than", "exact"]
    assert rows["Source"].iloc[2] == "Illustrative sample (seed-ae2acacc)"
    text = csv_bytes(rows, Stamp("requests", "2025-12-08", "s")).decode("utf-8-sig")
    assert "'=" not in text and "15.0" not in text and ",15," in text
    french = figures_frame(
        [("requests_received", [Figure("requests_received", 1.0, day, "published")])], "fr"
    )
    assert french.iloc[0, 3] == "exacte"
