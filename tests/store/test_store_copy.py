"""Moving a whole store between a folder and a bucket, and every command against a bucket."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from mandate_metrics.cli import main
from mandate_metrics.paths import DATA_DIR
from mandate_metrics.schemas import SCHEMAS
from mandate_metrics.store import StoreError, copy_store, open_store


def _busy_store(location: str) -> None:
    """A store with several versions, a rollback, a version never made current and audit events."""
    store = open_store(location)
    for rows in (2, 3, 5):
        store.publish("budget", pd.DataFrame({"year": range(rows), "value": [1.5] * rows}), by="ana")
    store.rollback("budget", "v0002", by="ben", note="back")
    store.publish("messages", pd.DataFrame({"key": ["a"], "text": ["b"]}), by="ana", declared="official")
    store.audit("sign_in_failed", by="mallory")


def _snapshot(location: str) -> dict:
    store = open_store(location)
    return {
        "history": {name: store.history(name) for name in SCHEMAS},
        "current": {name: store.current(name) for name in SCHEMAS},
        "audit": store.audit_entries(),
        "sha": {
            (v.dataset, v.version): hashlib.sha256(store.data_bytes(v)).hexdigest()
            for name in SCHEMAS
            for v in store.history(name)
        },
    }


def test_a_store_round_trips_folder_to_bucket_to_folder_with_identical_history_and_checksums(
    tmp_path, bucket
):
    start, back = str(tmp_path / "start"), str(tmp_path / "back")
    _busy_store(start)
    assert main(["store", "copy", start, bucket]) == 0
    assert main(["store", "copy", bucket, back]) == 0
    first, there, again = _snapshot(start), _snapshot(bucket), _snapshot(back)
    assert first == there == again
    assert len(first["history"]["budget"]) == 4 and first["current"]["budget"].rollback_of == "v0002"
    assert all(first["sha"][(v.dataset, v.version)] == v.sha256 for h in first["history"].values() for v in h)
    # the copy is a working store: the next publish takes the next number
    nxt = open_store(bucket).publish("budget", pd.DataFrame({"year": [1], "value": [2.0]}), by="cy")
    assert nxt.version == "v0005"


def test_a_copy_into_a_store_that_holds_anything_is_refused_and_changes_nothing(tmp_path, bucket, capsys):
    _busy_store(str(tmp_path / "a"))
    _busy_store(bucket)
    before = _snapshot(bucket)
    assert main(["store", "copy", str(tmp_path / "a"), bucket]) == 1
    assert "already holds a store" in capsys.readouterr().err
    assert _snapshot(bucket) == before
    with pytest.raises(StoreError, match="same store"):
        copy_store(open_store(bucket), open_store(bucket))


def test_a_damaged_object_in_the_source_stops_the_copy(tmp_path):
    source = open_store(tmp_path / "a")
    version = source.publish("budget", pd.DataFrame({"year": [1], "value": [2.0]}), by="ana")
    path = tmp_path / "a" / "budget" / "objects" / version.object / "data.parquet"
    path.write_bytes(path.read_bytes()[:-3] + b"xyz")
    with pytest.raises(StoreError, match="does not match its checksum"):
        copy_store(source, open_store(tmp_path / "b"))


def test_every_command_works_against_a_bucket(bucket, tmp_path, capsys):
    store = ["--store", bucket]
    assert main([*store, "figures", "--view", "record"]) == 0  # seeds the bucket from data/
    assert "requests_received" in capsys.readouterr().out
    assert open_store(bucket).current("budget").version == "v0001"
    good = DATA_DIR / "budget.csv"
    assert main([*store, "validate", "budget", str(good)]) == 0
    publish = [*store, "publish", "budget", str(good), "--by", "ana", "--illustrative", "--note", "same"]
    assert main(publish) == 0
    assert "budget v0002" in capsys.readouterr().out
    assert main([*store, "history", "budget"]) == 0
    assert "* v0002" in capsys.readouterr().out
    assert main([*store, "rollback", "budget", "v0001", "--by", "ben"]) == 0
    assert "as v0003" in capsys.readouterr().out
    out = tmp_path / "brief.pptx"
    assert main([*store, "export", "deck", "--out", str(out), "--view", "record"]) == 0
    assert out.stat().st_size > 10_000
    assert main([*store, "repair"]) == 0
    events = open_store(bucket).audit_log()
    assert {"seed", "replace", "rollback"} <= set(events["event"])


def test_an_unreachable_bucket_is_a_message_not_a_traceback(monkeypatch, capsys):
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens on the discard port
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "x")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "x")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    assert main(["--store", "s3://nowhere/x", "history", "budget"]) == 1
    assert "the store s3://nowhere/x refused to" in capsys.readouterr().err


def test_a_copy_into_its_own_source_is_refused_and_changes_nothing(tmp_path, capsys):
    source = tmp_path / "store"
    open_store(source).publish("budget", pd.DataFrame({"year": [2020]}), by="ana")
    for target in (source / "backup", tmp_path):  # inside the source, or around it
        assert main(["store", "copy", str(source), str(target)]) == 1
        assert "one inside the other" in capsys.readouterr().err
    assert not (source / "backup").exists()


def test_a_store_named_by_a_file_is_a_usage_error(tmp_path, capsys):
    afile = tmp_path / "notes.txt"
    afile.write_text("not a store")
    assert main(["--store", str(afile), "history", "budget"]) == 2
    assert "is a file; name a folder" in capsys.readouterr().err


def test_credentials_written_into_an_endpoint_never_reach_a_message(monkeypatch, capsys):
    from loopback import free_port

    endpoint = f"http://keyid:very-secret@127.0.0.1:{free_port()}"  # nothing listens there
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "keyid")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "very-secret")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    assert main(["--store", "s3://any-bucket/x", "history", "budget"]) == 1
    said = capsys.readouterr().err
    assert "any-bucket" in said and "very-secret" not in said and "keyid:" not in said
