"""Process-wide caches over the pure library.

Datasets are immutable per version, so one copy is held per process, keyed by the data's
fingerprint (its sidecar checksums): ``st.cache_resource`` hands every session the same frames
without copying them. Nothing may mutate what these functions return.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from mandate_metrics import loading
from mandate_metrics.config import load_config
from mandate_metrics.loading import Datasets


@st.cache_resource(show_spinner=False, max_entries=4)
def _datasets(fingerprint: str, data_dir: str) -> Datasets:
    del fingerprint  # Only the cache key: a new version of any dataset gives a new entry.
    return loading.load_all(Path(data_dir))


def datasets() -> Datasets:
    """The current datasets; re-read only when a sidecar's checksum changes."""
    data_dir = load_config().data_dir
    return _datasets(loading.fingerprint(data_dir), str(data_dir))
