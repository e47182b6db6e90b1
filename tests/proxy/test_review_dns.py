"""Review fixes for cluster DNS answer codes, as CoreDNS's `kubernetes` plugin gives them
(`findServices`, `findPods`: `errNoItems` → NXDOMAIN unless a record was found)."""

from __future__ import annotations

import pytest

from tests.proxy.env import NetEnv


@pytest.fixture
def env() -> NetEnv:
    return NetEnv(nodes=1)


def test_headless_service_without_ready_endpoints_is_nxdomain(env: NetEnv) -> None:
    env.service("hl", clusterIP="None", ports=[{"name": "http", "port": 80}])
    answer = env.net.dns.resolve("hl")
    assert answer.rcode == "NXDOMAIN"
    assert answer.tried == [
        "hl.default.svc.cluster.local",
        "hl.svc.cluster.local",
        "hl.cluster.local",
        "hl",
    ]
    srv = env.net.dns.resolve("_http._tcp.hl.default.svc.cluster.local", qtype="SRV")
    assert (srv.rcode, srv.records) == ("NXDOMAIN", [])
    env.pod("hl-a", "hl", ip="10.244.1.7")
    assert env.net.dns.resolve("hl").addresses == ["10.244.1.7"]


def test_pod_record_needs_an_existing_namespace(env: NetEnv) -> None:
    assert env.net.dns.resolve("10-1-2-3.default.pod.cluster.local").addresses == ["10.1.2.3"]
    assert env.net.dns.resolve("10-1-2-3.nosuchns.pod.cluster.local").rcode == "NXDOMAIN"


def test_endpoint_names_of_a_cluster_ip_service(env: NetEnv) -> None:
    env.service("web")
    env.pod("web-a", "web", ip="10.244.1.2")
    answer = env.net.dns.resolve("10-244-1-2.web.default.svc.cluster.local")
    assert (answer.rcode, answer.addresses) == ("NOERROR", ["10.244.1.2"])
    assert env.net.dns.resolve("10-244-1-9.web.default.svc.cluster.local").rcode == "NXDOMAIN"
