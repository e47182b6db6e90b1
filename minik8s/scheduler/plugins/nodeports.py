"""NodePorts, mirroring `pkg/scheduler/framework/plugins/nodeports/node_ports.go`.

Filter: a host port the pod wants (hostIP, protocol, hostPort) must be free on the node;
0.0.0.0 conflicts with every IP.
"""

from __future__ import annotations

from typing import Any

from minik8s.scheduler.framework import (
    NODE,
    POD,
    SKIP,
    ActionType,
    ClusterEvent,
    CycleState,
    Status,
    unschedulable,
)
from minik8s.scheduler.types import NodeInfo, PodInfo

NAME = "NodePorts"
ERR_REASON = "node(s) didn't have free ports for the requested pod ports"


class NodePorts:
    """PreFilter (skip pods without host ports) + Filter."""

    name = NAME

    def __repr__(self) -> str:
        return NAME

    def events_to_register(self) -> list[ClusterEvent]:
        return [
            ClusterEvent(POD, ActionType.Delete),
            ClusterEvent(NODE, ActionType.Add | ActionType.Update),
        ]

    def pre_filter(
        self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]
    ) -> tuple[set[str] | None, Status | None]:
        return None, (None if pod.host_ports else SKIP)

    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        if pod.host_ports and node.ports_conflict(pod.host_ports):
            return unschedulable(ERR_REASON)
        return None


def new(args: dict[str, Any], handle: Any) -> NodePorts:
    return NodePorts()
