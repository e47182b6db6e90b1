"""Resource scoring formulas, mirroring `least_allocated.go`, `most_allocated.go`,
`requested_to_capacity_ratio.go` and `balanced_allocation.go` (`balancedResourceScorer`) in
`pkg/scheduler/framework/plugins/noderesources`, with upstream's int64 arithmetic.

The list scorers take parallel lists (requested, allocatable) in the order of the configured
resources, as upstream's do; the public dict helpers DESIGN.md names wrap them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from minik8s.scheduler.framework import MAX_NODE_SCORE
from minik8s.scheduler.plugins.helper import build_broken_linear_function, go_div, go_round

MAX_UTILIZATION = 100
MAX_CUSTOM_PRIORITY_SCORE = 10  # upstream config.MaxCustomPriorityScore
Scorer = Callable[[list[int], list[int]], int]


def least_requested_score(requested: int, capacity: int) -> int:
    """upstream `leastRequestedScore`: unused share of capacity, 0-100."""
    if capacity == 0 or requested > capacity:
        return 0
    return ((capacity - requested) * MAX_NODE_SCORE) // capacity


def most_requested_score(requested: int, capacity: int) -> int:
    """upstream `mostRequestedScore`: used share of capacity, 0-100 (capped at capacity)."""
    if capacity == 0:
        return 0
    requested = min(requested, capacity)
    return (requested * MAX_NODE_SCORE) // capacity


def _weighted(per_resource: Callable[[int, int], int], weights: list[int]) -> Scorer:
    def scorer(requested: list[int], allocatable: list[int]) -> int:
        node_score = weight_sum = 0
        for i, capacity in enumerate(allocatable):
            if capacity == 0:
                continue
            node_score += per_resource(requested[i], capacity) * weights[i]
            weight_sum += weights[i]
        return node_score // weight_sum if weight_sum else 0

    return scorer


def least_resource_scorer(weights: list[int]) -> Scorer:
    """upstream `leastResourceScorer`."""
    return _weighted(least_requested_score, weights)


def most_resource_scorer(weights: list[int]) -> Scorer:
    """upstream `mostResourceScorer`."""
    return _weighted(most_requested_score, weights)


def requested_to_capacity_ratio_scorer(weights: list[int], shape: list[dict[str, Any]]) -> Scorer:
    """upstream `requestedToCapacityRatioScorer`: a broken-linear function of utilization."""
    scale = MAX_NODE_SCORE // MAX_CUSTOM_PRIORITY_SCORE
    points = [(int(p["utilization"]), int(p["score"]) * scale) for p in shape]
    raw = build_broken_linear_function(points)

    def resource_score(requested: int, capacity: int) -> int:
        if capacity == 0 or requested > capacity:
            return int(raw(MAX_UTILIZATION))
        return int(raw(go_div(requested * MAX_UTILIZATION, capacity)))

    def scorer(requested: list[int], allocatable: list[int]) -> int:
        node_score = weight_sum = 0
        for i, capacity in enumerate(allocatable):
            if capacity == 0:
                continue
            score = resource_score(requested[i], capacity)
            if score > 0:
                node_score += score * weights[i]
                weight_sum += weights[i]
        return int(go_round(node_score / weight_sum)) if weight_sum else 0

    return scorer


def balanced_resource_scorer(requested: list[int], allocatable: list[int]) -> int:
    """upstream `balancedResourceScorer`: (1 - std of the used fractions) * 100."""
    fractions = []
    for req, alloc in zip(requested, allocatable, strict=True):
        if alloc == 0:
            continue
        fractions.append(min(req / alloc, 1.0))
    std = 0.0
    if len(fractions) == 2:
        std = abs((fractions[0] - fractions[1]) / 2)
    elif len(fractions) > 2:
        mean = sum(fractions) / len(fractions)
        std = math.sqrt(sum((f - mean) * (f - mean) for f in fractions) / len(fractions))
    return int((1 - std) * MAX_NODE_SCORE)


# -- public helpers (DESIGN.md) ---------------------------------------------------------------
def _lists(
    requested: dict[str, int], allocatable: dict[str, int], resources: list[dict[str, Any]]
) -> tuple[list[int], list[int], list[int]]:
    names = [r["name"] for r in resources]
    weights = [int(r.get("weight", 1)) for r in resources]
    return [requested.get(n, 0) for n in names], [allocatable.get(n, 0) for n in names], weights


def least_allocated_score(
    requested: dict[str, int], allocatable: dict[str, int], resources: list[dict[str, Any]]
) -> int:
    """LeastAllocated node score (0-100) for requested/allocatable maps in base units."""
    req, alloc, weights = _lists(requested, allocatable, resources)
    return least_resource_scorer(weights)(req, alloc)


def most_allocated_score(
    requested: dict[str, int], allocatable: dict[str, int], resources: list[dict[str, Any]]
) -> int:
    """MostAllocated node score (0-100) for requested/allocatable maps in base units."""
    req, alloc, weights = _lists(requested, allocatable, resources)
    return most_resource_scorer(weights)(req, alloc)


def balanced_allocation_score(
    requested: dict[str, int], allocatable: dict[str, int], resources: list[dict[str, Any]]
) -> int:
    """NodeResourcesBalancedAllocation score (0-100); weights are ignored, as upstream."""
    req, alloc, _ = _lists(requested, allocatable, resources)
    return balanced_resource_scorer(req, alloc)


def requested_to_capacity_ratio_score(
    requested: dict[str, int],
    allocatable: dict[str, int],
    resources: list[dict[str, Any]],
    shape: list[dict[str, Any]],
) -> int:
    """RequestedToCapacityRatio score for a `shape` of {utilization, score (0-10)} points."""
    req, alloc, weights = _lists(requested, allocatable, resources)
    return requested_to_capacity_ratio_scorer(weights, shape)(req, alloc)
