"""The Data page in AppTest: sign-in only for visitors, throttling, upload -> report -> preview -> publish."""

from __future__ import annotations

import re
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
    messages = [sign_in(at, "ana", "wrong password!!").error[0].value for _ in range(4)]
    assert set(messages) == {auth.WRONG}
    assert sign_in(at, "nobody", "wrong password!!").error[0].value == auth.WRONG  # same words for no account
    locked = sign_in(at, "ana", PASSWORD)  # five failures from this client: even the right password waits
    assert "Too many attempts" in locked.error[0].value
    assert locked.session_state["role"] != "staff" if "role" in locked.session_state else True
    log = LocalStore(home / "store").audit_log()
    assert (log["event"] == "sign_in_failed").sum() == 6  # the throttled attempt is recorded too


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
    text = " ".join(m.value for m in at.markdown).replace("\\", "")  # as rendered
    assert "Requests received: 534 → 536" in text
    assert "2 added, 0 changed, 0 removed; the other 534 rows are unchanged." in text
    assert not any("would lose" in w.value for w in at.warning)  # nothing lost: no confirmation asked
    at.text_input(key="publish_note").input("December update")
    assert at.button(key="publish").disabled  # what the file is must be said first: no default
    at.radio(key="publish_declared").set_value("official").run()
    at.button(key="publish").click().run()
    assert any("Published requests v0002 as Official data" in s.value for s in at.success)
    version = LocalStore(home / "store").current("requests")
    assert (version.by, version.note, version.original_name) == ("ana", "December update", "requests_dec.csv")
    assert version.declared == "official"
    log = LocalStore(home / "store").audit_log()
    assert log.iloc[0]["event"] == "replace" and log.iloc[0]["declared"] == "official"

    # The rest of the ledger, published official too (as the IIIM would), then a visitor: official
    # data is the default view, its values say so, and no page carries the illustrative notice.
    store = LocalStore(home / "store")
    for name in ("investigations", "jurisdictions"):
        store.publish(name, store.read(name), by="ana", note="official", declared="official")
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    assert {m.label: m.value for m in at.metric}["Requests received"] == "536"
    captions = " ".join(c.value for c in at.caption)
    assert "Official data, dataset version v0002" in captions
    assert not at.warning
    cite = [c.value for c in at.code if "Mandate Metrics" in c.value]
    assert cite and "Official data, dataset version v0002" in cite[0]
    page_version = re.search(r"data version (data-[0-9a-f]{8})", cite[0])[1]  # as the page cites it

    for page in ("requests_investigations", "jurisdictions", "funding_donors", "briefing"):
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception and not at.warning, page
    at = sign_in(data_page(), "ana", PASSWORD)
    at.selectbox(key="history_dataset").select("requests").run()
    history = next(d.value for d in at.dataframe if "What it is" in d.value.columns)
    assert history.iloc[0]["What it is"].startswith("Official data")
    assert "UTC" in history.iloc[0]["Published"] and "T" not in history.iloc[0]["Published"][:11]

    # The command line reads the same store: the same figure and the same data version.
    import io
    from contextlib import redirect_stdout

    from pptx import Presentation

    from mandate_metrics import cli

    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.main(["figures"]) == 0
        assert cli.main(["export", "deck", "--out", str(home / "brief.pptx")]) == 0
    printed = out.getvalue()
    assert "requests_received: 536 (official, v0002)" in printed
    assert page_version in printed
    deck = Presentation(str(home / "brief.pptx"))
    assert "536" in " ".join(s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame).split()

    # A rollback to identical content restores the earlier data version.
    before = printed.split("data version ")[1].split()[0]
    LocalStore(home / "store").rollback("requests", "v0001", by="ana")
    out = io.StringIO()
    with redirect_stdout(out):
        cli.main(["figures"])
    after = out.getvalue().split("data version ")[1].split()[0]
    assert after != before
    first = LocalStore(home / "store").history("requests")[0]
    assert first.sha256 == LocalStore(home / "store").current("requests").sha256


def test_a_bad_upload_shows_every_problem_and_publishes_nothing(home):
    at = sign_in(data_page(), "ana", PASSWORD)
    data = (UPLOADS / "bad_many_problems.csv").read_bytes()
    at.file_uploader(key="upload_file").upload("bad_many_problems.csv", data, "text/csv").run()
    assert "Requests for assistance" in at.warning[-1].value  # wrong dataset chosen: the page says which fits
    at.selectbox(key="upload_dataset").select("requests").run()
    assert "5 problems in bad_many_problems.csv" in at.error[0].value.replace("\\", "")  # as rendered
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
    history = next(d.value for d in at.dataframe if "What it is" in d.value.columns)
    assert history.iloc[0][["Version", "Current"]].tolist() == ["v0003", "yes"]  # at once, not next click


def test_a_donor_named_like_markup_shows_as_text_everywhere(home):
    store = LocalStore(home / "store")
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["view"] = "sample"  # the placeholder donors exist only in the sample
    at.run()  # seeds the store
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
    donors = [v for frame in (d.value for d in at.dataframe) if "Donor" in frame for v in frame["Donor"]]
    assert evil in donors  # tables show the text itself, which the browser renders as text
    titles = " ".join(s.value for s in at.subheader)
    assert "<img" not in titles.replace("\\<img", "")


def test_an_idle_staff_session_signs_itself_out(home):
    import time

    at = sign_in(data_page(), "ana", PASSWORD)
    assert at.get("file_uploader")
    at.session_state[staff.SEEN_KEY] = time.time() - staff.IDLE_SECONDS - 1
    at.run()
    assert [w.key for w in at.text_input] == ["sign_in_name", "sign_in_password"]
    assert not at.get("file_uploader")


def test_sign_out_with_an_identity_provider_ends_its_session(home, monkeypatch):
    from types import SimpleNamespace

    ended = []
    monkeypatch.setattr(staff, "_secrets", lambda: {"auth": {"client_id": "x"}})
    monkeypatch.setattr(staff.st, "user", SimpleNamespace(is_logged_in=True))
    monkeypatch.setattr(staff.st, "logout", lambda: ended.append(True))
    assert staff.sign_out(LocalStore(home / "store")) is True  # the page stops: a rerun drops the redirect
    assert ended == [True]  # st.logout: cookie gone, and the provider's end_session_endpoint visited
    monkeypatch.setattr(staff, "_secrets", dict)
    assert staff.sign_out(LocalStore(home / "store")) is False  # a password sign-out: the page reruns


def test_the_sign_out_button_stops_the_page_when_the_browser_leaves_for_the_provider():
    """st.logout queues a redirect; a rerun clears what is queued, so the page must stop instead."""
    import ast

    source = (PROJECT_DIR / "app_pages" / "data.py").read_text()
    button = next(
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.If) and "sign_out" in ast.unparse(node.test)
    )
    first = ast.unparse(button.body[0])
    assert first.startswith("if staff.sign_out(store):") and "st.stop()" in first


def _upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="upload_file").upload(name, data, "text/csv").run()
    at.selectbox(key="upload_dataset").select("requests").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_current_data_downloads_and_uploads_back_unchanged(home):
    from mandate_metrics.exports.templates import template_csv, template_xlsx
    from mandate_metrics.loading import load_from_store
    from mandate_metrics.paths import DATA_DIR
    from mandate_metrics.schemas import SCHEMAS
    from mandate_metrics.upload.publishing import candidate, diff
    from mandate_metrics.upload.validation import validate_upload

    data = load_from_store(LocalStore(home / "store"), DATA_DIR)
    others = {n: data.frame(n) for n in data}
    for dataset in SCHEMAS:
        current = data.frame(dataset)
        for name, content in (
            ("current.csv", template_csv(dataset, current)),
            ("current.xlsx", template_xlsx(dataset, current)),
        ):
            report = validate_upload(dataset, name, content, max_bytes=10**8, others=others)
            assert report.ok, (dataset, name, report.table().head())
            assert diff(current, candidate(report, current, False), dataset).counts == (0, 0, 0), (
                dataset,
                name,
            )
    at = sign_in(data_page(), "ana", PASSWORD)
    _upload(at, "requests_current.csv", template_csv("requests", data.frame("requests")))
    assert any("No changes" in i.value for i in at.info)
    assert not any(b.key == "publish" for b in at.button)


def test_the_file_is_the_table_as_it_should_be_and_a_removal_waits_for_a_confirmation(home):
    """Staff upload the table as they want it; the preview says what changes; no mode is chosen."""
    from mandate_metrics.exports.templates import template_csv
    from mandate_metrics.loading import load_from_store
    from mandate_metrics.paths import DATA_DIR

    published = load_from_store(LocalStore(home / "store"), DATA_DIR).frame("requests")
    current = template_csv("requests", published).decode("utf-8-sig").splitlines()  # "Current data"
    at = sign_in(data_page(), "ana", PASSWORD)
    extra = [
        "RFA-0535,2025-12-01,J01,evidence_sharing,received,2025-12-01,INV-0001",
        "RFA-0536,2025-12-02,J02,legal_advice,received,2025-12-02,INV-0002",
    ]

    def said(at: AppTest) -> str:
        return " ".join(m.value for m in at.markdown).replace("\\", "")

    # Only the two new rows: they are added, every published row stays.
    _upload(at, "two_rows.csv", "\n".join([current[0], *extra]).encode())
    assert "2 added, 0 changed, 0 removed; the other 534 rows are unchanged." in said(at)
    assert not any("would lose" in w.value for w in at.warning)
    # One cell changed in the current data: one row changed, old → new.
    cells = current[1].split(",")
    status = current[0].split(",").index("status")
    old, cells[status] = cells[status], "withdrawn" if cells[status] != "withdrawn" else "declined"
    _upload(at, "one_change.csv", "\n".join([current[0], ",".join(cells), *current[2:]]).encode())
    assert "0 added, 1 changed, 0 removed; the other 533 rows are unchanged." in said(at)
    changed = next(d.value for d in at.dataframe if "before" in map(str.lower, d.value.columns))
    assert changed.iloc[0].tolist()[1:] == ["status", old, cells[status]]
    # Three rows deleted from the current data: listed, and publishing waits for a confirmation.
    _upload(at, "three_fewer.csv", "\n".join([current[0], *current[4:]]).encode())
    assert "0 added, 0 changed, 3 removed; the other 531 rows are unchanged." in said(at)
    warning = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "3 published row(s) would be removed: RFA-0001, RFA-0002, RFA-0003" in warning
    at.radio(key="publish_declared").set_value("official").run()
    assert at.button(key="publish").disabled  # not until the loss is confirmed
    at.checkbox(key="publish_confirm").check().run()
    assert not at.button(key="publish").disabled
    assert LocalStore(home / "store").current("requests").version == "v0001"  # nothing published yet


def test_publishing_a_new_row_keeps_every_published_row(home):
    at = sign_in(data_page(), "ana", PASSWORD)
    header = (PROJECT_DIR / "data" / "requests.csv").read_text().splitlines()[0]
    rows = "RFA-0535,2025-12-01,J01,evidence_sharing,received,2025-12-01,INV-0001\n"
    _upload(at, "one_row.csv", (header + "\n" + rows).encode())
    at.radio(key="publish_declared").set_value("official").run()
    at.button(key="publish").click().run()
    assert any("Published requests v0002" in s.value for s in at.success)
    store = LocalStore(home / "store")
    assert len(store.read("requests")) == 535  # the 534 published rows and the new one
    history = store.history("requests")
    assert [v.rows for v in history] == [534, 535]


def test_wrong_headers_still_show_every_row_problem_with_a_suggestion():
    from mandate_metrics.upload.validation import validate_upload

    data = (
        "request_id,recieved_on,jurisdiction_id,assistance_type,status,status_on,investigation_id,extra\n"
        "RFA-1,2024-01-01,J01,evidence_sharing,nonsense,2024-01-02,INV-1,x\n"
        "RFA-2,2024-01-01,J01,not_a_type,received,2099-01-01,INV-1,x\n"
    )
    report = validate_upload("requests", "f.csv", data.encode(), max_bytes=10**6)
    problems = report.table()
    assert any("Did you mean received_on?" in fix for fix in problems["How to fix"])
    assert set(problems["Column"]) >= {  # recieved_on: one problem, under the column it should be
        "extra",
        "received_on",
        "status",
        "assistance_type",
        "status_on",
    }


def test_an_ambiguous_day_and_month_is_reported_not_guessed():
    from mandate_metrics.upload.validation import validate_upload

    header = "request_id,received_on,jurisdiction_id,assistance_type,status,status_on,investigation_id\n"
    ambiguous = header + "RFA-1,03/04/2025,J01,evidence_sharing,received,03/04/2025,INV-1\n"
    report = validate_upload("requests", "f.csv", ambiguous.encode(), max_bytes=10**6)
    problem = report.table().iloc[0]
    assert "Ambiguous date: 3 April 2025 or 4 March 2025?" in problem["Problem"]
    told = ambiguous + "RFA-2,25/04/2025,J01,evidence_sharing,received,25/04/2025,INV-1\n"
    report = validate_upload("requests", "f.csv", told.encode(), max_bytes=10**6)
    assert not any("Ambiguous" in p for p in report.table()["Problem"])
    assert any("day first" in n for n in report.notices)


def test_staff_record_an_appeal_and_the_ask_slide_leads_with_it(home):
    """The README's steps: download the key messages, add an appeal row, upload, publish, present."""
    at = sign_in(data_page(), "ana", PASSWORD)
    current = (PROJECT_DIR / "data" / "messages.csv").read_text()
    appeal = (
        'APPEAL-2025,appeal,Fund the IIIM\'s 2025 work plan,"Head of the IIIM",2025-04-29,'
        '"IIIM, appeal to Member States (2025)",https://iiim.un.org,published,2500000,USD,2025\n'
    )
    at.file_uploader(key="upload_file").upload("messages.csv", (current + appeal).encode(), "text/csv").run()
    at.selectbox(key="upload_dataset").select("messages").run()
    text = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "1 added, 0 changed, 0 removed" in text, text[:500]
    at.text_input(key="publish_note").input("2025 appeal")
    at.radio(key="publish_declared").set_value("official").run()
    at.button(key="publish").click().run()
    assert any("Published messages v0002" in s.value for s in at.success)

    viewer = AppTest.from_file(APP, default_timeout=90)
    viewer.query_params.update({"present": "1", "slide": "7", "as_of": "2025-12-08"})
    viewer.run()
    viewer.switch_page("app_pages/briefing.py").run()
    assert not viewer.exception, [e.value for e in viewer.exception]
    shown = {m.label: m.value for m in viewer.metric}
    assert shown.get("The appeal 2025") == "$2.5M", shown


@pytest.mark.parametrize(
    ("lang", "button", "limit"),
    [
        ("fr", "Téléverser", "100 Mo par fichier • CSV, XLSX"),
        ("ar", "رفع ملف", "100 ميغابايت لكل ملف"),
        ("en", None, None),
    ],
)
def test_the_uploader_says_its_own_words_in_the_page_language(home, lang, button, limit):
    """Streamlit's uploader has no language of its own: its button and limit are drawn in ours."""
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = lang
    at.session_state["role"] = "staff"
    at.run()
    at.switch_page("app_pages/data.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.file_uploader  # the uploader is on the page
    styles = " ".join(str(h.value) for h in at.html if "stFileUploaderDropzone" in str(h.value))
    if button is None:  # English keeps Streamlit's own words
        assert not styles
    else:
        assert f'::after {{ content: "{button}"; }}' in styles and limit in styles


def test_translated_words_are_css_strings_that_cannot_close_the_style():
    from mandate_metrics.ui.language import _css_string

    assert _css_string('a "b" \\ </style>') == '"a \\"b\\" \\\\ \\3c /style>"'
