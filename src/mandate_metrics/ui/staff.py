"""Staff sign-in for the Data page: local accounts by default, OIDC via ``st.login`` when configured.

The role lives in the session only after a successful sign-in, and every staff action asks for it
again at the moment it runs (``current_role``), so nothing is allowed by default.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from mandate_metrics import auth
from mandate_metrics.config import load_config
from mandate_metrics.figures.disclosure import Role
from mandate_metrics.i18n import t
from mandate_metrics.store import VersionedStore
from mandate_metrics.ui import cached, staff_session
from mandate_metrics.ui.shell import ROLE_KEY

USER_KEY = "user"
SEEN_KEY = "staff_seen"  # when the signed-in staff member last did anything
IDLE_SECONDS = 30 * 60  # a staff session left idle this long signs itself out

_STAFF_SESSIONS: dict[str, float] = {}  # this process's signed-in sessions: id -> last activity
_SESSIONS_LOCK = threading.Lock()


def _session_id() -> str | None:
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None


def _mark_session(staff: bool) -> None:
    """Keep the upload gate (``ui.server``) in step with this session's role."""
    session = _session_id()
    if session is None:
        return
    with _SESSIONS_LOCK:
        if staff:
            _STAFF_SESSIONS[session] = time.time()
        else:
            _STAFF_SESSIONS.pop(session, None)


def is_staff_session(session_id: str) -> bool:
    """Whether ``session_id`` is signed in as staff and active: only such a session may upload.

    Read by the upload gate before any byte of an upload is read; sessions live in one process
    (the balancer keeps a viewer on one replica), so this process's record is the whole truth.
    """
    with _SESSIONS_LOCK:
        seen = _STAFF_SESSIONS.get(session_id)
        if seen is not None and time.time() - seen > IDLE_SECONDS:
            del _STAFF_SESSIONS[session_id]
            return False
        return seen is not None


def throttle(store: VersionedStore) -> auth.Throttle:
    """The sign-in throttle, in the store: one count for every session, process and replica.

    Streamlit's caches can be cleared by any client; the store cannot.
    """
    return auth.Throttle.in_store(store)


def _client() -> str | None:
    """The real client's address: attempts count per client as well as per name.

    Behind the balancer the peer is the balancer, so the address comes from X-Forwarded-For when
    (and only when) the peer is a trusted proxy (``auth.client_address``). Streamlit reports a
    loopback peer as None: it is then read as 127.0.0.1.
    """
    try:
        address, headers = st.context.ip_address, st.context.headers.get_all("X-Forwarded-For")
    except (AttributeError, RuntimeError):
        return None
    peer = address if isinstance(address, str) and address else "127.0.0.1"  # None: a loopback peer
    forwarded = ",".join(h for h in headers if isinstance(h, str)) if isinstance(headers, list) else ""
    return auth.client_address(peer, forwarded or None, load_config().trusted_proxies)


def _secrets() -> dict[str, Any]:
    try:
        return dict(st.secrets)
    except (FileNotFoundError, KeyError, AttributeError):
        return {}


TOKEN_KEY = "staff_token"  # the browser's staff session (ui.staff_session), if this tab has one
CHECKED_KEY = "staff_token_checked"  # when the store last said that session lives
TICKET_KEY = "staff_ticket"  # a fresh sign-in's ticket, taken to /auth/session by the next page draw
RECHECK_SECONDS = 2.0


def _from_browser() -> Role:
    """Staff again after a reload or in a new tab, while the browser's staff session lives."""
    token = staff_session.cookie_token()
    name = staff_session.live(cached.store(), token) if token else None
    if name is None:
        return "public"
    _become_staff(name)
    st.session_state[TOKEN_KEY], st.session_state[CHECKED_KEY] = token, time.time()
    return "staff"


def _ended_elsewhere() -> bool:
    """Whether this tab's browser session was ended (a sign-out in another tab, or idle too long)."""
    token = st.session_state.get(TOKEN_KEY)
    now = time.time()
    if not token or now - float(st.session_state.get(CHECKED_KEY, 0)) < RECHECK_SECONDS:
        return False
    st.session_state[CHECKED_KEY] = now
    return staff_session.live(cached.store(), str(token)) is None


def _forget() -> None:
    for key in (ROLE_KEY, USER_KEY, TOKEN_KEY, CHECKED_KEY):
        st.session_state.pop(key, None)
    _mark_session(staff=False)


def current_role() -> Role:
    """The viewer's role, read now: staff only after a sign-in, and not idle too long.

    The sign-in is this tab's, or the browser's staff session (a reload, another tab) while it
    lives: a sign-out in any tab ends it here at the next action.
    """
    if st.session_state.get(ROLE_KEY) != "staff":
        return _from_browser()
    if _ended_elsewhere():
        _forget()
        return "public"
    now = time.time()
    if now - float(st.session_state.get(SEEN_KEY, now)) > IDLE_SECONDS:
        staff_session.end(cached.store(), st.session_state.get(TOKEN_KEY))
        _forget()
        return "public"
    st.session_state[SEEN_KEY] = now
    _mark_session(staff=True)
    return "staff"


def current_user() -> str:
    """Who is signed in (recorded with every publish and rollback)."""
    return str(st.session_state.get(USER_KEY, ""))


def _become_staff(name: str) -> None:
    st.session_state[ROLE_KEY] = "staff"
    st.session_state[USER_KEY] = name
    st.session_state[SEEN_KEY] = time.time()
    _mark_session(staff=True)


def sign_out(store: VersionedStore) -> bool:
    """End the staff session, and the identity provider's where one is used.

    ``st.logout`` deletes the identity cookie and, where the provider publishes an
    ``end_session_endpoint``, ends the provider's session too; without it the cookie would sign the
    same person straight back in on the next run.

    Returns True when the browser is being sent to the provider: the caller must then stop, not
    rerun. A rerun clears the messages not yet sent to the browser, the redirect among them, so
    under load the sign-out at the provider was sometimes lost.
    """
    who = current_user()
    store.audit("sign_out", by=who)
    # every tab of this browser: the staff session its cookie names ends now
    staff_session.end(store, st.session_state.get(TOKEN_KEY) or staff_session.cookie_token())
    _forget()
    if "auth" in _secrets() and st.user.is_logged_in:
        # Remembered in the store, for every replica: an identity cookie issued before this moment
        # signs nobody in again, even if a reload wins the race with the cookie's deletion.
        store.update_json(SIGNED_OUT, lambda state: state.__setitem__(who.lower(), time.time()))
        st.logout()
        return True
    return False


SIGNED_OUT = "signed_out.json"  # e-mail -> when its owner last signed out (a document in the store)


def signed_out_since(store: VersionedStore, email: str, issued_at: object) -> bool:
    """Whether ``email`` signed out after this identity token was issued (``iat``, seconds).

    A token without an issue time counts as issued before any sign-out: refused once its owner
    has signed out, until the provider issues a new one.
    """
    state = store.update_json(SIGNED_OUT, lambda state: dict(state))
    out = state.get(email.lower())
    if out is None:
        return False
    try:
        return float(issued_at) <= float(out)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def _oidc(store: VersionedStore, secrets: dict[str, Any]) -> None:
    user = st.user
    if not user.is_logged_in:
        st.button(t("staff.sso", "en"), on_click=st.login, icon=":material/login:", key="sso_login")
        return
    email = str(user.get("email", ""))
    verified = user.get("email_verified")
    if auth.allowed(email, list(secrets.get("staff_emails", [])), verified):
        if current_role() != "staff":
            if signed_out_since(store, email, user.get("iat")):  # a cookie from before the sign-out
                st.logout()  # (a reload won the race with its deletion): delete it again
                return
            store.audit("sign_in", by=email, method="oidc")
            _become_staff(email)
            st.rerun()  # draw the staff page now, not after the next click
    else:
        store.audit("sign_in_failed", by=email, method="oidc")
        st.error(t("staff.not_staff", "en"))
        st.button(t("staff.sign_out", "en"), on_click=st.logout, key="sso_logout")


def sign_in_form(store: VersionedStore, locale: str) -> None:
    """The sign-in: an identity provider's button where configured, the local form otherwise."""
    secrets = _secrets()
    if "auth" in secrets:
        _oidc(store, secrets)
        return
    with st.form("sign_in", border=True):
        name = st.text_input(t("staff.name", locale), key="sign_in_name", autocomplete="username")
        password = st.text_input(
            t("staff.password", locale),
            type="password",
            key="sign_in_password",
            autocomplete="current-password",
        )
        submitted = st.form_submit_button(t("staff.sign_in", locale), type="primary")
    if not submitted:
        st.caption(t("staff.sign_in_help", locale))
        return
    staff_file = load_config().staff_file
    accounts = auth.load_accounts(staff_file)
    result = auth.sign_in(accounts, throttle(store), name, password, client=_client())
    store.audit("sign_in" if result.ok else "sign_in_failed", by=name.strip().lower())
    if result.ok:
        if auth.needs_rehash(accounts[result.name]):
            auth.rehash(staff_file, result.name, password)  # older, weaker parameters: today's now
        _become_staff(result.name)
        st.session_state[TICKET_KEY] = staff_session.issue_ticket(store, result.name)
        st.rerun()
    st.error(result.message, icon=":material/lock:")


def remember_in_browser() -> None:
    """Right after a password sign-in: send the browser once through ``/auth/session`` for its cookie.

    The page reloads signed in (a new session, from the cookie); from then on a reload keeps the
    staff member signed in until the idle expiry or a sign-out.
    """
    ticket = st.session_state.pop(TICKET_KEY, None)
    if not ticket:
        return
    target = json.dumps(staff_session.PATH + "?ticket=" + str(ticket) + "&next=")
    st.html(
        "<script>(() => { const w = window.parent; const here = w.location.pathname + w.location.search;"
        f" w.location.replace({target} + encodeURIComponent(here)); }})();</script>",
        unsafe_allow_javascript=True,
    )
