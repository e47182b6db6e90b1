"""Pod readiness helpers every controller shares, mirroring `pkg/api/v1/pod/util.go`
(`GetPodReadyCondition`, `IsPodReady`, `IsPodAvailable`)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

Obj = dict[str, Any]


def parse_time(value: str | None) -> float | None:
    """An RFC 3339 `metav1.Time` as seconds since the Unix epoch (None when unset)."""
    if not value:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.timestamp()


def ready_condition(pod: Obj) -> Obj | None:
    """The pod's `Ready` condition, if any (shared: do not mutate)."""
    for condition in (pod.get("status") or {}).get("conditions") or []:
        if condition.get("type") == "Ready":
            return condition
    return None


def is_pod_ready(pod: Obj) -> bool:
    """`IsPodReady`: the Ready condition is True."""
    condition = ready_condition(pod)
    return condition is not None and condition.get("status") == "True"


def is_pod_available(pod: Obj, min_ready_seconds: int, now: float) -> bool:
    """`IsPodAvailable`: Ready, and for longer than `minReadySeconds` at `now` (epoch seconds;
    strictly, as upstream's `LastTransitionTime.Add(minReadySeconds).Before(now)`)."""
    condition = ready_condition(pod)
    if condition is None or condition.get("status") != "True":
        return False
    if not min_ready_seconds:
        return True
    since = parse_time(condition.get("lastTransitionTime"))
    return since is not None and since + min_ready_seconds < now
