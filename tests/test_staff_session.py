"""Signed in until signed out: the staff-session cookie, its ticket and its route (ui.staff_session)."""

from __future__ import annotations

import time

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from mandate_metrics.store import LocalStore
from mandate_metrics.ui import staff_session


@pytest.fixture
def store(tmp_path, monkeypatch) -> LocalStore:
    monkeypatch.setenv("MANDATE_METRICS_STORE", str(tmp_path / "store"))
    return LocalStore(tmp_path / "store")


def _client() -> TestClient:
    return TestClient(Starlette(routes=staff_session.ROUTES), follow_redirects=False)


def test_a_ticket_becomes_a_signed_httponly_strict_cookie_once(store):
    ticket = staff_session.issue_ticket(store, "ana")
    answer = _client().get(staff_session.PATH, params={"ticket": ticket, "next": "/data?lang=fr"})
    assert answer.status_code == 303 and answer.headers["location"] == "/data?lang=fr"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{staff_session.COOKIE}=") and "HttpOnly" in cookie
    assert "SameSite=strict" in cookie and "Path=/" in cookie
    token = staff_session.token_of(cookie.split(";")[0].split("=", 1)[1])
    assert token and staff_session.live(store, token) == "ana"
    again = _client().get(staff_session.PATH, params={"ticket": ticket, "next": "/data"})
    assert "set-cookie" not in again.headers  # one use


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "data", None])
def test_the_route_only_sends_the_browser_back_to_this_site(store, target):
    params = {"ticket": staff_session.issue_ticket(store, "ana")} | ({"next": target} if target else {})
    assert _client().get(staff_session.PATH, params=params).headers["location"] == "/data"


def test_a_forged_or_altered_cookie_names_no_session(store):
    token = staff_session._start(store, "ana")
    signed = staff_session._signed(token)
    assert staff_session.token_of(signed) == token
    assert staff_session.token_of(token + ".0000") is None
    assert staff_session.token_of("x" + signed) is None
    assert staff_session.token_of(None) is None


def test_a_sign_out_ends_the_session_everywhere_and_idle_sessions_end(store, monkeypatch):
    token = staff_session._start(store, "ana")
    staff_session.end(store, token)
    assert staff_session.live(store, token) is None
    idle = staff_session._start(store, "ben")
    later = time.time() + staff_session.IDLE_SECONDS + 1
    monkeypatch.setattr(staff_session.time, "time", lambda: later)
    assert staff_session.live(store, idle) is None


def test_a_late_ticket_gives_no_cookie(store, monkeypatch):
    ticket = staff_session.issue_ticket(store, "ana")
    later = time.time() + staff_session.TICKET_SECONDS + 1
    monkeypatch.setattr(staff_session.time, "time", lambda: later)
    assert "set-cookie" not in _client().get(staff_session.PATH, params={"ticket": ticket}).headers
