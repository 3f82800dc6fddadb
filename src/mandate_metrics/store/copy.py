"""Move a whole store between a folder and a bucket: every version, the pointers, the audit log.

Used to go from one machine to several (folder -> bucket), to back a bucket up (bucket -> folder)
or to move providers. Every version keeps its id, object key, manifest and checksum; nothing is
re-numbered, so citations and the audit log stay true. The target must be empty. After copying,
everything is read back from the target and checked against the source: the same history, the
same current versions, the same audit events, and every data object's sha256 as its manifest says.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from mandate_metrics.schemas import SCHEMAS
from mandate_metrics.store.version import StoreError
from mandate_metrics.store.versioned import VersionedStore


@dataclass(frozen=True)
class Copied:
    """What a copy moved and verified."""

    versions: int
    current: int
    audit_events: int
    data_bytes: int


def _is_empty(store: VersionedStore) -> bool:
    return not store.audit_entries() and not any(store.history(name) for name in SCHEMAS)


def _inside(inner: str, outer: str) -> bool:
    """Whether store address ``inner`` lies inside ``outer`` (a subfolder, or a longer prefix)."""
    if inner.startswith("s3://") or outer.startswith("s3://"):
        return inner.startswith(outer.rstrip("/") + "/")
    return Path(inner).resolve().is_relative_to(Path(outer).resolve())


def check_apart(source: str, target: str) -> None:
    """Refuse a copy between one store and itself, or into (or around) its own folder or prefix.

    Called with the addresses before either store is opened: opening a folder creates it.
    """
    if source == target:
        raise StoreError("the source and the target are the same store")
    if _inside(target, source) or _inside(source, target):
        raise StoreError(
            f"{target} and {source} are one inside the other: copy to a folder or prefix outside the store"
        )


def copy_store(source: VersionedStore, target: VersionedStore) -> Copied:
    """Copy everything in ``source`` into the empty ``target``, then verify it; ``StoreError`` if not."""
    check_apart(source.location, target.location)
    if not _is_empty(target):
        raise StoreError(f"{target.location} already holds a store: copy into an empty folder or prefix")
    versions = current = size = 0
    for name in SCHEMAS:
        for version in source.history(name):
            data = source.data_bytes(version)
            if hashlib.sha256(data).hexdigest() != version.sha256:
                raise StoreError(f"{name} {version.version}: its data does not match its checksum")
            target.receive_version(version, data)
            versions, size = versions + 1, size + len(data)
        now = source.current(name)
        if now is not None:
            target.receive_pointer(name, now.version)
            current += 1
    events = source.audit_entries()
    for entry in events:
        target.receive_audit(entry)
    verify_copy(source, target)
    return Copied(versions=versions, current=current, audit_events=len(events), data_bytes=size)


def verify_copy(source: VersionedStore, target: VersionedStore) -> None:
    """Read ``target`` back: history, current versions, audit and every checksum as in ``source``."""
    for name in SCHEMAS:
        if source.history(name) != target.history(name):
            raise StoreError(f"{name}: the copied history differs from the source's")
        if source.current(name) != target.current(name):
            raise StoreError(f"{name}: the copied current version differs from the source's")
        for version in target.history(name):
            if hashlib.sha256(target.data_bytes(version)).hexdigest() != version.sha256:
                raise StoreError(f"{name} {version.version}: the copied data does not match its checksum")
    if source.audit_entries() != target.audit_entries():
        raise StoreError("the copied audit log differs from the source's")
