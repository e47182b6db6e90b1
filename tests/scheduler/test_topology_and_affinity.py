"""PodTopologySpread and InterPodAffinity, after upstream's filtering/scoring tests."""

import random

from minik8s.scheduler.cache import Cache
from minik8s.scheduler.framework import Code, CycleState
from minik8s.scheduler.plugins import REGISTRY
from minik8s.scheduler.profile import Profile
from minik8s.scheduler.runtime import Framework
from minik8s.scheduler.types import PodInfo
from tests.scheduler.builders import node, pod

ZONE = "topology.kubernetes.io/zone"
HOST = "kubernetes.io/hostname"


def framework(nodes, pods, listers=None):
    cache = Cache()
    for n in nodes:
        cache.add_node(n)
    for i, p in enumerate(pods):
        cache.add_pod({**p, "metadata": {**p["metadata"], "name": f"{p['metadata']['name']}-{i}"}})
    snapshot = cache.snapshot()
    return Framework(
        Profile(), REGISTRY, snapshot=snapshot, rng=random.Random(0), listers=listers
    ), snapshot


def zoned(name, zone):
    return node(name, {"cpu": "4", "memory": "8Gi", "pods": "110"}, labels={ZONE: zone, HOST: name})


def spread(key, max_skew=1, when="DoNotSchedule", **selector):
    return {
        "maxSkew": max_skew, "topologyKey": key, "whenUnsatisfiable": when,
        "labelSelector": {"matchLabels": selector or {"foo": ""}},
    }  # fmt: skip


def filter_all(plugin_name, fwk, snapshot, incoming):
    plugin = fwk.plugins[plugin_name]
    state, info = CycleState(), PodInfo(incoming)
    _, status = plugin.pre_filter(state, info, snapshot.node_info_list)
    if status is not None:
        return {n.name: status.code for n in snapshot.node_info_list}
    result = {}
    for n in snapshot.node_info_list:
        s = plugin.filter(state, info, n)
        result[n.name] = None if s is None else s.reasons[0]
    return result


NODES = [
    zoned("node-a", "zone1"),
    zoned("node-b", "zone1"),
    zoned("node-x", "zone2"),
    zoned("node-y", "zone2"),
]


def test_spread_filter_zone_skew():
    """filtering_test.go: pods in zone1 (3) vs zone2 (1) with maxSkew 1 → only zone2."""
    existing = [pod(node=n, labels={"foo": ""}) for n in ("node-a", "node-a", "node-b", "node-x")]
    fwk, snap = framework(NODES, existing)
    got = filter_all(
        "PodTopologySpread",
        fwk,
        snap,
        pod(labels={"foo": ""}, topologySpreadConstraints=[spread(ZONE)]),
    )
    reason = "node(s) didn't match pod topology spread constraints"
    assert got == {"node-a": reason, "node-x": None, "node-b": reason, "node-y": None}


def test_spread_filter_missing_label_and_self_match():
    nodes = [*NODES, node("bare", {"cpu": "1", "pods": "10"}, labels={HOST: "bare"})]
    fwk, snap = framework(nodes, [pod(node="node-a", labels={"foo": ""})])
    # the incoming pod does not match its own selector: no +1, skew 1 - 0 <= 1 everywhere
    got = filter_all("PodTopologySpread", fwk, snap, pod(topologySpreadConstraints=[spread(ZONE)]))
    assert (
        got["bare"]
        == "node(s) didn't match pod topology spread constraints (missing required label)"
    )
    assert got["node-a"] is None


def test_spread_pre_filter_skips_pods_without_hard_constraints():
    fwk, snap = framework(NODES, [])
    got = filter_all("PodTopologySpread", fwk, snap, pod())
    assert set(got.values()) == {Code.Skip}


def test_spread_score_prefers_the_emptier_domains():
    existing = [pod(node=n, labels={"foo": ""}) for n in ("node-a", "node-a", "node-b", "node-x")]
    fwk, snap = framework(NODES, existing)
    plugin = fwk.plugins["PodTopologySpread"]
    state, info = (
        CycleState(),
        PodInfo(
            pod(labels={"foo": ""}, topologySpreadConstraints=[spread(HOST, when="ScheduleAnyway")])
        ),
    )
    nodes = snap.node_info_list
    assert plugin.pre_score(state, info, nodes) is None
    raw = [plugin.score(state, info, n) for n in nodes]
    # weight log(4+2): counts node-a 2, node-x 1, node-b 1, node-y 0 (tree order a, x, b, y)
    assert raw == [4, 2, 2, 0]
    plugin.normalize_score(state, info, raw)
    assert raw == [0, 50, 50, 100]


def test_system_default_spreading_follows_the_service_selector():
    class Lister:
        def __init__(self, items):
            self.items = items

        def list(self, namespace=None):
            return self.items

    services = Lister([{"spec": {"selector": {"app": "web"}}}])
    existing = [
        pod(node="node-a", labels={"app": "web"}),
        pod(node="node-a", labels={"app": "web"}),
    ]
    fwk, snap = framework(NODES, existing, listers={"services": services})
    plugin = fwk.plugins["PodTopologySpread"]
    state, info = CycleState(), PodInfo(pod(labels={"app": "web"}))
    assert plugin.pre_score(state, info, snap.node_info_list) is None
    constraints = state.read("PreScorePodTopologySpread")[0]
    assert [(c.max_skew, c.topology_key) for c in constraints] == [(3, HOST), (5, ZONE)]
    raw = [plugin.score(state, info, n) for n in snap.node_info_list]
    plugin.normalize_score(state, info, raw)
    assert raw[0] < min(raw[1:])  # node-a already runs two web pods
    # without a Service or controller, nothing to spread: Skip
    fwk2, snap2 = framework(NODES, existing)
    status = fwk2.plugins["PodTopologySpread"].pre_score(
        CycleState(), PodInfo(pod(labels={"app": "web"})), snap2.node_info_list
    )
    assert status.code == Code.Skip


def anti(key, **labels):
    return {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
        {"labelSelector": {"matchLabels": labels}, "topologyKey": key}]}}  # fmt: skip


def affinity(key, **labels):
    return {"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
        {"labelSelector": {"matchLabels": labels}, "topologyKey": key}]}}  # fmt: skip


def test_inter_pod_affinity_required_by_zone():
    fwk, snap = framework(NODES, [pod(node="node-b", labels={"app": "db"})])
    got = filter_all("InterPodAffinity", fwk, snap, pod(affinity=affinity(ZONE, app="db")))
    reason = "node(s) didn't match pod affinity rules"
    assert got == {"node-a": None, "node-x": reason, "node-b": None, "node-y": reason}


def test_inter_pod_affinity_first_pod_of_a_group_may_match_itself():
    fwk, snap = framework(NODES, [])
    got = filter_all(
        "InterPodAffinity", fwk, snap, pod(labels={"app": "db"}, affinity=affinity(ZONE, app="db"))
    )
    assert set(got.values()) == {None}
    got = filter_all("InterPodAffinity", fwk, snap, pod(affinity=affinity(ZONE, app="db")))
    assert set(got.values()) == {"node(s) didn't match pod affinity rules"}


def test_inter_pod_anti_affinity_by_hostname_both_directions():
    fwk, snap = framework(NODES, [pod(node="node-a", labels={"app": "web"})])
    got = filter_all(
        "InterPodAffinity", fwk, snap, pod(labels={"app": "web"}, affinity=anti(HOST, app="web"))
    )
    assert got["node-a"] == "node(s) didn't match pod anti-affinity rules"
    assert got["node-b"] is None
    guarded = pod(node="node-x", labels={"app": "cache"}, affinity=anti(ZONE, app="web"))
    fwk, snap = framework(NODES, [guarded])
    got = filter_all("InterPodAffinity", fwk, snap, pod(labels={"app": "web"}))
    reason = "node(s) didn't satisfy existing pods anti-affinity rules"
    assert got == {"node-a": None, "node-x": reason, "node-b": None, "node-y": reason}


def test_inter_pod_affinity_preferred_score():
    term = {"labelSelector": {"matchLabels": {"app": "db"}}, "topologyKey": ZONE}
    preferred = {
        "podAffinity": {
            "preferredDuringSchedulingIgnoredDuringExecution": [
                {"weight": 5, "podAffinityTerm": term}
            ]
        }
    }
    fwk, snap = framework(NODES, [pod(node="node-a", labels={"app": "db"})])
    plugin = fwk.plugins["InterPodAffinity"]
    state, info = CycleState(), PodInfo(pod(affinity=preferred))
    assert plugin.pre_score(state, info, snap.node_info_list) is None
    raw = [plugin.score(state, info, n) for n in snap.node_info_list]
    assert raw == [5, 0, 5, 0]
    plugin.normalize_score(state, info, raw)
    assert raw == [100, 0, 100, 0]
