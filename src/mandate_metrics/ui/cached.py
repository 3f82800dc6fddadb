"""Process-wide caches over the pure library.

Datasets are immutable per version, so one copy is held per process, keyed by the data's
identity (a hash of its sidecars, ``Datasets.identity``): ``st.cache_resource`` hands every
session the same frames without copying them. Nothing may mutate what these functions return.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import streamlit as st

from mandate_metrics import loading
from mandate_metrics.briefing import Briefing
from mandate_metrics.briefing import build as build_briefing
from mandate_metrics.config import load_config
from mandate_metrics.exports.deck import deck_bytes
from mandate_metrics.exports.pdf import pdf_bytes
from mandate_metrics.figures.disclosure import Role
from mandate_metrics.figures.metrics import LedgerIndex
from mandate_metrics.figures.record import Evidence, LedgerEvidence, View, evidence_of
from mandate_metrics.figures.translated import datasets_in
from mandate_metrics.loading import Datasets
from mandate_metrics.store import VersionedStore, is_bucket, open_store


def _client_options() -> dict[str, str]:
    """A bucket's endpoint and keys from ``secrets.toml`` ``[store]``, where staff put them.

    Never from the address bar; without the section boto3 reads the standard AWS variables.
    """
    try:
        section = st.secrets.get("store", {})
    except (FileNotFoundError, KeyError, AttributeError):
        return {}
    return {str(k): str(v) for k, v in dict(section).items()}


@st.cache_resource(show_spinner=False, max_entries=4)
def _opened(location: str) -> VersionedStore:
    """One store object per process and location: a bucket's client and its pointer cache are reused.

    A folder is repaired here, once per process, before its first use (``LocalStore.repair``).
    A bucket writes objects whole; its repair runs from the command line.
    """
    opened = open_store(location, client_options=_client_options() if is_bucket(location) else None)
    if not is_bucket(location):
        opened.repair()
    return opened


@st.cache_resource(show_spinner=False, max_entries=4)
def _datasets(pointers: str, location: str, data_dir: str) -> Datasets:
    del pointers  # Only the cache key: a new current version of any dataset gives a new entry.
    return loading.load_from_store(_opened(location), Path(data_dir))


def store() -> VersionedStore:
    """The configured store (a folder, or a bucket shared by every replica)."""
    return _opened(load_config().store)


def datasets() -> Datasets:
    """The current datasets; re-read only when a dataset's current version changes.

    Checking costs one small pointer per dataset (a bucket reuses them for a second), so every
    viewer on every replica sees a new publish on their next interaction, without a restart.
    """
    config = load_config()
    current = store()
    pointers = current.pointers()
    if "@-" in pointers:  # a new store: seed it from data/, then key by the seeded versions
        loading.load_from_store(current, config.data_dir)
        pointers = current.pointers()
    return _datasets(pointers, config.store, str(config.data_dir))


@st.cache_resource(show_spinner=False, max_entries=8, hash_funcs={Datasets: lambda d: d.as_loaded().identity})
def evidence(data: Datasets, view: View) -> Evidence:
    """The evidence for one data version and view, shared by every session, rerun and language.

    A ledger's evidence indexes the ledger on first use (``metrics.LedgerIndex``): held here, that
    is paid once per data version, not on every click (2 s a rerun with the ledger x1000). Evidence
    holds numbers, dates and sources, no words of ours: it is built on the English load.
    """
    return evidence_of(data.as_loaded(), view)


@st.cache_resource(show_spinner=False, max_entries=8, hash_funcs={Datasets: lambda d: d.identity})
def in_language(data: Datasets, locale: str) -> Datasets:
    """The datasets with their own words in ``locale`` (``figures.translated``), once per version."""
    return datasets_in(data, locale)


def ledger_index(data: Datasets) -> LedgerIndex:
    """The request ledger's index: the one its evidence holds, built once per data version."""
    ledger = evidence(data, "ledger")
    assert isinstance(ledger, LedgerEvidence)  # evidence_of gives the ledger view's implementation
    return ledger.index


@st.cache_resource(show_spinner=False, max_entries=16, hash_funcs={Datasets: lambda d: d.identity})
def briefing(data: Datasets, as_of: date, role: Role, locale: str, view: View) -> Briefing:
    """The briefing for one data version, date, role, locale and view (immutable: shared, never copied)."""
    return build_briefing(data, as_of, role, locale, view, public_url=load_config().public_url)


# Files are bytes (immutable), so they are held as resources: st.cache_data would copy them per call.
@st.cache_resource(show_spinner=False, max_entries=16, hash_funcs={Datasets: lambda d: d.identity})
def deck(data: Datasets, as_of: date, role: Role, locale: str, view: View) -> bytes:
    """The .pptx bytes for one data version, date, role, locale and view."""
    return deck_bytes(briefing(data, as_of, role, locale, view), locale)


PDF_PER_SESSION, PDF_WINDOW_SECONDS = 5, 600  # new PDF prints one session may start in ten minutes


def pdf_allowed(key: str = "pdf_jobs") -> int | None:
    """Count one PDF request of this session; return how many it made if over the limit, else None.

    Printing starts a Chromium: anonymous viewers share one printer (``exports.pdf.PRINTING``) and
    each session may start only a few prints in a row.
    """
    now = time.time()
    recent = [t for t in st.session_state.get(key, []) if now - t < PDF_WINDOW_SECONDS]
    if len(recent) >= PDF_PER_SESSION:
        return len(recent)
    st.session_state[key] = [*recent, now]
    return None


@st.cache_resource(show_spinner=False, max_entries=8, hash_funcs={Datasets: lambda d: d.identity})
def pdf(data: Datasets, as_of: date, role: Role, locale: str, view: View) -> bytes:
    """The PDF brief (Chromium takes a few seconds, so each version, date and view is printed once)."""
    return pdf_bytes(briefing(data, as_of, role, locale, view), load_config().chromium, locale)
