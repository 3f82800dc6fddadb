"""One replica beside three behind HAProxy, over one bucket: sessions, p50/p95, errors, memory.

`make bench-scale` starts the loopback cluster (deploy/loopback.py: moto's S3 server, replicas
from deploy/replica.env, HAProxy with deploy/haproxy.cfg) with one replica, then with three, and
drives each with raw Streamlit sessions: a websocket per viewer that asks for the Overview and
times the first headline figure (the first metric card) and the end of the run. Viewers arrive
evenly over RAMP seconds and stay connected, so at the end every session is open at once. The
p95 is measured with nothing but the sessions and the replicas on the cores; a few Chromium pages
(end to end, in a real browser) are timed separately, after the step's sessions have all run and
while they are all still connected.

The load generator shares the machine's two cores with the replicas, so absolute times are this
machine's; what carries is the comparison of one and three replicas in the same run. "Capacity"
is the most sessions (of the steps tried) whose p95 time to the headline figures stays within the
budget (3 s).
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import harness
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "deploy"))
import loopback  # noqa: E402

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

P95_BUDGET = 3.0  # seconds to the headline figures, at 300 sessions on 3 replicas (issue 24)
RAMP = 30.0  # seconds over which the sessions of one step arrive
TIMEOUT = 120.0  # a session that has not finished its run by then is an error
STEPS = (30, 60, 100, 150, 250, 300, 375)
BUDGET_AT = 300  # the step the budget is set at on 3 replicas; one replica should carry 150
ONE_REPLICA_AT = 150
BROWSERS_AT = 150  # the step after which the Chromium pages are timed


@dataclass
class Session:
    """One viewer's timings, or the error that ended it."""

    headline: float | None = None
    finished: float | None = None
    error: str = ""


@dataclass
class Step:
    """One load step: how many sessions, over how many replicas, and what they saw."""

    replicas: int
    sessions: int
    results: list[Session] = field(default_factory=list)
    browser: list[float] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)
    spread: dict[str, int] = field(default_factory=dict)

    def times(self, what: str = "headline") -> list[float]:
        """The sessions' times to the headline figures (or to the run's end), fastest first."""
        found = [getattr(s, what) for s in self.results if not s.error]
        return sorted(t for t in found if t is not None)

    def errors(self) -> int:
        """Sessions (and browser pages) that failed, or never showed a headline figure."""
        failed = sum(1 for s in self.results if s.error or s.headline is None)
        return failed + sum(1 for b in self.browser if b == float("inf"))

    def p(self, q: float, what: str = "headline") -> float:
        """The ``q`` quantile (nearest rank) of ``times(what)``; infinite if none."""
        times = self.times(what)
        if not times:
            return float("inf")
        return times[min(len(times) - 1, int(round(q * (len(times) - 1))))]


async def _viewer(url: str, start_at: float, hold: asyncio.Event, ran: list[Session]) -> Session:
    await asyncio.sleep(max(0.0, start_at - time.monotonic()))
    result = Session()
    begin = time.perf_counter()
    try:
        async with asyncio.timeout(TIMEOUT):
            async with websockets.connect(
                url.replace("http://", "ws://") + "/_stcore/stream",
                subprotocols=["streamlit"],
                origin=url,
                max_size=2**26,
                open_timeout=TIMEOUT,
            ) as socket:
                back = BackMsg()
                back.rerun_script.query_string = ""
                back.rerun_script.page_script_hash = ""
                await socket.send(back.SerializeToString())
                while True:
                    message = ForwardMsg()
                    message.ParseFromString(await socket.recv())
                    kind = message.WhichOneof("type")
                    if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                        element = message.delta.new_element.WhichOneof("type")
                        if element == "metric" and result.headline is None:
                            result.headline = time.perf_counter() - begin
                        if element == "exception":
                            result.error = "the page raised: " + message.delta.new_element.exception.message
                    if kind == "script_finished":
                        result.finished = time.perf_counter() - begin
                        break
                ran.append(result)
                await hold.wait()  # stay connected: every session of the step is open at the end
    except (TimeoutError, OSError, websockets.WebSocketException) as exc:
        result.error = result.error or f"{type(exc).__name__}: {exc}"
        if result not in ran:
            ran.append(result)
    return result


def _browser_pages(url: str, count: int, delay: float, timeout: float = TIMEOUT) -> list[float]:
    """Time to the first metric card in ``count`` Chromium pages opened ``delay`` s into the step.

    A page that does not load, or shows no figure within ``timeout`` seconds of the first page
    opening, is infinite (an error in ``Step.errors``): an overloaded replica is a result of the
    run, never the end of it.
    """
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    from mandate_metrics.exports.pdf import HEADLESS_FLAGS

    time.sleep(delay)
    found = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=list(HEADLESS_FLAGS))
        deadline = time.perf_counter() + timeout  # one deadline for all the pages, not one each
        pages = [_open(browser, url, deadline) for _ in range(count)]
        for page, began in pages:
            left = deadline - time.perf_counter()
            if page is None or left <= 0:  # never loaded, or no time left: counted as an error
                found.append(float("inf"))
                continue
            try:
                page.locator('[data-testid="stMetricValue"]').first.wait_for(timeout=left * 1000)
                found.append(time.perf_counter() - began)
            except PlaywrightError:  # a timeout is one: never showed a figure, counted as an error
                found.append(float("inf"))
        browser.close()
    return found


def _open(browser: Browser, url: str, deadline: float) -> tuple[Page | None, float]:
    """A new 1280x720 page on ``url`` and when it was asked for; no page if it did not load in time."""
    from playwright.sync_api import Error as PlaywrightError

    page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    began = time.perf_counter()
    try:
        page.goto(url, wait_until="commit", timeout=max(1.0, deadline - began) * 1000)
    except PlaywrightError:  # includes Playwright's TimeoutError
        return None, began
    return page, began


async def _step(cluster: loopback.Cluster, sessions: int, browsers: int) -> Step:
    step = Step(replicas=len(cluster.replicas), sessions=sessions)
    log = cluster.folder / "haproxy.log"
    log_start = log.stat().st_size
    hold, ran = asyncio.Event(), []
    start = time.monotonic() + 0.5
    tasks = [
        asyncio.create_task(_viewer(cluster.url, start + RAMP * i / sessions, hold, ran))
        for i in range(sessions)
    ]
    while len(ran) < sessions and time.monotonic() - start < RAMP + TIMEOUT + 10:
        await asyncio.sleep(0.25)  # every session has run the page (or failed); all still connected
    step.rss_mb = cluster.replica_rss_mb()
    if browsers:  # timed apart from the sessions: Chromium does not share the cores with the p95
        step.browser = await asyncio.to_thread(_browser_pages, cluster.url, browsers, 0.0)
    hold.set()
    step.results = await asyncio.gather(*tasks)
    with log.open("rb") as handle:
        handle.seek(log_start)
        served = re.findall(rb"replicas/(r\d) .*GET /_stcore/stream", handle.read())
    step.spread = {name.decode(): served.count(name) for name in sorted(set(served))}
    return step


def _run_config(replicas: int, steps: tuple[int, ...], browsers: int, folder: Path) -> list[Step]:
    cluster = loopback.start(folder / f"r{replicas}", replicas=replicas)
    try:
        asyncio.run(_step(cluster, 3, 0))  # seed the bucket and warm each replica's caches
        done = []
        for sessions in steps:
            step = asyncio.run(_step(cluster, sessions, browsers if sessions == BROWSERS_AT else 0))
            done.append(step)
            print(
                f"{replicas} replica(s), {sessions:>3} sessions: headline p50 {step.p(0.5):.2f} s,"
                f" p95 {step.p(0.95):.2f} s; whole run p95 {step.p(0.95, 'finished'):.2f} s;"
                f" errors {step.errors()}, browser {[round(b, 1) for b in step.browser]},"
                f" RSS {[round(r) for r in step.rss_mb]} MB, spread {step.spread}",
                flush=True,
            )
        return done
    finally:
        cluster.stop()


def _capacity(steps: list[Step]) -> int:
    ok = [s.sessions for s in steps if s.p(0.95) <= P95_BUDGET and s.errors() == 0]
    return max(ok, default=0)


def main() -> None:
    """Run one and three replicas through the same steps; record the comparison."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, nargs="+", default=list(STEPS))
    parser.add_argument("--browsers", type=int, default=5)
    args = parser.parse_args()
    steps = tuple(args.steps)
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as scratch:
        one = _run_config(1, steps, args.browsers, Path(scratch))
        three = _run_config(3, steps, args.browsers, Path(scratch))
    for a, b in zip(one, three, strict=True):
        top = b.sessions == BUDGET_AT
        harness.record(
            harness.Measurement(
                name=f"p95 to headline figures, 3 replicas vs 1 (p50 {b.p(0.5):.2f} s vs {a.p(0.5):.2f} s)",
                size=f"{b.sessions} sessions / {RAMP:.0f} s",
                ours=round(b.p(0.95), 2),
                baseline_name="1 replica, same load",
                baseline=round(a.p(0.95), 2),
                unit="s",
                budget=f"<= 3 s and 0 errors at {BUDGET_AT} sessions on 3 replicas" if top else "(step)",
                met=(b.p(0.95) <= P95_BUDGET and b.errors() == 0) if top else True,
                notes=f"errors 3 replicas {b.errors()}, 1 replica {a.errors()}; spread {b.spread}",
                extra={
                    "errors_3": b.errors(),
                    "errors_1": a.errors(),
                    "rss_mb_3": ",".join(f"{r:.0f}" for r in b.rss_mb),
                    "rss_mb_1": ",".join(f"{r:.0f}" for r in a.rss_mb),
                    "browser_3": ",".join(f"{x:.1f}" for x in b.browser),
                    "browser_1": ",".join(f"{x:.1f}" for x in a.browser),
                },
            )
        )
    cap_one, cap_three = _capacity(one), _capacity(three)
    harness.record(
        harness.Measurement(
            name=f"sessions within p95 <= {P95_BUDGET:g} s (steps {', '.join(map(str, steps))})",
            size=f"arriving over {RAMP:.0f} s",
            ours=cap_three,
            baseline_name="1 replica",
            baseline=cap_one or None,
            unit="sessions",
            budget=f"1 replica >= {ONE_REPLICA_AT} sessions; 3 replicas >= {BUDGET_AT}",
            met=cap_one >= ONE_REPLICA_AT and cap_three >= BUDGET_AT,
            notes="capacity: the largest step tried whose p95 is within budget with no errors",
        )
    )
    last_one, last_three = one[-1], three[-1]  # the most sessions open at once
    harness.record(
        harness.Measurement(
            name="memory per replica after the largest step (RSS, MB)",
            size=f"{last_three.sessions} sessions open",
            ours=round(statistics.mean(last_three.rss_mb), 1),
            baseline_name="1 replica holding them all",
            baseline=round(statistics.mean(last_one.rss_mb), 1),
            unit="MB",
            budget="(reported)",
            met=True,
        )
    )
    harness.write("scale")


if __name__ == "__main__":
    main()
