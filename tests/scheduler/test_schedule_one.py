"""The algorithm: numFeasibleNodesToFind, FitError messages, selectHost, start index."""

import random

import pytest

from minik8s.scheduler.cache import Cache
from minik8s.scheduler.decision import Attempt
from minik8s.scheduler.framework import Code, CycleState, Status
from minik8s.scheduler.plugins import REGISTRY
from minik8s.scheduler.profile import Profile
from minik8s.scheduler.runtime import Framework
from minik8s.scheduler.schedule_one import (
    FitError,
    GenericScheduler,
    num_feasible_nodes_to_find,
    select_host,
)
from minik8s.scheduler.types import NodeInfo, PodInfo
from tests.scheduler.builders import node, pod


@pytest.mark.parametrize(
    "percentage,num_all,want",
    [  # upstream TestNumFeasibleNodesToFind
        (None, 10, 10),
        (40, 10, 10),
        (None, 1000, 420),
        (40, 1000, 400),
        (None, 6000, 300),
        (40, 6000, 2400),
        (None, 5000, 500),
        (None, 100, 100),
        (None, 200, 100),
    ],
)
def test_num_feasible_nodes_to_find(percentage, num_all, want):
    assert num_feasible_nodes_to_find(percentage, num_all) == want


def test_fit_error_message_counts_and_sorts_reasons():
    statuses = {
        "cp": Status(
            Code.UnschedulableAndUnresolvable,
            "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }",
        ),
        "n1": Status(Code.Unschedulable, "Insufficient cpu"),
        "n2": Status(Code.Unschedulable, "Insufficient cpu", "Insufficient memory"),
    }  # fmt: skip
    err = FitError("shop/web", 3, statuses)
    assert str(err) == (
        "0/3 nodes are available: 1 Insufficient memory, "
        "1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
        "2 Insufficient cpu."
    )
    err.post_filter_msg = (
        "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
    )
    assert str(err).endswith(
        "2 Insufficient cpu. preemption: 0/3 nodes are available: "
        "3 Preemption is not helpful for scheduling.."
    )


def test_fit_error_sorts_as_strings_like_upstream():
    statuses = {f"n{i}": Status(Code.Unschedulable, "Insufficient cpu") for i in range(10)}
    statuses["x"] = Status(Code.Unschedulable, "Too many pods")
    statuses["y"] = Status(Code.Unschedulable, "Too many pods")
    assert (
        str(FitError("p", 12, statuses))
        == "0/12 nodes are available: 10 Insufficient cpu, 2 Too many pods."
    )


def test_fit_error_pre_filter_message_and_absent_nodes():
    err = FitError("p", 3, {}, pre_filter_msg="pod affinity terms conflict")
    assert str(err) == "0/3 nodes are available: pod affinity terms conflict."
    absent = Status(
        Code.UnschedulableAndUnresolvable, "node is filtered out by the prefilter result"
    )
    err = FitError("p", 3, {"a": Status(Code.Unschedulable, "Too many pods")}, absent_status=absent)
    assert str(err) == (
        "0/3 nodes are available: 1 Too many pods, 2 node is filtered out by the prefilter result."
    )


def test_fit_error_with_no_statuses():
    assert str(FitError("p", 0, {})) == "0/0 nodes are available:"


def test_select_host_picks_the_best_and_breaks_ties_with_the_seeded_rng():
    nodes = [NodeInfo(node(f"n{i}")) for i in range(4)]
    assert select_host(nodes, [1, 5, 3, 2], random.Random(0)) == "n1"
    picks = {select_host(nodes, [7, 7, 1, 7], random.Random(seed)) for seed in range(40)}
    assert picks == {"n0", "n1", "n3"}
    assert select_host(nodes, [7, 7, 1, 7], random.Random(3)) == select_host(
        nodes, [7, 7, 1, 7], random.Random(3)
    )


def _framework(cache):
    snapshot = cache.snapshot()
    fwk = Framework(Profile(), REGISTRY, snapshot=snapshot, rng=random.Random(0))
    return fwk, GenericScheduler(snapshot, random.Random(0))


def test_rotating_start_index_spreads_the_search():
    cache = Cache()
    for i in range(300):
        cache.add_node(node(f"n{i:03d}", {"cpu": "4", "memory": "4Gi", "pods": "110"}))
    fwk, algorithm = _framework(cache)
    info = PodInfo(pod({"cpu": "100m"}))
    first = Attempt(info.key, 0, 1, 0)
    algorithm.schedule_pod(fwk, CycleState(), info, first)
    assert len(first.evaluated) == 144  # 300 nodes: 50 - 300/125 = 48 % → 144
    assert algorithm.next_start_node_index == 144
    second = Attempt(info.key, 0, 2, 0)
    algorithm.schedule_pod(fwk, CycleState(), info, second)
    assert second.evaluated[0] == "n144" and second.evaluated[-1] == "n287"
    third = Attempt(info.key, 0, 3, 0)
    algorithm.schedule_pod(fwk, CycleState(), info, third)
    assert third.evaluated[:2] == ["n288", "n289"] and third.evaluated[12] == "n000"


def test_small_clusters_evaluate_every_node_and_record_decisions():
    cache = Cache()
    cache.add_node(node("a", {"cpu": "1", "memory": "1Gi", "pods": "10"}))
    cache.add_node(node("b", {"cpu": "2", "memory": "1Gi", "pods": "10"}))
    cache.add_node(
        node(
            "c",
            {"cpu": "1", "memory": "1Gi", "pods": "10"},
            taints=[{"key": "k", "effect": "NoSchedule"}],
        )
    )
    fwk, algorithm = _framework(cache)
    info = PodInfo(pod({"cpu": "500m", "memory": "100Mi"}))
    attempt = Attempt(info.key, 0, 1, 0)
    result = algorithm.schedule_pod(fwk, CycleState(), info, attempt)
    assert result.suggested_host == "b"  # least allocated
    assert attempt.evaluated == ["a", "b", "c"]
    assert attempt.verdict("c") == "TaintToleration: node(s) had untolerated taint {k: }"
    # cpu (2000-500)*100/2000 = 75, memory (1024-100)*100/1024 = 90 → 82; node a: (50+90)/2 = 70
    assert attempt.scores("b")["NodeResourcesFit"] == (82, 82)
    assert attempt.scores("a")["NodeResourcesFit"] == (70, 70)
    assert attempt.total("b") > attempt.total("a")
    assert "← chosen" in attempt.table().splitlines()[3]
    rows = attempt.rows()
    assert [r["node"] for r in rows] == ["a", "b", "c"]
    assert rows[1]["chosen"] and rows[1]["total"] == attempt.total("b")
    assert rows[2] == {
        "node": "c", "feasible": False, "filtered_by": "TaintToleration",
        "reason": "node(s) had untolerated taint {k: }", "scores": {}, "total": None,
        "chosen": False,
    }  # fmt: skip
    assert (
        repr(attempt)
        == "Attempt(pod='default/p', t=0, nodes=3, evaluated=3, feasible=2, chosen='b')"
    )


def test_profile_without_score_plugins_takes_the_first_feasible_node():
    """upstream v1.30+ findNodesThatPassFilters: no Score plugins (and no extenders) →
    numNodesToFind = 1, found from nextStartNodeIndex, which advances past the nodes
    processed: a round-robin first fit."""
    cache = Cache()
    for name in ("a", "b", "c", "d"):
        cache.add_node(node(name, {"cpu": "1", "memory": "1Gi", "pods": "10"}))
    cache.add_node(node("e", {"cpu": "1", "memory": "1Gi", "pods": "10"}, unschedulable=True))
    snapshot = cache.snapshot()
    profile = Profile.from_config({"plugins": {"score": {"disabled": [{"name": "*"}]}}})
    fwk = Framework(profile, REGISTRY, snapshot=snapshot, rng=random.Random(0))
    assert fwk.score_plugins == []
    algorithm = GenericScheduler(snapshot, random.Random(0))
    info = PodInfo(pod({"cpu": "100m"}))
    chosen, evaluated = [], []
    for i in range(6):
        attempt = Attempt(info.key, 0, i + 1, 0)
        result = algorithm.schedule_pod(fwk, CycleState(), info, attempt)
        chosen.append(result.suggested_host)
        evaluated.append(attempt.evaluated)
        assert result.feasible_nodes == 1
    assert chosen == ["a", "b", "c", "d", "a", "b"]  # "e" is filtered out on the way round
    assert evaluated[3:5] == [["d"], ["e", "a"]]
    assert algorithm.next_start_node_index == 2
