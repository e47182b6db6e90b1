"""What a DaemonSet plan asks for, mirroring the results of `manage` and `rollingUpdate` in
`pkg/controller/daemon/daemon_controller.go` (`nodesNeedingDaemonPods`, `podsToDelete`) and the
maps they are computed over.

Plain values: `daemonset_control.plan` returns a `DaemonSetPlan`, the executor in
`daemonset.py` makes its writes. Leaves out: nothing of the values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Obj = dict[str, Any]
Backoff = Mapping[str, tuple[float, float]]  # node name → (last update, delay), epoch seconds
Eligibility = dict[str, tuple[bool, bool]]  # node name → (should run, should continue running)
NodePods = dict[str, list[Obj]]  # node name → its daemon pods, as `nodes_to_daemon_pods` gives


@dataclass(frozen=True)
class DeleteDaemonPod:
    """Delete a daemon pod; `reason`: failed, succeeded, excess, not-eligible, orphan, update."""

    name: str
    node: str
    reason: str

    def __repr__(self) -> str:
        return f"DeleteDaemonPod({self.name} on {self.node or '-'}, {self.reason})"


@dataclass
class DaemonSetPlan:
    """Nodes to create a pod on, pods to delete, and when to look again."""

    creates: list[str] = field(default_factory=list)
    deletes: list[DeleteDaemonPod] = field(default_factory=list)
    failed_nodes: list[str] = field(default_factory=list)
    requeue_after: float | None = None

    def __repr__(self) -> str:
        return f"DaemonSetPlan(creates={self.creates!r}, deletes={self.deletes!r})"

    def requeue(self, delay: float) -> None:
        self.requeue_after = delay if self.requeue_after is None else min(self.requeue_after, delay)
