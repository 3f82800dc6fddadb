"""The public record outside the app (issue 20): the read API, the plain /record page, Lighthouse.

Each measurement sits beside a baseline in the same run, alternately:

1. **Throughput on one replica.** ``/api/v1/figures`` and ``/record`` beside Streamlit's own
   ``/_stcore/health`` (the floor: the cheapest answer the same server gives), each hammered by
   the same keep-alive clients for the same time, in alternating rounds: requests per second and
   p95. Ratio: our requests per second / the floor's.
2. **500 clients through HAProxy** (``deploy/loopback.py``: the balancer runs ``deploy/haproxy.cfg``
   unchanged, with its cache) asking for ``/api/v1/figures`` and ``/record``: p95 and errors, beside
   ``/_stcore/health`` through the same balancer (never cached). Budget: p95 <= 200 ms, 0 errors.
3. **Time to the first headline figure on "Fast 3G"** (Chromium's DevTools preset through CDP:
   562.5 ms round trip, 1.44 Mbit/s down, 675 kbit/s up; a fresh browser context per visit, so
   nothing is cached): ``/record`` beside the Streamlit Overview and a bare one-metric Streamlit
   page (``bare_app.py``). Budget: /record <= 0.5x the bare page.
4. **Lighthouse** 12 (npm, with Debian's Chromium; desktop preset): performance of the Overview
   (en, ar) beside the bare page, and /record's performance and accessibility. Budgets: the
   Overview >= the bare page; /record >= 95 and accessibility 100. Lighthouse is installed into
   benchmarks/.lighthouse on first use (npm; not needed by the app or its tests).

Run: ``.venv/bin/python benchmarks/bench_public.py [--quick]``.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import harness
from bench_browser import CHROMIUM, serve
from playwright.sync_api import sync_playwright

from mandate_metrics.paths import PROJECT_DIR

sys.path.insert(0, str(PROJECT_DIR / "deploy"))
import loopback  # noqa: E402

QUICK = "--quick" in sys.argv
DAY = "2024-05-29"
FIGURES = f"/api/v1/figures?as_of={DAY}"
RECORD = f"/record?as_of={DAY}"
HEALTH = "/_stcore/health"
ARENAS = {"MALLOC_ARENA_MAX": "2"}
FAST_3G = {"offline": False, "latency": 562.5, "downloadThroughput": 180_000, "uploadThroughput": 84_375}
LIGHTHOUSE_DIR = Path(__file__).parent / ".lighthouse"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"


# --- a small keep-alive HTTP/1.1 load generator (the clients must cost less than the server) -----


async def _client(
    host: str, port: int, path: str, until: float, times: list[float], errors: list[str], keep: bool
) -> None:
    """One client: one request after another until ``until``, each timed (with its connection if new).

    ``keep``: one kept-alive connection. Without it, a new connection per request, as curl and a
    first visit make them (uvicorn writes an answer's head and body apart, so on a kept-alive
    connection every answer waits out the client's delayed ACK, 40 ms: a cost of the client here).
    """
    close = "" if keep else "Connection: close\r\n"
    request = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept-Encoding: gzip\r\n{close}\r\n".encode()
    reader = writer = None
    while time.perf_counter() < until:
        try:
            if writer is None:
                opened = time.perf_counter()
                reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 10)
            assert reader is not None and writer is not None
            start = time.perf_counter() if keep else opened
            writer.write(request)
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            if b"transfer-encoding: chunked" in head.lower():  # HAProxy streams what it compresses
                await asyncio.wait_for(_read_chunks(reader), 10)
            else:
                await asyncio.wait_for(reader.readexactly(length), 10)
            times.append(time.perf_counter() - start)
            if status != 200:
                errors.append(str(status))
            if not keep or b"connection: close" in head.lower():
                writer.close()
                reader = writer = None
        except (OSError, TimeoutError, asyncio.IncompleteReadError, RuntimeError, ValueError) as problem:
            errors.append(type(problem).__name__)
            if writer is not None:
                writer.close()
            reader = writer = None
            await asyncio.sleep(0.05)
    if writer is not None:
        writer.close()


async def _read_chunks(reader: asyncio.StreamReader) -> None:
    """Read a chunked body to its end (its bytes are not needed, only the time they take)."""
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        await reader.readexactly(size + 2)
        if size == 0:
            return


def hammer(
    base: str, path: str, clients: int, seconds: float, keep: bool = True
) -> tuple[float, float, list[str]]:
    """Requests per second, p95 seconds and the errors of ``clients`` keep-alive clients on ``path``."""
    host, port = base.removeprefix("http://").split(":")
    times: list[float] = []
    errors: list[str] = []

    async def run() -> None:
        until = time.perf_counter() + seconds
        await asyncio.gather(
            *(_client(host, int(port), path, until, times, errors, keep) for _ in range(clients))
        )

    asyncio.run(run())
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 20 else max(times, default=0.0)
    return len(times) / seconds, p95, errors


# --- 1. one replica -----------------------------------------------------------------------------


def one_replica() -> None:
    """Our two endpoints beside the health check on the same server, in alternating rounds."""
    rounds, seconds, clients = (2, 3.0, 16) if QUICK else (4, 5.0, 16)
    with serve(PROJECT_DIR / "serve.py", ARENAS) as (url, _pid):
        for path in (FIGURES, RECORD, HEALTH):
            hammer(url, path, 4, 1.0)  # warm: the first answer loads the data
        for path, name in ((FIGURES, "API /api/v1/figures"), (RECORD, "/record (plain HTML)")):
            ours: list[tuple[float, float]] = []
            floor: list[tuple[float, float]] = []
            for _ in range(rounds):
                rps, p95, _ = hammer(url, path, clients, seconds, keep=False)
                ours.append((rps, p95))
                rps, p95, _ = hammer(url, HEALTH, clients, seconds, keep=False)
                floor.append((rps, p95))
            our_rps = statistics.median(r for r, _ in ours)
            floor_rps = statistics.median(r for r, _ in floor)
            harness.record(
                harness.Measurement(
                    name=f"{name}: requests/s",
                    size=f"1 replica, {clients} clients, new connections",
                    ours=our_rps,
                    baseline_name="/_stcore/health",
                    baseline=floor_rps,
                    unit="rps",
                    budget="(informative: the floor is Streamlit's cheapest answer)",
                    met=True,
                    extra={
                        "p95_ms": round(1000 * statistics.median(p for _, p in ours), 1),
                        "health_p95_ms": round(1000 * statistics.median(p for _, p in floor), 1),
                    },
                )
            )


# --- 2. 500 clients through HAProxy -----------------------------------------------------------------


def through_the_balancer() -> None:
    """500 concurrent clients through HAProxy (cache on) beside the uncached health check."""
    clients, seconds = (200, 5.0) if QUICK else (500, 15.0)
    with tempfile.TemporaryDirectory() as folder:
        cluster = loopback.start(Path(folder), replicas=3)
        try:
            for path in (FIGURES, RECORD, HEALTH):
                hammer(cluster.url, path, 4, 1.0)
            for path, name in ((FIGURES, "API /api/v1/figures"), (RECORD, "/record (plain HTML)")):
                rps, p95, errors = hammer(cluster.url, path, clients, seconds)
                base_rps, base_p95, base_errors = hammer(cluster.url, HEALTH, clients, seconds)
                harness.record(
                    harness.Measurement(
                        name=f"{name}: p95 via HAProxy",
                        size=f"{clients} clients, 3 replicas",
                        ours=1000 * p95,
                        baseline_name="/_stcore/health (uncached)",
                        baseline=1000 * base_p95,
                        unit="ms",
                        budget="p95 <= 200 ms, 0 errors",
                        met=p95 <= 0.2 and not errors,
                        extra={
                            "rps": round(rps),
                            "errors": len(errors),
                            "health_rps": round(base_rps),
                            "health_errors": len(base_errors),
                        },
                    )
                )
        finally:
            cluster.stop()


# --- 3. Fast 3G -------------------------------------------------------------------------------------


def _first_figure_seconds(browser, url: str, selector: str) -> float:
    """Seconds from navigation to the first headline figure, on Fast 3G, with nothing cached."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", FAST_3G)
    start = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=180_000)
    page.wait_for_selector(selector, timeout=180_000)
    seconds = time.perf_counter() - start
    context.close()
    return seconds


def fast_3g() -> None:
    """/record beside the Streamlit Overview and the bare page, alternately, on Fast 3G."""
    runs = 2 if QUICK else 3
    with (
        serve(PROJECT_DIR / "serve.py", ARENAS) as (app, _),
        serve(Path(__file__).parent / "bare_app.py", ARENAS) as (bare, _),
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        visits = {
            "/record": (f"{app}{RECORD}", ".cards .value"),
            "Overview": (f"{app}/?as_of={DAY}", "[data-testid='stMetricValue']"),
            "bare page": (bare, "[data-testid='stMetricValue']"),
        }
        for url, selector in visits.values():  # warm the servers (not the browser: nothing is cached)
            _first_figure_seconds(browser, url, selector)
        times: dict[str, list[float]] = {name: [] for name in visits}
        for _ in range(runs):
            for name, (url, selector) in visits.items():
                times[name].append(_first_figure_seconds(browser, url, selector))
        browser.close()
    bare_s = statistics.median(times["bare page"])
    for name in ("/record", "Overview"):
        ours = statistics.median(times[name])
        harness.record(
            harness.Measurement(
                name=f"{name}: first headline figure, Fast 3G",
                size="1280x720, cold",
                ours=ours,
                baseline_name="bare one-metric page",
                baseline=bare_s,
                unit="s",
                budget="<= 0.5x the bare page" if name == "/record" else "(informative)",
                met=ours <= 0.5 * bare_s if name == "/record" else True,
            )
        )


# --- 4. Lighthouse ----------------------------------------------------------------------------------


def _lighthouse_installed() -> bool:
    if not LIGHTHOUSE.exists():
        LIGHTHOUSE_DIR.mkdir(exist_ok=True)
        subprocess.run(
            ["npm", "i", "-E", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", "."]
            + ["lighthouse@12.2.3"],  # 12.2.3: Lighthouse 13 needs Node 22; Debian 12 has 20
            cwd=LIGHTHOUSE_DIR,
            check=False,
        )
    return LIGHTHOUSE.exists()


def _scores(url: str) -> dict[str, float]:
    """One Lighthouse run (desktop preset): the performance and accessibility scores, 0-100."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--preset=desktop",
                "--only-categories=performance,accessibility",
                "--output=json",
                f"--output-path={report}",
                "--quiet",
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            ],
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            check=False,
            timeout=300,
        )
        if not report.exists():
            return {"performance": 0.0, "accessibility": 0.0}
        categories = json.loads(report.read_text())["categories"]
        return {name: round(100 * (categories[name]["score"] or 0), 1) for name in categories}


def lighthouse() -> None:
    """The Overview (en, ar) beside the bare page, and /record, alternately."""
    if not _lighthouse_installed():
        print("lighthouse could not be installed (npm): skipped")
        return
    runs = 1 if QUICK else 3
    with (
        serve(PROJECT_DIR / "serve.py", ARENAS) as (app, _),
        serve(Path(__file__).parent / "bare_app.py", ARENAS) as (bare, _),
    ):
        visits = {
            "Overview (en)": f"{app}/?as_of={DAY}",
            "Overview (ar)": f"{app}/?as_of={DAY}&lang=ar",
            "/record": f"{app}{RECORD}",
            "bare page": bare,
        }
        scores: dict[str, list[dict[str, float]]] = {name: [] for name in visits}
        for _ in range(runs):
            for name, url in visits.items():
                scores[name].append(_scores(url))
    bare_perf = statistics.median(s["performance"] for s in scores["bare page"])
    for name in ("Overview (en)", "Overview (ar)", "/record"):
        perf = statistics.median(s["performance"] for s in scores[name])
        access = statistics.median(s["accessibility"] for s in scores[name])
        record_page = name == "/record"
        harness.record(
            harness.Measurement(
                name=f"Lighthouse performance: {name}",
                size="desktop preset",
                ours=perf,
                baseline_name="bare one-metric page",
                baseline=bare_perf,
                unit="pts",
                budget=">= 95, accessibility 100" if record_page else ">= the bare page",
                met=(perf >= 95 and access == 100) if record_page else perf >= bare_perf,
                extra={"accessibility": access},
            )
        )


if __name__ == "__main__":
    one_replica()
    through_the_balancer()
    fast_3g()
    lighthouse()
    harness.write("public record")
