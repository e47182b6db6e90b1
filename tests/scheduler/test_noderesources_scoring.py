"""Ports of upstream's least_allocated_test.go, most_allocated_test.go,
balanced_allocation_test.go and requested_to_capacity_ratio_test.go tables."""

# ruff: noqa: E501  (upstream test tables, one case per line)
import pytest

from minik8s.scheduler.plugins.noderesources import (
    balanced_allocation_score,
    least_allocated_score,
    most_allocated_score,
    requested_to_capacity_ratio_score,
)
from minik8s.scheduler.plugins.noderesources.balanced_allocation import BalancedAllocation
from minik8s.scheduler.plugins.noderesources.fit import Fit
from tests.scheduler.builders import infos, node, pod, scores

DEFAULT = [{"name": "cpu", "weight": 1}, {"name": "memory", "weight": 1}]
EXT = "intel.com/foo"
EXTENDED_SET = [*DEFAULT, {"name": EXT, "weight": 1}]
REQ_1 = {"cpu": "1000m", "memory": "2000"}
REQ_2 = {"cpu": "2000m", "memory": "3000"}


def cap(cpu, mem, **extra):
    return {"cpu": str(cpu) if isinstance(cpu, str) else f"{cpu}m", "memory": str(mem), **extra}


LEAST = [
    ("nothing scheduled, nothing requested", pod(), [cap(4000, 10000), cap(4000, 10000)], [], DEFAULT, [100, 100]),
    ("nothing scheduled, resources requested, differently sized nodes", pod(REQ_1, REQ_2), [cap(4000, 10000), cap(6000, 10000)], [], DEFAULT, [37, 50]),
    ("no resources requested, pods scheduled", pod(), [cap(4000, 10000), cap(4000, 10000)],
     [pod(node="node1"), pod(node="node1"), pod(node="node2"), pod(node="node2")], DEFAULT, [100, 100]),
    ("no resources requested, pods scheduled with resources", pod(), [cap(10000, 20000), cap(10000, 20000)],
     [pod({"cpu": "3000m", "memory": "0"}, node="node1"), pod({"cpu": "3000m", "memory": "0"}, node="node1"),
      pod({"cpu": "3000m", "memory": "0"}, node="node2"), pod({"cpu": "3000m", "memory": "5000"}, node="node2")],
     DEFAULT, [70, 57]),
    ("resources requested, pods scheduled with resources", pod(REQ_1, REQ_2), [cap(10000, 20000), cap(10000, 20000)],
     [pod({"cpu": "3000m", "memory": "0"}, node="node1"), pod({"cpu": "3000m", "memory": "5000"}, node="node2")],
     DEFAULT, [57, 45]),
    ("resources requested, pods scheduled with resources, differently sized nodes", pod(REQ_1, REQ_2),
     [cap(10000, 20000), cap(10000, 50000)],
     [pod({"cpu": "3000m", "memory": "0"}, node="node1"), pod({"cpu": "3000m", "memory": "5000"}, node="node2")],
     DEFAULT, [57, 60]),
    ("requested resources exceed node capacity", pod({"cpu": "3000m", "memory": "0"}), [cap(4000, 10000), cap(4000, 10000)],
     [pod({"cpu": "3000m", "memory": "0"}, node="node1"), pod({"cpu": "3000m", "memory": "5000"}, node="node2")],
     DEFAULT, [50, 25]),
    ("zero node resources, pods scheduled with resources", pod(), [{}, {}],
     [pod({"cpu": "3000m", "memory": "0"}, node="node1"), pod({"cpu": "3000m", "memory": "5000"}, node="node2")],
     DEFAULT, [0, 0]),
    ("nothing scheduled, resources requested with different weight on CPU and memory, differently sized nodes",
     pod(REQ_1, REQ_2), [cap(4000, 10000), cap(6000, 10000)], [],
     [{"name": "memory", "weight": 2}, {"name": "cpu", "weight": 1}], [41, 50]),
    ("bypass extended resource if the pod does not request", pod(REQ_1, REQ_2),
     [cap(6000, 10000), cap(6000, 10000, **{EXT: "4"})], [], EXTENDED_SET, [50, 50]),
    ("honor extended resource if the pod requests", pod({"cpu": "3000m", "memory": "5000", EXT: "2"}),
     [cap(6000, 10000, **{EXT: "4"}), cap(6000, 10000, **{EXT: "10"})], [], EXTENDED_SET, [50, 60]),
    ("if the node doesn't have a resource", pod({"cpu": "3000m", "memory": "4000"}),
     [cap(6000, 10000), cap(6000, 10000, **{EXT: "4"})], [],
     [{"name": EXT, "weight": 2}, {"name": "cpu", "weight": 1}, {"name": "memory", "weight": 1}], [55, 55]),
]  # fmt: skip

MOST = [
    ("nothing scheduled, nothing requested", pod(), [cap(4000, 10000), cap(4000, 10000)], [], DEFAULT, [0, 0]),
    ("nothing scheduled, resources requested, differently sized nodes", pod(REQ_1, REQ_2), [cap(4000, 10000), cap(6000, 10000)], [], DEFAULT, [62, 50]),
    ("no resources requested, pods scheduled with resources", pod(), [cap(10000, 20000), cap(10000, 20000)],
     [pod({"cpu": "3000m", "memory": "0"}, node="node1"), pod({"cpu": "3000m", "memory": "0"}, node="node1"),
      pod({"cpu": "3000m", "memory": "0"}, node="node2"), pod({"cpu": "3000m", "memory": "5000"}, node="node2")],
     DEFAULT, [30, 42]),
    ("resources requested, pods scheduled with resources", pod(REQ_1, REQ_2), [cap(10000, 20000), cap(10000, 20000)],
     [pod({"cpu": "3000m", "memory": "0"}, node="node1"), pod({"cpu": "3000m", "memory": "5000"}, node="node2")],
     DEFAULT, [42, 55]),
    ("resources requested equal node capacity", pod({"cpu": "2000m", "memory": "4000"}, {"cpu": "3000m", "memory": "5000"}),
     [cap(5000, 10000), cap(10000, 9000)], [], DEFAULT, [95, 75]),
    ("nothing scheduled, resources requested, differently sized nodes (weights)", pod(REQ_1, REQ_2),
     [cap(4000, 10000), cap(6000, 10000)], [], [{"name": "memory", "weight": 2}, {"name": "cpu", "weight": 1}], [58, 50]),
    ("no resources requested, pods scheduled, nonzero request for resource", pod({}),
     [cap("250m", "1000Mi"), cap("250m", "1000Mi")], [pod({}, node="node1"), pod({}, node="node1")], DEFAULT, [80, 30]),
    ("bypass extended resource if the pod does not request", pod(REQ_1, REQ_2),
     [cap(6000, 10000), cap(6000, 10000, **{EXT: "4"})], [], EXTENDED_SET, [50, 50]),
    ("honor extended resource if the pod request", pod({"cpu": "3000m", "memory": "5000", EXT: "2"}),
     [cap(6000, 10000, **{EXT: "4"}), cap(6000, 10000, **{EXT: "10"})], [], EXTENDED_SET, [50, 40]),
    ("if the node doesn't have a resource", pod({"cpu": "3000m", "memory": "4000"}),
     [cap(6000, 10000), cap(6000, 10000, **{EXT: "4"})], [],
     [{"name": EXT, "weight": 2}, {"name": "cpu", "weight": 1}, {"name": "memory", "weight": 1}], [45, 45]),
]  # fmt: skip


def _nodes(capacities):
    return [node(f"node{i + 1}", c) for i, c in enumerate(capacities)]


@pytest.mark.parametrize(
    "name,incoming,capacities,existing,resources,expected", LEAST, ids=[c[0] for c in LEAST]
)
def test_least_allocated_scoring_strategy(
    name, incoming, capacities, existing, resources, expected
):
    fit = Fit({"scoringStrategy": {"type": "LeastAllocated", "resources": resources}})
    assert scores(fit, incoming, infos(_nodes(capacities), existing)) == expected


@pytest.mark.parametrize(
    "name,incoming,capacities,existing,resources,expected", MOST, ids=[c[0] for c in MOST]
)
def test_most_allocated_scoring_strategy(name, incoming, capacities, existing, resources, expected):
    fit = Fit({"scoringStrategy": {"type": "MostAllocated", "resources": resources}})
    assert scores(fit, incoming, infos(_nodes(capacities), existing)) == expected


@pytest.mark.parametrize(
    "resources,index",
    [
        ([{"name": "memory", "weight": -1}, {"name": "cpu", "weight": 1}], 0),
        ([{"name": "memory", "weight": 1}, {"name": "cpu", "weight": 0}], 1),
        ([{"name": "memory", "weight": 1}, {"name": "cpu", "weight": 101}], 1),
    ],
)
@pytest.mark.parametrize("strategy", ["LeastAllocated", "MostAllocated"])
def test_invalid_resource_weights(strategy, resources, index):
    with pytest.raises(ValueError, match=rf"scoringStrategy\.resources\[{index}\]\.weight"):
        Fit({"scoringStrategy": {"type": strategy, "resources": resources}})


# -- balanced_allocation_test.go ---------------------------------------------------------------
CPU_AND_MEMORY = ({"cpu": "1000m", "memory": "2000"}, {"cpu": "2000m", "memory": "3000"})
CPU_ONLY = ({"cpu": "1000m", "memory": "0"}, {"cpu": "2000m", "memory": "0"})
CPU_MEMORY_GPU = (
    {"cpu": "1000m", "memory": "2000"},
    {"cpu": "2000m", "memory": "3000", "nvidia.com/gpu": "3"},
)
GPU_SET = [*DEFAULT, {"name": "nvidia.com/gpu", "weight": 1}]
BALANCED = [
    ("nothing scheduled, resources requested, differently sized nodes", pod(*CPU_AND_MEMORY),
     [cap(4000, 10000), cap(6000, 10000)], [], DEFAULT, [87, 100]),
    ("resources requested, pods scheduled with resources", pod(*CPU_AND_MEMORY),
     [cap(10000, 20000), cap(10000, 20000)], [pod(*CPU_ONLY, node="node1"), pod(*CPU_AND_MEMORY, node="node2")],
     DEFAULT, [82, 95]),
    ("resources requested, pods scheduled with resources, differently sized nodes", pod(*CPU_AND_MEMORY),
     [cap(10000, 20000), cap(10000, 50000)], [pod(*CPU_ONLY, node="node1"), pod(*CPU_AND_MEMORY, node="node2")],
     DEFAULT, [82, 80]),
    ("requested resources at node capacity", pod(*CPU_ONLY), [cap(6000, 10000), cap(6000, 10000)],
     [pod(*CPU_ONLY, node="node1"), pod(*CPU_AND_MEMORY, node="node2")], DEFAULT, [50, 75]),
    ("include scalar resource on a node for balanced resource allocation", pod({"memory": "0", "nvidia.com/gpu": "1"}),
     [cap(3500, 40000, **{"nvidia.com/gpu": "8"}), cap(3500, 40000, **{"nvidia.com/gpu": "8"})],
     [pod(*CPU_AND_MEMORY, node="node2"), pod(*CPU_MEMORY_GPU, node="node1")], GPU_SET, [70, 65]),
    ("node without the scalar resource should skip the scalar resource", pod(*CPU_AND_MEMORY),
     [cap(3500, 40000, **{"nvidia.com/gpu": "8"}), cap(3500, 40000)], [], GPU_SET, [63, 63]),
]  # fmt: skip


@pytest.mark.parametrize(
    "name,incoming,capacities,existing,resources,expected", BALANCED, ids=[c[0] for c in BALANCED]
)
def test_node_resources_balanced_allocation(
    name, incoming, capacities, existing, resources, expected
):
    plugin = BalancedAllocation({"resources": resources})
    assert scores(plugin, incoming, infos(_nodes(capacities), existing)) == expected


@pytest.mark.parametrize(
    "resources,message",
    [
        ([{"name": "cpu", "weight": 2}], "resources[0].weight: Invalid value: 2: must be 1"),
        ([{"name": "cpu", "weight": 1}, {"name": "cpu", "weight": 1}],
         'resources[1].name: Duplicate value: "cpu"'),
    ],
)  # fmt: skip
def test_balanced_allocation_args_validation(resources, message):
    """upstream `ValidateNodeResourcesBalancedAllocationArgs` (after v1 defaulting)."""
    with pytest.raises(ValueError) as err:
        BalancedAllocation({"resources": resources})
    assert str(err.value) == message


def test_balanced_allocation_skips_best_effort_pods_in_pre_score():
    from minik8s.scheduler.framework import Code, CycleState
    from minik8s.scheduler.types import PodInfo

    plugin = BalancedAllocation({"resources": DEFAULT})
    nodes = infos(_nodes([cap(4000, 10000), cap(4000, 10000)]))
    status = plugin.pre_score(CycleState(), PodInfo(pod()), nodes)
    assert status is not None and status.code == Code.Skip


# -- the public helpers (DESIGN.md) ------------------------------------------------------------
def test_public_helpers_match_upstream_worked_examples():
    # least_allocated_test.go: CPU (4000-3000)*100/4000 = 25, memory 50 → 37
    assert (
        least_allocated_score(
            {"cpu": 3000, "memory": 5000}, {"cpu": 4000, "memory": 10000}, DEFAULT
        )
        == 37
    )
    # weights memory 2, cpu 1: (25*1 + 50*2) / 3 = 41
    weighted = [{"name": "memory", "weight": 2}, {"name": "cpu", "weight": 1}]
    assert (
        least_allocated_score(
            {"cpu": 3000, "memory": 5000}, {"cpu": 4000, "memory": 10000}, weighted
        )
        == 41
    )
    # requested above capacity scores 0 for that resource
    assert (
        least_allocated_score({"cpu": 6000, "memory": 0}, {"cpu": 4000, "memory": 10000}, DEFAULT)
        == 50
    )
    # most_allocated_test.go: (75 + 50) / 2 = 62; capped at capacity: (100 + 90) / 2 = 95
    assert (
        most_allocated_score({"cpu": 3000, "memory": 5000}, {"cpu": 4000, "memory": 10000}, DEFAULT)
        == 62
    )
    assert (
        most_allocated_score({"cpu": 5000, "memory": 9000}, {"cpu": 5000, "memory": 10000}, DEFAULT)
        == 95
    )
    # balanced_allocation_test.go: std (0.75 - 0.5) / 2 = 0.125 → 87
    assert (
        balanced_allocation_score(
            {"cpu": 3000, "memory": 5000}, {"cpu": 4000, "memory": 10000}, DEFAULT
        )
        == 87
    )
    # three resources: the standard deviation formula → 70
    gpu = {"cpu": 3000, "memory": 5000, "nvidia.com/gpu": 4}
    assert (
        balanced_allocation_score(gpu, {"cpu": 3500, "memory": 40000, "nvidia.com/gpu": 8}, GPU_SET)
        == 70
    )
    # no capacity at all: nothing to score
    assert least_allocated_score({"cpu": 1}, {}, DEFAULT) == 0
    assert most_allocated_score({"cpu": 1}, {}, DEFAULT) == 0


@pytest.mark.parametrize(
    "requested,expected",
    [  # requested_to_capacity_ratio_test.go: shape (0,10) (100,0) is LeastAllocated-like
        ({"cpu": 0, "memory": 0}, 100),
        ({"cpu": 3000, "memory": 5000}, 38),  # cpu 25, memory 50 → round(37.5) = 38
        ({"cpu": 6000, "memory": 5000}, 50),  # over capacity: f(100) = 0 is left out of the mean
    ],
)
def test_requested_to_capacity_ratio(requested, expected):
    shape = [{"utilization": 0, "score": 10}, {"utilization": 100, "score": 0}]
    got = requested_to_capacity_ratio_score(
        requested, {"cpu": 4000, "memory": 10000}, DEFAULT, shape
    )
    assert got == expected


def test_requested_to_capacity_ratio_bin_packing_shape():
    # the MostAllocated-like shape (0,0) (100,10): utilization 75 and 50 → scores 75, 50 → 63
    shape = [{"utilization": 0, "score": 0}, {"utilization": 100, "score": 10}]
    got = requested_to_capacity_ratio_score(
        {"cpu": 3000, "memory": 5000}, {"cpu": 4000, "memory": 10000}, DEFAULT, shape
    )
    assert got == 63


# -- the batch paths give the same numbers as Score node by node ------------------------------
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from minik8s.scheduler.framework import CycleState  # noqa: E402
from minik8s.scheduler.plugins.tainttoleration import TaintToleration  # noqa: E402
from minik8s.scheduler.types import PodInfo  # noqa: E402

quantities = st.sampled_from(["0", "1", "100m", "1500m", "3", "8"])
memories = st.sampled_from(["0", "1Mi", "200Mi", "1Gi", "4Gi"])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(quantities, memories, st.lists(st.tuples(quantities, memories), max_size=3)),
        min_size=1,
        max_size=6,
    ),
    st.tuples(st.sampled_from([None, "0", "250m", "2"]), st.sampled_from([None, "0", "300Mi"])),
    st.sampled_from([[1, 1], [2, 1], [1, 5]]),
)
def test_score_nodes_equals_score(node_specs, incoming_req, weights):
    nodes, existing = [], []
    for i, (cpu, mem, pods) in enumerate(node_specs):
        nodes.append(
            node(
                f"node{i}",
                {"cpu": cpu, "memory": mem},
                taints=[{"key": "k", "effect": "PreferNoSchedule"}] if i % 2 else [],
            )
        )
        existing += [pod({"cpu": c, "memory": m}, node=f"node{i}") for c, m in pods]
    infos_ = infos(nodes, existing)
    request = {k: v for k, v in zip(("cpu", "memory"), incoming_req, strict=True) if v is not None}
    info = PodInfo(pod(request))
    resources = [{"name": "cpu", "weight": weights[0]}, {"name": "memory", "weight": weights[1]}]
    plugins = [
        Fit({"scoringStrategy": {"type": "LeastAllocated", "resources": resources}}),
        BalancedAllocation({}),  # upstream validation: its weights must be 1
        TaintToleration(),
    ]
    for plugin in plugins:
        state = CycleState()
        if plugin.pre_score(state, info, infos_) is not None:
            continue
        assert plugin.score_nodes(state, info, infos_) == [
            plugin.score(state, info, n) for n in infos_
        ]
