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
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from mandate_metrics.schemas import SCHEMAS

STEPS = ("data", "manifest", "manifest_body", "pointer", "audit")
"""The write steps of a publish, in order (``manifest_body`` is halfway through writing the
manifest's bytes); tests fail each in turn, and fill the disk at each, to prove the guarantees."""
AUDIT_MAX_BYTES = 5_000_000  # then audit.jsonl is rotated to audit.1.jsonl (AUDIT_KEEP files kept)
AUDIT_KEEP = 5
AUDIT_FIELD_MAX = 300  # characters per audit field: a 2 MB "name" cannot grow the log by 2 MB
_VERSION = re.compile(r"^v(\d{4,})$")
DECLARATIONS = (None, "official", "illustrative")
"""What a version can be declared as at publish; None only for the shipped seed."""


class StoreError(RuntimeError):
    """The store refused an operation; the message says why."""


class _AlreadySeeded(StoreError):
    """A seed found the dataset already holds versions (so it publishes nothing)."""


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


def _parse_manifest(raw: bytes) -> Version | None:
    """A manifest's version, or None for one a crash left incomplete (empty, cut short, not ours)."""
    try:
        fields = json.loads(raw)
        return Version(**fields)
    except (ValueError, TypeError):
        return None


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _short(value: Any) -> Any:
    """An audit field cut to ``AUDIT_FIELD_MAX`` characters: one event, one short line."""
    if isinstance(value, str) and len(value) > AUDIT_FIELD_MAX:
        return value[:AUDIT_FIELD_MAX] + f"… ({len(value)} characters)"
    return value


def _check_name(dataset: str) -> None:
    """Only known dataset names reach the file system: nothing can write outside the store."""
    if dataset not in SCHEMAS:
        raise StoreError(f"unknown dataset {dataset!r}; known: {', '.join(SCHEMAS)}")


class LocalStore:
    """The store on a local (or mounted) file system."""

    def __init__(self, root: Path, before_step: Callable[[str], None] | None = None) -> None:
        self.root = Path(root)
        if self.root.is_symlink() or (self.root.exists() and not self.root.is_dir()):
            raise StoreError(f"{self.root} is not a folder: name a folder for the store")
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the store folder {self.root}: {exc.strerror}") from exc
        self._before_step = before_step or (lambda step: None)

    # Reading -------------------------------------------------------------------------------

    def _dir(self, dataset: str) -> Path:
        _check_name(dataset)
        return self.root / dataset

    def _read_bytes(self, path: Path) -> bytes:
        """A file's bytes, refusing any link inside the store: nothing can point a reader elsewhere."""
        part = path
        while part != self.root and self.root in part.parents:
            if part.is_symlink():
                raise StoreError(f"{part.relative_to(self.root)} is a link; the store follows none")
            part = part.parent
        try:
            descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError as exc:
            raise StoreError(f"cannot read {path.name}: {exc.strerror}") from exc
        with os.fdopen(descriptor, "rb") as handle:
            return handle.read()

    def current(self, dataset: str) -> Version | None:
        """The current version of ``dataset``, or None before its first publish."""
        pointer = self._dir(dataset) / "CURRENT.json"
        if not pointer.exists() and not pointer.is_symlink():
            return None
        return self.version(dataset, json.loads(self._read_bytes(pointer))["version"])

    def version(self, dataset: str, version: str) -> Version:
        """One version's manifest."""
        if not _VERSION.match(version):
            raise StoreError(f"{version!r} is not a version id (they look like v0003)")
        path = self._dir(dataset) / "manifests" / f"{version}.json"
        if not path.exists():
            raise StoreError(f"{dataset} has no version {version}")
        found = _parse_manifest(self._read_bytes(path))
        if found is None:
            raise StoreError(f"{dataset} {version}: its manifest is incomplete (run the store's repair)")
        return found

    def _manifests(self, dataset: str) -> list[Path]:
        folder = self._dir(dataset) / "manifests"
        return sorted(folder.glob("v*.json")) if folder.exists() else []

    def history(self, dataset: str) -> list[Version]:
        """Every complete version of ``dataset``, oldest first.

        An incomplete manifest is skipped: ``problems`` names it, and ``repair`` sets it aside.
        """
        versions = [v for p in self._manifests(dataset) if (v := self._try_manifest(p)) is not None]
        return sorted(versions, key=lambda v: v.number)

    def _try_manifest(self, path: Path) -> Version | None:
        try:
            return _parse_manifest(self._read_bytes(path))
        except StoreError:
            return None

    def problems(self) -> list[str]:
        """What a crash or a hand edit left behind that readers skip: incomplete manifests, links."""
        found = []
        for name in SCHEMAS:
            for path in self._manifests(name):
                if path.is_symlink() or self._try_manifest(path) is None:
                    found.append(f"{name}/manifests/{path.name}")
        return found

    def read(self, dataset: str, version: str | None = None) -> pd.DataFrame:
        """The data of ``version`` (default: current) of ``dataset``."""
        info = self.version(dataset, version) if version else self.current(dataset)
        if info is None:
            raise StoreError(f"{dataset} has no published version yet")
        data = self._read_bytes(self._dir(dataset) / "objects" / info.object / "data.parquet")
        return pd.read_parquet(io.BytesIO(data))

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
        """Create the manifest, whole, if absent; an existing one means another writer took the number.

        The body goes to a temporary file first (written, flushed, fsynced), which is then linked to
        its final name (``link`` fails if the name exists: create-if-absent) and the folder fsynced.
        A crash or a full disk at any point leaves the manifest complete or absent, never cut short.
        """
        self._before_step("manifest")
        folder = self._dir(version.dataset) / "manifests"
        folder.mkdir(parents=True, exist_ok=True)
        body = json.dumps(asdict(version), indent=2).encode()
        temporary = folder / f".{version.version}.{uuid.uuid4().hex}.tmp"
        try:
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(body[: len(body) // 2])
                self._before_step("manifest_body")
                handle.write(body[len(body) // 2 :])
                handle.flush()
                os.fsync(handle.fileno())
            os.link(temporary, folder / f"{version.version}.json")
            _fsync_folder(folder)
        finally:
            temporary.unlink(missing_ok=True)

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
        """After the highest manifest name, complete or not: a number is never reused."""
        numbers = [int(m.group(1)) for p in self._manifests(dataset) if (m := _VERSION.match(p.stem))]
        aside = self._dir(dataset) / "manifests" / "set-aside"
        if aside.exists():
            numbers += [int(m.group(1)) for p in aside.iterdir() if (m := re.match(r"^v(\d{4,})", p.name))]
        return max(numbers, default=0) + 1

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
            if mode == "seed" and self._manifests(dataset):
                raise _AlreadySeeded(dataset)  # never over a version, even an incomplete one
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
        """Append one event to the audit log: one short JSON line, the file rotated when large."""
        self._before_step("audit")
        entry = {"at": _now(), "event": event, **{k: _short(v) for k, v in fields.items()}}
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        path = self.root / "audit.jsonl"
        with (self.root / ".audit.lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                if path.exists() and path.stat().st_size + len(line) > AUDIT_MAX_BYTES:
                    self._rotate_audit()
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW, 0o640)
                with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
                    handle.write(line)
                    handle.flush()
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _rotate_audit(self) -> None:
        for index in range(AUDIT_KEEP - 1, 0, -1):
            older = self.root / f"audit.{index}.jsonl"
            if older.exists():
                os.replace(older, self.root / f"audit.{index + 1}.jsonl")
        os.replace(self.root / "audit.jsonl", self.root / "audit.1.jsonl")

    def audit_log(self) -> pd.DataFrame:
        """The audit log, newest first: every logged event, and every version even if its line was lost.

        A version's manifest is part of the log: a publish whose process died before it wrote its
        audit line still appears, from its manifest (``from_manifest`` says so).
        """
        rows = []
        for path in [self.root / f"audit.{i}.jsonl" for i in range(AUDIT_KEEP, 0, -1)] + [
            self.root / "audit.jsonl"
        ]:
            if path.exists() and not path.is_symlink():
                for line in self._read_bytes(path).decode("utf-8", errors="replace").splitlines():
                    try:
                        rows.append(json.loads(line))
                    except ValueError:
                        continue  # a line cut short by a crash: the manifests below still count
        logged = {(r.get("dataset"), r.get("version")) for r in rows if r.get("version")}
        for name in SCHEMAS:
            for v in self.history(name):
                if (name, v.version) not in logged:
                    rows.append(
                        {
                            "at": v.created_at,
                            "event": v.mode,
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

    # Repair ---------------------------------------------------------------------------------

    def repair(self) -> list[str]:
        """Set aside what a crash left, under the lock; return what was done (also audited).

        Incomplete manifests move to ``manifests/set-aside/`` (their numbers are never reused);
        temporary files are removed; a pointer to a missing version moves to the newest complete
        one; object folders no manifest names are removed.
        """
        done: list[str] = []
        with self._locked():
            for name in SCHEMAS:
                folder = self._dir(name)
                if not folder.exists():
                    continue
                manifests = folder / "manifests"
                for temporary in [*manifests.glob(".*.tmp"), *folder.glob("CURRENT.*.tmp")]:
                    temporary.unlink(missing_ok=True)
                    done.append(f"removed {name}/{temporary.name}")
                for path in self._manifests(name):
                    if path.is_symlink() or self._try_manifest(path) is None:
                        aside = manifests / "set-aside"
                        aside.mkdir(exist_ok=True)
                        os.replace(path, aside / f"{path.name}.{uuid.uuid4().hex[:8]}")
                        done.append(f"set aside {name}/manifests/{path.name}")
                done += self._repair_pointer(name)
                named = {v.object for v in self.history(name)}
                objects = folder / "objects"
                for key in objects.iterdir() if objects.exists() else []:
                    if key.name not in named and not key.is_symlink():
                        shutil.rmtree(key, ignore_errors=True)
                        done.append(f"removed {name}/objects/{key.name} (no version names it)")
        if done:
            self.audit("repair", by="store", actions="; ".join(done))
        return done

    def _repair_pointer(self, name: str) -> list[str]:
        pointer = self._dir(name) / "CURRENT.json"
        if not pointer.exists():
            return []
        try:
            self.current(name)
            return []
        except (StoreError, ValueError, KeyError):
            history = self.history(name)
            if not history:
                pointer.unlink()
                return [f"removed {name}/CURRENT.json (no complete version)"]
            temporary = pointer.with_suffix(f".{uuid.uuid4().hex}.tmp")
            temporary.write_text(json.dumps({"version": history[-1].version}))
            os.replace(temporary, pointer)
            return [f"{name}: current moved to {history[-1].version}, the newest complete version"]

    def seed(self, frames: dict[str, pd.DataFrame]) -> list[Version]:
        """Publish the shipped datasets as version 1 where a dataset has no version at all.

        The check runs under the publish lock, so eight first runs at once make one seed each,
        and a seed never lands on top of a real (or crashed) first publish.
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
                except _AlreadySeeded:
                    continue  # another first run seeded it, or a version (even a broken one) exists
        return made
