"""What the public may see: jurisdiction names and small numbers.

Rules (DESIGN.md, "Security and disclosure"):

- a viewer who is not signed in never sees the name of a jurisdiction whose ``disclose_name`` is
  false; such jurisdictions are pooled per region under a neutral label, so no row stands for one
  undisclosed jurisdiction by name;
- counts below ``SMALL_COUNT`` beneath region level are shown as "<5" to the public;
- staff see everything.

Region totals are not suppressed: they are the level the rule protects down to.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

Role = Literal["public", "staff"]
SMALL_COUNT = 5
SUPPRESSED = f"<{SMALL_COUNT}"
COUNT_COLUMNS = ("requests_received", "requests_supported", "investigations_related")


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


def suppress_small(table: pd.DataFrame, role: Role, columns: tuple[str, ...] = COUNT_COLUMNS) -> pd.DataFrame:
    """Replace counts from 1 to 4 by "<5" for the public; the result's count columns become text.

    Zero stays zero: "no requests" discloses nothing a small count would.
    """
    out = table.copy()
    if can_see_everything(role):
        return out
    for column in columns:
        if column in out.columns:
            out[column] = [SUPPRESSED if 0 < v < SMALL_COUNT else str(int(v)) for v in out[column]]
    return out


def public_jurisdiction_table(
    per_jurisdiction: pd.DataFrame, role: Role, undisclosed_label: str
) -> pd.DataFrame:
    """Both rules, in the order they must run: pool undisclosed names first, then suppress."""
    return suppress_small(mask_jurisdictions(per_jurisdiction, role, undisclosed_label), role)


def public_dataset(
    name: str, frame: pd.DataFrame, jurisdictions: pd.DataFrame, role: Role, undisclosed_name: str
) -> pd.DataFrame:
    """A dataset as the public may download it.

    Undisclosed jurisdictions lose their name and code; row-level tables (requests, investigations)
    carry the region instead of the jurisdiction, so nobody can count small numbers per jurisdiction
    from them. Staff get the dataset as it is.
    """
    if can_see_everything(role):
        return frame.copy()
    if name == "jurisdictions":
        out = frame.copy()
        hidden = ~out["disclose_name"]
        out["name"] = out["name"].where(~hidden, undisclosed_name)
        out["iso3"] = out["iso3"].where(~hidden, None)
        out["jurisdiction_id"] = out["jurisdiction_id"].where(~hidden, "")
        return out
    if "jurisdiction_id" in frame.columns:
        region = jurisdictions.set_index("jurisdiction_id")["region"]
        out = frame.copy()
        position = list(out.columns).index("jurisdiction_id")
        out.insert(position, "region", out["jurisdiction_id"].map(region))
        return out.drop(columns=["jurisdiction_id"])
    return frame.copy()


def public_region_table(regions: pd.DataFrame, role: Role) -> pd.DataFrame:
    """Region totals for the public: as they are, except where a region holds one jurisdiction.

    A region of one jurisdiction is that jurisdiction under another name, so its small counts are
    suppressed like any count beneath region level; otherwise the region chart would reveal what
    the jurisdiction table hides.
    """
    out = regions.copy()
    if can_see_everything(role):
        return out
    single = out["jurisdictions"] == 1
    for column in COUNT_COLUMNS:
        out[column] = [
            SUPPRESSED if one and 0 < v < SMALL_COUNT else str(int(v))
            for v, one in zip(out[column], single, strict=True)
        ]
    return out
