"""NodeResourcesFit, mirroring `pkg/scheduler/framework/plugins/noderesources/fit.go`.

Filter: the pod's requests must fit in allocatable minus what the node's pods request
("Insufficient cpu", "Insufficient memory", "Too many pods"…; every failing resource is a
reason). Score: the scoring strategy, `LeastAllocated` (default), `MostAllocated` or
`RequestedToCapacityRatio`, over weighted resources with non-zero default requests.
Left out: DRA extended resources, pod-level resources, in-place resize.
"""

from __future__ import annotations

from typing import Any

from minik8s.scheduler.framework import (
    NODE,
    POD,
    ActionType,
    ClusterEvent,
    Code,
    CycleState,
    Status,
)
from minik8s.scheduler.plugins.noderesources.resource_allocation import (
    DEFAULT_RESOURCES,
    ResourceAllocationScorer,
    validate_resources,
)
from minik8s.scheduler.plugins.noderesources.scoring import (
    least_resource_scorer,
    most_resource_scorer,
    requested_to_capacity_ratio_scorer,
)
from minik8s.scheduler.types import NodeInfo, PodInfo, Resource, is_extended_resource_name

NAME = "NodeResourcesFit"
LEAST_ALLOCATED, MOST_ALLOCATED = "LeastAllocated", "MostAllocated"
REQUESTED_TO_CAPACITY_RATIO = "RequestedToCapacityRatio"
PRE_SCORE_STATE_KEY = "PreScore" + NAME
MAX_FITS = 1 << 12  # pod requests, and free-resources states per request, remembered
DEFAULT_SHAPE = [{"utilization": 0, "score": 10}, {"utilization": 100, "score": 0}]


def fits_request(
    request: Resource,
    node: NodeInfo,
    ignored: frozenset[str] = frozenset(),
    ignored_groups: frozenset[str] = frozenset(),
) -> list[tuple[str, str, bool]]:
    """upstream `fitsRequest`: (resource, reason, unresolvable) for each shortfall. Only
    extended resources can be ignored: by exact name (`ignoredResources`) or by the domain
    before the `/` (`ignoredResourceGroups`)."""
    insufficient = []
    alloc, used = node.allocatable, node.requested
    if len(node.pods) + 1 > alloc.allowed_pod_number:
        insufficient.append(("pods", "Too many pods", False))
    cpu, mem, eph = request.milli_cpu, request.memory, request.ephemeral_storage
    if cpu == 0 and mem == 0 and eph == 0 and not request.scalar:
        return insufficient
    if cpu > 0 and cpu > alloc.milli_cpu - used.milli_cpu:
        insufficient.append(("cpu", "Insufficient cpu", cpu > alloc.milli_cpu))
    if mem > 0 and mem > alloc.memory - used.memory:
        insufficient.append(("memory", "Insufficient memory", mem > alloc.memory))
    if eph > 0 and eph > alloc.ephemeral_storage - used.ephemeral_storage:
        reason = "Insufficient ephemeral-storage"
        insufficient.append(("ephemeral-storage", reason, eph > alloc.ephemeral_storage))
    for name, quantity in request.scalar.items():
        if quantity == 0:
            continue
        if is_extended_resource_name(name) and (
            name in ignored or name.split("/")[0] in ignored_groups
        ):
            continue
        have = alloc.scalar.get(name, 0)
        if quantity > have - used.scalar.get(name, 0):
            insufficient.append((name, f"Insufficient {name}", quantity > have))
    return insufficient


def validate_ignored_resource_groups(args: dict[str, Any]) -> list[str]:
    """upstream `ValidateNodeResourcesFitArgs` on `ignoredResourceGroups` (ValueError)."""
    groups: list[str] = list(args.get("ignoredResourceGroups") or [])
    for i, group in enumerate(groups):
        if "/" in group:
            raise ValueError(
                f'ignoredResourceGroups[{i}]: Invalid value: "{group}": '
                "resource group name can't contain '/'"
            )
    return groups


def _scorer(strategy: dict[str, Any]) -> ResourceAllocationScorer:
    kind = strategy.get("type") or LEAST_ALLOCATED
    resources: list[dict[str, Any]] = strategy.get("resources") or DEFAULT_RESOURCES
    validate_resources(resources, "scoringStrategy.resources")
    weights = [int(r["weight"]) for r in resources]
    if kind == LEAST_ALLOCATED:
        scorer = least_resource_scorer(weights)
    elif kind == MOST_ALLOCATED:
        scorer = most_resource_scorer(weights)
    elif kind == REQUESTED_TO_CAPACITY_RATIO:
        shape = (strategy.get("requestedToCapacityRatio") or {}).get("shape") or DEFAULT_SHAPE
        scorer = requested_to_capacity_ratio_scorer(weights, shape)
    else:
        raise ValueError(f"scoringStrategy.type: Unsupported value: {kind!r}")
    return ResourceAllocationScorer(scorer, resources, use_requested=False)


class Fit:
    """PreFilter + Filter + PreScore + Score on resource requests."""

    name = NAME

    def __init__(self, args: dict[str, Any]) -> None:
        strategy = args.get("scoringStrategy") or {}
        self.strategy = strategy.get("type") or LEAST_ALLOCATED
        self.scorer = _scorer(strategy)
        self.ignored = frozenset(args.get("ignoredResources") or [])
        self.ignored_groups = frozenset(validate_ignored_resource_groups(args))
        self._fits: dict[tuple[int, int], dict[tuple[int, ...], bool]] = {}

    def __repr__(self) -> str:
        return f"{NAME}({self.strategy})"

    def events_to_register(self) -> list[ClusterEvent]:
        return [
            ClusterEvent(POD, ActionType.Delete | ActionType.UpdatePodScaleDown),
            ClusterEvent(
                NODE,
                ActionType.Add
                | ActionType.UpdateNodeAllocatable
                | ActionType.UpdateNodeTaint
                | ActionType.UpdateNodeLabel,
            ),
        ]

    def filter_nodes(
        self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]
    ) -> list[Status | None]:
        """`filter` for a batch of nodes: cpu, memory and pod count by the node's free
        resources (`NodeInfo.free_key`), remembered per pod request."""
        request = pod.requests
        if request.scalar or request.ephemeral_storage:
            return [self.filter(state, pod, n) for n in nodes]
        fits = self._fits.get((request.milli_cpu, request.memory))
        if fits is None or len(fits) > MAX_FITS:
            if len(self._fits) > MAX_FITS:
                self._fits.clear()
            fits = self._fits[(request.milli_cpu, request.memory)] = {}
        try:
            verdicts = [fits[n.free_key] for n in nodes]
        except KeyError:  # a free-resources state not seen with this request yet
            for key in {n.free_key for n in nodes} - fits.keys():
                cpu, memory, pods = key
                fits[key] = request.milli_cpu <= cpu and request.memory <= memory and pods > 0
            verdicts = [fits[n.free_key] for n in nodes]
        if all(verdicts):
            return [None] * len(nodes)
        check = self.filter
        return [None if ok else check(state, pod, n) for ok, n in zip(verdicts, nodes, strict=True)]

    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        request, alloc, used = pod.requests, node.allocatable, node.requested
        if (  # the common case first: everything fits
            len(node.pods) < alloc.allowed_pod_number
            and request.milli_cpu <= alloc.milli_cpu - used.milli_cpu
            and request.memory <= alloc.memory - used.memory
            and request.ephemeral_storage <= alloc.ephemeral_storage - used.ephemeral_storage
            and not request.scalar
        ):
            return None
        insufficient = fits_request(pod.requests, node, self.ignored, self.ignored_groups)
        if not insufficient:
            return None
        unresolvable = any(u for _, _, u in insufficient)
        code = Code.UnschedulableAndUnresolvable if unresolvable else Code.Unschedulable
        return Status(code, *(reason for _, reason, _ in insufficient))

    def pre_score(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> Status | None:
        state.write(PRE_SCORE_STATE_KEY, self.scorer.pod_request_list(pod))
        return None

    def score(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> int:
        try:
            requests = state.read(PRE_SCORE_STATE_KEY)
        except KeyError:
            requests = self.scorer.pod_request_list(pod)
        return self.scorer.score(node, requests)

    def score_nodes(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> list[int]:
        """`score` for every node at once (same results, fewer calls)."""
        return self.scorer.score_nodes(nodes, state.read(PRE_SCORE_STATE_KEY))


def new(args: dict[str, Any], handle: Any) -> Fit:
    return Fit(args)
