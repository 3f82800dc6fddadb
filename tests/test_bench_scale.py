"""`make bench-scale` reports an overloaded replica as errors and finishes (issue 24).

A run once crashed on a browser page whose address did not load within Playwright's default
30 s; here a server that accepts connections and never answers stands in for that replica.
"""

from __future__ import annotations

import importlib
import shutil
import socket
import sys
import time
from collections.abc import Iterator

import pytest

from mandate_metrics.paths import PROJECT_DIR

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which("/usr/bin/chromium") is None, reason="needs chromium"),
]


@pytest.fixture
def silent_server() -> Iterator[str]:
    """An address that accepts connections and never sends a byte."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


def _bench_scale():  # noqa: ANN202 - the benchmark module, imported from benchmarks/
    sys.path.insert(0, str(PROJECT_DIR / "benchmarks"))
    try:
        return importlib.import_module("bench_scale")
    finally:
        sys.path.remove(str(PROJECT_DIR / "benchmarks"))


def test_browser_pages_that_never_load_are_errors_not_a_crash(silent_server):
    bench = _bench_scale()
    began = time.perf_counter()
    found = bench._browser_pages(silent_server, 2, 0.0, timeout=2.0)
    assert found == [float("inf"), float("inf")]
    assert time.perf_counter() - began < 30  # the tiny timeout holds, not Playwright's default
    step = bench.Step(replicas=1, sessions=0, browser=found)
    assert step.errors() == 2
