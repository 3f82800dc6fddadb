"""What a viewer waits for in a real browser, and what each extra viewer costs the server in memory.

Two Streamlit servers run side by side: the app, and `bare_app.py` (one metric, one chart). In
headless Chromium (Debian's, as the browser tests use) at 1280x720, each page is opened in a fresh
browser context, in English and in Arabic, alternately with the bare page, and timed from
navigation to

- the first figure: the first metric card's value or the first value printed on a chart, whichever
  comes first, against the bare page's metric card value (like for like: a figure, never a heading);
- the last chart drawn: every Plotly chart of the page has its SVG, against the bare page's chart.

Both are read in the page, in the frame that paints them (a ``requestAnimationFrame`` check runs just
before each paint), and counted from the start of navigation. Playwright's own wait runs on the
page's main thread too: when a long task follows the paint (Plotly's module takes 0.7-1.2 s to
evaluate), it reports the figure only after that task, so the bare page's card read 1.1 s in one
run and 2.0 s in the next although it was on screen at 1.1 s in both.

Memory: the server's resident memory with 1 and with 20 concurrent viewers of the Requests page
(the heaviest), at the shipped size and with the ledger x1000, beside the bare server with the same
viewers; per extra viewer = (RSS at 20 - RSS at 1) / 19. The app's servers run as `make run`
starts them (MALLOC_ARENA_MAX=2).

Budgets (issue 24): first figure <= 1.2x the bare page's metric card on every page, English and
Arabic; last chart <= 1.5x the bare page's; <= 25 MB per extra viewer at both sizes.
Run: `.venv/bin/python benchmarks/bench_browser.py [--quick]`.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import harness
import psutil
import scaled_store
from playwright.sync_api import Browser, sync_playwright

from mandate_metrics.exports.pdf import HEADLESS_FLAGS
from mandate_metrics.paths import PROJECT_DIR

CHROMIUM = "/usr/bin/chromium"
FIRST_FIGURE = "[data-testid='stMetric'], .js-plotly-plot .main-svg"  # a page is loaded (memory)
# A figure a viewer can read: a metric card's value, or a value printed on a bar or a point.
FIRST_VALUE = "[data-testid='stMetricValue'], .js-plotly-plot text.bartext, .js-plotly-plot .textpoint text"
BARE_VALUE = "[data-testid='stMetricValue']"
VIEWPORT = {"width": 1280, "height": 720}  # the projector size the budgets are set at
PAGES = {  # address, and what counts as its first figure
    "Overview": ("", FIRST_VALUE),
    "Requests & investigations": ("requests", FIRST_VALUE),
    "Jurisdictions": ("jurisdictions", FIRST_VALUE),
    "Funding & donors": ("funding", FIRST_VALUE),
    # No card and no chart: the briefing's first figure is its first takeaway, which states it.
    "Briefing": ("briefing", "[data-testid='stMainBlockContainer'] h3"),
    # The sources page's first figures are its list of datasets, each with its version and rows.
    "Sources & methods": (
        "sources",
        "[data-testid='stMainBlockContainer'] [data-testid='stMarkdownContainer'] code",
    ),
}
LANGUAGES = ("en", "ar")
CHARTS_DRAWN = """n => [...document.querySelectorAll('.js-plotly-plot')]
    .filter(chart => chart.querySelector('svg.main-svg')).length >= n
    && !document.querySelector('[data-testid="stStatusWidget"]')"""
SETTLE_SECONDS = 1.0
ARENAS = {"MALLOC_ARENA_MAX": "2"}  # as `make run` and deploy/ set it


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(script: Path, env: dict[str, str]) -> Iterator[tuple[str, int]]:
    """A Streamlit server for ``script``; yields its address and process id."""
    port = _port()
    process = subprocess.Popen(
        [
            str(PROJECT_DIR / ".venv" / "bin" / "streamlit"),
            "run",
            str(script),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=PROJECT_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **env},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                break
        except OSError:
            time.sleep(0.3)
    try:
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(timeout=20)


PAINT_WATCH = """(() => {
  const first = %s, charts = %d, painted = window.__painted = {};
  const shown = el => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  const drawn = () => [...document.querySelectorAll('.js-plotly-plot')]
    .filter(chart => chart.querySelector('svg.main-svg')).length >= charts
    && !document.querySelector('[data-testid="stStatusWidget"]');
  const frame = () => {
    const now = performance.now();
    if (painted.first === undefined && [...document.querySelectorAll(first)].some(shown)) painted.first = now;
    if (painted.last === undefined && painted.first !== undefined && drawn()) painted.last = now;
    if (painted.last === undefined) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})();"""


def _open(browser: Browser, url: str, charts: int, first_figure: str = FIRST_FIGURE) -> tuple[float, float]:
    """Seconds from navigation to the frame that paints the first figure, and the ``charts``-th chart."""
    time.sleep(SETTLE_SECONDS)  # the previous visit's server work is over: each visit starts idle
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.add_init_script(PAINT_WATCH % (json.dumps(first_figure), charts))
    page.goto(url, wait_until="commit")
    page.wait_for_selector(first_figure, timeout=60_000)
    page.wait_for_function(CHARTS_DRAWN, arg=charts, timeout=120_000)
    page.wait_for_function("() => window.__painted.last !== undefined", timeout=30_000)
    painted = page.evaluate("window.__painted")
    context.close()
    return painted["first"] / 1e3, painted["last"] / 1e3


def _loaded(browser: Browser, url: str, first_figure: str, width: int = 1920, height: int = 1080):
    """A new viewer (its own browser context) with ``url`` open and its script run finished."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(first_figure, timeout=120_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000
    )
    return context, page


SETTLED = """() => document.querySelector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    && !document.querySelector('[data-testid="stSkeleton"]')"""


def _chart_count(browser: Browser, url: str, first_figure: str) -> int:
    context, page = _loaded(browser, url, first_figure)
    # Every element drawn, not a fixed wait: a first visit's charts come after its headline cards
    # (ui/components.first_screen_sent), and a count taken early missed some.
    page.wait_for_function(SETTLED, timeout=120_000)
    page.wait_for_timeout(500)
    count = page.locator(".js-plotly-plot").count()  # a page with no chart (Briefing) waits for none
    context.close()
    return count


def browser_times(browser: Browser, app: str, bare: str, runs: int, size: str) -> None:
    """First figure and last chart of every page, in English and Arabic, beside the bare page."""
    for name, (path, first_figure) in PAGES.items():
        for lang in LANGUAGES:
            url = f"{app}/{path}?view=sample&lang={lang}"
            charts = _chart_count(browser, url, first_figure)
            _open(browser, url, charts, first_figure), _open(browser, bare, 1, BARE_VALUE)  # warm-up
            ours, theirs = [], []
            for _ in range(runs):
                ours.append(_open(browser, url, charts, first_figure))
                theirs.append(_open(browser, bare, 1, BARE_VALUE))
            first, last = (statistics.median(o[i] for o in ours) for i in (0, 1))
            bare_first, bare_last = (statistics.median(b[i] for b in theirs) for i in (0, 1))
            harness.record(
                harness.Measurement(
                    f"browser first figure: {name}",
                    f"{lang}, {size}",
                    first * 1e3,
                    "bare page, its metric card",
                    bare_first * 1e3,
                    "ms",
                    "<= 1.2x",
                    met=first <= 1.2 * bare_first,
                )
            )
            if charts:
                harness.record(
                    harness.Measurement(
                        f"browser last chart: {name}",
                        f"{lang}, {size}, {charts} charts",
                        last * 1e3,
                        "bare page, its chart",
                        bare_last * 1e3,
                        "ms",
                        "<= 1.5x",
                        met=last <= 1.5 * bare_last,
                    )
                )


def _rss_mb(pid: int) -> float:
    process = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [process, *process.children(recursive=True)]) / 2**20


def memory(
    browser: Browser, app: str, app_pid: int, bare: str, bare_pid: int, size: str, allocator: str
) -> None:
    """Server memory with 1 and 20 concurrent viewers (each its own browser context)."""
    results = {}
    for label, url, pid in (("ours", f"{app}/requests?view=sample", app_pid), ("bare", bare, bare_pid)):
        contexts, rss = [], {}
        for viewers in (1, 20):
            while len(contexts) < viewers:
                contexts.append(_loaded(browser, url, FIRST_FIGURE, 1280, 720)[0])
            time.sleep(3)
            rss[viewers] = _rss_mb(pid)
        for context in contexts:
            context.close()
        results[label] = rss
    per = (results["ours"][20] - results["ours"][1]) / 19
    bare_per = (results["bare"][20] - results["bare"][1]) / 19
    harness.record(
        harness.Measurement(
            f"server memory per extra viewer ({allocator})",
            size,
            per,
            "bare server, per extra viewer",
            bare_per,
            "MB",
            "<= 25 MB",
            met=per <= 25,
            ratio=round(per / bare_per, 2) if bare_per > 0.05 else None,
            notes=(
                f"(1 viewer {results['ours'][1]:,.0f} MB, 20 viewers {results['ours'][20]:,.0f} MB; "
                f"bare {results['bare'][1]:,.0f} → {results['bare'][20]:,.0f} MB)"
            ),
        )
    )


def main() -> None:
    """Measure, then write the results (suite "browser")."""
    quick = "--quick" in sys.argv
    runs = 3 if quick else 5
    with tempfile.TemporaryDirectory(prefix="mm-bench-browser-") as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=list(HEADLESS_FLAGS))
        for scale in (1, 1000):
            store = scaled_store.build(Path(tmp) / f"x{scale}", scale)
            size = "shipped" if scale == 1 else "ledger x1000"
            for allocator, extra in (("MALLOC_ARENA_MAX=2", ARENAS), ("glibc default arenas", {})):
                if extra == {} and scale == 1:
                    continue  # the default allocator matters with large frames only
                env = {"MANDATE_METRICS_STORE": str(store), **extra}
                with (
                    serve(PROJECT_DIR / "serve.py", env) as (app, app_pid),
                    serve(Path(__file__).parent / "bare_app.py", extra) as (bare, bare_pid),
                ):
                    if extra and (scale == 1 or not quick):
                        browser_times(browser, app, bare, runs, f"sample view, {size}")
                    memory(browser, app, app_pid, bare, bare_pid, f"Requests page, {size}", allocator)
        browser.close()
    harness.write("browser")


if __name__ == "__main__":
    main()
