"""NodeName, mirroring `pkg/scheduler/framework/plugins/nodename/node_name.go`."""

from __future__ import annotations

from typing import Any

from minik8s.scheduler.framework import (
    NODE,
    SKIP,
    ActionType,
    ClusterEvent,
    CycleState,
    Status,
    unresolvable,
)
from minik8s.scheduler.types import NodeInfo, PodInfo

NAME = "NodeName"
ERR_REASON = "node(s) didn't match the requested node name"


def fits(pod: PodInfo, node: NodeInfo) -> bool:
    """upstream `Fits`: no requested node name, or this one."""
    wanted = pod.spec.get("nodeName") or ""
    return not wanted or wanted == node.name


class NodeName:
    """Filter: the pod's `spec.nodeName`, when set, must be this node."""

    name = NAME

    def __repr__(self) -> str:
        return NAME

    def events_to_register(self) -> list[ClusterEvent]:
        return [ClusterEvent(NODE, ActionType.Add | ActionType.Update)]

    def pre_filter(
        self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]
    ) -> tuple[set[str] | None, Status | None]:
        """Not in upstream (which runs Filter on every node): Skip when no nodeName is set,
        which gives the same verdicts with fewer calls."""
        return None, (None if pod.spec.get("nodeName") else SKIP)

    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        return None if fits(pod, node) else unresolvable(ERR_REASON)


def new(args: dict[str, Any], handle: Any) -> NodeName:
    return NodeName()
