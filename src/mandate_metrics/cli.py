"""The ``mandate-metrics`` command line, over the same functions the dashboard uses.

Exit codes: 0 success, 1 the data is invalid, 2 a usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from mandate_metrics import briefing, metrics
from mandate_metrics.config import load_config
from mandate_metrics.exports.deck import deck_bytes
from mandate_metrics.exports.pdf import PdfUnavailable, pdf_bytes
from mandate_metrics.loading import DatasetError, load_all, read_table
from mandate_metrics.metadata import MetadataError, refresh_sidecar
from mandate_metrics.sample import build_ledger
from mandate_metrics.schemas import SCHEMAS


def _seed(data_dir: Path) -> int:
    """Write the sample ledger CSVs, then refresh every sidecar's checksum and row count."""
    for name, frame in build_ledger().items():
        frame.to_csv(data_dir / f"{name}.csv", index=False, lineterminator="\n")
    return _refresh(data_dir)


def _refresh(data_dir: Path) -> int:
    for name in SCHEMAS:
        path = data_dir / f"{name}.csv"
        rows = len(read_table(path, name))
        meta = refresh_sidecar(path, rows)
        print(f"{name}: {rows} rows, version {meta.version}")
    return 0


def _check(data_dir: Path) -> int:
    datasets = load_all(data_dir)
    figures = metrics.reconcile(datasets.frame("published_figures"), datasets.frame("requests"))
    bad = figures[~figures["consistent"]]
    for row in bad.itertuples():
        print(
            f"published {row.figure_id} ({row.metric} {row.value:g} on {row.as_of:%Y-%m-%d}) "
            f"!= ledger {row.ledger_value}"
        )
    print(
        f"{len(datasets)} datasets valid; ledger reconciles with "
        f"{len(figures) - len(bad)} of {len(figures)} published figures"
    )
    return 1 if len(bad) else 0


def _figures(data_dir: Path, as_of: date | None) -> int:
    datasets = load_all(data_dir)
    day = as_of or datasets.latest_date
    head = metrics.headline(datasets.frame("requests"), day)
    print(f"as of {day.isoformat()} (illustrative sample ledger)")
    for metric in metrics.LEDGER_METRICS:
        print(f"  {metric}: {head.value(metric)}")
    return 0


def _export(data_dir: Path, kind: str, out: Path, as_of: date | None) -> int:
    """Write the deck or the PDF brief as of a date, as the public sees it."""
    data = load_all(data_dir)
    day = as_of or data.latest_date
    brief = briefing.build(data, day, role="public")
    if kind == "deck":
        out.write_bytes(deck_bytes(brief))
    else:
        try:
            out.write_bytes(pdf_bytes(brief, data, load_config().chromium))
        except PdfUnavailable as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    print(f"wrote {out} ({brief.stamp})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, separate so the README's usage can be checked against it."""
    parser = argparse.ArgumentParser(prog="mandate-metrics", description=__doc__)
    parser.add_argument("--data", type=Path, help="data folder (default: MANDATE_METRICS_DATA or data/)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("seed", help="regenerate the illustrative sample ledger and refresh sidecars")
    sub.add_parser("refresh-sidecars", help="recompute checksums and row counts after a deliberate edit")
    sub.add_parser("check", help="validate every dataset and reconcile the ledger with published figures")
    figures = sub.add_parser("figures", help="print the headline figures as of a date")
    figures.add_argument("--as-of", type=date.fromisoformat, help="YYYY-MM-DD (default: latest data)")
    export = sub.add_parser("export", help="write the briefing as a PowerPoint deck or a PDF brief")
    export.add_argument("kind", choices=["deck", "pdf"])
    export.add_argument("--out", type=Path, required=True, help="file to write (.pptx or .pdf)")
    export.add_argument("--as-of", type=date.fromisoformat, help="YYYY-MM-DD (default: latest data)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code."""
    args = build_parser().parse_args(argv)
    data_dir = args.data or load_config().data_dir
    try:
        if args.command == "seed":
            return _seed(data_dir)
        if args.command == "refresh-sidecars":
            return _refresh(data_dir)
        if args.command == "check":
            return _check(data_dir)
        if args.command == "export":
            return _export(data_dir, args.kind, args.out, args.as_of)
        return _figures(data_dir, args.as_of)
    except (DatasetError, MetadataError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
