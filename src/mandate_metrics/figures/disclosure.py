"""What the public may see: jurisdiction names and small numbers, safe against subtraction.

Rules (DESIGN.md, "Security and disclosure"), applied by the standard methods of statistical
disclosure control:

- a viewer who is not signed in never sees the name of a jurisdiction whose ``disclose_name`` is
  false; such jurisdictions are pooled per region under a neutral label;
- **primary suppression**: a count from 1 to 4 beneath region level is withheld;
- **complementary (secondary) suppression**: the published tables add up (jurisdiction rows to
  their region, regions to the headline total), so each of those equations must hold either no
  withheld cell or at least two; more cells are withheld (the smallest first, non-zero first)
  until no withheld cell can be solved for, by one subtraction or any combination of them (a
  rank test over the equations);
- every withheld cell reads the same ("withheld"), so nobody can tell a small count from one
  withheld to protect it; the public gets aggregates only, never one row per request;
- staff see everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

Role = Literal["public", "staff"]
SMALL_COUNT = 5
SUPPRESSED = "withheld"
COUNT_COLUMNS = ("requests_received", "requests_supported", "investigations_related")
ROW_LEVEL = ("requests", "investigations")
"""Datasets with one row per request or investigation: never a public download (counting their
rows per region would undo the suppression)."""


def drawn(counts: pd.Series) -> list[int]:
    """Bar lengths for a public count column: a withheld cell is drawn as nothing (its label says why)."""
    return [0 if v == SUPPRESSED else int(v) for v in counts]


def can_see_everything(role: Role) -> bool:
    """Only staff see undisclosed names and small counts; every other role is public (default deny)."""
    return role == "staff"


def mask_jurisdictions(per_jurisdiction: pd.DataFrame, role: Role, undisclosed_label: str) -> pd.DataFrame:
    """Pool undisclosed jurisdictions per region for the public; staff get the table as it is.

    Args:
        per_jurisdiction: output of ``metrics.by_jurisdiction``.
        role: who is looking.
        undisclosed_label: the label for a pooled row, with ``{region}`` in it (translated by the caller).
    """
    if can_see_everything(role):
        return per_jurisdiction.copy()
    shown = per_jurisdiction[per_jurisdiction["disclose_name"]]
    hidden = per_jurisdiction[~per_jurisdiction["disclose_name"]]
    pooled = hidden.groupby("region", as_index=False)[list(COUNT_COLUMNS)].sum()
    pooled["name"] = [undisclosed_label.format(region=r) for r in pooled["region"]]
    pooled["jurisdiction_id"] = ""
    pooled["disclose_name"] = False
    keep = ["jurisdiction_id", "name", "region", "disclose_name", *COUNT_COLUMNS]
    out = pd.concat([shown[keep], pooled[keep]], ignore_index=True)
    return out.sort_values(["requests_received", "name"], ascending=[False, True], ignore_index=True)


class Unprotectable(ValueError):
    """No suppression can protect the table: the published headline alone gives a count away."""


@dataclass(frozen=True)
class PublicTables:
    """The region and jurisdiction tables as one viewer may see them, suppressed together.

    ``withheld_whole`` is true when no suppression could protect them (one jurisdiction, whose
    count the headline already is): the public then gets empty tables and a sentence saying why.
    """

    regions: pd.DataFrame  # region, jurisdictions, one column per COUNT_COLUMNS
    jurisdictions: pd.DataFrame  # name, region, ..., one column per COUNT_COLUMNS
    withheld_whole: bool = False


def public_tables(per_jurisdiction: pd.DataFrame, role: Role, undisclosed_label: str) -> PublicTables:
    """The region and jurisdiction tables for ``role``: for the public, pooled and suppressed as one.

    Count columns become text for the public ("withheld" where withheld); staff get numbers.
    """
    rows = mask_jurisdictions(per_jurisdiction, role, undisclosed_label).reset_index(drop=True)
    regions = (
        per_jurisdiction.groupby("region")
        .agg(jurisdictions=("jurisdiction_id", "nunique"), **{c: (c, "sum") for c in COUNT_COLUMNS})
        .reset_index()
        .sort_values(["requests_received", "region"], ascending=[False, True], ignore_index=True)
    )
    if can_see_everything(role):
        return PublicTables(regions=regions, jurisdictions=rows)
    rows, regions = (
        rows.astype({c: object for c in COUNT_COLUMNS}),
        regions.astype({c: object for c in COUNT_COLUMNS}),
    )
    for column in COUNT_COLUMNS:
        child = rows[column].astype(int).to_numpy()
        totals = regions[column].astype(int).to_numpy()
        group = regions["region"].tolist()
        try:
            child_mask, region_mask = withheld_cells(child, [group.index(r) for r in rows["region"]], totals)
        except Unprotectable:
            return PublicTables(regions=regions.iloc[0:0], jurisdictions=rows.iloc[0:0], withheld_whole=True)
        rows[column] = [SUPPRESSED if m else str(v) for v, m in zip(child, child_mask, strict=True)]
        regions[column] = [SUPPRESSED if m else str(v) for v, m in zip(totals, region_mask, strict=True)]
    return PublicTables(regions=regions, jurisdictions=rows)


def withheld_cells(
    child: np.ndarray, group_of: list[int], totals: np.ndarray
) -> tuple[list[bool], list[bool]]:
    """Which cells to withhold in a two-level table whose grand total is published.

    Args:
        child: each jurisdiction row's count.
        group_of: each row's region, as an index into ``totals``.
        totals: each region's count (the sum of its rows).

    Returns:
        A withheld flag per row and per region total.
    """
    rows = [bool(0 < v < SMALL_COUNT) for v in child]
    regions = [False] * len(totals)
    value = {
        **{("row", i): int(v) for i, v in enumerate(child)},
        **{("region", r): int(v) for r, v in enumerate(totals)},
    }
    while True:
        withheld = {("row", i) for i, w in enumerate(rows) if w} | {
            ("region", r) for r, w in enumerate(regions) if w
        }
        lone = next((eq for eq in _equations(group_of, len(totals)) if len(withheld & eq.keys()) == 1), None)
        if lone is not None:
            # One subtraction would give it away: withhold the smallest published cell beside it,
            # a non-zero jurisdiction row first (a zero protects nothing), the region total last.
            published = [cell for cell in lone if cell not in withheld]
            if not published:  # a single region whose total is the headline: nothing can hide it
                raise Unprotectable("the headline total alone gives a withheld count away")
            cell = min(published, key=lambda c: (value[c] == 0, c[0] != "row", value[c], c[1]))
        else:
            found = _recoverable(rows, regions, group_of, len(totals))
            if found is None:
                return rows, regions
            cell = _beside(found, withheld, group_of, value)
        (rows if cell[0] == "row" else regions)[cell[1]] = True


def _equations(group_of: list[int], n_regions: int) -> list[dict[tuple[str, int], float]]:
    """The coefficients of every published sum.

    Each region's rows minus the region's total is zero; the regions add up to the grand total,
    which is always published.
    """
    equations = [
        {**{("row", i): 1.0 for i, g in enumerate(group_of) if g == region}, ("region", region): -1.0}
        for region in range(n_regions)
    ]
    equations.append({("region", r): 1.0 for r in range(n_regions)})
    return equations


def _recoverable(
    rows: list[bool], regions: list[bool], group_of: list[int], n_regions: int
) -> tuple[str, int] | None:
    """A withheld cell that the published cells and totals determine exactly, if there is one.

    A cell is determined when its unit vector lies in the row space of the equations restricted
    to the withheld cells: the same test covers one subtraction and any chain of them.
    """
    unknown = [("row", i) for i, w in enumerate(rows) if w] + [
        ("region", r) for r, w in enumerate(regions) if w
    ]
    if not unknown:
        return None
    index = {cell: k for k, cell in enumerate(unknown)}
    matrix = np.array(
        [[equation.get(cell, 0.0) for cell in unknown] for equation in _equations(group_of, n_regions)]
    )
    rank = np.linalg.matrix_rank(matrix)
    for cell, k in index.items():
        unit = np.zeros(len(unknown))
        unit[k] = 1.0
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            return cell
    return None


def _beside(
    cell: tuple[str, int],
    withheld: set[tuple[str, int]],
    group_of: list[int],
    value: dict[tuple[str, int], int],
) -> tuple[str, int]:
    """A published cell in an equation of ``cell`` (a chain of subtractions reaches it), smallest first."""
    region = group_of[cell[1]] if cell[0] == "row" else cell[1]
    options = [("row", i) for i, g in enumerate(group_of) if g == region] + [("region", region)]
    options += [("region", r) for r in range(max(group_of, default=0) + 1)]
    published = [c for c in options if c not in withheld and c in value]
    return min(published, key=lambda c: (value[c] == 0, c[0] != "row", value[c], c[1]))


def public_dataset(
    name: str, frame: pd.DataFrame, jurisdictions: pd.DataFrame, role: Role, undisclosed_name: str
) -> pd.DataFrame | None:
    """A dataset as the public may download it, or None when it is not public at all.

    Row-level datasets (one row per request or investigation) are staff-only: counting their rows
    per region or per month would recover what the tables withhold. Undisclosed jurisdictions lose
    their name and code. Staff get every dataset as it is.
    """
    if can_see_everything(role):
        return frame.copy()
    if name in ROW_LEVEL:
        return None
    if name == "jurisdictions":
        out = frame.copy()
        hidden = ~out["disclose_name"]
        out["name"] = out["name"].where(~hidden, undisclosed_name)
        out["iso3"] = out["iso3"].where(~hidden, None)
        out["jurisdiction_id"] = out["jurisdiction_id"].where(~hidden, "")
        return out
    return frame.copy()
