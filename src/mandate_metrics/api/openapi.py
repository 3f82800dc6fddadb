"""The OpenAPI 3.1 description of ``/api/v1/``, and the page that documents it for people."""

from __future__ import annotations

import html
from typing import Any

from mandate_metrics.schemas import EARLIEST_DATE

MEASURES = [
    "requests_received",
    "requests_supported",
    "requesting_jurisdictions",
    "investigations_related",
    "investigations_supported",
]
_ERROR = {"$ref": "#/components/schemas/Error"}
_AS_OF = {
    "name": "as_of",
    "in": "query",
    "required": False,
    "description": "The date the figures are as of (YYYY-MM-DD), from "
    f"{EARLIEST_DATE.date().isoformat()} (the IIIM's start) to the latest data (the default); a date "
    "outside that range is a 400.",
    "schema": {"type": "string", "format": "date"},
}
_VIEW = {
    "name": "view",
    "in": "query",
    "required": False,
    "description": "record (default): published figures only. sample or official: the request ledger; "
    "sample values are marked illustrative in every row.",
    "schema": {"type": "string", "enum": ["record", "sample", "official"], "default": "record"},
}

_VERSION = {
    "name": "version",
    "in": "query",
    "required": False,
    "description": "A data version (data-…, as in every answer's ETag and data_version) to pin the answer to "
    "that data, current or past: the answer never changes and is cached for a year. Default: the current "
    "data, cached for a minute.",
    "schema": {"type": "string", "pattern": "^data-[0-9a-f]{8}$"},
}


def _ok(description: str, schema: dict[str, Any], media: str = "application/json") -> dict[str, Any]:
    return {
        "200": {
            "description": description,
            "headers": {"ETag": {"description": "The data version.", "schema": {"type": "string"}}},
            "content": {media: {"schema": schema}},
        },
        "304": {"description": "Not modified: the client holds this data version (If-None-Match)."},
        "400": {
            "description": "A parameter is wrong; the body names it.",
            "content": {"application/json": {"schema": _ERROR}},
        },
        "404": {
            "description": "Unknown data version (or measure); the body names the parameter.",
            "content": {"application/json": {"schema": _ERROR}},
        },
    }


SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "IIIM Mandate Metrics — read API",
        "version": "1.0.0",
        "description": "The public record behind the IIIM's Mandate Metrics dashboard: published figures "
        "with their sources, donors' published contributions, the dataset catalogue and the open data "
        "package. "
        "Read-only; every value says where it comes from.",
        "license": {
            "name": "Figures are facts published by their sources; cite the original source of each."
        },
    },
    "servers": [{"url": "/"}],
    "paths": {
        "/api/v1/figures": {
            "get": {
                "summary": "Headline figures as of a date",
                "operationId": "figures",
                "parameters": [_AS_OF, _VIEW, _VERSION],
                "responses": _ok("The headline measures.", {"$ref": "#/components/schemas/Figures"}),
            }
        },
        "/api/v1/figures.csv": {
            "get": {
                "summary": "Headline figures as of a date, as CSV",
                "operationId": "figuresCsv",
                "parameters": [_AS_OF, _VIEW, _VERSION],
                "responses": _ok("One row per measure.", {"type": "string"}, "text/csv"),
            }
        },
        "/api/v1/series/{measure}": {
            "get": {
                "summary": "Every observation of one measure",
                "operationId": "series",
                "parameters": [
                    {
                        "name": "measure",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "enum": MEASURES},
                    },
                    _AS_OF,
                    _VIEW,
                    _VERSION,
                ],
                "responses": _ok("The observations, oldest first.", {"$ref": "#/components/schemas/Series"}),
            }
        },
        "/api/v1/contributions": {
            "get": {
                "summary": "Published contributions",
                "operationId": "contributions",
                "parameters": [_AS_OF, _VERSION],
                "responses": _ok(
                    "Each in its original currency, with the derived USD and the rate used.",
                    {"type": "object"},
                ),
            }
        },
        "/api/v1/datasets": {
            "get": {
                "summary": "The dataset catalogue",
                "operationId": "datasets",
                "parameters": [_VERSION],
                "responses": _ok("Every public dataset with its provenance and version.", {"type": "object"}),
            }
        },
        "/api/v1/datapackage.zip": {
            "get": {
                "summary": "The open data package (Frictionless)",
                "operationId": "datapackage",
                "parameters": [_AS_OF, _VIEW, _VERSION],
                "responses": _ok(
                    "A zip: datapackage.json and one CSV per table.",
                    {"type": "string", "contentMediaType": "application/zip"},
                    "application/zip",
                ),
            }
        },
    },
    "components": {
        "schemas": {
            "Error": {
                "type": "object",
                "required": ["error", "parameter"],
                "properties": {"error": {"type": "string"}, "parameter": {"type": "string"}},
            },
            "Figure": {
                "type": "object",
                "required": ["measure", "value", "qualifier", "date", "provenance", "illustrative"],
                "properties": {
                    "measure": {"type": "string", "enum": MEASURES},
                    "value": {"type": "number"},
                    "qualifier": {"type": "string", "enum": ["exact", "approx", "lower_bound"]},
                    "qualifier_words": {"type": "string"},
                    "date": {"type": "string", "format": "date"},
                    "precision": {"type": "string", "enum": ["day", "month", "year"]},
                    "provenance": {
                        "type": "string",
                        "enum": ["published", "official", "derived", "illustrative"],
                    },
                    "illustrative": {"type": "boolean"},
                    "source_title": {"type": ["string", "null"]},
                    "source_url": {"type": ["string", "null"]},
                    "dataset_version": {"type": ["string", "null"]},
                },
            },
            "Figures": {
                "type": "object",
                "properties": {
                    "as_of": {"type": "string", "format": "date"},
                    "view": {"type": "string"},
                    "data_version": {"type": "string"},
                    "figures": {"type": "array", "items": {"$ref": "#/components/schemas/Figure"}},
                },
            },
            "Series": {
                "type": "object",
                "properties": {
                    "measure": {"type": "string"},
                    "view": {"type": "string"},
                    "data_version": {"type": "string"},
                    "series": {"type": "array", "items": {"$ref": "#/components/schemas/Figure"}},
                },
            },
        }
    },
}


def _docs_page() -> str:
    rows = "".join(
        f"<tr><td><code>GET {html.escape(path)}</code></td><td>{html.escape(op['get']['summary'])}</td></tr>"
        for path, op in SPEC["paths"].items()
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>IIIM Mandate Metrics — read API</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;"
        "line-height:1.5}"
        "td{padding:.3rem .8rem;border-bottom:1px solid #ddd}code{font-size:.95em}</style></head><body>"
        "<h1>IIIM Mandate Metrics — read API</h1>"
        f"<p>{html.escape(SPEC['info']['description'])}</p>"
        "<p>Each answer carries its data version as its <code>ETag</code>; send it back in "
        "<code>If-None-Match</code> to get a 304. Add <code>as_of=YYYY-MM-DD</code> for the figures as of "
        "a date, <code>view=sample</code> for the illustrative ledger (every sample value is marked), and "
        "<code>version=</code> with a data version (the <code>ETag</code>) to pin an answer to that data, "
        "current or past: a pinned answer never changes and may be cached for a year. "
        'The machine-readable description is <a href="/api/v1/openapi.json">openapi.json</a>.</p>'
        f"<table><thead><tr><th>Address</th><th>What it gives</th></tr></thead><tbody>{rows}</tbody></table>"
        "<h2>Example</h2><pre><code>GET /api/v1/figures?as_of=2024-05-29</code></pre>"
        "</body></html>"
    )


DOCS_PAGE = _docs_page()
