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
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import json
import os
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from mandate_metrics.schemas import SCHEMAS

STEPS = ("data", "manifest", "pointer", "audit")
"""The write steps of a publish, in order; tests fail each in turn to prove the guarantees."""
_VERSION = re.compile(r"^v(\d{4,})$")
DECLARATIONS = (None, "official", "illustrative")
"""What a version can be declared as at publish; None only for the shipped seed."""


class StoreError(RuntimeError):
    """The store refused an operation; the message says why."""


class ConflictError(StoreError):
    """The current version changed between reading and moving the pointer."""


@dataclass(frozen=True)
class Version:
    """One immutable version of a dataset, as its manifest records it."""

    dataset: str
    version: str
    created_at: str
    by: str
    note: str
    rows: int
    sha256: str
    original_name: str
    mode: str  # seed, replace, append or rollback
    object: str
    rollback_of: str | None = None
    declared: str | None = None  # "official" or "illustrative" as staff declared it; None: shipped seed

    @property
    def number(self) -> int:
        """The version's sequence number (v0003 -> 3)."""
        match = _VERSION.match(self.version)
        return int(match.group(1)) if match else 0


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _check_name(dataset: str) -> None:
    """Only known dataset names reach the file system: nothing can write outside the store."""
    if dataset not in SCHEMAS:
        raise StoreError(f"unknown dataset {dataset!r}; known: {', '.join(SCHEMAS)}")


class LocalStore:
    """The store on a local (or mounted) file system."""

    def __init__(self, root: Path, before_step: Callable[[str], None] | None = None) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._before_step = before_step or (lambda step: None)

    # Reading -------------------------------------------------------------------------------

    def _dir(self, dataset: str) -> Path:
        _check_name(dataset)
        return self.root / dataset

    def current(self, dataset: str) -> Version | None:
        """The current version of ``dataset``, or None before its first publish."""
        pointer = self._dir(dataset) / "CURRENT.json"
        if not pointer.exists():
            return None
        return self.version(dataset, json.loads(pointer.read_text())["version"])

    def version(self, dataset: str, version: str) -> Version:
        """One version's manifest."""
        if not _VERSION.match(version):
            raise StoreError(f"{version!r} is not a version id (they look like v0003)")
        path = self._dir(dataset) / "manifests" / f"{version}.json"
        if not path.exists():
            raise StoreError(f"{dataset} has no version {version}")
        return Version(**json.loads(path.read_text()))

    def history(self, dataset: str) -> list[Version]:
        """Every version of ``dataset``, oldest first."""
        folder = self._dir(dataset) / "manifests"
        if not folder.exists():
            return []
        versions = [Version(**json.loads(p.read_text())) for p in folder.glob("v*.json")]
        return sorted(versions, key=lambda v: v.number)

    def read(self, dataset: str, version: str | None = None) -> pd.DataFrame:
        """The data of ``version`` (default: current) of ``dataset``."""
        info = self.version(dataset, version) if version else self.current(dataset)
        if info is None:
            raise StoreError(f"{dataset} has no published version yet")
        return pd.read_parquet(self._dir(dataset) / "objects" / info.object / "data.parquet")

    def pointers(self) -> str:
        """The current version of every dataset, as one string: what readers cache by."""
        return "+".join(f"{name}@{v.version if (v := self.current(name)) else '-'}" for name in SCHEMAS)

    # Writing -------------------------------------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with (self.root / ".lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _write_object(self, dataset: str, frame: pd.DataFrame) -> tuple[str, str]:
        self._before_step("data")
        key = uuid.uuid4().hex
        folder = self._dir(dataset) / "objects" / key
        folder.mkdir(parents=True, exist_ok=False)  # a new unique prefix, never reused
        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False)
        data = buffer.getvalue()
        temporary = folder / "data.parquet.tmp"
        temporary.write_bytes(data)
        os.replace(temporary, folder / "data.parquet")
        return key, hashlib.sha256(data).hexdigest()

    def _create_manifest(self, version: Version) -> None:
        """Create the manifest if absent; an existing one means another writer took the number."""
        self._before_step("manifest")
        folder = self._dir(version.dataset) / "manifests"
        folder.mkdir(parents=True, exist_ok=True)
        body = json.dumps(asdict(version), indent=2).encode()
        descriptor = os.open(folder / f"{version.version}.json", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(body)
            handle.flush()
            os.fsync(handle.fileno())

    def _swap_pointer(self, dataset: str, expected: str | None, new: str) -> None:
        """Move the pointer from ``expected`` to ``new``, or fail if someone else moved it."""
        self._before_step("pointer")
        actual = self.current(dataset)
        if (actual.version if actual else None) != expected:
            raise ConflictError(
                f"{dataset}: current moved from {expected} to {actual.version if actual else None}"
            )
        pointer = self._dir(dataset) / "CURRENT.json"
        temporary = pointer.with_suffix(f".{uuid.uuid4().hex}.tmp")
        temporary.write_text(json.dumps({"version": new}))
        os.replace(temporary, pointer)  # atomic: readers see the old pointer or the new one

    def _next_number(self, dataset: str) -> int:
        history = self.history(dataset)
        return history[-1].number + 1 if history else 1

    def _commit(
        self,
        dataset: str,
        frame: pd.DataFrame,
        by: str,
        note: str,
        original_name: str,
        mode: str,
        expected: str | None,
        rollback_of: str | None = None,
        declared: str | None = None,
    ) -> Version:
        key, digest = self._write_object(dataset, frame)
        version = Version(
            dataset=dataset,
            version=f"v{self._next_number(dataset):04d}",
            created_at=_now(),
            by=by,
            note=note,
            rows=len(frame),
            sha256=digest,
            original_name=original_name,
            mode=mode,
            object=key,
            rollback_of=rollback_of,
            declared=declared,
        )
        self._create_manifest(version)
        self._swap_pointer(dataset, expected, version.version)
        self.audit(
            mode,
            by=by,
            dataset=dataset,
            version=version.version,
            rows=version.rows,
            note=note,
            original_name=original_name,
            rollback_of=rollback_of,
            declared=declared,
        )
        return version

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
    ) -> Version:
        """Store ``frame`` as the next version of ``dataset`` and make it current.

        Replace is the default; with ``append`` the rows are added to the current version's.
        Concurrent publishes are serialised: each becomes its own version, in order. ``declared``
        records whether staff publish official data or an illustrative sample.
        """
        if declared not in DECLARATIONS:
            raise StoreError(f"declared must be one of {DECLARATIONS}, not {declared!r}")
        with self._locked():
            current = self.current(dataset)
            expected = current.version if current else None
            if append and current is not None:
                frame = pd.concat([self.read(dataset), frame], ignore_index=True)
            kind = mode or ("append" if append else "replace")
            return self._commit(dataset, frame, by, note, original_name, kind, expected, declared=declared)

    def rollback(self, dataset: str, version: str, by: str, note: str = "") -> Version:
        """Make an earlier version current again, as a new version that records the rollback."""
        with self._locked():
            target = self.version(dataset, version)
            frame = self.read(dataset, version)
            current = self.current(dataset)
            expected = current.version if current else None
            text = note or f"rollback to {version}"
            return self._commit(
                dataset,
                frame,
                by,
                text,
                target.original_name,
                "rollback",
                expected,
                rollback_of=version,
                declared=target.declared,
            )

    # Audit ---------------------------------------------------------------------------------

    def audit(self, event: str, **fields: Any) -> None:
        """Append one event to the audit log (one JSON object per line)."""
        self._before_step("audit")
        line = json.dumps({"at": _now(), "event": event, **fields}, ensure_ascii=False) + "\n"
        with (self.root / "audit.jsonl").open("a", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            handle.write(line)
            handle.flush()
            fcntl.flock(handle, fcntl.LOCK_UN)

    def audit_log(self) -> pd.DataFrame:
        """The audit log, newest first."""
        path = self.root / "audit.jsonl"
        if not path.exists():
            return pd.DataFrame(columns=["at", "event"])
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        return pd.DataFrame(rows).iloc[::-1].reset_index(drop=True)

    def seed(self, frames: dict[str, pd.DataFrame]) -> list[Version]:
        """Publish the shipped datasets as version 1 where a dataset has no version yet."""
        made = []
        for dataset, frame in frames.items():
            if self.current(dataset) is None:
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
        return made
