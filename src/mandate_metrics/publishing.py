"""From a validated upload to a published version: preview what changes, then publish or refuse.

Publishing checks the role at the moment it runs (default deny) and refuses a report with any
problem, so a failed validation can never change what is published.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from mandate_metrics import funding, metrics
from mandate_metrics.disclosure import Role, can_see_everything
from mandate_metrics.loading import Datasets
from mandate_metrics.store import LocalStore, Version
from mandate_metrics.validation import ID_COLUMNS, Report


class PublishRefused(PermissionError):
    """A publish or rollback was refused; the message says why. Nothing was stored."""


@dataclass(frozen=True)
class Diff:
    """What a new version changes against the current one, by id."""

    added: pd.DataFrame
    removed: pd.DataFrame
    changed: pd.DataFrame  # one row per changed cell: id, column, before, after

    @property
    def counts(self) -> tuple[int, int, int]:
        """Rows added, rows removed, rows changed."""
        changed_rows = self.changed.iloc[:, 0].nunique() if not self.changed.empty else 0
        return len(self.added), len(self.removed), int(changed_rows)


def _comparable(value: object) -> object:
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return None if pd.isna(value) else value  # type: ignore[call-overload]


def diff(current: pd.DataFrame, new: pd.DataFrame, dataset: str) -> Diff:
    """Rows added, removed and changed (with each changed cell) between two versions of ``dataset``."""
    key = ID_COLUMNS[dataset]
    before, after = current.set_index(key), new.set_index(key)
    added = new[~new[key].isin(before.index)]
    removed = current[~current[key].isin(after.index)]
    cells = []
    for ident in sorted(set(before.index) & set(after.index), key=str):
        old, fresh = before.loc[ident], after.loc[ident]
        for column in after.columns:
            a, b = _comparable(old[column]), _comparable(fresh[column])
            if a != b:
                cells.append({key: ident, "column": column, "before": a, "after": b})
    changed = pd.DataFrame(cells, columns=[key, "column", "before", "after"])
    return Diff(added=added.reset_index(drop=True), removed=removed.reset_index(drop=True), changed=changed)


def candidate(report: Report, current: pd.DataFrame, append: bool) -> pd.DataFrame:
    """The dataset as it would be after publishing: the upload, or the current rows plus the upload."""
    if report.frame is None:
        raise PublishRefused("the file has problems: nothing can be published from it")
    return pd.concat([current, report.frame], ignore_index=True) if append else report.frame


def preview_date(data: Datasets, new: pd.DataFrame) -> date:
    """The date a preview compares on: the latest data, or the newest date in the upload if later."""
    found = [new[c].max().date() for c in new.columns if pd.api.types.is_datetime64_any_dtype(new[c])]
    return max([data.latest_date, *(d for d in found if pd.notna(d))])


def headline_effect(
    data: Datasets, dataset: str, new: pd.DataFrame, as_of: date | None = None
) -> list[tuple[str, float, float]]:
    """Headline figures before and after (default: on ``preview_date``): ("requests_received", 530, 536)."""
    as_of = as_of or preview_date(data, new)
    frames = {name: data.frame(name) for name in data}
    after = {**frames, dataset: new}
    if dataset in ("requests",):
        then, now = metrics.headline(frames["requests"], as_of), metrics.headline(after["requests"], as_of)
        return [(m, then.value(m), now.value(m)) for m in metrics.LEDGER_METRICS]
    if dataset in ("budget", "contributions"):
        rows = []
        for label, source in (("before", frames), ("after", after)):
            years = funding.funding_by_year(source["budget"], source["contributions"], as_of)
            latest = funding.latest_year(years)
            rows.append((label, float(latest["coverage"]) if latest is not None else float("nan")))
        return [("coverage", rows[0][1], rows[1][1])]
    return []


def publish(
    store: LocalStore, report: Report, role: Role, by: str, note: str, append: bool, declared: str | None
) -> Version:
    """Publish a validated upload as a new version; refuse anything else, storing nothing.

    ``declared`` must say what the upload is, "official" or "illustrative": the dashboard marks
    every value computed from it accordingly, so the choice cannot be left to a default.
    """
    if not can_see_everything(role):
        raise PublishRefused("only signed-in staff can publish")
    if declared not in ("official", "illustrative"):
        raise PublishRefused("say whether the file is official data or an illustrative sample")
    if not report.ok or report.frame is None:
        raise PublishRefused(
            f"{report.file_name} has {len(report.problems)} problem(s): nothing was published"
        )
    return store.publish(
        report.dataset,
        report.frame,
        by=by,
        note=note,
        original_name=report.file_name,
        append=append,
        declared=declared,
    )


def rollback(store: LocalStore, role: Role, dataset: str, version: str, by: str) -> Version:
    """Make an earlier version current again (staff only); the rollback is itself a version."""
    if not can_see_everything(role):
        raise PublishRefused("only signed-in staff can roll back")
    return store.rollback(dataset, version, by=by)
