"""Warnings of Services, mirroring upstream v1.31 `pkg/api/service/warnings.go`
(`GetWarningsForService`, `getWarningsForIP`, `getWarningsForCIDR`).

Left out: the later releases' headless-service, `externalIPs` deprecation and
`trafficDistribution` warnings. Go's `netip` parse errors are reproduced for what validation lets
through: IPv4 octets with leading zeros.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from minik8s.apiserver.volume_warnings import annotations_of

Obj = dict[str, Any]

ANN_TOPOLOGY_AWARE_HINTS = "service.kubernetes.io/topology-aware-hints"
ANN_TOPOLOGY_MODE = "service.kubernetes.io/topology-mode"
_LEADING_ZERO = re.compile(r"(^|\.)0\d")


def warnings_for_service(service: Obj) -> list[str]:
    """upstream `GetWarningsForService` (v1.31): the deprecated hints annotation, IP addresses
    and prefixes Go's `netip` rejects or that are not RFC 5952 canonical, ignored fields."""
    spec = service.get("spec") or {}
    out = []
    if ANN_TOPOLOGY_AWARE_HINTS in annotations_of(service):
        out.append(
            f"annotation {ANN_TOPOLOGY_AWARE_HINTS} is deprecated, please use "
            f"{ANN_TOPOLOGY_MODE} instead"
        )
    if spec.get("clusterIP") not in (None, "", "None"):  # helper.IsServiceIPSet
        for i, ip in enumerate(spec.get("clusterIPs") or []):
            out += _ip_warnings(f"spec.clusterIPs[{i}]", ip)
    for i, ip in enumerate(spec.get("externalIPs") or []):
        out += _ip_warnings(f"spec.externalIPs[{i}]", ip)
    if spec.get("loadBalancerIP"):
        out += _ip_warnings("spec.loadBalancerIP", spec["loadBalancerIP"])
    for i, cidr in enumerate(spec.get("loadBalancerSourceRanges") or []):
        out += _cidr_warnings(f"spec.loadBalancerSourceRanges[{i}]", cidr)
    external_name = spec.get("type") == "ExternalName"
    if external_name and spec.get("externalIPs"):
        out.append('spec.externalIPs is ignored when spec.type is "ExternalName"')
    if not external_name and spec.get("externalName"):
        out.append('spec.externalName is ignored when spec.type is not "ExternalName"')
    return out


def _parse_addr_error(address: str) -> str | None:
    """Go's `netip.ParseAddr` error for an address validation accepted (else None)."""
    if "." in address and ":" not in address and _LEADING_ZERO.search(address):
        return f'ParseAddr("{address}"): IPv4 field has octet with leading zero'
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return f'ParseAddr("{address}"): unable to parse IP'
    return None


def _go_ip_string(address: str) -> str:
    """Go's `netip.Addr.String()` (IPv4-mapped IPv6 keeps its dotted tail)."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return f"::ffff:{ip.ipv4_mapped}"
    return ip.compressed


def _ip_warnings(path: str, address: str) -> list[str]:
    error = _parse_addr_error(address)
    if error:
        return [
            f"{path}: IP address was accepted, but will be invalid in a future Kubernetes "
            f"release: {error}"
        ]
    canonical = _go_ip_string(address)
    if ":" in address and canonical != address:
        return [
            f'{path}: IPv6 address "{address}" is not in RFC 5952 canonical format '
            f'("{canonical}"), which may cause controller apply-loops'
        ]
    return []


def _cidr_warnings(path: str, cidr: str) -> list[str]:
    address, _, bits = cidr.partition("/")
    error = _parse_addr_error(address)
    if error:
        return [
            f"{path}: IP prefix was accepted, but will be invalid in a future Kubernetes "
            f'release: netip.ParsePrefix("{cidr}"): {error}'
        ]
    canonical = f"{_go_ip_string(address)}/{bits}"
    if ":" in address and canonical != cidr:
        return [
            f'{path}: IPv6 prefix "{cidr}" is not in RFC 5952 canonical format '
            f'("{canonical}"), which may cause controller apply-loops'
        ]
    return []
