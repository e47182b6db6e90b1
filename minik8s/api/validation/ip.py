"""IP address validators, mirroring apimachinery `pkg/util/validation/ip.go`.

With `netutils.ParseIPSloppy` (k8s.io/utils/net): like Go's `net.ParseIP`, but IPv4 parts may
carry leading zeros, as the validators have always accepted. Left out: the IP/CIDR warnings
(`GetWarningsForIP`, `GetWarningsForCIDR`) and `IsValidInterfaceAddress`.
"""

from __future__ import annotations

import ipaddress

from minik8s.api.field import FieldError, Path, invalid


def parse_ipv4_sloppy(value: str) -> int | None:
    """The 32-bit value of a dotted-quad IPv4 address (leading zeros allowed, as
    `netutils.ParseIPSloppy`), or None: the fast path that needs no `ipaddress` object."""
    parts = value.split(".")
    if len(parts) != 4:
        return None
    number = 0
    for part in parts:
        if not (part.isascii() and part.isdigit()):
            return None
        octet = int(part)
        if octet > 255:
            return None
        number = number << 8 | octet
    return number


def parse_ip_sloppy(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """`netutils.ParseIPSloppy`: like Go's net.ParseIP, but IPv4 parts may have leading zeros."""
    number = parse_ipv4_sloppy(value)
    if number is not None:
        return ipaddress.IPv4Address(number)
    if ":" not in value or "%" in value:  # Go's ParseIP has no zones
        return None
    try:
        return ipaddress.IPv6Address(value)
    except ValueError:
        return None


def is_valid_ip(path: Path, value: str) -> list[FieldError]:
    """upstream `IsValidIP` (ip.go): an IPv4 or IPv6 address, leading zeros tolerated."""
    if parse_ipv4_sloppy(value) is None and parse_ip_sloppy(value) is None:
        return [
            invalid(path, value, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")
        ]
    return []


def is_valid_ipv4_address(path: Path, value: str) -> list[FieldError]:
    """upstream `IsValidIPv4Address`."""
    if parse_ipv4_sloppy(value) is not None:
        return []
    ip = parse_ip_sloppy(value)
    if ip is None or (ip.version == 6 and ip.ipv4_mapped is None):  # type: ignore[union-attr]
        return [invalid(path, value, "must be a valid IPv4 address")]
    return []


def is_valid_ipv6_address(path: Path, value: str) -> list[FieldError]:
    """upstream `IsValidIPv6Address`."""
    ip = None if parse_ipv4_sloppy(value) is not None else parse_ip_sloppy(value)
    if ip is None or ip.version == 4 or ip.ipv4_mapped is not None:  # type: ignore[union-attr]
        return [invalid(path, value, "must be a valid IPv6 address")]
    return []


def is_valid_cidr(path: Path, value: str) -> list[FieldError]:
    """upstream `IsValidCIDR` (`10.9.8.0/24`; host bits may be set)."""
    addr, _, bits = value.partition("/")
    ip = parse_ip_sloppy(addr)
    if ip is None or not (bits.isascii() and bits.isdigit()) or int(bits) > ip.max_prefixlen:
        detail = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"
        return [invalid(path, value, detail)]
    return []
