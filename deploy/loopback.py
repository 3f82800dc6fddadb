"""The several-machine set-up on one machine, on loopback only: try it, test it, measure it.

Starts moto's S3 server (the shared bucket), N dashboard replicas configured from
``deploy/replica.env`` and HAProxy with ``deploy/haproxy.cfg`` unchanged, optionally an OpenID
provider (oidc-provider-mock) for ``st.login``. The tests (tests/test_replicas.py) and
``make bench-scale`` use it; by hand::

    .venv/bin/python deploy/loopback.py --replicas 3      # prints the balancer's address; Ctrl-C stops

Every process is started in its own process group and stopped with it; logs go to a folder.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
DEPLOY = PROJECT / "deploy"
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


BALANCER_SOURCE = "127.0.0.2"
"""The address HAProxy connects to the replicas from, and the one proxy they trust: a client on
127.0.0.1 that goes straight to a replica is then not the balancer (its X-Forwarded-For is ignored)."""


def ipv6_loopback() -> bool:
    """Whether ::1 can be bound here (the balancer then listens on it as well)."""
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
            return True
    except OSError:
        return False


def replica_env() -> dict[str, str]:
    """deploy/replica.env as a dict: the settings every replica shares."""
    found = {}
    for line in (DEPLOY / "replica.env").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            found[key.strip()] = value.strip()
    return found


def haproxy_path() -> str | None:
    """Debian's HAProxy (in /usr/sbin, which is not on every PATH), or None."""
    return shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/sbin")


def _haproxy() -> str:
    found = haproxy_path()
    if not found:
        raise RuntimeError("haproxy is not installed: apt-get install haproxy (.ci/run does)")
    return found


def wait_http(url: str, timeout: float = 60.0) -> None:
    """Wait until ``url`` answers 200, or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")
        time.sleep(0.2)


@dataclass
class Cluster:
    """What ``start`` started: the balancer's address, the replicas', the bucket; ``stop`` ends all."""

    url: str
    replicas: list[str]
    store: str
    s3_endpoint: str
    folder: Path
    oidc: str | None = None
    url_v6: str | None = None  # the balancer on [::1] too: a second client address on one machine
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)

    def stop(self) -> None:
        """Stop every process (and its children), the balancer first."""
        for process in reversed(self.processes):
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
        for process in reversed(self.processes):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)

    def client_options(self) -> dict[str, str]:
        """How this process reaches the cluster's bucket (for ``stores.open_store``)."""
        return {
            "endpoint_url": self.s3_endpoint,
            "aws_access_key_id": "test",
            "aws_secret_access_key": "test",
            "region_name": "us-east-1",
        }

    def replica_rss_mb(self) -> list[float]:
        """Resident memory of each replica process, in MB (from /proc)."""
        sizes = []
        for process in self.processes:
            if "streamlit" in " ".join(map(str, process.args)):  # type: ignore[arg-type]
                status = Path(f"/proc/{process.pid}/status").read_text()
                kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS"))
                sizes.append(kb / 1024)
        return sizes


def _spawn(cluster: Cluster, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    log = (cluster.folder / f"{name}.log").open("wb")
    process = subprocess.Popen(
        argv, cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    cluster.processes.append(process)
    return process


def _create_bucket(endpoint: str, name: str) -> None:
    import boto3

    options = {"aws_access_key_id": "test", "aws_secret_access_key": "test", "region_name": "us-east-1"}
    boto3.client("s3", endpoint_url=endpoint, **options).create_bucket(Bucket=name)


def start(
    folder: Path,
    replicas: int = 3,
    staff_emails: tuple[str, ...] = (),
    oidc_users: tuple[dict[str, object], ...] = (),
) -> Cluster:
    """Start the bucket, ``replicas`` replicas, HAProxy and (with ``oidc_users``) an OpenID provider."""
    folder.mkdir(parents=True, exist_ok=True)
    if replicas > 3:
        raise ValueError("deploy/haproxy.cfg names three replicas")
    s3_port, balancer_port = free_port(), free_port()
    ports = [free_port() for _ in range(replicas)]
    endpoint = f"http://127.0.0.1:{s3_port}"
    url = f"http://127.0.0.1:{balancer_port}"
    cluster = Cluster(
        url=url,
        replicas=[f"http://127.0.0.1:{p}" for p in ports],
        store="s3://mandate-metrics/store",
        s3_endpoint=endpoint,
        folder=folder,
    )
    try:
        base = {k: v for k, v in os.environ.items() if not k.startswith(("STREAMLIT_", "MANDATE_METRICS_"))}
        _spawn(cluster, "s3", [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(s3_port)], base)
        wait_http(f"{endpoint}/moto-api/")
        _create_bucket(endpoint, "mandate-metrics")
        env = {
            **base,
            **replica_env(),
            "STREAMLIT_SERVER_ADDRESS": "127.0.0.1",
            "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32),  # one value, every replica
            "MANDATE_METRICS_TRUSTED_PROXIES": BALANCER_SOURCE,
            "MANDATE_METRICS_STORE": cluster.store,
            "MANDATE_METRICS_STAFF_FILE": str(folder / "staff.json"),
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_REGION": "us-east-1",
        }
        argv_extra: list[str] = []
        if oidc_users:
            oidc_port = free_port()
            cluster.oidc = f"http://127.0.0.1:{oidc_port}"
            users = [arg for user in oidc_users for arg in ("--user-claims", json.dumps(user))]
            _spawn(
                cluster,
                "oidc",
                [str(VENV_BIN / "oidc-provider-mock"), "-H", "127.0.0.1", "-p", str(oidc_port), *users],
                base,
            )
            wait_http(f"{cluster.oidc}/.well-known/openid-configuration")
            secrets_file = folder / "secrets.toml"
            secrets_file.write_text(
                f"staff_emails = {json.dumps(list(staff_emails))}\n\n[auth]\n"
                f'redirect_uri = "{url}/oauth2callback"\n'  # the balancer's address: the public one
                f'cookie_secret = "{env["STREAMLIT_SERVER_COOKIE_SECRET"]}"\n'
                'client_id = "mandate-metrics"\nclient_secret = "loopback"\n'
                f'server_metadata_url = "{cluster.oidc}/.well-known/openid-configuration"\n'
            )
            argv_extra = ["--secrets.files", str(secrets_file)]
        for index, port in enumerate(ports, start=1):
            _spawn(
                cluster,
                f"replica{index}",
                [str(VENV_BIN / "streamlit"), "run", "serve.py", "--server.port", str(port), *argv_extra],
                env,
            )
        cluster.env = env
        listen = f"127.0.0.1:{balancer_port}"
        if ipv6_loopback():
            listen += f",::1:{balancer_port}"
            cluster.url_v6 = f"http://[::1]:{balancer_port}"
        balancer_env = {
            **base,
            "MM_LISTEN": listen,
            "MM_SOURCE": BALANCER_SOURCE,
            **{f"MM_REPLICA_{i}": f"127.0.0.1:{p}" for i, p in enumerate(ports, start=1)},
        }
        for index in range(replicas + 1, 4):  # fewer replicas: the others point at a closed port
            balancer_env[f"MM_REPLICA_{index}"] = f"127.0.0.1:{free_port()}"
        for replica in cluster.replicas:
            wait_http(f"{replica}/_stcore/health", timeout=90)
        _spawn(cluster, "haproxy", [_haproxy(), "-db", "-f", str(DEPLOY / "haproxy.cfg")], balancer_env)
        wait_http(f"{url}/_stcore/health")
        time.sleep(2.5)  # two health checks (rise 2) before every replica takes viewers
        return cluster
    except BaseException:
        cluster.stop()
        raise


def main() -> None:
    """Start a loopback cluster and keep it up until Ctrl-C."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=3, choices=[1, 2, 3])
    parser.add_argument("--folder", type=Path, default=PROJECT / "build" / "loopback")
    args = parser.parse_args()
    cluster = start(args.folder, args.replicas)
    print(f"dashboard: {cluster.url}  replicas: {' '.join(cluster.replicas)}  store: {cluster.store}")
    print(f"logs: {args.folder}  (Ctrl-C stops everything)")
    try:
        signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
