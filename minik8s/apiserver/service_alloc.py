"""Service ClusterIP and NodePort allocation, mirroring `pkg/registry/core/service/ipallocator/
bitmap.go`, `portallocator/allocator.go` and `storage/alloc.go` (`allocateCreate`,
`patchAllocatedValues`, `allocateUpdate`) and `storage.go`'s `normalizeClusterIPs`.

Like upstream's bitmap allocators, a dynamic value is drawn at random from the upper part of the
range (`randomScanStrategyWithOffset`: the first 256 IPs / 86 ports are kept for static
choices) with a seeded rng, falling back to the lower band when the upper one is full. The
allocated set is kept in step with the store itself (a store watch on `/registry/services/`):
a value belongs to the Service stored with it, so a delete releases it and a failed create never
leaks one. IP families: `service_ipfamily.py`. Left out: dual-stack allocators, the
`ServiceCIDR`/`IPAddress` API, the repair loops.
"""

from __future__ import annotations

import ipaddress
import json
import random
import weakref
from typing import Any

from minik8s.api.errors import InternalError, Invalid
from minik8s.api.field import FieldError, invalid
from minik8s.apiserver.service_ipfamily import init_ip_family_fields
from minik8s.apiserver.strategy import on_create

Obj = dict[str, Any]
SERVICE_CIDR = "10.96.0.0/12"
NODE_PORT_RANGE = (30000, 32767)
PREFIX = "/registry/services/"
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
        return self.max - len(self.owner)

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
        return str(ipaddress.ip_address(self.base + self.bitmap.allocate_next()))

    def set_owner(self, ip: str, owner: str | None) -> None:
        try:
            offset = self._offset(ip)
        except (NotInRange, ValueError):
            return
        if owner is None:
            self.bitmap.owner.pop(offset, None)
        else:
            self.bitmap.owner[offset] = owner


class PortAllocator:
    """NodePorts of one range (`--service-node-port-range`, default 30000-32767)."""

    def __init__(self, low: int, high: int, rng: random.Random):
        self.low, self.high = low, high
        size = high - low + 1
        self.bitmap = Bitmap(size, range_offset(size, 16, 128, 32), rng)

    def __repr__(self) -> str:
        return f"<PortAllocator {self.low}-{self.high} used={len(self.bitmap.owner)}>"

    def check(self, port: int, owner: str) -> None:
        if not self.low <= port <= self.high:
            raise NotInRange(
                "provided port is not in the valid range. "
                f"The range of valid ports is {self.low}-{self.high}"
            )
        held = self.bitmap.owner.get(port - self.low)
        if held is not None and held != owner:
            raise Allocated(ALLOCATED_PORT)

    def next_free(self, exclude: set[int]) -> int:
        offsets = frozenset(p - self.low for p in exclude if isinstance(p, int))
        return self.low + self.bitmap.allocate_next(offsets)

    def set_owner(self, port: int, owner: str | None) -> None:
        if not self.low <= port <= self.high:
            return
        if owner is None:
            self.bitmap.owner.pop(port - self.low, None)
        else:
            self.bitmap.owner[port - self.low] = owner


class ServiceAllocators:
    """The ClusterIP and NodePort allocators of one API server, kept in step with its store."""

    def __init__(
        self,
        server: Any,
        service_cidr: str = SERVICE_CIDR,
        node_port_range: tuple[int, int] = NODE_PORT_RANGE,
        seed: int = 0,
    ):
        rng = random.Random(f"service-alloc-{seed}")
        self.ips = IPAllocator(service_cidr, rng)
        self.ports = PortAllocator(*node_port_range, rng)
        self.held: dict[str, tuple[list[str], list[int]]] = {}
        for kv in server.store.range(PREFIX):
            self._record(kv.key, json.loads(kv.value))
        server.store.watch(PREFIX, self._on_events)

    def __repr__(self) -> str:
        return f"<ServiceAllocators {self.ips!r} {self.ports!r}>"

    def families(self) -> list[str]:
        """upstream `serviceIPAllocatorsByFamily` keys, the default family first."""
        return [f"IPv{self.ips.cidr.version}"]

    def _on_events(self, events: Any) -> None:
        for event in events:
            if event.type == "DELETE":
                self._record(event.kv.key, None)
            else:
                self._record(event.kv.key, json.loads(event.kv.value))

    def _record(self, key: str, svc: Obj | None) -> None:
        """Make `key` own exactly what `svc` holds (nothing when deleted)."""
        owner = key[len(PREFIX) :]
        ips, ports = self.held.pop(owner, ([], []))
        for ip in ips:
            self.ips.set_owner(ip, None)
        for port in ports:
            self.ports.set_owner(port, None)
        if svc is None:
            return
        ips, ports = held_values(svc.get("spec") or {})
        for ip in ips:
            self.ips.set_owner(ip, owner)
        for port in ports:
            self.ports.set_owner(port, owner)
        self.held[owner] = (ips, ports)


def held_values(spec: Obj) -> tuple[list[str], list[int]]:
    """The ClusterIPs and node ports a stored Service spec holds."""
    ips = [ip for ip in spec.get("clusterIPs") or [] if ip and ip != "None"]
    if not ips and spec.get("clusterIP") not in (None, "", "None"):
        ips = [spec["clusterIP"]]
    ports = sorted(
        {p.get("nodePort") for p in spec.get("ports") or [] if isinstance(p.get("nodePort"), int)}
    )
    if isinstance(spec.get("healthCheckNodePort"), int) and spec["healthCheckNodePort"]:
        ports.append(spec["healthCheckNodePort"])
    return ips, [p for p in ports if p]


_ALLOCATORS: weakref.WeakKeyDictionary[Any, ServiceAllocators] = weakref.WeakKeyDictionary()


def configure(
    server: Any,
    service_cidr: str = SERVICE_CIDR,
    node_port_range: tuple[int, int] = NODE_PORT_RANGE,
    seed: int = 0,
) -> ServiceAllocators:
    """Set the ranges of `server` (`--service-cluster-ip-range`, `--service-node-port-range`)."""
    _ALLOCATORS[server] = ServiceAllocators(server, service_cidr, node_port_range, seed)
    return _ALLOCATORS[server]


def allocators_for(server: Any) -> ServiceAllocators:
    """The allocators of `server`, made with the default ranges on first use."""
    if server not in _ALLOCATORS:
        configure(server)
    return _ALLOCATORS[server]


# --- the registry's side: which Services need what --------------------------------------------


def needs_cluster_ip(spec: Obj) -> bool:
    return spec.get("type") != "ExternalName" and spec.get("clusterIP") != "None"


def needs_node_port(spec: Obj) -> bool:
    if spec.get("type") == "NodePort":
        return True
    return spec.get("type") == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts", True)


def needs_hc_node_port(spec: Obj) -> bool:
    return spec.get("type") == "LoadBalancer" and spec.get("externalTrafficPolicy") == "Local"


def _owner(svc: Obj) -> str:
    meta = svc.get("metadata") or {}
    return f"{meta.get('namespace', '')}/{meta.get('name', '')}"


def _fail(svc: Obj, errors: list[FieldError]) -> Invalid:
    return Invalid.for_kind("Service", (svc.get("metadata") or {}).get("name", ""), errors)


def _valid_ip(value: Any) -> bool:
    try:
        ipaddress.IPv4Address(value)
    except (ValueError, TypeError):
        return False
    return True


def allocate_cluster_ips(svc: Obj, alloc: ServiceAllocators) -> None:
    """upstream `allocIPs`: respect a requested IP (or fail), else draw the next free one."""
    spec = svc["spec"]
    if not needs_cluster_ip(spec):
        return
    wanted = spec.get("clusterIPs") or ([spec["clusterIP"]] if spec.get("clusterIP") else [])
    if not wanted:
        try:
            ip = alloc.ips.next_free()
        except RangeFull as err:
            raise InternalError(
                f"Internal error occurred: failed to allocate a serviceIP: {err}"
            ) from None
        spec["clusterIP"], spec["clusterIPs"] = ip, [ip]
        return
    if not _valid_ip(wanted[0]):
        return  # validation words this one
    try:
        alloc.ips.check(wanted[0], _owner(svc))
    except (Allocated, NotInRange) as err:
        detail = f"failed to allocate IP {wanted[0]}: {err}"
        raise _fail(svc, [invalid("spec.clusterIPs", list(wanted), detail)]) from None


def allocate_node_ports(svc: Obj, alloc: ServiceAllocators, create: bool = False) -> None:
    """upstream `initNodePorts` / `updateNodePorts`: one node port per port number (TCP and UDP
    of the same port share it), requested ones checked, missing ones drawn (not for a
    LoadBalancer with `allocateLoadBalancerNodePorts: false`, whose requested ones still count).
    On create, two port numbers may not ask for one node port (`initNodePorts`); an update
    tolerates it (`updateNodePorts`)."""
    spec, owner = svc["spec"], _owner(svc)
    if spec.get("type") in ("NodePort", "LoadBalancer"):
        _init_node_ports(svc, alloc, owner, needs_node_port(spec), create)
    if needs_hc_node_port(spec):
        _alloc_health_check_node_port(svc, alloc, owner)


def _init_node_ports(
    svc: Obj, alloc: ServiceAllocators, owner: str, draw: bool, create: bool
) -> None:
    spec = svc["spec"]
    by_port: dict[int, int] = {}
    claimed: dict[int, Any] = {}  # node port -> the port number that took it in this request
    taken = {p.get("nodePort") for p in spec.get("ports") or [] if p.get("nodePort")}
    for i, port in enumerate(spec.get("ports") or []):
        wanted = port.get("nodePort") or 0
        if not isinstance(wanted, int) or (not wanted and not draw):
            continue
        path = f"spec.ports[{i}].nodePort"
        if not wanted and port.get("port") in by_port:
            wanted = by_port[port["port"]]
        elif not wanted and not (
            wanted := find_requested_node_port(port.get("port"), spec["ports"])
        ):
            wanted = _next_port(alloc, taken)
            taken.add(wanted)
        elif by_port.get(port.get("port")) != wanted:
            _check_port(svc, alloc, wanted, owner, path)
            if create and claimed.get(wanted, port.get("port")) != port.get("port"):
                raise _fail(svc, [invalid(path, wanted, ALLOCATED_PORT)])
        port["nodePort"] = wanted
        claimed.setdefault(wanted, port.get("port"))
        by_port.setdefault(port.get("port", 0), wanted)


def _alloc_health_check_node_port(svc: Obj, alloc: ServiceAllocators, owner: str) -> None:
    """upstream `allocHealthCheckNodePort`, whose errors the caller wraps as internal errors."""
    spec = svc["spec"]
    wanted = spec.get("healthCheckNodePort") or 0
    if wanted and isinstance(wanted, int):
        try:
            alloc.ports.check(wanted, owner)
        except (Allocated, NotInRange) as err:
            detail = f"failed to allocate requested HealthCheck NodePort {wanted}: {err}"
            raise InternalError(f"Internal error occurred: {detail}") from None
    elif not wanted:
        taken = {p.get("nodePort") for p in spec.get("ports") or []}
        try:
            spec["healthCheckNodePort"] = alloc.ports.next_free(taken)
        except RangeFull as err:
            detail = f"failed to allocate a HealthCheck NodePort 0: {err}"
            raise InternalError(f"Internal error occurred: {detail}") from None


def find_requested_node_port(port: Any, ports: list[Obj]) -> int:
    """upstream `findRequestedNodePort`: the first node port asked for on this port number."""
    for other in ports:
        node_port = other.get("nodePort")
        if other.get("port") == port and isinstance(node_port, int) and node_port:
            return node_port
    return 0


def _check_port(svc: Obj, alloc: ServiceAllocators, port: int, owner: str, path: str) -> None:
    try:
        alloc.ports.check(port, owner)
    except (Allocated, NotInRange) as err:
        raise _fail(svc, [invalid(path, port, str(err))]) from None


def _next_port(alloc: ServiceAllocators, taken: set[Any]) -> int:
    """The next free node port that this request has not already used."""
    try:
        return alloc.ports.next_free(taken)
    except RangeFull as err:
        message = f"Internal error occurred: failed to allocate a nodePort: {err}"
        raise InternalError(message) from None


@on_create("Service")
def allocate_create(svc: Obj, server: Any) -> None:
    """upstream `allocateCreate`: ClusterIP(s), node ports and the health-check node port."""
    if not isinstance(svc.get("spec"), dict):
        return
    alloc = allocators_for(server)
    init_ip_family_fields(svc, alloc.families(), None)
    allocate_cluster_ips(svc, alloc)
    allocate_node_ports(svc, alloc, create=True)


def patch_allocated_values(new: Obj, old: Obj) -> None:
    """upstream `patchAllocatedValues`: a re-applied manifest that omits allocated values keeps
    them (clusterIP(s) always, node ports matched by port name when not used by another port)."""
    new_spec, old_spec = new.get("spec") or {}, old.get("spec") or {}
    if "ExternalName" not in (old_spec.get("type"), new_spec.get("type")):  # headless too
        if not new_spec.get("clusterIP"):
            new_spec["clusterIP"] = old_spec.get("clusterIP")
        if not new_spec.get("clusterIPs") and old_spec.get("clusterIPs"):
            new_spec["clusterIPs"] = list(old_spec["clusterIPs"])
    if needs_node_port(old_spec) and needs_node_port(new_spec):
        old_used = {p.get("nodePort") for p in old_spec.get("ports") or [] if p.get("nodePort")}
        new_used = {p.get("nodePort") for p in new_spec.get("ports") or [] if p.get("nodePort")}
        used = old_used & new_used
        by_name = {p.get("name", ""): p.get("nodePort") for p in old_spec.get("ports") or []}
        for port in new_spec.get("ports") or []:
            if not port.get("nodePort"):
                value = by_name.get(port.get("name", ""))
                if value and value not in used:
                    port["nodePort"] = value
    if needs_hc_node_port(old_spec) and needs_hc_node_port(new_spec):
        if not new_spec.get("healthCheckNodePort"):
            new_spec["healthCheckNodePort"] = old_spec.get("healthCheckNodePort")


def normalize_cluster_ips(new: Obj, old: Obj) -> None:
    """upstream `normalizeClusterIPs` on update: keep `clusterIPs` in step with a `clusterIP`
    an old client changed (or dropped), leaving real conflicts to validation."""
    new_ips, old_ips = new.get("clusterIPs") or [], old.get("clusterIPs") or []
    new_ip, old_ip = new.get("clusterIP") or "", old.get("clusterIP") or ""
    if old_ips and not new_ips and old_ip == new_ip:
        new["clusterIPs"] = new_ips = list(old_ips)
    if old_ip == new_ip or new_ips != old_ips:
        return
    if old_ip and not new_ip:
        new.pop("clusterIPs", None)
    else:
        new["clusterIPs"] = [new_ip]


def _node_ports(spec: Obj) -> list[Any]:
    return [p.get("nodePort") for p in spec.get("ports") or []]


def drop_type_dependent_fields(new: Obj, old: Obj) -> None:
    """upstream `dropTypeDependentFields`: when the type changes, wipe the values that no longer
    apply, but only those the user left unchanged (those changed are validation's business)."""
    if needs_cluster_ip(old) and not needs_cluster_ip(new):
        if new.get("clusterIP") == old.get("clusterIP"):
            new.pop("clusterIP", None)
            new.pop("clusterIPs", None)
        for field in ("ipFamilies", "ipFamilyPolicy"):
            if new.get(field) == old.get(field):
                new.pop(field, None)
    if needs_node_port(old) and not needs_node_port(new):
        if _node_ports(new) == _node_ports(old):
            for port in new.get("ports") or []:
                port.pop("nodePort", None)
    if needs_hc_node_port(old) and not needs_hc_node_port(new):
        if new.get("healthCheckNodePort") == old.get("healthCheckNodePort"):
            new.pop("healthCheckNodePort", None)
    if old.get("type") == "LoadBalancer" and new.get("type") != "LoadBalancer":
        if new.get("allocateLoadBalancerNodePorts") == old.get("allocateLoadBalancerNodePorts"):
            new.pop("allocateLoadBalancerNodePorts", None)
        if new.get("loadBalancerClass") == old.get("loadBalancerClass"):
            new.pop("loadBalancerClass", None)
    if _externally_accessible(old) and not _externally_accessible(new):
        if new.get("externalTrafficPolicy") == old.get("externalTrafficPolicy"):
            new.pop("externalTrafficPolicy", None)


def _externally_accessible(spec: Obj) -> bool:
    kind = spec.get("type")
    return kind in ("LoadBalancer", "NodePort") or (
        kind == "ClusterIP" and bool(spec.get("externalIPs"))
    )


def prepare_service_update(new: Obj, old: Obj, server: Any) -> None:
    """Called by the API server after defaulting an update of a Service (`beginUpdate`)."""
    if new.get("kind") != "Service" or not isinstance(new.get("spec"), dict):
        return
    drop_type_dependent_fields(new["spec"], old.get("spec") or {})
    patch_allocated_values(new, old)
    normalize_cluster_ips(new["spec"], old.get("spec") or {})
    alloc = allocators_for(server)
    init_ip_family_fields(new, alloc.families(), old.get("spec") or {})
    allocate_cluster_ips(new, alloc)
    allocate_node_ports(new, alloc)
