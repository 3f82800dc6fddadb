"""Staff accounts: slow salted hashes, no secret on disk, throttling, one answer for unknown names."""

from __future__ import annotations

import stat

import pytest

from mandate_metrics import auth

PASSWORD = "correct horse battery staple"


def test_hash_is_salted_and_verifies_in_constant_time():
    one, two = auth.hash_password(PASSWORD), auth.hash_password(PASSWORD)
    assert one != two  # a new salt each time
    assert one.startswith("scrypt$131072$8$1$")  # OWASP's scrypt parameters
    assert not auth.needs_rehash(one) and auth.needs_rehash("scrypt$16384$8$1$00$00")
    assert auth.verify_password(PASSWORD, one) and not auth.verify_password(PASSWORD + "!", one)
    assert not auth.verify_password(PASSWORD, "garbage")
    assert PASSWORD not in one


def test_accounts_file_is_private_and_holds_no_password(tmp_path):
    path = tmp_path / "staff.json"
    auth.add_account(path, "ana", PASSWORD)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert PASSWORD not in path.read_text()
    assert list(auth.load_accounts(path)) == ["ana"]
    assert auth.load_accounts(tmp_path / "none.json") == {}  # no file: nobody can sign in


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [
        ("Ana Maria", PASSWORD, "names are"),
        ("../x", PASSWORD, "names are"),
        ("ana", "short", "at least 12"),
    ],
)
def test_bad_accounts_are_refused(tmp_path, name, password, message):
    with pytest.raises(auth.AccountError, match=message):
        auth.add_account(tmp_path / "staff.json", name, password)


def test_sign_in_and_throttle(tmp_path):
    accounts = {"ana": auth.hash_password(PASSWORD)}
    throttle = auth.Throttle.in_file(tmp_path / "throttle.json")
    assert auth.sign_in(accounts, throttle, " Ana ", PASSWORD, now=0).ok
    for i in range(auth.FREE_ATTEMPTS):
        result = auth.sign_in(accounts, throttle, "ana", "nope", now=i)
        assert (result.ok, result.message) == (False, auth.WRONG)
    refused = auth.sign_in(accounts, throttle, "ana", PASSWORD, now=10)
    assert not refused.ok and "Too many attempts. Try again in" in refused.message
    assert auth.sign_in(accounts, throttle, "ana", PASSWORD, now=10 + auth.BASE_DELAY).ok  # after the wait
    assert throttle.reserve(auth.throttle_keys("ana", None), 100) == 0  # success cleared the count


def test_the_throttle_survives_a_cache_clear_a_restart_and_thirty_parallel_attempts(tmp_path, monkeypatch):
    import threading

    import streamlit as st

    checked = []
    real = auth.verify_password

    def counting(password: str, encoded: str) -> bool:
        checked.append(password)
        return real(password, encoded)

    monkeypatch.setattr(auth, "verify_password", counting)
    accounts = {"ana": auth.hash_password(PASSWORD)}
    path = tmp_path / "store" / "throttle.json"
    results = []

    def attempt() -> None:
        results.append(
            auth.sign_in(accounts, auth.Throttle.in_file(path), "ana", "wrong!", client="10.0.0.1")
        )

    threads = [threading.Thread(target=attempt) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(checked) <= auth.FREE_ATTEMPTS  # at most the limit reached the password check
    assert sum("Too many attempts" in r.message for r in results) >= 30 - auth.FREE_ATTEMPTS
    st.cache_resource.clear()  # what any client can make the server do
    restarted = auth.Throttle.in_file(path)  # a new process reads the same file
    assert not auth.sign_in(accounts, restarted, "ana", PASSWORD, client="10.0.0.2").ok
    assert len(checked) <= auth.FREE_ATTEMPTS


def test_one_client_cycling_names_is_throttled_too(tmp_path):
    throttle = auth.Throttle.in_file(tmp_path / "throttle.json")
    answers = [auth.sign_in({}, throttle, f"name{i}", "x", client="10.0.0.9", now=i) for i in range(8)]
    assert "Too many attempts" in answers[-1].message


def test_a_huge_name_costs_a_fixed_size_key(tmp_path):
    throttle = auth.Throttle.in_file(tmp_path / "throttle.json")
    auth.sign_in({}, throttle, "x" * 2_000_000, "x", now=0)
    assert (tmp_path / "throttle.json").stat().st_size < 500


def test_only_verified_addresses_on_the_list_are_staff():
    assert auth.allowed("Ana@Example.org", ["ana@example.org"], verified=True)
    assert not auth.allowed("ana@example.org", ["ana@example.org"], verified=False)
    assert not auth.allowed("ana@example.org", ["ana@example.org"])  # no claim: not verified
    assert not auth.allowed("eve@example.org", ["ana@example.org"], verified=True)


def test_unknown_names_get_the_same_answer_and_the_same_throttle(tmp_path):
    throttle = auth.Throttle.in_file(tmp_path / "throttle.json")
    answers = {auth.sign_in({}, throttle, "ghost", "x", now=i).message for i in range(auth.FREE_ATTEMPTS)}
    assert answers == {auth.WRONG}
    assert "Too many attempts" in auth.sign_in({}, throttle, "ghost", "x", now=10).message


def test_waits_double_and_are_capped(tmp_path):
    throttle = auth.Throttle.in_file(tmp_path / "throttle.json")
    keys = auth.throttle_keys("ana", None)
    now = 0.0
    waits = []
    for _ in range(auth.FREE_ATTEMPTS + 12):
        waits.append(throttle.reserve(keys, now) or 0.0)
        now += 10_000  # always after the wait, so each attempt counts
    entry = __import__("json").loads((tmp_path / "throttle.json").read_text())[keys[0]]
    assert entry["next"] - (now - 10_000) == auth.MAX_DELAY
    assert not any(waits)


def test_identity_provider_allow_list():
    assert auth.allowed("Ana@IIIM.example ", ["ana@iiim.example"], verified=True)
    assert not auth.allowed("eve@example.org", ["ana@iiim.example"], verified=True)
    assert not auth.allowed(None, ["ana@iiim.example"], verified=True)


def test_the_accounts_file_is_never_written_through_a_planted_link_or_a_leftover(tmp_path):
    import os

    from mandate_metrics import auth

    path = tmp_path / "staff.json"
    target = tmp_path / "stolen.json"
    (tmp_path / "staff.tmp").symlink_to(target)  # the old fixed temporary name, planted as a link
    leftover = tmp_path / ".staff.json.leftover.tmp"
    leftover.write_text("{}")
    os.chmod(leftover, 0o644)
    auth.add_account(path, "ana", "a long enough password")
    assert not target.exists()
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert auth.verify_password("a long enough password", auth.load_accounts(path)["ana"])


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        ("10.0.0.5", "203.0.113.7", "203.0.113.7"),  # the balancer says who the client is
        ("10.0.0.5", "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # the left part is the client's claim
        ("10.0.0.5", "203.0.113.7, 10.0.0.9", "203.0.113.7"),  # a second proxy of ours on the way
        ("10.0.0.5", "::ffff:203.0.113.7", "203.0.113.7"),  # IPv4 written as IPv6
        ("10.0.0.5", "not an address", "10.0.0.5"),  # unreadable: the peer, never a guess
        ("10.0.0.5", None, "10.0.0.5"),
        ("198.51.100.20", "203.0.113.7", "198.51.100.20"),  # forged by a client: ignored
        ("127.0.0.1", "203.0.113.7", "127.0.0.1"),
    ],
)
def test_the_client_is_taken_from_x_forwarded_for_only_behind_a_trusted_proxy(peer, forwarded, client):
    assert auth.client_address(peer, forwarded, ["10.0.0.0/8"]) == client


def test_wrong_passwords_behind_one_balancer_hold_back_one_client_not_everyone(tmp_path):
    throttle = auth.Throttle.in_file(tmp_path / "throttle.json")
    accounts = {"kate": auth.hash_password("correct horse battery staple")}
    behind = [f"client-{n}" for n in range(2)]
    for index in range(auth.FREE_ATTEMPTS):  # made-up names, all from one client
        attempt = auth.sign_in(accounts, throttle, f"nobody{index}", "x", client=behind[0], now=1000.0)
        assert attempt.message == auth.WRONG
    assert auth.sign_in(accounts, throttle, "anyone", "x", client=behind[0], now=1001.0).message.startswith(
        "Too many"
    )
    kate = auth.sign_in(
        accounts, throttle, "kate", "correct horse battery staple", client=behind[1], now=1001.0
    )
    assert kate.ok


@pytest.mark.parametrize("email", ["\u212aate@example.org", "kаte@example.org", "KATE@EXAMPLE.ORG "])
def test_allow_list_compares_ascii_case_insensitively_and_refuses_look_alikes(email):
    verified = auth.allowed(email, ["kate@example.org"], verified=True)
    assert verified is email.isascii()  # the Kelvin sign and the Cyrillic а are refused
