"""PrioritySort, mirroring `pkg/scheduler/framework/plugins/queuesort/priority_sort.go`:
higher `spec.priority` first, then the earlier queue timestamp."""

from __future__ import annotations

from typing import Any

NAME = "PrioritySort"


class PrioritySort:
    """QueueSort: the order of the active queue."""

    name = NAME

    def __repr__(self) -> str:
        return NAME

    def less(self, a: Any, b: Any) -> bool:
        """upstream `Less` on two QueuedPodInfos."""
        p1, p2 = a.pod_info.priority, b.pod_info.priority
        return p1 > p2 or (p1 == p2 and a.timestamp < b.timestamp)

    def sort_key(self, qpi: Any) -> tuple[int, float]:
        """`less` as a key for the queue's heap: a < b exactly when key(a) < key(b)."""
        return (-qpi.pod_info.priority, qpi.timestamp)


def new(args: dict[str, Any], handle: Any) -> PrioritySort:
    return PrioritySort()
