"""PodTopologySpread on the cache's label index scores and filters exactly as upstream's scan
of every node's pods (`countPodsMatchSelector` per node), here ported as the reference."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.scheduler.affinity import RequiredNodeAffinity
from minik8s.scheduler.cache import Cache
from minik8s.scheduler.framework import CycleState
from minik8s.scheduler.plugins import REGISTRY
from minik8s.scheduler.plugins.podtopologyspread.common import (
    count_pods_match_selector,
    node_labels_match_spread_constraints,
)
from minik8s.scheduler.profile import Profile
from minik8s.scheduler.runtime import Framework
from minik8s.scheduler.types import PodInfo
from tests.scheduler.builders import node, pod
from tests.scheduler.spread_reference import reference_scores

ZONE, HOST = "topology.kubernetes.io/zone", "kubernetes.io/hostname"
TAINT = {"key": "k", "value": "v", "effect": "NoSchedule"}

node_st = st.tuples(st.sampled_from([None, "z1", "z2"]), st.booleans(), st.booleans())
pod_st = st.tuples(
    st.integers(0, 5), st.sampled_from(["a", "b"]), st.sampled_from(["default", "other"]),
    st.booleans(),
)  # fmt: skip
constraint_st = st.fixed_dictionaries(
    {
        "key": st.sampled_from([ZONE, HOST]),
        "skew": st.integers(1, 3),
        "when": st.sampled_from(["ScheduleAnyway", "DoNotSchedule"]),
        "affinity": st.sampled_from(["Honor", "Ignore"]),
        "taints": st.sampled_from(["Honor", "Ignore"]),
    }
)


def _cluster(nodes, pods):
    cache = Cache()
    for i, (zone, has_host, tainted) in enumerate(nodes):
        labels = {"disk": "ssd" if i % 2 else "hdd"}
        if zone:
            labels[ZONE] = zone
        if has_host:
            labels[HOST] = f"n{i}"
        cache.add_node(node(f"n{i}", {"cpu": "4", "pods": "110"}, labels, **(
            {"taints": [TAINT]} if tainted else {}
        )))  # fmt: skip
    for j, (where, app, namespace, terminating) in enumerate(pods):
        p = pod(node=f"n{where % len(nodes)}", name=f"p{j}", labels={"app": app},
                namespace=namespace)  # fmt: skip
        if terminating:
            p["metadata"]["deletionTimestamp"] = "2025-01-01T00:00:00Z"
        cache.add_pod(p)
    return cache.snapshot()


@settings(max_examples=120, deadline=None)
@given(
    st.lists(node_st, min_size=1, max_size=6),
    st.lists(pod_st, max_size=14),
    st.lists(constraint_st, min_size=1, max_size=2),
    st.booleans(),
)
def test_spread_with_the_label_index_equals_the_scan(nodes, pods, constraints, selector):
    snapshot = _cluster(nodes, pods)
    fwk = Framework(Profile(), REGISTRY, snapshot=snapshot, rng=random.Random(0))
    plugin = fwk.plugins["PodTopologySpread"]
    raw = [
        {
            "maxSkew": c["skew"], "topologyKey": c["key"], "whenUnsatisfiable": c["when"],
            "labelSelector": {"matchLabels": {"app": "a"}},
            "nodeAffinityPolicy": c["affinity"], "nodeTaintsPolicy": c["taints"],
        }
        for c in constraints
    ]  # fmt: skip
    spec = {"topologySpreadConstraints": raw, "nodeSelector": {"disk": "ssd"} if selector else {}}
    info = PodInfo(pod(name="in", labels={"app": "a"}, **spec))
    all_nodes = snapshot.node_info_list
    state = CycleState()
    _, status = plugin.pre_filter(state, info, all_nodes)
    if status is None:  # DoNotSchedule: domain counts over every node, as the scan counts
        _, counts = state.read("PreFilterPodTopologySpread")
        for i, c in enumerate(plugin.constraints(info, "DoNotSchedule")):
            expected: dict[str, int] = {}
            required = RequiredNodeAffinity(info.pod)
            for n in all_nodes:
                if not node_labels_match_spread_constraints(
                    n.labels, plugin.constraints(info, "DoNotSchedule")
                ) or not c.match_node_inclusion_policies(info, n, required):
                    continue
                value = n.labels[c.topology_key]
                count = count_pods_match_selector(n, c.selector, info.namespace)
                expected[value] = expected.get(value, 0) + count
            assert counts[i] == expected
    feasible = all_nodes[::2] or all_nodes
    if plugin.pre_score(CycleState(), info, feasible) is not None:
        return  # skipped: no ScheduleAnyway constraint
    state = CycleState()
    plugin.pre_score(state, info, feasible)
    got = [plugin.score(state, info, n) for n in feasible]
    assert got == reference_scores(snapshot, plugin, info, feasible, require_all=True)[0]
