"""Three replicas behind HAProxy over one bucket, on loopback: what several machines must do.

The cluster is deploy/loopback.py: moto's S3 server, three Streamlit replicas configured from
deploy/replica.env, HAProxy running deploy/haproxy.cfg unchanged and an OpenID provider
(oidc-provider-mock) for ``st.login``. The tests start it once and stop it at the end.
"""

from __future__ import annotations

import re
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import loopback
import pytest
from test_browser import (
    LOCAL_HOSTS,
    SCREENSHOTS,
    _metrics,
    _wait_until_drawn,
    upload_two_december_requests,
)

from mandate_metrics.store import open_store

pytestmark = pytest.mark.browser

ALICE = {"sub": "alice", "email": "alice@example.org", "email_verified": True, "name": "Alice"}
BOB = {"sub": "bob", "email": "bob@example.org", "email_verified": True, "name": "Bob"}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[loopback.Cluster]:
    try:
        loopback._haproxy()
    except RuntimeError as exc:
        if __import__("os").environ.get("CI"):
            pytest.fail(f"{exc}")
        pytest.skip(str(exc))
    started = loopback.start(
        tmp_path_factory.mktemp("cluster"),
        replicas=3,
        staff_emails=(ALICE["email"],),
        oidc_users=(ALICE, BOB),
    )
    yield started
    started.stop()


@pytest.fixture
def viewer(browser, cluster):
    """A new browser for one viewer; ``replica`` pins it there with the balancer's own cookie."""
    contexts = []

    def open_viewer(path: str = "", replica: str | None = None, width: int = 1280, height: int = 720):
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        if replica:
            context.add_cookies([{"name": "MMREPLICA", "value": replica, "url": cluster.url}])
        page = context.new_page()
        page.hosts = []  # type: ignore[attr-defined]
        page.on("request", lambda request: page.hosts.append(request.url.split("/")[2].split(":")[0]))
        page.goto(f"{cluster.url}/{path}")
        _wait_until_drawn(page)
        return page

    yield open_viewer
    for context in contexts:
        context.close()


def _served_by(cluster: loopback.Cluster, path_part: str, at_least: int = 1) -> list[str]:
    """The replicas HAProxy's log says served requests whose path contains ``path_part``.

    HAProxy writes a request's line once it has ended: wait a moment for ``at_least`` lines.
    """
    deadline = time.monotonic() + 5
    while True:
        log = (cluster.folder / "haproxy.log").read_text(errors="replace")
        found = re.findall(rf"replicas/(r\d) .*\"\w+ [^\"]*{re.escape(path_part)}", log)
        if len(found) >= at_least or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def _sign_in(page, who: dict[str, object]) -> None:
    page.get_by_role("button", name="Sign in with your organisation").click()
    page.get_by_role("button", name=str(who["sub"])).click()  # the provider's predefined user
    page.wait_for_url(re.compile(r"^http://127\.0\.0\.1:\d+/"), timeout=30_000)
    _wait_until_drawn(page)


def test_the_balancer_spreads_new_viewers_and_keeps_each_on_one_replica(cluster):
    pinned = set()
    for _ in range(3):
        with urllib.request.urlopen(f"{cluster.url}/") as answer:
            pinned.add(answer.headers["Set-Cookie"].split(";")[0])
    assert pinned == {"MMREPLICA=r1", "MMREPLICA=r2", "MMREPLICA=r3"}  # round robin for newcomers
    for _ in range(4):
        request = urllib.request.Request(f"{cluster.url}/?kept=r2", headers={"Cookie": "MMREPLICA=r2"})
        with urllib.request.urlopen(request) as answer:
            assert answer.headers["Set-Cookie"] is None  # already pinned
    assert _served_by(cluster, "?kept=r2", at_least=4) == ["r2"] * 4


def test_a_publish_through_one_replica_is_seen_on_every_replica(cluster, viewer, tmp_path):
    before = {r: _metrics(viewer("", replica=r))["Requests received"] for r in ("r1", "r2", "r3")}
    assert set(before.values()) == {"more than 530"}  # the published record, on every replica

    page = viewer("data", replica="r1")
    _sign_in(page, ALICE)
    page.goto(f"{cluster.url}/data")
    _wait_until_drawn(page)
    upload_two_december_requests(page, tmp_path)
    # The upload went to the replica that holds the session: the cookie kept it there.
    assert set(_served_by(cluster, "/_stcore/upload_file")) == {"r1"}

    for replica in ("r1", "r2", "r3"):  # one page load (one run) on each replica
        seen = viewer("", replica=replica)
        assert _metrics(seen)["Requests received"] == "536", replica
        assert seen.get_by_text("Official data, dataset version v0002").count() >= 1
        assert set(seen.hosts) <= LOCAL_HOSTS
    seen.screenshot(path=str(SCREENSHOTS / "replica-r3-after-publish-1280x720.png"))
    store = open_store(cluster.store, client_options=cluster.client_options())
    assert store.current("requests").by == ALICE["email"]
    assert {"sign_in", "replace"} <= set(store.audit_log()["event"])


def test_an_address_not_on_the_allow_list_is_refused_through_the_balancer(cluster, viewer):
    page = viewer("data")
    _sign_in(page, BOB)
    page.goto(f"{cluster.url}/data")
    _wait_until_drawn(page)
    page.get_by_text("This account is not on the staff list").wait_for(timeout=30_000)
    assert page.get_by_text("Signed in as").count() == 0
    assert page.get_by_test_id("stFileUploader").count() == 0
    store = open_store(cluster.store, client_options=cluster.client_options())
    log = store.audit_log()
    assert ((log["event"] == "sign_in_failed") & (log["by"] == BOB["email"])).any()


def test_every_replica_uses_the_shared_settings(cluster):
    for replica in cluster.replicas:
        with urllib.request.urlopen(f"{replica}/_stcore/health") as answer:
            assert answer.read() == b"ok"
    env = cluster.env
    assert env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] == "false" and env["MALLOC_ARENA_MAX"] == "2"
    assert Path(cluster.folder / "haproxy.log").exists()


# Sign-in behind the balancer: the throttle counts real clients --------------------------------

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def password_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[loopback.Cluster]:
    """One replica behind HAProxy with local accounts (no identity provider): the password form."""
    from mandate_metrics import auth

    folder = tmp_path_factory.mktemp("password-cluster")
    auth.add_account(folder / "staff.json", "ana", PASSWORD)
    started = loopback.start(folder, replicas=1)
    yield started
    started.stop()


def _attempt(browser, base: str, name: str, password: str = "not the password", **options) -> str:
    """One sign-in from a new browser (a new session); what the page says afterwards."""
    context = browser.new_context(**options)
    try:
        page = context.new_page()
        page.goto(f"{base}/data")
        page.get_by_role("textbox", name="Name").fill(name)
        page.get_by_role("textbox", name="Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        said = page.get_by_text(re.compile("Wrong name or password|Too many attempts|Staff view"))
        said.first.wait_for(timeout=30_000)
        return said.first.inner_text()
    finally:
        context.close()


def test_wrong_passwords_from_one_client_do_not_lock_out_another_and_forged_addresses_are_ignored(
    browser, password_cluster
):
    """Five wrong passwords on made-up names from one address hold back that address only.

    Client A reaches the balancer on 127.0.0.1, client B on [::1]: two client addresses on one
    machine. The replica sees only the balancer (127.0.0.2, its trusted proxy) and takes the client
    from X-Forwarded-For; straight from 127.0.0.1 the same header is a forgery and is ignored.
    """
    cluster = password_cluster
    if not cluster.url_v6:
        pytest.skip("no IPv6 loopback here: the balancer has one client address to offer")
    for index in range(5):  # A is then held back for 30 s, whatever name it tries
        assert _attempt(browser, cluster.url, f"nobody-{index}") == "Wrong name or password."
    forged = {"extra_http_headers": {"X-Forwarded-For": "203.0.113.7"}}  # "I am someone else"
    said = _attempt(browser, cluster.replicas[0], "nobody-new", **forged)
    assert said.startswith("Too many attempts")  # straight from 127.0.0.1: counted as A, held back
    assert _attempt(browser, cluster.url, "nobody-else").startswith("Too many attempts")
    assert "Staff view" in _attempt(browser, cluster.url_v6, "ana", PASSWORD)  # B is not held back
    through = _attempt(browser, cluster.url_v6, "nobody-new", **forged)  # B's own count is untouched
    assert through == "Wrong name or password."  # the balancer appended B's real address (::1)


def test_sign_out_wins_over_a_reload_that_races_it(cluster, viewer):
    """A reload within a moment of Sign out once brought the identity cookie back before its deletion."""
    page = viewer("data")
    _sign_in(page, ALICE)
    page.goto(f"{cluster.url}/data")
    _wait_until_drawn(page)
    page.get_by_text("Signed in as").first.wait_for(timeout=30_000)
    identity = [c for c in page.context.cookies() if c["name"].startswith("_streamlit_user")]
    assert identity, "no identity cookie to race with"
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/end_session"), timeout=30_000)  # the provider ends its session too
    page.context.add_cookies(identity)  # the reload that won the race: the old cookie is still there
    page.goto(f"{cluster.url}/data")
    page.wait_for_url(re.compile(r"/end_session"), timeout=30_000)  # the stale cookie is deleted again
    assert page.get_by_text("Signed in as").count() == 0
    store = open_store(cluster.store, client_options=cluster.client_options())
    log = store.audit_log()
    mine = log[log["by"] == ALICE["email"]].iloc[::-1]  # oldest first
    assert list(mine["event"])[-2:] == ["sign_in", "sign_out"]  # signed out, and nobody signed back in


def test_the_balancer_compresses_and_the_replicas_do_not(cluster):
    import re as regex

    with urllib.request.urlopen(f"{cluster.url}/", timeout=30) as answer:
        script = regex.search(r'static/js/[^"]+\.js', answer.read().decode()).group(0)
    asked = urllib.request.Request(f"{cluster.url}/{script}", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(asked, timeout=30) as answer:
        assert answer.headers.get("Content-Encoding") == "gzip"
    # it went through the balancer (compression offload: replicas send plain); the line is written
    # once the request has ended, so the log may need a moment
    assert _served_by(cluster, "static/js"), "no balancer log line for the script"


def test_the_balancer_caches_the_api_and_the_record_page_by_data_version(cluster):
    """A second ask for the same answer is the balancer's (its log names the server "<CACHE>")."""
    for path in ("/api/v1/figures?as_of=2024-05-29", "/record?as_of=2024-05-29"):
        tags = set()
        for _ in range(3):
            asked = urllib.request.Request(f"{cluster.url}{path}", headers={"Accept-Encoding": "gzip"})
            with urllib.request.urlopen(asked, timeout=30) as answer:
                assert answer.status == 200 and answer.headers.get("Content-Encoding") == "gzip"
                assert "Set-Cookie" not in answer.headers  # nothing that would make it private
                tags.add(answer.headers["ETag"])
        assert len(tags) == 1  # one data version
        deadline = time.monotonic() + 5
        while True:
            log = (cluster.folder / "haproxy.log").read_text(errors="replace")
            hits = re.findall(rf"records/<CACHE> .*\"GET {re.escape(path)} ", log)
            if len(hits) >= 2 or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert len(hits) >= 2, path  # the first went to a replica, the repeats came from the cache


def test_a_donor_link_through_the_balancer_names_the_address_the_visitor_used(cluster, viewer):
    page = viewer("funding?donor=Germany&as_of=2025-12-08")
    link = page.get_by_text("Link to this donor:")
    link.wait_for(timeout=30_000)
    address = link.inner_text().replace("\u2060", "").split(": ", 1)[1]
    # the balancer's host and port, not a replica's; the view is whichever this cluster's data has
    assert address.startswith(f"{cluster.url}/funding?as_of=2025-12-08&view="), address
    assert address.endswith("&donor=Germany"), address
