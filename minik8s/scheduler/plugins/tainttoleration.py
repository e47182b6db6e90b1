"""TaintToleration, mirroring
`pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go`.

Filter: the first NoSchedule/NoExecute taint the pod does not tolerate rejects the node.
Score: the count of PreferNoSchedule taints the pod does not tolerate, normalized in reverse
(fewer intolerable taints, higher score).
"""

from __future__ import annotations

from typing import Any

from minik8s.api.taints import find_matching_untolerated_taint, tolerations_tolerate_taint
from minik8s.scheduler.framework import (
    NODE,
    UNSCHEDULED_POD,
    ActionType,
    ClusterEvent,
    CycleState,
    Status,
    unresolvable,
)
from minik8s.scheduler.plugins.helper import default_normalize_score
from minik8s.scheduler.types import NodeInfo, PodInfo

NAME = "TaintToleration"
PRE_SCORE_STATE_KEY = "PreScore" + NAME


def _do_not_schedule(taint: dict[str, Any]) -> bool:
    """upstream `DoNotScheduleTaintsFilterFunc`."""
    return taint.get("effect") in ("NoSchedule", "NoExecute")


def untolerated_taint_reason(taint: dict[str, Any]) -> str:
    """The failure reason, worded like upstream."""
    return f"node(s) had untolerated taint {{{taint.get('key', '')}: {taint.get('value', '')}}}"


def count_intolerable_taints_prefer_no_schedule(
    taints: list[dict[str, Any]], tolerations: list[dict[str, Any]]
) -> int:
    """upstream `countIntolerableTaintsPreferNoSchedule`."""
    return sum(
        1
        for taint in taints
        if taint.get("effect") == "PreferNoSchedule"
        and not tolerations_tolerate_taint(tolerations, taint)
    )


class TaintToleration:
    """Filter + Score on node taints and pod tolerations."""

    name = NAME

    def __init__(self, handle: Any = None) -> None:
        self.handle = handle

    def __repr__(self) -> str:
        return NAME

    def events_to_register(self) -> list[ClusterEvent]:
        return [
            ClusterEvent(NODE, ActionType.Add | ActionType.UpdateNodeTaint),
            ClusterEvent(UNSCHEDULED_POD, ActionType.UpdatePodToleration),
        ]

    def filter_nodes(
        self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]
    ) -> list[Status | None]:
        """`filter` for a batch of nodes (only tainted nodes need a closer look: none when the
        snapshot has none)."""
        if not self._any_tainted():
            return [None] * len(nodes)
        return [self.filter(state, pod, n) if n.tainted else None for n in nodes]

    def _any_tainted(self) -> bool:
        """False when the snapshot the nodes come from has no tainted node."""
        snapshot = getattr(self.handle, "snapshot", None)
        return snapshot is None or bool(snapshot.tainted_nodes)

    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        if not node.taints:
            return None
        taint = find_matching_untolerated_taint(
            node.taints, pod.spec.get("tolerations"), _do_not_schedule
        )
        return None if taint is None else unresolvable(untolerated_taint_reason(taint))

    def pre_score(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> Status | None:
        tolerations = [
            t
            for t in pod.spec.get("tolerations") or []
            if not t.get("effect") or t.get("effect") == "PreferNoSchedule"
        ]
        state.write(PRE_SCORE_STATE_KEY, tolerations)
        return None

    def score(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> int:
        if not node.taints:
            return 0
        return count_intolerable_taints_prefer_no_schedule(
            node.taints, state.read(PRE_SCORE_STATE_KEY)
        )

    def score_nodes(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> list[int]:
        """`score` for every node at once (same results, fewer calls)."""
        if not self._any_tainted():
            return [0] * len(nodes)
        tolerations = state.read(PRE_SCORE_STATE_KEY)
        return [
            count_intolerable_taints_prefer_no_schedule(n.taints, tolerations) if n.tainted else 0
            for n in nodes
        ]

    def normalize_score(self, state: CycleState, pod: PodInfo, scores: list[int]) -> None:
        default_normalize_score(scores, reverse=True)

    def normalizes_by_value(self, state: CycleState) -> bool:
        """NormalizeScore maps each score by the highest score: it may get distinct scores."""
        return True


def new(args: dict[str, Any], handle: Any) -> TaintToleration:
    return TaintToleration(handle)
