"""The host-local IPAM plugin, mirroring containernetworking/plugins `plugins/ipam/host-local`
(`main.go`, `backend/allocator/{allocator,range,range_set,config}.go`, `backend/disk`).

Each range set yields one address (one per IP family). A range defaults to the subnet minus its
network and broadcast addresses (`.1`-`.254` of a /24); the gateway (default `.1`) is skipped.
Allocation is round robin: the search starts after the last reserved address and wraps around,
so a crash-looping pod does not get its old address back at once. The "disk" store (one per
`dataDir`, default `/var/lib/cni/networks/<name>`) lives in the plugin object of one node.

Deviation: upstream refuses a second ADD for the same container id and ifname ("duplicate
allocation is not allowed"); here it returns the same address again, so a retried ADD is
harmless. Left out: `requestedIP`/`ips` args, pod-name reservations, `resolvConf`.
"""

from __future__ import annotations

import ipaddress
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from minik8s.cni.api import (
    ERR_INTERNAL,
    ERR_INVALID_NETWORK_CONFIG,
    CNIError,
    CNIResult,
    Config,
    IPConfig,
    check_version,
    version_info,
)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass
class Range:
    """One `{"subnet", "rangeStart", "rangeEnd", "gateway"}` entry, canonicalized."""

    subnet: IPNetwork
    range_start: IPAddress
    range_end: IPAddress
    gateway: IPAddress

    def __str__(self) -> str:
        return f"{self.range_start}-{self.range_end}"

    def contains(self, ip: IPAddress) -> bool:
        return ip in self.subnet and int(self.range_start) <= int(ip) <= int(self.range_end)


_FIELDS = {"gateway": "gateway", "rangeStart": "range_start", "rangeEnd": "range_end"}


def parse_range(spec: dict[str, Any]) -> Range:
    """upstream `Range.Canonicalize`: fill in start, end and gateway; reject bad values."""
    try:
        subnet = ipaddress.ip_network(spec["subnet"], strict=False)
    except (KeyError, ValueError) as err:
        raise CNIError(ERR_INVALID_NETWORK_CONFIG, f"invalid subnet: {err}") from None
    if subnet.prefixlen > subnet.max_prefixlen - 2:
        raise CNIError(ERR_INTERNAL, f"Network {subnet} too small to allocate from")
    first = subnet.network_address + 1
    last = subnet.broadcast_address - (1 if subnet.version == 4 else 0)
    r = Range(subnet, first, last, first)
    for key in ("gateway", "rangeStart", "rangeEnd"):
        if spec.get(key):
            ip = ipaddress.ip_address(spec[key])
            if ip not in subnet:
                raise CNIError(ERR_INTERNAL, f"{ip} not in network {subnet}")
            setattr(
                r, {"gateway": "gateway", "rangeStart": "range_start"}.get(key, "range_end"), ip
            )
    return r


def range_sets(ipam: Config) -> list[list[Range]]:
    """The `ranges` of an ipam config (or its legacy single `subnet`) as range sets."""
    raw = _raw_ranges(ipam)
    return [[parse_range(spec) for spec in rs] for rs in raw]


def _raw_ranges(ipam: Config) -> list[list[Config]]:
    raw = ipam.get("ranges")
    if not raw and ipam.get("subnet"):
        raw = [[{k: ipam[k] for k in ("subnet", "rangeStart", "rangeEnd", "gateway") if k in ipam}]]
    if not raw:
        raise CNIError(ERR_INVALID_NETWORK_CONFIG, "no IP ranges specified")
    return list(raw)


PARSED_CONFIGS = 8  # range sets a node's plugin remembers (one network config in practice)


def range_set_string(rs: list[Range]) -> str:
    """upstream `RangeSet.String`: the ranges joined by commas."""
    return ",".join(str(r) for r in rs)


@dataclass
class Store:
    """The disk backend: which address belongs to which (container id, ifname)."""

    reserved: dict[IPAddress, tuple[str, str]] = field(default_factory=dict)
    last_reserved: dict[int, IPAddress] = field(default_factory=dict)  # range set index → IP
    # (container id, ifname) → its addresses in reservation order: `reserved` inverted, so a
    # lookup by owner does not scan every address of the node
    by_owner: dict[tuple[str, str], list[IPAddress]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def get_by_id(self, container_id: str, ifname: str) -> list[IPAddress]:
        return list(self.by_owner.get((container_id, ifname), ()))

    def reserve(self, container_id: str, ifname: str, ip: IPAddress, range_id: int) -> bool:
        if ip in self.reserved:
            return False
        owner = (container_id, ifname)
        self.reserved[ip] = owner
        self.by_owner.setdefault(owner, []).append(ip)
        self.last_reserved[range_id] = ip
        return True

    def release_by_id(self, container_id: str, ifname: str) -> None:
        for ip in self.by_owner.pop((container_id, ifname), ()):
            del self.reserved[ip]


def candidates(rs: list[Range], last: IPAddress | None) -> Iterator[tuple[IPAddress, Range]]:
    """upstream `RangeIter`: every address of the set once, starting after `last`, no gateways."""
    spans = [(r, r.range_start, r.range_end) for r in rs]
    start = next((i for i, r in enumerate(rs) if last is not None and r.contains(last)), None)
    if start is not None and last is not None:
        r = rs[start]
        rest = spans[start + 1 :] + spans[:start]
        spans = [(r, last + 1, r.range_end), *rest, (r, r.range_start, last)]
    yield from _walk(spans)


def _walk(spans: list[tuple[Range, IPAddress, IPAddress]]) -> Iterator[tuple[IPAddress, Range]]:
    for r, first, end in spans:
        ip = first
        while int(ip) <= int(end):
            if ip != r.gateway:
                yield ip, r
            ip += 1


class HostLocal:
    """host-local IPAM for one node; state per `dataDir`."""

    def __init__(self) -> None:
        self.stores: dict[str, Store] = {}
        # config text → its parsed range sets: every ADD of the node passes the same config
        self._parsed: OrderedDict[str, list[list[Range]]] = OrderedDict()

    def __repr__(self) -> str:
        used = sum(len(s.reserved) for s in self.stores.values())
        return f"<HostLocal networks={len(self.stores)} allocated={used}>"

    def store_for(self, config: Config) -> Store:
        """The store of this network (`ipam.dataDir`, default `/var/lib/cni/networks/<name>`)."""
        ipam = config.get("ipam") or {}
        data_dir = ipam.get("dataDir") or f"/var/lib/cni/networks/{config.get('name', '')}"
        return self.stores.setdefault(data_dir, Store())

    def add(
        self,
        container_id: str,
        netns: str,
        ifname: str,
        config: Config,
        args: dict[str, str] | None = None,
    ) -> CNIResult:
        """Allocate one address per range set (the same ones again for a repeated ADD)."""
        check_version(config)
        ipam, store = config.get("ipam") or {}, self.store_for(config)
        result = CNIResult(cniVersion=config.get("cniVersion") or "1.0.0")
        try:
            for index, rs in enumerate(self.range_sets(ipam)):
                result.ips.append(self._get(store, index, rs, container_id, ifname))
        except CNIError:
            store.release_by_id(container_id, ifname)
            raise
        result.routes = [dict(r) for r in ipam.get("routes") or []]
        result.dns = dict(ipam.get("dns") or {})
        return result

    def range_sets(self, ipam: Config) -> list[list[Range]]:
        """`range_sets(ipam)`, parsed once per config text (shared: do not mutate); a bad
        config is never kept and raises every time."""
        raw = _raw_ranges(ipam)
        text = repr(raw)
        found = self._parsed.get(text)
        if found is not None:
            self._parsed.move_to_end(text)
            return found
        found = self._parsed[text] = [[parse_range(spec) for spec in rs] for rs in raw]
        if len(self._parsed) > PARSED_CONFIGS:
            self._parsed.popitem(last=False)
        return found

    def _get(
        self, store: Store, index: int, rs: list[Range], container_id: str, ifname: str
    ) -> IPConfig:
        """upstream `IPAllocator.Get` for one range set."""
        for ip in store.get_by_id(container_id, ifname):
            r = next((r for r in rs if r.contains(ip)), None)
            if r is not None:
                return IPConfig(f"{ip}/{r.subnet.prefixlen}", str(r.gateway))
        for ip, r in candidates(rs, store.last_reserved.get(index)):
            if store.reserve(container_id, ifname, ip, index):
                return IPConfig(f"{ip}/{r.subnet.prefixlen}", str(r.gateway))
        msg = f"no IP addresses available in range set: {range_set_string(rs)}"
        raise CNIError(ERR_INTERNAL, msg)

    def delete(
        self,
        container_id: str,
        netns: str,
        ifname: str,
        config: Config,
        args: dict[str, str] | None = None,
    ) -> None:
        """Release every address of the container; releasing nothing is not an error."""
        check_version(config)
        self.store_for(config).release_by_id(container_id, ifname)

    def check(
        self,
        container_id: str,
        netns: str,
        ifname: str,
        config: Config,
        args: dict[str, str] | None = None,
    ) -> None:
        """upstream `cmdCheck`: the container must still hold an address here."""
        check_version(config)
        if not self.store_for(config).get_by_id(container_id, ifname):
            msg = f"host-local: Failed to find address added by container {container_id}"
            raise CNIError(ERR_INTERNAL, msg)

    def version(self) -> dict[str, Any]:
        return version_info()
