"""The "Download all public data" zip: a Frictionless data package that validates.

Every dataset the view holds goes in as the public may see it, beside a ``datapackage.json``
that the reference validator (``frictionless validate``) accepts: typed fields (dates, numbers,
integers, booleans) each with a title and description, ``missingValues`` that name the withheld
cells, ``sources`` on every resource, licences only where the terms are a licence (otherwise a
``terms`` note), and a date-time ``created``.

Only the truth of its view: the published record's zip holds published and official data and no
table computed from an illustrative dataset (an illustrative row of a mixed dataset is left out,
an illustrative value blanked); the sample view's zip holds everything, and every row says in an
``Illustrative`` column whether it is sample data.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd

from mandate_metrics.exports.fields import DESCRIPTIONS, INTEGERS, UNITS
from mandate_metrics.exports.tables import labelled, neutralise_formulas
from mandate_metrics.figures import disclosure, linked
from mandate_metrics.figures.disclosure import Role
from mandate_metrics.figures.record import View, ledger_shows
from mandate_metrics.i18n import column_label
from mandate_metrics.loading import Datasets
from mandate_metrics.metadata import DatasetMeta
from mandate_metrics.schemas import VALUE_STATUSES

NAME = "iiim-mandate-metrics"
MARK = "illustrative"  # the per-row marking column
WITHHELD = disclosure.SUPPRESSED
LEDGER = ("requests", "jurisdictions")  # what the aggregate tables are computed from
CC0 = {
    "name": "CC0-1.0",
    "path": "https://creativecommons.org/publicdomain/zero/1.0/",
    "title": "Creative Commons Zero v1.0 Universal",
}


def _provenance_columns(frame: pd.DataFrame) -> list[str]:
    """Columns that say whether a row's (or a value's) figures are published or illustrative.

    A request's ``status`` (received, supported…) is a decision, not a provenance: only columns
    whose every value is a provenance word count.
    """
    return [
        c
        for c in frame.columns
        if (c == "status" or c.endswith("_status"))
        and set(frame[c].dropna().astype(str).unique()) <= set(VALUE_STATUSES)
    ]


def row_is_illustrative(frame: pd.DataFrame, meta: DatasetMeta) -> pd.Series:
    """True for every row that holds a sample value: all rows of an illustrative dataset, else per row."""
    if meta.provenance == "illustrative":
        return pd.Series(True, index=frame.index)
    marks = pd.Series(False, index=frame.index)
    for column in _provenance_columns(frame):
        marks |= frame[column].astype(str) == "illustrative"
    return marks


def published_part(frame: pd.DataFrame) -> pd.DataFrame:
    """A mixed dataset as the published record holds it: illustrative rows out, illustrative values blank.

    A row marked by ``status`` is left out whole; a value marked by its own ``<x>_status`` column
    is blanked and its status reads ``not_available`` (the record has none), and a row left with no
    published value at all is left out.
    """
    out = frame.copy()
    columns = _provenance_columns(out)
    if "status" in columns:
        out = out[out["status"].astype(str) != "illustrative"]
    per_value = [c for c in columns if c != "status"]
    for status in per_value:
        prefix = status.removesuffix("_status")
        for value in [c for c in out.columns if c.startswith(prefix) and c != status]:
            out[value] = out[value].where(out[status].astype(str) != "illustrative")
        out[status] = out[status].where(out[status].astype(str) != "illustrative", "not_available")
    if per_value:
        out = out[(out[per_value].astype(str) == "published").any(axis=1)]
    return out.reset_index(drop=True)


def _field(raw: str, frame: pd.DataFrame, label: str) -> dict[str, Any]:
    """One column's Table Schema field: name (the header in words), type, title, description, unit."""
    series = frame[raw]
    field: dict[str, Any] = {"name": label, "title": label}
    if pd.api.types.is_bool_dtype(series):
        yes, no = column_label("yes"), column_label("no")
        field.update(type="boolean", trueValues=[yes], falseValues=[no])
    elif raw in INTEGERS or pd.api.types.is_integer_dtype(series):
        field["type"] = "integer"
    elif pd.api.types.is_float_dtype(series):
        field["type"] = "number"
    elif pd.api.types.is_datetime64_any_dtype(series):
        field["type"] = "date"
    else:
        field["type"] = "string"
    field["description"] = DESCRIPTIONS.get(raw, label)
    if raw in UNITS:
        field["unit"] = UNITS[raw]
    return field


def _table(frame: pd.DataFrame) -> tuple[bytes, list[dict[str, Any]]]:
    """The CSV bytes (headers in words, formula-safe) and the fields that describe them."""
    words = labelled(frame)
    fields = [_field(raw, frame, str(label)) for raw, label in zip(frame.columns, words.columns, strict=True)]
    for raw, label in zip(frame.columns, words.columns, strict=True):
        if raw in INTEGERS and pd.api.types.is_float_dtype(frame[raw]):
            words[label] = frame[raw].map(lambda v: "" if pd.isna(v) else str(int(v)))
    data = neutralise_formulas(words).to_csv(index=False, lineterminator="\n").encode("utf-8")
    return data, fields


def _terms(meta: DatasetMeta) -> dict[str, Any]:
    """A licence where the terms are one (CC0); otherwise the terms in words, beside the sources."""
    if meta.licence.startswith("CC0"):
        return {"licenses": [CC0]}
    return {"terms": meta.licence}


def _sources(*metas: DatasetMeta) -> list[dict[str, str]]:
    found = {(s.title, s.url) for meta in metas for s in meta.sources}
    return [{"title": title, **({"path": url} if url else {})} for title, url in sorted(found, key=str)]


def _resource(name: str, data: bytes, fields: list[dict[str, Any]], **about: Any) -> dict[str, Any]:
    missing = [""] if name in disclosure.ROW_LEVEL or not name.startswith("requests_by") else ["", WITHHELD]
    return {
        "name": name,
        "path": f"data/{name}.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": len(data),
        **about,
        "schema": {"fields": fields, "missingValues": missing},
    }


def _put(files: dict[str, bytes], name: str, frame: pd.DataFrame, **about: Any) -> dict[str, Any]:
    """Write ``frame`` as ``data/<name>.csv`` into ``files`` and return its resource descriptor."""
    content, fields = _table(frame)
    files[f"data/{name}.csv"] = content
    return _resource(name, content, fields, **about)


def _aggregates(
    data: Datasets, role: Role, undisclosed_name: str, as_of: date
) -> tuple[date | None, dict[str, pd.DataFrame]]:
    """The tables the Jurisdictions page shows, by region and by jurisdiction, and their date.

    For the public that is the last reference date on or before ``as_of`` (``figures.linked``).
    """
    found = linked.public_tables_at(data, as_of, role, undisclosed_name + " ({region})")
    if found.shown_for is None or found.tables.regions.empty:
        return None, {}
    return found.shown_for, {
        "requests_by_region": found.tables.regions,
        "requests_by_jurisdiction": found.tables.jurisdictions[["name", "region", *disclosure.COUNT_COLUMNS]],
    }


def _shows_aggregates(data: Datasets, view: View) -> bool:
    """The record shows them only from official data; the ledger view as its pages do."""
    if view == "record":
        return not any(data[name].meta.is_illustrative for name in LEDGER)
    return ledger_shows(data, view, LEDGER)


def public_data_zip(
    data: Datasets,
    role: Role,
    undisclosed_name: str,
    as_of: date,
    view: View = "record",
    created: datetime | None = None,
) -> bytes:
    """The zip of every dataset ``view`` holds (disclosure rule applied for ``role``) plus its descriptor.

    For the public, the row-level ledger is replaced by the suppressed aggregate tables as of
    ``as_of`` (by region, by jurisdiction), the same the Jurisdictions page shows. Staff get every
    dataset, every row marked.
    """
    staff = disclosure.can_see_everything(role)
    record = view == "record" and not staff
    jurisdictions = data.frame("jurisdictions")
    resources: list[dict[str, Any]] = []
    files: dict[str, bytes] = {}
    for name, dataset in data.items():
        meta = dataset.meta
        if (meta.visibility != "public" and not staff) or (record and meta.provenance == "illustrative"):
            continue
        frame = disclosure.public_dataset(name, dataset.frame, jurisdictions, role, undisclosed_name)
        if frame is None:
            continue
        frame = published_part(frame) if record else frame
        frame[MARK] = row_is_illustrative(frame, meta)
        resources.append(
            _put(
                files,
                name,
                frame,
                title=dataset.title(),
                description=dataset.description(),
                sources=_sources(meta),
                **_terms(meta),
                provenance="published" if record and meta.provenance == "mixed" else meta.provenance,
                illustrative=bool(frame[MARK].any()),
                version=meta.version,
                as_of=meta.as_of.isoformat(),
            )
        )
    if not staff and _shows_aggregates(data, view):
        ledger = [data[name].meta for name in LEDGER]
        sample = any(meta.is_illustrative for meta in ledger)
        shown_for, tables = _aggregates(data, role, undisclosed_name, as_of)
        for name, frame in tables.items():
            frame = frame.copy()
            frame[MARK] = sample
            resources.append(
                _put(
                    files,
                    name,
                    frame,
                    title=f"{data['requests'].title()}: {name.replace('_', ' ')}, as of {shown_for}",
                    description="Aggregates under the disclosure rule, published for reference dates only "
                    "(year ends and the days figures were presented) and protected together: counts from "
                    "1 to 4, and the cells that would let them be worked out by subtraction or by comparing "
                    "dates, read 'withheld'.",
                    sources=_sources(*ledger),
                    **_terms(ledger[0]),
                    provenance=ledger[0].provenance,
                    illustrative=sample,
                    version=data.version,
                    as_of=str(shown_for),
                )
            )
    return _zip(_descriptor(data, resources, record, created), files)


def _descriptor(
    data: Datasets, resources: list[dict[str, Any]], record: bool, created: datetime | None
) -> dict[str, Any]:
    illustrative = [r["title"] for r in resources if r["illustrative"]]
    if record:
        about = "The published record: figures the IIIM, the UN and governments published, each with its "
        about += "source, and data staff declared official. No illustrative (sample) value is included."
    else:
        about = "Illustrative datasets contain sample values that are not public figures; do not cite "
        about += "them (every such row says so in its Illustrative column): " + "; ".join(illustrative) + "."
    return {
        "name": NAME,
        "title": "IIIM Mandate Metrics — public data",
        "version": data.version,
        "created": (created or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "description": "Datasets behind the IIIM's Mandate Metrics dashboard. " + about,
        "resources": resources,
    }


def _zip(descriptor: dict[str, Any], files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(descriptor, indent=2, ensure_ascii=False))
        for path, content in files.items():
            archive.writestr(path, content)
    return out.getvalue()
