"""The versioned store: where every published version of every dataset is kept, in a folder or a bucket.

The rest of the package imports from here and nowhere deeper: ``open_store`` (a store by its
address, a folder or ``s3://bucket/prefix``), the ``VersionedStore`` interface (publish, rollback,
history, audit, seed, repair), ``Version`` (one version's manifest), the errors, ``copy_store``
and ``update_json_file`` (a small JSON document changed under a file lock: the staff accounts).

Inside: ``version.py`` says what a version is and names the errors; ``versioned.py`` holds the
commit protocol once; ``local.py`` (a folder) and ``s3.py`` (a bucket, imported only for one:
boto3 is not loaded otherwise) supply its primitive reads and writes; ``open.py`` picks the
backend; ``copy.py`` moves a whole store between the two, verified.
The store imports nothing from the package but ``schemas``: everything else sits above it.
"""

from mandate_metrics.store.copy import Copied, check_apart, copy_store
from mandate_metrics.store.local import LocalStore, update_json_file
from mandate_metrics.store.open import is_bucket, open_store
from mandate_metrics.store.version import (
    ANY,
    DECLARATIONS,
    OUTCOMES,
    STEPS,
    ConflictError,
    IntegrityError,
    LostRace,
    StoreError,
    Version,
)
from mandate_metrics.store.versioned import VersionedStore

__all__ = [
    "ANY",
    "DECLARATIONS",
    "STEPS",
    "ConflictError",
    "Copied",
    "check_apart",
    "IntegrityError",
    "LostRace",
    "OUTCOMES",
    "LocalStore",
    "StoreError",
    "Version",
    "VersionedStore",
    "copy_store",
    "is_bucket",
    "open_store",
    "update_json_file",
]
