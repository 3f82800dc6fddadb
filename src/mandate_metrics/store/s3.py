"""The versioned store in an S3-compatible bucket, shared by every app replica.

The same layout and commit protocol (``versioned.py``) as a folder (``local.py``), with the bucket's
conditional writes in place of a lock: a version's data goes under a new unique key; the manifest is
created with ``If-None-Match: *`` (the commit); the pointer is moved with ``If-Match`` on the ETag
read before (compare-and-swap; ``If-None-Match: *`` for a first publish). A 412 means another writer
won; a 409 (a conflicting write in flight) is retried. Audit events are one object each, so writers
on several replicas never overwrite each other's; the sign-in throttle is one small document changed
by compare-and-swap. boto3 reads the endpoint and credentials from the standard variables
(``AWS_ENDPOINT_URL``, ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, ``AWS_REGION``) unless they
are given (from ``secrets.toml``).
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from typing import Any

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import BotoCoreError, ClientError

from mandate_metrics.schemas import SCHEMAS
from mandate_metrics.store.version import ConflictError, StoreError, T
from mandate_metrics.store.versioned import VersionedStore

POINTER_TTL = 1.0
"""Seconds a replica reuses the pointers it read: under load, seven small reads a second at most;
a publish is seen on every replica by the next rerun a second later."""
RETRIES = 10  # a 409 (conflicting write in flight) or a lost race on a document is tried again
CLIENT_OPTIONS = ("endpoint_url", "aws_access_key_id", "aws_secret_access_key", "region_name")


def parse_address(address: str) -> tuple[str, str]:
    """``s3://bucket/some/prefix`` -> ("bucket", "some/prefix"); a clear error for anything else."""
    rest = address.removeprefix("s3://")
    bucket, _, prefix = rest.partition("/")
    if not address.startswith("s3://") or not bucket:
        raise StoreError(f"{address!r} is not a bucket address: write s3://BUCKET or s3://BUCKET/PREFIX")
    return bucket, prefix.strip("/")


def _code(exc: ClientError) -> str:
    error = exc.response.get("Error", {})
    return str(error.get("Code") or exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", ""))


def _lost_race(exc: ClientError) -> bool:
    """412: the condition did not hold (someone else wrote first)."""
    return _code(exc) in ("PreconditionFailed", "412")


def _in_flight(exc: ClientError) -> bool:
    """409: a conflicting conditional write is in flight; AWS says to try again."""
    return _code(exc) in ("ConditionalRequestConflict", "409", "OperationAborted")


def redacted(problem: object) -> str:
    """An error's words without any user name or password written into an address (``//user:key@``).

    boto3 quotes the endpoint in its errors; an endpoint given with its credentials would put them
    on the screen and in the logs.
    """
    return re.sub(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s\"']+@", r"\1…@", str(problem))


class S3Store(VersionedStore):
    """The store under ``s3://bucket/prefix``."""

    def __init__(
        self,
        address: str,
        before_step: Callable[[str], None] | None = None,
        client_options: dict[str, str] | None = None,
    ) -> None:
        super().__init__(before_step)
        self.bucket, self.prefix = parse_address(address)
        self.location = f"s3://{self.bucket}" + (f"/{self.prefix}" if self.prefix else "")
        options = {k: v for k, v in (client_options or {}).items() if k in CLIENT_OPTIONS and v}
        config = BotoConfig(retries={"max_attempts": 3, "mode": "standard"}, max_pool_connections=16)
        try:
            self._s3 = boto3.session.Session().client("s3", config=config, **options)
        except BotoCoreError as exc:
            raise StoreError(f"cannot reach the store {self.location}: {redacted(exc)}") from exc
        # One pool per store object, reused by every rerun (pointers) and audit read.
        self._pool = ThreadPoolExecutor(max_workers=max(8, len(SCHEMAS)), thread_name_prefix="s3-store")
        self._pointer_lock = threading.Lock()
        self._pointer_cache: tuple[float, str] | None = None

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def _fail(self, exc: Exception, what: str) -> StoreError:
        return StoreError(f"the store {self.location} refused to {what}: {redacted(exc)}")

    # Primitives ----------------------------------------------------------------------------

    def _get_with_tag(self, key: str) -> tuple[bytes | None, str | None]:
        try:
            answer = self._s3.get_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as exc:
            if _code(exc) in ("NoSuchKey", "404"):
                return None, None
            raise self._fail(exc, f"read {key}") from exc
        except BotoCoreError as exc:
            raise self._fail(exc, f"read {key}") from exc
        return answer["Body"].read(), str(answer["ETag"])

    def _get(self, key: str) -> bytes | None:
        return self._get_with_tag(key)[0]

    def keys(self, under: str = "") -> Iterator[str]:
        """Every key under ``under`` (relative to the store's prefix), in key order."""
        start = self._key(under)
        cut = len(self._key(""))
        try:
            for page in self._s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=start):
                for item in page.get("Contents", []):
                    yield str(item["Key"])[cut:]
        except (ClientError, BotoCoreError) as exc:
            raise self._fail(exc, f"list {under or 'the store'}") from exc

    def _manifest_names(self, dataset: str) -> list[str]:
        names = []
        for key in self.keys(f"{dataset}/manifests/"):
            name = key.rsplit("/", 1)[-1]
            if name.endswith(".json") and "/" not in key[len(f"{dataset}/manifests/") :]:
                names.append(name.removesuffix(".json"))
        return names

    def _put(self, key: str, body: bytes, **condition: str) -> bool:
        """One write; False when its condition failed (412), retried while a 409 says "in flight"."""
        for attempt in range(RETRIES):
            try:
                self._s3.put_object(Bucket=self.bucket, Key=self._key(key), Body=body, **condition)
                return True
            except ClientError as exc:
                if _lost_race(exc):
                    return False
                if not _in_flight(exc) or attempt == RETRIES - 1:
                    raise self._fail(exc, f"write {key}") from exc
                time.sleep(0.05 * (attempt + 1))
            except BotoCoreError as exc:
                raise self._fail(exc, f"write {key}") from exc
        return False  # pragma: no cover - the loop returns or raises

    def _put_new(self, key: str, data: bytes) -> None:
        if not self._put(key, data, IfNoneMatch="*"):
            raise StoreError(f"{key} exists already; a version's data is never overwritten")

    def _create(self, key: str, body: bytes) -> bool:
        self._before_step("manifest_body")  # a bucket writes an object whole or not at all
        return self._put(key, body, IfNoneMatch="*")

    def _read_pointer(self, dataset: str) -> tuple[str | None, object]:
        raw, tag = self._get_with_tag(f"{dataset}/CURRENT.json")
        if raw is None:
            return None, None
        try:
            return str(json.loads(raw)["version"]), tag
        except (ValueError, KeyError, TypeError) as exc:
            raise StoreError(f"{dataset}/CURRENT.json in {self.location} is not a pointer") from exc

    def _swap_pointer(self, dataset: str, token: object, new: str) -> None:
        self._before_step("pointer")
        body = json.dumps({"version": new}).encode()
        condition = {"IfMatch": str(token)} if token else {"IfNoneMatch": "*"}
        if not self._put(f"{dataset}/CURRENT.json", body, **condition):
            raise ConflictError(f"{dataset}: someone else moved the current version first")
        with self._pointer_lock:
            self._pointer_cache = None  # this replica sees its own publish at once

    def _locked(self) -> AbstractContextManager[None]:
        return nullcontext()  # no lock across replicas: the conditional writes decide

    def pointers(self) -> str:
        """Every dataset's current version, read in parallel, reused for ``POINTER_TTL`` seconds."""
        with self._pointer_lock:
            cached = self._pointer_cache
        if cached is not None and time.monotonic() - cached[0] < POINTER_TTL:
            return cached[1]
        found = list(self._pool.map(lambda name: self._read_pointer(name)[0], SCHEMAS))
        value = "+".join(f"{name}@{v or '-'}" for name, v in zip(SCHEMAS, found, strict=True))
        with self._pointer_lock:
            self._pointer_cache = (time.monotonic(), value)
        return value

    # Audit and documents -------------------------------------------------------------------

    def _write_audit(self, entry: dict[str, Any]) -> None:
        """One object per event, named by its time: writers on several replicas never collide."""
        key = f"audit/{time.time_ns():020d}-{uuid.uuid4().hex[:12]}.json"  # listed in time order
        self._put_new(key, json.dumps(entry, ensure_ascii=False).encode())

    def audit_entries(self) -> list[dict[str, Any]]:
        """Every event object, in time order (their keys start with the time in nanoseconds)."""
        keys = [k for k in self.keys("audit/") if k.endswith(".json")]
        bodies = list(self._pool.map(self._get, keys))
        rows = []
        for body in bodies:
            try:
                rows.append(json.loads(body or b""))
            except ValueError:
                continue
        return rows

    def update_json(self, name: str, change: Callable[[dict[str, Any]], T]) -> T:
        """Read, change, write back with ``If-Match`` on the ETag read; on a lost race, again."""
        for _attempt in range(RETRIES * 3):
            raw, tag = self._get_with_tag(name)
            try:
                state = json.loads(raw) if raw else {}
            except ValueError:
                state = {}  # never fail open: a damaged document counts from zero
            result = change(state)
            condition = {"IfMatch": tag} if tag else {"IfNoneMatch": "*"}
            if self._put(name, json.dumps(state).encode(), **condition):
                return result
        raise StoreError(f"{name} in {self.location} kept changing; try again")

    # Repair ---------------------------------------------------------------------------------

    def repair(self) -> list[str]:
        """Move a pointer that names no readable version (or is missing) to the newest complete one.

        A bucket writes each object whole, so no manifest is ever cut short. Data no manifest
        names (a publish that died before its manifest, or one in flight on another replica) is
        left alone: a bucket lifecycle rule removes it (README, "Running on several machines").
        """
        done: list[str] = []
        for name in SCHEMAS:
            try:
                version, tag = self._read_pointer(name)
                if version is not None and self._try_manifest(name, version) is not None:
                    continue
            except StoreError:
                version, tag = "?", None
            restored = self.restorable(name)
            if restored and self._put(
                f"{name}/CURRENT.json",
                json.dumps({"version": restored.version}).encode(),
                **({"IfMatch": str(tag)} if tag else {} if version == "?" else {"IfNoneMatch": "*"}),
            ):
                done.append(f"{name}: current set to {restored.version} again (the pointer was lost)")
        if done:
            self.audit("repair", by="store", actions="; ".join(done))
        return done
