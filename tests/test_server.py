"""The app's own middleware in front of Streamlit's routes (serve.py): uploads only from staff."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient

from mandate_metrics.ui import server, staff


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
