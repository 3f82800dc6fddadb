"""Staff sign-in: local accounts with salted, slow password hashes, throttled per account. Default deny.

Accounts live outside git, in the file named by ``MANDATE_METRICS_STAFF_FILE`` (one encoded hash
per name; ``mandate-metrics add-staff NAME`` writes it). Messages never say whether an account
exists: an unknown name costs the same hash and gets the same answer, and is throttled the same
way. Where an identity provider is configured, Streamlit's ``st.login`` signs people in and
``allowed`` decides whether their e-mail address is staff.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1  # about 50 ms and 16 MiB per attempt on the project machine
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
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, encoded: str) -> bool:
    """Check a password against its encoded hash in constant time."""
    try:
        scheme, n, r, p, salt, digest = encoded.split("$")
        if scheme != "scrypt":
            return False
        found = hashlib.scrypt(
            password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(found.hex(), digest)


_DUMMY = hash_password("not a real password", salt=b"\0" * 16)  # unknown names cost the same


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
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"passwords need at least {MIN_PASSWORD} characters")
    accounts = load_accounts(path)
    accounts[name] = hash_password(password)
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


@dataclass
class Throttle:
    """Failed attempts per name (known or not), and when the next attempt is allowed. Process-wide."""

    failures: dict[str, int] = field(default_factory=dict)
    next_try: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self, name: str, now: float) -> float:
        """Seconds before ``name`` may try again (0 when it may try now)."""
        with self._lock:
            return max(0.0, self.next_try.get(name, 0.0) - now)

    def failed(self, name: str, now: float) -> None:
        """Count a failure; beyond the free attempts each one doubles the wait."""
        with self._lock:
            count = self.failures.get(name, 0) + 1
            self.failures[name] = count
            if count >= FREE_ATTEMPTS:
                delay = min(MAX_DELAY, BASE_DELAY * 2 ** (count - FREE_ATTEMPTS))
                self.next_try[name] = now + delay

    def succeeded(self, name: str) -> None:
        """A successful sign-in clears the count."""
        with self._lock:
            self.failures.pop(name, None)
            self.next_try.pop(name, None)


@dataclass(frozen=True)
class SignIn:
    """The outcome of one attempt: who (if anyone) and what to tell them."""

    ok: bool
    message: str
    name: str = ""


def sign_in(
    accounts: dict[str, str], throttle: Throttle, name: str, password: str, now: float | None = None
) -> SignIn:
    """Check one attempt. Throttled attempts are refused before any password is checked."""
    moment = time.time() if now is None else now
    key = name.strip().lower()
    wait = throttle.wait(key, moment)
    if wait > 0:
        return SignIn(False, f"Too many attempts. Try again in {int(wait) + 1} seconds.")
    ok = verify_password(password, accounts.get(key, _DUMMY)) and key in accounts
    if ok:
        throttle.succeeded(key)
        return SignIn(True, f"Signed in as {key}.", key)
    throttle.failed(key, moment)
    return SignIn(False, WRONG)


def allowed(email: str | None, allow_list: list[str]) -> bool:
    """With an identity provider: is this (verified) e-mail address on the staff allow-list?"""
    if not email:
        return False
    return email.strip().lower() in {e.strip().lower() for e in allow_list}
