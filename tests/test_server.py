"""The app's own middleware in front of Streamlit's routes (serve.py): uploads only from staff."""

from __future__ import annotations

import gzip

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient

from mandate_metrics.ui import assets, preload, server, staff
from mandate_metrics.ui.prepared import Budgeted


def _gated(reached: list[bytes]) -> TestClient:
    async def upload(request: Request) -> Response:
        reached.append(await request.body())
        return Response(status_code=204)

    app = Starlette(routes=[Route("/_stcore/upload_file/{session}/{file}", upload, methods=["PUT"])])
    return TestClient(server.StaffUploadsOnly(app))


def test_an_upload_from_a_session_that_is_not_staff_is_refused_unread():
    reached: list[bytes] = []
    answer = _gated(reached).put("/_stcore/upload_file/anonymous-session/f1", content=b"x" * 1_000_000)
    assert answer.status_code == 403 and "signed-in staff" in answer.text
    assert reached == []  # Streamlit's handler never ran: not a byte was kept


def test_an_upload_from_a_signed_in_staff_session_goes_through(monkeypatch):
    monkeypatch.setattr(staff, "is_staff_session", lambda session: session == "staff-session")
    reached: list[bytes] = []
    client = _gated(reached)
    assert client.put("/_stcore/upload_file/staff-session/f1", content=b"data").status_code == 204
    assert client.put("/_stcore/upload_file/other-session/f1", content=b"data").status_code == 403
    assert reached == [b"data"]


@pytest.mark.parametrize("method", ["GET", "DELETE", "OPTIONS"])
def test_other_requests_pass_untouched(method):
    app = Starlette(routes=[Route("/{path:path}", lambda r: Response("ok"), methods=[method])])
    answer = TestClient(server.StaffUploadsOnly(app)).request(method, "/_stcore/upload_file/s/f")
    assert answer.status_code == 200


def test_a_staff_session_stops_counting_once_idle(monkeypatch):
    monkeypatch.setitem(staff._STAFF_SESSIONS, "s1", 0.0)  # last seen at the epoch: long idle
    assert not staff.is_staff_session("s1") and "s1" not in staff._STAFF_SESSIONS


def test_serve_py_is_the_st_app_streamlit_finds():
    from streamlit.web.server.app_discovery import discover_asgi_app

    from mandate_metrics.paths import PROJECT_DIR

    assert discover_asgi_app(PROJECT_DIR / "serve.py").is_asgi_app


SHELL = (
    b'<!DOCTYPE html><html lang="en"><head><title>Streamlit</title></head>'
    b'<body><div id="root"></div></body></html>'
)


def _shell_app() -> TestClient:
    async def shell(request: Request) -> Response:
        zipped = "gzip" in request.headers.get("accept-encoding", "")  # as Streamlit would
        headers = {"ETag": '"abc"'} | ({"Content-Encoding": "gzip"} if zipped else {})
        return Response(b"zipped" if zipped else SHELL, media_type="text/html", headers=headers)

    async def data(request: Request) -> Response:
        return Response(b'{"a": 1}', media_type="application/json", headers={"ETag": '"v1"'})

    async def unchanged(request: Request) -> Response:
        return Response(status_code=304, headers={"ETag": '"abc"'})

    routes = [Route("/api", data), Route("/old", unchanged), Route("/{path:path}", shell)]
    return TestClient(server.SteadyFirstPaint(Starlette(routes=routes)))


def test_the_page_shell_is_laid_out_as_the_page_before_any_script_runs():
    client = _shell_app()
    page = client.get("/funding?lang=ar", headers={"Accept-Encoding": "gzip"})  # asked plain of Streamlit
    assert page.content.startswith(b'<!DOCTYPE html><html lang="ar" dir="rtl"><head><script>')
    assert b"['language', \"ar\"]" in page.content  # Streamlit's date picker reads it: an Arabic calendar
    assert b"padding-inline-start:300px" in page.content and b'html[dir="rtl"]' in page.content
    assert page.content.count(b'rel="preload"') == 2  # the Arabic font, fetched from the first byte
    assert b'rel="preload"' not in client.get("/funding?lang=fr").content
    assert "etag" not in page.headers and int(page.headers["content-length"]) == len(page.content)
    slide = client.get("/briefing?present=1").content
    assert b'<html lang="en" dir="ltr">' in slide and b"padding-inline-start" not in slide  # no sidebar
    assert b"stSkeleton" in slide  # a slide shows when it is whole
    assert b"padding-inline-start" not in client.get("/embed?chart=cumulative&embed=true").content
    assert b'lang="fr"' in client.get("/?lang=fr").content


def test_everything_but_the_page_shell_passes_unchanged():
    client = _shell_app()
    api = client.get("/api")
    assert api.content == b'{"a": 1}' and api.headers["etag"] == '"v1"'
    assert client.get("/old").status_code == 304


def test_the_shell_asks_for_the_metric_cards_code_with_the_page():
    """A first visit fetches the headline cards' modules at once, not behind the 1.4 MB chart module."""
    modules = preload.element_modules(preload._bundle(), "Metric")
    assert modules and modules[0].startswith("Metric.")  # read from the installed Streamlit's bundle
    assert all((preload.STATIC_JS / name).is_file() for name in modules)
    assert not any(name.startswith("PlotlyChart.") for name in modules)
    page = _shell_app().get("/requests?lang=en").content
    assert f'rel="modulepreload" crossorigin href="./static/js/{modules[0]}"'.encode() in page
    assert (
        preload.element_modules("no bundle here", "Metric") == []
    )  # another Streamlit: no preload, no error


def test_a_page_tells_streamlit_where_its_server_is():
    """Every page but the Overview lost 80-120 ms to a refused /funding/_stcore/health first."""
    client = _shell_app()
    page = client.get("/funding?lang=ar").content
    assert b't="/funding";' in page and b"BACKEND_BASE_URL:location.origin+" in page
    assert b't="";' in client.get("/").content  # the Overview: the address is the server's own
    assert b"BACKEND_BASE_URL" not in client.get('/x"</script><script>alert(1)//').content  # a visitor's text


def _static_app(calls: list[str]) -> TestClient:
    script = b"function draw(){return 1}\n" * 2000

    async def static(request: Request) -> Response:
        calls.append(request.headers.get("accept-encoding", ""))
        name = request.path_params["name"]
        kind = "font/woff2" if name.endswith(".woff2") else "application/javascript"
        headers = {"ETag": '"v1"', "Cache-Control": "public, immutable, max-age=31536000"}
        return Response(script, media_type=kind, headers=headers)

    csv = Route("/api", lambda r: Response(script, media_type="text/csv"))
    app = Starlette(routes=[Route("/static/js/{name}", static), csv])
    return TestClient(assets.CompressedStatic(app, Budgeted(100_000)))


def test_a_static_file_is_compressed_once_and_then_sent_from_memory(monkeypatch):
    calls: list[str] = []
    client = _static_app(calls)
    packed: list[int] = []
    compress = gzip.compress
    counted = lambda data, level: packed.append(1) or compress(data, level)  # noqa: E731
    monkeypatch.setattr(assets.gzip, "compress", counted)
    first = client.get("/static/js/index.abc.js", headers={"Accept-Encoding": "gzip, br"})
    again = client.get("/static/js/index.abc.js", headers={"Accept-Encoding": "gzip"})
    assert first.headers["content-encoding"] == again.headers["content-encoding"] == "gzip"
    assert first.content == again.content == b"function draw(){return 1}\n" * 2000  # httpx unzips
    assert packed == [1]  # compressed once
    assert calls == ["", ""]  # Streamlit's handler was asked for plain bytes
    assert again.headers["cache-control"].startswith("public, immutable") and again.headers["etag"] == '"v1"'
    assert int(again.headers["content-length"]) < 2000  # the compressed length, not the file's


def test_what_is_not_a_whole_compressible_static_file_passes_as_it_was():
    calls: list[str] = []
    client = _static_app(calls)
    font = client.get("/static/js/font.woff2", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in font.headers  # compressed already
    part = client.get("/static/js/index.abc.js", headers={"Accept-Encoding": "gzip", "Range": "bytes=0-9"})
    assert "content-encoding" not in part.headers and calls[-1] == "gzip"  # a range: Streamlit's own answer
    plain = client.get("/static/js/index.abc.js", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    api = client.get("/api", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in api.headers  # not a static file: the GZip middleware's, after


def test_the_kept_compressed_files_stay_within_their_budget():
    files = assets.CompressedStatic(None).files  # the shared size-bounded map (ui.prepared.Budgeted)
    files.budget_bytes = 1000
    built: list[str] = []

    def kept(name: str, size: int = 300) -> bool:
        """Whether ``name`` was held (not built again), after asking for it."""
        before = len(built)
        files.get(("/static/js/" + name, b'"v"'), lambda: built.append(name) or b"x" * size)
        return len(built) == before

    for n in range(10):
        kept(f"{n}.js")
    assert files.held_bytes <= 1000 and kept("9.js")
    assert not kept("0.js")  # the least recently used went first
    kept("huge.js", 5000)
    assert not kept("huge.js", 5000) and files.held_bytes <= 1000


def test_static_files_meet_the_kept_compression_before_the_streaming_one():
    from starlette.middleware.gzip import GZipMiddleware

    order = [middleware.cls for middleware in server.MIDDLEWARE]
    assert order.index(assets.CompressedStatic) < order.index(GZipMiddleware)
