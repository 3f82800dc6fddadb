"""The store in a folder: the commit protocol of ``versioned.py`` on a local (or mounted) file system.

Create-if-absent is ``link`` of a fully written temporary file; compare-and-swap of the pointer is
a file lock plus an atomic rename; the audit log is one append-only file, rotated when large.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mandate_metrics.schemas import SCHEMAS
from mandate_metrics.store.version import ConflictError, StoreError, T, check_name
from mandate_metrics.store.versioned import VersionedStore

AUDIT_MAX_BYTES = 5_000_000  # then audit.jsonl is rotated to audit.1.jsonl (AUDIT_KEEP files kept)
AUDIT_KEEP = 5


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def update_json_file(path: Path, change: Callable[[dict[str, Any]], T]) -> T:
    """Read, change and write back a small JSON document atomically, under a file lock.

    A document a crash cut short reads as empty: counting starts again, it never fails open.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.with_suffix(".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            try:
                state = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
            except ValueError:
                state = {}
            result = change(state)
            descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.")
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                json.dump(state, handle)
            os.replace(temporary, path)
            return result
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class LocalStore(VersionedStore):
    """The store on a local (or mounted) file system."""

    def __init__(self, root: Path, before_step: Callable[[str], None] | None = None) -> None:
        super().__init__(before_step)
        self.root = Path(root)
        self.location = str(self.root)
        if self.root.is_symlink() or (self.root.exists() and not self.root.is_dir()):
            raise StoreError(f"{self.root} is not a folder: name a folder for the store")
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the store folder {self.root}: {exc.strerror}") from exc

    # Primitives ----------------------------------------------------------------------------

    def _dir(self, dataset: str) -> Path:
        check_name(dataset)
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

    def _get(self, key: str) -> bytes | None:
        path = self.root / key
        if not path.exists() and not path.is_symlink():
            return None
        return self._read_bytes(path)

    def _manifests(self, dataset: str) -> list[Path]:
        folder = self._dir(dataset) / "manifests"
        return sorted(folder.glob("v*.json")) if folder.exists() else []

    def _manifest_names(self, dataset: str) -> list[str]:
        return [p.stem for p in self._manifests(dataset)]

    def _taken_numbers(self, dataset: str) -> list[int]:
        numbers = super()._taken_numbers(dataset)
        aside = self._dir(dataset) / "manifests" / "set-aside"
        if aside.exists():
            numbers += [int(m.group(1)) for p in aside.iterdir() if (m := re.match(r"^v(\d{4,})", p.name))]
        return numbers

    def _read_pointer(self, dataset: str) -> tuple[str | None, object]:
        check_name(dataset)
        raw = self._get(f"{dataset}/CURRENT.json")
        version = None if raw is None else str(json.loads(raw)["version"])
        return version, version  # under the lock, the version read is the token

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with (self.root / ".lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _put_new(self, key: str, data: bytes) -> None:
        path = self.root / key
        path.parent.mkdir(parents=True, exist_ok=False)  # a new unique prefix, never reused
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)

    def _create(self, key: str, body: bytes) -> bool:
        """Create the file, whole, if absent.

        The body goes to a temporary file first (written, flushed, fsynced), which is then linked to
        its final name (``link`` fails if the name exists: create-if-absent) and the folder fsynced.
        A crash or a full disk at any point leaves the file complete or absent, never cut short.
        """
        path = self.root / key
        folder = path.parent
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".{path.stem}.{uuid.uuid4().hex}.tmp"
        try:
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(body[: len(body) // 2])
                self._before_step("manifest_body")
                handle.write(body[len(body) // 2 :])
                handle.flush()
                os.fsync(handle.fileno())
            try:
                os.link(temporary, path)
            except FileExistsError:
                return False
            _fsync_folder(folder)
            return True
        finally:
            temporary.unlink(missing_ok=True)

    def _swap_pointer(self, dataset: str, token: object, new: str) -> None:
        """Move the pointer from ``token`` (the version read) to ``new``, or fail if it moved."""
        self._before_step("pointer")
        actual, _ = self._read_pointer(dataset)
        if actual != token:
            raise ConflictError(f"{dataset}: current moved from {token} to {actual}")
        self._write_pointer(dataset, new)

    def _write_pointer(self, dataset: str, version: str) -> None:
        pointer = self._dir(dataset) / "CURRENT.json"
        temporary = pointer.with_suffix(f".{uuid.uuid4().hex}.tmp")
        temporary.write_text(json.dumps({"version": version}))
        os.replace(temporary, pointer)  # atomic: readers see the old pointer or the new one

    # Audit and documents -------------------------------------------------------------------

    def _write_audit(self, entry: dict[str, Any]) -> None:
        """Append one line to audit.jsonl, rotated when large, under a lock of its own."""
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

    def audit_entries(self) -> list[dict[str, Any]]:
        """The rotated files, oldest first, then audit.jsonl; a line cut short by a crash is skipped."""
        rows = []
        for path in [self.root / f"audit.{i}.jsonl" for i in range(AUDIT_KEEP, 0, -1)] + [
            self.root / "audit.jsonl"
        ]:
            if path.exists() and not path.is_symlink():
                for line in self._read_bytes(path).decode("utf-8", errors="replace").splitlines():
                    try:
                        rows.append(json.loads(line))
                    except ValueError:
                        continue  # the manifests still count every version
        return rows

    def update_json(self, name: str, change: Callable[[dict[str, Any]], T]) -> T:
        """Change ``name`` (a file at the store's top) under a file lock."""
        return update_json_file(self.root / name, change)

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
                    if path.is_symlink() or self._try_manifest(name, path.stem) is None:
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
        if not pointer.exists() and not pointer.is_symlink():
            restored = self.restorable(name)
            if restored is None:
                return []  # a new dataset: the seed makes its first version
            self._write_pointer(name, restored.version)
            return [f"{name}: CURRENT.json was missing; current set to {restored.version} again"]
        try:
            self.current(name)
            return []
        except (StoreError, ValueError, KeyError):
            history = self.history(name)
            if not history:
                pointer.unlink()
                return [f"removed {name}/CURRENT.json (no complete version)"]
            self._write_pointer(name, history[-1].version)
            return [f"{name}: current moved to {history[-1].version}, the newest complete version"]
