"""Endpoints validation, mirroring `ValidateEndpoints`, `validateEndpointSubsets`,
`validateEndpointAddress` and `validateEndpointPort` of `pkg/apis/core/validation/validation.go`.

An address that validated cleanly is remembered (`ValidMemo`, keyed by every field read) and not
checked again; errors are always computed afresh, with their field paths. Left out: Endpoints
annotations, field-error "origins".
"""

from __future__ import annotations

from minik8s.api.field import FieldError, Path, invalid, required
from minik8s.api.validation.core_common import (
    Obj,
    validate_core_object_meta,
    validate_dns1123_label,
    validate_ip,
    validate_meta_update,
    validate_non_special_ip,
    validate_protocol,
    validate_qualified_name,
)
from minik8s.api.validation.dispatch import validates, validates_update
from minik8s.api.validation.meta import name_is_dns_subdomain
from minik8s.api.validation.names import is_valid_port_num
from minik8s.api.validation.valid_memo import ValidMemo, str_key


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
