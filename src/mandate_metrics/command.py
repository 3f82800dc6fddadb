"""The ``mandate-metrics`` program: starts parsing a workbook, then loads the command line.

Checking a workbook needs pandas, pandera and pyarrow, which take about a second to import;
calamine parses a 100,000-row sheet in about as long, without the GIL. Started here, before those
imports, the parse runs beside them: ``validate`` and ``publish`` of a workbook finish that much
sooner. Everything else is ``cli.main``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from mandate_metrics.upload import workbook

CHECKS = ("validate", "publish")  # the commands that read an upload


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command, a workbook it checks already being parsed; return its exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    named = workbook_named(args)
    started = workbook.start(*named) if named else None
    from mandate_metrics.cli import main as run  # noqa: PLC0415 - imported while the sheet is parsed

    return run(args, started=started)


def workbook_named(args: list[str]) -> tuple[Path, str | None] | None:
    """The workbook and sheet a ``validate`` or ``publish`` command names, read from its words alone.

    A guess made before the real parser is loaded: ``cli`` uses the early parse only if its own
    reading of the command names the same file and sheet.
    """
    if not any(word in CHECKS for word in args):
        return None
    books = [word for word in args if word.lower().endswith(".xlsx") and not word.startswith("-")]
    if len(books) != 1:
        return None
    sheet = None
    for at, word in enumerate(args):
        if word == "--sheet" and at + 1 < len(args):
            sheet = args[at + 1]
        elif word.startswith("--sheet="):
            sheet = word.split("=", 1)[1]
    return Path(books[0]), sheet
