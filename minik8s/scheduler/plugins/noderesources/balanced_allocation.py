"""NodeResourcesBalancedAllocation, mirroring
`pkg/scheduler/framework/plugins/noderesources/balanced_allocation.go`.

Score: (1 - standard deviation of the requested/allocatable fractions) * 100, on the pods'
actual requests (upstream's `useRequested`); best-effort pods are skipped in PreScore.
"""

from __future__ import annotations

from typing import Any

from minik8s.scheduler.framework import SKIP, CycleState, Status
from minik8s.scheduler.plugins.noderesources.resource_allocation import (
    DEFAULT_RESOURCES,
    ResourceAllocationScorer,
    validate_balanced_resources,
)
from minik8s.scheduler.plugins.noderesources.scoring import balanced_resource_scorer
from minik8s.scheduler.types import NodeInfo, PodInfo

NAME = "NodeResourcesBalancedAllocation"
PRE_SCORE_STATE_KEY = "PreScore" + NAME


class BalancedAllocation:
    """PreScore + Score favouring nodes whose resources are used evenly."""

    name = NAME

    def __init__(self, args: dict[str, Any]) -> None:
        resources = args.get("resources") or DEFAULT_RESOURCES
        validate_balanced_resources(resources)
        self.scorer = ResourceAllocationScorer(
            balanced_resource_scorer, resources, use_requested=True
        )

    def __repr__(self) -> str:
        return NAME

    def pre_score(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> Status | None:
        requests = self.scorer.pod_request_list(pod)
        if not any(requests):
            return SKIP
        state.write(PRE_SCORE_STATE_KEY, requests)
        return None

    def score(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> int:
        try:
            requests = state.read(PRE_SCORE_STATE_KEY)
        except KeyError:
            requests = self.scorer.pod_request_list(pod)
            if not any(requests):
                return 0
        return self.scorer.score(node, requests)

    def score_nodes(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> list[int]:
        """`score` for every node at once (same results, fewer calls)."""
        return self.scorer.score_nodes(nodes, state.read(PRE_SCORE_STATE_KEY))


def new(args: dict[str, Any], handle: Any) -> BalancedAllocation:
    return BalancedAllocation(args)
