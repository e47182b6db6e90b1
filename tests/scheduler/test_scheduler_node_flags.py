"""The cache's sets of tainted and cordoned nodes follow node events, and the batch filters
that skip their pass when the snapshot has no such node give every node's own verdict."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.scheduler.cache import Cache
from minik8s.scheduler.framework import CycleState
from minik8s.scheduler.plugins import REGISTRY
from minik8s.scheduler.plugins.nodeunschedulable import NodeUnschedulable
from minik8s.scheduler.plugins.tainttoleration import TaintToleration
from minik8s.scheduler.profile import Profile
from minik8s.scheduler.runtime import Framework
from minik8s.scheduler.types import PodInfo
from tests.scheduler.helpers import make_node, make_pod

NO_SCHEDULE = {"key": "dedicated", "value": "db", "effect": "NoSchedule"}
PREFER = {"key": "spot", "effect": "PreferNoSchedule"}
OPS = st.lists(
    st.tuples(
        st.sampled_from(["add", "update", "remove", "bind"]),
        st.integers(0, 4),  # node
        st.sampled_from([[], [NO_SCHEDULE], [PREFER]]),
        st.booleans(),  # cordoned
    ),
    max_size=30,
)


def _apply(cache: Cache, ops: list) -> None:
    for step, (op, i, taints, cordoned) in enumerate(ops):
        node = make_node(f"n{i}", taints=taints, unschedulable=cordoned)
        if op == "add":
            cache.add_node(node)
        elif op == "update" and f"n{i}" in cache.nodes:
            cache.update_node(cache.nodes[f"n{i}"].node or node, node)
        elif op == "remove":
            cache.remove_node(node)
        elif op == "bind":  # a pod keeps a removed node's NodeInfo alive
            cache.add_pod(make_pod(f"p{step}", node=f"n{i}"))


@settings(max_examples=200, deadline=None)
@given(OPS)
def test_flag_sets_are_the_existing_nodes_with_taints_or_cordoned(ops):
    cache = Cache()
    _apply(cache, ops)
    nodes = cache.snapshot().node_info_list
    assert cache.tainted == {n.name for n in nodes if n.node["spec"].get("taints")}
    assert cache.cordoned == {n.name for n in nodes if n.node["spec"].get("unschedulable")}


@settings(max_examples=100, deadline=None)
@given(OPS, st.booleans())
def test_batch_filters_equal_each_nodes_own_filter(ops, tolerates):
    cache = Cache()
    _apply(cache, [("add", 0, [], False), *ops])
    snapshot = cache.snapshot()
    handle = Framework(Profile(), REGISTRY, snapshot=snapshot, rng=random.Random(0))
    tolerations = [{"operator": "Exists"}] if tolerates else []
    pod = PodInfo(make_pod("p", tolerations=tolerations))
    nodes, state = snapshot.node_info_list, CycleState()
    for plugin in (NodeUnschedulable(handle), TaintToleration(handle)):
        want = [plugin.filter(state, pod, n) for n in nodes]
        assert plugin.filter_nodes(state, pod, nodes) == want
    taints = TaintToleration(handle)
    taints.pre_score(state, pod, nodes)
    assert taints.score_nodes(state, pod, nodes) == [taints.score(state, pod, n) for n in nodes]
