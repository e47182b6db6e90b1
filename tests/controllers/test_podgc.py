"""The pod garbage collector on a real API server, in virtual time (upstream gc_controller_test.go
cases: TestGCTerminated, TestGCOrphaned, TestGCUnscheduledTerminating, TestGCTerminating)."""

from __future__ import annotations

import pytest

from minik8s.api.errors import NotFound
from minik8s.apiserver import APIServer
from minik8s.client.client import Client
from minik8s.client.informer import SharedInformerFactory
from minik8s.controllers.podgc import (
    GC_CHECK_PERIOD,
    PodGCController,
    eviction_and_creation_order,
    is_pod_terminated,
)
from minik8s.etcd import Store
from minik8s.sim import EventLoop


class Env:
    def __init__(self, nodes=("node-a",), threshold=None):
        self.loop = EventLoop(seed=0)
        self.server = APIServer(Store(clock=lambda: self.loop.now), self.loop)
        self.client = Client(self.server, "test")
        self.client.create("namespaces", {"metadata": {"name": "default"}})
        for name in nodes:
            self.node(name)
        self.informers = SharedInformerFactory(Client(self.server, "kube-controller-manager"))
        self.gc = PodGCController(self.informers.client, self.informers)
        if threshold is not None:
            self.gc.terminated_pod_threshold = threshold
        self.informers.start()
        self.gc.start()
        self.loop.run(until=1)

    def node(self, name, ready="True", taints=None):
        node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name}}
        if taints:
            node["spec"] = {"taints": taints}
        self.client.create("nodes", node)
        node = self.client.get("nodes", name)
        node["status"] = {"conditions": [{"type": "Ready", "status": ready}]}
        self.client.update_status("nodes", node)

    def pod(self, name, node="node-a", phase="Running", reason=None, finalizer=False):
        meta = {"name": name}
        if finalizer:
            meta["finalizers"] = ["test/hold"]
        spec = {"containers": [{"name": "c", "image": "nginx"}]}
        if node:
            spec["nodeName"] = node
        pod = self.client.create(
            "pods", {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}, "default"
        )
        pod["status"] = {"phase": phase, **({"reason": reason} if reason else {})}
        self.client.update_status("pods", pod, "default")
        self.loop.run(until=self.loop.now + 1)  # distinct creation times

    def get(self, name):
        try:
            return self.client.get("pods", name, "default")
        except NotFound:
            return None

    def names(self):
        return sorted(p["metadata"]["name"] for p in self.client.list("pods", "default")["items"])

    def tick(self):
        self.loop.run(until=self.loop.now + GC_CHECK_PERIOD)


def test_is_pod_terminated():
    for phase, terminated in (
        ("Pending", False),
        ("Running", False),
        ("Unknown", False),
        ("Succeeded", True),
        ("Failed", True),
    ):
        assert is_pod_terminated({"status": {"phase": phase}}) is terminated


def test_terminated_pods_above_threshold_go_evicted_first_then_oldest():
    env = Env(threshold=2)
    env.pod("a", phase="Succeeded")
    env.pod("b", phase="Failed")
    env.pod("c", phase="Failed", reason="Evicted")
    env.pod("d", phase="Succeeded")
    env.pod("e", phase="Running")
    env.tick()
    # 4 terminated, threshold 2: the evicted pod and the oldest one go
    assert env.names() == ["b", "d", "e"]


def test_terminated_threshold_zero_turns_it_off():
    env = Env(threshold=0)
    env.pod("a", phase="Succeeded")
    env.tick()
    assert env.names() == ["a"]


def test_default_threshold_is_12500():
    assert Env().gc.terminated_pod_threshold == 12500


def test_sort_order_ties_broken_by_name():
    pods = [
        {"metadata": {"name": n, "creationTimestamp": "t"}, "status": {"phase": "Failed"}}
        for n in ("b", "a")
    ]
    assert [p["metadata"]["name"] for p in sorted(pods, key=eviction_and_creation_order)] == [
        "a",
        "b",
    ]


def test_orphaned_pod_after_quarantine_is_failed_with_disruption_target():
    env = Env()
    env.pod("orphan", node="gone", finalizer=True)
    env.pod("fine")
    env.tick()  # first seen missing: quarantined
    assert env.get("orphan")["status"]["phase"] == "Running"
    env.tick()
    env.tick()
    pod = env.get("orphan")
    assert pod["metadata"]["deletionTimestamp"]
    assert pod["status"]["phase"] == "Failed"
    (cond,) = [c for c in pod["status"]["conditions"] if c["type"] == "DisruptionTarget"]
    assert (cond["status"], cond["reason"], cond["message"]) == (
        "True",
        "DeletionByPodGC",
        "PodGC: node no longer exists",
    )
    assert env.get("fine")["status"]["phase"] == "Running"


def test_orphan_whose_node_comes_back_stays():
    env = Env()
    env.pod("p", node="later")
    env.tick()
    env.node("later")
    env.tick()
    env.tick()
    assert env.get("p")["status"]["phase"] == "Running"


def test_unscheduled_terminating_pod_is_failed_then_deleted_without_condition():
    env = Env()
    env.pod("pending", node=None, phase="Pending", finalizer=True)
    env.client.delete("pods", "pending", "default")
    env.tick()
    pod = env.get("pending")
    assert pod["status"]["phase"] == "Failed"
    assert not [c for c in pod["status"].get("conditions") or [] if c["type"] == "DisruptionTarget"]


def test_terminating_pod_on_out_of_service_node_is_failed_without_condition():
    taint = [{"key": "node.kubernetes.io/out-of-service", "effect": "NoExecute"}]
    env = Env(nodes=())
    env.node("down", ready="False", taints=taint)
    env.node("up", taints=taint)
    env.pod("a", node="down", finalizer=True)
    env.pod("b", node="up", finalizer=True)
    env.pod("c", node="down", finalizer=True)
    for name in ("a", "b"):
        env.client.delete("pods", name, "default", grace_period_seconds=30)
    env.tick()
    a = env.get("a")
    assert a["status"]["phase"] == "Failed"
    assert not [c for c in a["status"].get("conditions") or [] if c["type"] == "DisruptionTarget"]
    assert env.get("b")["status"]["phase"] == "Running"  # its node is Ready
    assert env.get("c")["status"]["phase"] == "Running"  # not terminating


@pytest.mark.parametrize("phase", ["Succeeded", "Failed"])
def test_ended_orphan_keeps_its_phase(phase):
    env = Env()
    env.pod("p", node="gone", phase=phase, finalizer=True)
    for _ in range(3):
        env.tick()
    pod = env.get("p")
    assert pod["metadata"]["deletionTimestamp"] and pod["status"]["phase"] == phase
    assert not pod["status"].get("conditions")
