"""Shared fixtures: the shipped datasets (loaded once) and a tiny hand-made ledger builder."""

from __future__ import annotations

import html
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest

from mandate_metrics.loading import Datasets, load_all
from mandate_metrics.paths import DATA_DIR, PROJECT_DIR
from mandate_metrics.schemas import Requests

# deploy/loopback.py (the loopback cluster, free ports, the shared replica settings) for the tests
sys.path.insert(0, str(PROJECT_DIR / "deploy"))
from loopback import free_port  # noqa: E402

# Set before any test runs (AppTest and the browser tests' server read them): the suite never
# touches the project's own store or staff accounts.
TEST_HOME = Path(tempfile.mkdtemp(prefix="mandate-metrics-tests-"))
os.environ["MANDATE_METRICS_STORE"] = str(TEST_HOME / "store")
os.environ["MANDATE_METRICS_STAFF_FILE"] = str(TEST_HOME / "staff.json")
# AppTest has no browser to draw the headline first: its runs do not wait for one (the browser
# tests' server runs with the shipped default, tests/test_browser.py).
os.environ["MANDATE_METRICS_FIRST_SCREEN_MS"] = "0"


@pytest.fixture(scope="session", autouse=True)
def _remove_test_home() -> Iterator[None]:
    yield
    shutil.rmtree(TEST_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def shipped() -> Datasets:
    """The datasets in data/, validated once per test session."""
    return load_all(DATA_DIR)


LedgerRow = tuple[str, str, str, str, str]  # received_on, status, status_on, jurisdiction, investigation


@pytest.fixture
def ledger() -> Callable[[list[LedgerRow]], pd.DataFrame]:
    """Build a validated request ledger from (received_on, status, status_on, jurisdiction, investigation)."""

    def build(rows: list[LedgerRow]) -> pd.DataFrame:
        frame = pd.DataFrame(
            [
                {
                    "request_id": f"R{i}",
                    "received_on": received,
                    "jurisdiction_id": jurisdiction,
                    "assistance_type": "evidence_sharing",
                    "status": status,
                    "status_on": status_on,
                    "investigation_id": investigation,
                }
                for i, (received, status, status_on, jurisdiction, investigation) in enumerate(rows)
            ],
            columns=list(Requests.to_schema().columns),
        )
        return Requests.validate(frame)

    return build


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """An S3 endpoint on loopback (moto's server, in this process), named by the standard variables.

    Child processes the tests spawn inherit the variables, so they reach the same endpoint.
    """
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    variables = {
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_REGION": "us-east-1",
    }
    before = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    yield variables["AWS_ENDPOINT_URL"]
    server.stop()
    for name, value in before.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture
def bucket(s3_endpoint: str) -> str:
    """A new, empty bucket for one test, as a store address."""
    import uuid

    import boto3

    name = f"store-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=s3_endpoint).create_bucket(Bucket=name)
    return f"s3://{name}/mandate-metrics"


@pytest.fixture(params=["folder", "bucket"])
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """One new store's address, once as a folder and once as a bucket: the contract holds for both."""
    if request.param == "bucket":
        return str(request.getfixturevalue("bucket"))
    return str(tmp_path / "store")


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (the real-browser tests; CI must have it)."""
    from mandate_metrics.exports.pdf import HEADLESS_FLAGS

    chromium = "/usr/bin/chromium"
    if not Path(chromium).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{chromium} is missing: .ci/run must install Debian's chromium")
        pytest.skip(f"{chromium} not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium, args=list(HEADLESS_FLAGS))
        yield instance
        instance.close()


def shown(value: object) -> str:
    """What a reader sees of an element's Markdown or HTML source: tags and link addresses dropped.

    Data text is drawn inside HTML blocks with its punctuation as character references
    (``ui.components.inert``); tests read it as the page shows it.
    """
    text = re.sub(r"\]\([^)\s]*\)", "]", str(value))  # a Markdown link shows its words, not its address
    return html.unescape(re.sub(r"<[^>]+>", "", text)).replace("\u2060", "")
