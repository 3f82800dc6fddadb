"""What a determined reader could work out from everything public: the disclosure auditor.

The public sees the jurisdiction and region tables at every reference date, the headline totals
at every date, and knows that the counts are cumulative (they never go down), that a row is
listed once its jurisdiction has a request, that a pooled row of undisclosed jurisdictions counts
at least one request for each of them, and that no row supports more requests (or relates to more
investigations) than it received. For every withheld cell the auditor solves two linear programs
over all of that at once (HiGHS, through highspy: one model, re-solved warm for each cell) — the
lowest and the highest value the cell can take — so differencing neighbouring dates, subtracting
rows from totals and chains of both are all covered. A cell fails when fewer than four values
remain possible, or when every value that remains is a small count (1 to 4).
"""

from __future__ import annotations

import datetime
import math
import os
import sys
from dataclasses import dataclass
from functools import cached_property

import highspy
import numpy as np


def _quietly_started() -> None:
    """Start HiGHS once with standard output closed: its first model prints a banner there.

    The banner would land in the command line's report and in the server's log.
    """
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            highspy.Highs()  # type: ignore[no-untyped-call]
    finally:
        os.dup2(saved, 1)
        os.close(saved)


_quietly_started()
MIN_VALUES = 4  # a withheld cell must keep at least this many possible values ...
SMALL = range(1, 5)  # ... and not only small counts


@dataclass(frozen=True)
class Grid:
    """One count column of the disaggregated tables, at every reference date, as the truth holds it.

    Rows are the public rows (named jurisdictions, and one pooled row per region for those not
    named); ``region_of`` maps each to its region. Arrays are [row or region, date].
    """

    column: str
    dates: tuple[datetime.date, ...]
    rows: tuple[str, ...]
    region_of: tuple[int, ...]
    regions: tuple[str, ...]
    values: np.ndarray  # true counts per row and date (0 where the row is not listed)
    present: np.ndarray  # whether the row is listed at that date
    floor: np.ndarray  # the least a listed row can hold (its jurisdictions, one request each)
    totals: np.ndarray  # the headline total per date (always public)

    @cached_property
    def region_values(self) -> np.ndarray:
        """Each region's total per date: the sum of its rows (worked out once per grid)."""
        out = np.zeros((len(self.regions), len(self.dates)), dtype=int)
        for row, region in enumerate(self.region_of):
            out[region] += self.values[row]
        return out


@dataclass(frozen=True)
class Pattern:
    """Which cells the public does not see: [row, date] and [region, date]."""

    rows: np.ndarray
    regions: np.ndarray


@dataclass(frozen=True)
class Finding:
    """A withheld cell whose possible values a reader can narrow too far."""

    kind: str  # "row" or "region"
    index: int
    date: int
    low: int
    high: int
    true: int

    def describe(self, grid: Grid) -> str:
        """In words, for the command line."""
        name = grid.rows[self.index] if self.kind == "row" else grid.regions[self.index]
        return (
            f"{grid.column}, {name}, {grid.dates[self.date]}: a reader can tell it is between "
            f"{self.low} and {self.high} (it is {self.true})"
        )


def _fails(low: int, high: int) -> bool:
    return high - low + 1 < MIN_VALUES or (low >= SMALL.start and high < SMALL.stop)


def _model(grids: list[Grid], patterns: list[Pattern]) -> highspy.Highs:
    """Everything public as one linear program over x[column, row, date]; the objective is set per cell.

    Shown cells are fixed by their bounds, unlisted rows are zero, listed withheld rows are at least
    their floor; every date's rows add up to the headline, every shown region total to its rows,
    each row never goes down from one date to the next, and (the first grid being requests
    received) no row supports more requests, or relates to more investigations, than it received.
    """
    model = highspy.Highs()  # type: ignore[no-untyped-call]
    model.silent()
    n_rows, n_dates = grids[0].values.shape
    size = n_rows * n_dates

    def add(indices: list[int], coefficients: list[float], lower: float, upper: float) -> None:
        model.addRow(
            lower, upper, len(indices), np.array(indices, dtype=np.int32), np.array(coefficients, dtype=float)
        )

    for block, (grid, pattern) in enumerate(zip(grids, patterns, strict=True)):
        base = block * size
        low, high = np.zeros(size), np.full(size, highspy.kHighsInf)
        for row in range(n_rows):
            for date in range(n_dates):
                i = row * n_dates + date
                if not grid.present[row, date]:
                    high[i] = 0.0
                elif not pattern.rows[row, date]:
                    low[i] = high[i] = float(grid.values[row, date])
                else:
                    low[i] = float(grid.floor[row, date])
        model.addVars(size, low, high)
        region_values = grid.region_values
        for date in range(n_dates):
            total = float(grid.totals[date])
            add([base + r * n_dates + date for r in range(n_rows)], [1.0] * n_rows, total, total)
            for region in range(len(grid.regions)):
                if not pattern.regions[region, date]:
                    members = [base + r * n_dates + date for r, g in enumerate(grid.region_of) if g == region]
                    value = float(region_values[region, date])
                    add(members, [1.0] * len(members), value, value)
        for i in range(size):  # cumulative: a count never goes down; within the received, if not the first
            if (i + 1) % n_dates:
                add([base + i, base + i + 1], [1.0, -1.0], -highspy.kHighsInf, 0.0)
            if block:
                add([base + i, i], [1.0, -1.0], -highspy.kHighsInf, 0.0)
    return model


Cell = tuple[str, int, int]  # ("row" or "region", index, date)


def withheld(grid: Grid, pattern: Pattern) -> set[Cell]:
    """Every withheld cell of a listed row or region."""
    rows = {("row", int(r), int(d)) for r, d in zip(*np.nonzero(pattern.rows & grid.present), strict=True)}
    return rows | {("region", int(g), int(d)) for g, d in zip(*np.nonzero(pattern.regions), strict=True)}


def audit(
    grids: list[Grid], patterns: list[Pattern], only: list[set[Cell]] | None = None
) -> list[tuple[int, Finding]]:
    """Every withheld cell a reader can narrow to fewer than four values, or to small counts only.

    The grids are the count columns of the same tables (requests received first), audited as one:
    what one column shows can narrow another. ``only`` limits the audit, per grid, to those cells:
    withholding more only widens what a reader can say about the others, so a cell that passed
    stays passed (the protection relies on it). Returns each finding with its grid's index.
    """
    model = _model(grids, patterns)
    n_rows, n_dates = grids[0].values.shape
    size = n_rows * n_dates
    everything = np.arange(size * len(grids), dtype=np.int32)
    found = []
    for block, (grid, pattern) in enumerate(zip(grids, patterns, strict=True)):
        region_values = grid.region_values
        cells = sorted(withheld(grid, pattern) if only is None else only[block] & withheld(grid, pattern))
        for kind, index, date in cells:
            members = [index] if kind == "row" else [r for r, g in enumerate(grid.region_of) if g == index]
            cost = np.zeros(size * len(grids))
            cost[[block * size + r * n_dates + date for r in members]] = 1.0
            model.changeColsCost(len(everything), everything, cost)
            low = math.ceil(_solve(model, highspy.ObjSense.kMinimize) - 1e-6)
            high = math.floor(_solve(model, highspy.ObjSense.kMaximize) + 1e-6)
            if _fails(low, high):
                true = grid.values[index, date] if kind == "row" else region_values[index, date]
                found.append((block, Finding(kind, index, date, low, high, int(true))))
    return found


def _solve(model: highspy.Highs, sense: highspy.ObjSense) -> float:
    model.changeObjectiveSense(sense)
    model.run()
    if model.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        # the truth satisfies every constraint, so this is a bug, never a pass
        raise RuntimeError(f"the disclosure audit's program could not be solved: {model.getModelStatus()}")
    return float(model.getInfo().objective_function_value)
