"""StatefulSet rolling-update arithmetic, mirroring `pkg/controller/statefulset/
stateful_set_utils.go` (`completeRollingUpdate`, `getStatefulSetMaxUnavailable`); percentages are
scaled by apimachinery's intstr `GetScaledValueFromIntOrPercent` (`minik8s.api.intstr`).
"""

from __future__ import annotations

from typing import Any

from minik8s.api.intstr import (
    get_scaled_value_from_int_or_percent,
    value_or_default,
)

Obj = dict[str, Any]


def complete_rolling_update(sts: Obj, status: Obj) -> None:
    """upstream `completeRollingUpdate`: all replicas updated and ready → current = update."""
    strategy = (sts["spec"].get("updateStrategy") or {}).get("type", "RollingUpdate")
    if (
        strategy == "RollingUpdate"
        and status["updatedReplicas"] == status["replicas"]
        and status["readyReplicas"] == status["replicas"]
    ):
        status["currentReplicas"] = status["updatedReplicas"]
        status["currentRevision"] = status["updateRevision"]


def get_stateful_set_max_unavailable(max_unavailable: int | str | None, replica_count: int) -> int:
    """upstream `getStatefulSetMaxUnavailable`: the value (default 1) scaled down, at least 1."""
    value = value_or_default(max_unavailable, 1)
    return max(get_scaled_value_from_int_or_percent(value, replica_count, False), 1)
