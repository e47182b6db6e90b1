"""PodTopologySpread, mirroring `podtopologyspread/plugin.go`, `filtering.go`, `scoring.go`.

Filter (DoNotSchedule constraints): matching pods in the node's domain + 1 (if the pod matches
its own selector) - the global minimum must not exceed maxSkew. Score (ScheduleAnyway, or the
system defaults): fewer matching pods in the node's domains score higher.
"""

from __future__ import annotations

import math
from typing import Any

from minik8s.scheduler.affinity import RequiredNodeAffinity
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
from minik8s.scheduler.plugins.helper import go_round
from minik8s.scheduler.plugins.podtopologyspread.common import (
    DO_NOT_SCHEDULE,
    LABEL_HOSTNAME,
    SCHEDULE_ANYWAY,
    SYSTEM_DEFAULT_CONSTRAINTS,
    Constraint,
    default_selector,
    filter_constraints,
    node_labels_match_spread_constraints,
)
from minik8s.scheduler.types import NodeInfo, PodInfo

NAME = "PodTopologySpread"
ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints"
ERR_REASON_NODE_LABEL_NOT_MATCH = ERR_REASON_CONSTRAINTS_NOT_MATCH + " (missing required label)"
PRE_FILTER_STATE_KEY = "PreFilter" + NAME
PRE_SCORE_STATE_KEY = "PreScore" + NAME


class PodTopologySpread:
    """PreFilter + Filter + PreScore + Score + NormalizeScore."""

    name = NAME

    def __init__(self, args: dict[str, Any], handle: Any) -> None:
        self.handle = handle
        self.defaulting = args.get("defaultingType") or "System"
        self.default_constraints = (
            SYSTEM_DEFAULT_CONSTRAINTS
            if self.defaulting == "System"
            else args.get("defaultConstraints") or []
        )
        self.system_defaulted = self.defaulting == "System"
        self._defaults: dict[str, list[Constraint]] = {}  # by action, when label-independent

    def __repr__(self) -> str:
        return NAME

    def events_to_register(self) -> list[ClusterEvent]:
        return [
            ClusterEvent(POD, ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete),
            ClusterEvent(
                NODE,
                ActionType.Add
                | ActionType.Delete
                | ActionType.UpdateNodeLabel
                | ActionType.UpdateNodeTaint,
            ),  # fmt: skip
        ]

    def constraints(self, pod: PodInfo, action: str) -> list[Constraint]:
        """upstream `getConstraints` / `buildDefaultConstraints`."""
        own = pod.spec.get("topologySpreadConstraints") or []
        if own:
            return filter_constraints(own, pod.labels, action)
        constraints = self._defaults.get(action)
        if constraints is None:
            constraints = filter_constraints(self.default_constraints, pod.labels, action)
            if not any(c.get("matchLabelKeys") for c in self.default_constraints):
                self._defaults[action] = constraints
        if not constraints:
            return []
        selector = default_selector(pod, self.handle.listers)
        if selector.empty():
            return []
        return [
            Constraint(c.max_skew, c.topology_key, selector, c.min_domains) for c in constraints
        ]

    # -- filtering ----------------------------------------------------------------------------
    def pre_filter(
        self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]
    ) -> tuple[set[str] | None, Status | None]:
        constraints = self.constraints(pod, DO_NOT_SCHEDULE)
        if not constraints:
            return None, SKIP
        required = RequiredNodeAffinity(pod.pod)
        snapshot = self.handle.snapshot
        by_node = [snapshot.pod_counts(c.selector, pod.namespace) for c in constraints]
        counts: list[dict[str, int]] = [{} for _ in constraints]
        for node in snapshot.node_info_list:
            if not node_labels_match_spread_constraints(node.labels, constraints):
                continue
            for i, c in enumerate(constraints):
                if not c.match_node_inclusion_policies(pod, node, required):
                    continue
                value = node.labels[c.topology_key]
                counts[i][value] = counts[i].get(value, 0) + by_node[i].get(node.name, 0)
        state.write(PRE_FILTER_STATE_KEY, (constraints, counts))
        return None, None

    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        constraints, counts = state.read(PRE_FILTER_STATE_KEY)
        for i, c in enumerate(constraints):
            value = node.labels.get(c.topology_key)
            if value is None:
                return unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH)
            domains = counts[i]
            min_match = min(domains.values()) if domains else 2**31 - 1
            if len(domains) < c.min_domains:
                min_match = 0
            self_match = 1 if c.selector.matches(pod.labels) else 0
            if domains.get(value, 0) + self_match - min_match > c.max_skew:
                return unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH)
        return None

    # -- scoring ------------------------------------------------------------------------------
    def pre_score(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> Status | None:
        all_nodes = self.handle.snapshot.node_info_list
        if not nodes or not all_nodes:
            return SKIP
        constraints = self.constraints(pod, SCHEDULE_ANYWAY)
        if not constraints:
            return SKIP
        require_all = bool(pod.spec.get("topologySpreadConstraints")) or not self.system_defaulted
        ignored: set[int] = set()
        pair_counts: dict[tuple[str, str], int] = {}
        sizes = [0] * len(constraints)
        for index, node in enumerate(nodes):
            if require_all and not node_labels_match_spread_constraints(node.labels, constraints):
                ignored.add(index)
                continue
            for i, c in enumerate(constraints):
                if c.topology_key == LABEL_HOSTNAME:
                    continue
                pair = (c.topology_key, node.labels.get(c.topology_key, ""))
                if pair not in pair_counts:
                    pair_counts[pair] = 0
                    sizes[i] += 1
        weights = []
        for i, c in enumerate(constraints):
            size = len(nodes) - len(ignored) if c.topology_key == LABEL_HOSTNAME else sizes[i]
            weights.append(math.log(size + 2))
        by_node = self._count_domains(pod, constraints, require_all, pair_counts)
        scoring = (constraints, ignored, pair_counts, weights, nodes, by_node)
        state.write(PRE_SCORE_STATE_KEY, scoring)
        return None

    def _count_domains(
        self,
        pod: PodInfo,
        constraints: list[Constraint],
        require_all: bool,
        pair_counts: dict[tuple[str, str], int],
    ) -> list[dict[str, int]]:
        """Add each node's matching pods to its (topology key, value) pair, for the pairs of the
        nodes being scored; only nodes with matching pods can add anything, so only they are
        visited (upstream visits every node). Returns each constraint's per-node counts."""
        required = RequiredNodeAffinity(pod.pod)
        snapshot = self.handle.snapshot
        by_node = [snapshot.pod_counts(c.selector, pod.namespace) for c in constraints]
        for i, c in enumerate(constraints):
            if c.topology_key == LABEL_HOSTNAME:
                continue  # no pairs: Score reads the node's own count from `by_node`
            for node_name, count in by_node[i].items():
                node = snapshot.get(node_name)
                if node is None or (
                    require_all
                    and not node_labels_match_spread_constraints(node.labels, constraints)
                ):
                    continue
                pair = (c.topology_key, node.labels.get(c.topology_key, ""))
                if pair in pair_counts and c.match_node_inclusion_policies(pod, node, required):
                    pair_counts[pair] += count
        return by_node

    def score(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> int:
        constraints, ignored, pair_counts, weights, nodes, by_node = state.read(PRE_SCORE_STATE_KEY)
        if ignored and nodes.index(node) in ignored:
            return 0
        score = 0.0
        for i, c in enumerate(constraints):
            value = node.labels.get(c.topology_key)
            if value is None:
                continue
            if c.topology_key == LABEL_HOSTNAME:
                count = by_node[i].get(node.name, 0)
            else:
                count = pair_counts.get((c.topology_key, value), 0)
            score += count * weights[i] + (c.max_skew - 1)
        return int(go_round(score))

    def normalize_score(self, state: CycleState, pod: PodInfo, scores: list[int]) -> None:
        ignored = state.read(PRE_SCORE_STATE_KEY)[1]
        valid = [s for i, s in enumerate(scores) if i not in ignored]
        min_score = min(valid, default=0)
        max_score = max(valid, default=0)
        for i, score in enumerate(scores):
            if i in ignored:
                scores[i] = 0
            elif max_score == 0:
                scores[i] = MAX_NODE_SCORE
            else:
                scores[i] = MAX_NODE_SCORE * (max_score + min_score - score) // max_score


def new(args: dict[str, Any], handle: Any) -> PodTopologySpread:
    return PodTopologySpread(args, handle)
