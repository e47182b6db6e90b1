"""`pkg/scheduler/framework/plugins/noderesources` least_allocated_test.go, most_allocated_test.go
and balanced_allocation_test.go rows, reduced to the public score helpers.

Each row gives the node's requested total after adding the incoming pod (existing pods plus
the pod, in base units, millicores for cpu) and its allocatable, per node of the upstream case.
As upstream's scorer does, an extended resource the pod does not request is filtered out of
`resources` before the call ("bypass extended resource", "if the node doesn't have a
resource"). Requests are the containers' explicit ones, except MostAllocated's "nonzero request"
row, where each container without requests counts upstream's defaults (100m cpu, 200Mi memory).
tests/scheduler/test_noderesources_scoring.py runs the same tables through the plugins.
"""

from __future__ import annotations

from typing import Any

import pytest

from minik8s.scheduler.plugins.noderesources import (
    balanced_allocation_score,
    least_allocated_score,
    most_allocated_score,
)

DEFAULT = [{"name": "cpu", "weight": 1}, {"name": "memory", "weight": 1}]
EXT, GPU = "intel.com/foo", "nvidia.com/gpu"
WITH_EXT = [*DEFAULT, {"name": EXT, "weight": 1}]
WITH_GPU = [*DEFAULT, {"name": GPU, "weight": 1}]
MEMORY_FIRST = [{"name": "memory", "weight": 2}, {"name": "cpu", "weight": 1}]
MI = 1024 * 1024
Row = tuple[str, list[tuple[dict[str, int], dict[str, int]]], list[dict[str, Any]], list[int]]


def r(cpu: int, memory: int) -> dict[str, int]:
    """A resource map: cpu in millicores, memory in bytes."""
    return {"cpu": cpu, "memory": memory}


def ext(cpu: int, memory: int, amount: int) -> dict[str, int]:
    """A resource map with `amount` of intel.com/foo."""
    return {"cpu": cpu, "memory": memory, EXT: amount}


def gpu(cpu: int, memory: int, amount: int) -> dict[str, int]:
    """A resource map with `amount` of nvidia.com/gpu."""
    return {"cpu": cpu, "memory": memory, GPU: amount}


LEAST: list[Row] = [
    ("nothing scheduled, nothing requested",
     [(r(0, 0), r(4000, 10000)), (r(0, 0), r(4000, 10000))], DEFAULT, [100, 100]),
    ("nothing scheduled, resources requested, differently sized nodes",
     [(r(3000, 5000), r(4000, 10000)), (r(3000, 5000), r(6000, 10000))], DEFAULT, [37, 50]),
    ("Resources not set, pods scheduled with error (upstream: an Error status and MinNodeScore)",
     [(r(3000, 5000), r(4000, 10000)), (r(3000, 5000), r(6000, 10000))], [], [0, 0]),
    ("no resources requested, pods scheduled",
     [(r(0, 0), r(4000, 10000)), (r(0, 0), r(4000, 10000))], DEFAULT, [100, 100]),
    ("no resources requested, pods scheduled with resources",
     [(r(6000, 0), r(10000, 20000)), (r(6000, 5000), r(10000, 20000))], DEFAULT, [70, 57]),
    ("resources requested, pods scheduled with resources",
     [(r(6000, 5000), r(10000, 20000)), (r(6000, 10000), r(10000, 20000))], DEFAULT, [57, 45]),
    ("resources requested, pods scheduled with resources, differently sized nodes",
     [(r(6000, 5000), r(10000, 20000)), (r(6000, 10000), r(10000, 50000))], DEFAULT, [57, 60]),
    ("requested resources exceed node capacity",
     [(r(6000, 0), r(4000, 10000)), (r(6000, 5000), r(4000, 10000))], DEFAULT, [50, 25]),
    ("zero node resources, pods scheduled with resources",
     [(r(3000, 0), {}), (r(3000, 5000), {})], DEFAULT, [0, 0]),
    ("nothing scheduled, resources requested with different weight on CPU and memory, "
     "differently sized nodes",
     [(r(3000, 5000), r(4000, 10000)), (r(3000, 5000), r(6000, 10000))], MEMORY_FIRST, [41, 50]),
    ("bypass extended resource if the pod does not request",
     [(r(3000, 5000), r(6000, 10000)), (r(3000, 5000), ext(6000, 10000, 4))], DEFAULT, [50, 50]),
    ("honor extended resource if the pod requests",
     [(ext(3000, 5000, 2), ext(6000, 10000, 4)), (ext(3000, 5000, 2), ext(6000, 10000, 10))],
     WITH_EXT, [50, 60]),
    ("if the node doesn't have a resource",
     [(r(3000, 4000), r(6000, 10000)), (r(3000, 4000), ext(6000, 10000, 4))], DEFAULT, [55, 55]),
]  # fmt: skip

MOST: list[Row] = [
    ("nothing scheduled, nothing requested",
     [(r(0, 0), r(4000, 10000)), (r(0, 0), r(4000, 10000))], DEFAULT, [0, 0]),
    ("nothing scheduled, resources requested, differently sized nodes",
     [(r(3000, 5000), r(4000, 10000)), (r(3000, 5000), r(6000, 10000))], DEFAULT, [62, 50]),
    ("no resources requested, pods scheduled with resources",
     [(r(6000, 0), r(10000, 20000)), (r(6000, 5000), r(10000, 20000))], DEFAULT, [30, 42]),
    ("resources requested, pods scheduled with resources",
     [(r(6000, 5000), r(10000, 20000)), (r(6000, 10000), r(10000, 20000))], DEFAULT, [42, 55]),
    ("resources requested equal node capacity",
     [(r(5000, 9000), r(5000, 10000)), (r(5000, 9000), r(10000, 9000))], DEFAULT, [95, 75]),
    ("nothing scheduled, resources requested, differently sized nodes (weights)",
     [(r(3000, 5000), r(4000, 10000)), (r(3000, 5000), r(6000, 10000))], MEMORY_FIRST, [58, 50]),
    ("no resources requested, pods scheduled, nonzero request for resource",
     [(r(300, 600 * MI), r(250, 1000 * MI)), (r(100, 200 * MI), r(250, 1000 * MI))],
     DEFAULT, [80, 30]),
    ("bypass extended resource if the pod does not request",
     [(r(3000, 5000), r(6000, 10000)), (r(3000, 5000), ext(6000, 10000, 4))], DEFAULT, [50, 50]),
    ("honor extended resource if the pod request",
     [(ext(3000, 5000, 2), ext(6000, 10000, 4)), (ext(3000, 5000, 2), ext(6000, 10000, 10))],
     WITH_EXT, [50, 40]),
    ("if the node doesn't have a resource",
     [(r(3000, 4000), r(6000, 10000)), (r(3000, 4000), ext(6000, 10000, 4))], DEFAULT, [45, 45]),
]  # fmt: skip

BALANCED: list[Row] = [
    ("nothing scheduled, resources requested, differently sized nodes",
     [(r(3000, 5000), r(4000, 10000)), (r(3000, 5000), r(6000, 10000))], DEFAULT, [87, 100]),
    ("resources requested, pods scheduled with resources",
     [(r(6000, 5000), r(10000, 20000)), (r(6000, 10000), r(10000, 20000))], DEFAULT, [82, 95]),
    ("resources requested, pods scheduled with resources, differently sized nodes",
     [(r(6000, 5000), r(10000, 20000)), (r(6000, 10000), r(10000, 50000))], DEFAULT, [82, 80]),
    ("requested resources at node capacity",
     [(r(6000, 0), r(6000, 10000)), (r(6000, 5000), r(6000, 10000))], DEFAULT, [50, 75]),
    ("include scalar resource on a node for balanced resource allocation",
     [(gpu(3000, 5000, 4), gpu(3500, 40000, 8)), (gpu(3000, 5000, 1), gpu(3500, 40000, 8))],
     WITH_GPU, [70, 65]),
    ("node without the scalar resource should skip the scalar resource",
     [(r(3000, 5000), gpu(3500, 40000, 8)), (r(3000, 5000), r(3500, 40000))], DEFAULT, [63, 63]),
    ("resources requested, pods scheduled with resources if PreScore not called",
     [(r(6000, 5000), r(10000, 20000)), (r(6000, 10000), r(10000, 20000))], DEFAULT, [82, 95]),
]  # fmt: skip

# "include DRA resource on a node for balanced resource allocation" (with and without PreScore):
# node1 has 8 devices of the DRA-backed extended resource, node2 none (so it is filtered out).
BALANCED_DRA: list[Row] = [
    ("include DRA resource on a node for balanced resource allocation",
     [(gpu(3000, 0, 1), gpu(3500, 40000, 8)), (r(3000, 5000), r(3500, 40000))], WITH_GPU, [62, 63]),
]  # fmt: skip


def _check(score: Any, nodes: list[tuple[dict[str, int], dict[str, int]]], resources: Any) -> list:
    return [score(requested, allocatable, resources) for requested, allocatable in nodes]


@pytest.mark.parametrize(
    ("name", "nodes", "resources", "expected"), LEAST, ids=[c[0] for c in LEAST]
)
def test_least_allocated(name: str, nodes: Any, resources: Any, expected: list[int]) -> None:
    """least_allocated_test.go TestLeastAllocatedScoringStrategy."""
    assert _check(least_allocated_score, nodes, resources) == expected


@pytest.mark.parametrize(("name", "nodes", "resources", "expected"), MOST, ids=[c[0] for c in MOST])
def test_most_allocated(name: str, nodes: Any, resources: Any, expected: list[int]) -> None:
    """most_allocated_test.go TestMostAllocatedScoringStrategy."""
    assert _check(most_allocated_score, nodes, resources) == expected


@pytest.mark.parametrize(
    ("name", "nodes", "resources", "expected"),
    BALANCED + BALANCED_DRA,
    ids=[c[0] for c in BALANCED + BALANCED_DRA],
)
def test_balanced_allocation(name: str, nodes: Any, resources: Any, expected: list[int]) -> None:
    """balanced_allocation_test.go TestNodeResourcesBalancedAllocation."""
    assert _check(balanced_allocation_score, nodes, resources) == expected
