"""`Cluster.request(from_pod=...)` resolves names through the pod's own /etc/resolv.conf (its
sandbox's file), as glibc's stub resolver in the container would: the search list, `ndots` and
the nameserver of each dnsPolicy."""

from __future__ import annotations

from typing import Any

import pytest

from minik8s import Cluster
from minik8s.proxy.request import pod_resolv_conf, sandbox_resolv_conf


@pytest.fixture(scope="module")
def cluster():
    c = Cluster(nodes=1, seed=0)
    c.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}})
    c.run(seconds=10)
    c.kubectl("create deployment web -n shop --image=nginx:1.27 --port=80")
    c.kubectl("expose deployment web -n shop --port=80")
    c.settle()
    return c


def run_pod(cluster: Cluster, name: str, **spec: Any) -> None:
    container = {"name": "c", "image": "busybox", "command": ["sleep", "3600"]}
    body = {"containers": [container], **spec}
    cluster.apply(
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "shop"}}
        | {"spec": body}
    )
    cluster.settle()


def test_cluster_first_pod_uses_its_search_path(cluster):
    run_pod(cluster, "first")
    r = cluster.request("http://web/", from_pod="shop/first")
    assert r.status == 200 and r.pod.startswith("web-")
    assert r.hops[0]["detail"].startswith("web.shop.svc.cluster.local A ")


def test_default_policy_pod_cannot_resolve_cluster_names(cluster):
    run_pod(cluster, "dflt", dnsPolicy="Default")
    for name in ("web", "web.shop.svc.cluster.local"):  # (`web.shop`: public DNS → ingress)
        r = cluster.request(f"http://{name}/", from_pod="shop/dflt")
        assert r.status == 502 and r.error == f"Could not resolve host: {name}"
    ip = cluster.get("services", "web", namespace="shop")["spec"]["clusterIP"]
    assert cluster.request(f"http://{ip}/", from_pod="shop/dflt").status == 200


def test_none_policy_pod_uses_its_dns_config(cluster):
    dns = {"nameservers": ["10.96.0.10"], "searches": ["svc.cluster.local"]}
    run_pod(cluster, "none", dnsPolicy="None", dnsConfig=dns)
    assert cluster.request("http://web.shop/", from_pod="shop/none").status == 200
    r = cluster.request("http://web/", from_pod="shop/none")  # no shop.svc.cluster.local search
    assert r.status == 502 and r.error == "Could not resolve host: web"


def test_none_policy_ndots(cluster):
    dns = {
        "nameservers": ["10.96.0.10"],
        "searches": ["cluster.local"],
        "options": [{"name": "ndots", "value": "1"}],
    }
    run_pod(cluster, "ndots", dnsPolicy="None", dnsConfig=dns)
    r = cluster.request("http://web.shop.svc/", from_pod="shop/ndots")
    assert r.status == 200  # as given first (2 dots ≥ ndots), then the search domain
    assert r.hops[0]["detail"].startswith("web.shop.svc.cluster.local A ")


def test_none_policy_with_a_foreign_nameserver(cluster):
    run_pod(cluster, "foreign", dnsPolicy="None", dnsConfig={"nameservers": ["8.8.8.8"]})
    r = cluster.request("http://web.shop.svc.cluster.local/", from_pod="shop/foreign")
    assert r.status == 502


def test_the_file_read_is_the_sandbox_one(cluster):
    run_pod(cluster, "first2")
    pod = cluster.get("pods", "first2", namespace="shop")
    of = sandbox_resolv_conf(cluster)
    assert of is not None and of(pod) == cluster.kubectl(
        "exec -n shop first2 -- cat /etc/resolv.conf"
    )
    assert pod_resolv_conf(pod, of) == pod_resolv_conf(pod)  # kubeadm's settings both ways
