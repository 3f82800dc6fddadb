"""Read the datasets, check them against their schemas and sidecars, and hand them out typed.

Text is read as text and converted by the schema, so a CSV from Excel and a typed frame take the
same path. The result of a load is immutable in spirit: callers must never mutate the frames.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from functools import cached_property
from pathlib import Path
from typing import IO, Any

import pandas as pd
import pandera.errors as pa_errors

from mandate_metrics.i18n import DEFAULT_LOCALE, dataset_text
from mandate_metrics.metadata import DatasetMeta, Source, read_sidecar
from mandate_metrics.schemas import SCHEMAS
from mandate_metrics.store import ConflictError, StoreError, Version, VersionedStore

TRUE_WORDS = frozenset({"true", "yes", "1"})
FALSE_WORDS = frozenset({"false", "no", "0"})


class DatasetError(ValueError):
    """A dataset failed its schema or its sidecar check; the message names file, rows and columns."""


@dataclass(frozen=True)
class Dataset:
    """One validated dataset with its sidecar."""

    name: str
    frame: pd.DataFrame
    meta: DatasetMeta

    @property
    def version(self) -> str:
        """The dataset's version id."""
        return self.meta.version

    def title(self, locale: str = DEFAULT_LOCALE) -> str:
        """The dataset's title in ``locale`` (as written, if staff changed it)."""
        return dataset_text(self.name, "title", self.meta.title, locale)

    def description(self, locale: str = DEFAULT_LOCALE) -> str:
        """The dataset's description in ``locale`` (as written, if staff changed it)."""
        return dataset_text(self.name, "description", self.meta.description, locale)

    def licence(self, locale: str = DEFAULT_LOCALE) -> str:
        """The dataset's licence in ``locale`` (as written, if staff changed it)."""
        return dataset_text(self.name, "licence", self.meta.licence, locale)


@dataclass(frozen=True)
class Datasets(Mapping[str, Dataset]):
    """All datasets of one load, by name."""

    items_: tuple[Dataset, ...]
    language: str = DEFAULT_LOCALE
    """The language of the data's own words (``figures.translated.datasets_in``); English as loaded."""
    english: Datasets | None = field(default=None, compare=False, repr=False)
    """The load these were translated from (None: this is the load)."""

    def as_loaded(self) -> Datasets:
        """The datasets as loaded, in English: what holds no words (evidence, indexes) is built on it once."""
        return self.english or self

    def __getitem__(self, name: str) -> Dataset:
        for item in self.items_:
            if item.name == name:
                return item
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        return iter(item.name for item in self.items_)

    def __len__(self) -> int:
        return len(self.items_)

    def frame(self, name: str) -> pd.DataFrame:
        """The validated frame of dataset ``name``."""
        return self[name].frame

    @cached_property
    def identity(self) -> str:
        """A key no two different loads share, even from two stores: every dataset's sidecar.

        The fingerprint's version ids (v0001…) repeat from one store to another; the sidecars
        also hold each dataset's checksum, declaration and titles. Caches of what is computed from
        the data key on this.
        """
        sidecars = "\n".join([*(repr(item.meta) for item in self.items_), self.language])
        return hashlib.sha256(sidecars.encode()).hexdigest()[:24]

    @property
    def fingerprint(self) -> str:
        """One key for the whole load: changes whenever any dataset's version does."""
        return "+".join(item.version for item in self.items_)

    @property
    def version(self) -> str:
        """One short id for the whole load, for citations: a hash of every dataset's contents.

        It depends on what the data is, not on how it got there: the page, the command line and
        every export over the same store print the same id, and a rollback to identical content
        (a new version with the same checksum) restores the earlier id.
        """
        return data_version({item.name: item.meta.sha256 for item in self.items_})

    @property
    def latest_date(self) -> date:
        """The newest as-of date over all datasets: the default as-of date of the dashboard."""
        return max(item.meta.as_of for item in self.items_)


def data_version(checksums: Mapping[str, str]) -> str:
    """The data version of datasets with these contents (name → sha256), in the schemas' order."""
    contents = "+".join(f"{name}:{checksums[name]}" for name in SCHEMAS if name in checksums)
    return "data-" + hashlib.sha256(contents.encode()).hexdigest()[:8]


def _bool_column(values: pd.Series) -> pd.Series:
    """Map true/false words to booleans; anything else stays as text for the schema to reject."""
    lowered = values.astype("string").str.strip().str.lower()
    mapped = lowered.map(lambda v: True if v in TRUE_WORDS else False if v in FALSE_WORDS else v)
    return mapped if mapped.map(lambda v: isinstance(v, bool)).all() else values


def read_table(source: Path | IO[bytes], name: str) -> pd.DataFrame:
    """Read a CSV as text, empty cells as missing, and validate it against dataset ``name``'s schema.

    Raises:
        DatasetError: listing every failing row, column and value at once.
    """
    model = SCHEMAS[name]
    raw = pd.read_csv(source, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    for column, spec in model.to_schema().columns.items():
        if column in raw.columns and str(spec.dtype) == "bool":
            raw[column] = _bool_column(raw[column])
    try:
        return model.validate(raw, lazy=True)
    except pa_errors.SchemaErrors as exc:
        where = source if isinstance(source, Path) else name
        raise DatasetError(f"{where}: {_describe(exc.failure_cases)}") from exc


def _describe(failures: pd.DataFrame, limit: int = 10) -> str:
    lines = []
    for row in failures.head(limit).to_dict("records"):
        # Excel numbers the header as row 1, so data row i (from 0) is row i + 2 on screen.
        where = "" if pd.isna(row["index"]) else f"row {int(row['index']) + 2}, "
        lines.append(f"{where}column {row['column']}: {row['check']} (value {row['failure_case']!r})")
    more = len(failures) - limit
    return "; ".join(lines) + (f"; and {more} more" if more > 0 else "")


def load_dataset(data_dir: Path, name: str) -> Dataset:
    """Load one dataset after checking its sidecar and checksum."""
    path = data_dir / f"{name}.csv"
    if not path.exists():
        raise DatasetError(f"{path}: missing; every dataset in schemas.SCHEMAS needs a CSV in {data_dir}")
    meta = read_sidecar(path)
    frame = read_table(path, name)
    if len(frame) != meta.rows:
        raise DatasetError(f"{path}: {len(frame)} rows, but its sidecar says {meta.rows}")
    return Dataset(name=name, frame=frame, meta=meta)


def load_all(data_dir: Path) -> Datasets:
    """Load every dataset the app knows, in the order of ``schemas.SCHEMAS``."""
    return Datasets(tuple(load_dataset(data_dir, name) for name in SCHEMAS))


def _data_as_of(frame: pd.DataFrame, floor: date) -> date:
    """The newest date in the data (never in the future), or the sidecar's date if that is later."""
    today = pd.Timestamp(datetime.now(UTC).date())
    dates = [
        frame[c][frame[c] <= today].max()
        for c in frame.columns
        if pd.api.types.is_datetime64_any_dtype(frame[c])
    ]
    found = [d.date() for d in dates if pd.notna(d)]
    return max([floor, *found])


UPGRADE_DEFAULTS: dict[str, dict[str, str]] = {"milestones": {"topic": "institution"}}
"""Values for required columns added after versions were stored (older versions lack them)."""


def upgraded(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """A stored version read under today's schema: a column added since is empty, or its default.

    Without this an installation upgraded to a release with a new column would fail to load the
    versions it already holds.
    """
    missing = [c for c in SCHEMAS[name].to_schema().columns if c not in frame.columns]
    if not missing:
        return frame
    out = frame.copy()
    for column in missing:
        # None, not pd.NA: an object column of pd.NA cannot be coerced to a float column.
        default = UPGRADE_DEFAULTS.get(name, {}).get(column)
        out[column] = pd.Series([default] * len(out), index=out.index, dtype=object)
    return out[list(SCHEMAS[name].to_schema().columns)]


def _declared(sidecar: DatasetMeta, declared: str | None) -> dict[str, Any]:
    """Provenance, title and source as staff declared them at publish; the seed keeps its sidecar's."""
    if declared == "official":
        title = sidecar.official_title or sidecar.title
        return {"provenance": "official", "title": title, "sources": (Source(title=title),)}
    if declared == "illustrative":
        return {"provenance": "illustrative"}
    return {}


def load_from_store(store: VersionedStore, data_dir: Path, names: Iterable[str] | None = None) -> Datasets:
    """The current version of every dataset in ``store``, with provenance from its sidecar in ``data_dir``.

    A dataset with no version yet is seeded from ``data_dir`` first, so a new store starts with the
    shipped data. Every frame is checked against its schema again on the way in. ``names`` loads
    only those datasets (checking an upload needs only the ones it refers to).
    """
    if any(store.current(name) is None for name in SCHEMAS):
        lost = [name for name in SCHEMAS if store.current(name) is None and store.history(name)]
        if lost:  # versions but no pointer: never seed over them, never guess which is current
            raise StoreError("; ".join(store.damage()))
        store.seed({name: read_table(data_dir / f"{name}.csv", name) for name in SCHEMAS})
    wanted = set(SCHEMAS if names is None else names)
    items = []
    for name, model in SCHEMAS.items():
        if name not in wanted:
            continue
        version = store.current(name)
        if version is None:  # another process's seed is still in flight, or it died before its pointer
            raise StoreError(
                f"{name}: no current version yet; reload in a moment, or run `mandate-metrics repair`"
            )
        frame: pd.DataFrame = model.validate(upgraded(name, store.read(name, version.version)))
        if version.by == "seed" and version.mode in ("seed", "shipped"):
            shipped = read_table(data_dir / f"{name}.csv", name)
            if shipped.to_csv(index=False) != frame.to_csv(index=False):
                # Staff never published their own version: a newer release's shipped data replaces
                # it, as a recorded version (a staff version is never touched).
                try:
                    version = store.publish(
                        name,
                        shipped,
                        by="seed",
                        note="shipped data updated",
                        mode="shipped",
                        original_name=f"data/{name}.csv",
                        expected=version.version,
                    )
                    frame = shipped
                except ConflictError:  # another replica did it first, or staff published: read theirs
                    version = store.current(name) or version
                    frame = model.validate(upgraded(name, store.read(name, version.version)))
        items.append(_dataset(data_dir, name, version, frame))
    return Datasets(tuple(items))


def _dataset(data_dir: Path, name: str, version: Version, frame: pd.DataFrame) -> Dataset:
    sidecar = read_sidecar(data_dir / f"{name}.csv", check_file=False)
    meta = replace(
        sidecar,
        **_declared(sidecar, version.declared),
        sha256=version.sha256,
        rows=version.rows,
        version_id=version.version,
        as_of=_data_as_of(frame, sidecar.as_of),
    )
    return Dataset(name=name, frame=frame, meta=meta)


class FramesWhenLoaded(Mapping[str, pd.DataFrame]):
    """The published frames an upload refers to, while they load: a frame is waited for when read.

    The command line reads the store (Python: pandas and the schema check) while it parses the
    upload (pyarrow and calamine, mostly without the GIL): on two cores the references then cost
    next to nothing.
    """

    def __init__(self, loading: Future[Datasets], names: set[str]) -> None:
        self._loading, self._names = loading, sorted(names)

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._names:
            raise KeyError(name)
        return self._loading.result().frame(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def past_data_versions(store: VersionedStore) -> dict[str, dict[str, Version]]:
    """Every data version the store has served, each with the dataset versions it was made of.

    A pinned link (``?version=data-…``) must keep giving the figures it was made from after new
    data is published. Replayed from the versions that were ever current, in the order they were
    created: a rollback is a new version, so the replay follows it too.
    """
    entries = store.audit_entries()
    became: list[Version] = []
    for name in SCHEMAS:
        outcomes = store.outcomes(name, entries)
        became += [v for v in store.history(name) if outcomes.get(v.version) in ("current", "replaced")]
    current: dict[str, Version] = {}
    found: dict[str, dict[str, Version]] = {}
    # Times are to the second: within one second, lower version numbers first (a seed's v0001s
    # before a publish made in the same second).
    for version in sorted(became, key=lambda v: (v.created_at, v.number, v.dataset)):
        current[version.dataset] = version
        if len(current) == len(SCHEMAS):
            found[data_version({n: v.sha256 for n, v in current.items()})] = dict(current)
    return found


def load_versions(store: VersionedStore, data_dir: Path, versions: Mapping[str, Version]) -> Datasets:
    """The datasets at exactly these versions (one per dataset), checked against their schemas."""
    return Datasets(
        tuple(
            _dataset(
                data_dir, name, versions[name], model.validate(upgraded(name, store.read(name, v.version)))
            )
            for name, model in SCHEMAS.items()
            for v in (versions[name],)
        )
    )
