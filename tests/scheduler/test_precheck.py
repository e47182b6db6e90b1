# ruff: noqa: E501  (upstream test tables, one case per line)
"""Which parked pods an event moves (upstream v1.31, SchedulerQueueingHints off):
eventhandlers_test.go `TestPreCheckForNode` / `TestAdmissionCheck`, and the cross-topology
pre-filter of assigned-pod events, on a real API server."""

import pytest

from minik8s.scheduler.precheck import admission_check, pre_check_for_node
from minik8s.scheduler.types import PodInfo
from tests.scheduler.builders import infos, node, pod
from tests.scheduler.helpers import Env

CPU4, CPU8, CPU16 = {"cpu": "4"}, {"cpu": "8"}, {"cpu": "16"}


def host_port(p, port):
    """`st.MakePodWrapper.HostPort(port)`: one more container holding the host port."""
    container = {"name": f"hp{port}", "image": "pause", "ports": [{"hostPort": port}]}
    p["spec"]["containers"].append(container)
    return p


def affinity(operator):
    """`NodeAffinityIn/NotIn("hostname", ["fake-node"])`."""
    expr = {"key": "hostname", "operator": operator, "values": ["fake-node"]}
    terms = [{"matchExpressions": [expr]}]
    return {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": terms}}}  # fmt: skip


def tolerate(*keys):
    """`Toleration(key)`: Exists, effect NoSchedule."""
    return [{"key": k, "operator": "Exists", "effect": "NoSchedule"} for k in keys]


TAINTS = [{"key": "foo", "effect": "NoSchedule"}, {"key": "bar", "effect": "PreferNoSchedule"}]
REGULAR = node("fake-node", {"cpu": "8", "pods": "32"}, labels={"hostname": "fake-node"})
TAINTED = node("fake-node", {"pods": "32"}, taints=TAINTS)
TAINTED_CPU8 = node(
    "fake-node", {"cpu": "8", "pods": "32"}, labels={"hostname": "fake-node"}, taints=TAINTS
)
EXISTING_HOST_PORT_80 = [host_port(pod(node="fake-node", name="p"), 80)]

CASES = [
    ("regular node, pods with a single constraint", REGULAR, EXISTING_HOST_PORT_80, [
        pod(CPU4), pod(CPU16), pod(CPU4, CPU8), pod(affinity=affinity("In")),
        pod(affinity=affinity("NotIn")), pod(), pod(nodeName="invalid-node"),
        host_port(pod(), 8080), host_port(pod(), 80),
    ], [True, False, False, True, False, True, False, True, False]),
    ("tainted node, pods with a single constraint", TAINTED, [], [
        pod(), pod(tolerations=tolerate("foo")), pod(tolerations=tolerate("bar")),
        pod(tolerations=tolerate("bar", "foo")),
    ], [False, True, False, True]),
    ("regular node, pods with multiple constraints", REGULAR, EXISTING_HOST_PORT_80, [
        pod(CPU4, affinity=affinity("NotIn")), pod(CPU16, affinity=affinity("In")),
        pod(CPU8, affinity=affinity("In")), host_port(pod(nodeName="invalid-node"), 8080),
        host_port(pod(CPU4, affinity=affinity("In")), 80),
    ], [False, False, True, False, False]),
    ("tainted node, pods with multiple constraints", TAINTED_CPU8, [], [
        pod(CPU4, tolerations=tolerate("bar")), pod(CPU4, tolerations=tolerate("bar", "foo")),
        pod(CPU16, tolerations=tolerate("foo")), pod(CPU16, tolerations=tolerate("bar")),
    ], [False, True, False, False]),
]  # fmt: skip


@pytest.mark.parametrize("name,target,existing,pods,want", CASES, ids=[c[0] for c in CASES])
def test_pre_check_for_node(name, target, existing, pods, want):
    check = pre_check_for_node(infos([target], existing)[0])
    assert [check(PodInfo(p)) for p in pods] == want


@pytest.mark.parametrize(
    "name,target,existing,incoming,want",
    [
        ("check nodeAffinity and nodeports, nodeAffinity need fail quickly",
         node("fake-node", {"pods": "32"}, labels={"foo": "bar"}), [host_port(pod(node="fake-node"), 80)],
         host_port(pod(nodeSelector={"foo": "bar1"}), 80), "NodeAffinity"),
        ("check PodOverhead and nodeAffinity, PodOverhead need fail quickly",
         node("fake-node", {"cpu": "8", "pods": "32"}, labels={"foo": "bar"}), [pod({"cpu": "7"}, node="fake-node")],
         pod({"cpu": "1"}, overhead={"cpu": "1"}, nodeSelector={"foo": "bar1"}), "NodeResourcesFit"),
        ("check nodename and nodeports, nodename need fail quickly",
         node("fake-node", {"pods": "32"}), [host_port(pod(node="fake-node"), 80)],
         host_port(pod(nodeName="fake-node1"), 80), "NodeName"),
    ],
)  # fmt: skip
def test_admission_check_reports_the_first_failure(name, target, existing, incoming, want):
    assert admission_check(PodInfo(incoming), infos([target], existing)[0]) == want


# -- on a real API server: the moves a node or an assigned pod causes --------------------------
def attempts(env, name):
    return [a.time for a in env.scheduler.decisions[f"default/{name}"]]


def test_node_events_move_only_pods_the_node_could_take():
    env = Env()
    env.add_node("node-1", cpu="1")
    env.add_pod("big", requests={"cpu": "8"})
    env.settle()
    assert attempts(env, "big") == [0.0]
    env.loop.run(until=20)
    env.add_node("small", cpu="2")  # too small: not moved
    env.add_node("tainted", cpu="16", taints=[{"key": "k", "effect": "NoSchedule"}])
    env.loop.run(until=40)
    assert attempts(env, "big") == [0.0]
    env.add_node("large", cpu="16")
    env.loop.run(until=60)
    assert attempts(env, "big") == [0.0, 40.0] and env.node_of("big") == "large"


AFFINITY_TO_DB = {
    "podAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": [
            {
                "labelSelector": {"matchLabels": {"app": "db"}},
                "topologyKey": "kubernetes.io/hostname",
            }
        ]
    }
}


def test_assigned_pods_move_only_parked_pods_whose_affinity_they_match():
    env = Env()
    env.add_node("node-1")
    env.add_pod("p", affinity=AFFINITY_TO_DB)
    env.settle()
    env.loop.run(until=20)
    env.add_pod("web", labels={"app": "web"})  # bound, but no help to p
    env.loop.run(until=40)
    assert attempts(env, "p") == [0.0] and env.node_of("web") == "node-1"
    env.add_pod("db", labels={"app": "db"})
    env.loop.run(until=60)
    assert attempts(env, "p") == [0.0, 40.0] and env.node_of("p") == "node-1"


SPREAD = [{"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule",
           "labelSelector": {"matchLabels": {"app": "x"}}}]  # fmt: skip


def test_assigned_pods_move_pods_rejected_by_topology_spread_in_their_namespace():
    env = Env()
    env.add_node("a", labels={"zone": "z1"})
    env.add_node("b", labels={"zone": "z2"}, taints=[{"key": "k", "effect": "NoSchedule"}])
    env.add_pod("first", labels={"app": "x"}, node="a")
    env.add_pod("p", labels={"app": "x"}, topologySpreadConstraints=SPREAD)
    env.settle()
    rejected_by = env.scheduler.queue.unschedulable["default/p"].unschedulable_plugins
    assert rejected_by == {"PodTopologySpread", "TaintToleration"}
    env.loop.run(until=20)
    env.add_pod("elsewhere", "shop", labels={"app": "x"}, node="b")  # another namespace
    env.loop.run(until=40)
    assert attempts(env, "p") == [0.0]
    env.add_pod("second", labels={"app": "x"}, node="b")  # z2 now holds one too
    env.loop.run(until=60)
    assert attempts(env, "p") == [0.0, 40.0] and env.node_of("p") == "a"


def test_a_pod_event_never_moves_a_pod_rejected_by_single_node_properties():
    env = Env()
    env.add_node("a")
    env.add_pod("p", labels={"app": "x"}, topologySpreadConstraints=SPREAD, nodeSelector={"x": "y"})
    env.settle()
    assert env.scheduler.queue.unschedulable["default/p"].unschedulable_plugins == {"NodeAffinity"}
    env.loop.run(until=20)
    env.add_pod("same", labels={"app": "x"})
    env.loop.run(until=40)
    assert attempts(env, "p") == [0.0] and env.node_of("same") == "a"
