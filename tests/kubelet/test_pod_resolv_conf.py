"""A pod's /etc/resolv.conf in a whole cluster: what `kubectl exec POD -- cat /etc/resolv.conf`
prints for each dnsPolicy, the DNSConfigForming warning, and the file shared by a pod's
containers."""

from __future__ import annotations

from typing import Any

import pytest

from minik8s import Cluster
from minik8s.cri.api import DNSConfig, PodSandboxConfig, PodSandboxMetadata
from minik8s.cri.sandbox import NODE_RESOLV_CONF, Sandbox
from minik8s.kubelet.sandbox import sandbox_config

Obj = dict[str, Any]


@pytest.fixture(scope="module")
def cluster():
    c = Cluster(nodes=1, seed=0)
    c.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}})
    c.run(seconds=10)  # the namespace's kube-root-ca.crt ConfigMap for service account tokens
    return c


def run_pod(cluster: Cluster, name: str, namespace: str = "shop", **spec: Any) -> str:
    cluster.apply(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": name, "namespace": namespace},
            "spec": {
                "containers": [{"name": "c", "image": "busybox", "command": ["sleep", "3600"]}],
                **spec,
            },
        }
    )
    cluster.settle()
    return str(cluster.kubectl(f"exec -n {namespace} {name} -- cat /etc/resolv.conf"))


def test_cluster_first(cluster):
    assert run_pod(cluster, "first") == (
        "search shop.svc.cluster.local svc.cluster.local cluster.local\n"
        "nameserver 10.96.0.10\n"
        "options ndots:5\n"
    )


def test_default_gets_the_nodes_file(cluster):
    assert run_pod(cluster, "default-policy", dnsPolicy="Default") == NODE_RESOLV_CONF


def test_host_network_cluster_first_falls_back_to_default(cluster):
    assert run_pod(cluster, "hostnet", hostNetwork=True) == NODE_RESOLV_CONF
    out = run_pod(cluster, "hostnet-cf", hostNetwork=True, dnsPolicy="ClusterFirstWithHostNet")
    assert out.splitlines()[1] == "nameserver 10.96.0.10"


def test_none_with_dns_config(cluster):
    dns_config = {
        "nameservers": ["192.0.2.1"],
        "searches": ["ns1.svc.cluster-domain.example", "my.dns.search.suffix"],
        "options": [{"name": "ndots", "value": "2"}, {"name": "edns0"}],
    }
    # the example of the "DNS for Services and Pods" page
    assert run_pod(cluster, "custom", "default", dnsPolicy="None", dnsConfig=dns_config) == (
        "search ns1.svc.cluster-domain.example my.dns.search.suffix\n"
        "nameserver 192.0.2.1\n"
        "options ndots:2 edns0\n"
    )


def test_cluster_first_with_dns_config_merges(cluster):
    dns_config = {"searches": ["corp.example"], "options": [{"name": "ndots", "value": "1"}]}
    assert run_pod(cluster, "merged", dnsConfig=dns_config) == (
        "search shop.svc.cluster.local svc.cluster.local cluster.local corp.example\n"
        "nameserver 10.96.0.10\n"
        "options ndots:1\n"
    )


def test_too_many_nameservers_warn_dns_config_forming(cluster):
    dns_config = {"nameservers": ["1.1.1.1", "8.8.8.8", "9.9.9.9"]}
    out = run_pod(cluster, "many-ns", dnsConfig=dns_config)
    assert [line for line in out.splitlines() if line.startswith("nameserver")] == [
        "nameserver 10.96.0.10",
        "nameserver 1.1.1.1",
        "nameserver 8.8.8.8",
    ]
    events = [
        e
        for e in cluster.get("events", namespace="shop")
        if e["involvedObject"]["name"] == "many-ns" and e["reason"] == "DNSConfigForming"
    ]
    assert len(events) == 1
    assert events[0]["type"] == "Warning"
    assert events[0]["message"] == (
        "Nameserver limits were exceeded, some nameservers have been omitted, the applied "
        "nameserver line is: 10.96.0.10 1.1.1.1 8.8.8.8"
    )


def test_containers_of_a_pod_share_the_file(cluster):
    cluster.apply(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "two", "namespace": "shop"},
            "spec": {
                "containers": [
                    {"name": "a", "image": "busybox", "command": ["sleep", "3600"]},
                    {"name": "b", "image": "busybox", "command": ["sleep", "3600"]},
                ]
            },
        }
    )
    cluster.settle()
    first = cluster.kubectl("exec -n shop two -c a -- cat /etc/resolv.conf")
    assert cluster.kubectl("exec -n shop two -c b -- cat /etc/resolv.conf") == first
    assert "nameserver 10.96.0.10" in str(first)


def test_sandbox_config_carries_the_dns_config_only_when_asked():
    pod: Obj = {"metadata": {"name": "p", "namespace": "default", "uid": "u"}, "spec": {}}
    assert sandbox_config(pod, 1).dns_config is None


def test_sandbox_record_writes_the_file_from_its_config():
    meta = PodSandboxMetadata("p", "u", "default")
    dns = DNSConfig(["10.96.0.10"], ["default.svc.cluster.local"], ["ndots:5"])
    sandbox = Sandbox("id", PodSandboxConfig(meta, dns_config=dns), 0.0)
    assert sandbox.resolv_conf == {
        "": "search default.svc.cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"
    }
    assert Sandbox("id2", PodSandboxConfig(meta), 0.0).resolv_conf == {"": NODE_RESOLV_CONF}


def test_a_pods_file_resolves_through_the_kube_dns_service(cluster):
    """A stub resolver reading the pod's own file: ClusterFirst pods reach cluster DNS at the
    kube-dns ClusterIP with their namespace's search list; Default pods ask the node."""
    cluster.apply(
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "web", "namespace": "shop"},
            "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]},
        }
    )
    cluster.settle()
    ip = cluster.get("svc", "web", namespace="shop")["spec"]["clusterIP"]
    dns = cluster.service_network.dns
    first = run_pod(cluster, "resolver")
    answer = dns.resolve("web", resolv_conf=first)
    assert (answer.server, answer.addresses, answer.fqdn) == (
        "10.96.0.10",
        [ip],
        "web.shop.svc.cluster.local",
    )
    host = run_pod(cluster, "host-resolver", dnsPolicy="Default")
    assert dns.resolve("web.shop.svc.cluster.local", resolv_conf=host).rcode == "NXDOMAIN"
