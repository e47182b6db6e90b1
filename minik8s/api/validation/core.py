"""Core (v1) validation shared helpers and the small kinds, mirroring
`pkg/apis/core/validation/validation.go`: `ValidateObjectMeta` (core flavour),
`ValidateNonSpecialIP`, `ValidatePortNumOrName`, `ValidateEndpoints`, `ValidateNamespace`,
`ValidateServiceAccount` and `ValidatePodBinding`.

Every Endpoints write repeats all its addresses, so an address that validated cleanly is
remembered (`ValidMemo`, keyed by every field read) and not checked again; errors are always
computed afresh, with their field paths.
Left out: field-error "origins", the events.k8s.io-only Event rules, Endpoints annotations.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from minik8s.api.field import (
    FieldError,
    Path,
    invalid,
    not_supported,
    required,
)
from minik8s.api.validation.dispatch import validates, validates_update
from minik8s.api.validation.meta import (
    NameValidator,
    name_is_dns_label,
    name_is_dns_subdomain,
    validate_finalizer_name,
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


# --- Endpoints ---------------------------------------------------------------------------------


@validates("Endpoints")
def validate_endpoints(ep: Obj) -> list[FieldError]:
    """upstream `ValidateEndpoints`."""
    errs = validate_core_object_meta(ep, True, name_is_dns_subdomain)
    for i, subset in enumerate(ep.get("subsets") or []):
        errs += _validate_endpoint_subset(subset, Path("subsets").index(i))
    return errs


@validates_update("Endpoints")
def validate_endpoints_update(new: Obj, old: Obj) -> list[FieldError]:
    """upstream `ValidateEndpointsUpdate` (the rest is `validate_endpoints`)."""
    return validate_meta_update(new, old)


class ValidMemo:
    """A bounded memory of values known to validate cleanly: validating the same endpoint
    address again (every Endpoints or slice write repeats all of them) costs one lookup.

    Only the verdict "no errors" is kept, under a key of every field the validation reads, so
    errors (which carry their field path) are always computed afresh. When full, it forgets
    everything at once (deterministic, unlike hashing order)."""

    def __init__(self, limit: int = 65536):
        self.limit = limit
        self._valid: set[tuple[Any, ...]] = set()

    def __repr__(self) -> str:
        return f"<ValidMemo {len(self._valid)}/{self.limit}>"

    def __contains__(self, key: tuple[Any, ...] | None) -> bool:
        return key is not None and key in self._valid

    def add(self, key: tuple[Any, ...] | None) -> None:
        """Remember that `key` validated with no errors."""
        if key is None:
            return
        if len(self._valid) >= self.limit:
            self._valid.clear()
        self._valid.add(key)

    def clear(self) -> None:
        """Forget every verdict."""
        self._valid.clear()


def str_key(*values: Any) -> tuple[Any, ...] | None:
    """`values` as a memo key when each is a str or None (so equal keys validate alike), else
    None: values of other types (`True == 1`) are validated every time."""
    for value in values:
        if value is not None and type(value) is not str:
            return None
    return values


ENDPOINT_ADDRESSES = ValidMemo()


def _validate_endpoint_subset(subset: Obj, path: Path) -> list[FieldError]:
    errs: list[FieldError] = []
    addresses = subset.get("addresses") or []
    not_ready = subset.get("notReadyAddresses") or []
    if not addresses and not not_ready:
        errs.append(required(path, "must specify `addresses` or `notReadyAddresses`"))
    for field, items in (("addresses", addresses), ("notReadyAddresses", not_ready)):
        items_path = path.child(field)
        for i, address in enumerate(items):
            errs += _validate_endpoint_address_memo(address, items_path, i)
    ports = subset.get("ports") or []
    for i, port in enumerate(ports):
        errs += _validate_endpoint_port(port, len(ports) > 1, path.child("ports").index(i))
    return errs


def _validate_endpoint_address_memo(address: Obj, items_path: Path, i: int) -> list[FieldError]:
    """`_validate_endpoint_address` of `items_path[i]`, skipped for an address known valid."""
    key = None
    if type(address) is dict:
        key = str_key(address.get("ip", ""), address.get("hostname"), address.get("nodeName"))
        if key in ENDPOINT_ADDRESSES:
            return []
    errs = _validate_endpoint_address(address, items_path.index(i))
    if not errs:
        ENDPOINT_ADDRESSES.add(key)
    return errs


def _validate_endpoint_address(address: Obj, path: Path) -> list[FieldError]:
    """Every problem of one EndpointAddress (reads only its ip, hostname and nodeName)."""
    ip, ip_path = address.get("ip", ""), path.child("ip")
    errs = validate_ip(ip, ip_path)
    if address.get("hostname"):
        errs += validate_dns1123_label(address["hostname"], path.child("hostname"))
    if address.get("nodeName") is not None:
        node = address["nodeName"]
        errs += [
            invalid(path.child("nodeName"), node, m) for m in name_is_dns_subdomain(node, False)
        ]
    return errs + validate_non_special_ip(ip, ip_path)


def _validate_endpoint_port(port: Obj, require_name: bool, path: Path) -> list[FieldError]:
    errs: list[FieldError] = []
    name = port.get("name") or ""
    if require_name and not name:
        errs.append(required(path.child("name")))
    elif name:
        errs += validate_dns1123_label(name, path.child("name"))
    number = port.get("port", 0)
    errs += [invalid(path.child("port"), number, m) for m in is_valid_port_num(number)]
    errs += validate_protocol(port.get("protocol") or "", path.child("protocol"))
    if port.get("appProtocol") is not None:
        errs += validate_qualified_name(port["appProtocol"], path.child("appProtocol"))
    return errs


# --- Namespace, ServiceAccount, Binding --------------------------------------------------------


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
