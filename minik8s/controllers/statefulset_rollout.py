"""StatefulSet rolling-update arithmetic, mirroring `pkg/controller/statefulset/
stateful_set_utils.go` (`completeRollingUpdate`, `getStatefulSetMaxUnavailable`) and apimachinery's
intstr `GetScaledValueFromIntOrPercent`.

Leaves out: intstr's exact error wording for malformed percentages (validation rejects them first).
"""

from __future__ import annotations

from typing import Any

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
    value = 1 if max_unavailable is None else max_unavailable
    return max(resolve_int_or_percent(value, replica_count), 1)


def resolve_int_or_percent(value: int | str, total: int, round_up: bool = False) -> int:
    """apimachinery `GetScaledValueFromIntOrPercent`."""
    if isinstance(value, int):
        return value
    if not value.endswith("%") or not value[:-1].isdigit():
        raise ValueError(f"invalid value for IntOrString: invalid value {value!r}")
    scaled = int(value[:-1]) * total
    return -(-scaled // 100) if round_up else scaled // 100
