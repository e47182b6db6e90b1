"""Deployment fenceposts, mirroring the intstr half of
`pkg/controller/deployment/util/deployment_util.go` (ResolveFenceposts, MaxSurge, MaxUnavailable,
MinAvailable, IsRollingUpdate); percentages are scaled by apimachinery's intstr
`GetScaledValueFromIntOrPercent` (`minik8s.api.intstr`).

`deployment_util` re-exports every name, as upstream keeps them in one file.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.intstr import get_scaled_value_from_int_or_percent, value_or_default

Obj = dict[str, Any]


# -- fenceposts ---------------------------------------------------------------------------------
def resolve_fenceposts(
    max_surge: int | str | None, max_unavailable: int | str | None, desired: int
) -> tuple[int, int]:
    """`ResolveFenceposts`: (surge rounded up, unavailable rounded down); both 0 → (0, 1)."""
    scale = get_scaled_value_from_int_or_percent
    surge = scale(value_or_default(max_surge, 0), desired, True)
    unavailable = scale(value_or_default(max_unavailable, 0), desired, False)
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, unavailable


def is_rolling_update(d: Obj) -> bool:
    """`IsRollingUpdate`."""
    return (d["spec"].get("strategy") or {}).get("type", "RollingUpdate") == "RollingUpdate"


def replicas_of(obj: Obj) -> int:
    """`*spec.replicas` (the API server defaults it to 1)."""
    return int(obj["spec"].get("replicas", 1))


def _fenceposts(d: Obj) -> tuple[int, int]:
    rolling = (d["spec"].get("strategy") or {}).get("rollingUpdate") or {}
    return resolve_fenceposts(
        rolling.get("maxSurge"), rolling.get("maxUnavailable"), replicas_of(d)
    )


def max_surge(d: Obj) -> int:
    """`MaxSurge`: 0 unless RollingUpdate."""
    return _fenceposts(d)[0] if is_rolling_update(d) else 0


def min_available(d: Obj) -> int:
    """`MinAvailable`: replicas minus maxUnavailable; 0 unless RollingUpdate."""
    return replicas_of(d) - max_unavailable(d) if is_rolling_update(d) else 0


def max_unavailable(d: Obj) -> int:
    """`MaxUnavailable`: 0 unless RollingUpdate with replicas; never above replicas."""
    if not is_rolling_update(d) or replicas_of(d) == 0:
        return 0
    return min(_fenceposts(d)[1], replicas_of(d))
