"""Core (v1) validation of the small kinds, mirroring `pkg/apis/core/validation/validation.go`:
`ValidateNamespace`, `ValidateServiceAccount` and `ValidatePodBinding`.

The helpers every kind shares (`ValidateObjectMeta` core flavour, `ValidateNonSpecialIP`,
`ValidatePortNumOrName`...) are in `core_common`, Endpoints in `endpoints` and the memo of valid
addresses in `valid_memo`; all are re-exported here, and importing this module registers them.
Left out: field-error "origins", the events.k8s.io-only Event rules.
"""

from __future__ import annotations

from minik8s.api.field import FieldError, Path, not_supported, required
from minik8s.api.validation.core_common import (
    IS_NEGATIVE_ERROR_MSG,
    IS_NOT_INTEGER_ERROR_MSG,
    IS_NOT_POSITIVE_ERROR_MSG,
    META,
    STANDARD_FINALIZERS,
    SUPPORTED_PORT_PROTOCOLS,
    Obj,
    meta_of,
    spec_of,
    validate_cidr,
    validate_core_object_meta,
    validate_dns1123_label,
    validate_dns1123_subdomain,
    validate_ip,
    validate_kube_finalizer_name,
    validate_meta_update,
    validate_non_special_ip,
    validate_port_num_or_name,
    validate_protocol,
    validate_qualified_name,
)
from minik8s.api.validation.dispatch import validates, validates_update
from minik8s.api.validation.endpoints import (
    ENDPOINT_ADDRESSES,
    validate_endpoints,
    validate_endpoints_update,
)
from minik8s.api.validation.meta import (
    name_is_dns_label,
    name_is_dns_subdomain,
    validate_finalizer_name,
)
from minik8s.api.validation.names import parse_ip_sloppy
from minik8s.api.validation.valid_memo import ValidMemo, str_key

__all__ = [
    "ENDPOINT_ADDRESSES",
    "IS_NEGATIVE_ERROR_MSG",
    "IS_NOT_INTEGER_ERROR_MSG",
    "IS_NOT_POSITIVE_ERROR_MSG",
    "META",
    "STANDARD_FINALIZERS",
    "SUPPORTED_PORT_PROTOCOLS",
    "Obj",
    "ValidMemo",
    "meta_of",
    "parse_ip_sloppy",
    "spec_of",
    "str_key",
    "validate_binding",
    "validate_cidr",
    "validate_core_object_meta",
    "validate_dns1123_label",
    "validate_dns1123_subdomain",
    "validate_endpoints",
    "validate_endpoints_update",
    "validate_ip",
    "validate_kube_finalizer_name",
    "validate_meta_update",
    "validate_namespace",
    "validate_namespace_update",
    "validate_non_special_ip",
    "validate_port_num_or_name",
    "validate_protocol",
    "validate_qualified_name",
    "validate_service_account",
    "validate_service_account_update",
]


@validates("Namespace")
def validate_namespace(ns: Obj) -> list[FieldError]:
    """upstream `ValidateNamespace`: DNS-label name, cluster-scoped, valid spec.finalizers."""
    errs = validate_core_object_meta(ns, False, name_is_dns_label)
    path = Path("spec", "finalizers")  # upstream reports these without an index
    for finalizer in spec_of(ns).get("finalizers") or []:
        errs += validate_finalizer_name(finalizer, path)
        errs += validate_kube_finalizer_name(finalizer, path)
    return errs


@validates_update("Namespace")
def validate_namespace_update(new: Obj, old: Obj) -> list[FieldError]:
    """upstream `ValidateNamespaceUpdate`."""
    return validate_meta_update(new, old)


@validates("ServiceAccount")
def validate_service_account(sa: Obj) -> list[FieldError]:
    """upstream `ValidateServiceAccount`."""
    return validate_core_object_meta(sa, True, name_is_dns_subdomain)


@validates_update("ServiceAccount")
def validate_service_account_update(new: Obj, old: Obj) -> list[FieldError]:
    """upstream `ValidateServiceAccountUpdate`."""
    return validate_meta_update(new, old)


@validates("Binding")
def validate_binding(binding: Obj) -> list[FieldError]:
    """upstream `ValidatePodBinding`: target kind Node (or empty) and a target name."""
    target = binding.get("target") or {}
    errs: list[FieldError] = []
    kind = target.get("kind") or ""
    if kind and kind != "Node":
        errs.append(not_supported(Path("target", "kind"), kind, ["Node", "<empty>"]))
    if not target.get("name"):
        errs.append(required(Path("target", "name")))
    return errs
