"""`SetDefaults_ResourceList` (`pkg/apis/core/v1/defaults.go`): every quantity of a resource list
rounded up to milli precision ("TODO(#18538): We round up resource values to milli scale to
maintain API compatibility"), which the generated defaulters apply to every `ResourceList` of an
object: container requests and limits, a pod's overhead, PV capacity, PVC requests, limits and
capacity, a Node's capacity and allocatable.

A quantity is only rewritten when rounding changes it (`"100u"` -> `"1m"`); the canonical form
of the others is the decode step's. Left out: the lists of alpha features (pod-level resources,
allocated resources of a resize).
"""

from __future__ import annotations

from typing import Any

from minik8s.api.quantity import parse_quantity

Obj = dict[str, Any]
MILLI_SCALE = -3


def _may_be_sub_milli(value: Any) -> bool:
    """False when a quantity string cannot hold less than a milli unit (no fraction, no micro
    or nano suffix, no negative exponent): the common case, decided without parsing."""
    if not isinstance(value, str):
        return True
    return "." in value or value.endswith(("u", "n")) or "e-" in value or "E-" in value


def _rounded(value: Any) -> Any:
    """The quantity rounded up to milli precision, or `value` itself when already there."""
    if not _may_be_sub_milli(value):
        return value
    try:
        quantity = parse_quantity(value)
    except (ValueError, TypeError):
        return value  # validation reports it
    rounded, exact = quantity.round_up(MILLI_SCALE)
    return value if exact else str(rounded)


def rounded_resource_list(resources: Any) -> Obj | None:
    """A new resource list with every quantity rounded up to milli precision, or None when no
    quantity changes (or `resources` is not a map)."""
    if not isinstance(resources, dict):
        return None
    changed = {name: _rounded(value) for name, value in resources.items()}
    if all(changed[name] is value for name, value in resources.items()):
        return None
    return changed


def set_defaults_resource_list(owner: Obj, key: str) -> None:
    """`SetDefaults_ResourceList` on `owner[key]`, in place of the old list when it changes."""
    rounded = rounded_resource_list(owner.get(key))
    if rounded is not None:
        owner[key] = rounded


def set_defaults_resource_requirements(owner: Obj, key: str = "resources") -> None:
    """`SetDefaults_ResourceList` on the limits and requests of `owner[key]`."""
    requirements = owner.get(key)
    if isinstance(requirements, dict):
        set_defaults_resource_list(requirements, "limits")
        set_defaults_resource_list(requirements, "requests")
