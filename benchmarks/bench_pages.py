"""What one rerun of each page costs, measured in-process with AppTest (no browser, no network).

Run with `.venv/bin/python benchmarks/bench_pages.py`. Reports the median of RUNS warm reruns
per page; the first run (imports, data load) is excluded. Compare before/after a change in the
same session, on the same machine.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time

os.environ.setdefault("MANDATE_METRICS_STORE", tempfile.mkdtemp(prefix="mm-bench-"))

from streamlit.testing.v1 import AppTest  # noqa: E402

from mandate_metrics.paths import PROJECT_DIR  # noqa: E402

RUNS = 5
PAGES = (
    "app_pages/requests_investigations.py",
    "app_pages/funding_donors.py",
    "app_pages/sources_methods.py",
)


def main() -> None:
    """Print the median rerun time of each page."""
    for page in PAGES:
        at = AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=120)
        at.run()
        at.switch_page(page).run()
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - start)
        print(f"{page:42} median rerun {statistics.median(times) * 1e3:7.1f} ms")


if __name__ == "__main__":
    main()
