"""Jurisdiction and region tables for the public: only at reference dates, protected as one.

Each date's tables used to be protected on their own, but anyone can open the day before: with
the headline total always shown and counts only growing, neighbouring dates solved withheld
cells exactly (Jurisdiction G = 26 - 24 - 1). So the public gets these tables only at fixed
reference dates (quarter ends, and the days the IIIM presented figures), and the suppression is
chosen over all of them together: start from each date's own rule (small counts and their
complements, ``disclosure.withheld_cells``), then let the auditor (``disclosure_audit``) try
every withheld cell against everything public and withhold more wherever it narrows one too far,
until none does. A date between reference dates shows the reference date before it.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import pandas as pd

from mandate_metrics.figures import disclosure, metrics
from mandate_metrics.figures.disclosure import COUNT_COLUMNS, SUPPRESSED, PublicTables, Unprotectable
from mandate_metrics.figures.disclosure_audit import Cell, Finding, Grid, Pattern, audit
from mandate_metrics.loading import Datasets

logger = logging.getLogger(__name__)
MAX_ROUNDS = 400  # each round withholds at least one more cell: a bound, never reached in practice
FREQUENCY = "YE"  # reference dates: year ends (quarter ends linked 40 dates and withheld 65 % of cells)
POOLED = "pooled:"  # the row key of a region's undisclosed jurisdictions


def reference_dates(first: date, last: date, presented: list[date]) -> list[date]:
    """Year ends from the first request on, the days figures were presented, and the latest day.

    The latest day is the later of the ledger's last request and the last presentation.
    """
    end = max([last, *presented])
    years = pd.date_range(pd.Timestamp(first), pd.Timestamp(end), freq=FREQUENCY).date.tolist()
    return sorted({*years, *(d for d in presented if first <= d), end})


def reference_before(dates: list[date], as_of: date) -> date | None:
    """The reference date a page shows for ``as_of``: the last one on or before it."""
    before = [d for d in dates if d <= as_of]
    return before[-1] if before else None


def _row_key(row: pd.Series) -> str:
    return str(row["jurisdiction_id"]) if row["disclose_name"] else POOLED + str(row["region"])


def grids(requests: pd.DataFrame, jurisdictions: pd.DataFrame, dates: list[date]) -> dict[str, Grid]:
    """The truth behind the public tables at every reference date, one grid per count column."""
    per = {d: metrics.by_jurisdiction(requests, jurisdictions, d) for d in dates}
    keys = sorted({_row_key(row) for frame in per.values() for _, row in frame.iterrows()})
    regions = sorted({str(r) for frame in per.values() for r in frame["region"]})
    region_of = tuple(
        regions.index(k.removeprefix(POOLED))
        if k.startswith(POOLED)
        else regions.index(str(jurisdictions.set_index("jurisdiction_id").loc[k, "region"]))
        for k in keys
    )
    shape = (len(keys), len(dates))
    found = {}
    for column in COUNT_COLUMNS:
        values, present, floor = np.zeros(shape, int), np.zeros(shape, bool), np.zeros(shape, int)
        for k, day in enumerate(dates):
            frame = per[day].assign(key=[_row_key(r) for _, r in per[day].iterrows()])
            grouped = frame.groupby("key").agg(value=(column, "sum"), members=("jurisdiction_id", "size"))
            for key, row in grouped.iterrows():
                i = keys.index(str(key))
                values[i, k], present[i, k] = int(row["value"]), True
                floor[i, k] = int(row["members"]) if column == "requests_received" else 0
        found[column] = Grid(
            column=column,
            dates=tuple(dates),
            rows=tuple(keys),
            region_of=region_of,
            regions=tuple(regions),
            values=values,
            present=present,
            floor=floor,
            totals=values.sum(axis=0),
        )
    return found


def each_date(grid: Grid) -> Pattern:
    """Every date's own rule: small counts, and enough beside them that no sum gives one away."""
    rows, regions = np.zeros(grid.values.shape, bool), np.zeros((len(grid.regions), len(grid.dates)), bool)
    region_values = grid.region_values
    for k in range(len(grid.dates)):
        listed = np.nonzero(grid.present[:, k])[0]
        if not len(listed):
            continue
        used = sorted({grid.region_of[i] for i in listed})
        child = grid.values[listed, k]
        try:
            child_mask, region_mask = disclosure.withheld_cells(
                child, [used.index(grid.region_of[i]) for i in listed], region_values[used, k]
            )
        except Unprotectable:
            child_mask, region_mask = [True] * len(listed), [True] * len(used)
        rows[listed, k] = child_mask
        regions[used, k] = region_mask
    return Pattern(rows=rows, regions=regions)


def _widen(grid: Grid, pattern: Pattern, finding: Finding) -> Cell:
    """Withhold one more published cell that constrains ``finding``; return it.

    First the nearest shown value of the same row (or region) in time — a later value caps a
    cumulative count from above, an earlier one from below — then the cells of its own sum at that
    date, then the other regions' totals and rows (the headline ties them all together).

    Raises:
        NoTableAt: nothing is left to withhold: the date's totals alone give a count away.
    """
    k = finding.date
    region = grid.region_of[finding.index] if finding.kind == "row" else finding.index
    later, earlier = range(k + 1, len(grid.dates)), range(k - 1, -1, -1)
    kind = finding.kind
    options: list[Cell] = [(kind, finding.index, d) for d in later] + [
        (kind, finding.index, d) for d in earlier
    ]
    options += [("row", r, k) for r, g in enumerate(grid.region_of) if g == region and r != finding.index]
    options += [("region", region, k)]
    options += [("region", g, k) for g in range(len(grid.regions)) if g != region]
    options += [("row", r, k) for r, g in enumerate(grid.region_of) if g != region]
    region_values = grid.region_values
    for option in options:
        what, i, d = option
        if what == "row" and grid.present[i, d] and not pattern.rows[i, d] and grid.values[i, d] > 0:
            pattern.rows[i, d] = True
            return option
        if what == "region" and region_values[i, d] > 0 and not pattern.regions[i, d]:
            pattern.regions[i, d] = True
            return option
    raise NoTableAt(finding.date)


class NoTableAt(Unprotectable):
    """Even with every cell withheld, the totals give a count away at this date: no table there."""

    def __init__(self, date_index: int) -> None:
        super().__init__(f"no table can be shown at reference date {date_index}")
        self.date_index = date_index


def protect(found: dict[str, Grid]) -> tuple[dict[str, Grid], dict[str, Pattern]]:
    """The withheld cells of every column: each date's rule, widened until the auditor finds nothing.

    Withholding a cell only widens what a reader can say about the others, so each round audits
    only the cells that failed the last one and the cells it withheld. A date whose tables nothing
    can protect is taken out of every column (the reader then knows less, never more).
    """
    columns = list(found)
    patterns = {c: each_date(found[c]) for c in columns}
    pending: list[set[Cell]] | None = None  # the first round audits every withheld cell
    for _ in range(MAX_ROUNDS):
        findings = audit([found[c] for c in columns], [patterns[c] for c in columns], pending)
        if not findings:
            return found, patterns
        pending = [
            {(f.kind, f.index, f.date) for b, f in findings if b == block} for block in range(len(columns))
        ]
        try:
            for block, finding in findings:
                column = columns[block]
                pending[block].add(_widen(found[column], patterns[column], finding))
        except NoTableAt as dropped:
            k = dropped.date_index
            logger.info(
                "no public table at %s: the totals alone give a count away", found[columns[0]].dates[k]
            )
            for column in columns:
                found[column], patterns[column] = _without(found[column], patterns[column], k)
            # the reader now knows less: what passed still passes; the rest is audited again
            pending = [{(w, i, d - (d > k)) for w, i, d in cells if d != k} for cells in pending]
    raise Unprotectable(f"no protection found in {MAX_ROUNDS} rounds")


def _without(grid: Grid, pattern: Pattern, k: int) -> tuple[Grid, Pattern]:
    """The grid and its pattern with reference date ``k`` taken out (its tables are not offered)."""
    keep = [d for d in range(len(grid.dates)) if d != k]
    smaller = replace(
        grid,
        dates=tuple(grid.dates[d] for d in keep),
        values=grid.values[:, keep],
        present=grid.present[:, keep],
        floor=grid.floor[:, keep],
        totals=grid.totals[keep],
    )
    return smaller, Pattern(rows=pattern.rows[:, keep].copy(), regions=pattern.regions[:, keep].copy())


@dataclass(frozen=True)
class LinkedTables:
    """The public's jurisdiction and region tables at every reference date, protected together."""

    dates: list[date]
    grids: dict[str, Grid]
    patterns: dict[str, Pattern]
    names: dict[str, str]  # row key -> jurisdiction name (named rows)
    counts: dict[date, dict[str, int]]  # date -> region -> jurisdictions listed

    def at(self, day: date, undisclosed_label: str) -> PublicTables:
        """The tables at reference date ``day`` as the public sees them (``{region}`` in the label)."""
        k = self.dates.index(day)
        grid = self.grids[COUNT_COLUMNS[0]]
        rows = [i for i in range(len(grid.rows)) if grid.present[i, k]]
        used = sorted({grid.region_of[i] for i in rows})
        jurisdictions = pd.DataFrame(
            {
                "name": [self._name(grid.rows[i], undisclosed_label) for i in rows],
                "region": [grid.regions[grid.region_of[i]] for i in rows],
                **{c: [self._cell(c, "row", i, k) for i in rows] for c in COUNT_COLUMNS},
            }
        )
        regions = pd.DataFrame(
            {
                "region": [grid.regions[g] for g in used],
                "jurisdictions": [self.counts[day].get(grid.regions[g], 0) for g in used],
                **{c: [self._cell(c, "region", g, k) for g in used] for c in COUNT_COLUMNS},
            }
        )
        # in the order of the names: an order by size would tell how withheld counts compare
        return PublicTables(
            regions=regions, jurisdictions=jurisdictions.sort_values("name", ignore_index=True)
        )

    def _name(self, key: str, undisclosed_label: str) -> str:
        if key.startswith(POOLED):
            return undisclosed_label.format(region=key.removeprefix(POOLED))
        return self.names[key]

    def _cell(self, column: str, kind: str, index: int, k: int) -> str:
        grid, pattern = self.grids[column], self.patterns[column]
        withheld = (pattern.rows if kind == "row" else pattern.regions)[index, k]
        value = grid.values[index, k] if kind == "row" else grid.region_values[index, k]
        return SUPPRESSED if withheld else str(int(value))


def linked_tables(requests: pd.DataFrame, jurisdictions: pd.DataFrame, presented: list[date]) -> LinkedTables:
    """Protect the public tables at every reference date of this ledger (once per data version)."""
    received = pd.to_datetime(requests["received_on"])
    first, last = received.min().date(), received.max().date()
    found, patterns = protect(grids(requests, jurisdictions, reference_dates(first, last, presented)))
    columns = list(found)
    dates: list[date] = list(found[columns[0]].dates)
    names = {
        str(j): str(n) for j, n in zip(jurisdictions["jurisdiction_id"], jurisdictions["name"], strict=True)
    }
    counts = {}
    for day in dates:
        listed = (
            metrics.by_jurisdiction(requests, jurisdictions, day).groupby("region")["jurisdiction_id"].size()
        )
        counts[day] = {str(region): int(n) for region, n in listed.items()}
    return LinkedTables(dates=dates, grids=found, patterns=patterns, names=names, counts=counts)


_MEMO: dict[str, LinkedTables] = {}  # by data version: the protection is a pure function of the data
_MEMO_LOCK = threading.Lock()


def of(data: Datasets) -> LinkedTables:
    """The protected tables of this data version, worked out once per process (a few seconds)."""
    with _MEMO_LOCK:
        data = data.as_loaded()  # the protection depends on counts, not on the language of names
        if data.version not in _MEMO:
            published = data.frame("published_figures")
            rows = published[
                (published["metric"] == "requests_received") & (published["as_of_precision"] == "day")
            ]
            presented = sorted({stamp.date() for stamp in rows["as_of"]})
            _MEMO[data.version] = linked_tables(
                data.frame("requests"), data.frame("jurisdictions"), presented
            )
            while len(_MEMO) > 4:
                del _MEMO[next(iter(_MEMO))]
        return _MEMO[data.version]


@dataclass(frozen=True)
class TablesAt:
    """What a viewer gets for an as-of date: the tables, and the date they are really as of."""

    tables: PublicTables
    shown_for: date | None  # the reference date shown (the as-of date itself for staff); None: none yet


def public_tables_at(data: Datasets, as_of: date, role: disclosure.Role, undisclosed_label: str) -> TablesAt:
    """The jurisdiction and region tables for ``as_of``: exact for staff, the reference date's for the public.

    ``undisclosed_label`` has ``{region}`` in it. Before the first reference date the public gets
    empty tables (``shown_for`` None).
    """
    if disclosure.can_see_everything(role):
        per = metrics.by_jurisdiction(data.frame("requests"), data.frame("jurisdictions"), as_of)
        return TablesAt(disclosure.public_tables(per, role, undisclosed_label), as_of)
    linked = of(data)
    day = reference_before(linked.dates, as_of)
    if day is None:
        empty = PublicTables(regions=pd.DataFrame(), jurisdictions=pd.DataFrame(), withheld_whole=True)
        return TablesAt(empty, None)
    return TablesAt(_named_in(data, linked.at(day, undisclosed_label), undisclosed_label), day)


def _named_in(data: Datasets, tables: PublicTables, undisclosed_label: str) -> PublicTables:
    """The tables protected once on the English load, with regions and names in the data's language.

    Working out the protection takes seconds; it depends on the counts, not on the words.
    """
    english, local = data.as_loaded().frame("jurisdictions"), data.frame("jurisdictions")
    if local is english or tables.regions.empty:
        return tables
    regions = dict(zip(english["region"], local["region"], strict=True))
    names = dict(zip(english["name"], local["name"], strict=True))
    names |= {
        undisclosed_label.format(region=e): undisclosed_label.format(region=r) for e, r in regions.items()
    }
    return replace(
        tables,
        regions=tables.regions.assign(region=tables.regions["region"].map(lambda r: regions.get(r, r))),
        jurisdictions=tables.jurisdictions.assign(
            region=tables.jurisdictions["region"].map(lambda r: regions.get(r, r)),
            name=tables.jurisdictions["name"].map(lambda n: names.get(n, n)),
        ),
    )
