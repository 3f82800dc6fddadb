"""What one rerun of each page costs, measured in-process with AppTest (no browser, no network).

Run with `.venv/bin/python benchmarks/bench_pages.py`. Reports the median of RUNS warm reruns per
page in the published record (the default view) beside the same page in the illustrative sample,
measured in the same run; the first run (imports, data load) is excluded.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time

os.environ.setdefault("MANDATE_METRICS_STORE", tempfile.mkdtemp(prefix="mm-bench-"))

from streamlit.testing.v1 import AppTest  # noqa: E402

from mandate_metrics.paths import PROJECT_DIR  # noqa: E402

RUNS = 7
PAGES = (
    "app_pages/overview.py",
    "app_pages/requests_investigations.py",
    "app_pages/jurisdictions.py",
    "app_pages/funding_donors.py",
    "app_pages/briefing.py",
    "app_pages/sources_methods.py",
)
VIEWS = ("record", "sample")


def _session(page: str, view: str) -> AppTest:
    at = AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=120)
    at.query_params["view"] = view
    at.run()
    at.switch_page(page).run()
    return at


def main() -> None:
    """Print the median warm rerun of each page in the published record and in the sample, side by side.

    The two views' reruns alternate, so a noisy machine slows both alike and the ratio holds.
    """
    print(f"{'page':42} {'record':>10} {'sample':>10} {'record/sample':>14}")
    for page in PAGES:
        sessions = {view: _session(page, view) for view in VIEWS}
        times: dict[str, list[float]] = {view: [] for view in VIEWS}
        for _ in range(RUNS):
            for view in VIEWS:
                start = time.perf_counter()
                sessions[view].run()
                times[view].append(time.perf_counter() - start)
        record, sample = (statistics.median(times[v]) * 1e3 for v in VIEWS)
        print(f"{page:42} {record:8.1f} ms {sample:8.1f} ms {record / sample:13.2f}x")


if __name__ == "__main__":
    main()
