"""DefaultPreemption's PostFilter and `pickOneNodeForPreemption` on upstream's own cases
(`default_preemption_test.go` TestPostFilter rows; the ranking criteria of
`pickOneNodeForPreemption`)."""

import random
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest

from minik8s.scheduler.framework import Code, CycleState, Status
from minik8s.scheduler.plugins import REGISTRY
from minik8s.scheduler.preemption import earliest_pod_start_time, pick_one_node_for_preemption
from minik8s.scheduler.profile import Profile
from minik8s.scheduler.runtime import Framework
from minik8s.scheduler.types import PodInfo
from minik8s.sim.loop import EventLoop
from tests.scheduler.helpers import cache_with, make_node, make_pod

LOW, MID, HIGH = 0, 100, 1000
ONE_POD = {"pods": 1}
NODE_RES = {"cpu": "200m", "memory": "400"}
LARGE = {"cpu": "300m", "memory": "300"}
NOW = datetime(2025, 1, 1, tzinfo=timezone.utc)
UNSCHEDULABLE = Status(Code.Unschedulable, "some reason")
UNRESOLVABLE = Status(Code.UnschedulableAndUnresolvable, "some reason")


def run_post_filter(nodes, pods, pod, statuses):
    cache = cache_with(nodes, pods)
    fwk = Framework(
        Profile(), REGISTRY, snapshot=cache.snapshot(), rng=random.Random(0),
        client=SimpleNamespace(loop=EventLoop()),
    )  # fmt: skip
    plugin = fwk.plugins["DefaultPreemption"]
    prepared = []
    plugin.prepare_candidate = lambda p, node, victims: prepared.append((node, victims))
    state = CycleState()
    info = PodInfo(pod)
    fwk.run_pre_filter_plugins(state, info, cache.snapshot().node_info_list)
    nominated, status = plugin.post_filter(state, info, statuses)
    return nominated, status, prepared


def node(name, res):
    return make_node(name, **{"pods": 32, **res})


@pytest.mark.parametrize(
    "nodes,pods,pod,statuses,want_node,want_message",
    [
        (  # pod with higher priority can be made schedulable
            [node("node1", ONE_POD)],
            [make_pod("p1", node="node1")],
            make_pod("p", priority=HIGH),
            {"node1": UNSCHEDULABLE},
            "node1",
            "",
        ),
        (  # pod with tied priority is still unschedulable
            [node("node1", ONE_POD)],
            [make_pod("p1", node="node1")],
            make_pod("p"),
            {"node1": UNSCHEDULABLE},
            None,
            "preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
        ),
        (  # preemption should respect filteredNodesStatuses
            [node("node1", ONE_POD)],
            [make_pod("p1", node="node1")],
            make_pod("p", priority=HIGH),
            {"node1": UNRESOLVABLE},
            None,
            "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
        ),
        (  # pod can be made schedulable on one node
            [node("node1", ONE_POD), node("node2", ONE_POD)],
            [make_pod("p1", node="node1", priority=HIGH), make_pod("p2", node="node2")],
            make_pod("p", priority=MID),
            {"node1": UNSCHEDULABLE, "node2": UNSCHEDULABLE},
            "node2",
            "",
        ),
        (  # no candidate nodes found, no enough resource after removing low priority pods
            [node("node1", NODE_RES), node("node2", NODE_RES)],
            [make_pod("p1", node="node1"), make_pod("p2", node="node2")],
            make_pod("p", requests=LARGE, priority=HIGH),
            {"node1": UNSCHEDULABLE, "node2": UNSCHEDULABLE},
            None,
            "preemption: 0/2 nodes are available: 2 Insufficient cpu.",
        ),
        (  # no candidate nodes found with mixed reasons
            [node("node1", ONE_POD), node("node2", NODE_RES), node("node3", ONE_POD)],
            [
                make_pod("p1", node="node1", priority=HIGH),
                make_pod("p2", node="node2"),
                make_pod("p3", node="node3", priority=HIGH),
            ],
            make_pod("p", requests=LARGE, priority=HIGH),
            {"node1": UNSCHEDULABLE, "node2": UNSCHEDULABLE, "node3": UNSCHEDULABLE},
            None,
            "preemption: 0/3 nodes are available: 1 Insufficient cpu, "
            "2 No preemption victims found for incoming pod.",
        ),
    ],
)
def test_post_filter_upstream_cases(nodes, pods, pod, statuses, want_node, want_message):
    nominated, status, prepared = run_post_filter(nodes, pods, pod, statuses)
    assert nominated == want_node
    if want_node is None:
        assert status.code == Code.Unschedulable and status.message() == want_message
        assert prepared == []
    else:
        assert status.code == Code.Success
        assert [n for n, _ in prepared] == [want_node]


def victim(name, priority, start=None):
    pod = make_pod(name, priority=priority)
    if start is not None:
        pod["status"] = {"startTime": start}
    return PodInfo(pod)


def test_pick_the_lowest_highest_victim_priority_first():
    candidates = [("a", [victim("x", MID)]), ("b", [victim("y", LOW), victim("z", LOW)])]
    assert pick_one_node_for_preemption(candidates, NOW) == "b"


def test_negative_priorities_are_shifted_before_summing():
    """MaxInt32+1 per victim: [10, -100] sums higher than [10] (a raw sum would say lower)."""
    candidates = [("a", [victim("x", 10), victim("y", -100)]), ("b", [victim("z", 10)])]
    assert pick_one_node_for_preemption(candidates, NOW) == "b"


def test_fewest_victims_then_latest_start_then_first():
    two = [victim("x", LOW), victim("y", LOW)]
    assert pick_one_node_for_preemption([("a", two), ("b", [victim("z", LOW)])], NOW) == "b"
    early = victim("e", LOW, "2024-12-31T23:00:00Z")
    late = victim("l", LOW, "2024-12-31T23:30:00Z")
    assert pick_one_node_for_preemption([("a", [early]), ("b", [late])], NOW) == "b"
    assert pick_one_node_for_preemption([("a", [late]), ("b", [late])], NOW) == "a"
    assert pick_one_node_for_preemption([], NOW) == ""


def test_earliest_start_among_the_highest_priority_victims():
    victims = [
        victim("old-low", LOW, "2024-01-01T00:00:00Z"),
        victim("high", MID, "2024-12-31T00:00:00Z"),
        victim("unstarted", MID),
    ]
    assert earliest_pod_start_time(victims, NOW) == datetime(2024, 12, 31, tzinfo=timezone.utc)
