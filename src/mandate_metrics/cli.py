"""The ``mandate-metrics`` command line, over the same functions the dashboard uses.

Exit codes: 0 success, 1 the data is invalid, 2 a usage error.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from mandate_metrics.auth import AccountError, add_account
from mandate_metrics.config import ConfigError, load_config
from mandate_metrics.i18n import DEFAULT_LOCALE, LANGUAGES, _, ngettext, speaking, speaking_now, t
from mandate_metrics.loading import (
    DatasetError,
    Datasets,
    FramesWhenLoaded,
    load_all,
    load_from_store,
    read_table,
)
from mandate_metrics.metadata import MetadataError, refresh_sidecar
from mandate_metrics.schemas import SCHEMAS
from mandate_metrics.store import StoreError, VersionedStore, open_store
from mandate_metrics.text import visible
from mandate_metrics.upload.validation import ID_COLUMNS, REFERENCES, Report, validate_upload
from mandate_metrics.upload.workbook import Started

if TYPE_CHECKING:
    import pandas as pd

    from mandate_metrics.figures.record import Figure, View

# The charts, the briefing, the deck and PDF writers and the sample generator are imported by the
# commands that use them: `validate` and `publish` start in a third of the time without them.


def _seed(data_dir: Path) -> int:
    """Write the sample ledger and the ECB conversions of contributions; refresh every sidecar."""
    from mandate_metrics.figures.currency import convert_published  # noqa: PLC0415
    from mandate_metrics.sample import build_ledger  # noqa: PLC0415

    for name, frame in build_ledger().items():
        frame.to_csv(data_dir / f"{name}.csv", index=False, lineterminator="\n")
    path = data_dir / "contributions.csv"
    converted = convert_published(read_table(path, "contributions"))
    converted.to_csv(path, index=False, lineterminator="\n", date_format="%Y-%m-%d")
    return _refresh(data_dir)


def _refresh(data_dir: Path) -> int:
    for name in SCHEMAS:
        path = data_dir / f"{name}.csv"
        rows = len(read_table(path, name))
        meta = refresh_sidecar(path, rows)
        print(f"{name}: {rows} rows, version {meta.version}")
    return 0


def _current(args: argparse.Namespace, data_dir: Path) -> Datasets:
    """The store's current datasets: what the dashboard shows (seeded from ``data_dir`` if new)."""
    return load_from_store(_store(args), data_dir)


def _check(args: argparse.Namespace, data_dir: Path) -> int:
    from mandate_metrics.figures import metrics  # noqa: PLC0415

    load_all(data_dir)  # the shipped files: schema, sidecar and checksum
    datasets = _current(args, data_dir)
    figures = metrics.reconcile(datasets.frame("published_figures"), datasets.frame("requests"))
    bad = figures[~figures["consistent"]]
    for row in bad.itertuples():
        print(
            f"published {row.figure_id} ({row.metric} {row.value:g} on {row.as_of:%Y-%m-%d}) "
            f"!= ledger {row.ledger_value}"
        )
    print(
        f"{len(datasets)} datasets valid (data version {datasets.version}); ledger reconciles with "
        f"{len(figures) - len(bad)} of {len(figures)} published figures"
    )
    return 1 if len(bad) else 0


def _view(datasets: Datasets, asked: str | None) -> View:
    from mandate_metrics.figures.record import default_view  # noqa: PLC0415

    if asked is None:
        return default_view(datasets["requests"].meta.is_illustrative)
    return "record" if asked == "record" else "ledger"


def _figures(args: argparse.Namespace, data_dir: Path) -> int:
    from mandate_metrics.figures import metrics  # noqa: PLC0415
    from mandate_metrics.figures.record import evidence_of, view_name  # noqa: PLC0415

    datasets = _current(args, data_dir)
    day = args.as_of or datasets.latest_date
    view = _view(datasets, args.view)
    evidence = evidence_of(datasets, view)
    lang = speaking_now()
    print(
        _(
            "figures as of {day} · data version {version} · {view}",
            day=day.isoformat(),
            version=datasets.version,
            view=view_name(datasets, view, lang),
        )
    )
    for metric in metrics.LEDGER_METRICS:
        figure = evidence.figure(metric, day)
        print(f"  {metric}: {_plain(figure)}")
    return 0


def _plain(figure: Figure | None) -> str:
    """A figure with its provenance, for a terminal: value, date, marking, source or version."""
    if figure is None:
        return "not published"
    value = {"lower_bound": "more than ", "approx": "about "}.get(figure.qualifier, "") + f"{figure.value:g}"
    if figure.provenance == "published":
        return f"{value} (published {figure.on.isoformat()}: {figure.source_title})"
    return f"{value} ({figure.provenance}, {figure.dataset_version})"


def _export(args: argparse.Namespace, data_dir: Path) -> int:
    """Write the deck or the PDF brief as of a date, as the public sees it, from the store."""
    from mandate_metrics import briefing  # noqa: PLC0415
    from mandate_metrics.exports.deck import deck_bytes  # noqa: PLC0415
    from mandate_metrics.exports.pdf import PdfUnavailable, pdf_bytes, start_printer  # noqa: PLC0415

    if args.kind == "pdf":
        start_printer(load_config().chromium)
    data = _current(args, data_dir)
    day = args.as_of or data.latest_date
    lang = speaking_now()
    brief = briefing.build(
        data,
        day,
        role="public",
        locale=lang,
        view=_view(data, args.view),
        public_url=load_config().public_url,
    )
    if args.kind == "deck":
        args.out.write_bytes(deck_bytes(brief, lang))
    else:
        try:
            args.out.write_bytes(pdf_bytes(brief, load_config().chromium, lang))
        except PdfUnavailable as exc:
            _error(exc)
            return 1
    print(_("wrote {path} ({stamp})", path=args.out, stamp=brief.stamp))
    return 0


def _store(args: argparse.Namespace) -> VersionedStore:
    return _open(args.store or load_config().store)


def _open(location: str) -> VersionedStore:
    """The store at ``location``; an existing file named as a store is a usage error (exit 2)."""
    if not str(location).startswith("s3://") and Path(location).is_file():
        raise UsageError(
            _("{path} is a file; name a folder (or s3://BUCKET/PREFIX) for the store", path=location)
        )
    return open_store(location)


def _validate_file(
    args: argparse.Namespace, data_dir: Path
) -> tuple[Report, VersionedStore, pd.DataFrame | None, int]:
    """Check the file; print its notices, its problems or what publishing it would change.

    Returns the report, the store, the dataset as it would be after publishing (None if the file
    has problems) and the number of published rows it would remove.
    """
    store = _store(args)
    path = Path(args.file)
    if not path.is_file():
        raise UsageError(_("{path}: no such file", path=path))
    needed = ({target for _, target, _ in REFERENCES.get(args.dataset, ())} | {args.dataset}) & set(SCHEMAS)
    started: Started | None = getattr(args, "started", None)
    if started is not None and (started.path != path or started.sheet != args.sheet):
        started = None  # the early guess read another file or sheet: this one is read as usual
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="store") as pool:
        loading = pool.submit(load_from_store, store, data_dir, needed)
        report = validate_upload(
            args.dataset,
            path.name,
            started.data if started else path.read_bytes(),
            max_bytes=load_config().max_upload_bytes,
            sheet=args.sheet,
            others=FramesWhenLoaded(loading, needed),
            parsed=started.parsed if started else None,
        )
        current = loading.result()  # a damaged store is said even when the file had problems
    for notice in report.notices:
        print(visible(_("notice: {notice}", notice=notice)))
    if report.problems:
        print(
            visible(
                ngettext(
                    "{file}: {n} problem; nothing was published",
                    "{file}: {n} problems; nothing was published",
                    len(report.problems),
                    file=path.name,
                )
            )
        )
        print("\n".join(visible(line) for line in _problem_lines(report)))
        return report, store, None, 0
    from mandate_metrics.upload import publishing  # noqa: PLC0415 - it brings the metrics along

    published = current.frame(args.dataset)
    after = publishing.after_upload(report, published)
    change = publishing.diff(published, after, args.dataset)
    whole = publishing.is_whole_table(report, published)
    print(visible(_("{file}: valid.", file=path.name) + " " + publishing.summary(change, len(published))))
    print(visible(t("data.read_whole" if whole else "data.read_rows")))
    key = ID_COLUMNS[args.dataset]
    changed = [
        f"  ~ {r[0]}  {r[1]}: {_cell(r[2])} → {_cell(r[3])}"
        for r in change.changed.head(LISTED).itertuples(index=False)
    ]
    for lines, total in (
        (changed, len(change.changed)),
        ([f"  + {ident}" for ident in change.added[key].head(LISTED)], len(change.added)),
        ([f"  - {ident}" for ident in change.removed[key].head(LISTED)], len(change.removed)),
    ):
        print("\n".join(visible(line) for line in lines) if lines else "", end="\n" if lines else "")
        if total > LISTED:
            print(_("  … and {n} more", n=f"{total - LISTED:,}"))
    return report, store, after, len(change.removed)


LISTED = 50  # rows listed per kind of change; the counts above are complete


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return text.replace("\r\n", LINE_BREAK).replace("\n", LINE_BREAK).replace("\r", LINE_BREAK)


LINE_BREAK = "⏎"  # a cell's line break, shown: a problem stays on one line of the terminal


def _problem_lines(report: Report) -> list[str]:
    """The report as aligned text, a problem a line (pandas' to_string took 0.3 s for 10,000)."""
    # straight from the problems, not through a DataFrame (a cell's line breaks shown as one symbol)
    cells = [
        report.headings(),
        *(
            ["" if p.row is None else str(p.row), *(_cell(v) for v in (p.column, p.value, p.problem, p.fix))]
            for p in report.ordered()
        ),
    ]
    # a value is cut at 40 characters; the problem is read whole (up to 100), and the fix is last
    limits = [40] * (len(cells[0]) - 2) + [100]
    widths = [min(limit, max(len(str(row[i])) for row in cells)) for i, limit in enumerate(limits)]
    return [
        "  ".join(
            [str(row[0]).rjust(widths[0])]
            + [str(v)[:w].ljust(w) for v, w in zip(row[1:-1], widths[1:], strict=True)]
            + [str(row[-1])]
        )
        for row in cells
    ]


def _publish(args: argparse.Namespace, data_dir: Path) -> int:
    report, store, after, removed = _validate_file(args, data_dir)
    if after is None:
        return 1
    if args.dry_run:
        print(_("dry run: nothing was published"))
        return 0
    if removed and not args.remove_rows:
        _error(
            ngettext(
                "publishing this file would remove {n} published row (listed above): add --remove-rows "
                "to confirm, or upload the rows to add or change only",
                "publishing this file would remove {n} published rows (listed above): add --remove-rows "
                "to confirm, or upload the rows to add or change only",
                removed,
            )
        )
        return 1
    from mandate_metrics.upload import publishing  # noqa: PLC0415 - it brings the metrics along

    declared = "official" if args.official else "illustrative"
    current = store.current(args.dataset)
    try:
        version = publishing.publish(
            store,
            report,
            "staff",
            by=args.by,
            note=args.note,
            append=False,
            declared=declared,
            reviewed=current.version if current else None,  # what the summary above compared with
            frame=after,
        )
    except publishing.PublishRefused as exc:
        _error(exc)
        return 1
    print(
        _(
            "published {dataset} {version} ({declared}): {rows} rows, sha256 {sha}",
            dataset=args.dataset,
            version=version.version,
            declared=declared,
            rows=version.rows,
            sha=version.sha256[:12],
        )
    )
    return 0


def _history(args: argparse.Namespace) -> int:
    store = _store(args)
    for problem in store.problems():
        print(
            _("warning: {problem} is incomplete and skipped; run `mandate-metrics repair`", problem=problem)
        )
    current = store.current(args.dataset)
    outcomes = store.outcomes(args.dataset)
    for v in store.history(args.dataset):
        mark = "*" if current and v.version == current.version else " "
        never = {"not_current": _("never current: someone published first"), "stopped": _("never current")}
        how = f"{v.mode} ({never[outcomes[v.version]]})" if outcomes[v.version] in never else v.mode
        what = f"{how:<8} {v.declared or 'shipped':<12} {v.rows:>6} rows  {v.original_name}  {v.note}"
        print(visible(f"{mark} {v.version}  {v.created_at}  {v.by:<12} {what}"))  # names and notes: inert
    return 0


def _audit_disclosure(args: argparse.Namespace, data_dir: Path) -> int:
    """The public tables of the current data, audited; one line per cell a reader can narrow too far."""
    from mandate_metrics.figures import disclosure_audit, linked  # noqa: PLC0415

    data = _current(args, data_dir)
    tables = linked.of(data)
    columns = list(tables.grids)
    grids = [tables.grids[c] for c in columns]
    patterns = (
        [linked.each_date(g) for g in grids] if args.per_date else [tables.patterns[c] for c in columns]
    )
    findings = disclosure_audit.audit(grids, patterns)
    cells = sum(len(disclosure_audit.withheld(g, p)) for g, p in zip(grids, patterns, strict=True))
    for block, finding in findings:
        print(visible(finding.describe(grids[block])))
    print(  # an auditor's report: in English, as the store's messages are
        f"{len(tables.dates)} reference dates ({tables.dates[0]} to {tables.dates[-1]}), "
        f"{cells} withheld cells over {', '.join(columns)}: "
        + (
            f"{len(findings)} can be narrowed too far"
            if findings
            else "none can be narrowed to fewer than "
            f"{disclosure_audit.MIN_VALUES} values or to counts of 1-4"
        )
    )
    return 1 if findings else 0


def _repair(args: argparse.Namespace) -> int:
    store = _store(args)
    done = store.repair()
    for line in done:
        print(line)
    print(
        _("nothing to repair")
        if not done
        else ngettext(
            "{n} repair; it is in the audit log", "{n} repairs; each is in the audit log", len(done)
        )
    )
    damage = store.damage()  # what no repair can mend: data changed under a version
    for line in damage:
        _error(line)
    return 1 if damage else 0


def _rollback(args: argparse.Namespace) -> int:
    from mandate_metrics.upload import publishing  # noqa: PLC0415

    try:
        version = publishing.rollback(_store(args), "staff", args.dataset, args.version, by=args.by)
    except publishing.PublishRefused as exc:
        _error(exc)
        return 1
    print(
        _(
            "{dataset}: {version} is current again, as {new}",
            dataset=args.dataset,
            version=args.version,
            new=version.version,
        )
    )
    return 0


def _store_copy(args: argparse.Namespace) -> int:
    from mandate_metrics.store import check_apart, copy_store  # noqa: PLC0415

    check_apart(str(args.source), str(args.target))  # before opening: opening a folder creates it
    copied = copy_store(_open(args.source), _open(args.target))
    print(  # an operator's command: in English, as the store's own messages are
        f"copied {copied.versions} versions ({copied.data_bytes} bytes), {copied.current} current "
        f"pointers and {copied.audit_events} audit events from {args.source} to {args.target}; "
        "read back: the same history, pointers and audit, and every sha256 matches"
    )
    return 0


def _add_staff(args: argparse.Namespace) -> int:
    path = load_config().staff_file
    if args.password_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(_("Password for {name}: ", name=args.name))
        if getpass.getpass(_("Again: ")) != password:
            _error(_("the two passwords differ"))
            return 1
    add_account(path, args.name, password)
    print(_("staff account {name} saved in {path}", name=args.name, path=path))
    return 0


class UsageError(ValueError):
    """The command was called wrongly (exit code 2)."""


def _error(problem: object) -> None:
    print(_("error: {problem}", problem=problem), file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, separate so the README's usage can be checked against it."""
    parser = argparse.ArgumentParser(prog="mandate-metrics", description=__doc__)
    parser.add_argument("--data", type=Path, help="data folder (default: MANDATE_METRICS_DATA or data/)")
    parser.add_argument(
        "--store", help="store: a folder or s3://BUCKET/PREFIX (default: MANDATE_METRICS_STORE or store/)"
    )
    parser.add_argument(
        "--lang",
        choices=list(LANGUAGES),
        help="language of messages, the deck and the PDF (default: MANDATE_METRICS_LOCALE or en)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("seed", help="regenerate the illustrative sample ledger and refresh sidecars")
    sub.add_parser("refresh-sidecars", help="recompute checksums and row counts after a deliberate edit")
    sub.add_parser("check", help="validate every dataset and reconcile the ledger with published figures")
    figures = sub.add_parser("figures", help="print the headline figures as of a date, with provenance")
    export = sub.add_parser("export", help="write the briefing as a PowerPoint deck or a PDF brief")
    export.add_argument("kind", choices=["deck", "pdf"])
    export.add_argument("--out", type=Path, required=True, help="file to write (.pptx or .pdf)")
    for command in (figures, export):
        command.add_argument("--as-of", type=date.fromisoformat, help="YYYY-MM-DD (default: latest data)")
        command.add_argument(
            "--view",
            choices=["record", "sample", "official"],
            help="record: published figures only; sample or official: the request ledger "
            "(default: the record while the ledger is illustrative)",
        )
    datasets = list(SCHEMAS)
    validate = sub.add_parser("validate", help="check a CSV/XLSX file for a dataset; exit 0 valid, 1 invalid")
    publish = sub.add_parser("publish", help="validate a file and publish it as the dataset's new version")
    for command in (validate, publish):
        command.add_argument("dataset", choices=datasets)
        command.add_argument("file")
        command.add_argument("--sheet", help="for a workbook: the sheet to read (default: the first)")
    publish.add_argument(
        "--by", required=True, help="who is publishing (recorded in the version and audit log)"
    )
    publish.add_argument("--note", default="", help="why: recorded with the version")
    publish.add_argument(
        "--dry-run", action="store_true", help="check the file and show what would change; publish nothing"
    )
    publish.add_argument(
        "--remove-rows",
        action="store_true",
        help="confirm that published rows the file leaves out are removed (they are listed first)",
    )
    what = publish.add_mutually_exclusive_group(required=True)
    what.add_argument("--official", action="store_true", help="the file is the IIIM's official data")
    what.add_argument(
        "--illustrative",
        action="store_true",
        help="the file is sample data: every value is marked illustrative",
    )
    history = sub.add_parser("history", help="list a dataset's versions; * marks the current one")
    history.add_argument("dataset", choices=datasets)
    rollback = sub.add_parser(
        "rollback", help="make an earlier version current again (recorded as a new version)"
    )
    rollback.add_argument("dataset", choices=datasets)
    rollback.add_argument("version", help="for example v0002")
    rollback.add_argument("--by", required=True)
    sub.add_parser("repair", help="set aside what a crash left in the store (also done when the app starts)")
    audit = sub.add_parser(
        "audit-disclosure",
        help="try every withheld cell of the public tables against everything public (linear programs); "
        "exit 1 if any can be narrowed to fewer than four values or to counts of 1-4",
    )
    audit.add_argument(
        "--per-date",
        action="store_true",
        help="audit the old rule (each date protected on its own) instead, to see what it gave away",
    )
    store = sub.add_parser("store", help="work on a whole store")
    store_sub = store.add_subparsers(dest="store_command", required=True)
    copy = store_sub.add_parser(
        "copy", help="copy every version, pointer and audit event to an empty store, then verify checksums"
    )
    copy.add_argument("source", help="a folder or s3://BUCKET/PREFIX")
    copy.add_argument("target", help="an empty folder or s3://BUCKET/PREFIX")
    staff = sub.add_parser("add-staff", help="create or reset a staff account (password read without echo)")
    staff.add_argument("name")
    staff.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    return parser


def main(argv: Sequence[str] | None = None, *, started: Started | None = None) -> int:
    """Run one command; return its exit code.

    ``started`` is a workbook already being parsed (``command.main``), used if the command checks
    that same file and sheet.
    """
    args = build_parser().parse_args(argv)
    args.started = started
    with speaking(args.lang or _configured_language()):
        return _run(args)


def _configured_language() -> str:
    try:
        return load_config().locale
    except ConfigError:  # reported in the default language by the command itself
        return DEFAULT_LOCALE


def _run(args: argparse.Namespace) -> int:
    try:
        data_dir = args.data or load_config().data_dir
        if args.command == "seed":
            return _seed(data_dir)
        if args.command == "refresh-sidecars":
            return _refresh(data_dir)
        if args.command == "check":
            return _check(args, data_dir)
        if args.command == "export":
            return _export(args, data_dir)
        if args.command == "validate":
            return 0 if _validate_file(args, data_dir)[0].ok else 1
        if args.command == "publish":
            return _publish(args, data_dir)
        if args.command == "history":
            return _history(args)
        if args.command == "rollback":
            return _rollback(args)
        if args.command == "audit-disclosure":
            return _audit_disclosure(args, data_dir)
        if args.command == "repair":
            return _repair(args)
        if args.command == "store":
            return _store_copy(args)
        if args.command == "add-staff":
            return _add_staff(args)
        return _figures(args, data_dir)
    except UsageError as exc:
        _error(exc)
        return 2
    except (
        DatasetError,
        MetadataError,
        StoreError,
        AccountError,
        ConfigError,
    ) as exc:
        _error(exc)
        return 1
    except OSError as exc:  # a read-only or full store, a missing folder: a message, not a traceback
        where = f" ({exc.filename})" if exc.filename else ""
        _error(_("{problem}{where}; nothing was changed", problem=exc.strerror or exc, where=where))
        return 1


if __name__ == "__main__":
    sys.exit(main())
