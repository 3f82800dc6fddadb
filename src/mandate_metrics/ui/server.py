"""The app's own middleware in front of Streamlit's routes: an upload gate, and compression.

``serve.py`` builds the ``st.App``; ``streamlit run serve.py`` serves it with uvicorn, as it serves
``app.py`` alone, plus the middleware below. Streamlit's upload endpoint accepts a file from any
open session; an anonymous visitor could park 100 MB uploads in the server's memory. The gate
refuses an upload (403) unless its session is signed in as staff, before reading a byte of it.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qs

from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from streamlit import config as st_config

from mandate_metrics.config import load_config
from mandate_metrics.glyphs import FONT_FILES
from mandate_metrics.i18n import LANGUAGES, direction, language
from mandate_metrics.ui import staff
from mandate_metrics.ui.assets import CompressedStatic, held_answer
from mandate_metrics.ui.language import HIDDEN_CSS, LANG_KEY, RTL_CSS
from mandate_metrics.ui.preload import preload_links
from mandate_metrics.ui.slides import PRESENT_CSS, PRESENT_KEY

UPLOAD = re.compile(r"/_stcore/upload_file/(?P<session>[^/]+)/[^/]+/?$")
PAGE_PATH = re.compile(r"[A-Za-z0-9_\-/]{0,100}")
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


# The first paint in the page's final geometry (cumulative layout shift, tests/test_browser.py).
# Streamlit draws its loading skeleton in the centred layout, then the wide page, then the sidebar
# a frame later: everything on screen would jump twice. The shell's <head> gets, before any script:
# the wide layout and the app's top padding, the sidebar's 300 px kept free until it is drawn (not
# where it is never drawn: a slide or an embedded chart), the language script's place kept out of
# the layout, and presentation mode's and right-to-left's own styles.
STEADY_CSS = (
    '[data-testid="stAppSkeleton"]{visibility:hidden}'
    '[data-testid="stMainBlockContainer"]{max-width:none!important}'
    "@media (min-width:768px){"
    '[data-testid="stMainBlockContainer"]{padding-left:5rem;padding-right:5rem}}'
    # a page's headline cards (key "headline"), while Streamlit still fetches the code that draws them
    '.st-key-headline:has([data-testid="stSkeleton"]){min-height:250px}'
    '@media (min-width:1600px){.st-key-headline:has([data-testid="stSkeleton"]){min-height:170px}}'
    # the Funding page's donor choice: its placeholder is 40 px until its code arrives, then 68 px
    # with its label, which moved the whole page down (0.05-0.12 of the layout shift in Arabic)
    '.st-key-donor:has([data-testid="stSkeleton"]){min-height:68px}'
    # six languages in two even rows of three in the 300 px sidebar (wrapped, they fell 3-2-1)
    ".st-key-lang_switch{width:100%!important}"
    '.st-key-lang_switch [role="radiogroup"]{display:grid;grid-template-columns:repeat(3,1fr);'
    "width:100%;max-width:none}"
    '.st-key-lang_switch [role="radiogroup"] button{width:100%;padding-left:.4rem;padding-right:.4rem}'
)
WITH_SIDEBAR_CSS = (
    '[data-testid="stMainBlockContainer"]{padding-top:2.2rem!important}'
    "@media (min-width:768px){"
    '[data-testid="stAppViewContainer"]:not(:has([data-testid="stSidebar"])){padding-inline-start:300px}}'
)
PRESENT_FIRST_CSS = (
    # a slide shows once every element on it is drawn, whole: on a projector nothing moves into place
    '[data-testid="stMainBlockContainer"]:has([data-testid="stSkeleton"]){visibility:hidden}'
)
WITHOUT_SIDEBAR_CSS = (
    '[data-testid="stSidebar"],[data-testid="stSidebarCollapsedControl"],'
    '[data-testid="stExpandSidebarButton"]{display:none!important}'
)


# Arabic pages fetch their font from the first byte of the shell, not once Streamlit's script
# declares it: text is laid out once, in the right face, instead of wrapping again when it arrives.
ARABIC_FONTS_PRELOAD = "".join(
    f'<link rel="preload" href="app/static/fonts/NotoSansArabic-{weight}.ttf" as="font" type="font/ttf" '
    'crossorigin="anonymous">'
    for weight in ("Regular", "Bold")
)
CHINESE_FONTS_PRELOAD = "".join(
    f'<link rel="preload" href="app/static/fonts/{name}" as="font" type="font/woff2" crossorigin="anonymous">'
    for name in FONT_FILES.values()
)


def server_base(path: str) -> str:
    """A script naming the server's address for Streamlit's first request, from a page's address.

    Streamlit's page code does not know which part of ``/funding`` is the page: it asks for
    ``/funding/_stcore/health`` first, is refused, waits, then asks ``/_stcore/health``, 80-120 ms
    later (``bench_browser``: every page but the Overview). The server knows the page's part of the
    address, so the script takes it off the end of the browser's own address (a proxy's prefix in
    front stays) and sets Streamlit's ``BACKEND_BASE_URL``; an address that does not end so is left
    to Streamlit's own search.
    """
    base = "/" + str(st_config.get_option("server.baseUrlPath") or "").strip("/")
    page = (path[len(base) :] if path.startswith(base) else path).strip("/")
    if not PAGE_PATH.fullmatch(page):  # the address is the visitor's: only a page's name goes in
        return ""
    tail = json.dumps("/" + page if page else "")
    return (
        '<script>(()=>{const p=location.pathname.replace(/\\/+$/,""),t=' + tail + ";"
        "if(p.endsWith(t))window.__streamlit={...window.__streamlit,"
        'BACKEND_BASE_URL:location.origin+p.slice(0,p.length-t.length)+"/"}})()</script>'
    )


def browser_language(lang: str) -> str:
    """A script that gives Streamlit's widgets the page's language before they load.

    Streamlit 1.67 has no interface language: its date picker (react-aria) names months and
    weekdays in ``navigator.language``, the browser's own. Set here, before Streamlit's code
    reads it, the calendar of a Russian page says «декабрь» in any browser. A switch within the
    tab takes effect from the next page load.
    """
    value = json.dumps(lang)
    return (
        f"<script>for (const [k, v] of [['language', {value}], ['languages', [{value}]]])"
        " Object.defineProperty(navigator, k, {get: () => v, configurable: true});</script>"
    )


def first_paint_css(path: str, query: str) -> bytes:
    """The <style> for Streamlit's page shell at this address (see ``STEADY_CSS``).

    Right to left (``?lang=ar``) comes with it: Arabic is laid out right to left from the first
    paint, not mirrored once the page's own script runs.
    """
    asked = parse_qs(query)
    presenting = asked.get(PRESENT_KEY, [""])[0] in ("1", "true")
    alone = path.rstrip("/").endswith("/embed") or asked.get("embed", [""])[0] == "true"
    css = STEADY_CSS + (WITHOUT_SIDEBAR_CSS if presenting or alone else WITH_SIDEBAR_CSS)
    css += PRESENT_FIRST_CSS if presenting else ""
    lang = _language(query)
    rtl = direction(lang) == "rtl"
    head = (
        server_base(path)
        + browser_language(lang)
        + f"<style>{css}</style>"
        + HIDDEN_CSS
        + (PRESENT_CSS if presenting else "")
        + (RTL_CSS + ARABIC_FONTS_PRELOAD if rtl else "")
        + (CHINESE_FONTS_PRELOAD if lang == "zh" else "")
        + preload_links()
    )
    return head.encode()


def _language(query: str) -> str:
    """The language the address asks for (``?lang=``), else the server's default."""
    asked = parse_qs(query).get(LANG_KEY, [""])[0]
    return asked if asked in LANGUAGES else language(load_config().locale)


def html_tag(query: str) -> bytes:
    """The shell's ``<html>`` tag with the page's language and direction (Streamlit writes "en")."""
    lang = _language(query)
    return f'<html lang="{lang}" dir="{direction(lang)}">'.encode()


class SteadyFirstPaint:
    """ASGI middleware: Streamlit's page shell gets ``first_paint_css`` in its ``<head>``.

    The shell is the same HTML for every page address; nothing else is touched.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """Add the style to an HTML answer of a GET; stream everything else through unchanged."""
        if scope["type"] != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        # asked of Streamlit in plain bytes: the GZip middleware in front compresses what goes out
        held = await held_answer(self.app, scope, receive, send, _plain_html)
        if held is None:
            return
        start, page = held
        if b"<head>" in page and b'id="root"' in page:  # Streamlit's shell, not /record or the API
            query = scope.get("query_string", b"").decode("latin-1")
            page = page.replace(b"<head>", b"<head>" + first_paint_css(scope.get("path", ""), query), 1)
            page = page.replace(b'<html lang="en">', html_tag(query), 1)
        # the body changed: its length, and no validator that names the unchanged file
        dropped = (b"content-length", b"etag", b"last-modified")
        kept = [(k, v) for k, v in start.get("headers", []) if k.lower() not in dropped]
        kept.append((b"content-length", str(len(page)).encode()))
        await send({**start, "headers": kept})
        await send({"type": "http.response.body", "body": page})


def _plain_html(start: dict[str, Any]) -> bool:
    """An answer that is a page, uncompressed (a 304, a script or the API streams through)."""
    given = dict(start.get("headers", []))
    return (
        start.get("status") == 200
        and given.get(b"content-type", b"").startswith(b"text/html")
        and b"content-encoding" not in given
    )


MIDDLEWARE = [
    Middleware(StaffUploadsOnly),
    Middleware(CompressedStatic),
    Middleware(GZipMiddleware, minimum_size=1000, compresslevel=6),
    Middleware(SteadyFirstPaint),
]
"""What ``serve.py`` puts in front of Streamlit's routes: the upload gate, and compression.

Static files are compressed once and kept (``ui.assets``); the rest as it goes out.

Streamlit compresses its own responses but not its static assets (8 MB of JavaScript and fonts for
a first visit, 5 MB of it compressible): over a mission office's link that is most of the wait.
Behind the balancer, HAProxy compresses instead (``compression offload`` in deploy/haproxy.cfg
takes the request's Accept-Encoding away, so a replica sends plain bytes and spends no CPU on it).
"""
