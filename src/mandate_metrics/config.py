"""Settings, read from the environment in one place.

This is the only module that reads environment variables. Each setting is declared as data with
its help text so the README can list them and a test can check that it does.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from ipaddress import ip_network
from pathlib import Path

from mandate_metrics.paths import DATA_DIR, PROJECT_DIR


@dataclass(frozen=True)
class Setting:
    """One environment setting: its variable name, default and what it is for."""

    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("MANDATE_METRICS_DATA", str(DATA_DIR), "Folder of the seed datasets and their sidecars."),
    Setting("MANDATE_METRICS_LOCALE", "en", "Default language (en, ar or fr): words, numbers and dates."),
    Setting("MANDATE_METRICS_CHROMIUM", "/usr/bin/chromium", "Chromium used to print the PDF brief."),
    Setting(
        "MANDATE_METRICS_STORE",
        str(PROJECT_DIR / "store"),
        "The versioned dataset store: a folder, or s3://BUCKET/PREFIX shared by several replicas "
        "(endpoint and keys from AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION).",
    ),
    Setting(
        "MANDATE_METRICS_STAFF_FILE",
        str(PROJECT_DIR / ".streamlit" / "staff.json"),
        "Staff accounts (salted scrypt hashes); kept out of git.",
    ),
    Setting(
        "MANDATE_METRICS_TRUSTED_PROXIES",
        "",
        "Addresses or networks of the load balancers (e.g. 10.0.0.0/8), comma-separated: only from "
        "these is X-Forwarded-For believed for the sign-in throttle. Empty: no proxy is trusted.",
    ),
    Setting(
        "MANDATE_METRICS_PUBLIC_URL",
        "",
        "The dashboard's public address (e.g. https://metrics.example.org): the last slide, the deck "
        "and the PDF show the Sources page's address there with a QR code. Empty: the page is named.",
    ),
    Setting(
        "MANDATE_METRICS_MAX_UPLOAD_MB",
        "100",  # a 1.3-million-row ledger; checked in about 2 s, under 1.2 GB (benchmarks/results/)
        "Largest upload accepted, in MB; larger files are refused unread.",
    ),
    Setting(
        "MANDATE_METRICS_FIGURE_CACHE_MB",
        "64",
        "Memory each server process may spend on prepared figures and tables (estimated, in MB): "
        "reruns read them instead of rebuilding; the least recently used go first.",
    ),
    Setting(
        "MANDATE_METRICS_FIRST_SCREEN_MS",
        "200",
        "On a viewer's first page load, how long the server waits after a page's headline figures "
        "before it sends the charts, so the browser draws the figures before it runs the chart code "
        "(in milliseconds; 0: no wait).",
    ),
)


@dataclass(frozen=True)
class Config:
    """The settings the app and the command line run with."""

    data_dir: Path
    locale: str
    chromium: str
    store: str  # a folder, or s3://bucket/prefix
    staff_file: Path
    max_upload_bytes: int
    trusted_proxies: tuple[str, ...] = ()  # addresses or networks whose X-Forwarded-For is believed
    public_url: str = ""  # the dashboard's public address, for the QR code of the Sources page
    figure_cache_mb: float = 64.0  # prepared figures and tables per process (ui/prepared.py)
    first_screen_ms: float = 200.0  # the pause after a first load's headline (ui/components.py)


class ConfigError(ValueError):
    """A setting is present but unusable; the message names it and says what to do."""


def _get(name: str) -> str:
    setting = next(s for s in SETTINGS if s.env == name)
    value = os.environ.get(setting.env, setting.default)
    if not value.strip() and setting.default:  # an empty path would silently mean "the current folder"
        raise ConfigError(
            f"{setting.env} is set but empty: unset it to use {setting.default}, or give a value"
        )
    return value


def load_config() -> Config:
    """Read the settings from the environment, falling back to the declared defaults."""
    return Config(
        data_dir=Path(_get("MANDATE_METRICS_DATA")),
        locale=_get("MANDATE_METRICS_LOCALE"),
        chromium=_get("MANDATE_METRICS_CHROMIUM"),
        store=_get("MANDATE_METRICS_STORE"),
        staff_file=Path(_get("MANDATE_METRICS_STAFF_FILE")),
        max_upload_bytes=int(float(_get("MANDATE_METRICS_MAX_UPLOAD_MB")) * 1_000_000),
        trusted_proxies=_networks("MANDATE_METRICS_TRUSTED_PROXIES"),
        public_url=_address("MANDATE_METRICS_PUBLIC_URL"),
        figure_cache_mb=float(_get("MANDATE_METRICS_FIGURE_CACHE_MB")),
        first_screen_ms=float(_get("MANDATE_METRICS_FIRST_SCREEN_MS")),
    )


def _address(name: str) -> str:
    """A public web address, checked now (a QR code to a typo would send a room nowhere)."""
    value = os.environ.get(name, "").strip().rstrip("/")
    if value and not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", value):
        raise ConfigError(f"{name}: {value!r} is not a web address (e.g. https://metrics.example.org)")
    return value


def _networks(name: str) -> tuple[str, ...]:
    """A comma-separated list of addresses or networks, each checked now: a typo is a clear error."""
    found = tuple(part.strip() for part in _get(name).split(",") if part.strip())
    for entry in found:
        try:
            ip_network(entry, strict=False)
        except ValueError as exc:
            raise ConfigError(f"{name}: {entry!r} is not an address or a network (e.g. 10.0.0.0/8)") from exc
    return found
