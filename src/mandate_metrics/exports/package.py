"""The "Download all public data" zip, with a Frictionless data-package descriptor.

Every public dataset goes in as the public may see it, beside a ``datapackage.json`` that
carries each dataset's provenance, version, licence and column types.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from typing import Any

import pandas as pd

from mandate_metrics.exports.tables import labelled, neutralise_formulas
from mandate_metrics.figures import disclosure, metrics
from mandate_metrics.figures.disclosure import Role
from mandate_metrics.loading import Datasets

NAME = "iiim-mandate-metrics"


def _field_type(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_float_dtype(series):
        return "number"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    return "string"


def _csv(frame: pd.DataFrame) -> bytes:
    out = neutralise_formulas(frame)
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8")


def _csv_file(name: str) -> dict[str, str]:
    """What every resource in the package shares: a UTF-8 CSV under ``data/``."""
    return {
        "name": name,
        "path": f"data/{name}.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
    }


def _resource(name: str, frame: pd.DataFrame, data: Datasets) -> dict[str, Any]:
    meta = data[name].meta
    return {
        **_csv_file(name),
        "title": meta.title,
        "description": meta.description,
        "sources": [{"title": s.title, **({"path": s.url} if s.url else {})} for s in meta.sources],
        "licenses": [{"title": meta.licence}],
        "schema": {"fields": [{"name": c, "type": _field_type(frame[c])} for c in frame.columns]},
        "provenance": meta.provenance,
        "illustrative": meta.is_illustrative,
        "version": meta.version,
        "as_of": meta.as_of.isoformat(),
    }


def _aggregate_resource(name: str, frame: pd.DataFrame, data: Datasets, as_of: date) -> dict[str, Any]:
    requests = data["requests"].meta
    return {
        **_csv_file(name),
        "title": f"{requests.title}: {name.replace('_', ' ')}, as of {as_of.isoformat()}",
        "description": "Aggregates under the disclosure rule: counts from 1 to 4, and the cells that would "
        "let them be worked out by subtraction, read 'withheld'.",
        "schema": {"fields": [{"name": c, "type": "string"} for c in frame.columns]},
        "provenance": requests.provenance,
        "illustrative": requests.is_illustrative,
        "version": data.version,
        "as_of": as_of.isoformat(),
    }


def public_data_zip(data: Datasets, role: Role, undisclosed_name: str, as_of: date) -> bytes:
    """The zip of every public dataset (disclosure rule applied for ``role``) plus its descriptor.

    For the public, the row-level ledger is replaced by the suppressed aggregate tables as of
    ``as_of`` (by region, by jurisdiction), the same the Jurisdictions page shows.
    """
    jurisdictions = data.frame("jurisdictions")
    resources, files = [], {}
    for name, dataset in data.items():
        if dataset.meta.visibility != "public" and not disclosure.can_see_everything(role):
            continue
        frame = disclosure.public_dataset(name, dataset.frame, jurisdictions, role, undisclosed_name)
        if frame is None:
            continue
        if not disclosure.can_see_everything(role):
            frame = labelled(frame)  # the public reads headers in words; staff keep the upload form
        files[f"data/{name}.csv"] = _csv(frame)
        resources.append(_resource(name, frame, data))
    if not disclosure.can_see_everything(role):
        per = metrics.by_jurisdiction(data.frame("requests"), jurisdictions, as_of)
        tables = disclosure.public_tables(per, role, undisclosed_name + " ({region})")
        aggregates = {
            "requests_by_region": tables.regions,
            "requests_by_jurisdiction": tables.jurisdictions[["name", "region", *disclosure.COUNT_COLUMNS]],
        }
        for name, frame in aggregates.items():
            frame = labelled(frame)
            files[f"data/{name}.csv"] = _csv(frame)
            resources.append(_aggregate_resource(name, frame, data, as_of))
    illustrative = [r["title"] for r in resources if r["illustrative"]]
    descriptor = {
        "profile": "data-package",
        "name": NAME,
        "title": "IIIM Mandate Metrics — public data",
        "version": data.version,
        "created": as_of.isoformat(),
        "description": "Datasets behind the IIIM's Mandate Metrics dashboard. Illustrative datasets "
        "contain sample values that are not public figures; do not cite them: "
        + "; ".join(illustrative)
        + ".",
        "resources": resources,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(descriptor, indent=2, ensure_ascii=False))
        for path, content in files.items():
            archive.writestr(path, content)
    return out.getvalue()
