"""The shared scorer of NodeResourcesFit and BalancedAllocation, mirroring
`pkg/scheduler/framework/plugins/noderesources/resource_allocation.go`.

On cpu and memory (the default resources) a node's score is a function of four numbers:
its allocatable cpu and memory and what its pods request of them. A memo per pod request keeps
that function's values (node key → score), so scoring hundreds of nodes that look alike (most
nodes of a cluster) computes each distinct score once; each node carries its four numbers as
`NodeInfo.non_zero_key` / `requested_key`.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from minik8s.scheduler.plugins.noderesources.scoring import Scorer
from minik8s.scheduler.types import (
    NodeInfo,
    NodeKey,
    PodInfo,
    is_scalar_resource_name,
    pod_requests,
)

MAX_MEMOS = 64  # distinct pod requests remembered
MAX_MEMO_SIZE = 1 << 14  # distinct node keys remembered per pod request
DEFAULT_RESOURCES = [{"name": "cpu", "weight": 1}, {"name": "memory", "weight": 1}]


def validate_resources(resources: list[dict[str, Any]], path: str = "resources") -> None:
    """upstream `validateResources`: weights in (0, 100] (ValueError in upstream's words);
    the configuration's defaulting (`Profile.from_config`) has turned a weight 0 into 1."""
    for i, res in enumerate(resources):
        weight = res.get("weight", 0)
        if not 0 < weight <= 100:
            raise ValueError(
                f"{path}[{i}].weight: Invalid value: {weight}: "
                f"resource weight of {res.get('name')} not in valid range (0, 100]"
            )


def validate_balanced_resources(resources: list[dict[str, Any]]) -> None:
    """upstream `ValidateNodeResourcesBalancedAllocationArgs`: names unique, weights 1."""
    seen: set[str] = set()
    for i, res in enumerate(resources):
        name = res.get("name")
        if name in seen:
            raise ValueError(f'resources[{i}].name: Duplicate value: "{name}"')
        seen.add(str(name))
        if res.get("weight") != 1:
            raise ValueError(
                f"resources[{i}].weight: Invalid value: {res.get('weight')}: must be 1"
            )


class ResourceAllocationScorer:
    """upstream `resourceAllocationScorer`: builds the requested/allocatable lists per node."""

    def __init__(self, scorer: Scorer, resources: list[dict[str, Any]], use_requested: bool):
        self.scorer = scorer
        self.resources = [r["name"] for r in resources]
        self.use_requested = use_requested
        self.cpu_memory = self.resources == ["cpu", "memory"]
        self.node_key = attrgetter("requested_key" if use_requested else "non_zero_key")
        self._memos: dict[tuple[int, int], dict[NodeKey, int]] = {}

    def __repr__(self) -> str:
        mode = "requested" if self.use_requested else "non-zero requested"
        return f"ResourceAllocationScorer({','.join(self.resources)} {mode})"

    def score_nodes(self, nodes: list[NodeInfo], requests: list[int]) -> list[int]:
        """`score` for every node (cpu and memory: from the memo of this pod request)."""
        if not self.cpu_memory:
            return [self.score(node, requests) for node in nodes]
        memo = self._memo(requests[0], requests[1])
        try:
            if self.use_requested:
                return [memo[n.requested_key] for n in nodes]
            return [memo[n.non_zero_key] for n in nodes]
        except KeyError:  # a node state not seen with this request yet
            for key in map(self.node_key, nodes):
                if key not in memo:
                    alloc_cpu, alloc_memory, used_cpu, used_memory = key
                    requested = [used_cpu + requests[0], used_memory + requests[1]]
                    memo[key] = self.scorer(requested, [alloc_cpu, alloc_memory])
            return [memo[key] for key in map(self.node_key, nodes)]

    def _memo(self, cpu: int, memory: int) -> dict[NodeKey, int]:
        memo = self._memos.get((cpu, memory))
        if memo is None or len(memo) > MAX_MEMO_SIZE:
            if len(self._memos) >= MAX_MEMOS:
                self._memos.clear()
            memo = self._memos[(cpu, memory)] = {}
        return memo

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
