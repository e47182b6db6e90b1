"""NodeUnschedulable, mirroring
`pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable.go`."""

from __future__ import annotations

from typing import Any

from minik8s.api.taints import tolerations_tolerate_taint
from minik8s.scheduler.framework import (
    NODE,
    ActionType,
    ClusterEvent,
    CycleState,
    Status,
    unresolvable,
)
from minik8s.scheduler.types import NodeInfo, PodInfo

NAME = "NodeUnschedulable"
ERR_REASON_UNSCHEDULABLE = "node(s) were unschedulable"
TAINT_NODE_UNSCHEDULABLE = "node.kubernetes.io/unschedulable"
_TAINT = {"key": TAINT_NODE_UNSCHEDULABLE, "effect": "NoSchedule"}


class NodeUnschedulable:
    """Filter: a cordoned node (`spec.unschedulable`) takes only pods tolerating the taint."""

    name = NAME

    def __init__(self, handle: Any = None) -> None:
        self.handle = handle

    def __repr__(self) -> str:
        return NAME

    def events_to_register(self) -> list[ClusterEvent]:
        return [ClusterEvent(NODE, ActionType.Add | ActionType.UpdateNodeTaint)]

    def filter_nodes(
        self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]
    ) -> list[Status | None]:
        """`filter` for a batch of nodes (only cordoned nodes need a closer look: none when
        the snapshot has none)."""
        snapshot = getattr(self.handle, "snapshot", None)
        if snapshot is not None and not snapshot.cordoned_nodes:
            return [None] * len(nodes)
        return [self.filter(state, pod, n) if n.unschedulable else None for n in nodes]

    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        if not node.unschedulable:
            return None
        if tolerations_tolerate_taint(pod.spec.get("tolerations"), _TAINT):
            return None
        return unresolvable(ERR_REASON_UNSCHEDULABLE)


def new(args: dict[str, Any], handle: Any) -> NodeUnschedulable:
    return NodeUnschedulable(handle)
