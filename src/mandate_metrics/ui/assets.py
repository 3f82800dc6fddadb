"""Streamlit's static files, compressed once per server instead of once per request.

Starlette's ``GZipMiddleware`` compresses each response as it streams out, on the server's event
loop: a first visit asks for about 60 of Streamlit's modules, and compressing them takes about 60 ms
of that loop, the Plotly module alone 110 ms, while the same loop has the page's websocket messages
to send (measured on this machine; ``benchmarks/bench_browser.py``). The files under ``/static/`` and
``/app/static/`` never change while the server runs (Streamlit names its modules by their hash), so
the compressed bytes are kept, bounded in size; compressing a file the first time runs in a worker
thread, so the loop is never held. Every other answer goes on to the GZip middleware as before.
"""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict
from typing import Any

import anyio.to_thread

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


class CompressedFiles:
    """Compressed bodies by (path, validator), least recently used first out past ``budget`` bytes."""

    def __init__(self, budget: int = BUDGET_BYTES) -> None:
        self.budget = budget
        self.held = 0
        self._bodies: OrderedDict[tuple[str, bytes], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, bytes]) -> bytes | None:
        """The compressed body kept for ``key``, or None."""
        with self._lock:
            body = self._bodies.get(key)
            if body is not None:
                self._bodies.move_to_end(key)
            return body

    def put(self, key: tuple[str, bytes], body: bytes) -> None:
        """Keep ``body`` for ``key``; a body larger than the whole budget is not kept."""
        if len(body) > self.budget:
            return
        with self._lock:
            if key in self._bodies:
                return
            self._bodies[key] = body
            self.held += len(body)
            while self.held > self.budget:
                _, dropped = self._bodies.popitem(last=False)
                self.held -= len(dropped)


def _accepts_gzip(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(k.lower() == b"accept-encoding" and b"gzip" in v.lower() for k, v in headers)


def _wants(scope: dict[str, Any]) -> bool:
    """A whole GET of a static file by a browser that takes gzip (a range request is left alone)."""
    if scope["type"] != "http" or scope.get("method") != "GET":
        return False
    if not str(scope.get("path", "")).startswith(STATIC_PREFIXES):
        return False
    headers = scope.get("headers", [])
    return _accepts_gzip(headers) and not any(k.lower() == b"range" for k, _ in headers)


class CompressedStatic:
    """ASGI middleware: static files leave compressed from memory after their first request."""

    def __init__(self, app: Any, files: CompressedFiles | None = None) -> None:
        self.app = app
        self.files = files if files is not None else CompressedFiles()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """Answer a static file compressed (kept, or compressed now off the loop); pass the rest on."""
        if not _wants(scope):
            await self.app(scope, receive, send)
            return
        start: dict[str, Any] = {}
        body = bytearray()

        async def hold(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            else:
                body.extend(message.get("body", b""))

        plain = [(k, v) for k, v in scope["headers"] if k.lower() != b"accept-encoding"]
        await self.app({**scope, "headers": plain}, receive, hold)
        headers = list(start.get("headers", []))
        given = {k.lower(): v for k, v in headers}
        kind = given.get(b"content-type", b"")
        if start.get("status") != 200 or len(body) < MINIMUM_BYTES or not kind.startswith(COMPRESSIBLE):
            await send(start)
            await send({"type": "http.response.body", "body": bytes(body)})
            return
        validator = given.get(b"etag") or given.get(b"last-modified", b"") + str(len(body)).encode()
        key = (str(scope["path"]), validator)
        packed = self.files.get(key)
        if packed is None:
            packed = await anyio.to_thread.run_sync(gzip.compress, bytes(body), LEVEL)
            self.files.put(key, packed)
        kept = [(k, v) for k, v in headers if k.lower() not in DROPPED]
        kept += [
            (b"content-encoding", b"gzip"),
            (b"vary", b"Accept-Encoding"),
            (b"content-length", str(len(packed)).encode()),
        ]
        await send({**start, "headers": kept})
        await send({"type": "http.response.body", "body": packed})
