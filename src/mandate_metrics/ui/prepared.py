"""Figures, tables and titles prepared once per data version, date, language, view and filter.

Every click reruns a page script. What a page shows is a pure function of the data version, the
as-of date, the locale, the viewer's role, the view and the page's own filters (a donor year), so
a rerun with the same key reads what the first one built instead of grouping the ledger and
letting Plotly validate every property again (a chart took 10–15 ms to build, 0.4 ms to send).

The cache is one per process, shared by every session, least recently used first out, and bounded
by an estimate of the memory its entries hold (``MANDATE_METRICS_FIGURE_CACHE_MB``). A publish or
a rollback gives the datasets a new identity (``Datasets.identity``), so nothing built from an
older version is read again; it ages out. Nothing may mutate what it returns.
"""

from __future__ import annotations

import json
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import fields, is_dataclass
from typing import Any, TypeVar

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from mandate_metrics.config import load_config

T = TypeVar("T")

# A Plotly figure object holds its validators and property trees, and a ``SentFigure`` its dict as
# well: tracemalloc measured 80-110 KB for a 4 KB chart and 1.5 MB for a 114 KB one; 80 KB plus
# fourteen times its JSON stays above that (tests/test_prepared.py).
FIGURE_BASE_BYTES, FIGURE_BYTES_PER_JSON_BYTE = 80_000, 14


def size_of(value: object) -> int:
    """Bytes ``value`` is estimated to hold: never below what it really holds, for the budget."""
    if isinstance(value, go.Figure):
        return FIGURE_BASE_BYTES + FIGURE_BYTES_PER_JSON_BYTE * len(pio.to_json(value, validate=False))
    if isinstance(value, pd.DataFrame):
        return int(value.memory_usage(deep=True).sum()) + 2_000
    if isinstance(value, pd.Series):
        return int(value.memory_usage(deep=True)) + 2_000
    if isinstance(value, str | bytes):
        return sys.getsizeof(value)
    if isinstance(value, dict):
        return sys.getsizeof(value) + sum(size_of(k) + size_of(v) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return sys.getsizeof(value) + sum(size_of(v) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        return sys.getsizeof(value) + sum(size_of(getattr(value, f.name)) for f in fields(value))
    return sys.getsizeof(value)


class Budgeted:
    """A least-recently-used map bounded by the estimated bytes of its values, safe across threads.

    A value larger than the whole budget is built and returned but not kept.
    """

    def __init__(self, budget_bytes: int) -> None:
        self.budget_bytes = budget_bytes
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()
        self.held_bytes = 0
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        """The value held for ``key``, or ``build()``'s, kept for next time."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                return self._entries[key][0]
            self.misses += 1
        value = build()  # outside the lock: two sessions may build the same key; both get equal values
        size = size_of(value)
        with self._lock:
            if size <= self.budget_bytes and key not in self._entries:
                self._entries[key] = (value, size)
                self.held_bytes += size
                while self.held_bytes > self.budget_bytes:
                    _, (_, dropped) = self._entries.popitem(last=False)
                    self.held_bytes -= dropped
        return value

    def clear(self) -> None:
        """Forget everything (tests; a process never needs to)."""
        with self._lock:
            self._entries.clear()
            self.held_bytes = 0


PREPARED = Budgeted(int(load_config().figure_cache_mb * 1_000_000))
"""The process's cache: what every session's pages have prepared."""


class SentFigure(go.Figure):  # type: ignore[misc]  # plotly ships no types
    """A figure whose dictionary is made once.

    Streamlit asks a figure for ``to_dict()`` on every rerun, a deep copy with a base64 pass over
    every array (1-5 ms a chart, most of what a prepared panel still cost); a prepared figure is
    never changed, so its dictionary is made when it is prepared and handed out as it is. It is
    made from the figure's JSON, so it holds only what JSON holds (dates already as text): encoding
    it again asks Plotly's encoder for nothing (its fallback ran ~400 times a rerun for dates).
    """

    def __init__(self, figure: go.Figure) -> None:
        super().__init__(figure)
        self._sent = json.loads(pio.to_json(figure, validate=False))

    def to_dict(self) -> dict[str, Any]:
        """The figure's dictionary, made once: read it, never change it."""
        return self._sent
