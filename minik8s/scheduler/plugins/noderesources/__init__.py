"""NodeResourcesFit and NodeResourcesBalancedAllocation, mirroring
`pkg/scheduler/framework/plugins/noderesources`; the scoring helpers are public."""

from minik8s.scheduler.plugins.noderesources.scoring import (
    balanced_allocation_score,
    least_allocated_score,
    most_allocated_score,
    requested_to_capacity_ratio_score,
)

__all__ = [
    "balanced_allocation_score",
    "least_allocated_score",
    "most_allocated_score",
    "requested_to_capacity_ratio_score",
]
