"""Lease validation, mirroring `pkg/apis/coordination/validation/validation.go`
(`ValidateLease(Update)`, `ValidateLeaseSpec`, `ValidateCoordinatedLeaseStrategy`).

Left out: LeaseCandidate.
"""

from __future__ import annotations

from minik8s.api.field import FieldError, Path, forbidden, invalid, not_supported
from minik8s.api.validation.core import (
    Obj,
    meta_of,
    spec_of,
    validate_meta_update,
)
from minik8s.api.validation.dispatch import validates, validates_update
from minik8s.api.validation.meta import name_is_dns_subdomain, validate_object_meta
from minik8s.api.validation.names import is_dns1123_subdomain, is_qualified_name

SPEC = Path("spec")
META = Path("metadata")
LEASE_STRATEGIES = ("OldestEmulationVersion",)


@validates("Lease")
def validate_lease(lease: Obj) -> list[FieldError]:
    """upstream `ValidateLease`."""
    errs = validate_object_meta(meta_of(lease), True, name_is_dns_subdomain, META)
    return errs + validate_lease_spec(spec_of(lease), SPEC)


@validates_update("Lease")
def validate_lease_update(new: Obj, old: Obj) -> list[FieldError]:
    """upstream `ValidateLeaseUpdate` (the spec rules run in `validate_lease`)."""
    return validate_meta_update(new, old)


def validate_lease_spec(spec: Obj, path: Path) -> list[FieldError]:
    """upstream `ValidateLeaseSpec`."""
    errs: list[FieldError] = []
    duration = spec.get("leaseDurationSeconds")
    if duration is not None and duration <= 0:
        errs.append(invalid(path.child("leaseDurationSeconds"), duration, "must be greater than 0"))
    transitions = spec.get("leaseTransitions")
    if transitions is not None and transitions < 0:
        detail = "must be greater than or equal to 0"
        errs.append(invalid(path.child("leaseTransitions"), transitions, detail))
    strategy = spec.get("strategy") or ""
    if strategy:
        errs += validate_coordinated_lease_strategy(strategy, path.child("strategy"))
    if spec.get("preferredHolder") and not strategy:
        detail = "may only be specified if `strategy` is defined"
        errs.append(forbidden(path.child("preferredHolder"), detail))
    return errs


def validate_coordinated_lease_strategy(strategy: str, path: Path) -> list[FieldError]:
    """upstream `ValidateCoordinatedLeaseStrategy`: a built-in name or `<domain>/<name>`."""
    parts = strategy.split("/")
    if len(parts) == 1:
        if strategy not in LEASE_STRATEGIES:
            return [not_supported(path, strategy, LEASE_STRATEGIES)]
        return []
    if len(parts) == 2:
        errs = [invalid(path, strategy, m) for m in is_dns1123_subdomain(parts[0])]
        return errs + [invalid(path, strategy, m) for m in is_qualified_name(parts[1])]
    return [invalid(path, strategy, "must be a valid strategy name")]
