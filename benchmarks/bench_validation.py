"""Upload validation, whole process, beside a peer that reports every failing row and beside the floor.

For each size (10,000, 100,000 and 1,000,000 rows of `requests`), valid and with scattered errors
of every kind (10,000; 1,000 in the 10,000-row file), three commands run alternately:

- ours: `mandate-metrics validate requests FILE` (reads the store for the references, prints the
  report);
- frictionless: `frictionless validate` of a data package holding the same file with an equivalent
  Table Schema (types, required, allowed values, unique ids, date bounds, maximum length), the two
  foreign keys and the status-after-receipt row constraint, with no error limit;
- the floor: a typed pyarrow `read_csv` of the same file, nothing checked.

And a 100,000-row workbook against python-calamine's read of it (the floor there); and the upload
preview's comparison of an edited 1,000,000-row table with the published one, beside validating it.
Budgets (issue 10): at 1,000,000 rows at least 10x faster than frictionless, at most 6x the
pyarrow floor, under 1 GB peak, every planted error reported; the workbook within 3x calamine.

Run: `.venv/bin/python benchmarks/bench_validation.py [--quick]` (quick: 100,000 rows only).
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import harness
import upload_files

from mandate_metrics.paths import PROJECT_DIR
from mandate_metrics.schemas import ASSISTANCE_TYPES, EARLIEST_DATE, REQUEST_STATUSES

VENV = PROJECT_DIR / ".venv" / "bin"
FLOOR_CSV = """
import sys, pyarrow as pa, pyarrow.csv as c
kind = pa.date32() if sys.argv[2] == "typed" else pa.string()  # a file with bad dates cannot be typed
dates = {"received_on": kind, "status_on": kind}
print(c.read_csv(sys.argv[1], convert_options=c.ConvertOptions(column_types=dates)).num_rows)
"""
FLOOR_XLSX = """
import sys
from python_calamine import CalamineWorkbook
print(len(CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python()))
"""


def _package(folder: Path, requests: Path) -> Path:
    """A data package: the requests file with its Table Schema, and the two tables it refers to."""
    today = datetime.now(UTC).date().isoformat()
    for name in ("jurisdictions", "investigations"):
        shutil.copy(PROJECT_DIR / "data" / f"{name}.csv", folder / f"{name}.csv")
    text = {"type": "string", "constraints": {"required": True, "maxLength": 10_000}}
    day = {
        "type": "date",
        "constraints": {"required": True, "minimum": EARLIEST_DATE.date().isoformat(), "maximum": today},
    }
    schema = {
        "fields": [
            {"name": "request_id", **text, "constraints": {**text["constraints"], "unique": True}},
            {"name": "received_on", **day},
            {"name": "jurisdiction_id", **text},
            {"name": "assistance_type", "type": "string", "constraints": {"enum": list(ASSISTANCE_TYPES)}},
            {"name": "status", "type": "string", "constraints": {"enum": list(REQUEST_STATUSES)}},
            {"name": "status_on", **day},
            {"name": "investigation_id", **text},
        ],
        "foreignKeys": [
            {
                "fields": "jurisdiction_id",
                "reference": {"resource": "jurisdictions", "fields": "jurisdiction_id"},
            },
            {
                "fields": "investigation_id",
                "reference": {"resource": "investigations", "fields": "investigation_id"},
            },
        ],
    }
    package = {
        "name": "mandate-metrics",
        "resources": [
            {"name": "requests", "path": requests.name, "schema": schema},
            {"name": "jurisdictions", "path": "jurisdictions.csv"},
            {"name": "investigations", "path": "investigations.csv"},
        ],
    }
    path = folder / f"{requests.stem}.datapackage.json"
    path.write_text(json.dumps(package))
    (folder / "checklist.json").write_text(
        json.dumps({"checks": [{"type": "row-constraint", "formula": "status_on >= received_on"}]})
    )
    return path


def _reported_rows(output: str) -> int:
    """Distinct rows in our report (its table's first column)."""
    rows = set()
    for line in output.splitlines():
        first = line.split(maxsplit=1)[0] if line.strip() else ""
        if first.isdigit():
            rows.add(int(first))
    return len(rows)


def _frictionless_rows(output: str) -> int:
    report = json.loads(output[output.index("{") :])
    rows = {
        e.get("rowNumber")
        for task in report.get("tasks", [])
        for e in task.get("errors", [])
        if "rowNumber" in e
    }
    return len(rows)


def bench_csv(folder: Path, rows: int, errors: int, runs: int) -> None:
    path = upload_files.write(folder, rows, errors)["csv"]
    size = f"{rows:,} rows, {errors:,} errors" if errors else f"{rows:,} rows, valid"
    ours = [str(VENV / "mandate-metrics"), "validate", "requests", str(path)]
    env = {"MANDATE_METRICS_STORE": str(folder / "store"), "MANDATE_METRICS_MAX_UPLOAD_MB": "1000"}
    floor = [str(VENV / "python"), "-c", FLOOR_CSV, str(path), "text" if errors else "typed"]
    mine, base = harness.paired_processes(ours, floor, runs, env=env)
    seconds = harness.median([p.seconds for p in mine])
    peak = max(p.peak_mb for p in mine)
    found = _reported_rows(mine[-1].out)
    complete = found == errors
    floor_s = harness.median([p.seconds for p in base])
    harness.record(
        harness.Measurement(
            "validate CSV vs pyarrow read",
            size,
            seconds,
            "pyarrow read_csv" + ("" if errors else ", typed"),
            floor_s,
            "s",
            "<= 6x at 1M rows",
            met=rows < 1_000_000 or seconds <= 6 * floor_s,
            notes=f"(peak {peak:,.0f} MB; floor {max(p.peak_mb for p in base):,.0f} MB)",
            extra={"peak_mb": round(peak), "rows_reported": found, "rows_planted": errors},
        )
    )
    harness.record(
        harness.Measurement(
            "validate CSV peak memory",
            size,
            peak,
            "—",
            None,
            "MB",
            "< 1,000 MB at 1M rows",
            met=peak < 1000,
        )
    )
    package = _package(folder, path)
    peer = [
        str(VENV / "frictionless"),
        "validate",
        str(package),
        "--resource-name",
        "requests",
        "--checklist",
        str(folder / "checklist.json"),
        "--limit-errors",
        "10000000",
        "--json",
    ]
    peer_runs = 1 if rows >= 1_000_000 else runs  # 50 s a run: one, after the warm-up of ours
    mine, theirs = harness.paired_processes(ours, peer, peer_runs, warmup=0, env=env)
    their_rows = _frictionless_rows(theirs[-1].out) if errors else 0
    their_s = harness.median([p.seconds for p in theirs])
    harness.record(
        harness.Measurement(
            "validate CSV vs frictionless",
            size,
            harness.median([p.seconds for p in mine]),
            "frictionless validate",
            their_s,
            "s",
            ">= 10x faster at 1M rows",
            met=rows < 1_000_000 or harness.median([p.seconds for p in mine]) * 10 <= their_s,
            notes=(
                f"({their_s / harness.median([p.seconds for p in mine]):.1f}x faster; rows reported: "
                f"ours {found:,}, frictionless {their_rows:,}, planted {errors:,})"
            ),
            extra={"frictionless_rows_reported": their_rows},
        )
    )
    harness.record(
        harness.Measurement(
            "every failing row reported",
            size,
            found,
            "rows planted",
            errors or None,
            "rows",
            "all of them, in one pass",
            met=complete,
        )
    )


def bench_xlsx(folder: Path, rows: int, errors: int, runs: int) -> None:
    path = upload_files.write(folder, rows, errors, kinds=("xlsx",))["xlsx"]
    size = f"{rows:,} rows, {errors:,} errors" if errors else f"{rows:,} rows, valid"
    ours = [str(VENV / "mandate-metrics"), "validate", "requests", str(path)]
    env = {"MANDATE_METRICS_STORE": str(folder / "store"), "MANDATE_METRICS_MAX_UPLOAD_MB": "1000"}
    floor = [str(VENV / "python"), "-c", FLOOR_XLSX, str(path)]
    mine, base = harness.paired_processes(ours, floor, runs, env=env)
    seconds, floor_s = harness.median([p.seconds for p in mine]), harness.median([p.seconds for p in base])
    found = _reported_rows(mine[-1].out)
    harness.record(
        harness.Measurement(
            "validate XLSX vs calamine read",
            size,
            seconds,
            "python-calamine read",
            floor_s,
            "s",
            "<= 3x",
            met=seconds <= 3 * floor_s and found == errors,
            notes=f"(rows reported {found:,} of {errors:,})" if errors else "",
        )
    )


def bench_preview(rows: int, runs: int) -> None:
    """The upload preview's comparison (issue 21): the edited table against the published one.

    In process, paired: validating the edited file, and working out what publishing it would
    change (``after_upload`` + ``diff``: 3 rows deleted, one status in a thousand changed).
    Budget: under 2x the validation.
    """
    import time  # noqa: PLC0415

    from mandate_metrics.loading import load_all  # noqa: PLC0415
    from mandate_metrics.paths import DATA_DIR  # noqa: PLC0415
    from mandate_metrics.upload.publishing import after_upload, diff  # noqa: PLC0415
    from mandate_metrics.upload.validation import validate_upload  # noqa: PLC0415

    data = load_all(DATA_DIR)
    others = {name: data.frame(name) for name in data}
    table = upload_files.frame(rows)
    published = validate_upload(
        "requests", "published.csv", upload_files.csv_bytes(table), max_bytes=10**10, others=others
    ).frame
    edited = table.copy()
    edited.loc[::1000, "status"] = "withdrawn"
    raw = upload_files.csv_bytes(edited.iloc[3:])
    report = validate_upload("requests", "edited.csv", raw, max_bytes=10**10, others=others)
    checks, compares = [], []
    for _ in range(runs + 1):
        start = time.perf_counter()
        validate_upload("requests", "edited.csv", raw, max_bytes=10**10, others=others)
        checks.append(time.perf_counter() - start)
        start = time.perf_counter()
        change = diff(published, after_upload(report, published), "requests")
        compares.append(time.perf_counter() - start)
    ours, base = harness.median(compares[1:]), harness.median(checks[1:])
    harness.record(
        harness.Measurement(
            name="upload preview: what changes",
            size=f"{rows:,} rows",
            ours=ours,
            baseline_name="validating the same file",
            baseline=base,
            unit="s",
            budget="< 2x the validation",
            met=ours < 2 * base,
            extra={"added": change.counts[0], "removed": change.counts[1], "changed": change.counts[2]},
        )
    )


def main() -> None:
    """Measure, then write the results (suite "validation")."""
    quick = "--quick" in sys.argv
    runs = 3
    with tempfile.TemporaryDirectory(prefix="mm-bench-validation-") as tmp:
        folder = Path(tmp)
        sizes = [(100_000, 10_000)] if quick else [(10_000, 1_000), (100_000, 10_000), (1_000_000, 10_000)]
        for rows, errors in sizes:
            for planted in (0, errors):
                bench_csv(folder, rows, planted, runs)
        for planted in (0, 10_000):
            bench_xlsx(folder, 100_000, planted, runs)
    bench_preview(100_000 if quick else 1_000_000, runs)
    harness.write("validation")


if __name__ == "__main__":
    main()
