"""What a version of a dataset is, and how the store says no: the vocabulary every backend shares.

``Version`` is a manifest's content; the errors are what readers and writers catch; ``STEPS`` names
the write steps of a publish (tests fail each in turn). Nothing here touches storage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, TypeVar

from mandate_metrics.schemas import SCHEMAS

STEPS = ("data", "manifest", "manifest_body", "pointer", "audit")
OUTCOMES = ("current", "replaced", "not_current", "stopped")
"""What became of a version: current now; current once, then replaced; kept but never current
because someone published first; never current because its publish stopped before its pointer."""
"""The write steps of a publish, in order (``manifest_body`` is halfway through writing the
manifest's bytes); tests fail each in turn, and fill the disk at each, to prove the guarantees."""
VERSION_ID = re.compile(r"^v(\d{4,})$")
"""A version id as the store names it: v0001, v0002, … (never a path)."""
DECLARATIONS = (None, "official", "illustrative")
"""What a version can be declared as at publish; None only for the shipped seed."""


class StoreError(RuntimeError):
    """The store refused an operation; the message says why."""


class IntegrityError(StoreError):
    """A version's data is not what its manifest recorded: changed or replaced outside the dashboard."""


class ConflictError(StoreError):
    """The current version changed between reading and moving the pointer: someone published first."""


class LostRace(ConflictError):
    """Someone published first after this version's manifest was created: it is kept, never current."""


class _Any:
    """The ``expected`` of a publish that builds on whatever is current when it runs."""

    def __repr__(self) -> str:
        return "ANY"


ANY: Any = _Any()
T = TypeVar("T")


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
    base: str | None = None  # the version current when the publish began: proof that one was current

    @property
    def number(self) -> int:
        """The version's sequence number (v0003 -> 3)."""
        match = VERSION_ID.match(self.version)
        return int(match.group(1)) if match else 0


def check_name(dataset: str) -> None:
    """Only known dataset names reach the file system: nothing can write outside the store."""
    if dataset not in SCHEMAS:
        raise StoreError(f"unknown dataset {dataset!r}; known: {', '.join(SCHEMAS)}")
