"""The versioned dataset store: every publish is a new immutable version; "current" moves atomically.

Layout under the store root, one folder per dataset::

    <dataset>/objects/<uuid>/data.parquet   a version's data, under a new unique prefix, never overwritten
    <dataset>/manifests/v0003.json          the version exists once this is created (create-if-absent)
    <dataset>/CURRENT.json                  the pointer, moved by compare-and-swap against the value read
    audit.jsonl                             append-only log: sign-ins, publishes, rollbacks

This is the commit protocol an object store allows (S3: unique keys, ``If-None-Match`` on the
manifest, a conditional write on the pointer's ETag); locally the compare-and-swap is a lock plus
an atomic rename. A crash at any step leaves the old version current or the new one, never a mix:
data without a manifest is invisible, a manifest without the pointer is history but not current.
Readers find the current version by reading one small file.

``VersionedStore`` holds that protocol once; ``LocalStore`` (``local.py``, a folder) and ``S3Store``
(``s3.py``, a bucket shared by several replicas) supply the few primitive reads and writes.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable
from contextlib import AbstractContextManager, suppress
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from mandate_metrics.schemas import SCHEMAS
from mandate_metrics.store.version import (
    ANY,
    DECLARATIONS,
    VERSION_ID,
    ConflictError,
    IntegrityError,
    LostRace,
    StoreError,
    T,
    Version,
    check_name,
)

logger = logging.getLogger(__name__)
AUDIT_FIELD_MAX = 300  # characters per audit field: a 2 MB "name" cannot grow the log by 2 MB


class _AlreadySeeded(StoreError):
    """A seed found the dataset already holds versions (so it publishes nothing)."""


SEED_WAIT = 5.0  # seconds a first run waits for another's seed to make its version current
MAX_NUMBER_TRIES = 20  # version numbers tried when other writers keep taking the next one


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _parse_manifest(raw: bytes) -> Version | None:
    """A manifest's version, or None for one a crash left incomplete (empty, cut short, not ours)."""
    try:
        fields = json.loads(raw)
        return Version(**fields)
    except (ValueError, TypeError):
        return None


def _short(value: Any) -> Any:
    """An audit field cut to ``AUDIT_FIELD_MAX`` characters: one event, one short line."""
    if isinstance(value, str) and len(value) > AUDIT_FIELD_MAX:
        return value[:AUDIT_FIELD_MAX] + f"… ({len(value)} characters)"
    return value


def _manifest_key(dataset: str, version: str) -> str:
    return f"{dataset}/manifests/{version}.json"


def _data_key(dataset: str, key: str) -> str:
    return f"{dataset}/objects/{key}/data.parquet"


class VersionedStore(ABC):
    """The commit protocol, whatever holds the bytes: publish, rollback, history, audit, seed.

    A backend supplies the primitives below. Every key is a relative path such as
    ``budget/manifests/v0003.json``: both backends lay a store out the same way, so
    ``store copy`` moves one between a folder and a bucket object for object.
    """

    location: str
    """Where the store is, as the setting names it (a folder, or ``s3://bucket/prefix``)."""

    def __init__(self, before_step: Callable[[str], None] | None = None) -> None:
        self._before_step = before_step or (lambda step: None)

    # Primitives ----------------------------------------------------------------------------

    @abstractmethod
    def _get(self, key: str) -> bytes | None:
        """The bytes at ``key``, or None if nothing is there."""

    @abstractmethod
    def _manifest_names(self, dataset: str) -> list[str]:
        """The version ids that have a manifest (complete or not), in any order."""

    @abstractmethod
    def _put_new(self, key: str, data: bytes) -> None:
        """Write a version's data under its new unique key (never overwritten)."""

    @abstractmethod
    def _create(self, key: str, body: bytes) -> bool:
        """Create ``key`` whole if absent; False if it exists (another writer took it)."""

    @abstractmethod
    def _read_pointer(self, dataset: str) -> tuple[str | None, object]:
        """The current version id (None before the first publish) and a token to swap against."""

    @abstractmethod
    def _swap_pointer(self, dataset: str, token: object, new: str) -> None:
        """Move the pointer to ``new`` if it is still as read with ``token``; else ``ConflictError``."""

    @abstractmethod
    def _locked(self) -> AbstractContextManager[None]:
        """Serialise this store's publishers where the backend can (a folder); else nothing."""

    @abstractmethod
    def _write_audit(self, entry: dict[str, Any]) -> None:
        """Keep one audit event; none may be lost, whoever writes at the same time."""

    @abstractmethod
    def audit_entries(self) -> list[dict[str, Any]]:
        """Every kept audit event, oldest first, as written."""

    @abstractmethod
    def update_json(self, name: str, change: Callable[[dict[str, Any]], T]) -> T:
        """Change the small JSON document ``name`` atomically against every other writer."""

    @abstractmethod
    def repair(self) -> list[str]:
        """Set aside what a crash left; return what was done."""

    def _taken_numbers(self, dataset: str) -> list[int]:
        return [int(m.group(1)) for n in self._manifest_names(dataset) if (m := VERSION_ID.match(n))]

    # Reading -------------------------------------------------------------------------------

    def current(self, dataset: str) -> Version | None:
        """The current version of ``dataset``, or None before its first publish."""
        version, _token = self._read_pointer(dataset)
        return None if version is None else self.version(dataset, version)

    def version(self, dataset: str, version: str) -> Version:
        """One version's manifest."""
        check_name(dataset)
        if not VERSION_ID.match(version):
            raise StoreError(f"{version!r} is not a version id (they look like v0003)")
        raw = self._get(_manifest_key(dataset, version))
        if raw is None:
            raise StoreError(f"{dataset} has no version {version}")
        found = _parse_manifest(raw)
        if found is None:
            raise StoreError(f"{dataset} {version}: its manifest is incomplete (run the store's repair)")
        return found

    def _try_manifest(self, dataset: str, version: str) -> Version | None:
        try:
            return self.version(dataset, version)
        except StoreError:
            return None

    def history(self, dataset: str) -> list[Version]:
        """Every complete version of ``dataset``, oldest first.

        An incomplete manifest is skipped: ``problems`` names it, and ``repair`` sets it aside.
        """
        check_name(dataset)
        found = [self._try_manifest(dataset, n) for n in self._manifest_names(dataset)]
        return sorted((v for v in found if v is not None), key=lambda v: v.number)

    def problems(self) -> list[str]:
        """What a crash or a hand edit left behind that readers skip: incomplete manifests, links."""
        return [
            f"{name}/manifests/{n}.json"
            for name in SCHEMAS
            for n in sorted(self._manifest_names(name))
            if self._try_manifest(name, n) is None
        ]

    def data_bytes(self, info: Version) -> bytes:
        """A version's stored Parquet bytes, exactly as written (their sha256 is in the manifest)."""
        data = self._get(_data_key(info.dataset, info.object))
        if data is None:
            raise StoreError(f"{info.dataset} {info.version}: its data is missing from the store")
        return data

    def read(self, dataset: str, version: str | None = None) -> pd.DataFrame:
        """The data of ``version`` (default: current) of ``dataset``, checked against its manifest.

        The sha256 the manifest recorded at publish is checked on every read (readers cache by
        version, so once per version): a data file swapped or cut under a version that still names
        it is refused, never shown as that version's numbers.
        """
        info = self.version(dataset, version) if version else self.current(dataset)
        if info is None:
            raise StoreError(f"{dataset} has no published version yet")
        data = self.data_bytes(info)
        if hashlib.sha256(data).hexdigest() != info.sha256:
            raise IntegrityError(self._mismatch(info))
        return pd.read_parquet(io.BytesIO(data))

    def _mismatch(self, info: Version) -> str:
        earlier = [v.version for v in self.history(info.dataset) if v.number < info.number]
        fix = (
            f"make the last good version current with `mandate-metrics rollback {info.dataset} {earlier[-1]}`"
            if earlier
            else "restore the store from a backup"
        )
        return (
            f"{info.dataset} {info.version}: the stored data does not match the checksum its manifest "
            f"recorded (sha256), so it was changed outside the dashboard; nothing from it is shown. "
            f"Restore {_data_key(info.dataset, info.object)} from a backup, or {fix}."
        )

    def restorable(self, dataset: str) -> Version | None:
        """The version a lost pointer should name again: the newest the audit log saw made current.

        A publish writes its audit line only after its pointer moved, so a version with a line of
        its own mode was current once; a publish that died before its pointer has none and is not
        chosen. Where no line survived (an older store), the newest complete version.
        """
        history = self.history(dataset)
        made = {
            (e.get("version"), e.get("event"))
            for e in self.audit_entries()
            if e.get("dataset") == dataset and e.get("version")
        }
        logged = [v for v in history if (v.version, v.mode) in made]
        return logged[-1] if logged else (history[-1] if history else None)

    def damage(self) -> list[str]:
        """What ``repair`` cannot mend by itself, each with what to do: altered data, lost pointers."""
        found = []
        for name in SCHEMAS:
            try:
                current = self.current(name)
                if current is None and self.history(name):
                    found.append(
                        f"{name}: versions exist but none is current (its CURRENT.json is missing); "
                        "run `mandate-metrics repair` to make the newest complete version current"
                    )
                elif current is not None:
                    self.read(name, current.version)
            except IntegrityError as exc:
                found.append(str(exc))
            except StoreError as exc:
                found.append(f"{name}: {exc}")
        return found

    def pointers(self) -> str:
        """The current version of every dataset, as one string: what readers cache by."""
        return "+".join(f"{name}@{self._read_pointer(name)[0] or '-'}" for name in SCHEMAS)

    # Writing -------------------------------------------------------------------------------

    def _write_object(self, dataset: str, frame: pd.DataFrame) -> tuple[str, str]:
        self._before_step("data")
        key = uuid.uuid4().hex
        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False)
        data = buffer.getvalue()
        self._put_new(_data_key(dataset, key), data)  # a new unique prefix
        return key, hashlib.sha256(data).hexdigest()

    def _next_number(self, dataset: str) -> int:
        """After the highest manifest name, complete or not: a number is never reused."""
        return max(self._taken_numbers(dataset), default=0) + 1

    def _create_manifest(self, version: Version) -> bool:
        """Create the version's manifest if its number is free (the commit); False if taken."""
        self._before_step("manifest")
        body = json.dumps(asdict(version), indent=2).encode()
        return self._create(_manifest_key(version.dataset, version.version), body)

    def _commit(
        self,
        dataset: str,
        frame: pd.DataFrame,
        fields: dict[str, Any],
        token: object,
    ) -> Version:
        """Data, then the manifest (the commit), then the pointer, then the audit line.

        A seed is always version 1: if that exists, something was published first.

        When another writer takes the next number first: if the pointer has moved since it was
        read, someone published first (``ConflictError``); if not, theirs was a crashed or an
        unfinished publish, and the next free number is taken.
        """
        key, digest = self._write_object(dataset, frame)
        for _attempt in range(MAX_NUMBER_TRIES):
            number = 1 if fields["mode"] == "seed" else self._next_number(dataset)
            version = Version(
                dataset=dataset,
                version=f"v{number:04d}",
                created_at=_now(),
                rows=len(frame),
                sha256=digest,
                object=key,
                **fields,
            )
            if self._create_manifest(version):
                break
            if fields["mode"] == "seed":
                raise _AlreadySeeded(dataset)
            if self._read_pointer(dataset)[1] != token:
                raise ConflictError(f"{dataset}: {version.version} was published by someone else first")
        else:
            raise StoreError(f"{dataset}: no free version number after {MAX_NUMBER_TRIES} tries")
        try:
            self._swap_pointer(dataset, token, version.version)
        except ConflictError as exc:
            # Kept as history, never current: the log says so, so no one reads it as published.
            self.audit(
                "not_current", by=version.by, dataset=dataset, version=version.version, note=version.note
            )
            raise LostRace(str(exc)) from exc
        try:
            self.audit(
                version.mode,
                by=version.by,
                dataset=dataset,
                version=version.version,
                rows=version.rows,
                note=version.note,
                original_name=version.original_name,
                rollback_of=version.rollback_of,
                declared=version.declared,
            )
        except OSError as exc:  # made current already: never report a publish that took effect as failed
            logger.warning(
                "%s %s is current; its audit line was not written (%s)", dataset, version.version, exc
            )
        return version

    def _refused(self, dataset: str, by: str, mode: str, note: str, reason: ConflictError) -> None:
        """Log a publish or rollback refused before it kept anything: someone published first."""
        if not isinstance(reason, LostRace):  # a lost race was logged with the version it kept
            with suppress(OSError):
                self.audit("refused", by=by, dataset=dataset, mode=mode, note=note, reason=str(reason))

    def _base(self, dataset: str, expected: str | None) -> tuple[Version | None, object]:
        """The current version and its pointer token; ``ConflictError`` if it is not ``expected``."""
        now, token = self._read_pointer(dataset)
        if expected is not ANY and now != expected:
            raise ConflictError(f"{dataset}: current is {now}, not {expected} as reviewed")
        return (self.version(dataset, now) if now else None), token

    def publish(
        self,
        dataset: str,
        frame: pd.DataFrame,
        by: str,
        note: str = "",
        original_name: str = "",
        append: bool = False,
        mode: str | None = None,
        declared: str | None = None,
        expected: str | None = ANY,
    ) -> Version:
        """Store ``frame`` as the next version of ``dataset`` and make it current.

        Replace is the default; with ``append`` the rows are added to the current version's.
        ``expected`` is the version the publisher reviewed: if another is current by now, nothing
        becomes current and ``ConflictError`` says someone published first. Without it a folder
        serialises concurrent publishes (each becomes its own version, in order); a bucket lets
        the first win. ``declared`` records whether staff publish official data or a sample.
        """
        check_name(dataset)
        if declared not in DECLARATIONS:
            raise StoreError(f"declared must be one of {DECLARATIONS}, not {declared!r}")
        with self._locked():
            if mode == "seed" and self._manifest_names(dataset):
                raise _AlreadySeeded(dataset)  # never over a version, even an incomplete one
            how = mode or ("append" if append else "replace")
            try:
                current, token = self._base(dataset, expected)
                if append and current is not None:
                    frame = pd.concat([self.read(dataset, current.version), frame], ignore_index=True)
                fields = {
                    "by": by,
                    "note": note,
                    "original_name": original_name,
                    "mode": how,
                    "declared": declared,
                    "base": current.version if current else None,
                }
                return self._commit(dataset, frame, fields, token)
            except ConflictError as exc:
                self._refused(dataset, by, how, note, exc)
                raise

    def rollback(
        self, dataset: str, version: str, by: str, note: str = "", expected: str | None = ANY
    ) -> Version:
        """Make an earlier version current again, as a new version that records the rollback."""
        with self._locked():
            target = self.version(dataset, version)
            frame = self.read(dataset, version)
            note = note or f"rollback to {version}"
            try:
                current, token = self._base(dataset, expected)
                fields = {
                    "by": by,
                    "note": note,
                    "original_name": target.original_name,
                    "mode": "rollback",
                    "rollback_of": version,
                    "declared": target.declared,
                    "base": current.version if current else None,
                }
                return self._commit(dataset, frame, fields, token)
            except ConflictError as exc:
                self._refused(dataset, by, "rollback", note, exc)
                raise

    # Receiving a copy (copy.py) ------------------------------------------------------------

    def receive_version(self, version: Version, data: bytes) -> None:
        """Keep a version copied from another store as it was: same id, object key and manifest."""
        if hashlib.sha256(data).hexdigest() != version.sha256:
            raise StoreError(f"{version.dataset} {version.version}: the data does not match its checksum")
        self._put_new(_data_key(version.dataset, version.object), data)
        if not self._create_manifest(version):
            raise StoreError(f"{version.dataset} {version.version} exists already in {self.location}")

    def receive_pointer(self, dataset: str, version: str) -> None:
        """Make a received version current (the copy's pointer is new, so nothing else moved it)."""
        self.version(dataset, version)  # it must have been received first
        self._swap_pointer(dataset, self._read_pointer(dataset)[1], version)

    def receive_audit(self, entry: dict[str, Any]) -> None:
        """Keep an audit event copied from another store, with its original time."""
        self._write_audit(entry)

    # Audit ---------------------------------------------------------------------------------

    def audit(self, event: str, **fields: Any) -> None:
        """Keep one event in the audit log: one short JSON record."""
        self._before_step("audit")
        self._write_audit({"at": _now(), "event": event, **{k: _short(v) for k, v in fields.items()}})

    def outcomes(self, dataset: str, entries: list[dict[str, Any]] | None = None) -> dict[str, str]:
        """What became of each version of ``dataset`` (see ``OUTCOMES``), from manifests and the log.

        A version was current once if the pointer names it, if a later manifest names it as its
        base, or if its own audit line was written (a publish writes it after the pointer moved).
        Otherwise it was kept but never current: the log says whether someone published first.
        """
        entries = self.audit_entries() if entries is None else entries
        history = self.history(dataset)
        mine = [e for e in entries if e.get("dataset") == dataset and e.get("version")]
        lost = {e["version"] for e in mine if e.get("event") == "not_current"}
        was = {v.base for v in history if v.base} | {
            e["version"] for e in mine if e.get("event") not in ("not_current", "refused")
        }
        now = self._read_pointer(dataset)[0]
        return {
            v.version: "current"
            if v.version == now
            else "not_current"
            if v.version in lost
            else "replaced"
            if v.version in was
            else "stopped"
            for v in history
        }

    def audit_log(self, entries: list[dict[str, Any]] | None = None) -> pd.DataFrame:
        """The audit log, newest first: every logged event, and every version even if its line was lost.

        A version's manifest is part of the log: a publish whose process died before it wrote its
        audit line still appears, from its manifest (``from_manifest`` says so), as what it became:
        its mode if it was made current, ``stopped`` if its publish died before its pointer.
        ``entries`` are the audit entries if the caller has read them already.
        """
        rows = list(self.audit_entries() if entries is None else entries)
        logged = {(r.get("dataset"), r.get("version")) for r in rows if r.get("version")}
        for name in SCHEMAS:
            outcome = self.outcomes(name, rows)
            for v in self.history(name):
                if (name, v.version) not in logged:
                    rows.append(
                        {
                            "at": v.created_at,
                            # a version never made current says so: never "published" by its mode
                            "event": v.mode if outcome[v.version] in ("current", "replaced") else "stopped",
                            "by": v.by,
                            "dataset": name,
                            "version": v.version,
                            "rows": v.rows,
                            "note": v.note,
                            "declared": v.declared,
                            "from_manifest": True,
                        }
                    )
        if not rows:
            return pd.DataFrame(columns=["at", "event"])
        frame = pd.DataFrame(rows).sort_values("at", kind="stable")
        return frame.iloc[::-1].reset_index(drop=True)

    def seed(self, frames: dict[str, pd.DataFrame]) -> list[Version]:
        """Publish the shipped datasets as version 1 where a dataset has no version at all.

        In a folder the check runs under the publish lock; in a bucket the manifest's
        create-if-absent decides. Either way eight first runs at once make one seed each, and a
        seed never lands on top of a real (or crashed) first publish.
        """
        made = []
        for dataset, frame in frames.items():
            if self.current(dataset) is None:
                try:
                    made.append(
                        self.publish(
                            dataset,
                            frame,
                            by="seed",
                            note="shipped data",
                            mode="seed",
                            original_name=f"data/{dataset}.csv",
                        )
                    )
                except (_AlreadySeeded, ConflictError):
                    self._await_pointer(dataset)  # another first run is seeding it, or a version exists
        return made

    def _await_pointer(self, dataset: str) -> None:
        """Give a first publish on another replica the moment between its manifest and its pointer.

        Gives up quietly: a first publish that crashed there stays history, never current.
        """
        deadline = time.monotonic() + SEED_WAIT
        while self._read_pointer(dataset)[0] is None and time.monotonic() < deadline:
            time.sleep(0.1)
