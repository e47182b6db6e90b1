"""Cluster DNS: A records, headless answers, hostnames, SRV, search path, NXDOMAIN."""

import pytest

from minik8s.proxy.dns import search_domains
from tests.proxy.env import NetEnv


@pytest.fixture
def env():
    return NetEnv(nodes=1)


def test_search_path_is_the_kubelets():
    assert search_domains("shop") == [
        "shop.svc.cluster.local",
        "svc.cluster.local",
        "cluster.local",
    ]


def test_service_a_record_and_search_order(env):
    svc = env.service("web", "shop")
    ip = svc["spec"]["clusterIP"]
    for name in (
        "web",
        "web.shop",
        "web.shop.svc",
        "web.shop.svc.cluster.local",
        "web.shop.svc.cluster.local.",
    ):
        answer = env.net.dns.resolve(name, "shop")
        assert answer.rcode == "NOERROR" and answer.addresses == [ip], name
    answer = env.net.dns.resolve("web.shop", "default")
    assert answer.tried == ["web.shop.default.svc.cluster.local", "web.shop.svc.cluster.local"]
    assert str(answer.records[0]) == f"web.shop.svc.cluster.local.\t30\tIN\tA\t{ip}"


def test_nxdomain(env):
    env.service("web", "shop")
    answer = env.net.dns.resolve("nope", "shop")
    assert answer.rcode == "NXDOMAIN" and answer.records == []
    assert answer.tried[-1] == "nope"
    assert env.net.dns.resolve("web", "default").rcode == "NXDOMAIN"  # other namespace
    assert env.net.dns.resolve("example.com").rcode == "NXDOMAIN"


def test_headless_returns_ready_pod_ips_only(env):
    env.service("db", "shop", clusterIP="None", ports=[{"name": "pg", "port": 5432}])
    a = env.pod("db-0", "db", "shop", hostname="db-0", subdomain="db", ports=(("pg", 5432),))
    env.pod(
        "db-1", "db", "shop", hostname="db-1", subdomain="db", ready=False, ports=(("pg", 5432),)
    )
    assert env.net.dns.resolve("db.shop.svc.cluster.local").addresses == [a]
    assert env.net.dns.resolve("db-0.db", "shop").addresses == [a]
    assert env.net.dns.resolve("db-1.db", "shop").rcode == "NXDOMAIN"


def test_publish_not_ready_addresses_lists_unready_pods(env):
    env.service("db", "shop", clusterIP="None", publishNotReadyAddresses=True, ports=[])
    a = env.pod("db-0", "db", "shop", ready=False, ports=())
    assert env.net.dns.resolve("db.shop").addresses == [a]


def test_srv_records_for_named_ports(env):
    env.service("web", "shop", ports=[{"name": "http", "port": 80, "targetPort": 8080}])
    answer = env.net.dns.resolve("_http._tcp.web.shop.svc.cluster.local", qtype="SRV")
    assert [r.data for r in answer.records] == ["0 100 80 web.shop.svc.cluster.local."]
    assert env.net.dns.resolve("_nope._tcp.web.shop.svc.cluster.local").rcode == "NXDOMAIN"
    env.service("db", "shop", clusterIP="None", ports=[{"name": "pg", "port": 5432}])
    env.pod("db-0", "db", "shop", hostname="db-0", subdomain="db", ports=(("pg", 5432),))
    ip = env.pod("db-x", "db", "shop", ports=(("pg", 5432),))
    answer = env.net.dns.resolve("_pg._tcp.db.shop.svc.cluster.local")
    assert sorted(r.data for r in answer.records) == sorted(
        [
            "0 50 5432 db-0.db.shop.svc.cluster.local.",
            f"0 50 5432 {ip.replace('.', '-')}.db.shop.svc.cluster.local.",
        ]
    )


def test_pod_a_records(env):
    answer = env.net.dns.resolve("10-244-1-5.shop.pod.cluster.local")
    assert answer.addresses == ["10.244.1.5"]
    assert env.net.dns.resolve("10-244-1.shop.pod.cluster.local").rcode == "NXDOMAIN"


def test_kubernetes_service_resolves(env):
    assert env.net.dns.resolve("kubernetes.default").addresses == ["10.96.0.1"]
