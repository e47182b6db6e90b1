"""PodTopologySpread, mirroring `podtopologyspread/plugin.go`, `filtering.go`, `scoring.go`.

Filter (DoNotSchedule constraints): matching pods in the node's domain + 1 (if the pod matches
its own selector) - the global minimum must not exceed maxSkew. Score (ScheduleAnyway, or the
system defaults): fewer matching pods in the node's domains score higher.
"""

from __future__ import annotations

from typing import Any

from minik8s.scheduler.affinity import RequiredNodeAffinity
from minik8s.scheduler.framework import (
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
from minik8s.scheduler.plugins.podtopologyspread.common import (
    DO_NOT_SCHEDULE,
    SCHEDULE_ANYWAY,
    SYSTEM_DEFAULT_CONSTRAINTS,
    Constraint,
    controller_ref,
    default_selector,
    filter_constraints,
    node_labels_match_spread_constraints,
)
from minik8s.scheduler.plugins.podtopologyspread.scoring import (
    PreScoreState,
    node_score,
    normalize,
    pre_score_state,
    score_all,
)
from minik8s.scheduler.types import NodeInfo, PodInfo

NAME = "PodTopologySpread"
ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints"
ERR_REASON_NODE_LABEL_NOT_MATCH = ERR_REASON_CONSTRAINTS_NOT_MATCH + " (missing required label)"
PRE_FILTER_STATE_KEY = "PreFilter" + NAME
PRE_SCORE_STATE_KEY = "PreScore" + NAME
MAX_BUILT = 4096  # remembered default constraints (pods of distinct label sets and owners)


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
        # a pod's system-default constraints by what they are built from, while the handle's
        # `selectors_version` (bumped on Service/controller selector changes) stays the same
        self._built: dict[tuple[Any, ...], list[Constraint]] = {}
        self._built_version: int | None = None

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
        """upstream `getConstraints` / `buildDefaultConstraints` (the list is shared: read it)."""
        own = pod.spec.get("topologySpreadConstraints") or []
        if own:
            return filter_constraints(own, pod.labels, action)
        version = getattr(self.handle, "selectors_version", None)
        if version is None:  # nobody tells when Services or controllers change: build each time
            return self._build_default_constraints(pod, action)
        if version != self._built_version or len(self._built) >= MAX_BUILT:
            self._built.clear()
            self._built_version = version
        owner = controller_ref(pod)
        key = (action, pod.namespace, pod.labels_key, owner.get("kind"), owner.get("name"))
        constraints = self._built.get(key)
        if constraints is None:
            constraints = self._built[key] = self._build_default_constraints(pod, action)
        return constraints

    def _build_default_constraints(self, pod: PodInfo, action: str) -> list[Constraint]:
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

    # -- scoring (scoring.py) -------------------------------------------------------------
    def pre_score(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> Status | None:
        if not nodes or not self.handle.snapshot.node_info_list:
            return SKIP
        constraints = self.constraints(pod, SCHEDULE_ANYWAY)
        if not constraints:
            return SKIP
        require_all = bool(pod.spec.get("topologySpreadConstraints")) or not self.system_defaulted
        scoring = pre_score_state(self.handle.snapshot, pod, constraints, nodes, require_all)
        state.write(PRE_SCORE_STATE_KEY, scoring)
        return None

    def score(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> int:
        scoring: PreScoreState = state.read(PRE_SCORE_STATE_KEY)
        if scoring.ignored and scoring.nodes.index(node) in scoring.ignored:
            return 0
        return node_score(scoring.terms, node)

    def score_nodes(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> list[int]:
        """`score` for every node at once (same results, fewer calls)."""
        scoring: PreScoreState = state.read(PRE_SCORE_STATE_KEY)
        if nodes is not scoring.nodes:  # not the nodes PreScore saw: find each one's index
            return [self.score(state, pod, node) for node in nodes]
        return score_all(scoring)

    def normalize_score(self, state: CycleState, pod: PodInfo, scores: list[int]) -> None:
        normalize(scores, state.read(PRE_SCORE_STATE_KEY).ignored)

    def normalizes_by_value(self, state: CycleState) -> bool:
        """NormalizeScore maps each score by the lowest and highest, unless some nodes are
        ignored (they score 0 whatever their raw score): then it needs every node's score."""
        return not state.read(PRE_SCORE_STATE_KEY).ignored


def new(args: dict[str, Any], handle: Any) -> PodTopologySpread:
    return PodTopologySpread(args, handle)
