"""What each page costs on the server: one script run, cold and warm, beside a bare page.

Every click reruns the page script, so a warm rerun is what a viewer waits for on the server; a
cold run (the first in a new process: imports, reading the store, first figures) is what the first
viewer after a restart waits for. Each page is measured in-process with AppTest, in the published
record (the default view) and in the illustrative sample, in English, Arabic and French, at the
shipped size and with the ledger scaled x100 and x1000 (`scaled_store.py`), beside `bare_app.py`
(one metric, one chart) rerun alternately in the same run.

AppTest compiles the scripts again on every run (a new ScriptCache per run); the server compiles
each once per process. Both sides here share one ScriptCache, as they would on the server, so the
bare page is not favoured by being the shorter file to compile.

Budgets (issue 24): a warm rerun of every page in every view and language <= 5x the bare page's at
the shipped size and <= 8x at x1000; a cold first page <= 1.5 s. The prepared-figure cache
(`ui/prepared.py`) is reported after the warm runs: what it holds against its budget.

Run: `.venv/bin/python benchmarks/bench_pages.py [--quick]` (quick: shipped size and x1000, 3 runs).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import harness
import scaled_store

from mandate_metrics.paths import PROJECT_DIR

PAGES = {
    "Overview": ("app_pages/overview.py", {}),
    "Requests & investigations": ("app_pages/requests_investigations.py", {}),
    "Jurisdictions": ("app_pages/jurisdictions.py", {}),
    "Funding & donors": ("app_pages/funding_donors.py", {}),
    "Briefing": ("app_pages/briefing.py", {}),
    "Sources & methods": ("app_pages/sources_methods.py", {}),
    "Embed (cumulative chart)": ("app_pages/embed.py", {"chart": "cumulative"}),
}
BARE = Path(__file__).parent / "bare_app.py"
COLD = """
import sys, time
start = time.perf_counter()
from streamlit.testing.v1 import AppTest
app, page, view = sys.argv[1:4]
at = AppTest.from_file(app, default_timeout=300)
if page:
    at.switch_page(page)
if view:
    at.query_params["view"] = view
at.run()
assert not at.exception, [e.value for e in at.exception]
print(time.perf_counter() - start)
"""


def _share_compiled_scripts() -> None:
    """One ScriptCache for every AppTest run, as one server process has."""
    import streamlit.testing.v1.app_test as app_test  # noqa: PLC0415
    import streamlit.testing.v1.local_script_runner as local_runner  # noqa: PLC0415
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache  # noqa: PLC0415

    shared = ScriptCache()
    app_test.ScriptCache = local_runner.ScriptCache = lambda: shared


def _session(page: str, view: str, params: dict[str, str], lang: str = "en"):
    from streamlit.testing.v1 import AppTest  # noqa: PLC0415 - after the store is chosen

    at = AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=300)
    at.query_params["view"] = view
    at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    at.run()  # the app's first run, then the page: later reruns stay on it
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _bare():
    from streamlit.testing.v1 import AppTest  # noqa: PLC0415

    at = AppTest.from_file(str(BARE), default_timeout=60)
    at.run()
    return at


LANGUAGES = ("en", "ar", "fr")


def warm(scale: int, runs: int) -> None:
    """Median warm rerun of every page in both views and every language, beside the bare page."""
    bare = _bare()
    factor = 5 if scale == 1 else 8
    for name, (page, params) in PAGES.items():
        for view in ("record", "sample"):
            for lang in LANGUAGES:
                at = _session(page, view, params, lang)
                ours, base = harness.paired(at.run, bare.run, runs)
                harness.record(
                    harness.Measurement(
                        f"page warm rerun: {name}",
                        f"{view}, {lang}, ledger x{scale}",
                        ours * 1e3,
                        "bare page rerun",
                        base * 1e3,
                        "ms",
                        f"<= {factor}x the bare page",
                        met=ours <= factor * base,
                    )
                )


def cache_held() -> None:
    """What the prepared-figure cache holds after every page, view and language, against its budget."""
    from mandate_metrics.ui.prepared import PREPARED  # noqa: PLC0415

    held_mb, budget_mb = PREPARED.held_bytes / 1e6, PREPARED.budget_bytes / 1e6
    harness.record(
        harness.Measurement(
            "prepared figures held",
            f"{len(PREPARED)} parts",
            held_mb,
            "its budget",
            budget_mb,
            "MB",
            "<= the budget (MANDATE_METRICS_FIGURE_CACHE_MB)",
            met=held_mb <= budget_mb,
            extra={"hits": PREPARED.hits, "misses": PREPARED.misses},
        )
    )


def cold(runs: int) -> None:
    """First run of each page in a new process (imports, store, figures), beside the bare page's."""
    python = str(PROJECT_DIR / ".venv" / "bin" / "python")
    app = str(PROJECT_DIR / "app.py")
    for name, (page, _) in PAGES.items():
        ours_cmd = [python, "-c", COLD, app, page, ""]
        bare_cmd = [python, "-c", COLD, str(BARE), "", ""]
        # the script's own work: not the pause a first visit makes after its headline cards for the
        # browser to draw them (ui/components.first_screen_sent), which bench_browser times
        quiet = {"MANDATE_METRICS_FIRST_SCREEN_MS": "0"}
        mine, base = harness.paired_processes(ours_cmd, bare_cmd, runs, warmup=0, env=quiet)
        seconds = [float(p.out.strip().splitlines()[-1]) for p in mine]
        bare_seconds = [float(p.out.strip().splitlines()[-1]) for p in base]
        ours = harness.median(seconds)
        harness.record(
            harness.Measurement(
                f"page cold first run: {name}",
                "record, shipped",
                ours,
                "bare page, cold",
                harness.median(bare_seconds),
                "s",
                "<= 1.5 s",
                met=ours <= 1.5,
            )
        )


def main() -> None:
    """Measure, then write the results (suite "pages")."""
    quick = "--quick" in sys.argv
    runs = 3 if quick else 7
    scales = (1, 1000) if quick else (1, 100, 1000)
    _share_compiled_scripts()
    with tempfile.TemporaryDirectory(prefix="mm-bench-pages-") as tmp:
        for scale in scales:
            store = scaled_store.build(Path(tmp) / f"x{scale}", scale)
            os.environ["MANDATE_METRICS_STORE"] = str(store)
            started = time.perf_counter()
            warm(scale, runs)
            print(f"  (ledger x{scale}: {time.perf_counter() - started:.0f} s)", flush=True)
        cache_held()
        os.environ["MANDATE_METRICS_STORE"] = str(scaled_store.build(Path(tmp) / "cold", 1))
        cold(3)
    harness.write("pages")


if __name__ == "__main__":
    main()
