"""Confirming an assumed pod (or any update that adds up the same) only swaps the pod object:
the cache ends in the state upstream's remove-then-add (`updatePod`) leaves it in."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.api.labels import label_selector_as_selector
from minik8s.scheduler import cache as cache_module
from minik8s.scheduler.cache import Cache
from minik8s.scheduler.types import PodInfo
from tests.scheduler.helpers import make_node, make_pod

NODES = ["n0", "n1", "n2"]
OPS = st.lists(
    st.tuples(
        st.sampled_from(["assume", "add", "status", "terminate", "relabel", "resize", "remove"]),
        st.integers(0, 5),  # pod
        st.sampled_from(NODES),
    ),
    max_size=40,
)
SELECTOR = label_selector_as_selector({"matchLabels": {"app": "a"}})
HOSTNAME_TERM = {
    "labelSelector": {"matchLabels": {"app": "a"}},
    "topologyKey": "kubernetes.io/hostname",
}
ANTI = {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [HOSTNAME_TERM]}}


def _pod(i: int, node: str, op: str, version: int = 0) -> dict:
    cpu = "300m" if op == "resize" else "100m"
    labels = {"app": "b" if op == "relabel" else "a"}
    spec = {"affinity": ANTI} if i % 2 else {}
    pod = make_pod(f"p{i}", requests={"cpu": cpu}, node=node, labels=labels, **spec)
    pod["spec"]["containers"][0]["ports"] = [{"containerPort": 80, "hostPort": 8000 + i}]
    pod["metadata"]["annotations"] = {"version": str(version)}
    if op == "terminate":
        pod["metadata"]["deletionTimestamp"] = "2025-01-01T00:00:00Z"
    if op == "status":
        pod["status"] = {"phase": "Running"}
    return pod


def _run(ops: list[tuple[str, int, str]]) -> Cache:
    cache = Cache()
    for name in NODES:
        cache.add_node(make_node(name))
    for version, (op, i, node) in enumerate(ops):
        key = f"default/p{i}"
        if op == "remove":
            cache.remove_pod(_pod(i, node, op, version))
        elif op == "assume":
            if key not in cache.pod_states:
                cache.assume_pod(PodInfo(_pod(i, "", op, version)), node)
        else:  # a bound version: on the node it was assumed on, when there is one
            cache.add_pod(_pod(i, cache.get_pod_node(key) or node, op, version))
    return cache


def _state(cache: Cache) -> dict:
    nodes = {}
    for name, info in sorted(cache.nodes.items()):
        nodes[name] = (
            info.free_key,
            info.non_zero_key,
            info.requested_key,
            {k: _version(p) for k, p in info.pods.items()},
            {k: _version(p) for k, p in info.pods_with_affinity.items()},
            sorted(info.pods_with_affinity),
            sorted(info.pods_with_required_anti_affinity),
            {k: sorted(v) for k, v in info.used_ports.items()},
        )
    pods = {k: (_version(info), node) for k, (info, node) in cache.pod_states.items()}
    counts = cache.snapshot().pod_counts(SELECTOR, "default")
    return {"nodes": nodes, "pods": pods, "assumed": cache.assumed_pods, "counts": counts}


def _version(info: PodInfo) -> str:
    return info.pod["metadata"]["annotations"]["version"]


@settings(max_examples=200, deadline=None)
@given(OPS)
def test_replacing_equals_removing_and_adding(ops):
    fast = _run(ops)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cache_module, "_same_contribution", lambda *args: False)
        slow = _run(ops)
    assert _state(fast) == _state(slow)


def test_confirming_an_assumed_pod_keeps_the_sums_and_swaps_the_object():
    cache = Cache()
    cache.add_node(make_node("n0"))
    cache.assume_pod(PodInfo(_pod(1, "", "assume")), "n0")
    before = cache.nodes["n0"].free_key
    bound = _pod(1, "n0", "status")
    cache.add_pod(bound)
    info = cache.nodes["n0"]
    assert info.free_key == before and info.pods["default/p1"].pod is bound
    assert info.pods_with_required_anti_affinity["default/p1"].pod is bound
    assert cache.pod_states["default/p1"][0].pod is bound and not cache.is_assumed_pod("default/p1")
    assert cache.snapshot().pod_counts(SELECTOR, "default") == {"n0": 1}
    cache.add_pod(_pod(1, "n0", "terminate"))  # terminating: no longer counted by selectors
    assert cache.snapshot().pod_counts(SELECTOR, "default") == {}
