"""The `/status` validation of Services, Ingresses, Namespaces, PersistentVolumeClaims and Nodes,
mirroring upstream v1.31's `ValidateServiceStatusUpdate` and `ValidateLoadBalancerStatus`,
`ValidateNamespaceStatusUpdate`, `ValidatePersistentVolumeClaimStatusUpdate` and the
`ValidateNodeUpdate` that `nodeStatusStrategy` runs (`pkg/apis/core/validation/validation.go`),
and `ValidateIngressStatusUpdate` (`pkg/apis/networking/validation/validation.go`).

`ValidateObjectMetaUpdate` is left to the status strategy, which runs it first for every kind.
Left out: the AllowServiceLBStatusOnNonLB gate (off in 1.31), the PVC rules behind
RecoverVolumeExpansionFailure (`allocatedResources`, `allocatedResourceStatuses`: alpha in
1.31), the PVC's "resourceVersion required" (a status write always carries one here) and
`ValidateNodeSpecificAnnotations`; a Node's resource errors come after its other errors.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.field import (
    FieldError,
    Path,
    forbidden,
    invalid,
    not_supported,
    required,
)
from minik8s.api.quantity import parse_quantity
from minik8s.api.validation.names import is_dns1123_subdomain, is_valid_ip, parse_ip_sloppy
from minik8s.api.validation.node import validate_node_resources, validate_node_update

Obj = dict[str, Any]
LOAD_BALANCER = Path("status", "loadBalancer")
SUPPORTED_IP_MODES = ("Proxy", "VIP")  # sets.List(supportedLoadBalancerIPMode)
NOT_AN_IP = "must be a DNS name, not an IP address"


def _status(obj: Obj) -> Obj:
    status = obj.get("status")
    return status if isinstance(status, dict) else {}


def _ingress_points(obj: Obj) -> list[Obj]:
    return (_status(obj).get("loadBalancer") or {}).get("ingress") or []


def _validate_hostname(hostname: str, path: Path) -> list[FieldError]:
    """A load-balancer ingress hostname: a DNS-1123 subdomain that is not an IP address."""
    errs = [invalid(path, hostname, msg) for msg in is_dns1123_subdomain(hostname)]
    if parse_ip_sloppy(hostname) is not None:
        errs.append(invalid(path, hostname, NOT_AN_IP))
    return errs


def _validate_ip_mode(point: Obj, path: Path) -> list[FieldError]:
    """`ipMode` (LoadBalancerIPMode, on in 1.31): required with `ip`, forbidden without."""
    ip, ip_mode = point.get("ip") or "", point.get("ipMode")
    if ip_mode is None:
        return [required(path, "must be specified when `ip` is set")] if ip else []
    if not ip:
        return [forbidden(path, "may not be specified when `ip` is not set")]
    if ip_mode not in SUPPORTED_IP_MODES:
        return [not_supported(path, ip_mode, SUPPORTED_IP_MODES)]
    return []


def validate_load_balancer_status(service: Obj, path: Path) -> list[FieldError]:
    """upstream `ValidateLoadBalancerStatus` of a Service."""
    points = _ingress_points(service)
    spec_type = (service.get("spec") or {}).get("type")
    if points and spec_type != "LoadBalancer":
        return [
            forbidden(path.child("ingress"), "may only be used when `spec.type` is 'LoadBalancer'")
        ]
    errs: list[FieldError] = []
    for i, point in enumerate(points):
        p = path.child("ingress").index(i)
        if point.get("ip"):
            errs += is_valid_ip(p.child("ip"), point["ip"])
        errs += _validate_ip_mode(point, p.child("ipMode"))
        if point.get("hostname"):
            errs += _validate_hostname(point["hostname"], p.child("hostname"))
    return errs


def validate_service_status_update(new: Obj, old: Obj) -> list[FieldError]:
    """upstream `ValidateServiceStatusUpdate`."""
    return validate_load_balancer_status(new, LOAD_BALANCER)


def validate_ingress_load_balancer_status(ingress: Obj, path: Path) -> list[FieldError]:
    """upstream `ValidateIngressLoadBalancerStatus`."""
    errs: list[FieldError] = []
    for i, point in enumerate(_ingress_points(ingress)):
        p = path.child("ingress").index(i)
        if point.get("ip"):
            errs += is_valid_ip(p.child("ip"), point["ip"])
        if point.get("hostname"):
            errs += _validate_hostname(point["hostname"], p.child("hostname"))
    return errs


def validate_ingress_status_update(new: Obj, old: Obj) -> list[FieldError]:
    """upstream `ValidateIngressStatusUpdate`."""
    return validate_ingress_load_balancer_status(new, LOAD_BALANCER)


def validate_namespace_status_update(new: Obj, old: Obj) -> list[FieldError]:
    """upstream `ValidateNamespaceStatusUpdate` (whose path is `status.Phase`, capitalised)."""
    phase = _status(new).get("phase") or ""
    path = Path("status", "Phase")
    if not new["metadata"].get("deletionTimestamp"):
        if phase != "Active":
            return [invalid(path, phase, "may only be 'Active' if `deletionTimestamp` is empty")]
    elif phase != "Terminating":
        detail = "may only be 'Terminating' if `deletionTimestamp` is not empty"
        return [invalid(path, phase, detail)]
    return []


def validate_basic_resource(value: Any, path: Path) -> list[FieldError]:
    """upstream `validateBasicResource`: a quantity whose value is not negative."""
    try:
        quantity = parse_quantity(value)
    except (ValueError, TypeError) as exc:
        return [invalid(path, value, str(exc))]
    if quantity.value() < 0:
        return [invalid(path, quantity.value(), "must be a valid resource quantity")]
    return []


def validate_persistent_volume_claim_status_update(new: Obj, old: Obj) -> list[FieldError]:
    """upstream `ValidatePersistentVolumeClaimStatusUpdate` (RecoverVolumeExpansionFailure off)."""
    errs: list[FieldError] = []
    if not (new.get("spec") or {}).get("accessModes"):
        errs.append(required(Path("Spec", "accessModes")))
    capacity = _status(new).get("capacity") or {}
    for name in sorted(capacity):  # (Go ranges over the map in random order)
        errs += validate_basic_resource(capacity[name], Path("status", "capacity").key(name))
    return errs


def validate_node_status_update(new: Obj, old: Obj) -> list[FieldError]:
    """`nodeStatusStrategy.ValidateUpdate`: upstream's whole `ValidateNodeUpdate`."""
    return validate_node_update(new, old) + validate_node_resources(new)
