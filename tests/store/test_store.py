"""Store guarantees: nothing published is lost or half-written, whatever fails and whoever writes.

The contract tests take ``store_location`` and run twice: on a folder and on a bucket (moto's S3
server on loopback). Tests of what only a folder has (links, rotation of audit.jsonl) use one.
"""

from __future__ import annotations

import errno
import multiprocessing
from pathlib import Path

import pandas as pd
import pytest

from mandate_metrics.store import STEPS, ConflictError, IntegrityError, LocalStore, StoreError, open_store


def frame(n: int) -> pd.DataFrame:
    return pd.DataFrame({"year": [2020 + i for i in range(n)], "value": [float(i) for i in range(n)]})


@pytest.fixture
def store(store_location: str):
    s = open_store(store_location)
    s.publish("budget", frame(2), by="ana", note="first")
    return s


@pytest.fixture
def folder_store(tmp_path: Path) -> LocalStore:
    s = LocalStore(tmp_path / "store")
    s.publish("budget", frame(2), by="ana", note="first")
    return s


def test_publish_makes_a_new_current_version_with_its_manifest(store):
    version = store.publish("budget", frame(3), by="ben", note="second", original_name="budget 2025.xlsx")
    assert store.current("budget") == version
    assert (version.version, version.rows, version.by, version.mode) == ("v0002", 3, "ben", "replace")
    assert version.original_name == "budget 2025.xlsx" and len(version.sha256) == 64
    assert len(store.read("budget")) == 3
    assert len(store.read("budget", "v0001")) == 2  # earlier versions stay readable


def test_append_adds_rows_to_the_current_version(store):
    store.publish("budget", frame(1), by="ana", append=True)
    assert len(store.read("budget")) == 3
    assert store.current("budget").mode == "append"


def test_rollback_is_a_new_recorded_version(store):
    store.publish("budget", frame(5), by="ben")
    back = store.rollback("budget", "v0001", by="ana")
    assert (back.version, back.mode, back.rollback_of) == ("v0003", "rollback", "v0001")
    assert len(store.read("budget")) == 2
    assert [v.version for v in store.history("budget")] == ["v0001", "v0002", "v0003"]
    events = store.audit_log()
    assert events.iloc[0]["event"] == "rollback" and events.iloc[0]["rollback_of"] == "v0001"


@pytest.mark.parametrize("failure", ["crash", "disk full"])
@pytest.mark.parametrize("step", STEPS)
def test_a_crash_or_full_disk_at_any_write_step_loses_and_blocks_nothing(store_location, step, failure):
    root = store_location
    open_store(root).publish("budget", frame(2), by="ana")

    def fail(at: str) -> None:
        if at == step:
            if failure == "disk full":
                raise OSError(errno.ENOSPC, "No space left on device")
            raise OSError(f"simulated crash before {at}")

    if step == "audit":  # the pointer has moved: the publish took effect and must not say otherwise
        assert open_store(root, before_step=fail).publish("budget", frame(7), by="ben").version == "v0002"
    else:
        with pytest.raises(OSError, match="simulated crash|No space left"):
            open_store(root, before_step=fail).publish("budget", frame(7), by="ben")
    after = open_store(root)  # a fresh reader, as after a restart
    current = after.current("budget")
    assert current is not None
    rows = len(after.read("budget"))
    if step in ("data", "manifest", "manifest_body", "pointer"):
        assert (current.version, rows) == ("v0001", 2)  # the old version, whole
    else:
        assert (current.version, rows) == ("v0002", 7)  # the new version, whole
    assert not after.problems()  # no manifest cut short: nothing for readers to trip on
    after.repair()
    # history, publish and rollback all work; the audit log lists every version
    nxt = after.publish("budget", frame(4), by="ana")
    assert after.current("budget") == nxt and len(after.read("budget")) == 4
    back = after.rollback("budget", "v0001", by="ana")
    versions = [v.version for v in after.history("budget")]
    assert versions[-2:] == [nxt.version, back.version]
    log = after.audit_log()
    logged = set(log.loc[log["dataset"] == "budget", "version"])
    assert set(versions) <= logged  # a publish that died before its audit line is still listed
    # ... as what it became: the log, History and the pointer agree on every version
    outcomes = after.outcomes("budget")
    crashed = "v0002" if step in ("pointer",) else None
    events = dict(zip(log["version"], log["event"], strict=False))
    for version in versions:
        never = version == crashed
        assert (outcomes[version] == "stopped") is never, (step, version, outcomes)
        assert (events[version] == "stopped") is never, (step, version, events[version])
    made = {v for v, o in outcomes.items() if o in ("current", "replaced")}
    assert made == set(versions) - {crashed}


def test_an_empty_manifest_from_an_older_crash_blocks_nothing_and_is_set_aside(folder_store):
    store = folder_store
    broken = store.root / "budget" / "manifests" / "v0002.json"
    broken.write_bytes(b"")  # what a crash inside the old manifest write left
    assert [v.version for v in store.history("budget")] == ["v0001"]
    assert store.problems() == ["budget/manifests/v0002.json"]
    nxt = store.publish("budget", frame(3), by="ben")
    assert nxt.version == "v0003"  # the broken number is never reused
    assert store.rollback("budget", "v0001", by="ana").version == "v0004"
    done = store.repair()
    assert any("set aside budget/manifests/v0002.json" in d for d in done)
    assert not store.problems() and store.publish("budget", frame(1), by="ana").version == "v0005"
    assert store.audit_log().iloc[0]["event"] in ("replace", "repair")


def test_a_seed_never_lands_on_a_version_even_one_whose_pointer_was_never_written(
    store_location, monkeypatch
):
    root = store_location
    monkeypatch.setattr("mandate_metrics.store.versioned.SEED_WAIT", 0.3)  # no other first run will finish it

    def crash(at: str) -> None:
        if at == "pointer":
            raise OSError("crash before the pointer")

    with pytest.raises(OSError, match="crash before the pointer"):
        open_store(root, before_step=crash).publish("budget", frame(7), by="ana")
    store = open_store(root)
    assert store.current("budget") is None  # the real first publish is history, not current
    assert store.seed({"budget": frame(2)}) == []
    assert [v.by for v in store.history("budget")] == ["ana"]


def _first_run(root: str) -> None:
    open_store(root).seed({"budget": frame(2), "messages": frame(1)})


def test_eight_first_runs_at_once_seed_each_dataset_once(store_location):
    root = store_location
    context = multiprocessing.get_context("spawn")
    runs = [context.Process(target=_first_run, args=(str(root),)) for _ in range(8)]
    for run in runs:
        run.start()
    for run in runs:
        run.join(timeout=120)
        assert run.exitcode == 0
    store = open_store(root)
    assert [v.version for v in store.history("budget")] == ["v0001"]
    assert [v.version for v in store.history("messages")] == ["v0001"]


def test_the_audit_log_stays_bounded(tmp_path, monkeypatch):
    store = LocalStore(tmp_path / "store")
    store.audit("sign_in_failed", by="x" * 2_000_000)
    assert (tmp_path / "store" / "audit.jsonl").stat().st_size < 1_000
    monkeypatch.setattr("mandate_metrics.store.local.AUDIT_MAX_BYTES", 2_000)
    for i in range(40):
        store.audit("sign_in_failed", by=f"name-{i}")
    assert (tmp_path / "store" / "audit.1.jsonl").exists()
    assert (tmp_path / "store" / "audit.jsonl").stat().st_size <= 2_000
    assert len(store.audit_log()) == 41  # rotated files are still read


def test_the_store_follows_no_link(folder_store, tmp_path):
    store = folder_store
    outside = tmp_path / "outside.json"
    outside.write_text('{"version": "v0001"}')
    pointer = store.root / "budget" / "CURRENT.json"
    pointer.unlink()
    pointer.symlink_to(outside)
    with pytest.raises(StoreError, match="is a link"):
        store.current("budget")


def test_a_store_path_that_is_a_file_is_refused_with_a_message(tmp_path):
    path = tmp_path / "not-a-folder"
    path.write_text("x")
    with pytest.raises(StoreError, match="is not a folder"):
        LocalStore(path)


def _publish_many(root: str, who: str, count: int) -> None:
    store = LocalStore(Path(root))
    for i in range(count):
        store.publish("budget", frame(1), by=who, note=f"{who}-{i}", append=True)


def test_two_processes_publishing_at_once_lose_nothing(tmp_path):
    root = tmp_path / "store"
    LocalStore(root).publish("budget", frame(1), by="seed")
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_publish_many, args=(str(root), who, 10)) for who in ("ana", "ben")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    store = LocalStore(root)
    history = store.history("budget")
    assert [v.number for v in history] == list(range(1, 22))  # every publish a version, in order
    assert len(store.read("budget")) == 21  # every appended row is there
    notes = {v.note for v in history}
    assert {f"ana-{i}" for i in range(10)} <= notes and {f"ben-{i}" for i in range(10)} <= notes


@pytest.mark.parametrize("name", ["../etc", "budget/../../x", "/tmp/x", "", "BUDGET", "budget.csv"])
def test_no_dataset_name_can_reach_outside_the_store(store_location, name):
    store = open_store(store_location)
    with pytest.raises(StoreError, match="unknown dataset"):
        store.publish(name, frame(1), by="ana")
    with pytest.raises(StoreError, match="unknown dataset"):
        store.history(name)
    if isinstance(store, LocalStore):
        assert not any(p.is_dir() for p in store.root.iterdir())
    else:
        assert list(store.keys()) == []


@pytest.mark.parametrize("version", ["../../x", "v1", "latest", "v0001/../../x"])
def test_no_version_id_can_reach_outside_the_store(store, version):
    with pytest.raises(StoreError, match="not a version id"):
        store.read("budget", version)


def test_an_uploaded_file_name_is_recorded_never_used_as_a_path(tmp_path):
    root = tmp_path / "store"
    store = LocalStore(root)
    version = store.publish("budget", frame(1), by="ana", original_name="../../../etc/passwd")
    assert version.original_name == "../../../etc/passwd"
    written = {p.resolve() for p in tmp_path.rglob("*")}
    assert all(root.resolve() in p.parents or p == root.resolve() for p in written)
    assert not (tmp_path / "etc").exists()


def _race(root: str, who: str, rounds: int, barrier, results) -> None:
    store = open_store(root)
    for index in range(rounds):
        barrier.wait()
        reviewed = store.current("budget").version  # what this publisher previewed
        barrier.wait()  # both have reviewed the same version before either publishes
        try:
            made = store.publish("budget", frame(index + 2), by=who, expected=reviewed, note=f"{who}-{index}")
            results.put((index, who, "won", made.version))
        except ConflictError as exc:
            results.put((index, who, "lost", str(exc)))


def test_two_processes_racing_on_one_reviewed_version_exactly_one_wins_each_round(store_location):
    root = store_location
    open_store(root).publish("budget", frame(1), by="seed")
    context = multiprocessing.get_context("spawn")
    barrier, results, rounds = context.Barrier(2), context.Queue(), 4
    workers = [
        context.Process(target=_race, args=(root, who, rounds, barrier, results)) for who in ("ana", "ben")
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in range(2 * rounds)]
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    store = open_store(root)
    winners = []
    for index in range(rounds):
        this = sorted(o[2] for o in outcomes if o[0] == index)
        assert this == ["lost", "won"], (index, outcomes)  # exactly one wins the pointer
        winners += [o for o in outcomes if o[0] == index and o[2] == "won"]
    # the pointer moved only through winners, each on top of the one before; the last is current
    current = store.current("budget")
    assert current.version == winners[-1][3] and len(store.read("budget")) == rounds + 1
    history = {v.version: v for v in store.history("budget")}
    assert all(w[3] in history for w in winners)  # nothing a winner published is lost
    log = store.audit_log()
    assert {w[3] for w in winners} <= set(log["version"].dropna())
    # a loser that had already created its manifest says so in History, never "Published"
    from mandate_metrics.upload import publishing

    outcomes = store.outcomes("budget")
    lost = {v for v, outcome in outcomes.items() if outcome == "not_current"}
    assert not lost & {w[3] for w in winners}
    table = publishing.history_table(store.history("budget"), current.version, "en", outcomes)
    hows = dict(zip(table["Version"], table["How"], strict=True))
    assert all(hows[v].startswith("Kept, not made current") for v in lost)
    assert set(history) - lost - {"v0001"} == {w[3] for w in winners}  # every other version won
    # every losing attempt is in the log, whether it lost before its manifest or after
    losers = log[log["event"].isin(["refused", "not_current"])]
    assert len(losers) == rounds, losers


def test_a_publish_on_a_version_that_is_no_longer_current_is_refused_and_changes_nothing(store):
    reviewed = store.current("budget").version
    other = store.publish("budget", frame(3), by="ben")  # someone else, meanwhile
    with pytest.raises(ConflictError):
        store.publish("budget", frame(9), by="ana", expected=reviewed)
    with pytest.raises(ConflictError):
        store.rollback("budget", "v0001", by="ana", expected=reviewed)
    assert store.current("budget") == other and len(store.read("budget")) == 3


def _audit_many(root: str, who: str) -> None:
    store = open_store(root)
    for index in range(15):
        store.audit("sign_in_failed", by=f"{who}-{index}")


def test_audit_events_from_two_processes_are_all_kept(store_location):
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_audit_many, args=(store_location, w)) for w in ("r1", "r2")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    log = open_store(store_location).audit_log()
    assert sorted(log["by"]) == sorted(f"{w}-{i}" for w in ("r1", "r2") for i in range(15))


def test_a_wrong_password_counts_on_every_replica(store_location):
    from mandate_metrics import auth

    replicas = [auth.Throttle.in_store(open_store(store_location)) for _ in range(3)]
    keys = auth.throttle_keys("ana", "10.0.0.9")
    for attempt in range(auth.FREE_ATTEMPTS):
        assert replicas[attempt % 3].reserve(keys, now=1000.0) == 0  # counted wherever it lands
    assert all(r.reserve(keys, now=1001.0) > 0 for r in replicas)  # now every replica makes it wait
    replicas[2].clear(keys)
    assert replicas[0].reserve(keys, now=1002.0) == 0


@pytest.mark.parametrize("address", ["s3://", "s3:///prefix"])
def test_a_bucket_address_that_names_no_bucket_is_refused_with_a_message(address):
    with pytest.raises(StoreError, match="not a bucket address: write s3://BUCKET"):
        open_store(address)


# Integrity on read ---------------------------------------------------------------------------


def _swap_data(store, dataset: str, data: bytes) -> None:
    """What an intruder or a bad restore does: replace a version's data file under its manifest."""
    current = store.current(dataset)
    key = f"{dataset}/objects/{current.object}/data.parquet"
    if isinstance(store, LocalStore):
        (store.root / key).write_bytes(data)
    else:
        import boto3

        bucket, _, prefix = store.location.removeprefix("s3://").partition("/")
        boto3.client("s3").put_object(Bucket=bucket, Key=f"{prefix}/{key}", Body=data)


def test_a_replaced_data_file_is_refused_never_read_as_its_version(store):
    import io

    store.publish("budget", frame(4), by="ben")
    half = io.BytesIO()
    frame(2).to_parquet(half, index=False)
    _swap_data(store, "budget", half.getvalue())
    with pytest.raises(IntegrityError, match=r"budget v0002: the stored data does not match") as refused:
        store.read("budget")
    assert "mandate-metrics rollback budget v0001" in str(refused.value)
    assert len(store.read("budget", "v0001")) == 2  # the other versions still read
    assert any("budget v0002" in line for line in store.damage())


def test_a_lost_pointer_is_named_and_repair_restores_the_version_that_was_current(store_location):
    from mandate_metrics import loading
    from mandate_metrics.paths import DATA_DIR

    store = open_store(store_location)
    loading.load_from_store(store, DATA_DIR)
    store.publish("budget", loading.read_table(DATA_DIR / "budget.csv", "budget"), by="ana")

    def crash(at: str) -> None:
        if at == "pointer":
            raise OSError("killed before the pointer")

    with pytest.raises(OSError, match="killed before the pointer"):  # v0003 is complete, never current
        open_store(store_location, before_step=crash).publish("budget", frame(9), by="ben")
    if isinstance(store, LocalStore):
        (store.root / "budget" / "CURRENT.json").unlink()
    else:
        import boto3

        bucket, _, prefix = store.location.removeprefix("s3://").partition("/")
        boto3.client("s3").delete_object(Bucket=bucket, Key=f"{prefix}/budget/CURRENT.json")
    store = open_store(store_location)
    with pytest.raises(
        StoreError, match=r"budget: versions exist but none is current.*mandate-metrics repair"
    ):
        loading.load_from_store(store, DATA_DIR)
    assert any("budget" in line for line in store.repair())
    assert store.current("budget").version == "v0002"  # not v0003, which never took effect
    assert store.damage() == []
    assert len(loading.load_from_store(store, DATA_DIR)["budget"].frame) > 0


def test_every_refused_attempt_is_in_the_audit_log_and_history_says_what_each_version_became(store):
    reviewed = store.current("budget").version
    store.publish("budget", frame(3), by="ben")  # someone else, meanwhile
    for who in ("ana", "carl"):
        with pytest.raises(ConflictError):
            store.publish("budget", frame(9), by=who, note="late", expected=reviewed)
    with pytest.raises(ConflictError):
        store.rollback("budget", "v0001", by="dina", expected=reviewed)
    log = store.audit_log()
    refused = log[log["event"] == "refused"]
    assert sorted(refused["by"]) == ["ana", "carl", "dina"]
    assert set(refused["mode"]) == {"replace", "rollback"} and set(refused["dataset"]) == {"budget"}
    assert store.outcomes("budget") == {"v0001": "replaced", "v0002": "current"}

    from mandate_metrics.upload import publishing

    words = publishing.audit_table(log, "en")["What happened"]
    assert (words == "Refused: someone published first; nothing was changed").sum() == 3
