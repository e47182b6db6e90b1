"""Deployment fenceposts, mirroring the intstr half of
`pkg/controller/deployment/util/deployment_util.go` (ResolveFenceposts, MaxSurge, MaxUnavailable,
MinAvailable, IsRollingUpdate) and intstr's `GetScaledValueFromIntOrPercent`.

`deployment_util` re-exports every name, as upstream keeps them in one file.
"""

from __future__ import annotations

import math
import re
from typing import Any

Obj = dict[str, Any]
_ATOI = re.compile(r"^[+-]?[0-9]+$")


# -- intstr and fenceposts ----------------------------------------------------------------------
def scaled_value(value: int | str | None, total: int, round_up: bool) -> int:
    """intstr `GetScaledValueFromIntOrPercent`: an int as is, "N%" of `total` rounded."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError("invalid value for IntOrString: invalid type: neither int nor percentage")
    if isinstance(value, int):
        return value
    if not value.endswith("%"):
        raise ValueError("invalid value for IntOrString: invalid type: string is not a percentage")
    number = value[:-1]
    if not _ATOI.match(number):
        raise ValueError(
            f'invalid value for IntOrString: invalid value "{value}": '
            f'strconv.Atoi: parsing "{number}": invalid syntax'
        )
    scaled = int(number) * total / 100
    return math.ceil(scaled) if round_up else math.floor(scaled)


def resolve_fenceposts(
    max_surge: int | str | None, max_unavailable: int | str | None, desired: int
) -> tuple[int, int]:
    """`ResolveFenceposts`: (surge rounded up, unavailable rounded down); both 0 → (0, 1)."""
    surge = scaled_value(0 if max_surge is None else max_surge, desired, True)
    unavailable = scaled_value(0 if max_unavailable is None else max_unavailable, desired, False)
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
