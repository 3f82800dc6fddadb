"""Shared fixtures: the shipped datasets (loaded once) and a tiny hand-made ledger builder."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest

from mandate_metrics.loading import Datasets, load_all
from mandate_metrics.paths import DATA_DIR
from mandate_metrics.schemas import Requests

# Set before any test runs (AppTest and the browser tests' server read them): the suite never
# touches the project's own store or staff accounts.
TEST_HOME = Path(tempfile.mkdtemp(prefix="mandate-metrics-tests-"))
os.environ["MANDATE_METRICS_STORE"] = str(TEST_HOME / "store")
os.environ["MANDATE_METRICS_STAFF_FILE"] = str(TEST_HOME / "staff.json")


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
