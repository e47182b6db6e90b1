"""The status parts of upstream's core (v1) defaulters (`pkg/apis/core/v1/defaults.go`):
`SetDefaults_NamespaceStatus`, `SetDefaults_NodeStatus`, the phase `SetDefaults_PersistentVolume`
and `SetDefaults_PersistentVolumeClaim` set, and the load-balancer `ipMode` of
`SetDefaults_Service` (LoadBalancerIPMode, beta and on in 1.31), and the rounding of the
status' resource lists (`SetDefaults_ResourceList`: a Node's capacity and allocatable, a claim's
capacity).

Each is copy-on-write: the dicts it changes are replaced by new ones, so an object that shares
parts with a writer's object or a patch leaves those as they were. The kind defaulters in
`minik8s.api.defaults.core` call these too.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.defaults import status_defaults_for
from minik8s.api.defaults.resources import rounded_resource_list

Obj = dict[str, Any]


def _status(obj: Obj) -> Obj:
    status = obj.get("status")
    return status if isinstance(status, dict) else {}


def _default_phase(obj: Obj, phase: str) -> None:
    status = _status(obj)
    if not status.get("phase"):
        obj["status"] = {**status, "phase": phase}


@status_defaults_for("Namespace")
def set_defaults_namespace_status(namespace: Obj) -> None:
    """upstream `SetDefaults_NamespaceStatus`: an empty phase is `Active`."""
    _default_phase(namespace, "Active")


@status_defaults_for("PersistentVolume")
def set_defaults_persistent_volume_status(pv: Obj) -> None:
    """`SetDefaults_PersistentVolume`'s status part: an empty phase is `Pending`."""
    _default_phase(pv, "Pending")


def _round_lists(obj: Obj, keys: tuple[str, ...]) -> None:
    """`SetDefaults_ResourceList` on the status lists `keys`, copy-on-write."""
    status = _status(obj)
    rounded = {key: rounded_resource_list(status.get(key)) for key in keys}
    changed = {key: value for key, value in rounded.items() if value is not None}
    if changed:
        obj["status"] = {**status, **changed}


@status_defaults_for("PersistentVolumeClaim")
def set_defaults_persistent_volume_claim_status(pvc: Obj) -> None:
    """`SetDefaults_PersistentVolumeClaim`'s status part: an empty phase is `Pending`; the
    capacity rounded up to milli precision."""
    _default_phase(pvc, "Pending")
    _round_lists(pvc, ("capacity",))


@status_defaults_for("Node")
def set_defaults_node_status(node: Obj) -> None:
    """upstream `SetDefaults_NodeStatus`: no allocatable (not even `{}`) is the capacity."""
    status = node.get("status")
    if not isinstance(status, dict):
        return
    if status.get("allocatable") is None and status.get("capacity") is not None:
        node["status"] = {**status, "allocatable": dict(status["capacity"])}
    _round_lists(node, ("capacity", "allocatable"))


def _with_ip_mode(point: Obj) -> Obj:
    return {**point, "ipMode": "VIP"} if point.get("ip") and "ipMode" not in point else point


@status_defaults_for("Service")
def set_defaults_service_status(service: Obj) -> None:
    """`SetDefaults_Service`'s status part (LoadBalancerIPMode): on a `LoadBalancer` Service (the
    type in the body written), a load-balancer ingress point with an `ip` and no `ipMode` gets
    `VIP`."""
    if (service.get("spec") or {}).get("type") != "LoadBalancer":
        return
    status = _status(service)
    lb = status.get("loadBalancer") or {}
    points = lb.get("ingress") or []
    if any(point.get("ip") and "ipMode" not in point for point in points):
        ingress = [_with_ip_mode(point) for point in points]
        service["status"] = {**status, "loadBalancer": {**lb, "ingress": ingress}}
