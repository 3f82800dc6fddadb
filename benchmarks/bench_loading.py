"""What validation costs on load, side by side with a plain pandas read of the same files.

Run with `make bench`. Reports medians and the ratio validated / plain, plus peak memory of each
(tracemalloc). Also times the overview's computation as of one date, which every rerun pays, to
decide whether metric results need their own cache (they do not while it stays in milliseconds).
"""

from __future__ import annotations

import statistics
import time
import tracemalloc
from collections.abc import Callable
from datetime import date

import pandas as pd

from mandate_metrics.figures import funding, metrics
from mandate_metrics.loading import load_all
from mandate_metrics.paths import DATA_DIR
from mandate_metrics.schemas import SCHEMAS

RUNS = 15


def measure(work: Callable[[], object]) -> tuple[float, float]:
    """Median seconds over RUNS, and peak MiB of one run."""
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    work()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), peak / 2**20


def plain() -> object:
    return [pd.read_csv(DATA_DIR / f"{name}.csv") for name in SCHEMAS]


def validated() -> object:
    return load_all(DATA_DIR)


def overview_compute() -> object:
    data = load_all(DATA_DIR)
    day = date(2024, 5, 29)
    requests = data.frame("requests")

    def compute() -> object:
        return (
            metrics.headline(requests, day),
            metrics.change_over_year(requests, day),
            metrics.cumulative_series(requests, day),
            funding.funding_by_year(data.frame("budget"), data.frame("contributions"), day),
        )

    return compute


def main() -> None:
    """Print the comparison table."""
    base_t, base_m = measure(plain)
    rows = [
        ("plain pd.read_csv of all 8 datasets", base_t, base_m),
        ("load_all: read + schema + sidecar checksum", *measure(validated)),
        ("overview metrics as of 2024-05-29", *measure(overview_compute())),  # type: ignore[arg-type]
    ]
    print(f"{'what':44} {'median ms':>10} {'peak MiB':>9} {'ratio':>7}")
    for what, seconds, mib in rows:
        print(f"{what:44} {seconds * 1e3:10.1f} {mib:9.1f} {seconds / base_t:7.1f}")


if __name__ == "__main__":
    main()
