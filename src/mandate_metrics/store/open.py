"""Open the store a setting names: a folder, or ``s3://bucket/prefix`` shared by several replicas."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from mandate_metrics.store.local import LocalStore
from mandate_metrics.store.versioned import VersionedStore


def is_bucket(location: str | Path) -> bool:
    """True for an ``s3://`` address."""
    return str(location).startswith("s3://")


def open_store(
    location: str | Path,
    before_step: Callable[[str], None] | None = None,
    client_options: dict[str, str] | None = None,
) -> VersionedStore:
    """The store at ``location``; ``client_options`` (endpoint, keys, region) only for a bucket.

    boto3 is imported only for a bucket: a single machine's folder store does not pay for it.
    """
    if is_bucket(location):
        from mandate_metrics.store.s3 import S3Store

        return S3Store(str(location), before_step=before_step, client_options=client_options)
    return LocalStore(Path(location), before_step=before_step)
