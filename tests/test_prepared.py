"""Prepared figures (issue 24): a rerun reads what the first run built, and nothing else changes.

The cache is keyed by the data's identity, the date, the language, the role, the view and the
page's filters; these tests check that what it hands back is exactly what a fresh build draws,
that a publish or a rollback gives a new key, and that it stays inside its memory budget.
"""

from __future__ import annotations

import gc
import json
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_pages import run

from mandate_metrics import charts, loading
from mandate_metrics.paths import DATA_DIR, PROJECT_DIR
from mandate_metrics.store import open_store
from mandate_metrics.ui import prepared
from mandate_metrics.ui.prepared import PREPARED, Budgeted, SentFigure, size_of

APP = str(PROJECT_DIR / "app.py")
CHART_PAGES = [
    "app_pages/overview.py",
    "app_pages/requests_investigations.py",
    "app_pages/jurisdictions.py",
    "app_pages/funding_donors.py",
]


# The cache itself ---------------------------------------------------------------------------------


def test_a_key_is_built_once_and_the_same_object_is_read_back() -> None:
    cache = Budgeted(1_000_000)
    calls: list[int] = []
    first = cache.get("k", lambda: calls.append(1) or ["value"])
    again = cache.get("k", lambda: calls.append(1) or ["other"])
    assert again is first and calls == [1] and (cache.hits, cache.misses) == (1, 1)


def test_the_least_recently_used_goes_first_and_the_budget_holds() -> None:
    one = "x" * 400
    cache = Budgeted(3 * size_of(one) + 10)
    for key in "abc":
        cache.get(key, lambda: one)
    cache.get("a", lambda: one)  # a is now the most recent: b goes first
    cache.get("d", lambda: one)
    assert len(cache) == 3 and cache.held_bytes <= cache.budget_bytes
    rebuilt: list[str] = []
    cache.get("b", lambda: rebuilt.append("b") or one)
    cache.get("a", lambda: rebuilt.append("a") or one)
    assert rebuilt == ["b"]


def test_a_value_larger_than_the_budget_is_returned_but_not_kept() -> None:
    cache = Budgeted(100)
    assert cache.get("big", lambda: "y" * 1000) == "y" * 1000
    assert len(cache) == 0 and cache.held_bytes == 0


@pytest.mark.parametrize("bars", [1, 3, 40, 1000, 3000])
def test_a_figures_estimate_is_never_below_what_it_holds(bars: int) -> None:
    """The budget is only as good as the estimate: tracemalloc measures ten prepared figures."""
    labels = [f"Donor {i}" for i in range(bars)]

    def build() -> SentFigure:
        return SentFigure(charts.bars(labels, list(range(bars)), horizontal=True, locale="ar"))

    build()  # imports and Plotly's own first-use caches are not the figure's
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    figures = [build() for _ in range(10)]
    gc.collect()
    held = (tracemalloc.get_traced_memory()[0] - before) / len(figures)
    tracemalloc.stop()
    assert size_of(figures[0]) >= held


def test_a_sent_figure_sends_exactly_what_the_figure_would() -> None:
    figure = charts.bars(["a", "b"], [1, 2], locale="fr")
    sent = SentFigure(figure)
    assert sent.to_dict() == figure.to_dict() and sent.to_json() == figure.to_json()


# What pages draw ----------------------------------------------------------------------------------


def _charts(page: str, view: str, lang: str) -> tuple[AppTest, list[dict]]:
    at = run(page, view=view, lang=lang)
    return at, _specs(at)


def _specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


@pytest.mark.parametrize("lang", ["en", "ar", "fr"])
@pytest.mark.parametrize("view", ["record", "sample"])
@pytest.mark.parametrize("page", CHART_PAGES)
def test_a_prepared_page_draws_what_a_fresh_build_draws(page: str, view: str, lang: str) -> None:
    PREPARED.clear()
    at, fresh = _charts(page, view, lang)
    assert fresh
    before = PREPARED.hits
    reread = _specs(at.run())  # the same session again: every part read from the cache
    assert PREPARED.hits > before
    _, other_session = _charts(page, view, lang)  # another viewer, served from the same cache
    assert reread == fresh and other_session == fresh
    texts = [el.value for el in at.markdown] + [el.value for el in at.subheader]
    PREPARED.clear()
    again, rebuilt = _charts(page, view, lang)
    assert rebuilt == fresh
    assert [el.value for el in again.markdown] + [el.value for el in again.subheader] == texts


@pytest.mark.parametrize("page", ["app_pages/requests_investigations.py", "app_pages/funding_donors.py"])
def test_languages_and_views_never_read_each_others_parts(page: str) -> None:
    """Every language and view in turn on a warm cache draws what each draws alone on a cold one."""
    combos = [(view, lang) for view in ("record", "sample") for lang in ("en", "ar", "fr")]
    alone = {}
    for view, lang in combos:
        PREPARED.clear()
        alone[view, lang] = _charts(page, view, lang)[1]
    PREPARED.clear()
    for view, lang in combos + combos[::-1]:
        assert _charts(page, view, lang)[1] == alone[view, lang], (view, lang)


def test_a_donor_year_is_its_own_key() -> None:
    PREPARED.clear()
    at, _ = _charts("app_pages/funding_donors.py", "sample", "en")
    titles = {s.value for s in at.subheader}
    years = [o for o in at.selectbox(key="donor_year").options if o.isdigit()]
    at.selectbox(key="donor_year").set_value(int(years[-1])).run()
    assert not at.exception
    assert {s.value for s in at.subheader} != titles  # the ranking of one year, not all years'


# Keys and budget ----------------------------------------------------------------------------------


def test_a_publish_and_a_rollback_each_give_a_new_identity(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "store"))
    seeded = loading.load_from_store(store, DATA_DIR)
    frame = seeded.frame("milestones")
    first = store.publish("milestones", frame.iloc[:-1], by="test")
    published = loading.load_from_store(store, DATA_DIR)
    store.rollback("milestones", seeded["milestones"].version, by="test")
    rolled_back = loading.load_from_store(store, DATA_DIR)
    identities = {seeded.identity, published.identity, rolled_back.identity}
    assert len(identities) == 3, first
    assert loading.load_from_store(store, DATA_DIR).identity == rolled_back.identity  # stable when unchanged


def test_two_stores_with_the_same_version_ids_do_not_share_a_key(tmp_path: Path) -> None:
    one, two = open_store(str(tmp_path / "one")), open_store(str(tmp_path / "two"))
    loading.load_from_store(one, DATA_DIR)
    loading.load_from_store(two, DATA_DIR)
    frame = loading.load_from_store(one, DATA_DIR).frame("milestones")
    one.publish("milestones", frame.iloc[:-1], by="test")
    two.publish("milestones", frame.iloc[:-2], by="test")
    a, b = loading.load_from_store(one, DATA_DIR), loading.load_from_store(two, DATA_DIR)
    assert a.fingerprint == b.fingerprint and a.identity != b.identity


def test_memory_stays_within_the_budget_after_fifty_dates(monkeypatch: pytest.MonkeyPatch) -> None:
    budget = Budgeted(3_000_000)
    monkeypatch.setattr(prepared, "PREPARED", budget)
    monkeypatch.setattr("mandate_metrics.ui.shell.PREPARED", budget)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["view"] = "sample"
    at.run()
    at.switch_page("app_pages/requests_investigations.py").run()
    first = date(2025, 12, 8)
    for n in range(50):
        at.query_params["as_of"] = (first - timedelta(days=7 * n)).isoformat()
        at.session_state["as_of"] = first - timedelta(days=7 * n)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert budget.held_bytes <= budget.budget_bytes
    assert budget.misses >= 50 and 0 < len(budget)
