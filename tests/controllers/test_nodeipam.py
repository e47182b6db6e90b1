"""The node IPAM controller's range allocator against a real API server, in virtual time."""

import pytest

from minik8s.apiserver import APIServer
from minik8s.client.client import Client
from minik8s.client.informer import SharedInformerFactory
from minik8s.controllers.nodeipam import CIDRRangeNoCIDRsRemaining, CidrSet, NodeIpamController
from minik8s.etcd import Store
from minik8s.sim import EventLoop


class Env:
    def __init__(self, cluster_cidr="10.244.0.0/16", nodes=()):
        self.loop = EventLoop(seed=0)
        self.server = APIServer(Store(clock=lambda: self.loop.now), self.loop)
        self.client = Client(self.server, "kubelet")
        self.client.create("namespaces", {"metadata": {"name": "default"}})
        for name, cidr in nodes:  # nodes that exist before the controller starts
            self.add_node(name, cidr)
        self.informers = SharedInformerFactory(Client(self.server, "kube-controller-manager"))
        self.controller = NodeIpamController(
            self.informers.client, self.informers, cluster_cidr=cluster_cidr
        )
        self.informers.start()
        self.controller.start()
        self.loop.settle()

    def add_node(self, name, pod_cidr=None):
        spec = {"podCIDR": pod_cidr, "podCIDRs": [pod_cidr]} if pod_cidr else {}
        node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name}, "spec": spec}
        self.client.create("nodes", node)

    def cidr(self, name):
        return self.client.get("nodes", name)["spec"].get("podCIDR")


def test_cidr_set_in_order_then_wraps_to_released():
    s = CidrSet("10.244.0.0/22", 24)
    assert [s.allocate_next() for _ in range(3)] == [
        "10.244.0.0/24",
        "10.244.1.0/24",
        "10.244.2.0/24",
    ]
    s.release("10.244.1.0/24")
    assert s.allocate_next() == "10.244.3.0/24"  # round robin: after the last handed out
    assert s.allocate_next() == "10.244.1.0/24"  # then the released one
    with pytest.raises(CIDRRangeNoCIDRsRemaining, match="no remaining CIDRs left to allocate"):
        s.allocate_next()


def test_cidr_set_occupy_rejects_foreign_blocks():
    s = CidrSet("10.244.0.0/16", 24)
    assert not s.occupy("10.1.0.0/24")
    assert not s.occupy("10.244.0.0/25")
    assert s.occupy("10.244.7.0/24")
    assert 7 in s.used


def test_nodes_get_consecutive_blocks():
    env = Env()
    for name in ("control-plane", "node-1", "node-2"):
        env.add_node(name)
    env.loop.settle()
    assert [env.cidr(n) for n in ("control-plane", "node-1", "node-2")] == [
        "10.244.0.0/24",
        "10.244.1.0/24",
        "10.244.2.0/24",
    ]
    assert env.client.get("nodes", "node-2")["spec"]["podCIDRs"] == ["10.244.2.0/24"]


def test_block_held_at_start_is_not_handed_out_again():
    # "a-new" is listed first, but every existing block is occupied before any allocation.
    env = Env(nodes=[("a-new", None), ("b-old", "10.244.0.0/24")])
    assert env.cidr("a-new") == "10.244.1.0/24"
    assert env.cidr("b-old") == "10.244.0.0/24"


def test_deleted_node_releases_its_block():
    env = Env(cluster_cidr="10.244.0.0/23")  # two blocks
    env.add_node("a")
    env.add_node("b")
    env.loop.settle()
    env.client.delete("nodes", "a")
    env.loop.settle()
    env.add_node("c")
    env.loop.settle()
    assert env.cidr("c") == "10.244.0.0/24"


def test_exhaustion_records_cidr_not_available():
    env = Env(cluster_cidr="10.244.0.0/24")  # a single block
    env.add_node("a")
    env.add_node("b")
    env.loop.run(until=env.loop.now + 30)
    assert env.cidr("a") == "10.244.0.0/24"
    assert env.cidr("b") is None
    events = [e for e in env.client.list("events")["items"] if e["reason"] == "CIDRNotAvailable"]
    assert len(events) == 1
    assert events[0]["message"] == "Node b status is now: CIDRNotAvailable"
    assert events[0]["involvedObject"]["kind"] == "Node"
    assert events[0]["source"] == {"component": "cidrAllocator"}
    assert events[0]["count"] > 1  # retried with back-off, same event counted
    env.client.delete("nodes", "a")
    env.loop.run(until=env.loop.now + 400)
    assert env.cidr("b") == "10.244.0.0/24"
