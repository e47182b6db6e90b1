"""The shared scorer of NodeResourcesFit and BalancedAllocation, mirroring
`pkg/scheduler/framework/plugins/noderesources/resource_allocation.go`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from minik8s.scheduler.framework import MAX_NODE_SCORE
from minik8s.scheduler.plugins.noderesources.scoring import (
    Scorer,
    balanced_resource_scorer,
    least_resource_scorer,
)
from minik8s.scheduler.types import NodeInfo, PodInfo, is_scalar_resource_name, pod_requests

Batch = Callable[[list[NodeInfo], int, int], list[int]]
DEFAULT_RESOURCES = [{"name": "cpu", "weight": 1}, {"name": "memory", "weight": 1}]


def validate_resources(resources: list[dict[str, Any]], path: str = "resources") -> None:
    """upstream `validateResources`: weights in 1..100 (ValueError in upstream's words)."""
    for i, res in enumerate(resources):
        weight = res.get("weight", 0)
        if not 1 <= weight <= 100:
            raise ValueError(
                f"{path}[{i}].weight: Invalid value: {weight}: "
                f"resource weight of {res.get('name')} should be in range [1, 100]"
            )


class ResourceAllocationScorer:
    """upstream `resourceAllocationScorer`: builds the requested/allocatable lists per node.

    `batch`, when given, scores many nodes at once for the cpu+memory case (same numbers).
    """

    def __init__(
        self,
        scorer: Scorer,
        resources: list[dict[str, Any]],
        use_requested: bool,
        batch: Batch | None = None,
    ):
        self.scorer = scorer
        self.batch = batch
        self.resources = [r["name"] for r in resources]
        self.use_requested = use_requested
        self.cpu_memory = self.resources == ["cpu", "memory"]

    def __repr__(self) -> str:
        mode = "requested" if self.use_requested else "non-zero requested"
        return f"ResourceAllocationScorer({','.join(self.resources)} {mode})"

    def score_nodes(self, nodes: list[NodeInfo], requests: list[int]) -> list[int]:
        """`score` for every node."""
        if self.cpu_memory and self.batch is not None:
            return self.batch(nodes, requests[0], requests[1])
        return [self.score(node, requests) for node in nodes]

    def pod_request_list(self, pod: PodInfo) -> list[int]:
        """upstream `calculatePodResourceRequestList` (non-zero defaults unless use_requested)."""
        if self.use_requested:
            requests = {n: pod.requests.get(n) for n in self.resources}
        elif self.cpu_memory:
            return [pod.non_zero_cpu, pod.non_zero_memory]
        else:
            requests = pod_requests(pod.pod, non_missing=True)
        return [requests.get(n, 0) for n in self.resources]

    def score(self, node: NodeInfo, pod_requests_list: list[int]) -> int:
        """upstream `resourceAllocationScorer.score`."""
        if self.cpu_memory:  # the common case, unrolled
            alloc = node.allocatable
            if self.use_requested:
                cpu, mem = node.requested.milli_cpu, node.requested.memory
            else:
                cpu, mem = node.non_zero_cpu, node.non_zero_memory
            requested = [cpu + pod_requests_list[0], mem + pod_requests_list[1]]
            return self.scorer(requested, [alloc.milli_cpu, alloc.memory])
        n = len(self.resources)
        requested, allocatable = [0] * n, [0] * n
        for i, name in enumerate(self.resources):
            capacity, req = self._allocatable_request(node, name, pod_requests_list[i])
            if capacity:
                allocatable[i], requested[i] = capacity, req
        return self.scorer(requested, allocatable)

    def _allocatable_request(self, node: NodeInfo, name: str, pod_request: int) -> tuple[int, int]:
        """upstream `calculateResourceAllocatableRequest`."""
        if pod_request == 0 and is_scalar_resource_name(name):
            return 0, 0
        if name == "cpu":
            used = node.requested.milli_cpu if self.use_requested else node.non_zero_cpu
            return node.allocatable.milli_cpu, used + pod_request
        if name == "memory":
            used = node.requested.memory if self.use_requested else node.non_zero_memory
            return node.allocatable.memory, used + pod_request
        if name == "ephemeral-storage":
            return (
                node.allocatable.ephemeral_storage,
                node.requested.ephemeral_storage + pod_request,
            )
        if name in node.allocatable.scalar:
            return node.allocatable.scalar[name], node.requested.scalar.get(name, 0) + pod_request
        return 0, 0


def least_allocated_batch(w_cpu: int, w_memory: int) -> Batch:
    """`leastResourceScorer` on cpu and memory (non-zero requests) for many nodes, unrolled."""
    weight_sum = w_cpu + w_memory
    generic = least_resource_scorer([w_cpu, w_memory])

    def batch(nodes: list[NodeInfo], cpu: int, memory: int) -> list[int]:
        scores: list[int] = []
        append = scores.append
        for node in nodes:
            ac, am = node.alloc_cpu, node.alloc_memory
            rc, rm = node.non_zero_cpu + cpu, node.non_zero_memory + memory
            if ac and am:
                sc = (ac - rc) * MAX_NODE_SCORE // ac if rc <= ac else 0
                sm = (am - rm) * MAX_NODE_SCORE // am if rm <= am else 0
                append((sc * w_cpu + sm * w_memory) // weight_sum)
            else:
                append(generic([rc, rm], [ac, am]))
        return scores

    return batch


def balanced_allocation_batch(nodes: list[NodeInfo], cpu: int, memory: int) -> list[int]:
    """`balancedResourceScorer` on cpu and memory (actual requests) for many nodes, unrolled."""
    scores: list[int] = []
    append = scores.append
    for node in nodes:
        ac, am = node.alloc_cpu, node.alloc_memory
        rc, rm = node.req_cpu + cpu, node.req_memory + memory
        if ac and am:
            fc = rc / ac if rc < ac else 1.0
            fm = rm / am if rm < am else 1.0
            append(int((1 - abs((fc - fm) / 2)) * MAX_NODE_SCORE))
        else:
            append(balanced_resource_scorer([rc, rm], [ac, am]))
    return scores
