"""The read API under /api/v1/: what a data team takes away, checked as a data team would."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from mandate_metrics.api import routes
from mandate_metrics.api.openapi import SPEC
from mandate_metrics.api.routes import ROUTES


@pytest.fixture(scope="module")
def api() -> TestClient:
    return TestClient(Starlette(routes=ROUTES))


def test_figures_at_brussels_viii_are_the_press_releases(api):
    answer = api.get("/api/v1/figures", params={"as_of": "2024-05-29"})
    assert answer.status_code == 200 and answer.headers["access-control-allow-origin"] == "*"
    figures = {f["measure"]: f for f in answer.json()["figures"]}
    assert {m: f["value"] for m, f in figures.items()} == {
        "requests_received": 375,
        "requesting_jurisdictions": 16,
        "requests_supported": 261,
        "investigations_supported": 192,
    }
    assert all(f["provenance"] == "published" and not f["illustrative"] for f in figures.values())
    assert all("29 May 2024" in f["source_title"] for f in figures.values())


def test_a_bad_date_or_view_is_a_400_that_names_the_parameter_and_a_bad_measure_a_404(api):
    answer = api.get("/api/v1/figures", params={"as_of": "29/05/2024"})
    assert answer.status_code == 400 and answer.json()["parameter"] == "as_of"
    assert api.get("/api/v1/figures", params={"view": "zzz"}).json()["parameter"] == "view"
    for outside in ("2016-12-20", "2263-01-01"):  # before the IIIM, after the latest data (as the page)
        answer = api.get("/api/v1/series/requests_received", params={"as_of": outside, "view": "official"})
        assert answer.status_code == 400 and "between 2016-12-21" in answer.json()["error"]
        assert api.get("/record", params={"as_of": outside}).status_code == 400
    missing = api.get("/api/v1/series/budget_millions")
    assert missing.status_code == 404 and missing.json()["parameter"] == "measure"


def test_the_data_version_is_the_etag_and_a_client_that_holds_it_gets_304(api):
    first = api.get("/api/v1/figures")
    again = api.get("/api/v1/figures", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.headers["etag"] == first.headers["etag"]
    assert "max-age" in first.headers["cache-control"]


def test_the_csv_reads_into_pandas_and_sample_values_say_so(api):
    table = pd.read_csv(io.StringIO(api.get("/api/v1/figures.csv", params={"as_of": "2024-05-29"}).text))
    assert list(table["value"]) == [375, 16, 261, 192]
    sample = api.get("/api/v1/figures", params={"view": "sample", "as_of": "2024-05-29"}).json()["figures"]
    assert sample and all(f["illustrative"] or f["provenance"] == "published" for f in sample)


def test_series_contributions_and_the_catalogue(api):
    series = api.get("/api/v1/series/requests_received").json()["series"]
    assert [f["value"] for f in series if f["date"] == "2024-04-24"] == [367]
    given = api.get("/api/v1/contributions").json()["contributions"]
    assert given and all(row["source_title"] for row in given)
    converted = [row for row in given if row["amount_usd"] is not None and row["currency"] != "USD"]
    assert converted and all("ECB" in row["usd_rate_note"] for row in converted)
    names = {d["name"] for d in api.get("/api/v1/datasets").json()["datasets"]}
    assert {"published_figures", "contributions"} <= names


def test_the_data_package_url_validates(api, tmp_path):
    import frictionless

    answer = api.get("/api/v1/datapackage.zip")
    assert answer.headers["content-type"] == "application/zip"
    zipfile.ZipFile(io.BytesIO(answer.content)).extractall(tmp_path)
    assert frictionless.validate(tmp_path / "datapackage.json").valid


def test_the_openapi_description_validates_and_the_docs_page_needs_no_script(api):
    from openapi_spec_validator import validate

    validate(api.get("/api/v1/openapi.json").json())
    page = api.get("/api/v1/").text
    assert "<script" not in page and "/api/v1/figures" in page and 'lang="en"' in page
    assert set(SPEC["paths"]) == {
        r.path for r in ROUTES if r.path.startswith("/api/v1/") and r.path[-1] != "/"
    } - {"/api/v1/openapi.json"}


def test_the_plain_record_page_holds_the_brussels_figures_and_their_sources(api):
    import gzip
    import json
    import re

    page = api.get("/record", params={"as_of": "2024-05-29"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    text = page.text
    for value in ("375", "16", "261", "192"):
        assert f'<div class="value">{value}</div>' in text
    assert "IIIM press release, 29 May 2024 (Brussels VIII)" in text and "<svg" in text
    assert re.findall(r"<script[^>]*>", text) == ['<script type="application/ld+json">']  # no script to run
    described = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', text).group(1))
    assert described["@type"] == "Dataset"
    assert {f'hreflang="{code}"' for code in ("en", "ar", "fr")} <= set(re.findall(r'hreflang="\w+"', text))
    assert len(gzip.compress(page.content)) < 300_000
    arabic = api.get("/record", params={"as_of": "2024-05-29", "lang": "ar"}).text
    assert '<html lang="ar" dir="rtl">' in arabic
    chinese = api.get("/record", params={"as_of": "2024-05-29", "lang": "zh"}).text
    assert '<html lang="zh" dir="ltr">' in chinese and "授权任务指标" in chinese
    assert "src:url(app/static/fonts/NotoSansSC-Regular.subset.woff2)" in chinese  # drawn with JS off too
    assert api.get("/record", params={"as_of": "yesterday"}).status_code == 400


def test_a_pinned_version_keeps_its_figures_after_a_publish_and_is_cached_long(api, tmp_path, monkeypatch):
    monkeypatch.setenv("MANDATE_METRICS_STORE", str(tmp_path / "store"))
    monkeypatch.setattr(routes, "POINTERS_FRESH", 0.0)  # the API trusts a read of the pointers for 1 s
    before = api.get("/api/v1/figures", params={"as_of": "2024-05-29"})  # seeds the new store
    pinned = before.json()["data_version"]
    assert "max-age=60" in before.headers["cache-control"]

    from mandate_metrics.store import open_store

    store = open_store(str(tmp_path / "store"))
    figures = store.read("published_figures")
    brussels = (figures["metric"] == "requests_received") & (figures["as_of"] == pd.Timestamp("2024-05-29"))
    assert brussels.sum() == 1
    figures.loc[brussels, "value"] = 376.0
    store.publish("published_figures", figures, by="test", note="a correction")

    now = api.get("/api/v1/figures", params={"as_of": "2024-05-29"}).json()
    assert now["data_version"] != pinned and now["figures"][0]["value"] == 376
    old = api.get("/api/v1/figures", params={"as_of": "2024-05-29", "version": pinned})
    assert old.status_code == 200 and old.json()["data_version"] == pinned
    assert old.json()["figures"][0]["value"] == 375  # the pinned link still gives what it was made from
    assert old.headers["etag"] == f'"{pinned}"' and "immutable" in old.headers["cache-control"]
    unknown = api.get("/api/v1/figures", params={"version": "data-00000000"})
    assert unknown.status_code == 404 and unknown.json()["parameter"] == "version"
    assert now["data_version"] in unknown.json()["error"]  # it names the current version


def test_a_repeat_is_answered_from_memory_and_still_gets_its_304(api):
    first = api.get("/api/v1/figures", params={"as_of": "2023-01-01"})
    routes._ANSWERS.clear()
    again = api.get("/api/v1/figures", params={"as_of": "2023-01-01"})  # worked out, then remembered
    assert len(routes._ANSWERS) == 1
    third = api.get("/api/v1/figures", params={"as_of": "2023-01-01"})  # from memory
    assert third.content == again.content == first.content and third.headers["etag"] == first.headers["etag"]
    assert third.headers["content-type"].startswith("application/json")
    held = api.get(
        "/api/v1/figures", params={"as_of": "2023-01-01"}, headers={"If-None-Match": first.headers["etag"]}
    )
    assert held.status_code == 304
