"""The `kube-dns` Service a cluster starts with, and cluster DNS as a pod's stub resolver sees it
(its resolv.conf's nameserver, search list and ndots)."""

from __future__ import annotations

import pytest

from minik8s import Cluster
from minik8s.proxy.bootstrap import KUBE_DNS_SERVICE_IP, kube_dns_service
from minik8s.proxy.dns import ClusterDNS
from tests.proxy.env import NetEnv

CLUSTER_FIRST = (
    "search shop.svc.cluster.local svc.cluster.local cluster.local\n"
    "nameserver 10.96.0.10\n"
    "options ndots:5\n"
)


@pytest.fixture(scope="module")
def cluster():
    return Cluster(nodes=1, seed=0)


def test_kube_dns_service_is_kubeadms(cluster):
    svc = cluster.get("svc", "kube-dns", namespace="kube-system")
    assert svc["metadata"]["labels"] == {
        "k8s-app": "kube-dns",
        "kubernetes.io/cluster-service": "true",
        "kubernetes.io/name": "CoreDNS",
    }
    assert svc["metadata"]["annotations"] == {
        "prometheus.io/port": "9153",
        "prometheus.io/scrape": "true",
    }
    spec = svc["spec"]
    assert spec["clusterIP"] == "10.96.0.10" == KUBE_DNS_SERVICE_IP
    assert spec["selector"] == {"k8s-app": "kube-dns"}
    assert spec["type"] == "ClusterIP"
    assert [(p["name"], p["port"], p["protocol"], p["targetPort"]) for p in spec["ports"]] == [
        ("dns", 53, "UDP", 53),
        ("dns-tcp", 53, "TCP", 53),
        ("metrics", 9153, "TCP", 9153),
    ]


def test_kubectl_lists_it_like_kind(cluster):
    out = cluster.kubectl("get svc -n kube-system")
    assert out.splitlines()[1].split()[:5] == [
        "kube-dns",
        "ClusterIP",
        "10.96.0.10",
        "<none>",
        "53/UDP,53/TCP,9153/TCP",
    ]


def test_no_coredns_pods_so_no_endpoints_and_the_controllers_leave_them(cluster):
    endpoints = cluster.get("endpoints", "kube-dns", namespace="kube-system")
    assert endpoints["subsets"] == []
    slices = cluster.get("endpointslices", namespace="kube-system")
    assert [s["metadata"]["labels"]["kubernetes.io/service-name"] for s in slices] == ["kube-dns"]
    assert slices[0]["endpoints"] == [] and slices[0]["ports"] == []
    # written once, by the endpoint controllers, and left alone after
    before = (endpoints["metadata"]["resourceVersion"], slices[0]["metadata"]["resourceVersion"])
    cluster.run(60)
    endpoints = cluster.get("endpoints", "kube-dns", namespace="kube-system")
    (slice_,) = cluster.get("endpointslices", namespace="kube-system")
    after = (endpoints["metadata"]["resourceVersion"], slice_["metadata"]["resourceVersion"])
    assert after == before


def test_the_add_on_is_deterministic():
    """Its UIDs come from the cluster's seeded stream: the same seed, the same Service."""
    a, b = Cluster(seed=3, control_plane_node=False), Cluster(seed=3, control_plane_node=False)
    assert a.loop.rng.random() == b.loop.rng.random()
    uid = a.get("svc", "kube-dns", namespace="kube-system")["metadata"]["uid"]
    assert uid == b.get("svc", "kube-dns", namespace="kube-system")["metadata"]["uid"]
    other = Cluster(seed=4, control_plane_node=False)
    assert other.get("svc", "kube-dns", namespace="kube-system")["metadata"]["uid"] != uid


def test_manifest_is_a_fresh_dict_each_time():
    first = kube_dns_service()
    first["spec"]["ports"].clear()
    assert len(kube_dns_service()["spec"]["ports"]) == 3


@pytest.fixture
def env():
    env = NetEnv(nodes=1)
    env.service("web", "shop")
    return env


def test_server_ip_follows_the_kube_dns_service(env):
    dns: ClusterDNS = env.net.dns
    assert dns.server_ip == KUBE_DNS_SERVICE_IP  # no Service yet: kubeadm's address
    env.client.create("namespaces", {"metadata": {"name": "kube-system"}})
    env.client.create("services", kube_dns_service("10.96.0.53"))
    env.settle()
    assert dns.server_ip == "10.96.0.53"


def test_cluster_first_resolv_conf_is_the_default(env):
    ip = env.client.get("services", "web", "shop")["spec"]["clusterIP"]
    default = env.net.dns.resolve("web", "shop")
    explicit = env.net.dns.resolve("web", "shop", resolv_conf=CLUSTER_FIRST)
    assert default.addresses == explicit.addresses == [ip]
    assert default.tried == explicit.tried == ["web.shop.svc.cluster.local"]
    assert explicit.server == "10.96.0.10"


def test_search_list_and_ndots_come_from_the_file(env):
    ip = env.client.get("services", "web", "shop")["spec"]["clusterIP"]
    conf = "search cluster.local\nnameserver 10.96.0.10\n"  # ndots 1 (glibc's default)
    answer = env.net.dns.resolve("web.shop.svc", resolv_conf=conf)
    assert answer.tried == ["web.shop.svc", "web.shop.svc.cluster.local"]
    assert answer.addresses == [ip]
    assert env.net.dns.resolve("web", "shop", resolv_conf=conf).rcode == "NXDOMAIN"
    ndots2 = "search svc.cluster.local\nnameserver 10.96.0.10\noptions ndots:2 debug\n"
    assert env.net.dns.resolve("web.shop", resolv_conf=ndots2).tried == [
        "web.shop.svc.cluster.local"
    ]


def test_many_dots_try_the_name_first_then_the_search_list(env):
    answer = env.net.dns.resolve("a.b.c.d.e.f", "shop")
    assert answer.rcode == "NXDOMAIN"
    assert answer.tried == [
        "a.b.c.d.e.f",
        "a.b.c.d.e.f.shop.svc.cluster.local",
        "a.b.c.d.e.f.svc.cluster.local",
        "a.b.c.d.e.f.cluster.local",
    ]


def test_the_nodes_resolver_knows_no_cluster_names(env):
    """dnsPolicy Default: the pod asks the node's nameserver, not kube-dns."""
    node_conf = "nameserver 172.18.0.1\noptions ndots:0\n"
    answer = env.net.dns.resolve("web.shop.svc.cluster.local", resolv_conf=node_conf)
    assert (answer.rcode, answer.server) == ("NXDOMAIN", "172.18.0.1")


def test_nslookup_output(env):
    ip = env.client.get("services", "web", "shop")["spec"]["clusterIP"]
    assert env.net.dns.resolve("web", "shop").nslookup() == (
        "Server:\t\t10.96.0.10\n"
        "Address:\t10.96.0.10#53\n"
        "\n"
        "Name:\tweb.shop.svc.cluster.local\n"
        f"Address: {ip}\n"
    )
    assert env.net.dns.resolve("nope", "shop").nslookup() == (
        "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n** server can't find nope: NXDOMAIN\n"
    )


def test_nslookup_in_a_pod_answers_through_its_resolv_conf():
    cluster = Cluster(nodes=1, seed=0)  # its own: the module's cluster stays as bootstrapped
    cluster.apply(
        [
            {
                "apiVersion": "v1",
                "kind": "Service",
                "metadata": {"name": "web"},
                "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]},
            },
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {"name": "probe"},
                "spec": {
                    "containers": [
                        {"name": "c", "image": "busybox:1.36", "command": ["sleep", "3600"]}
                    ]
                },
            },
        ]
    )
    cluster.run(5)
    ip = cluster.get("svc", "web")["spec"]["clusterIP"]
    out = cluster.kubectl("exec probe -- nslookup web")
    assert out.startswith("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n")
    assert f"Name:\tweb.default.svc.cluster.local\nAddress: {ip}\n" in out
    missing = cluster.kubectl("exec probe -- nslookup web.kube-system")
    assert "** server can't find web.kube-system: NXDOMAIN" in missing
    assert missing.endswith("command terminated with exit code 1\n")
