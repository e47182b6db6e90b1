"""Service ClusterIP and NodePort allocators, mirroring `pkg/registry/core/service/ipallocator/
bitmap.go` and `portallocator/allocator.go` (with `allocator/bitmap.go`).

Like upstream's bitmap allocators, a dynamic value is drawn at random from the upper part of the
range (`randomScanStrategyWithOffset`: the first 256 IPs / 86 ports are kept for static
choices) with a seeded rng, falling back to the lower band when the upper one is full. Who owns
what is `service_alloc.ServiceAllocators`' business (kept in step with the store). Left out:
dual-stack allocators, the `ServiceCIDR`/`IPAddress` API, the repair loops.
"""

from __future__ import annotations

import ipaddress
import random
from typing import Any

Obj = dict[str, Any]
SERVICE_CIDR = "10.96.0.0/12"
NODE_PORT_RANGE = (30000, 32767)
ALLOCATED_PORT = "provided port is already allocated"


class RangeFull(Exception):
    """upstream `ErrFull`."""

    def __str__(self) -> str:
        return "range is full"


class Allocated(Exception):
    """upstream `ErrAllocated` (the value is taken by another owner)."""


class NotInRange(Exception):
    """upstream `ErrNotInRange`."""


def range_offset(size: int, low: int, high: int, step: int) -> int:
    """upstream `calculateRangeOffset`: the size of the band kept for static allocation."""
    if size <= low:  # e.g. a /28: 16 addresses, 14 usable, no static band
        return 0
    return min(max(size // step, low), high)


class Bitmap:
    """Offsets 0..max-1 owned by keys; `allocate_next` uses upstream's random scan with offset."""

    def __init__(self, size: int, offset: int, rng: random.Random):
        self.max, self.offset, self.rng = size, offset, rng
        self.owner: dict[int, str] = {}

    def __repr__(self) -> str:
        return f"<Bitmap used={len(self.owner)}/{self.max} offset={self.offset}>"

    def free(self) -> int:
        """How many offsets are still free."""
        return self.max - len(self.owner)

    def set_owner(self, offset: int, owner: str | None) -> None:
        """Give `offset` to `owner`, or release it (None)."""
        if owner is None:
            self.owner.pop(offset, None)
        else:
            self.owner[offset] = owner

    def allocate_next(self, exclude: frozenset[int] = frozenset()) -> int:
        """A free offset: random in [offset, max), else random in [0, offset)."""
        if len(self.owner) >= self.max:
            raise RangeFull()
        upper = max(self.max - self.offset, 0)
        start = self.rng.randrange(upper) if upper else 0
        for i in range(upper):
            at = self.offset + (start + i) % upper
            if at not in self.owner and at not in exclude:
                return at
        start = self.rng.randrange(self.offset) if self.offset else 0
        for i in range(self.offset):
            at = (start + i) % self.offset
            if at not in self.owner and at not in exclude:
                return at
        raise RangeFull()


class IPAllocator:
    """ClusterIPs of one CIDR: the network and broadcast addresses are never handed out."""

    def __init__(self, cidr: str, rng: random.Random):
        self.cidr = ipaddress.ip_network(cidr)
        self.base = int(self.cidr.network_address) + 1
        size = self.cidr.num_addresses - 2
        self.bitmap = Bitmap(size, range_offset(size + 2, 16, 256, 16), rng)

    def __repr__(self) -> str:
        return f"<IPAllocator {self.cidr} used={len(self.bitmap.owner)}>"

    def _offset(self, ip: str) -> int:
        value = int(ipaddress.ip_address(ip)) - self.base
        if not 0 <= value < self.bitmap.max:
            raise NotInRange(
                f"the provided IP ({ip}) is not in the valid range. "
                f"The range of valid IPs is {self.cidr}"
            )
        return value

    def check(self, ip: str, owner: str) -> None:
        """Raise unless `ip` is free (or already `owner`'s)."""
        held = self.bitmap.owner.get(self._offset(ip))
        if held is not None and held != owner:
            raise Allocated("provided IP is already allocated")

    def next_free(self) -> str:
        """A free ClusterIP (RangeFull when none is left)."""
        return str(ipaddress.ip_address(self.base + self.bitmap.allocate_next()))

    def set_owner(self, ip: str, owner: str | None) -> None:
        """Give `ip` to `owner`, or release it (None); an address out of range is ignored."""
        try:
            offset = self._offset(ip)
        except (NotInRange, ValueError):
            return
        self.bitmap.set_owner(offset, owner)


class PortAllocator:
    """NodePorts of one range (`--service-node-port-range`, default 30000-32767)."""

    def __init__(self, low: int, high: int, rng: random.Random):
        self.low, self.high = low, high
        size = high - low + 1
        self.bitmap = Bitmap(size, range_offset(size, 16, 128, 32), rng)

    def __repr__(self) -> str:
        return f"<PortAllocator {self.low}-{self.high} used={len(self.bitmap.owner)}>"

    def check(self, port: int, owner: str) -> None:
        """Raise unless `port` is in range and free (or already `owner`'s)."""
        if not self.low <= port <= self.high:
            raise NotInRange(
                "provided port is not in the valid range. "
                f"The range of valid ports is {self.low}-{self.high}"
            )
        held = self.bitmap.owner.get(port - self.low)
        if held is not None and held != owner:
            raise Allocated(ALLOCATED_PORT)

    def next_free(self, exclude: set[int]) -> int:
        """A free node port not in `exclude` (RangeFull when none is left)."""
        offsets = frozenset(p - self.low for p in exclude if isinstance(p, int))
        return self.low + self.bitmap.allocate_next(offsets)

    def set_owner(self, port: int, owner: str | None) -> None:
        """Give `port` to `owner`, or release it (None); a port out of range is ignored."""
        if self.low <= port <= self.high:
            self.bitmap.set_owner(port - self.low, owner)
