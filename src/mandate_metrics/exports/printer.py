"""One headless Chromium kept warm for printing, driven over the DevTools protocol on a pipe.

A cold Chromium with a fresh profile spends most of a PDF's time starting up; a server that
prints briefs keeps one running and hands it pages. It is driven with ``--remote-debugging-pipe``
(file descriptors 3 and 4, messages ended by NUL), so no port is opened for anyone else on the
machine to drive it, and it runs under the same offline walls as a one-off print.

Charts are turned into static SVG in a tab that loaded Plotly.js once, so the page that is
printed holds no script at all: the 4.8 MB library is parsed once per printer, not once per PDF.
"""

from __future__ import annotations

import atexit
import base64
import fcntl
import json
import os
import select
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from plotly.offline import get_plotlyjs

STEP_SECONDS = 60  # the longest one protocol call may take (a first start, a long print)


class PrinterFailed(RuntimeError):
    """Chromium died, refused a command or did not answer in time; the message says which."""


def launch_command(
    browser: str, flags: tuple[str, ...], isolation: tuple[str, ...], profile: str
) -> list[str]:
    """The command that starts the printer: Chromium reading the protocol on fd 3, writing on fd 4.

    ``bash`` moves the two pipe ends onto 3 and 4 before Chromium starts, whatever numbers this
    process gave them (a ``preexec_fn`` would do the same but is unsafe in a threaded server; the
    ends are above 4, so neither is overwritten by the other's move; Debian's ``sh`` takes only
    one-digit descriptors).
    """
    return [
        "/bin/bash",
        "-c",
        'exec "$@" 3<&"$MM_PIPE_IN" 4>&"$MM_PIPE_OUT"',
        "bash",
        *isolation,
        browser,
        *flags,
        "--remote-debugging-pipe",
        f"--user-data-dir={profile}",
        "about:blank",
    ]


class Printer:
    """A running Chromium, its renderer tab (Plotly loaded) and calls on the protocol pipe.

    Not thread-safe by itself: ``pdf.PRINTING`` lets one brief print at a time.
    """

    def __init__(self, command: list[str], folder: Path, head: str) -> None:
        self.folder = folder
        to_browser, self._write = os.pipe()
        self._read, from_browser = os.pipe()
        to_browser, from_browser = _above_four(to_browser), _above_four(from_browser)
        env = {**os.environ, "MM_PIPE_IN": str(to_browser), "MM_PIPE_OUT": str(from_browser)}
        self.process = subprocess.Popen(
            command,
            pass_fds=(to_browser, from_browser),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser)
        os.close(from_browser)
        self._buffer = b""
        self._next = 0
        self._events: list[dict[str, Any]] = []
        (folder / "plotly.min.js").write_text(get_plotlyjs(), encoding="utf-8")
        (folder / "charts.html").write_text(
            f'<!doctype html><html><head><meta charset="utf-8"><style>{head}</style>'
            '<script src="plotly.min.js"></script></head><body></body></html>',
            encoding="utf-8",
        )
        try:
            self._charts = self._open((folder / "charts.html").as_uri())
        except PrinterFailed:
            self.close()
            raise

    # -- the protocol ---------------------------------------------------------------------------

    def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> Any:
        """Send one command and wait for its answer (events that arrive meanwhile are kept)."""
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        try:
            os.write(self._write, json.dumps(message).encode() + b"\0")
        except OSError as exc:
            raise PrinterFailed(f"Chromium stopped listening ({exc})") from exc
        while True:
            answer = self._receive()
            if answer.get("id") == self._next:
                if "error" in answer:
                    raise PrinterFailed(f"Chromium refused {method}: {answer['error'].get('message')}")
                return answer.get("result", {})
            self._events.append(answer)

    def _receive(self) -> dict[str, Any]:
        deadline = time.monotonic() + STEP_SECONDS
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._read], [], [], left)[0]:
                raise PrinterFailed(f"Chromium did not answer within {STEP_SECONDS} s")
            chunk = os.read(self._read, 1 << 20)
            if not chunk:
                raise PrinterFailed("Chromium closed its pipe (it exited or crashed)")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return dict(json.loads(message))

    def _wait_for(self, event: str, session: str) -> None:
        while True:
            for index, seen in enumerate(self._events):
                if seen.get("method") == event and seen.get("sessionId") == session:
                    del self._events[: index + 1]
                    return
            self._events.append(self._receive())

    # -- tabs -----------------------------------------------------------------------------------

    def _open(self, url: str) -> str:
        """A new tab showing ``url``, loaded and its fonts ready; returns its protocol session."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = str(self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"])
        self.call("Page.enable", session=session)
        self._events.clear()
        self.call("Page.navigate", {"url": url}, session)
        self._wait_for("Page.loadEventFired", session)
        self.evaluate("document.fonts.ready.then(() => true)", session)
        return session

    def evaluate(self, expression: str, session: str) -> Any:
        """The value of a JavaScript expression (a promise is awaited) in the tab of ``session``."""
        result = self.call(
            "Runtime.evaluate",
            {"expression": expression, "awaitPromise": True, "returnByValue": True},
            session,
        )
        if "exceptionDetails" in result:
            raise PrinterFailed(f"Chromium could not run a script: {result['exceptionDetails'].get('text')}")
        return result.get("result", {}).get("value")

    # -- work -----------------------------------------------------------------------------------

    def svg(self, spec: dict[str, Any], width: int, height: int) -> str:
        """A Plotly figure (its JSON) as static SVG markup, drawn with the renderer tab's fonts."""
        script = (
            f"Plotly.toImage({json.dumps(spec)}, "
            f'{{format: "svg", width: {int(width)}, height: {int(height)}}})'
        )
        url = str(self.evaluate(script, self._charts))
        return unquote(url.split(",", 1)[1])

    def pdf(self, page: str) -> bytes:
        """Print one HTML document (A4, the page's own CSS page size) in a tab opened for it."""
        path = self.folder / "brief.html"
        path.write_text(page, encoding="utf-8")
        session = self._open(path.as_uri())
        try:
            printed = self.call(
                "Page.printToPDF",
                {"printBackground": True, "preferCSSPageSize": True, "displayHeaderFooter": False},
                session,
            )
        finally:
            target = self.call("Target.getTargetInfo", session=session)["targetInfo"]["targetId"]
            self.call("Target.closeTarget", {"targetId": target})
        return base64.b64decode(printed["data"])

    def alive(self) -> bool:
        """Whether the browser process is still running."""
        return self.process.poll() is None

    def close(self) -> None:
        """Stop the browser and close the pipe."""
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for fd in (self._read, self._write):
            try:
                os.close(fd)
            except OSError:
                pass


def _above_four(fd: int) -> int:
    """``fd`` moved to a number above 4, so moving the two ends onto 3 and 4 cannot clobber one."""
    if fd > 4:
        return fd
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return moved


_WARM: dict[str, Printer] = {}
_FOLDERS: list[tempfile.TemporaryDirectory[str]] = []
_LOCK = threading.Lock()


def warm(browser: str, flags: tuple[str, ...], isolation: tuple[str, ...], head: str) -> Printer:
    """The printer kept for ``browser``, started (or restarted after a crash) when needed."""
    with _LOCK:
        printer = _WARM.get(browser)
        if printer is not None and printer.alive():
            return printer
        if printer is not None:
            printer.close()
        folder = tempfile.TemporaryDirectory(prefix="mm-printer-")
        _FOLDERS.append(folder)
        where = Path(folder.name)
        command = launch_command(browser, flags, isolation, str(where / "profile"))
        try:
            printer = Printer(command, where, head)
        except (OSError, PrinterFailed):
            _WARM.pop(browser, None)
            raise
        _WARM[browser] = printer
        return printer


def forget(browser: str) -> None:
    """Stop the printer for ``browser`` (after a failure, so the next brief starts a fresh one)."""
    with _LOCK:
        printer = _WARM.pop(browser, None)
    if printer is not None:
        printer.close()


@atexit.register
def _stop_all() -> None:
    for browser in list(_WARM):
        forget(browser)
    for folder in _FOLDERS:
        folder.cleanup()
