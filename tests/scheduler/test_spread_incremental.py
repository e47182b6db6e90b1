"""The incremental spread counts are exact (issue #10, Deployment pods): the label index's
per-selector counts, per node and per topology domain, kept up to date by pod and node events,
equal a full recount after any sequence of events; and PodTopologySpread's batch scoring
(`score_nodes`, reading those counts) equals upstream's scan of every node's pods, for the
system-default constraints of owned pods and for a pod's own constraints."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.api.labels import label_selector_as_selector
from minik8s.scheduler.cache import Cache
from minik8s.scheduler.framework import CycleState
from minik8s.scheduler.plugins import REGISTRY
from minik8s.scheduler.plugins.podtopologyspread.common import (
    count_pods_match_selector,
    default_selector,
)
from minik8s.scheduler.profile import Profile
from minik8s.scheduler.runtime import Framework
from minik8s.scheduler.types import PodInfo
from tests.scheduler.helpers import Env, make_node, make_pod
from tests.scheduler.spread_reference import reference_scores

ZONE, HOST = "topology.kubernetes.io/zone", "kubernetes.io/hostname"
NODES = [f"n{i}" for i in range(3)]
SELECTORS = [
    {"matchLabels": {"app": "a"}},
    {"matchExpressions": [{"key": "app", "operator": "In", "values": ["a", "b"]}]},
    {"matchLabels": {"app": "b", "tier": "x"}},
]
KEYS = [ZONE, HOST, "rack"]

label_st = st.fixed_dictionaries(
    {"app": st.sampled_from(["a", "b"])}, optional={"tier": st.sampled_from(["x", "y"])}
)
zone_st = st.sampled_from([None, "z1", "z2"])
event_st = st.one_of(
    st.tuples(st.just("pod"), st.integers(0, 9), st.sampled_from(NODES + ["ghost"]), label_st,
              st.sampled_from(["default", "shop"]), st.sampled_from(["add", "assume", "term"])),
    st.tuples(st.just("unpod"), st.integers(0, 9), st.sampled_from(["default", "shop"])),
    st.tuples(st.just("node"), st.sampled_from(NODES + ["ghost"]), st.sampled_from(["z1", None]),
              st.sampled_from([None, "r1", "r2"])),
    st.tuples(st.just("unnode"), st.sampled_from(NODES + ["ghost"])),
    st.tuples(st.just("ask"), st.integers(0, len(SELECTORS) - 1)),
)  # fmt: skip


def _node(name: str, zone: str | None, rack: str | None) -> dict[str, Any]:
    labels = {ZONE: zone} if zone else {}
    if rack:
        labels["rack"] = rack
    return make_node(name, labels=labels)


def _apply(cache: Cache, event: tuple[Any, ...]) -> None:
    kind = event[0]
    if kind == "pod":
        _, i, node, labels, namespace, how = event
        key = f"{namespace}/p{i}"
        pod = make_pod(f"p{i}", namespace, requests={"cpu": "1m"}, node=node, labels=labels)
        if how == "term":
            pod["metadata"]["deletionTimestamp"] = "2025-01-01T00:00:00Z"
        if how == "assume" and key not in cache.pod_states:
            cache.assume_pod(PodInfo({**pod, "spec": {**pod["spec"], "nodeName": ""}}), node)
        elif how != "assume":
            cache.add_pod(pod)
    elif kind == "unpod":
        cache.remove_pod(make_pod(f"p{event[1]}", event[2]))
    elif kind == "node":
        _, name, zone, rack = event
        info = cache.nodes.get(name)
        if info is not None and info.node is not None:
            cache.update_node(info.node, _node(name, zone, rack))
        else:
            cache.add_node(_node(name, zone, rack))
    elif kind == "unnode":
        info = cache.nodes.get(event[1])
        if info is not None and info.node is not None:
            cache.remove_node(info.node)


def _check(cache: Cache, selector_index: int, key: str, namespace: str) -> None:
    """The index's counts against a scan of every node's pods."""
    selector = label_selector_as_selector(SELECTORS[selector_index])
    by_node = cache.snapshot().pod_counts(selector, namespace)
    expected = {}
    for name, info in cache.nodes.items():
        count = count_pods_match_selector(info, selector, namespace)
        if count:
            expected[name] = count
    assert by_node == expected
    domains: dict[str, int] = {}
    for info in cache.snapshot().node_info_list:
        count = count_pods_match_selector(info, selector, namespace)
        if count:
            value = info.labels.get(key, "")
            domains[value] = domains.get(value, 0) + count
    got = cache.snapshot().domain_counts(selector, namespace, key)
    assert {v: c for v, c in got.items() if c} == domains
    assert all(c > 0 for c in got.values())
    nodes = cache.snapshot().node_info_list
    assert cache.label_values(key) == {n.name: n.labels[key] for n in nodes if key in n.labels}


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, len(SELECTORS) - 1), max_size=2), st.lists(event_st, max_size=40))
def test_incremental_counts_equal_a_full_recount(asked, events):
    cache = Cache()
    for name in NODES:
        cache.add_node(_node(name, "z1", None))
    asked = list(dict.fromkeys(asked))  # remembered by the index from then on, kept up to date
    for event in events:
        _apply(cache, event)
        if event[0] == "ask" and event[1] not in asked:
            asked.append(event[1])
        for selector_index in asked:
            for key in KEYS:
                for namespace in ("default", "shop"):
                    _check(cache, selector_index, key, namespace)
    for i in range(len(SELECTORS)):
        for key in KEYS:
            for namespace in ("default", "shop"):
                _check(cache, i, key, namespace)


def test_domain_counts_follow_pods_and_node_labels():
    cache = Cache()
    for name in NODES:
        cache.add_node(_node(name, "z1", None))
    web = {"app": "a"}
    for i, node in enumerate(["n0", "n0", "n1"]):
        _apply(cache, ("pod", i, node, web, "default", "add"))
    selector = label_selector_as_selector(SELECTORS[0])
    snapshot = cache.snapshot()
    assert snapshot.pod_counts(selector, "default") == {"n0": 2, "n1": 1}
    assert snapshot.domain_counts(selector, "default", ZONE) == {"z1": 3}
    assert snapshot.domain_counts(selector, "default", "rack") == {"": 3}
    _apply(cache, ("node", "n0", "z1", "r1"))  # same zone, new rack label
    assert snapshot.domain_counts(selector, "default", "rack") == {"r1": 2, "": 1}
    _apply(cache, ("unpod", 0, "default"))
    _apply(cache, ("pod", 3, "n2", web, "default", "assume"))
    assert snapshot.domain_counts(selector, "default", "rack") == {"r1": 1, "": 2}
    assert snapshot.pod_counts(selector, "default") == {"n0": 1, "n1": 1, "n2": 1}
    _apply(cache, ("unnode", "n1"))  # its pod stays in the cache, on no existing node
    assert snapshot.domain_counts(selector, "default", ZONE) == {"z1": 2}
    assert snapshot.pod_counts(selector, "default") == {"n0": 1, "n1": 1, "n2": 1}
    _apply(cache, ("pod", 1, "n0", web, "default", "term"))  # terminating: not counted
    assert snapshot.domain_counts(selector, "default", ZONE) == {"z1": 1}


# -- PodTopologySpread scoring against upstream's scan ----------------------------------------
class _Lister:
    def __init__(self, items: dict[str, Any]) -> None:
        self.items = items

    def list(self, namespace: str | None = None) -> list[Any]:
        return list(self.items.values())

    def get(self, namespace: str | None, name: str) -> Any:
        return self.items[name]


node_st = st.tuples(zone_st, st.booleans(), st.booleans(), st.booleans())  # zone host taint ssd
pod_st = st.tuples(st.integers(0, 7), st.sampled_from(["a", "b"]), st.booleans())
own_st = st.lists(
    st.tuples(st.sampled_from([ZONE, HOST]), st.integers(1, 3),
              st.sampled_from(["Honor", "Ignore"]), st.sampled_from(["Honor", "Ignore"])),
    max_size=3,
)  # fmt: skip


def _cluster(nodes, pods) -> Cache:
    cache = Cache()
    for i, (zone, host, tainted, ssd) in enumerate(nodes):
        labels = {"disk": "ssd" if ssd else "hdd", **({ZONE: zone} if zone else {})}
        node = make_node(f"n{i}", labels=labels, taints=[
            {"key": "k", "value": "v", "effect": "NoSchedule"}] if tainted else None)  # fmt: skip
        if not host:
            del node["metadata"]["labels"][HOST]
        cache.add_node(node)
    for j, (where, app, terminating) in enumerate(pods):
        _add_pod(cache, f"p{j}", where % len(nodes), app, terminating)
    return cache


def _add_pod(cache: Cache, name: str, where: int, app: str, terminating: bool = False) -> None:
    pod = make_pod(name, requests={"cpu": "1m"}, node=f"n{where}", labels={"app": app})
    if terminating:
        pod["metadata"]["deletionTimestamp"] = "2025-01-01T00:00:00Z"
    cache.add_pod(pod)


def _incoming(own, selector: bool) -> PodInfo:
    spec: dict[str, Any] = {"nodeSelector": {"disk": "ssd"}} if selector else {}
    if own:
        spec["topologySpreadConstraints"] = [
            {"maxSkew": skew, "topologyKey": key, "whenUnsatisfiable": "ScheduleAnyway",
             "labelSelector": {"matchLabels": {"app": "a"}},
             "nodeAffinityPolicy": affinity, "nodeTaintsPolicy": taints}
            for key, skew, affinity, taints in own
        ]  # fmt: skip
    pod = make_pod("in", requests={"cpu": "1m"}, labels={"app": "a"}, **spec)
    owner = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs", "controller": True}
    pod["metadata"]["ownerReferences"] = [owner]
    return PodInfo(pod)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(node_st, min_size=1, max_size=7),
    st.lists(pod_st, max_size=16),
    own_st,
    st.booleans(),
    st.lists(st.tuples(st.integers(0, 7), st.sampled_from(["a", "b"]), zone_st), max_size=4),
)
def test_batch_scores_equal_upstreams_scan(nodes, pods, own, selector, changes):
    cache = _cluster(nodes, pods)
    snapshot = cache.snapshot()
    replica_set = {"spec": {"selector": {"matchLabels": {"app": "a"}}}}
    listers = {"replicasets": _Lister({"rs": replica_set}), "services": _Lister({})}
    fwk = Framework(Profile(), REGISTRY, snapshot=snapshot, rng=random.Random(0), listers=listers)
    plugin = fwk.plugins["PodTopologySpread"]
    info = _incoming(own, selector)
    for step in range(len(changes) + 1):  # score, change the cluster, score again
        all_nodes = snapshot.node_info_list
        feasible = all_nodes[step % 2 :: 2] or all_nodes
        state = CycleState()
        fwk.run_pre_score_plugins(state, info, feasible)
        if "PodTopologySpread" not in state.skip_score_plugins:
            raw, weighted, _totals = fwk.run_score_plugins(state, info, feasible)
            expected_raw, expected = reference_scores(snapshot, plugin, info, feasible, bool(own))
            assert raw["PodTopologySpread"] == expected_raw
            weight = fwk.weights["PodTopologySpread"]
            assert weighted["PodTopologySpread"] == [s * weight for s in expected]
            assert [plugin.score(state, info, n) for n in feasible] == expected_raw
        if step == len(changes):
            break
        where, app, zone = changes[step]
        _add_pod(cache, f"c{step}", where % len(nodes), app)  # a binding between two pods
        target = cache.nodes[f"n{(where + step) % len(nodes)}"]
        labels = {k: v for k, v in target.labels.items() if k != ZONE}
        relabeled = {**target.node, "metadata": {**target.node["metadata"], "labels": {
            **labels, **({ZONE: zone} if zone else {})}}}  # fmt: skip
        cache.update_node(target.node, relabeled)


def test_remembered_default_constraints_follow_services_and_controllers():
    """The scheduler bumps `selectors_version` on Service/controller selector changes, so the
    system-default constraints PodTopologySpread remembers are those `DefaultSelector` builds."""
    env = Env()
    fwk = env.scheduler.framework
    plugin = fwk.plugins["PodTopologySpread"]
    labels = {"app": "web", "tier": "x"}
    service = {"metadata": {"name": "web"}, "spec": {"selector": {"app": "web"},
               "ports": [{"port": 80}]}}  # fmt: skip
    env.client.create("services", service, "default")
    replica_set = {
        "metadata": {"name": "rs"},
        "spec": {"replicas": 1, "selector": {"matchLabels": labels}, "template": {
            "metadata": {"labels": labels}, "spec": make_pod("t")["spec"]}},
    }  # fmt: skip
    created = env.client.create("replicasets", replica_set, "default")
    env.settle()
    pod = make_pod("p", labels=labels)
    owner = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs", "controller": True,
             "uid": created["metadata"]["uid"]}  # fmt: skip
    pod["metadata"]["ownerReferences"] = [owner]
    info = PodInfo(pod)

    def selector() -> str:
        got = plugin.constraints(info, "ScheduleAnyway")
        assert got is plugin.constraints(info, "ScheduleAnyway")  # remembered
        assert all(c.selector == default_selector(info, fwk.listers) for c in got)
        return str(got[0].selector) if got else ""

    assert selector() == "app=web,app=web,tier=x"
    version = fwk.selectors_version
    status = {**env.client.get("replicasets", "rs", "default"), "status": {"replicas": 1}}
    env.client.update_status("replicasets", status, "default")
    env.settle()
    assert fwk.selectors_version == version  # a status write changes no selector
    service = env.client.get("services", "web", "default")
    service["spec"]["selector"] = {"app": "api"}
    env.client.update("services", service, "default")
    env.settle()
    assert fwk.selectors_version > version
    assert selector() == "app=web,tier=x"
    env.client.delete("replicasets", "rs", "default")
    env.settle()
    assert selector() == ""  # no Service or controller selects the pod: nothing to spread
