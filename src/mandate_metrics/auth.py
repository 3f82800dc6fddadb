"""Staff sign-in: local accounts with salted, slow password hashes, throttled per account. Default deny.

Accounts live outside git, in the file named by ``MANDATE_METRICS_STAFF_FILE`` (one encoded hash
per name; ``mandate-metrics add-staff NAME`` writes it). Messages never say whether an account
exists: an unknown name costs the same hash and gets the same answer, and is throttled the same
way. Where an identity provider is configured, Streamlit's ``st.login`` signs people in and
``allowed`` decides whether their e-mail address is staff.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network
from pathlib import Path
from typing import Any

from mandate_metrics.store import VersionedStore, update_json_file

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1  # OWASP's minimum for scrypt: 128 MiB per hash
SCRYPT_MAXMEM = 256 * 1024 * 1024
HASHING = threading.BoundedSemaphore(2)  # at most two 128 MiB hashes at once, whatever the load
MAX_NAME, MAX_PASSWORD = 64, 1024  # longer input is cut before it costs anything
FORGET_AFTER = 24 * 3600.0  # seconds without an attempt before a count is forgotten
THROTTLE_KEYS = 10_000
MIN_PASSWORD = 12
NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
FREE_ATTEMPTS = 5  # failures allowed before each further attempt must wait
BASE_DELAY, MAX_DELAY = 30.0, 15 * 60.0  # seconds: doubling from 30 s up to 15 minutes
WRONG = "Wrong name or password."


class AccountError(ValueError):
    """An account cannot be created as asked; the message says why."""


def hash_password(password: str, salt: bytes | None = None) -> str:
    """``scrypt$n$r$p$salt$hash``: everything needed to check the password later, nothing to recover it."""
    salt = salt or secrets.token_bytes(16)
    with HASHING:
        digest = hashlib.scrypt(
            password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, maxmem=SCRYPT_MAXMEM, dklen=32
        )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, encoded: str) -> bool:
    """Check a password against its encoded hash in constant time."""
    try:
        scheme, n, r, p, salt, digest = encoded.split("$")
        if scheme != "scrypt":
            return False
        with HASHING:
            found = hashlib.scrypt(
                password.encode(),
                salt=bytes.fromhex(salt),
                n=int(n),
                r=int(r),
                p=int(p),
                maxmem=SCRYPT_MAXMEM,
                dklen=32,
            )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(found.hex(), digest)


@functools.cache
def _dummy() -> str:
    """A hash to check unknown names against, so they cost the same as known ones.

    Made on the first sign-in, not on import: a scrypt hash takes about 0.3 s, which every page's
    first load and every command would otherwise pay.
    """
    return hash_password("not a real password", salt=b"\0" * 16)


def load_accounts(path: Path) -> dict[str, str]:
    """Name -> encoded hash; no file means no accounts (and so nobody can sign in)."""
    if not path.exists():
        return {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in raw.get("accounts", {}).items()}


def add_account(path: Path, name: str, password: str) -> None:
    """Create or replace an account, writing the file atomically and readable by its owner only."""
    if not NAME.match(name):
        raise AccountError("names are 2-40 characters: lower-case letters, digits, dot, dash or underscore")
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise AccountError(f"passwords need at least {MIN_PASSWORD} characters (and at most {MAX_PASSWORD})")
    _save(path, {**load_accounts(path), name: hash_password(password)})


def rehash(path: Path, name: str, password: str) -> None:
    """After a successful sign-in with an older, weaker hash: store it again at today's parameters."""
    _save(path, {**load_accounts(path), name: hash_password(password)})


def _save(path: Path, accounts: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # A new file of a random name, created exclusively and readable by its owner only: a leftover
    # or a planted link in the folder can neither receive the hashes nor widen their permissions.
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump({"accounts": accounts}, handle, indent=2)
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)


class Throttle:
    """Failed attempts per account and per client, in a small document of the store, counted atomically.

    It lives outside Streamlit's caches (which any client can clear) and outside the process (so a
    restart or another replica counts the same attempts). ``reserve`` checks and counts an attempt
    in one atomic change, before any password is checked: thirty attempts at once cannot all pass
    the check before the first failure is recorded. A success clears the count.
    """

    def __init__(self, update: Callable[[Callable[[dict[str, Any]], Any]], Any]) -> None:
        self._update = update

    @classmethod
    def in_file(cls, path: Path) -> Throttle:
        """The throttle in one JSON file, under a file lock."""
        return cls(lambda change: update_json_file(Path(path), change))

    @classmethod
    def in_store(cls, store: VersionedStore) -> Throttle:
        """The throttle kept in ``store`` (a folder's file lock, or a bucket's conditional writes)."""
        return cls(lambda change: store.update_json("throttle.json", change))

    def reserve(self, keys: list[str], now: float) -> float:
        """Seconds to wait if any key must wait (nothing counted); else count the attempt and return 0."""

        def change(state: dict[str, Any]) -> float:
            _forget_old(state, now)
            wait = max((state.get(k, {}).get("next", 0.0) - now for k in keys), default=0.0)
            if wait > 0:
                return float(wait)
            for key in keys:
                entry = state.setdefault(key, {"count": 0, "next": 0.0})
                entry["count"] += 1
                entry["seen"] = now
                if entry["count"] >= FREE_ATTEMPTS:
                    entry["next"] = now + min(MAX_DELAY, BASE_DELAY * 2 ** (entry["count"] - FREE_ATTEMPTS))
            return 0.0

        return float(self._update(change))

    def clear(self, keys: list[str]) -> None:
        """A successful sign-in clears its account's and its client's counts."""

        def change(state: dict[str, Any]) -> None:
            for key in keys:
                state.pop(key, None)

        self._update(change)


def _forget_old(state: dict[str, dict[str, float]], now: float) -> None:
    """Drop counts idle for a day, and the oldest beyond ``THROTTLE_KEYS``: the file stays small."""
    for key in [k for k, v in state.items() if now - v.get("seen", 0.0) > FORGET_AFTER]:
        del state[key]
    if len(state) > THROTTLE_KEYS:
        for key in sorted(state, key=lambda k: state[k].get("seen", 0.0))[: len(state) - THROTTLE_KEYS]:
            del state[key]


def _address(text: str) -> IPv4Address | IPv6Address | None:
    """An address as the balancer and Tornado write it, IPv4-mapped IPv6 read as IPv4; else None."""
    try:
        address = ip_address(text.strip().strip("[]"))
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def client_address(peer: str | None, forwarded_for: str | None, trusted: Sequence[str]) -> str | None:
    """The real client's address: the peer, unless the peer is a trusted proxy (the balancer).

    Behind the balancer every peer is the balancer, so the client is taken from X-Forwarded-For —
    only then: any client can send that header, so from an untrusted peer it is ignored. The
    right-most address that is not itself a trusted proxy is the client (the ones to its left are
    what the client claimed). A header that cannot be read leaves the peer.
    """
    networks = [ip_network(t.strip(), strict=False) for t in trusted if t.strip()]
    own = _address(peer) if peer else None

    def is_trusted(address: IPv4Address | IPv6Address) -> bool:
        return any(address.version == n.version and address in n for n in networks)

    if own is None or not is_trusted(own) or not forwarded_for:
        return str(own) if own else peer
    read = [_address(part) for part in forwarded_for.split(",")]
    hops = [hop for hop in read if hop is not None]
    if not hops or len(hops) < len(read):
        return str(own)
    return str(next((hop for hop in reversed(hops) if not is_trusted(hop)), hops[0]))


def throttle_keys(name: str, client: str | None) -> list[str]:
    """The counters one attempt adds to: its account (hashed: any length costs the same) and its client."""
    keys = ["name:" + hashlib.sha256(name.encode()).hexdigest()[:32]]
    if client:
        keys.append("client:" + hashlib.sha256(client.encode()).hexdigest()[:32])
    return keys


@dataclass(frozen=True)
class SignIn:
    """The outcome of one attempt: who (if anyone) and what to tell them."""

    ok: bool
    message: str
    name: str = ""


def sign_in(
    accounts: dict[str, str],
    throttle: Throttle,
    name: str,
    password: str,
    client: str | None = None,
    now: float | None = None,
) -> SignIn:
    """Check one attempt. It is counted before any password is checked; throttled ones are refused."""
    moment = time.time() if now is None else now
    key = name.strip().lower()[:MAX_NAME]
    keys = throttle_keys(key, client)
    wait = throttle.reserve(keys, moment)
    if wait > 0:
        return SignIn(False, f"Too many attempts. Try again in {int(wait) + 1} seconds.")
    ok = verify_password(password[:MAX_PASSWORD], accounts.get(key) or _dummy()) and key in accounts
    if ok:
        throttle.clear(keys)
        return SignIn(True, f"Signed in as {key}.", key)
    return SignIn(False, WRONG)


def needs_rehash(encoded: str) -> bool:
    """True when a stored hash is weaker than today's parameters (re-hashed at the next sign-in)."""
    try:
        scheme, n, r, p, _, _ = encoded.split("$")
    except ValueError:
        return True
    return scheme != "scrypt" or (int(n), int(r), int(p)) < (SCRYPT_N, SCRYPT_R, SCRYPT_P)


def allowed(email: str | None, allow_list: list[str], verified: object = False) -> bool:
    """With an identity provider: is this e-mail address verified by the provider and on the allow-list?

    An unverified address proves nothing: anyone can type someone else's into a provider account.
    Addresses compare ASCII case-insensitively; one with any other character is refused, so no
    look-alike (a Kelvin sign for K, a Cyrillic а) can pass for an address on the list.
    """
    if not email or verified not in (True, "true", "True"):
        return False
    if not email.isascii():  # "\u212Aate@…" (a Kelvin sign) lower-cases to "kate@…": refused unread
        return False
    return email.strip().lower() in {e.strip().lower() for e in allow_list if e.isascii()}
