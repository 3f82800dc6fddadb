"""``/api/v1/``: what a data team, a ministry's website or a web archive can take away, as JSON or CSV.

Every answer carries its data version as its ``ETag`` (``If-None-Match`` answers 304) and
``Access-Control-Allow-Origin: *``. The current data gets a short ``Cache-Control`` (it can change
with a publish); ``?version=data-…`` pins one data version, current or past, and is cached for a
year (it never changes).
A wrong parameter is a 400 (an unknown measure a 404) whose JSON names the parameter.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from mandate_metrics.api import record_page
from mandate_metrics.api.as_of import asked_day
from mandate_metrics.api.openapi import DOCS_PAGE, SPEC
from mandate_metrics.config import load_config
from mandate_metrics.exports.package import public_data_zip
from mandate_metrics.figures import funding
from mandate_metrics.figures.record import SERIES_MEASURES, Figure, View, evidence_of, qualifier_word
from mandate_metrics.loading import Datasets, load_from_store, load_versions, past_data_versions
from mandate_metrics.store import Version, VersionedStore, open_store

PREFIX = "/api/v1"
HEADLINE = ("requests_received", "requesting_jurisdictions", "requests_supported", "investigations_supported")
CACHE = "public, max-age=60"
PINNED = "public, max-age=31536000, immutable"
_LOCK = threading.Lock()
_LOADED: dict[str, Datasets] = {}  # by the store's pointers: one load per data version
_STORES: dict[str, VersionedStore] = {}
_PAST: OrderedDict[str, Datasets] = OrderedDict()  # pinned past versions, the few most recently asked
_PAST_KEEP = 4


class BadRequest(ValueError):
    """A parameter the API cannot use; ``parameter`` names it."""

    def __init__(self, parameter: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.parameter, self.status = parameter, status


def _store(location: str) -> VersionedStore:
    """One store object per location and process: a bucket's client is made once, not per request."""
    with _LOCK:
        if location not in _STORES:
            _STORES[location] = open_store(location)
        return _STORES[location]


def _datasets(request: Request | None = None) -> Datasets:
    """The data the request asks for: ``?version=`` if it names one, else the current data."""
    pinned = request.query_params.get("version") if request is not None else None
    current = _current()
    if pinned is None or pinned == current.version:
        return current
    with _LOCK:
        if pinned in _PAST:
            _PAST.move_to_end(pinned)
            return _PAST[pinned]
    config = load_config()
    store = _store(config.store)
    made_of = _history(store).get(pinned)
    if made_of is None:
        raise BadRequest(
            "version",
            f"unknown data version {pinned!r}; the current one is {current.version!r} "
            "(GET /api/v1/datasets lists the datasets it is made of)",
            404,
        )
    loaded = load_versions(store, Path(config.data_dir), made_of)
    with _LOCK:
        _PAST[pinned] = loaded
        while len(_PAST) > _PAST_KEEP:
            _PAST.popitem(last=False)
    return loaded


_HISTORY: dict[str, dict[str, dict[str, Version]]] = {}


def _history(store: VersionedStore) -> dict[str, dict[str, Version]]:
    """Every data version the store has served: read once per set of pointers (a publish adds one)."""
    pointers = store.pointers()
    with _LOCK:
        if pointers not in _HISTORY:
            _HISTORY.clear()
            _HISTORY[pointers] = past_data_versions(store)
        return _HISTORY[pointers]


def _current() -> Datasets:
    """The current datasets: one small pointer read per request, a full load once per data version."""
    config = load_config()
    store = _store(config.store)
    pointers = store.pointers()
    with _LOCK:
        if pointers not in _LOADED:
            _LOADED.clear()
            _LOADED[pointers] = load_from_store(store, Path(config.data_dir))
        return _LOADED[pointers]


def _as_of(request: Request, data: Datasets) -> date:
    try:
        return asked_day(request.query_params.get("as_of"), data)
    except ValueError as exc:
        raise BadRequest("as_of", str(exc)) from exc


def _view(request: Request) -> View:
    raw = request.query_params.get("view", "record")
    if raw not in ("record", "sample", "official"):
        raise BadRequest("view", f"view must be record, sample or official, not {raw!r}")
    return "record" if raw == "record" else "ledger"


def _figure(measure: str, figure: Figure) -> dict[str, Any]:
    return {
        "measure": measure,
        "value": int(figure.value) if float(figure.value).is_integer() else figure.value,
        "qualifier": figure.qualifier,
        "qualifier_words": qualifier_word(figure.qualifier),
        "date": figure.on.isoformat(),
        "precision": figure.precision,
        "provenance": figure.provenance,
        "illustrative": figure.is_illustrative,
        "source_title": figure.source_title or None,
        "source_url": figure.source_url,
        "dataset_version": figure.dataset_version or None,
    }


def _headers(data: Datasets, request: Request) -> dict[str, str]:
    cache = PINNED if request.query_params.get("version") == data.version else CACHE
    return {"ETag": f'"{data.version}"', "Cache-Control": cache, "Access-Control-Allow-Origin": "*"}


def _held(request: Request, data: Datasets) -> bool:
    """Whether the client already holds this data version (If-None-Match): it gets a 304."""
    return request.headers.get("if-none-match") in (f'"{data.version}"', "*")


def _answer(request: Request, data: Datasets, body: Any, csv: pd.DataFrame | None = None) -> Response:
    """JSON (or CSV), tagged with the data version; 304 when the client holds this version."""
    if _held(request, data):
        return Response(status_code=304, headers=_headers(data, request))
    if csv is not None:
        return Response(
            csv.to_csv(index=False), media_type="text/csv; charset=utf-8", headers=_headers(data, request)
        )
    return JSONResponse(body, headers=_headers(data, request))


def figures(request: Request) -> Response:
    """The headline measures as of a date, each with its value, qualifier, date and provenance."""
    data = _datasets(request)
    day, view = _as_of(request, data), _view(request)
    evidence = evidence_of(data, view)
    rows = [_figure(m, f) for m in HEADLINE if (f := evidence.figure(m, day)) is not None]
    body = {"as_of": day.isoformat(), "view": view, "data_version": data.version, "figures": rows}
    csv = pd.DataFrame(rows) if request.url.path.endswith(".csv") else None
    return _answer(request, data, body, csv)


def series(request: Request) -> Response:
    """Every observation of one measure up to a date (published ones, or the ledger's with view=sample)."""
    measure = request.path_params["measure"]
    if measure not in SERIES_MEASURES:
        raise BadRequest("measure", f"unknown measure {measure!r}; known: {', '.join(SERIES_MEASURES)}", 404)
    data = _datasets(request)
    day, view = _as_of(request, data), _view(request)
    rows = [_figure(measure, f) for f in evidence_of(data, view).series(measure, day)]
    return _answer(
        request, data, {"measure": measure, "view": view, "data_version": data.version, "series": rows}
    )


def contributions(request: Request) -> Response:
    """Every published contribution: original currency, and the derived USD with the rate used."""
    data = _datasets(request)
    given = funding.published_contributions(data.frame("contributions"), _as_of(request, data))
    keep = ["donor", "donor_type", "year", "kind", "amount", "currency", "amount_usd", "usd_rate_note"]
    keep += ["date", "date_precision", "source_title", "source_url"]
    frame = given[keep].copy()
    frame["date"] = frame["date"].dt.strftime("%Y-%m-%d")
    rows = [{k: (None if pd.isna(v) else v) for k, v in row.items()} for row in frame.to_dict("records")]
    return _answer(request, data, {"data_version": data.version, "contributions": rows})


def datasets(request: Request) -> Response:
    """The catalogue: every public dataset with its provenance, version, as-of date and sources."""
    data = _datasets(request)
    rows = [
        {
            "name": name,
            "title": dataset.title(),
            "description": dataset.description(),
            "provenance": dataset.meta.provenance,
            "illustrative": dataset.meta.is_illustrative,
            "version": dataset.meta.version,
            "as_of": dataset.meta.as_of.isoformat(),
            "rows": dataset.meta.rows,
            "sources": [{"title": s.title, "url": s.url} for s in dataset.meta.sources],
        }
        for name, dataset in data.items()
        if dataset.meta.visibility == "public"
    ]
    return _answer(request, data, {"data_version": data.version, "datasets": rows})


def datapackage(request: Request) -> Response:
    """The open data package of the view (frictionless-valid), as a zip."""
    data = _datasets(request)
    view, day = _view(request), _as_of(request, data)
    if _held(request, data):
        return Response(status_code=304, headers=_headers(data, request))
    zipped = public_data_zip(data, "public", "Undisclosed", day, view)
    disposition = {"Content-Disposition": f'attachment; filename="iiim_public_data_{data.version}.zip"'}
    return Response(zipped, media_type="application/zip", headers=_headers(data, request) | disposition)


def openapi(request: Request) -> Response:
    """The OpenAPI 3.1 description of this API."""
    return JSONResponse(SPEC, headers={"Access-Control-Allow-Origin": "*", "Cache-Control": CACHE})


def docs(request: Request) -> Response:
    """A page documenting the API for people: no script, nothing fetched from elsewhere."""
    return HTMLResponse(DOCS_PAGE, headers={"Cache-Control": CACHE})


def plain_record(request: Request) -> Response:
    """The published record as a plain HTML page (``record_page``)."""
    return record_page.record(request, _current())


_ANSWERS: OrderedDict[tuple[str, str, str, str], tuple[bytes, list[tuple[bytes, bytes]]]] = OrderedDict()
_ANSWERS_BUDGET = 64 * 1024 * 1024  # bytes of remembered answers per process (a zip is a few MB)


_POINTERS: dict[str, tuple[float, str]] = {}
POINTERS_FRESH = 1.0  # seconds a read of the store's pointers is trusted: a publish shows within it


async def _pointers(location: str) -> str:
    """The store's pointers, read at most once a second (off the event loop: a bucket is remote)."""
    now = time.monotonic()
    known = _POINTERS.get(location)
    if known is None or now - known[0] > POINTERS_FRESH:
        known = (now, await run_in_threadpool(lambda: _store(location).pointers()))
        _POINTERS[location] = known
    return known[1]


def _remembered(handler: Any) -> Any:
    """Answer a repeat from memory: every answer is a pure function of the data and the address.

    Keyed by the store and its pointers (a publish changes them), the path and the query; only
    200s are kept, the least recently used dropped beyond ``_ANSWERS_BUDGET``. A repeat is answered
    on the event loop (no thread); a first answer is worked out in the thread pool. A client
    holding the answer's ETag still gets its 304.
    """

    async def run(request: Request) -> Response:
        location = load_config().store
        key = (location, await _pointers(location), request.url.path, request.url.query)
        with _LOCK:
            kept = _ANSWERS.get(key)
            if kept is not None:
                _ANSWERS.move_to_end(key)
        if kept is None:
            response = await run_in_threadpool(handler, request)
            if response.status_code != 200:
                return response
            kept = (bytes(response.body), [(k, v) for k, v in response.raw_headers if k != b"content-length"])
            with _LOCK:
                _ANSWERS[key] = kept
                while sum(len(body) for body, _ in _ANSWERS.values()) > _ANSWERS_BUDGET:
                    _ANSWERS.popitem(last=False)
        body, headers = kept
        tag = dict(headers).get(b"etag", b"").decode()
        if tag and request.headers.get("if-none-match") in (tag, "*"):
            return Response(status_code=304, headers={k.decode(): v.decode() for k, v in headers})
        answer = Response(body)
        answer.raw_headers = [(b"content-length", str(len(body)).encode()), *headers]
        return answer

    run.__name__ = handler.__name__
    run.__doc__ = handler.__doc__
    return run


def _guarded(handler: Any) -> Any:
    remembered = _remembered(handler)

    async def run(request: Request) -> Response:
        try:
            return await remembered(request)
        except BadRequest as problem:
            body = {"error": str(problem), "parameter": problem.parameter}
            return JSONResponse(
                body, status_code=problem.status, headers={"Access-Control-Allow-Origin": "*"}
            )

    run.__name__ = handler.__name__
    run.__doc__ = handler.__doc__
    return run


ROUTES = [
    Route(f"{PREFIX}/figures", _guarded(figures)),
    Route(f"{PREFIX}/figures.csv", _guarded(figures)),
    Route(f"{PREFIX}/series/{{measure}}", _guarded(series)),
    Route(f"{PREFIX}/contributions", _guarded(contributions)),
    Route(f"{PREFIX}/datasets", _guarded(datasets)),
    Route(f"{PREFIX}/datapackage.zip", _guarded(datapackage)),
    Route(f"{PREFIX}/openapi.json", openapi),
    Route(f"{PREFIX}/", docs),
    Route("/record", _remembered(plain_record)),
]
"""What ``serve.py`` mounts beside the pages (sync handlers: Starlette runs them in its thread pool)."""
