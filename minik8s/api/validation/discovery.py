"""EndpointSlice validation, mirroring `pkg/apis/discovery/validation/validation.go`
(`ValidateEndpointSlice(Create/Update)`: addressType, endpoints, ports). An endpoint that
validated cleanly is remembered by (addressType, nodeName, hostname, addresses) and not checked
again (`ValidMemo` in valid_memo.py); errors are always computed afresh.

Left out: topology hints (`forZones`/`forNodes`) and the deprecated topology map.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.field import (
    FieldError,
    Path,
    duplicate,
    invalid,
    not_supported,
    required,
    too_many,
)
from minik8s.api.validation.core import (
    SUPPORTED_PORT_PROTOCOLS,
    Obj,
    ValidMemo,
    str_key,
    validate_core_object_meta,
    validate_dns1123_label,
    validate_meta_update,
    validate_non_special_ip,
    validate_qualified_name,
)
from minik8s.api.validation.dispatch import validates, validates_update
from minik8s.api.validation.meta import name_is_dns_subdomain, validate_immutable_field
from minik8s.api.validation.names import (
    is_fully_qualified_domain_name,
    is_valid_ipv4_address,
    is_valid_ipv6_address,
)

ADDRESS_TYPES = ("FQDN", "IPv4", "IPv6")
MAX_ADDRESSES = 100
MAX_PORTS = 20000
MAX_ENDPOINTS = 1000
SLICE_ENDPOINTS = ValidMemo()  # endpoints known valid, by (addressType, nodeName, hostname, *ips)


@validates("EndpointSlice")
def validate_endpoint_slice(eps: Obj) -> list[FieldError]:
    """upstream `ValidateEndpointSlice`."""
    errs = validate_core_object_meta(eps, True, name_is_dns_subdomain)
    address_type = eps.get("addressType") or ""
    if not address_type:
        errs.append(required(Path("addressType")))
    elif address_type not in ADDRESS_TYPES:
        errs.append(not_supported(Path("addressType"), address_type, ADDRESS_TYPES))
    errs += _validate_endpoints(eps.get("endpoints") or [], address_type, Path("endpoints"))
    return errs + _validate_ports(eps.get("ports") or [], Path("ports"))


@validates_update("EndpointSlice")
def validate_endpoint_slice_update(new: Obj, old: Obj) -> list[FieldError]:
    """upstream `ValidateEndpointSliceUpdate`: addressType is immutable."""
    errs = validate_meta_update(new, old)
    path = Path("addressType")
    return errs + validate_immutable_field(new.get("addressType"), old.get("addressType"), path)


def _validate_address(address: str, address_type: str, path: Path) -> list[FieldError]:
    if address_type == "FQDN":
        return is_fully_qualified_domain_name(path, address)
    if address_type not in ("IPv4", "IPv6"):
        return []
    check = is_valid_ipv4_address if address_type == "IPv4" else is_valid_ipv6_address
    errs = check(path, address)
    if errs:
        return errs
    return validate_non_special_ip(address, path)


def _validate_endpoints(endpoints: list[Obj], address_type: str, path: Path) -> list[FieldError]:
    errs: list[FieldError] = []
    if len(endpoints) > MAX_ENDPOINTS:  # upstream stops here: no endpoint is looked at
        return [too_many(path, len(endpoints), MAX_ENDPOINTS)]
    for i, endpoint in enumerate(endpoints):
        key = _endpoint_key(endpoint, address_type)
        if key in SLICE_ENDPOINTS:
            continue
        endpoint_errs = _validate_endpoint(endpoint, address_type, path.index(i))
        if not endpoint_errs:
            SLICE_ENDPOINTS.add(key)
        errs += endpoint_errs
    return errs


def _endpoint_key(endpoint: Obj, address_type: str) -> tuple[Any, ...] | None:
    """Every field `_validate_endpoint` reads, as a memo key (None: not memoizable)."""
    if type(endpoint) is not dict:
        return None
    addresses = endpoint.get("addresses")
    if type(addresses) is not list:
        return None
    return str_key(address_type, endpoint.get("nodeName"), endpoint.get("hostname"), *addresses)


def _validate_endpoint(endpoint: Obj, address_type: str, p: Path) -> list[FieldError]:
    """Every problem of one Endpoint (reads only its addresses, nodeName and hostname)."""
    errs: list[FieldError] = []
    addresses = endpoint.get("addresses") or []
    if not addresses:
        errs.append(required(p.child("addresses"), "must contain at least 1 address"))
    elif len(addresses) > MAX_ADDRESSES:
        errs.append(too_many(p.child("addresses"), len(addresses), MAX_ADDRESSES))
    addresses_path = p.child("addresses")
    for j, address in enumerate(addresses):
        errs += _validate_address(address, address_type, addresses_path.index(j))
    node = endpoint.get("nodeName")
    if node is not None:
        msgs = name_is_dns_subdomain(node, False)
        errs += [invalid(p.child("nodeName"), node, m) for m in msgs]
    if endpoint.get("hostname") is not None:
        errs += validate_dns1123_label(endpoint["hostname"], p.child("hostname"))
    return errs


def _validate_ports(ports: list[Obj], path: Path) -> list[FieldError]:
    errs: list[FieldError] = []
    if len(ports) > MAX_PORTS:  # upstream stops here: no port is looked at
        return [too_many(path, len(ports), MAX_PORTS)]
    names: set[str] = set()
    for i, port in enumerate(ports):
        p = path.index(i)
        name = port.get("name") or ""
        if name:
            errs += validate_dns1123_label(name, p.child("name"))
        if name in names:
            errs.append(duplicate(p.child("name"), name))
        names.add(name)
        protocol = port.get("protocol")
        if protocol is None:
            errs.append(required(p.child("protocol")))
        elif protocol not in SUPPORTED_PORT_PROTOCOLS:
            errs.append(not_supported(p.child("protocol"), protocol, SUPPORTED_PORT_PROTOCOLS))
        if port.get("appProtocol") is not None:
            errs += validate_qualified_name(port["appProtocol"], p.child("appProtocol"))
    return errs
