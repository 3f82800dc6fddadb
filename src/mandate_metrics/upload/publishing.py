"""From a validated upload to a published version: preview what changes, then publish or refuse.

Publishing checks the role at the moment it runs (default deny) and refuses a report with any
problem, so a failed validation can never change what is published.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from mandate_metrics.figures import funding, metrics
from mandate_metrics.figures.disclosure import Role, can_see_everything
from mandate_metrics.i18n import DEFAULT_LOCALE, EN, _, fmt_date, fmt_int, ngettext, t
from mandate_metrics.loading import Datasets
from mandate_metrics.store import ANY, ConflictError, Version, VersionedStore
from mandate_metrics.upload.validation import ID_COLUMNS, Report


class PublishRefused(PermissionError):
    """A publish or rollback was refused; the message says why. Nothing was stored."""


def _someone_first() -> PublishRefused:
    return PublishRefused(_("someone published first; review the new version and publish again"))


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


def _shown(values: np.ndarray) -> list[object]:
    """Values as the preview shows them: dates as days, every missing value None."""
    out: list[object] = []
    for value in values:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            out.append(None)
        elif isinstance(value, (pd.Timestamp, np.datetime64)):
            out.append(pd.Timestamp(value).date().isoformat())
        else:
            out.append(value)
    return out


def positions(values: pd.Series, among: pd.Series) -> np.ndarray:
    """Each value's place in ``among`` (ids are unique), or -1: one Arrow hash join, not a Python loop."""
    found = pc.index_in(pa.array(values, from_pandas=True), value_set=pa.array(among, from_pandas=True))
    return np.asarray(pc.fill_null(found, -1).to_numpy(zero_copy_only=False), dtype=np.int64)


def _differ(old: pd.Series, fresh: pd.Series) -> np.ndarray:
    """Where two aligned columns differ; missing equals missing, a date compares as a day.

    pandas' own comparison: on Arrow-backed text it runs in Arrow, never value by value.
    """
    if pd.api.types.is_datetime64_any_dtype(old) and pd.api.types.is_datetime64_any_dtype(fresh):
        old, fresh = old.dt.normalize(), fresh.dt.normalize()
    equal = (old == fresh).fillna(False).to_numpy(dtype=bool)
    both_missing = (old.isna() & fresh.isna()).to_numpy(dtype=bool)
    return ~(equal | both_missing)


def diff(current: pd.DataFrame, new: pd.DataFrame, dataset: str) -> Diff:
    """Rows added, removed and changed (with each changed cell) between two versions of ``dataset``.

    Column by column over the rows both versions hold, never row by row: only the cells that
    differ are turned into text for the preview.
    """
    key = ID_COLUMNS[dataset]
    where = positions(new[key], current[key])  # each new row's published place, or -1
    held = where >= 0
    added = new[~held]
    removed = current[positions(current[key], new[key]) < 0]
    old = current.iloc[where[held]].reset_index(drop=True)
    fresh = new[held].reset_index(drop=True)
    parts = []
    for place, column in enumerate(new.columns):
        if column == key or column not in current.columns:
            continue
        differ = _differ(old[column], fresh[column])
        if not differ.any():
            continue
        parts.append(
            pd.DataFrame(
                {
                    key: fresh[key].to_numpy()[differ],
                    "column": column,
                    "before": _shown(old[column].to_numpy()[differ]),
                    "after": _shown(fresh[column].to_numpy()[differ]),
                    "_place": place,
                }
            )
        )
    columns = [key, "column", "before", "after"]
    if not parts:
        return Diff(
            added.reset_index(drop=True), removed.reset_index(drop=True), pd.DataFrame(columns=columns)
        )
    changed = pd.concat(parts, ignore_index=True)
    changed["_id"] = changed[key].astype(str)
    changed = changed.sort_values(["_id", "_place"], kind="stable")[columns].reset_index(drop=True)
    return Diff(added=added.reset_index(drop=True), removed=removed.reset_index(drop=True), changed=changed)


def candidate(report: Report, current: pd.DataFrame, append: bool) -> pd.DataFrame:
    """The dataset as it would be after publishing: the upload, or the current rows plus the upload."""
    if report.frame is None:
        raise PublishRefused(_("the file has problems: nothing can be published from it"))
    return pd.concat([current, report.frame], ignore_index=True) if append else report.frame


WHOLE_TABLE_SHARE = 0.5
"""A file holding at least this share of the published ids is the whole table (see ``after_upload``)."""


def is_whole_table(report: Report, current: pd.DataFrame) -> bool:
    """Whether the file is the dataset as it should be (most published rows in it), not a few rows."""
    if report.frame is None or current.empty:
        return True
    key = ID_COLUMNS[report.dataset]
    shared = int((positions(current[key], report.frame[key]) >= 0).sum())
    return shared >= WHOLE_TABLE_SHARE * len(current)


def after_upload(report: Report, current: pd.DataFrame) -> pd.DataFrame:
    """The dataset once this file is published: staff upload the table as they want it to be.

    A file holding most of the published rows (by id) is the whole table: a row it leaves out is
    removed (the preview lists it, and publishing waits for a confirmation). A file of new rows, or
    of a few published rows changed, adds and changes those rows and keeps every other one as it
    is, in its place. So the current data downloaded, edited and uploaded back, and a file of only
    the new rows, both do what staff meant, with no mode to choose beforehand.
    """
    new = candidate(report, current, append=False)
    if is_whole_table(report, current):
        return new
    key = ID_COLUMNS[report.dataset]
    at = positions(new[key], current[key])  # a published row's place, or -1: a new row
    stays = positions(current[key], new[key]) < 0
    merged = pd.concat([current[stays], new], ignore_index=True)
    order = np.concatenate([np.flatnonzero(stays), np.where(at >= 0, at, len(current) + np.arange(len(new)))])
    return merged.iloc[np.argsort(order, kind="stable")].reset_index(drop=True)


def summary(change: Diff, total: int, locale: str = DEFAULT_LOCALE) -> str:
    """The change in words: "2 added, 1 changed, 0 removed; the other 533 rows unchanged."."""
    added, removed, changed = change.counts
    return t(
        "data.summary",
        locale,
        n=max(total - changed - removed, 0),
        added=fmt_int(added, locale),
        changed=fmt_int(changed, locale),
        removed=fmt_int(removed, locale),
    )


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


def losses(change: Diff, effect: list[tuple[str, float, float]], dataset: str, shown: int = 5) -> list[str]:
    """What a publish would lose, in words, or nothing: removed rows (named) and lowered headline figures.

    The Data page asks for a confirmation naming these before it publishes (a template with two
    new rows once replaced 533 requests with 3 under a green "valid").
    """
    found = []
    if not change.removed.empty:
        key = ID_COLUMNS[dataset]
        ids = [str(v) for v in change.removed[key]]
        named = ", ".join(ids[:shown]) + (f" and {len(ids) - shown} more" if len(ids) > shown else "")
        found.append(f"{len(ids)} published row(s) would be removed: {named}.")
    for measure, before, after in effect:
        if pd.notna(before) and pd.notna(after) and after < before:
            label = t("metric.coverage", year="").strip() if measure == "coverage" else t(f"metric.{measure}")
            found.append(f"{label} would fall from {before:g} to {after:g}.")
    return found


def publish(
    store: VersionedStore,
    report: Report,
    role: Role,
    by: str,
    note: str,
    append: bool,
    declared: str | None,
    reviewed: str | None = ANY,
    frame: pd.DataFrame | None = None,
) -> Version:
    """Publish a validated upload as a new version; refuse anything else, storing nothing.

    ``frame`` is what to store (``after_upload``: the dataset as the preview showed it); by
    default the file's rows, replacing the dataset or (``append``) added to it.

    ``declared`` must say what the upload is, "official" or "illustrative": the dashboard marks
    every value computed from it accordingly, so the choice cannot be left to a default.
    ``reviewed`` is the version the preview compared against: if another replica or colleague
    has published since, the preview is stale and the publish is refused.
    """
    if not can_see_everything(role):
        raise PublishRefused(_("only signed-in staff can publish"))
    if declared not in ("official", "illustrative"):
        raise PublishRefused(_("say whether the file is official data or an illustrative sample"))
    if not report.ok or report.frame is None:
        raise PublishRefused(
            ngettext(
                "{file} has {n} problem: nothing was published",
                "{file} has {n} problems: nothing was published",
                len(report.problems),
                file=report.file_name,
            )
        )
    try:
        return store.publish(
            report.dataset,
            report.frame if frame is None else frame,
            by=by,
            note=note,
            original_name=report.file_name,
            append=append,
            declared=declared,
            expected=reviewed,
        )
    except ConflictError as exc:
        raise _someone_first() from exc


def rollback(
    store: VersionedStore, role: Role, dataset: str, version: str, by: str, reviewed: str | None = ANY
) -> Version:
    """Make an earlier version current again (staff only); the rollback is itself a version."""
    if not can_see_everything(role):
        raise PublishRefused(_("only signed-in staff can roll back"))
    try:
        return store.rollback(dataset, version, by=by, expected=reviewed)
    except ConflictError as exc:
        raise _someone_first() from exc


# History and the audit log, in plain words -----------------------------------------------------


def when(stamp: object, locale: str = DEFAULT_LOCALE) -> str:
    """An ISO timestamp as people read it: "29 November 2026, 10:28 UTC"."""
    try:
        moment = datetime.fromisoformat(str(stamp))
    except ValueError:
        return str(stamp)
    return f"{fmt_date(moment.date(), locale)}, {moment:%H:%M} UTC"


def history_table(
    versions: list[Version],
    current: str | None,
    locale: str = DEFAULT_LOCALE,
    outcomes: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Every version of a dataset, newest first, with labelled columns and words for what each is.

    ``outcomes`` (``VersionedStore.outcomes``) say what became of each version: one never made
    current says so ("Kept, not made current", "Not made current") instead of how it was published,
    as the audit log does for the same version.
    """
    outcomes = outcomes or {}

    def how(v: Version) -> str:
        outcome = outcomes.get(v.version)
        if outcome in ("not_current", "stopped"):
            return t(f"audit.event.{outcome}", locale)
        return t(f"history.mode.{v.mode}", locale)

    return pd.DataFrame(
        [
            {
                t("history.version", locale): v.version,
                t("history.current", locale): v.version == current,
                t("history.declared", locale): t(f"data.declare.{v.declared or 'shipped'}", locale),
                t("history.when", locale): when(v.created_at, locale),
                t("history.by", locale): v.by,
                t("history.how", locale): how(v),
                t("history.rows", locale): v.rows,
                t("history.note", locale): v.note,
                t("history.file", locale): v.original_name,
                t("history.restores", locale): v.rollback_of or "",
            }
            for v in reversed(versions)
        ]
    )


def audit_table(log: pd.DataFrame, locale: str = DEFAULT_LOCALE) -> pd.DataFrame:
    """The audit log, newest first, in words: when, what happened, who, and on which version."""
    if log.empty:
        return pd.DataFrame(columns=[t(f"audit.{c}", locale) for c in ("when", "event", "by", "what")])

    def detail(row: pd.Series) -> str:
        parts = [str(row[c]) for c in ("dataset", "version") if c in row and pd.notna(row[c]) and row[c]]
        if "declared" in row and pd.notna(row["declared"]) and row["declared"]:
            parts.append(t(f"data.declare.{row['declared']}", locale).split(":")[0])
        if "rollback_of" in row and pd.notna(row["rollback_of"]) and row["rollback_of"]:
            parts.append(t("audit.restores", locale, version=row["rollback_of"]))
        if "note" in row and pd.notna(row["note"]) and row["note"]:
            parts.append(f"“{row['note']}”")
        return " · ".join(parts)

    return pd.DataFrame(
        {
            t("audit.when", locale): [when(v, locale) for v in log["at"]],
            t("audit.event", locale): [
                t(f"audit.event.{e}", locale) if f"audit.event.{e}" in EN else e for e in log["event"]
            ],
            t("audit.by", locale): log["by"].fillna("") if "by" in log else "",
            t("audit.what", locale): [detail(row) for _, row in log.iterrows()],
        }
    )
