"""Streamlit's static files, compressed once per server instead of once per request.

Starlette's ``GZipMiddleware`` compresses each response as it streams out, on the server's event
loop: a first visit asks for about 60 of Streamlit's modules, and compressing them takes about 60 ms
of that loop, the Plotly module alone 110 ms, while the same loop has the page's websocket messages
to send (measured on this machine; ``benchmarks/bench_browser.py``). The files under ``/static/`` and
``/app/static/`` never change while the server runs (Streamlit names its modules by their hash), so
the compressed bytes are kept, bounded in size (``ui.prepared.Budgeted``); compressing a file the
first time runs in a worker thread, so the loop is never held. Every other answer goes on to the
GZip middleware as before.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from functools import partial
from typing import Any

import anyio.to_thread

from mandate_metrics.ui.prepared import Budgeted

STATIC_PREFIXES = ("/static/", "/app/static/")
COMPRESSIBLE = (
    b"application/javascript",
    b"text/",
    b"application/json",
    b"image/svg+xml",
    b"font/ttf",
    b"font/otf",
)
"""Content types worth compressing; woff2 fonts and images are compressed already."""
MINIMUM_BYTES = 1000
LEVEL = 6
BUDGET_BYTES = 32 << 20  # about four times what a visit to every page asks for (~8 MB compressed)
DROPPED = (b"content-length", b"content-encoding", b"accept-ranges", b"vary")

Message = dict[str, Any]


async def held_answer(
    app: Any, scope: Message, receive: Any, send: Any, wanted: Callable[[Message], bool]
) -> tuple[Message, bytes] | None:
    """Run ``app`` asking for plain bytes; hold an answer ``wanted`` accepts by its start, whole.

    The held answer's start and body are returned for the caller to send, changed; any other answer
    streams on to ``send`` as it comes, and None is returned. (Streamlit compresses some answers
    itself: asked for plain bytes, it leaves compression to the middleware in front.)
    """
    start: Message = {}
    body = bytearray()

    async def hold(message: Message) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
            start["passed"] = not wanted(message)
            if start["passed"]:
                await send(message)
        elif start.get("passed"):
            await send(message)
        else:
            body.extend(message.get("body", b""))

    plain = [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"accept-encoding"]
    await app({**scope, "headers": plain}, receive, hold)
    if not start or start.pop("passed"):
        return None
    return start, bytes(body)


def _accepts_gzip(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(k.lower() == b"accept-encoding" and b"gzip" in v.lower() for k, v in headers)


def _wants(scope: Message) -> bool:
    """A whole GET of a static file by a browser that takes gzip (a range request is left alone)."""
    if scope["type"] != "http" or scope.get("method") != "GET":
        return False
    if not str(scope.get("path", "")).startswith(STATIC_PREFIXES):
        return False
    headers = scope.get("headers", [])
    return _accepts_gzip(headers) and not any(k.lower() == b"range" for k, _ in headers)


def _compressible(start: Message) -> bool:
    kind = dict(start.get("headers", [])).get(b"content-type", b"")
    return start.get("status") == 200 and kind.startswith(COMPRESSIBLE)


class CompressedStatic:
    """ASGI middleware: static files leave compressed from memory after their first request."""

    def __init__(self, app: Any, files: Budgeted | None = None) -> None:
        self.app = app
        self.files = files if files is not None else Budgeted(BUDGET_BYTES)

    async def __call__(self, scope: Message, receive: Any, send: Any) -> None:
        """Answer a static file compressed (kept, or compressed now off the loop); pass the rest on."""
        if not _wants(scope):
            await self.app(scope, receive, send)
            return
        held = await held_answer(self.app, scope, receive, send, _compressible)
        if held is None:
            return
        start, body = held
        headers = list(start.get("headers", []))
        if len(body) < MINIMUM_BYTES:
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        given = {k.lower(): v for k, v in headers}
        validator = given.get(b"etag") or given.get(b"last-modified", b"") + str(len(body)).encode()
        compress = partial(gzip.compress, body, LEVEL)
        # in a worker thread: a kept file is a lookup, a new one is compressed off the event loop
        packed = await anyio.to_thread.run_sync(self.files.get, (str(scope["path"]), validator), compress)
        kept = [(k, v) for k, v in headers if k.lower() not in DROPPED]
        kept += [
            (b"content-encoding", b"gzip"),
            (b"vary", b"Accept-Encoding"),
            (b"content-length", str(len(packed)).encode()),
        ]
        await send({**start, "headers": kept})
        await send({"type": "http.response.body", "body": packed})
