"""Node health records, mirroring `nodeHealthData` in
`pkg/controller/nodelifecycle/node_lifecycle_controller.go`.

When the node lifecycle controller last heard from each node (a status heartbeat or a Lease
renewal), and how a newer Ready condition refreshes that record (part of `tryUpdateNodeHealth`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Obj = dict[str, Any]

# NetworkUnavailable is left alone: it is managed on the control plane.
MONITORED_CONDITIONS = ("Ready", "MemoryPressure", "DiskPressure", "PIDPressure")


@dataclass(slots=True)
class NodeHealth:
    """upstream `nodeHealthData`: when this controller last heard from a node."""

    probe_timestamp: float
    ready_transition_timestamp: float
    ready: Obj | None  # the Ready condition as last seen
    lease_renew_time: str | None = None
    # the Node object a full check last found Ready with nothing to do
    steady: Obj | None = None


def refreshed_health(health: NodeHealth | None, current: Obj | None, now: float) -> NodeHealth:
    """A newer status heartbeat (or a first / vanished Ready condition) resets the probe."""
    saved = health.ready if health is not None else None
    if health is None or (saved is None) != (current is None):
        return NodeHealth(now, now, current, health.lease_renew_time if health else None)
    if saved is None or current is None:
        return health
    if saved.get("lastHeartbeatTime") == current.get("lastHeartbeatTime"):
        return health
    moved = saved.get("lastTransitionTime") != current.get("lastTransitionTime")
    transition = now if moved else health.ready_transition_timestamp
    return NodeHealth(now, transition, current, health.lease_renew_time)
