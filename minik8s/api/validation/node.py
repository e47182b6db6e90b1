"""Node validation, mirroring `ValidateNode`, `ValidateNodeUpdate`, `validateNodeTaints` and
`ValidateNodeResources` in `pkg/apis/core/validation/validation.go`.

Upstream reports `spec.taints` problems under `metadata.taints[i]` (it passes the metadata path);
that quirk is kept. Left out: the taints/avoid-pods annotations, `configSource`, the
`status.config` checks; duplicate taints print JSON where upstream prints Go structs.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.field import (
    FieldError,
    Path,
    duplicate,
    forbidden,
    invalid,
    not_supported,
    required,
)
from minik8s.api.quantity import parse_quantity
from minik8s.api.validation.core import (
    IS_NEGATIVE_ERROR_MSG,
    IS_NOT_INTEGER_ERROR_MSG,
    Obj,
    parse_ip_sloppy,
    spec_of,
    validate_cidr,
    validate_core_object_meta,
    validate_meta_update,
)
from minik8s.api.validation.dispatch import validates, validates_update
from minik8s.api.validation.gosyntax import GoSyntax, go_struct
from minik8s.api.validation.meta import name_is_dns_subdomain, validate_label_name
from minik8s.api.validation.names import is_qualified_name, is_valid_label_value

TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")
# helper.IsIntegerResourceName: the standard integer resources (extended ones are too)
INTEGER_RESOURCES = frozenset(
    {
        "pods",
        "services",
        "replicationcontrollers",
        "resourcequotas",
        "secrets",
        "configmaps",
        "persistentvolumeclaims",
        "services.nodeports",
        "services.loadbalancers",
    }
)
PODCIDRS = Path("spec", "podCIDRs")
MAY_NOT_CHANGE_CIDR = 'node updates may not change podCIDR except from "" to valid'


def validate_taint_effect(effect: str, allow_empty: bool, path: Path) -> list[FieldError]:
    """upstream `validateTaintEffect`."""
    if not allow_empty and not effect:
        return [required(path)]
    if effect not in TAINT_EFFECTS:
        return [not_supported(path, effect, TAINT_EFFECTS)]
    return []


def validate_node_taints(taints: list[Obj], path: Path) -> list[FieldError]:
    """upstream `validateNodeTaints`: key, value, effect, unique by (key, effect)."""
    errs: list[FieldError] = []
    seen: set[tuple[str, str]] = set()
    for i, taint in enumerate(taints):
        p = path.index(i)
        key, value, effect = taint.get("key", ""), taint.get("value", ""), taint.get("effect", "")
        errs += validate_label_name(key, p.child("key"))
        msgs = is_valid_label_value(value)
        if msgs:
            errs.append(invalid(p.child("value"), value, ";".join(msgs)))
        errs += validate_taint_effect(effect, False, p.child("effect"))
        if (key, effect) in seen:
            error = duplicate(p, taint)
            errs.append(
                FieldError(
                    error.type,
                    error.field,
                    error.bad_value,
                    "taints must be unique by key and effect pair",
                )
            )
            continue
        seen.add((key, effect))
    return errs


def _is_integer_resource(name: str) -> bool:
    """helper `IsIntegerResourceName`: standard integer resources and extended resources."""
    native = "/" not in name or "kubernetes.io/" in name
    extended = not native and not name.startswith("requests.")
    extended = extended and not is_qualified_name("requests." + name)
    return name in INTEGER_RESOURCES or extended


def validate_resource_quantity_value(name: str, value: Any, path: Path) -> list[FieldError]:
    """upstream `ValidateResourceQuantityValue`: non-negative, whole for integer resources."""
    try:
        q = parse_quantity(value)
    except (ValueError, TypeError) as exc:
        return [invalid(path, value, str(exc))]
    errs: list[FieldError] = []
    if q.sign() < 0:
        errs.append(invalid(path, str(q), IS_NEGATIVE_ERROR_MSG))
    if _is_integer_resource(name) and q.milli_value() % 1000 != 0:
        errs.append(invalid(path, str(q), IS_NOT_INTEGER_ERROR_MSG))
    return errs


def validate_node_resources(node: Obj) -> list[FieldError]:
    """upstream `ValidateNodeResources`: status.capacity / status.allocatable quantities."""
    status = node.get("status") or {}
    errs: list[FieldError] = []
    for section in ("capacity", "allocatable"):
        for name, value in sorted((status.get(section) or {}).items()):
            errs += validate_resource_quantity_value(name, value, Path("status", section, name))
    return errs


@validates("Node")
def validate_node(node: Obj) -> list[FieldError]:
    """upstream `ValidateNode`."""
    spec = spec_of(node)
    errs = validate_core_object_meta(node, False, name_is_dns_subdomain)
    errs += validate_node_taints(spec.get("taints") or [], Path("metadata", "taints"))
    errs += validate_node_resources(node)
    cidrs = spec.get("podCIDRs") or []
    for i, cidr in enumerate(cidrs):
        errs += validate_cidr(cidr, PODCIDRS.index(i))
    if len(cidrs) > 1:
        errs += _validate_dual_stack_cidrs(cidrs)
    return errs


def _validate_dual_stack_cidrs(cidrs: list[str]) -> list[FieldError]:
    errs: list[FieldError] = []
    parsed = [parse_ip_sloppy(c.partition("/")[0]) for c in cidrs]
    versions = [ip.version for ip in parsed if ip is not None]
    if len(versions) != len(cidrs):
        return []  # already reported as invalid CIDRs
    if len(cidrs) > 2 or len(set(versions)) != 2:
        errs.append(
            invalid(PODCIDRS, cidrs, "may specify no more than one CIDR for each IP family")
        )
    for i, cidr in enumerate(cidrs):
        if cidr in cidrs[:i]:
            errs.append(duplicate(PODCIDRS.index(i), cidr))
    return errs


@validates_update("Node")
def validate_node_update(new: Obj, old: Obj) -> list[FieldError]:
    """upstream `ValidateNodeUpdate`: podCIDRs and providerID set once; no duplicate addresses."""
    new_spec, old_spec = spec_of(new), spec_of(old)
    errs = validate_meta_update(new, old)
    addresses = (new.get("status") or {}).get("addresses") or []
    for i, address in enumerate(addresses):
        if address in addresses[:i]:
            shown = go_struct(
                "core.NodeAddress", Type=address.get("type", ""), Address=address.get("address", "")
            )
            errs.append(duplicate(Path("status", "addresses").index(i), GoSyntax(shown)))
    old_cidrs, new_cidrs = old_spec.get("podCIDRs") or [], new_spec.get("podCIDRs") or []
    if old_cidrs:
        if len(old_cidrs) != len(new_cidrs):
            errs.append(forbidden(PODCIDRS, MAY_NOT_CHANGE_CIDR))
        else:
            errs += [
                forbidden(PODCIDRS, MAY_NOT_CHANGE_CIDR)
                for a, b in zip(old_cidrs, new_cidrs, strict=True)
                if a != b
            ]
    old_id = old_spec.get("providerID") or ""
    if old_id and old_id != (new_spec.get("providerID") or ""):
        detail = 'node updates may not change providerID except from "" to valid'
        errs.append(forbidden(Path("spec", "providerID"), detail))
    if (new_spec.get("externalID") or "") != (old_spec.get("externalID") or ""):
        errs.append(forbidden(Path("spec", "externalID"), "may not be updated"))
    return errs
