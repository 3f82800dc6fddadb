"""Dataset sidecars: where a dataset comes from, how far it can be trusted, and its checksum.

Each ``data/<name>.csv`` has a ``data/<name>.meta.json`` beside it. The loader refuses a dataset
whose sidecar is malformed or whose checksum does not match, so a figure on screen can always be
traced to a file, a version, an as-of date and a source.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

PROVENANCES = ("published", "illustrative", "mixed", "official")
"""published: every row from a public source; illustrative: none is; mixed: flagged per row;
official: a version staff declared official at publish (never set in a shipped sidecar)."""
VISIBILITIES = ("public", "internal")
REQUIRED = (
    "title",
    "description",
    "provenance",
    "sources",
    "licence",
    "as_of",
    "visibility",
    "sha256",
    "rows",
)


class MetadataError(ValueError):
    """A sidecar is missing, malformed, or does not match its data file."""


@dataclass(frozen=True)
class Source:
    """One source a dataset draws on."""

    title: str
    url: str | None = None


@dataclass(frozen=True)
class DatasetMeta:
    """The contents of one sidecar."""

    name: str
    title: str
    description: str
    provenance: str
    sources: tuple[Source, ...]
    licence: str
    as_of: date
    visibility: str
    sha256: str
    rows: int
    generated_by: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    official_title: str | None = None  # the title once staff publish an official version
    version_id: str | None = None  # the store's version (v0003); None for files read straight from data/

    @property
    def version(self) -> str:
        """The store's version id, or for a seed file a short id derived from its checksum."""
        return self.version_id or f"seed-{self.sha256[:8]}"

    @property
    def is_illustrative(self) -> bool:
        """True when any row of the dataset is not from a public source."""
        return self.provenance in ("illustrative", "mixed")


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in blocks so large files cost little memory."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sidecar_path(csv_path: Path) -> Path:
    """``data/x.csv`` -> ``data/x.meta.json``."""
    return csv_path.with_suffix(".meta.json")


def parse_sidecar(name: str, raw: dict[str, Any], where: str) -> DatasetMeta:
    """Check a sidecar's fields and build its ``DatasetMeta``.

    Raises:
        MetadataError: naming the file and the field that is wrong.
    """
    missing = [key for key in REQUIRED if key not in raw]
    if missing:
        raise MetadataError(f"{where}: missing field(s) {', '.join(missing)}")
    if raw["provenance"] not in PROVENANCES:
        raise MetadataError(f"{where}: provenance must be one of {PROVENANCES}, not {raw['provenance']!r}")
    if raw["visibility"] not in VISIBILITIES:
        raise MetadataError(f"{where}: visibility must be one of {VISIBILITIES}, not {raw['visibility']!r}")
    if not raw["sources"]:
        raise MetadataError(f"{where}: sources must name at least one source")
    try:
        as_of = date.fromisoformat(raw["as_of"])
        sources = tuple(Source(title=s["title"], url=s.get("url")) for s in raw["sources"])
    except (KeyError, TypeError, ValueError) as exc:
        raise MetadataError(f"{where}: {exc}") from exc
    return DatasetMeta(
        name=name,
        title=raw["title"],
        description=raw["description"],
        provenance=raw["provenance"],
        sources=sources,
        licence=raw["licence"],
        as_of=as_of,
        visibility=raw["visibility"],
        sha256=raw["sha256"],
        rows=int(raw["rows"]),
        generated_by=raw.get("generated_by"),
        notes=tuple(raw.get("notes", ())),
        official_title=raw.get("official_title"),
    )


def read_sidecar(csv_path: Path, check_file: bool = True) -> DatasetMeta:
    """Read and check the sidecar of ``csv_path``; with ``check_file``, also verify the checksum."""
    path = sidecar_path(csv_path)
    if not path.exists():
        raise MetadataError(f"{path}: no sidecar; every dataset needs one")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise MetadataError(f"{path}: not valid JSON ({exc})") from exc
    meta = parse_sidecar(csv_path.stem, raw, str(path))
    if check_file and file_sha256(csv_path) != meta.sha256:
        raise MetadataError(
            f"{path}: checksum does not match {csv_path.name}; the data changed without its sidecar "
            "(run `mandate-metrics refresh-sidecars` after a deliberate edit)"
        )
    return meta


def refresh_sidecar(csv_path: Path, rows: int) -> DatasetMeta:
    """Rewrite the checksum and row count of a sidecar after a deliberate change to its data."""
    path = sidecar_path(csv_path)
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["sha256"] = file_sha256(csv_path)
    raw["rows"] = rows
    path.write_text(json.dumps(raw, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return parse_sidecar(csv_path.stem, raw, str(path))
