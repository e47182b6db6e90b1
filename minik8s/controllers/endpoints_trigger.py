"""The `endpoints.kubernetes.io/last-change-trigger-time` annotation, mirroring
`pkg/controller/util/endpoint/trigger_time_tracker.go` (`TriggerTimeTracker`) and the way
`endpoints_controller.go` and `staging/src/k8s.io/endpointslice/reconciler.go`
(`addTriggerTimeAnnotation`) set it.

A service's trigger time is, on its first sync, the Service's creationTimestamp; later, the
earliest of the inputs that changed since the last sync (the Service's creationTimestamp, each
pod's Ready-condition lastTransitionTime); none changed: no annotation. Timestamps are the API's
RFC 3339 strings (second precision), so the earliest is kept as written.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

Obj = dict[str, Any]
LAST_CHANGE_TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time"


def _parse(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def _earliest(a: str, b: str) -> str:
    """upstream `min`: a zero (empty) time loses."""
    if not a or not b:
        return a or b
    return a if _parse(a) <= _parse(b) else b


def _later(a: str, b: str) -> bool:
    """`a.After(b)`, the zero time being earliest."""
    return bool(a) and (not b or _parse(a) > _parse(b))


def pod_trigger_time(pod: Obj) -> str:
    """upstream `getPodTriggerTime`: the Ready condition's lastTransitionTime."""
    for condition in (pod.get("status") or {}).get("conditions") or []:
        if condition.get("type") == "Ready":
            return condition.get("lastTransitionTime") or ""
    return ""


class TriggerTimeTracker:
    """upstream `TriggerTimeTracker`: per service, the trigger times seen at its last sync."""

    def __init__(self) -> None:
        self.states: dict[str, tuple[str, dict[str, str]]] = {}

    def __repr__(self) -> str:
        return f"<TriggerTimeTracker services={len(self.states)}>"

    def compute(self, svc: Obj, pods: list[Obj]) -> str:
        """upstream `ComputeEndpointLastChangeTriggerTime` ("" for the zero time)."""
        meta = svc["metadata"]
        key = f"{meta.get('namespace')}/{meta['name']}"
        known = self.states.get(key)
        last_service, last_pods = known or ("", {})
        earliest = ""
        pod_times: dict[str, str] = {}
        for pod in pods:
            stamp = pod_trigger_time(pod)
            if stamp:
                name = pod["metadata"]["name"]
                pod_times[name] = stamp
                if _later(stamp, last_pods.get(name, "")):
                    earliest = _earliest(earliest, stamp)
        service_time = meta.get("creationTimestamp") or ""
        if _later(service_time, last_service):
            earliest = _earliest(earliest, service_time)
        self.states[key] = (service_time, pod_times)
        return service_time if known is None else earliest

    def delete(self, key: str) -> None:
        """upstream `DeleteService`."""
        self.states.pop(key, None)


def set_trigger_time(annotations: dict[str, str], stamp: str) -> None:
    """Set the annotation to `stamp`, or clear it when there is no new trigger time."""
    if stamp:
        annotations[LAST_CHANGE_TRIGGER_TIME] = stamp
    else:
        annotations.pop(LAST_CHANGE_TRIGGER_TIME, None)
