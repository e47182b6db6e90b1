"""Node lifecycle + taint eviction on a real API server, in virtual time; DefaultTolerationSeconds.

The test plays the kubelet: it registers Nodes with Ready=True, renews their Leases every 10 s
and can stop (power loss) or resume (recovery, posting Ready=True again).
"""

from __future__ import annotations

import copy

import pytest

from minik8s.api.kinds import lookup
from minik8s.apiserver import APIServer
from minik8s.apiserver.admission import AdmissionChain, Attributes, NamespaceLifecycle
from minik8s.apiserver.plugins.defaulttolerationseconds import DefaultTolerationSeconds
from minik8s.client.client import Client
from minik8s.client.informer import SharedInformerFactory
from minik8s.controllers.nodelifecycle import NodeLifecycleController
from minik8s.controllers.nodezones import TokenBucket, compute_zone_state
from minik8s.controllers.tainteviction import (
    TaintEvictionController,
    get_matching_tolerations,
    get_min_toleration_time,
)
from minik8s.etcd import Store
from minik8s.sim import EventLoop

UNREACHABLE = "node.kubernetes.io/unreachable"
NOT_READY = "node.kubernetes.io/not-ready"


class Env:
    """Control plane + node lifecycle & taint eviction controllers; the test is the kubelet."""

    def __init__(self, nodes=("node-1", "node-2"), default_tolerations=True):
        self.loop = EventLoop(seed=0)
        self.plugin = DefaultTolerationSeconds()
        chain = AdmissionChain([NamespaceLifecycle()])
        if default_tolerations:
            chain.register(self.plugin)
        self.server = APIServer(Store(clock=lambda: self.loop.now), self.loop, admission=chain)
        self.kubelet = Client(self.server, "kubelet")
        for ns in ("default", "shop", "kube-node-lease"):
            self.kubelet.create("namespaces", {"metadata": {"name": ns}})
        self.alive: dict[str, bool] = {}
        for name in nodes:
            self.register(name)
        self.informers = SharedInformerFactory(Client(self.server, "kube-controller-manager"))
        client = self.informers.client
        self.lifecycle = NodeLifecycleController(client, self.informers)
        self.eviction = TaintEvictionController(client, self.informers)
        self.informers.start()
        self.lifecycle.start()
        self.eviction.start()
        self.loop.run(until=1)

    # -- the kubelet's part -------------------------------------------------------------------
    def register(self, name):
        now = self.loop.timestamp()
        ready = {
            "type": "Ready",
            "status": "True",
            "reason": "KubeletReady",
            "message": "kubelet is posting ready status",
            "lastHeartbeatTime": now,
            "lastTransitionTime": now,
        }
        node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name}}
        self.kubelet.create("nodes", node)
        node = self.kubelet.get("nodes", name)
        node["status"] = {"conditions": [ready]}
        self.kubelet.update_status("nodes", node)
        lease = {
            "apiVersion": "coordination.k8s.io/v1",
            "kind": "Lease",
            "metadata": {"name": name, "namespace": "kube-node-lease"},
            "spec": {"holderIdentity": name, "leaseDurationSeconds": 40, "renewTime": self.micro()},
        }
        self.kubelet.create("leases", lease)
        self.alive[name] = True
        self.loop.call_later(10, self.renew, name, background=True)

    def micro(self):
        return self.loop.timestamp().replace("Z", ".000000Z")

    def renew(self, name):
        self.loop.call_later(10, self.renew, name, background=True)
        if self.alive[name]:
            lease = self.kubelet.get("leases", name, "kube-node-lease")
            lease["spec"]["renewTime"] = self.micro()
            self.kubelet.update("leases", lease)

    def fail(self, name):
        self.alive[name] = False

    def recover(self, name):
        self.alive[name] = True
        self.renew(name)
        node = self.kubelet.get("nodes", name)
        now = self.loop.timestamp()
        for c in node["status"]["conditions"]:
            c.update(status="True" if c["type"] == "Ready" else "False", lastHeartbeatTime=now)
            c.update(lastTransitionTime=now, reason="KubeletReady", message="kubelet is ready")
        self.kubelet.update_status("nodes", node)

    def pod(self, name, node, tolerations=None):
        spec = {"nodeName": node, "containers": [{"name": "c", "image": "nginx"}]}
        if tolerations is not None:
            spec["tolerations"] = tolerations
        pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec}
        pod = self.kubelet.create("pods", pod, "shop")
        pod["status"] = {
            "phase": "Running",
            "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "x"}],
        }
        pod["status"]["conditions"][0]["lastTransitionTime"] = self.loop.timestamp()
        return self.kubelet.update_status("pods", pod, "shop")

    # -- observations -------------------------------------------------------------------------
    def run_until(self, t):
        self.loop.run(until=t)

    def ready(self, name):
        conditions = self.kubelet.get("nodes", name)["status"]["conditions"]
        return next(c for c in conditions if c["type"] == "Ready")

    def taints(self, name):
        taints = self.kubelet.get("nodes", name).get("spec", {}).get("taints") or []
        return sorted(f"{t['key']}:{t['effect']}" for t in taints)

    def evicted(self, pod):
        try:
            return bool(self.kubelet.get("pods", pod, "shop")["metadata"].get("deletionTimestamp"))
        except Exception:
            return True

    def events(self, reason):
        items = self.kubelet.list("events")["items"]
        return [(e["involvedObject"]["name"], e["message"]) for e in items if e["reason"] == reason]


def first_time(env, predicate, until, step=1.0):
    """The first whole second at which `predicate()` holds (None if never before `until`)."""
    t = env.loop.now
    while t < until:
        t += step
        env.run_until(t)
        if predicate():
            return t
    return None


# -- scenarios ------------------------------------------------------------------------------------
def test_healthy_nodes_stay_ready_and_untainted():
    env = Env()
    env.pod("web", "node-2")
    env.run_until(600)
    assert env.ready("node-2")["status"] == "True"
    assert env.taints("node-2") == []
    assert not env.evicted("web")
    assert sorted(env.events("RegisteredNode")) == [
        ("node-1", "Node node-1 event: Registered Node node-1 in Controller"),
        ("node-2", "Node node-2 event: Registered Node node-2 in Controller"),
    ]


def test_lost_heartbeats_make_the_node_unknown_after_the_grace_period():
    env = Env()
    env.run_until(95)
    env.fail("node-2")  # last lease renewal at t=90
    t = first_time(env, lambda: env.ready("node-2")["status"] == "Unknown", until=200)
    # seen at the t=90 monitor pass; Unknown at the first pass after 90 + 40 s
    assert t == 135
    ready = env.ready("node-2")
    assert ready["reason"] == "NodeStatusUnknown"
    assert ready["message"] == "Kubelet stopped posting node status."
    assert ready["lastTransitionTime"] == "2025-01-01T00:02:15Z"
    conditions = env.kubelet.get("nodes", "node-2")["status"]["conditions"]
    assert [c["type"] for c in conditions] == [
        "Ready",
        "MemoryPressure",
        "DiskPressure",
        "PIDPressure",
    ]
    assert {c["status"] for c in conditions[1:]} == {"Unknown"}
    assert conditions[1]["reason"] == "NodeStatusNeverUpdated"
    assert env.ready("node-1")["status"] == "True"
    assert ("node-2", "Node node-2 status is now: NodeNotReady") in env.events("NodeNotReady")


def test_unreachable_taints_noschedule_at_once_then_noexecute():
    env = Env()
    env.run_until(95)
    env.fail("node-2")
    env.run_until(135)
    assert env.taints("node-2") == [f"{UNREACHABLE}:NoSchedule"]
    env.run_until(140)  # the next monitor pass queues the NoExecute taint; the zone allows it
    assert env.taints("node-2") == [f"{UNREACHABLE}:NoExecute", f"{UNREACHABLE}:NoSchedule"]
    taint = next(t for t in env.kubelet.get("nodes", "node-2")["spec"]["taints"])
    assert taint["timeAdded"] == "2025-01-01T00:02:15Z"
    assert env.taints("node-1") == []


def test_pods_are_marked_not_ready():
    env = Env()
    env.pod("web", "node-2")
    env.pod("other", "node-1")
    env.run_until(95)
    env.fail("node-2")
    env.run_until(136)
    pod = env.kubelet.get("pods", "web", "shop")
    ready = next(c for c in pod["status"]["conditions"] if c["type"] == "Ready")
    assert (ready["status"], ready["lastTransitionTime"]) == ("False", "2025-01-01T00:02:15Z")
    other = env.kubelet.get("pods", "other", "shop")
    assert other["status"]["conditions"][0]["status"] == "True"
    assert ("web", "Node is not ready") in env.events("NodeNotReady")


def test_pod_without_toleration_is_evicted_at_once():
    env = Env(default_tolerations=False)
    env.pod("bare", "node-2")
    env.run_until(95)
    env.fail("node-2")
    env.run_until(139)
    assert not env.evicted("bare")
    env.run_until(140)
    assert env.evicted("bare")
    assert env.events("TaintManagerEviction") == [("bare", "Marking for deletion Pod shop/bare")]
    pod = env.kubelet.get("pods", "bare", "shop")
    target = next(c for c in pod["status"]["conditions"] if c["type"] == "DisruptionTarget")
    assert (target["reason"], target["message"]) == (
        "DeletionByTaintManager",
        "Taint manager: deleting due to NoExecute taint",
    )


def test_default_toleration_evicts_after_300_seconds():
    env = Env()
    pod = env.pod("web", "node-2")
    assert {
        "key": UNREACHABLE,
        "operator": "Exists",
        "effect": "NoExecute",
        "tolerationSeconds": 300,
    } in pod["spec"]["tolerations"]
    env.pod("forever", "node-2", [{"key": UNREACHABLE, "operator": "Exists"}])
    env.run_until(95)
    env.fail("node-2")
    t = first_time(env, lambda: env.evicted("web"), until=1000)
    assert t == 140 + 300
    assert not env.evicted("forever")
    assert ("web", "Marking for deletion Pod shop/web") in env.events("TaintManagerEviction")


def test_recovery_removes_taints_and_cancels_evictions():
    env = Env()
    env.pod("web", "node-2")
    env.run_until(95)
    env.fail("node-2")
    env.run_until(200)
    assert env.taints("node-2") == [f"{UNREACHABLE}:NoExecute", f"{UNREACHABLE}:NoSchedule"]
    env.recover("node-2")
    env.run_until(201)
    assert env.taints("node-2") == [f"{UNREACHABLE}:NoExecute"]  # NoSchedule follows at once
    env.run_until(206)  # the next monitor pass sees Ready=True
    assert env.taints("node-2") == []
    assert env.events("TaintManagerEviction") == [("web", "Cancelling deletion of Pod shop/web")]
    env.run_until(1000)
    assert not env.evicted("web")
    assert env.ready("node-2")["status"] == "True"


def test_not_ready_node_gets_not_ready_taints():
    env = Env()
    env.pod("web", "node-2")
    node = env.kubelet.get("nodes", "node-2")
    node["status"]["conditions"][0].update(
        status="False", reason="KubeletNotReady", lastTransitionTime=env.loop.timestamp()
    )
    env.kubelet.update_status("nodes", node)
    env.run_until(2)
    assert env.taints("node-2") == [f"{NOT_READY}:NoSchedule"]
    env.run_until(6)
    assert env.taints("node-2") == [f"{NOT_READY}:NoExecute", f"{NOT_READY}:NoSchedule"]


def test_cordon_adds_unschedulable_taint():
    env = Env()
    env.kubelet.patch("nodes", "node-1", {"spec": {"unschedulable": True}})
    env.run_until(2)
    assert env.taints("node-1") == ["node.kubernetes.io/unschedulable:NoSchedule"]
    env.kubelet.patch("nodes", "node-1", {"spec": {"unschedulable": False}})
    env.run_until(3)
    assert env.taints("node-1") == []


def test_noexecute_tainting_is_rate_limited_per_zone():
    env = Env(nodes=("node-1", "node-2", "node-3", "node-4", "node-5"))
    env.run_until(95)
    env.fail("node-2")
    env.fail("node-3")
    tainted = {}
    for t in range(136, 170):
        env.run_until(t)
        for name in ("node-2", "node-3"):
            if f"{UNREACHABLE}:NoExecute" in env.taints(name):
                tainted.setdefault(name, t)
    assert tainted == {"node-2": 140, "node-3": 150}  # 0.1 node/s: one token every 10 s


def test_all_nodes_down_is_treated_as_a_control_plane_problem():
    env = Env(nodes=("node-1", "node-2"))
    env.pod("web", "node-2")
    env.run_until(95)
    env.fail("node-1")
    env.fail("node-2")
    env.run_until(600)
    assert env.ready("node-2")["status"] == "Unknown"
    assert f"{UNREACHABLE}:NoExecute" not in env.taints("node-2")
    assert not env.evicted("web")


# -- pure helpers ---------------------------------------------------------------------------------
def test_get_min_toleration_time():
    assert get_min_toleration_time([]) == 0
    assert get_min_toleration_time([{"key": "a"}]) == -1
    assert get_min_toleration_time([{"tolerationSeconds": 30}, {"tolerationSeconds": 10}]) == 10
    assert get_min_toleration_time([{"tolerationSeconds": 30}, {"tolerationSeconds": -5}]) == 0
    assert get_min_toleration_time([{"tolerationSeconds": 30}, {"key": "b"}]) == 30


def test_get_matching_tolerations():
    taints = [{"key": "a", "effect": "NoExecute"}, {"key": "b", "effect": "NoExecute"}]
    ta = {"key": "a", "operator": "Exists"}
    tb = {"key": "b", "operator": "Exists", "effect": "NoExecute"}
    assert get_matching_tolerations(taints, [ta, tb]) == (True, [ta, tb])
    assert get_matching_tolerations(taints, [ta]) == (False, [])
    assert get_matching_tolerations([], []) == (True, [])


def test_compute_zone_state():
    up, down = {"status": "True"}, {"status": "Unknown"}
    assert compute_zone_state([up, down]) == (1, "Normal")
    assert compute_zone_state([down, down]) == (2, "FullDisruption")
    assert compute_zone_state([up, down, down, down]) == (3, "PartialDisruption")
    assert compute_zone_state([up, up, down, down, down]) == (3, "PartialDisruption")
    assert compute_zone_state([up, up, up, down, down, down]) == (3, "Normal")
    assert compute_zone_state([None, up]) == (1, "Normal")


def test_token_bucket():
    bucket = TokenBucket(0.1, 1, now=0)
    assert bucket.try_accept(0)
    assert not bucket.try_accept(5)
    assert bucket.try_accept(10)
    assert not TokenBucket(0, 1).try_accept(100)


# -- DefaultTolerationSeconds: upstream admission_test.go TestForgivenessAdmission ---------------
NR = {"key": NOT_READY, "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}
UR = {"key": UNREACHABLE, "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}
FOO = {"key": "foo", "operator": "Equal", "value": "bar", "effect": "NoSchedule"}
NR700 = {**NR, "tolerationSeconds": 700}
UR700 = {**UR, "tolerationSeconds": 700}
UR_ANY_EFFECT = {"key": UNREACHABLE, "operator": "Exists", "tolerationSeconds": 700}
WILDCARD = {"operator": "Exists", "tolerationSeconds": 700}


@pytest.mark.parametrize(
    ("requested", "expected"),
    [
        (None, [NR, UR]),
        ([{**FOO, "tolerationSeconds": 700}], [{**FOO, "tolerationSeconds": 700}, NR, UR]),
        ([NR700], [NR700, UR]),
        ([UR700], [UR700, NR]),
        ([NR700, UR700], [NR700, UR700]),
        ([UR_ANY_EFFECT], [UR_ANY_EFFECT, NR]),
        ([WILDCARD], [WILDCARD]),
    ],
)
def test_forgiveness_admission(requested, expected):
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {}}
    if requested is not None:
        pod["spec"]["tolerations"] = copy.deepcopy(requested)
    attrs = Attributes("CREATE", lookup("pods"), "default", "p", pod)
    DefaultTolerationSeconds().admit(attrs)
    assert pod["spec"]["tolerations"] == expected


@pytest.mark.parametrize(
    ("operation", "subresource", "changed"),
    [
        ("CREATE", "", True),
        ("UPDATE", "", True),
        ("DELETE", "", False),
        ("UPDATE", "status", False),
    ],
)
def test_forgiveness_admission_handles(operation, subresource, changed):
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {}}
    attrs = Attributes(operation, lookup("pods"), "default", "p", pod, subresource=subresource)
    DefaultTolerationSeconds().admit(attrs)
    assert ("tolerations" in pod["spec"]) is changed


def test_forgiveness_admission_ignores_other_kinds():
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {}}
    DefaultTolerationSeconds().admit(Attributes("CREATE", lookup("configmaps"), "d", "c", cm))
    assert "spec" not in cm
