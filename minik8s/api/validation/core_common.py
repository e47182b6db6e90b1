"""Core (v1) validation helpers every kind's rules share, mirroring
`pkg/apis/core/validation/validation.go`: `ValidateObjectMeta` (core flavour, with
`validateKubeFinalizerName`), `ValidateDNS1123Label`/`Subdomain`, `ValidateQualifiedName`,
`ValidateNonSpecialIP`, `ValidatePortNumOrName` and the port protocol check.

`core` re-exports every name. Left out: field-error "origins".
"""

from __future__ import annotations

import ipaddress
from typing import Any

from minik8s.api.field import FieldError, Path, invalid, not_supported, required
from minik8s.api.validation.meta import (
    NameValidator,
    validate_object_meta,
    validate_object_meta_update,
)
from minik8s.api.validation.names import (
    is_dns1123_label,
    is_dns1123_subdomain,
    is_qualified_name,
    is_valid_cidr,
    is_valid_ip,
    is_valid_port_name,
    is_valid_port_num,
    parse_ip_sloppy,
    parse_ipv4_sloppy,
)

Obj = dict[str, Any]
META = Path("metadata")
SUPPORTED_PORT_PROTOCOLS = ("SCTP", "TCP", "UDP")
STANDARD_FINALIZERS = ("kubernetes", "orphan", "foregroundDeletion")
IS_NEGATIVE_ERROR_MSG = "must be greater than or equal to 0"
IS_NOT_POSITIVE_ERROR_MSG = "must be greater than zero"
IS_NOT_INTEGER_ERROR_MSG = "must be an integer"


def spec_of(obj: Obj) -> Obj:
    """`obj["spec"]`, or `{}` when absent or null."""
    return obj.get("spec") or {}


def meta_of(obj: Obj) -> Obj:
    """`obj["metadata"]`, or `{}` when absent or null."""
    return obj.get("metadata") or {}


def validate_kube_finalizer_name(name: str, path: Path) -> list[FieldError]:
    """upstream `validateKubeFinalizerName`: unqualified names must be standard ones."""
    if "/" not in name and name not in STANDARD_FINALIZERS:
        detail = "name is neither a standard finalizer name nor is it fully qualified"
        return [invalid(path, name, detail)]
    return []


def validate_core_object_meta(
    obj: Obj, namespaced: bool, name_fn: NameValidator
) -> list[FieldError]:
    """core `ValidateObjectMeta`: the generic checks plus standard finalizer names."""
    meta = meta_of(obj)
    errs = validate_object_meta(meta, namespaced, name_fn, META)
    for i, finalizer in enumerate(meta.get("finalizers") or []):
        errs += validate_kube_finalizer_name(finalizer, META.child("finalizers").index(i))
    return errs


def validate_meta_update(new: Obj, old: Obj) -> list[FieldError]:
    """`ValidateObjectMetaUpdate(&new.ObjectMeta, &old.ObjectMeta, "metadata")`."""
    return validate_object_meta_update(meta_of(new), meta_of(old), META)


def validate_dns1123_label(value: str, path: Path) -> list[FieldError]:
    """upstream `ValidateDNS1123Label`."""
    return [invalid(path, value, msg) for msg in is_dns1123_label(value)]


def validate_dns1123_subdomain(value: str, path: Path) -> list[FieldError]:
    """upstream `ValidateDNS1123Subdomain`."""
    return [invalid(path, value, msg) for msg in is_dns1123_subdomain(value)]


def validate_qualified_name(value: str, path: Path) -> list[FieldError]:
    """upstream `ValidateQualifiedName`."""
    return [invalid(path, value, msg) for msg in is_qualified_name(value)]


def validate_ip(value: str, path: Path) -> list[FieldError]:
    """apimachinery `IsValidIP(fldPath, value)`."""
    return is_valid_ip(path, value)


def validate_cidr(value: str, path: Path) -> list[FieldError]:
    """apimachinery `IsValidCIDR(fldPath, value)` (host bits may be set, like Go's ParseCIDR)."""
    return is_valid_cidr(path, value)


def validate_non_special_ip(value: str, path: Path) -> list[FieldError]:
    """upstream `ValidateNonSpecialIP`: no unspecified, loopback or link-local addresses."""
    number = parse_ipv4_sloppy(value)
    if number is not None:  # the common case, without an `ipaddress` object
        return _special_ipv4(number, value, path)
    ip = parse_ip_sloppy(value)
    if ip is None:
        return [invalid(path, value, "must be a valid IP address")]
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    errs: list[FieldError] = []
    if ip.is_unspecified:
        errs.append(invalid(path, value, f"may not be unspecified ({value})"))
    if ip.is_loopback:
        errs.append(invalid(path, value, "may not be in the loopback range (127.0.0.0/8, ::1/128)"))
    if ip.is_link_local:
        detail = "may not be in the link-local range (169.254.0.0/16, fe80::/10)"
        errs.append(invalid(path, value, detail))
    if _is_link_local_multicast(ip):
        detail = "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"
        errs.append(invalid(path, value, detail))
    return errs


def _special_ipv4(number: int, value: str, path: Path) -> list[FieldError]:
    """`validate_non_special_ip` for an IPv4 address given as its 32-bit value."""
    errs: list[FieldError] = []
    if number == 0:
        errs.append(invalid(path, value, f"may not be unspecified ({value})"))
    if number >> 24 == 127:
        errs.append(invalid(path, value, "may not be in the loopback range (127.0.0.0/8, ::1/128)"))
    if number >> 16 == 0xA9FE:  # 169.254.0.0/16
        detail = "may not be in the link-local range (169.254.0.0/16, fe80::/10)"
        errs.append(invalid(path, value, detail))
    if number >> 8 == 0xE00000:  # 224.0.0.0/24
        detail = "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"
        errs.append(invalid(path, value, detail))
    return errs


def _is_link_local_multicast(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv4Address):
        return ip in ipaddress.ip_network("224.0.0.0/24")
    return ip.is_multicast and (ip.packed[1] & 0x0F) == 0x02


def validate_port_num_or_name(port: Any, path: Path) -> list[FieldError]:
    """upstream `ValidatePortNumOrName` for an IntOrString."""
    if isinstance(port, int) and not isinstance(port, bool):
        return [invalid(path, port, msg) for msg in is_valid_port_num(port)]
    if isinstance(port, str):
        return [invalid(path, port, msg) for msg in is_valid_port_name(port)]
    return [invalid(path, port, "must be an int or a string")]


def validate_protocol(protocol: str, path: Path) -> list[FieldError]:
    """`Required` when empty, else one of SCTP/TCP/UDP."""
    if not protocol:
        return [required(path)]
    if protocol not in SUPPORTED_PORT_PROTOCOLS:
        return [not_supported(path, protocol, SUPPORTED_PORT_PROTOCOLS)]
    return []
