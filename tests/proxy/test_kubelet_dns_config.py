"""The kubelet's `clusterDNS`/`clusterDomain` (KubeletConfiguration) on each machine: kubeadm's
values by default, the type's empty defaults otherwise, and what a pod's resolv.conf gets."""

from __future__ import annotations

import pytest

from minik8s import Cluster
from minik8s.cri.sandbox import NODE_RESOLV_CONF
from minik8s.kubelet.config import KubeletConfiguration
from minik8s.machines import dns_ip, kubeadm_kubelet_configuration


def test_kubeadm_defaults():
    assert kubeadm_kubelet_configuration() == KubeletConfiguration(("10.96.0.10",), "cluster.local")
    assert dns_ip("10.100.0.0/16") == "10.100.0.10"
    config = kubeadm_kubelet_configuration("10.200.0.0/16", "corp.example")
    assert config.to_object() == {
        "apiVersion": "kubelet.config.k8s.io/v1beta1",
        "kind": "KubeletConfiguration",
        "clusterDNS": ["10.200.0.10"],
        "clusterDomain": "corp.example",
        "resolvConf": "/etc/resolv.conf",
    }


def test_type_defaults_are_empty():
    config = KubeletConfiguration()
    assert (config.cluster_dns, config.cluster_domain) == ((), "")
    assert config.resolv_conf == NODE_RESOLV_CONF


@pytest.fixture
def cluster():
    c = Cluster(nodes=1, seed=0)
    c.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}})
    c.run(seconds=10)
    return c


def resolv_conf(cluster: Cluster, name: str) -> str:
    cluster.apply(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": name, "namespace": "shop"},
            "spec": {"containers": [{"name": "c", "image": "busybox", "command": ["sleep", "1h"]}]},
        }
    )
    cluster.settle()
    return str(cluster.kubectl(f"exec -n shop {name} -- cat /etc/resolv.conf"))


def reconfigure(cluster: Cluster, config: KubeletConfiguration) -> None:
    machine = cluster.machines["node-1"]
    machine.kubelet_config = config
    machine.fail()
    machine.recover()  # the kubelet restarts with its new configuration
    cluster.settle()


def test_machines_run_with_kubeadm_configuration(cluster):
    machine = cluster.machines["node-1"]
    assert machine.kubelet_config == kubeadm_kubelet_configuration()
    assert machine.kubelet.workers.dns.cluster_dns == ["10.96.0.10"]


def test_cluster_domain_and_dns_reach_the_pod(cluster):
    reconfigure(cluster, KubeletConfiguration(("10.96.0.53",), "corp.example"))
    assert resolv_conf(cluster, "p") == (
        "search shop.svc.corp.example svc.corp.example corp.example\n"
        "nameserver 10.96.0.53\n"
        "options ndots:5\n"
    )


def test_no_cluster_dns_falls_back_to_default_with_an_event(cluster):
    reconfigure(cluster, KubeletConfiguration())
    assert resolv_conf(cluster, "q") == NODE_RESOLV_CONF
    events = [
        e
        for e in cluster.get("events", namespace="shop")
        if e["reason"] == "MissingClusterDNS" and e["involvedObject"]["name"] == "q"
    ]
    assert events and events[0]["type"] == "Warning"
    assert events[0]["message"].endswith(
        "kubelet does not have ClusterDNS IP configured and cannot create Pod using "
        '"ClusterFirst" policy. Falling back to "Default" policy.'
    )
