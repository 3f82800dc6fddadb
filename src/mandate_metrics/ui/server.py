"""The app's own middleware in front of Streamlit's routes: an upload gate, and compression.

``serve.py`` builds the ``st.App``; ``streamlit run serve.py`` serves it with uvicorn, as it serves
``app.py`` alone, plus the middleware below. Streamlit's upload endpoint accepts a file from any
open session; an anonymous visitor could park 100 MB uploads in the server's memory. The gate
refuses an upload (403) unless its session is signed in as staff, before reading a byte of it.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware

from mandate_metrics.ui import staff

UPLOAD = re.compile(r"/_stcore/upload_file/(?P<session>[^/]+)/[^/]+/?$")
REFUSED = b"Uploads are for signed-in staff: sign in on the Data page first."


class StaffUploadsOnly:
    """ASGI middleware: a PUT to the upload endpoint must come from a signed-in staff session."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """Answer 403 at once for an upload from a session that is not staff; pass the rest on."""
        if scope["type"] == "http" and scope.get("method") == "PUT":
            found = UPLOAD.search(scope.get("path", ""))
            if found and not staff.is_staff_session(found["session"]):
                headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close")]
                await send({"type": "http.response.start", "status": 403, "headers": headers})
                await send({"type": "http.response.body", "body": REFUSED})
                return
        await self.app(scope, receive, send)


MIDDLEWARE = [Middleware(StaffUploadsOnly), Middleware(GZipMiddleware, minimum_size=1000, compresslevel=6)]
"""What ``serve.py`` puts in front of Streamlit's routes: the upload gate, and compression.

Streamlit compresses its own responses but not its static assets (8 MB of JavaScript and fonts for
a first visit, 5 MB of it compressible): over a mission office's link that is most of the wait.
Behind the balancer, HAProxy compresses instead (``compression offload`` in deploy/haproxy.cfg
takes the request's Accept-Encoding away, so a replica sends plain bytes and spends no CPU on it).
"""
