"""NodeName, NodeUnschedulable, TaintToleration, NodeAffinity, NodePorts: upstream cases."""
# ruff: noqa: E501  (upstream test tables, one case per line)

import pytest

from minik8s.scheduler.framework import Code, CycleState
from minik8s.scheduler.plugins.nodeaffinity import NodeAffinity
from minik8s.scheduler.plugins.nodename import NodeName
from minik8s.scheduler.plugins.nodeports import NodePorts
from minik8s.scheduler.plugins.nodeunschedulable import NodeUnschedulable
from minik8s.scheduler.plugins.tainttoleration import TaintToleration
from minik8s.scheduler.types import NodeInfo, PodInfo
from tests.scheduler.builders import infos, node, pod, scores


def run_filter(plugin, incoming, target):
    state, info = CycleState(), PodInfo(incoming)
    if hasattr(plugin, "pre_filter"):
        names, status = plugin.pre_filter(state, info, [target])
        if status is not None and status.code == Code.Skip:
            return None
        if status is not None:
            return status
    return plugin.filter(state, info, target)


# -- NodeName (node_name_test.go) -------------------------------------------------------------
@pytest.mark.parametrize(
    "node_name,wanted,ok",
    [("", "foo", True), ("foo", "foo", True), ("bar", "foo", False)],
)
def test_node_name(node_name, wanted, ok):
    status = run_filter(
        NodeName(), pod(nodeName=node_name) if node_name else pod(), NodeInfo(node(wanted))
    )
    if ok:
        assert status is None
    else:
        assert status.code == Code.UnschedulableAndUnresolvable
        assert status.reasons == ["node(s) didn't match the requested node name"]


# -- NodeUnschedulable (node_unschedulable_test.go) ------------------------------------------
TOLERATE = [
    {"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"}
]


@pytest.mark.parametrize(
    "unschedulable,tolerations,ok",
    [(False, None, True), (True, None, False), (True, TOLERATE, True), (False, TOLERATE, True)],
)
def test_node_unschedulable(unschedulable, tolerations, ok):
    spec = {"unschedulable": True} if unschedulable else {}
    incoming = pod(tolerations=tolerations) if tolerations else pod()
    status = run_filter(NodeUnschedulable(), incoming, NodeInfo(node("n", **spec)))
    if ok:
        assert status is None
    else:
        assert status.code == Code.UnschedulableAndUnresolvable
        assert status.reasons == ["node(s) were unschedulable"]


# -- TaintToleration (taint_toleration_test.go) ----------------------------------------------
def taint(key, value, effect):
    return {"key": key, "value": value, "effect": effect}


@pytest.mark.parametrize(
    "tolerations,taints,reason",
    [
        ([], [taint("dedicated", "user1", "NoSchedule")], "node(s) had untolerated taint {dedicated: user1}"),
        ([{"key": "dedicated", "value": "user2", "effect": "NoSchedule"}], [taint("dedicated", "user1", "NoSchedule")],
         "node(s) had untolerated taint {dedicated: user1}"),
        ([{"key": "dedicated", "operator": "Equal", "value": "user1", "effect": "NoSchedule"}],
         [taint("dedicated", "user1", "NoSchedule")], None),
        ([{"key": "foo", "operator": "Exists", "effect": "NoSchedule"}], [taint("foo", "bar", "NoSchedule")], None),
        ([{"key": "dedicated", "operator": "Equal", "value": "user2", "effect": "NoSchedule"},
          {"key": "foo", "operator": "Exists", "effect": "NoSchedule"}],
         [taint("dedicated", "user2", "NoSchedule"), taint("foo", "bar", "NoSchedule")], None),
        ([{"key": "foo", "operator": "Equal", "value": "bar", "effect": "PreferNoSchedule"}],
         [taint("foo", "bar", "NoSchedule")], "node(s) had untolerated taint {foo: bar}"),
        ([{"key": "foo", "operator": "Equal", "value": "bar"}], [taint("foo", "bar", "NoSchedule")], None),
        ([{"key": "foo", "operator": "Equal", "value": "bar", "effect": "NoSchedule"}],
         [taint("foo", "bar", "PreferNoSchedule")], None),
        ([], [taint("node-role.kubernetes.io/control-plane", "", "NoSchedule")],
         "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"),
    ],
)  # fmt: skip
def test_taint_toleration_filter(tolerations, taints, reason):
    status = run_filter(
        TaintToleration(), pod(tolerations=tolerations), NodeInfo(node("n", taints=taints))
    )
    if reason is None:
        assert status is None
    else:
        assert status.code == Code.UnschedulableAndUnresolvable
        assert status.reasons == [reason]


def test_taint_toleration_score():
    """taint_toleration_test.go `TestTaintTolerationScore`: fewer intolerable taints win."""
    nodes = infos([
        node("nodeA", taints=[taint("foo", "bar", "PreferNoSchedule")]),
        node("nodeB", taints=[taint("foo", "blah", "PreferNoSchedule")]),
        node("nodeC", taints=[taint("cpu-type", "arm64", "PreferNoSchedule"), taint("disk-type", "ssd", "PreferNoSchedule")]),
        node("nodeD", taints=[taint("foo", "bar", "NoSchedule")]),
        node("nodeE"),
    ])  # fmt: skip
    tolerations = [
        {"key": "foo", "operator": "Equal", "value": "bar", "effect": "PreferNoSchedule"}
    ]
    assert scores(TaintToleration(), pod(tolerations=tolerations), nodes) == [100, 50, 0, 100, 100]
    # a toleration without effect tolerates PreferNoSchedule too: nodeC keeps 1 of 2 taints
    tolerations = [{"key": "cpu-type", "operator": "Equal", "value": "arm64"}]
    assert scores(TaintToleration(), pod(tolerations=tolerations), nodes[2:3] + nodes[4:]) == [
        0,
        100,
    ]


# -- NodeAffinity (node_affinity_test.go) ----------------------------------------------------
def required(*terms):
    return {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": list(terms)}
        }
    }


def expr(key, op, *values):
    return {"matchExpressions": [{"key": key, "operator": op, "values": list(values)}]}


AFFINITY_REASON = "node(s) didn't match Pod's node affinity/selector"


@pytest.mark.parametrize(
    "spec,labels,ok",
    [
        ({}, {}, True),
        ({"nodeSelector": {"foo": "bar"}}, {}, False),
        ({"nodeSelector": {"foo": "bar"}}, {"foo": "bar"}, True),
        ({"nodeSelector": {"foo": "bar"}}, {"foo": "bar", "baz": "blah"}, True),
        ({"affinity": required(expr("foo", "In", "bar", "value2"))}, {"foo": "bar"}, True),
        ({"affinity": required(expr("kernel-version", "Gt", "0204"))}, {"kernel-version": "0206"}, True),
        ({"affinity": required(expr("mem-type", "NotIn", "DDR", "DDR2"))}, {"mem-type": "DDR3"}, True),
        ({"affinity": required(expr("GPU", "Exists"))}, {"GPU": "NVIDIA-GRID-K1"}, True),
        ({"affinity": required(expr("foo", "In", "value1", "value2"))}, {"foo": "bar"}, False),
        ({"affinity": required()}, {"foo": "bar"}, False),  # no terms matches nothing
        ({"affinity": required({})}, {"foo": "bar"}, False),  # an empty term matches nothing
        ({"affinity": required(expr("foo", "In", "bar"), expr("diffkey", "In", "wrong"))}, {"foo": "bar"}, True),
        ({"affinity": required(expr("GPU", "DoesNotExist"))}, {"GPU": "x"}, False),
        ({"nodeSelector": {"foo": "bar"}, "affinity": required(expr("foo", "Exists"))}, {"foo": "bar"}, True),
        ({"nodeSelector": {"foo": "bar"}, "affinity": required(expr("foo", "Exists"))}, {"foo": "baz"}, False),
    ],
)  # fmt: skip
def test_node_affinity_filter(spec, labels, ok):
    status = run_filter(NodeAffinity(), pod(**spec), NodeInfo(node("node1", labels=labels)))
    if ok:
        assert status is None
    else:
        assert status.code == Code.UnschedulableAndUnresolvable
        assert status.reasons == [AFFINITY_REASON]


def test_node_affinity_match_fields_pre_filter_result():
    affinity = required(
        {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["node1"]}]}
    )
    state, info = CycleState(), PodInfo(pod(affinity=affinity))
    names, status = NodeAffinity().pre_filter(state, info, [])
    assert (names, status) == ({"node1"}, None)
    assert NodeAffinity().filter(state, info, NodeInfo(node("node1"))) is None
    assert NodeAffinity().filter(state, info, NodeInfo(node("node2"))).reasons == [AFFINITY_REASON]
    conflict = required(
        {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["node1"]},
                         {"key": "metadata.name", "operator": "In", "values": ["node2"]}]}
    )  # fmt: skip
    names, status = NodeAffinity().pre_filter(CycleState(), PodInfo(pod(affinity=conflict)), [])
    assert status.reasons == ["pod affinity terms conflict"]


def test_node_affinity_score():
    """node_affinity_test.go `TestNodeAffinityPriority`: weights summed, normalized to 100."""
    preferred = {"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
        {"weight": 2, "preference": expr("foo", "In", "bar")},
        {"weight": 4, "preference": expr("key", "In", "value")},
        {"weight": 5, "preference": {"matchExpressions": [
            {"key": "foo", "operator": "In", "values": ["bar"]},
            {"key": "key", "operator": "In", "values": ["value"]},
            {"key": "az", "operator": "In", "values": ["az1"]}]}},
    ]}}  # fmt: skip
    nodes = infos([
        node("node1", labels={"foo": "bar"}),
        node("node2", labels={"foo": "bar", "key": "value", "az": "az1"}),
        node("node3", labels={"key": "value"}),
    ])  # fmt: skip
    assert scores(NodeAffinity(), pod(affinity=preferred), nodes) == [18, 100, 36]


# -- NodePorts (node_ports_test.go) ----------------------------------------------------------
def ports(*triples):
    return [{"name": "c", "image": "x", "ports": [
        {"containerPort": p, "hostPort": p, "protocol": proto, "hostIP": ip} for proto, ip, p in triples]}]  # fmt: skip


PORTS_REASON = "node(s) didn't have free ports for the requested pod ports"


@pytest.mark.parametrize(
    "wanted,used,ok",
    [
        ([], [], True),
        ([("UDP", "127.0.0.1", 8080)], [("UDP", "127.0.0.1", 9090)], True),
        ([("UDP", "127.0.0.1", 8080)], [("UDP", "127.0.0.1", 8080)], False),
        ([("TCP", "127.0.0.1", 8080)], [("TCP", "127.0.0.1", 8080)], False),
        ([("TCP", "127.0.0.1", 8001)], [("UDP", "127.0.0.1", 8001)], True),
        ([("TCP", "127.0.0.1", 8001)], [("TCP", "127.0.0.2", 8001)], True),
        ([("TCP", "0.0.0.0", 8001)], [("TCP", "127.0.0.1", 8001)], False),
        (
            [("TCP", "10.0.10.10", 8001), ("TCP", "0.0.0.0", 8001)],
            [("TCP", "127.0.0.1", 8001)],
            False,
        ),
        ([("TCP", "127.0.0.1", 8001)], [("TCP", "0.0.0.0", 8001)], False),
        ([("UDP", "127.0.0.1", 8001)], [("TCP", "0.0.0.0", 8001)], True),
    ],
)
def test_node_ports(wanted, used, ok):
    target = infos([node("n")], [pod(containers=ports(*used), nodeName="n")] if used else [])[0]
    status = run_filter(NodePorts(), pod(containers=ports(*wanted)) if wanted else pod(), target)
    if ok:
        assert status is None
    else:
        assert status.code == Code.Unschedulable
        assert status.reasons == [PORTS_REASON]


def _init(restart_policy=None):
    """An init container holding host port 8080 (a sidecar with `restartPolicy: Always`)."""
    container = ports(("TCP", "0.0.0.0", 8080))[0] | {"name": "init"}
    return [container | {"restartPolicy": restart_policy}] if restart_policy else [container]


@pytest.mark.parametrize(
    "incoming,existing,ok",
    [
        # an ordinary init container has exited before the containers start: its host ports
        # never count, neither on the node (v1.31 `updateUsedPorts`) nor for the incoming pod
        (pod(containers=ports(("TCP", "0.0.0.0", 8080))), pod(initContainers=_init(), nodeName="n"), True),
        (pod(initContainers=_init()), pod(containers=ports(("TCP", "0.0.0.0", 8080)), nodeName="n"), True),
        (pod(initContainers=_init()), pod(initContainers=_init(), nodeName="n"), True),
        # a sidecar runs for the pod's whole life (`GetHostPorts`)
        (pod(containers=ports(("TCP", "0.0.0.0", 8080))), pod(initContainers=_init("Always"), nodeName="n"), False),
    ],
)  # fmt: skip
def test_node_ports_ignore_ordinary_init_containers(incoming, existing, ok):
    target = infos([node("n")], [existing])[0]
    status = run_filter(NodePorts(), incoming, target)
    assert (status is None) is ok
