"""Pod QoS class, mirroring `pkg/apis/core/helper/qos/qos.go` (`GetPodQOS`/`ComputePodQOS`)."""

from __future__ import annotations

from typing import Any

from minik8s.api.quantity import parse_quantity

SUPPORTED = ("cpu", "memory")


def _is_zero(value: Any) -> bool:
    return parse_quantity(str(value)).as_decimal() == 0


def compute_pod_qos(pod: dict[str, Any]) -> str:
    """`Guaranteed`, `Burstable` or `BestEffort` from the containers' requests and limits."""
    spec = pod.get("spec", {})
    requests: dict[str, Any] = {}
    limits: dict[str, Any] = {}
    guaranteed = True
    containers = list(spec.get("containers") or []) + list(spec.get("initContainers") or [])
    for container in containers:
        resources = container.get("resources") or {}
        found: set[str] = set()
        for name, value in (resources.get("requests") or {}).items():
            if name in SUPPORTED and not _is_zero(value):
                requests[name] = value
        for name, value in (resources.get("limits") or {}).items():
            if name in SUPPORTED and not _is_zero(value):
                found.add(name)
                limits[name] = value
        if found != set(SUPPORTED):
            guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    if guaranteed:
        for container in containers:
            resources = container.get("resources") or {}
            req, lim = resources.get("requests") or {}, resources.get("limits") or {}
            for name in SUPPORTED:
                if name in req and parse_quantity(str(req[name])) != parse_quantity(str(lim[name])):
                    return "Burstable"
        return "Guaranteed"
    return "Burstable"
