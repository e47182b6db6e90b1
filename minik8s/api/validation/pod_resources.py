"""Container resource requirements, mirroring `ValidateResourceRequirements` and its helpers in
`pkg/apis/core/validation/validation.go`: standard and extended resource names, quantities,
requests no greater than limits, and the resources that may not be overcommitted.
Left out: hugepages rules and pod-level resources.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.field import FieldError, Path, invalid, required
from minik8s.api.quantity import Quantity, parse_quantity
from minik8s.api.validation.meta import IS_NEGATIVE_ERROR_MSG
from minik8s.api.validation.names import is_qualified_name

Obj = dict[str, Any]

QUANTITY_FORMAT_ERROR = (
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
)
STANDARD_CONTAINER_RESOURCES = ("cpu", "memory", "ephemeral-storage")
STANDARD_RESOURCES = STANDARD_CONTAINER_RESOURCES + (
    "storage", "pods", "services", "replicationcontrollers", "resourcequotas", "secrets",
    "configmaps", "persistentvolumeclaims", "services.nodeports", "services.loadbalancers",
    "requests.cpu", "requests.memory", "requests.storage", "requests.ephemeral-storage",
    "limits.cpu", "limits.memory", "limits.ephemeral-storage",
)  # fmt: skip


def _is_native(name: str) -> bool:
    return "/" not in name or "kubernetes.io/" in name


def _is_overcommit_allowed(name: str) -> bool:
    return _is_native(name) and not name.startswith("hugepages-")


def _is_extended(name: str) -> bool:
    if _is_native(name) or name.startswith("requests."):
        return False
    return not is_qualified_name("requests." + name)


# Resource names found valid ("cpu", "memory", ...: the same few on every container).
_VALID_RESOURCE_NAMES: set[str] = set()


def _validate_resource_name(name: str, path: Path) -> list[FieldError]:
    """upstream `validateContainerResourceName` (after `validateResourceName`)."""
    if name in _VALID_RESOURCE_NAMES:
        return []
    errs = _resource_name_errors(name, path)
    if not errs and len(_VALID_RESOURCE_NAMES) < 4096:
        _VALID_RESOURCE_NAMES.add(name)
    return errs


def _resource_name_errors(name: str, path: Path) -> list[FieldError]:
    errs = [invalid(path, name, m) for m in is_qualified_name(name)]
    if errs:
        return errs
    hugepages = name.startswith("hugepages-")
    if "/" not in name:
        if name not in STANDARD_RESOURCES and not hugepages:
            errs.append(invalid(path, name, "must be a standard resource type or fully qualified"))
        if name not in STANDARD_CONTAINER_RESOURCES and not hugepages:
            errs.append(invalid(path, name, "must be a standard resource for containers"))
    elif not _is_native(name) and not _is_extended(name):
        errs.append(invalid(path, name, "doesn't follow extended resource name standard"))
    return errs


def _validate_quantity(
    name: str, value: Any, path: Path
) -> tuple[Quantity | None, list[FieldError]]:
    """Parse one resource quantity: well-formed, non-negative, whole for extended resources."""
    try:
        quantity = parse_quantity(value)
    except ValueError:
        return None, [invalid(path, value, QUANTITY_FORMAT_ERROR)]
    if quantity.sign() < 0:
        return quantity, [invalid(path, str(quantity), IS_NEGATIVE_ERROR_MSG)]
    if not _is_native(name) and quantity.milli_value() % 1000 != 0:
        return quantity, [invalid(path, str(quantity), "must be an integer")]
    return quantity, []


def validate_resource_requirements(resources: Obj | None, path: Path) -> list[FieldError]:
    """upstream `ValidateContainerResourceRequirements`: names, quantities, requests <= limits."""
    resources = resources or {}
    lim_path, req_path = path.child("limits"), path.child("requests")
    errs: list[FieldError] = []
    limits: dict[str, Quantity] = {}
    for name, value in (resources.get("limits") or {}).items():
        errs += _validate_resource_name(name, lim_path.key(name))
        quantity, quantity_errs = _validate_quantity(name, value, lim_path.key(name))
        errs += quantity_errs
        if quantity is not None:
            limits[name] = quantity
    for name, value in (resources.get("requests") or {}).items():
        errs += _validate_resource_name(name, req_path.key(name))
        quantity, quantity_errs = _validate_quantity(name, value, req_path.key(name))
        errs += quantity_errs
        limit = limits.get(name)
        if quantity is None:
            continue
        if limit is not None:
            if quantity.cmp(limit) != 0 and not _is_overcommit_allowed(name):
                detail = f"must be equal to {name} limit of {limit}"
                errs.append(invalid(req_path, str(quantity), detail))
            elif quantity.cmp(limit) > 0:
                detail = f"must be less than or equal to {name} limit of {limit}"
                errs.append(invalid(req_path, str(quantity), detail))
        elif not _is_overcommit_allowed(name):
            errs.append(required(lim_path, "Limit must be set for non overcommitable resources"))
    return errs
