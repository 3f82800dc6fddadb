"""deploy/: the balancer, Compose, Kubernetes and the app's own configuration say the same things."""

from __future__ import annotations

import re
import subprocess
import tomllib

import pytest
import yaml
from loopback import haproxy_path, replica_env

from mandate_metrics.paths import PROJECT_DIR

DEPLOY = PROJECT_DIR / "deploy"
HEALTH = "/_stcore/health"
HAPROXY = haproxy_path()


def haproxy_cfg() -> str:
    return (DEPLOY / "haproxy.cfg").read_text()


def kubernetes() -> dict[tuple[str, str], dict]:
    documents = yaml.safe_load_all((DEPLOY / "kubernetes" / "dashboard.yaml").read_text())
    return {(d["kind"], d["metadata"]["name"]): d for d in documents}


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def balancer_servers() -> list[tuple[str, str, str]]:
    """(name, address variable, cookie value) of every server in haproxy.cfg."""
    return re.findall(r'^\s*server (\w+) "\$\{(MM_REPLICA_\d)-[^}]*\}" cookie (\w+)', haproxy_cfg(), re.M)


def test_every_replica_shares_the_settings_streamlit_asks_to_share():
    env = replica_env()
    assert env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] == "false"
    assert int(env["STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL"]) >= 120
    assert env["MALLOC_ARENA_MAX"] == "2"
    assert env["MANDATE_METRICS_STORE"].startswith("s3://")  # one store for all replicas
    assert "STREAMLIT_SERVER_COOKIE_SECRET" not in env  # a secret, from a secret store
    app = tomllib.loads((PROJECT_DIR / ".streamlit" / "config.toml").read_text())
    assert int(env["STREAMLIT_SERVER_PORT"]) == app["server"]["port"]
    assert app["browser"]["gatherUsageStats"] is False


def test_the_balancer_pins_viewers_by_cookie_and_checks_health():
    cfg = haproxy_cfg()
    assert re.search(r"^\s*cookie MMREPLICA insert indirect nocache httponly", cfg, re.M)
    assert f"option httpchk GET {HEALTH}" in cfg
    assert "balance source" not in cfg and "hash-type" not in cfg  # never by client address
    assert re.search(r"^\s*timeout tunnel 1h", cfg, re.M)  # long websockets
    servers = balancer_servers()
    assert [s[0] for s in servers] == ["r1", "r2", "r3"] and len({s[2] for s in servers}) == 3


def test_compose_runs_the_balancer_over_the_replicas_it_defines():
    spec = compose()
    services = spec["services"]
    replicas = [name for name in services if name.startswith("replica")]
    balancer = services["balancer"]
    port = replica_env()["STREAMLIT_SERVER_PORT"]
    assert [balancer["environment"][v] for _, v, _ in balancer_servers()] == [f"{r}:{port}" for r in replicas]
    for name in replicas:
        service = services[name]
        assert service["env_file"] == "replica.env"
        assert "STREAMLIT_SERVER_COOKIE_SECRET" in service["environment"]
        assert HEALTH in " ".join(service["healthcheck"]["test"])
        assert service["secrets"] == ["staff.json"]
    assert "./haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro" in balancer["volumes"]
    listen = balancer["environment"]["MM_LISTEN"].rsplit(":", 1)[1]
    assert balancer["ports"] == [f"{listen}:{listen}"]


def test_kubernetes_says_what_compose_and_the_balancer_say():
    k8s = kubernetes()
    assert k8s[("ConfigMap", "dashboard-settings")]["data"] == replica_env()
    assert k8s[("ConfigMap", "haproxy-config")]["data"]["haproxy.cfg"] == haproxy_cfg()
    stateful = k8s[("StatefulSet", "dashboard")]
    servers = balancer_servers()
    assert stateful["spec"]["replicas"] == len(servers)
    container = stateful["spec"]["template"]["spec"]["containers"][0]
    port = int(replica_env()["STREAMLIT_SERVER_PORT"])
    assert container["ports"][0]["containerPort"] == port
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"] == {"path": HEALTH, "port": port}
    secret = {e["name"]: e for e in container["env"]}["STREAMLIT_SERVER_COOKIE_SECRET"]
    assert secret["valueFrom"]["secretKeyRef"]["key"] == "cookie-secret"  # one value for every pod
    haproxy = k8s[("Deployment", "balancer")]["spec"]["template"]["spec"]["containers"][0]
    env = {e["name"]: e["value"] for e in haproxy["env"]}
    service = stateful["spec"]["serviceName"]
    assert [env[v] for _, v, _ in servers] == [f"{service}-{i}.{service}:{port}" for i in range(len(servers))]
    assert k8s[("Service", "dashboard")]["spec"]["clusterIP"] == "None"  # stable per-pod names


def test_the_image_serves_the_app_on_the_shared_port_with_the_shared_health_check():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert f"EXPOSE {replica_env()['STREAMLIT_SERVER_PORT']}" in dockerfile
    assert HEALTH in dockerfile and "MALLOC_ARENA_MAX=2" in dockerfile
    for copied in re.findall(r"^COPY (\S+)", dockerfile, re.M):
        assert (PROJECT_DIR / copied).exists(), copied


@pytest.mark.skipif(HAPROXY is None, reason="haproxy not installed (.ci/run installs it)")
def test_haproxy_accepts_the_configuration():
    check = subprocess.run(
        [str(HAPROXY), "-c", "-f", str(DEPLOY / "haproxy.cfg")],
        env={
            "MM_LISTEN": "127.0.0.1:8090",
            **{f"MM_REPLICA_{i}": f"127.0.0.1:{9000 + i}" for i in (1, 2, 3)},
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stderr
