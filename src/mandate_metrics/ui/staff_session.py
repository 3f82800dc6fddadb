"""Signed in until signed out: a staff sign-in outlives a reload, and a sign-out ends it in every tab.

Streamlit keeps a session's state in the server's memory for one websocket: a reload (F5) opens a
new session, signed out. A script run cannot set an HTTP cookie, so a route of the app does it:
after a password sign-in the page sends the browser once through ``/auth/session`` with a one-time
ticket, and the route answers with a signed, HttpOnly, SameSite=Strict cookie naming a staff
session kept in the store (any replica can check it). Each run reads the cookie Streamlit saw when
the tab connected and asks the store whether that session still lives: a sign-out deletes it, so
every other tab is signed out at its next action; a session idle for ``IDLE_SECONDS`` ends too.
The sign-in throttle and the audit log are those of the password sign-in, unchanged.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from typing import Any
from urllib.parse import urlsplit

import streamlit as st
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from mandate_metrics.config import load_config
from mandate_metrics.store import VersionedStore, open_store

COOKIE = "mm_staff"
SESSIONS = "staff_sessions.json"  # token -> {"name", "seen"}: the live staff sessions (in the store)
TICKETS = "staff_tickets.json"  # ticket -> {"name", "at"}: one use each, within TICKET_SECONDS
TICKET_SECONDS = 120
IDLE_SECONDS = 30 * 60
TOUCH_SECONDS = 60  # a live session's last activity is written at most once a minute
PATH = "/auth/session"


def _secret() -> bytes:
    """The key cookies are signed with: Streamlit's own cookie secret (the same on every replica)."""
    return str(st.get_option("server.cookieSecret")).encode()


def _signed(token: str) -> str:
    return token + "." + hmac.new(_secret(), token.encode(), hashlib.sha256).hexdigest()


def token_of(cookie: str | None) -> str | None:
    """The session token a cookie carries, if its signature is ours; else None."""
    if not cookie or "." not in cookie:
        return None
    token = cookie.rsplit(".", 1)[0]
    return token if hmac.compare_digest(_signed(token), cookie) else None


def issue_ticket(store: VersionedStore, name: str) -> str:
    """A one-time ticket the browser takes to ``/auth/session`` right after a password sign-in."""
    ticket = secrets.token_urlsafe(32)
    now = time.time()

    def add(state: dict[str, Any]) -> None:
        for old in [k for k, v in state.items() if now - float(v.get("at", 0)) > TICKET_SECONDS]:
            del state[old]
        state[ticket] = {"name": name, "at": now}

    store.update_json(TICKETS, add)
    return ticket


def _redeem(store: VersionedStore, ticket: str) -> str | None:
    """The name a live ticket was issued for (the ticket is used up), or None."""
    now = time.time()

    def take(state: dict[str, Any]) -> str | None:
        found = state.pop(ticket, None)
        if not found or now - float(found.get("at", 0)) > TICKET_SECONDS:
            return None
        return str(found["name"])

    return store.update_json(TICKETS, take)


def _start(store: VersionedStore, name: str) -> str:
    token = secrets.token_urlsafe(32)
    now = time.time()

    def add(state: dict[str, Any]) -> None:
        for old in [k for k, v in state.items() if now - float(v.get("seen", 0)) > IDLE_SECONDS]:
            del state[old]
        state[token] = {"name": name, "seen": now}

    store.update_json(SESSIONS, add)
    return token


def live(store: VersionedStore, token: str) -> str | None:
    """Who a staff session belongs to while it lives (its activity noted); None once it ended."""
    now = time.time()

    def check(state: dict[str, Any]) -> str | None:
        found = state.get(token)
        if not found:
            return None
        if now - float(found.get("seen", 0)) > IDLE_SECONDS:
            del state[token]
            return None
        if now - float(found["seen"]) > TOUCH_SECONDS:
            found["seen"] = now
        return str(found["name"])

    return store.update_json(SESSIONS, check)


def end(store: VersionedStore, token: str | None) -> None:
    """End a staff session in every tab that holds its cookie."""
    if token:
        store.update_json(SESSIONS, lambda state: state.pop(token, None))


COOKIE_READ_KEY = "staff_cookie_token"


def cookie_token() -> str | None:
    """The staff session token of this tab's cookie (as Streamlit saw it when the tab connected).

    The cookies are the connection's: they cannot change before a reload, which starts a new
    session, so they are read once per session rather than on every rerun.
    """
    if COOKIE_READ_KEY not in st.session_state:
        try:
            st.session_state[COOKIE_READ_KEY] = token_of(st.context.cookies.get(COOKIE)) or ""
        except (AttributeError, RuntimeError):
            return None
    return str(st.session_state[COOKIE_READ_KEY]) or None


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never //elsewhere or a full address): where to go after the cookie."""
    if not target or not target.startswith("/") or target.startswith("//") or urlsplit(target).netloc:
        return "/data"
    return target


def session_route(request: Request) -> Response:
    """``GET /auth/session?ticket=…&next=/data``: the ticket for a signed staff-session cookie."""
    store = open_store(load_config().store)
    name = _redeem(store, request.query_params.get("ticket", ""))
    answer = RedirectResponse(_safe_next(request.query_params.get("next")), status_code=303)
    answer.headers["Cache-Control"] = "no-store"
    if name is None:  # a used, late or made-up ticket: the page asks for a password as before
        return answer
    forwarded = request.headers.get("x-forwarded-proto", "")
    answer.set_cookie(
        COOKIE,
        _signed(_start(store, name)),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https" or forwarded == "https",
        path="/",
    )
    return answer


ROUTES = [Route(PATH, session_route)]
"""What ``serve.py`` mounts beside the pages for staff sessions."""
