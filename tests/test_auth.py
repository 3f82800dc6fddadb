"""Staff accounts: slow salted hashes, no secret on disk, throttling, one answer for unknown names."""

from __future__ import annotations

import stat

import pytest

from mandate_metrics import auth

PASSWORD = "correct horse battery staple"


def test_hash_is_salted_and_verifies_in_constant_time():
    one, two = auth.hash_password(PASSWORD), auth.hash_password(PASSWORD)
    assert one != two  # a new salt each time
    assert one.startswith("scrypt$16384$8$1$")
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


def test_sign_in_and_throttle():
    accounts = {"ana": auth.hash_password(PASSWORD)}
    throttle = auth.Throttle()
    assert auth.sign_in(accounts, throttle, " Ana ", PASSWORD, now=0).ok
    for i in range(auth.FREE_ATTEMPTS):
        result = auth.sign_in(accounts, throttle, "ana", "nope", now=i)
        assert (result.ok, result.message) == (False, auth.WRONG)
    refused = auth.sign_in(accounts, throttle, "ana", PASSWORD, now=10)
    assert not refused.ok and "Too many attempts. Try again in" in refused.message
    assert auth.sign_in(accounts, throttle, "ana", PASSWORD, now=10 + auth.BASE_DELAY).ok  # after the wait
    assert throttle.wait("ana", 100) == 0  # success clears the count


def test_unknown_names_get_the_same_answer_and_the_same_throttle():
    throttle = auth.Throttle()
    answers = {auth.sign_in({}, throttle, "ghost", "x", now=i).message for i in range(auth.FREE_ATTEMPTS)}
    assert answers == {auth.WRONG}
    assert "Too many attempts" in auth.sign_in({}, throttle, "ghost", "x", now=10).message


def test_waits_double_and_are_capped():
    throttle = auth.Throttle()
    for _ in range(auth.FREE_ATTEMPTS + 3):
        throttle.failed("ana", 0)
    assert throttle.wait("ana", 0) == auth.BASE_DELAY * 8
    for _ in range(20):
        throttle.failed("ana", 0)
    assert throttle.wait("ana", 0) == auth.MAX_DELAY


def test_identity_provider_allow_list():
    assert auth.allowed("Ana@IIIM.example ", ["ana@iiim.example"])
    assert not auth.allowed("eve@example.org", ["ana@iiim.example"])
    assert not auth.allowed(None, ["ana@iiim.example"])


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
