"""InterPodAffinity, mirroring `pkg/scheduler/framework/plugins/interpodaffinity`
(filtering.go, scoring.go).

Filter: the pod's required affinity terms need a matching pod in the node's topology domain
(or, for the first pod of a group, the pod matching its own terms); its required anti-affinity
terms and the existing pods' required anti-affinity terms must not be violated. Score: the
weights of preferred terms (both directions) and of existing pods' required affinity
(`hardPodAffinityWeight`) summed per topology domain, normalized to 0-100.
"""

from __future__ import annotations

from typing import Any

from minik8s.scheduler.affinity import AffinityTerm
from minik8s.scheduler.framework import (
    MAX_NODE_SCORE,
    NODE,
    POD,
    SKIP,
    ActionType,
    ClusterEvent,
    CycleState,
    Status,
    unresolvable,
    unschedulable,
)
from minik8s.scheduler.types import NodeInfo, PodInfo

NAME = "InterPodAffinity"
ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules"
ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules"
ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules"
PRE_FILTER_STATE_KEY = "PreFilter" + NAME
PRE_SCORE_STATE_KEY = "PreScore" + NAME
Counts = dict[tuple[str, str], int]


class InterPodAffinity:
    """PreFilter + Filter + PreScore + Score + NormalizeScore on pod (anti-)affinity."""

    name = NAME

    def __init__(self, args: dict[str, Any], handle: Any) -> None:
        self.handle = handle
        self.hard_pod_affinity_weight = int(args.get("hardPodAffinityWeight", 1))
        self.ignore_preferred_terms_of_existing_pods = bool(
            args.get("ignorePreferredTermsOfExistingPods", False)
        )

    def __repr__(self) -> str:
        return NAME

    def events_to_register(self) -> list[ClusterEvent]:
        return [
            ClusterEvent(POD, ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete),
            ClusterEvent(NODE, ActionType.Add | ActionType.UpdateNodeLabel),
        ]

    def _matches(self, term: AffinityTerm, pod: PodInfo) -> bool:
        ns_labels = (
            {}
            if term.namespace_selector.matches_nothing()
            else (self.handle.namespace_labels(pod.namespace))
        )
        return term.matches(pod.namespace, pod.labels, ns_labels)

    def _matches_all(self, terms: list[AffinityTerm], pod: PodInfo) -> bool:
        return bool(terms) and all(self._matches(t, pod) for t in terms)

    # -- filtering ----------------------------------------------------------------------------
    def pre_filter(
        self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]
    ) -> tuple[set[str] | None, Status | None]:
        snapshot = self.handle.snapshot
        existing: Counts = {}
        for node in snapshot.have_pods_with_required_anti_affinity_list:
            for other in node.pods_with_required_anti_affinity.values():
                for term in other.required_anti_affinity_terms:
                    value = node.labels.get(term.topology_key)
                    if value is not None and self._matches(term, pod):
                        pair = (term.topology_key, value)
                        existing[pair] = existing.get(pair, 0) + 1
        affinity: Counts = {}
        anti: Counts = {}
        terms, anti_terms = pod.required_affinity_terms, pod.required_anti_affinity_terms
        if terms or anti_terms:
            for node in snapshot.node_info_list:
                for other in node.pods.values():
                    if self._matches_all(terms, other):
                        _update(affinity, node, terms)
                    _update(anti, node, [t for t in anti_terms if self._matches(t, other)])
        if not existing and not terms and not anti_terms:
            return None, SKIP
        state.write(PRE_FILTER_STATE_KEY, (existing, affinity, anti))
        return None, None

    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        existing, affinity, anti = state.read(PRE_FILTER_STATE_KEY)
        if not self._satisfy_pod_affinity(pod, affinity, node):
            return unresolvable(ERR_REASON_AFFINITY)
        if anti:
            for term in pod.required_anti_affinity_terms:
                value = node.labels.get(term.topology_key)
                if value is not None and anti.get((term.topology_key, value), 0) > 0:
                    return unschedulable(ERR_REASON_ANTI_AFFINITY)
        if existing:
            for pair in node.labels.items():
                if existing.get(pair, 0) > 0:
                    return unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY)
        return None

    def _satisfy_pod_affinity(self, pod: PodInfo, affinity: Counts, node: NodeInfo) -> bool:
        """upstream `satisfyPodAffinity`."""
        pods_exist = True
        for term in pod.required_affinity_terms:
            value = node.labels.get(term.topology_key)
            if value is None:
                return False
            if affinity.get((term.topology_key, value), 0) <= 0:
                pods_exist = False
        if not pods_exist:
            return not affinity and self._matches_all(pod.required_affinity_terms, pod)
        return True

    # -- scoring ------------------------------------------------------------------------------
    def pre_score(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> Status | None:
        if not nodes:
            return None
        has_constraints = bool(pod.preferred_affinity_terms or pod.preferred_anti_affinity_terms)
        if self.ignore_preferred_terms_of_existing_pods and not has_constraints:
            return SKIP
        snapshot = self.handle.snapshot
        all_nodes = (
            snapshot.node_info_list if has_constraints else snapshot.have_pods_with_affinity_list
        )
        scores: dict[tuple[str, str], int] = {}
        for node in all_nodes:
            if not node.labels:
                continue
            pods = node.pods if has_constraints else node.pods_with_affinity
            for other in pods.values():
                self._process_existing_pod(scores, pod, other, node)
        if not scores:
            return SKIP
        state.write(PRE_SCORE_STATE_KEY, scores)
        return None

    def _process_existing_pod(
        self, scores: dict[tuple[str, str], int], pod: PodInfo, other: PodInfo, node: NodeInfo
    ) -> None:
        """upstream `processExistingPod`."""
        for weight, term in pod.preferred_affinity_terms:
            _add_score(scores, node, term, weight if self._matches(term, other) else 0)
        for weight, term in pod.preferred_anti_affinity_terms:
            _add_score(scores, node, term, -weight if self._matches(term, other) else 0)
        if self.hard_pod_affinity_weight > 0:
            for term in other.required_affinity_terms:
                if self._matches(term, pod):
                    _add_score(scores, node, term, self.hard_pod_affinity_weight)
        for weight, term in other.preferred_affinity_terms:
            _add_score(scores, node, term, weight if self._matches(term, pod) else 0)
        for weight, term in other.preferred_anti_affinity_terms:
            _add_score(scores, node, term, -weight if self._matches(term, pod) else 0)

    def score(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> int:
        scores = state.read(PRE_SCORE_STATE_KEY)
        return sum(scores.get(pair, 0) for pair in node.labels.items())

    def normalize_score(self, state: CycleState, pod: PodInfo, scores: list[int]) -> None:
        if not scores:
            return
        low, high = min(scores), max(scores)
        diff = high - low
        for i, score in enumerate(scores):
            scores[i] = int(MAX_NODE_SCORE * ((score - low) / diff)) if diff > 0 else 0

    def normalizes_by_value(self, state: CycleState) -> bool:
        """NormalizeScore maps each score by the lowest and highest: it may get distinct ones."""
        return True


def _update(counts: Counts, node: NodeInfo, terms: list[AffinityTerm]) -> None:
    for term in terms:
        value = node.labels.get(term.topology_key)
        if value is not None:
            pair = (term.topology_key, value)
            counts[pair] = counts.get(pair, 0) + 1


def _add_score(
    scores: dict[tuple[str, str], int], node: NodeInfo, term: AffinityTerm, delta: int
) -> None:
    if not delta:
        return
    value = node.labels.get(term.topology_key)
    if value is not None:
        pair = (term.topology_key, value)
        scores[pair] = scores.get(pair, 0) + delta


def new(args: dict[str, Any], handle: Any) -> InterPodAffinity:
    return InterPodAffinity(args, handle)
