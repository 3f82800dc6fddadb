"""The PDF printer stays on this machine and cannot be multiplied by anonymous viewers.

The network test runs the real export under strace and reads every socket call Chromium makes:
no TCP connection and no datagram may leave loopback, and no DNS query may be sent at all.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from mandate_metrics import briefing
from mandate_metrics.exports import pdf, printer

LOOPBACK = re.compile(r"^(127\.|::1$|::ffff:127\.)")
CALL = re.compile(
    r"^(?:\d+\s+)?(?P<call>connect|sendto|sendmsg|write|writev)\((?P<fd>\d+)<(?P<socket>(?:->|[^>])*)>(?P<rest>.*)$"
)
ADDRESS = re.compile(r'inet_addr\("(?P<v4>[^"]+)"\)|inet_pton\(AF_INET6, "(?P<v6>[^"]+)"')
PEER = re.compile(r"->(?:\[(?P<host6>[^\]]+)\]|(?P<host4>[\d.]+)):(?P<port>\d+)")  # IPv6 in brackets
TRACED = "trace=connect,sendto,sendmsg,write,writev"


def _leaks(trace: str) -> list[str]:
    """Socket calls that would put a packet on a network: off-loopback TCP connects or data, DNS.

    The trace is strace ``-yy``: each descriptor is written with its socket (``21<UDPv6:[...]>``),
    so every line says by itself what it is. Connecting a UDP socket sends nothing (Chromium's
    IPv6 reachability probe does it): only data sent on it would leave.
    """
    found = []
    for line in trace.splitlines():
        match = CALL.match(line)
        if not match or not match["socket"].startswith(("TCP", "UDP")):
            continue  # Unix sockets, pipes and files stay on this machine
        call, socket, rest = match["call"], match["socket"], match["rest"]
        target = ADDRESS.search(rest)
        peer = PEER.search(socket)
        host = (
            (target["v4"] or target["v6"]) if target else (peer["host6"] or peer["host4"] if peer else None)
        )
        port = re.search(r"sin6?_port=htons\((\d+)\)", rest)
        if (port and port.group(1) == "53") or (peer and peer["port"] == "53"):
            found.append(f"DNS query: {line}")
        elif host is None or LOOPBACK.match(host):
            continue
        elif call == "connect" and socket.startswith("TCP"):
            found.append(f"connection: {line}")
        elif call != "connect":
            found.append(f"data to {host}: {line}")
    return found


CHROMIUM = pdf.find_chromium("/usr/bin/chromium")
STRACE = shutil.which("strace")


@pytest.mark.skipif(
    CHROMIUM is None or STRACE is None, reason="needs chromium and strace (.ci/run installs both)"
)
def test_printing_the_brief_sends_nothing_off_this_machine(shipped, tmp_path, monkeypatch):
    log = tmp_path / "trace.log"
    real = printer.launch_command

    def traced(*args):
        # the kept printer's own Chromium command, run under strace (children followed)
        # -ff: one file per thread, so no call is split across lines by another thread's
        wrapped = [STRACE, "-ff", "-qq", "-yy", "-e", TRACED, "-o", str(log)]
        return [*wrapped, *real(*args)]

    monkeypatch.setattr(printer, "launch_command", traced)
    printer.forget(CHROMIUM)  # a printer started by another test was not traced: start one that is
    try:
        data = pdf.pdf_bytes(briefing.build(shipped, date(2024, 5, 29)), CHROMIUM)
    finally:
        printer.forget(CHROMIUM)  # (stopped, so every trace file is complete)
    assert data.startswith(b"%PDF")
    trace = "\n".join(part.read_text() for part in sorted(tmp_path.glob("trace.log.*")))
    assert "connect(" in trace  # the trace saw Chromium's sockets at all ...
    assert re.search(r"connect\(\d+<(TCP|UDP)", trace)  # ... with each socket described (-yy)
    assert sum(bool(CALL.match(line)) for line in trace.splitlines()) > 10  # ... and read line by line
    leaks = _leaks(trace)
    assert not leaks, leaks[:5]
    if pdf.network_isolation():  # Chromium in a network namespace of its own: not even a UDP connect
        reached = _connected_off_loopback(trace)
        assert not reached, reached[:5]


def _connected_off_loopback(trace: str) -> list[str]:
    """Connects, UDP included, that succeeded to an address that is not this machine's."""
    found = []
    for line in trace.splitlines():
        match = CALL.match(line)
        if not match or match["call"] != "connect" or not match["socket"].startswith(("TCP", "UDP")):
            continue
        target = ADDRESS.search(match["rest"])
        host = (target["v4"] or target["v6"]) if target else None
        if host and not LOOPBACK.match(host) and re.search(r"\)\s*=\s*0\s*$", match["rest"]):
            found.append(line)
    return found


def test_the_connect_reader_sees_a_udp_probe_that_succeeded():
    probe = _connect("8<UDPv6:[2]>", 443, "2001:db8::1")
    refused = _connect("9<UDPv6:[3]>", 443, "2001:db8::1", -1)
    assert _connected_off_loopback("\n".join([probe, refused])) == [probe]


def _connect(fd: str, port: int, address: str, result: int = 0) -> str:
    if ":" in address:
        where = f'sa_family=AF_INET6, sin6_port=htons({port}), inet_pton(AF_INET6, "{address}", &sin6_addr)'
    else:
        where = f'sa_family=AF_INET, sin_port=htons({port}), sin_addr=inet_addr("{address}")'
    return f"1 connect({fd}, {{{where}}}, 16) = {result}"


def test_the_leak_reader_catches_what_it_must():
    dns = _connect("7<UDP:[1]>", 53, "10.0.0.53")
    probe = _connect("8<UDPv6:[2]>", 443, "2001:db8::1")  # connecting a UDP socket sends nothing
    tcp = _connect("9<TCP:[3]>", 443, "142.250.1.1", -1)
    local = _connect("11<TCP:[4]>", 9, "127.0.0.1", -1)
    unix = '1 sendto(27<UNIX-STREAM:[5->6]>, "x", 1, MSG_NOSIGNAL, NULL, 0) = 1'
    sent = '1 write(8<UDPv6:[[::]:4->[2001:db8::1]:443]>, "x", 1) = 1'
    leaks = _leaks("\n".join([dns, probe, tcp, local, unix]))
    assert [leak.split(":")[0] for leak in leaks] == ["DNS query", "connection"]
    assert _leaks(sent)[0].startswith("data to 2001:db8::1")


def test_one_chromium_at_a_time_whoever_asks(shipped, monkeypatch):
    running, peak = [0], [0]
    lock = threading.Lock()

    def fake_print(browser, brief, locale):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.2)
        with lock:
            running[0] -= 1
        return b"%PDF-fake"

    monkeypatch.setattr(pdf, "_print", fake_print)
    monkeypatch.setattr(pdf, "find_chromium", lambda configured: "/usr/bin/chromium")
    brief = briefing.build(shipped, date(2024, 5, 29))
    threads = [threading.Thread(target=pdf.pdf_bytes, args=(brief, None)) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak[0] == 1


def test_a_request_that_waits_too_long_is_told_to_try_again(shipped, monkeypatch):
    monkeypatch.setattr(pdf, "find_chromium", lambda configured: "/usr/bin/chromium")
    monkeypatch.setattr(pdf, "QUEUE_SECONDS", 0.05)
    assert pdf.PRINTING.acquire(timeout=1)
    try:
        with pytest.raises(pdf.PdfUnavailable, match="Another PDF brief is being printed"):
            pdf.pdf_bytes(briefing.build(shipped, date(2024, 5, 29)), None)
    finally:
        pdf.PRINTING.release()


def test_ci_installs_strace_for_the_network_test():
    assert "strace" in (Path(__file__).parents[1] / ".ci" / "run").read_text()
    if os.environ.get("CI") == "true":
        assert STRACE is not None and CHROMIUM is not None
