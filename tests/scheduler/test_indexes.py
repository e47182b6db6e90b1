"""The scheduler's speed-ups are exact: the pod label index counts what a scan of each node's
pods counts, memoized scores and fit verdicts equal the direct computation, a PodInfo reused
for a newer pod version equals one built from scratch, and activeQ's heap keys order pods as
the QueueSort `less` does."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.api.labels import label_selector_as_selector
from minik8s.scheduler.cache import Cache
from minik8s.scheduler.framework import CycleState
from minik8s.scheduler.plugins.noderesources.balanced_allocation import BalancedAllocation
from minik8s.scheduler.plugins.noderesources.fit import Fit
from minik8s.scheduler.plugins.podtopologyspread.common import count_pods_match_selector
from minik8s.scheduler.plugins.queuesort import PrioritySort
from minik8s.scheduler.queue import PriorityQueue
from minik8s.scheduler.types import PodInfo, node_key
from minik8s.sim import EventLoop
from tests.scheduler.helpers import make_node, make_pod

NODES = [f"n{i}" for i in range(4)]
LABELS = st.dictionaries(st.sampled_from(["app", "tier"]), st.sampled_from(["a", "b"]))
OPS = st.lists(
    st.tuples(
        st.sampled_from(["add", "assume", "remove", "terminate"]),
        st.integers(0, 7),  # pod
        st.sampled_from(NODES),
        LABELS,
        st.sampled_from(["default", "shop"]),
    ),
    max_size=40,
)
SELECTORS = [{"matchLabels": {"app": "a"}}, {"matchLabels": {"app": "b", "tier": "a"}}, {}]


def _pod(i: int, node: str, labels: dict, namespace: str, terminating: bool = False) -> dict:
    pod = make_pod(f"p{i}", namespace, requests={"cpu": "100m"}, node=node, labels=labels)
    if terminating:
        pod["metadata"]["deletionTimestamp"] = "2025-01-01T00:00:00Z"
    return pod


@settings(max_examples=150, deadline=None)
@given(OPS)
def test_label_index_counts_what_a_scan_counts(ops):
    cache = Cache()
    for name in NODES:
        cache.add_node(make_node(name))
    for op, i, node, labels, namespace in ops:
        key = f"{namespace}/p{i}"
        if op == "remove":
            cache.remove_pod(_pod(i, node, labels, namespace))
        elif op == "assume" and key not in cache.pod_states:
            cache.assume_pod(PodInfo(_pod(i, "", labels, namespace)), node)
        elif op in ("add", "terminate"):
            cache.add_pod(_pod(i, node, labels, namespace, terminating=op == "terminate"))
    snapshot = cache.snapshot()
    for raw in SELECTORS:
        selector = label_selector_as_selector(raw)
        for namespace in ("default", "shop"):
            counts = snapshot.pod_counts(selector, namespace)
            for info in snapshot.node_info_list:
                expected = count_pods_match_selector(info, selector, namespace)
                assert counts.get(info.name, 0) == expected


node_st = st.tuples(
    st.sampled_from(["0", "500m", "2", "4"]),
    st.sampled_from(["0", "1Gi", "4Gi"]),
    st.lists(st.tuples(st.sampled_from([None, "100m", "1"]), st.sampled_from([None, "1Gi"]))),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(node_st, min_size=1, max_size=6), st.sampled_from([None, "200m", "3"]))
def test_memoized_scores_and_verdicts_equal_direct_ones(specs, cpu):
    cache = Cache()
    for n, (alloc_cpu, alloc_memory, pods) in enumerate(specs):
        cache.add_node(make_node(f"n{n}", cpu=alloc_cpu, memory=alloc_memory, pods=3))
        for j, (c, m) in enumerate(pods):
            requests = {k: v for k, v in (("cpu", c), ("memory", m)) if v}
            cache.add_pod(make_pod(f"p{n}-{j}", requests=requests, node=f"n{n}"))
    nodes = cache.snapshot().node_info_list
    incoming = PodInfo(make_pod("in", requests={"cpu": cpu} if cpu else {}))
    for plugin in (Fit({}), BalancedAllocation({})):
        state = CycleState()
        if plugin.pre_score(state, incoming, nodes) is not None:
            continue  # skipped (BalancedAllocation for a best-effort pod)
        for _ in range(2):  # the second round answers from the memo
            direct = [plugin.score(state, incoming, n) for n in nodes]
            assert plugin.score_nodes(state, incoming, nodes) == direct
    fit = Fit({})
    for _ in range(2):
        direct = [fit.filter(CycleState(), incoming, n) for n in nodes]
        assert fit.filter_nodes(CycleState(), incoming, nodes) == direct


def test_node_keys_are_shared_between_nodes_in_the_same_state():
    cache = Cache()
    for name in ("a", "b"):
        cache.add_node(make_node(name))
    a, b = cache.nodes["a"], cache.nodes["b"]
    assert a.non_zero_key is b.non_zero_key and a.free_key is b.free_key
    cache.add_pod(make_pod("p", requests={"cpu": "1"}, node="a"))
    assert a.non_zero_key != b.non_zero_key
    assert a.free_key == node_key(3000, 32 * 1024**3, 109)


def test_podinfo_reused_only_when_nothing_it_derives_from_changed():
    pod = make_pod("p", requests={"cpu": "1"}, labels={"app": "a"})
    info = PodInfo(pod)
    bound = {**pod, "spec": {**pod["spec"], "nodeName": "n1"}, "status": {"phase": "Pending"}}
    reused = info.updated(bound)
    assert reused.pod is bound and reused.requests is info.requests
    relabeled = {**bound, "metadata": {**bound["metadata"], "labels": {"app": "b"}}}
    fresh = info.updated(relabeled)
    assert fresh.labels == {"app": "b"} and fresh.labels_key == (("app", "b"),)
    for name in PodInfo.__slots__:
        if name not in ("pod", "requests"):
            assert repr(getattr(reused, name)) == repr(getattr(PodInfo(bound), name))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(-2, 2), st.integers(0, 3)), min_size=1, max_size=12))
def test_heap_by_sort_key_pops_in_the_order_of_less(pods):
    """PrioritySort's `sort_key` and its `less` (through `_ByLess`) order activeQ alike."""
    orders = []
    for use_key in (True, False):
        loop = EventLoop(seed=0)
        sort = PrioritySort()
        queue = PriorityQueue(loop, sort.less, sort_key=sort.sort_key if use_key else None)
        for i, (priority, at) in enumerate(pods):
            loop.now = at
            queue.add(make_pod(f"p{i}", priority=priority))
        orders.append([queue.pop().key for _ in pods])
        assert queue.pop() is None
    assert orders[0] == orders[1]
    expected = sorted(range(len(pods)), key=lambda i: (-pods[i][0], pods[i][1], i))
    assert orders[0] == [f"default/p{i}" for i in expected]
