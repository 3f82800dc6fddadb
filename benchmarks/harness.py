"""What every benchmark shares: paired runs, whole-process timing, and the results files.

A measurement times ours and a baseline in the same run, alternating, after a warm-up, and keeps
the median of each: on a noisy two-core machine both are slowed alike, so the ratio holds even
when the absolute figures drift. `record` collects measurements; `write` puts them into
`benchmarks/results/latest.json` (one entry per measurement) and `latest.md` (the table the
README quotes), with the machine they were taken on.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).parent / "results"
PYTHON = Path(__file__).resolve().parents[1] / ".venv" / "bin" / "python"


@dataclass
class Measurement:
    """One line of the results: ours beside a baseline, and whether the budget is met."""

    name: str
    size: str
    ours: float  # median, in the unit below
    baseline_name: str
    baseline: float | None
    unit: str  # "ms", "s", "MB"
    budget: str  # as the issue states it, e.g. "<= 6x baseline"
    met: bool
    ratio: float | None = None
    notes: str = ""
    extra: dict[str, float | int | str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.ratio is None and self.baseline:
            self.ratio = round(self.ours / self.baseline, 2)


MEASUREMENTS: list[Measurement] = []


def record(measurement: Measurement) -> Measurement:
    """Keep a measurement for the results files, and print it as it comes."""
    MEASUREMENTS.append(measurement)
    ratio = f"{measurement.ratio:.2f}x" if measurement.ratio is not None else "—"
    base = _number(measurement.baseline) if measurement.baseline is not None else "—"
    ours = _number(measurement.ours)
    print(
        f"{measurement.name:34} {measurement.size:16} ours {ours:>9} {measurement.unit:3}"
        f" {measurement.baseline_name[:24]:24} {base:>8}  {ratio:>7}  "
        f"{'met' if measurement.met else 'NOT MET'}  ({measurement.budget})",
        flush=True,
    )
    return measurement


def _number(value: float) -> str:
    """A figure as people read it: 1,780 ms, 1.78 s, 10,000 rows."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def paired(
    ours: Callable[[], object], baseline: Callable[[], object], runs: int, warmup: int = 1
) -> tuple[float, float]:
    """Median seconds of ``ours`` and ``baseline``, run alternately ``runs`` times after a warm-up."""
    for _ in range(warmup):
        ours()
        baseline()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for i, work in enumerate((ours, baseline)):
            start = time.perf_counter()
            work()
            times[i].append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


@dataclass
class Process:
    """One whole-process run: wall seconds, peak resident memory, exit code and output."""

    seconds: float
    peak_mb: float
    code: int
    out: str


def run_process(command: Sequence[str], env: dict[str, str] | None = None) -> Process:
    """Run a command to the end; its peak memory is the kernel's count for that one process."""
    start = time.perf_counter()
    child = subprocess.Popen(
        list(command),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, **(env or {})},
        text=True,
    )
    assert child.stdout is not None
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return Process(time.perf_counter() - start, usage.ru_maxrss / 1024, child.returncode, out)


def paired_processes(
    ours: Sequence[str],
    baseline: Sequence[str],
    runs: int,
    warmup: int = 1,
    env: dict[str, str] | None = None,
) -> tuple[list[Process], list[Process]]:
    """Whole-process runs of two commands, alternating, after a warm-up of each."""
    for _ in range(warmup):
        run_process(ours, env)
        run_process(baseline, env)
    results: tuple[list[Process], list[Process]] = ([], [])
    for _ in range(runs):
        results[0].append(run_process(ours, env))
        results[1].append(run_process(baseline, env))
    return results


def median(values: Sequence[float]) -> float:
    """The median (a list of one is its own median)."""
    return statistics.median(values)


def machine() -> dict[str, str | int]:
    """What the figures were measured on."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = 0
    try:
        memory = int(Path("/proc/meminfo").read_text().split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count() or 0,
        "memory_mb": memory,
        "python": platform.python_version(),
        "system": platform.platform(),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def write(suite: str) -> None:
    """Merge this run's measurements into latest.json (by suite) and rewrite latest.md from it."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "latest.json"
    data = json.loads(path.read_text()) if path.exists() else {"suites": {}}
    data["suites"][suite] = {
        "machine": machine(),
        "measurements": [asdict(m) for m in MEASUREMENTS],
    }
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    (RESULTS / "latest.md").write_text(markdown(data))
    print(f"wrote {path} and latest.md ({suite}: {len(MEASUREMENTS)} measurements)")


def markdown(data: dict) -> str:
    """The results as the tables the README quotes: one per suite."""
    lines = ["# Benchmark results", "", "Written by `make bench`; medians after a warm-up, ours and the", ""]
    lines[2] = "Written by `make bench` (see benchmarks/README.md): medians after a warm-up, ours and the"
    lines[3] = "baseline run alternately in the same run, so the ratio holds on a noisy machine."
    for suite, body in data["suites"].items():
        m = body["machine"]
        lines += [
            "",
            f"## {suite}",
            "",
            f"{m['when']} · {m['cores']} cores ({m['cpu']}) · {m['memory_mb']:,} MB · Python {m['python']}",
            "",
            "| measurement | size | ours | baseline | baseline's | ratio | budget | met |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for e in body["measurements"]:
            base = "—" if e["baseline"] is None else f"{_number(e['baseline'])} {e['unit']}"
            ratio = "—" if e["ratio"] is None else f"{e['ratio']:.2f}×"
            note = f" {e['notes']}" if e["notes"] else ""
            ours = f"{_number(e['ours'])} {e['unit']}"
            lines.append(
                f"| {e['name']}{note} | {e['size']} | {ours} | {e['baseline_name']} "
                f"| {base} | {ratio} | {e['budget']} | {'yes' if e['met'] else '**no**'} |"
            )
    return "\n".join(lines) + "\n"
