"""NodeAffinity, mirroring `pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go`.

Filter: `spec.nodeSelector` and required node affinity must match the node's labels
(matchFields: `metadata.name`). PreFilter narrows the nodes when every term names nodes.
Score: the sum of the weights of the preferred terms that match, normalized to 0-100.
Left out: the plugin args' `addedAffinity`.
"""

from __future__ import annotations

from typing import Any

from minik8s.scheduler.affinity import RequiredNodeAffinity, preferred_scheduling_terms
from minik8s.scheduler.framework import (
    NODE,
    SKIP,
    ActionType,
    ClusterEvent,
    CycleState,
    Status,
    unresolvable,
)
from minik8s.scheduler.plugins.helper import default_normalize_score
from minik8s.scheduler.types import NodeInfo, PodInfo

NAME = "NodeAffinity"
ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector"
ERR_REASON_CONFLICT = "pod affinity terms conflict"
PRE_FILTER_STATE_KEY = "PreFilter" + NAME
PRE_SCORE_STATE_KEY = "PreScore" + NAME


def _node_names(pod: PodInfo) -> tuple[set[str] | None, Status | None]:
    """The `metadata.name In (...)` nodes every required term is limited to, if all are."""
    affinity = (pod.spec.get("affinity") or {}).get("nodeAffinity") or {}
    required = affinity.get("requiredDuringSchedulingIgnoredDuringExecution") or {}
    terms = required.get("nodeSelectorTerms") or []
    if not terms:
        return None, None
    names: set[str] = set()
    for term in terms:
        term_names: set[str] | None = None
        for req in term.get("matchFields") or []:
            if req.get("key") == "metadata.name" and req.get("operator") == "In":
                values = set(req.get("values") or [])
                term_names = values if term_names is None else term_names & values
        if term_names is None:
            return None, None
        names |= term_names
    if not names:
        return None, unresolvable(ERR_REASON_CONFLICT)
    return names, None


class NodeAffinity:
    """Filter + Score on node labels."""

    name = NAME

    def __repr__(self) -> str:
        return NAME

    def events_to_register(self) -> list[ClusterEvent]:
        return [ClusterEvent(NODE, ActionType.Add | ActionType.UpdateNodeLabel)]

    def pre_filter(
        self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]
    ) -> tuple[set[str] | None, Status | None]:
        required = RequiredNodeAffinity(pod.pod)
        if required.empty():
            return None, SKIP
        state.write(PRE_FILTER_STATE_KEY, required)
        return _node_names(pod)

    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        try:
            required = state.read(PRE_FILTER_STATE_KEY)
        except KeyError:
            required = RequiredNodeAffinity(pod.pod)
        if required.match(node.name, node.labels):
            return None
        return unresolvable(ERR_REASON_POD)

    def pre_score(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> Status | None:
        terms = preferred_scheduling_terms(pod.pod)
        if not terms:
            return SKIP
        state.write(PRE_SCORE_STATE_KEY, terms)
        return None

    def score(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> int:
        try:
            terms = state.read(PRE_SCORE_STATE_KEY)
        except KeyError:
            terms = preferred_scheduling_terms(pod.pod)
        return sum(weight for weight, term in terms if term.matches(node.name, node.labels))

    def normalize_score(self, state: CycleState, pod: PodInfo, scores: list[int]) -> None:
        default_normalize_score(scores, reverse=False)

    def normalizes_by_value(self, state: CycleState) -> bool:
        """NormalizeScore maps each score by the highest score: it may get distinct scores."""
        return True


def new(args: dict[str, Any], handle: Any) -> NodeAffinity:
    return NodeAffinity()
