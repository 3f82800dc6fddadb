"""The Data page in AppTest: sign-in only for visitors, throttling, upload -> report -> preview -> publish."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from mandate_metrics import auth
from mandate_metrics.paths import PROJECT_DIR
from mandate_metrics.store import LocalStore
from mandate_metrics.ui import staff

APP = str(PROJECT_DIR / "app.py")
UPLOADS = Path(__file__).parent / "data" / "uploads"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A store and staff file of this test's own, with one account."""
    monkeypatch.setenv("MANDATE_METRICS_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("MANDATE_METRICS_STAFF_FILE", str(tmp_path / "staff.json"))
    auth.add_account(tmp_path / "staff.json", "ana", PASSWORD)
    st.cache_data.clear()
    staff.throttle.clear()  # the throttle is process-wide by design; each test starts unthrottled
    return tmp_path


def data_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.switch_page("app_pages/data.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="sign_in_name").input(name)
    at.text_input(key="sign_in_password").input(password)
    at.button[0].click().run()  # the form's submit button
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_visitors_get_only_the_sign_in(home):
    at = data_page()
    assert [w.key for w in at.text_input] == ["sign_in_name", "sign_in_password"]
    assert not at.get("file_uploader")
    assert not any(b.key in ("publish", "rollback") for b in at.button)


def test_wrong_passwords_are_throttled_and_never_say_whether_the_account_exists(home):
    at = data_page()
    messages = [sign_in(at, "ana", "wrong password!!").error[0].value for _ in range(5)]
    assert set(messages) == {auth.WRONG}
    assert sign_in(at, "nobody", "wrong password!!").error[0].value == auth.WRONG  # same words for no account
    locked = sign_in(at, "ana", PASSWORD)  # even the right password waits now
    assert "Too many attempts" in locked.error[0].value
    assert locked.session_state["role"] != "staff" if "role" in locked.session_state else True
    log = LocalStore(home / "store").audit_log()
    assert (log["event"] == "sign_in_failed").sum() == 7  # the throttled attempt is recorded too


def test_staff_upload_preview_publish_and_the_overview_shows_it(home):
    at = sign_in(data_page(), "ana", PASSWORD)
    assert "Signed in as **ana**" in " ".join(m.value for m in at.markdown)
    current = (PROJECT_DIR / "data" / "requests.csv").read_text()
    extra = (
        "RFA-0535,2025-12-01,J01,evidence_sharing,received,2025-12-01,INV-0001\n"
        "RFA-0536,2025-12-02,J02,legal_advice,received,2025-12-02,INV-0002\n"
    )
    at.file_uploader(key="upload_file").upload(
        "requests_dec.csv", (current + extra).encode(), "text/csv"
    ).run()
    at.selectbox(key="upload_dataset").select("requests").run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "Requests received: 534 → 536" in text
    assert {m.label: m.value for m in at.metric}["Rows added"] == "2"
    at.text_input(key="publish_note").input("December update")
    at.button(key="publish").click().run()
    assert any("Published requests v0002" in s.value for s in at.success)
    at.switch_page("app_pages/overview.py").run()
    assert {m.label: m.value for m in at.metric}["Requests received"] == "536"
    version = LocalStore(home / "store").current("requests")
    assert (version.by, version.note, version.original_name) == ("ana", "December update", "requests_dec.csv")


def test_a_bad_upload_shows_every_problem_and_publishes_nothing(home):
    at = sign_in(data_page(), "ana", PASSWORD)
    data = (UPLOADS / "bad_many_problems.csv").read_bytes()
    at.file_uploader(key="upload_file").upload("bad_many_problems.csv", data, "text/csv").run()
    assert "Requests for assistance" in at.warning[-1].value  # wrong dataset chosen: the page says which fits
    at.selectbox(key="upload_dataset").select("requests").run()
    assert "5 problem(s) in bad_many_problems.csv" in at.error[0].value.replace("\\", "")  # as rendered
    assert len(at.dataframe[0].value) == 5
    assert not any(b.key == "publish" for b in at.button)
    assert LocalStore(home / "store").current("requests").version == "v0001"


def test_rollback_from_history(home):
    store = LocalStore(home / "store")
    at = sign_in(data_page(), "ana", PASSWORD)
    store.publish("budget", store.read("budget").head(2), by="ana", note="cut")
    at.run()
    at.selectbox(key="history_dataset").select("budget").run()
    at.selectbox(key="history_version").select("v0001").run()
    at.button(key="rollback").click().run()
    assert any("v0001 is current again (recorded as v0003)" in s.value for s in at.success)
    assert store.current("budget").rollback_of == "v0001"


def test_a_donor_named_like_markup_shows_as_text_everywhere(home):
    store = LocalStore(home / "store")
    at = data_page()  # seeds the store
    evil = "<img src=x onerror=alert(1)>"
    contributions = store.read("contributions")
    contributions.loc[contributions["donor"] == "Member State A", "donor"] = evil
    store.publish("contributions", contributions, by="ana", note="markup test")
    at.switch_page("app_pages/funding_donors.py").run()
    assert not at.exception
    import json

    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    labels = [
        label
        for spec in specs
        for trace in spec["data"]
        for label in (trace.get("y") or [])
        if isinstance(label, str)
    ]
    assert "&lt;img src=x onerror=alert(1)&gt; (illustrative)" in labels
    assert not any("<img" in label for label in labels)
    donors = [v for frame in (d.value for d in at.dataframe) if "donor" in frame for v in frame["donor"]]
    assert evil in donors  # tables show the text itself, which the browser renders as text
    titles = " ".join(s.value for s in at.subheader)
    assert "<img" not in titles.replace("\\<img", "")
