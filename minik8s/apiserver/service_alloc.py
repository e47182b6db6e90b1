"""Service ClusterIP and NodePort allocation, mirroring `pkg/registry/core/service/storage/alloc.go`
(`allocateCreate`, `allocateUpdate`, `initNodePorts`, `updateNodePorts`) and `storage.go`'s
`beginUpdate`.

`ServiceAllocators` keeps the API server's allocators (`service_allocator.py`) in step with the
store itself (a store watch on `/registry/services/`): a value belongs to the Service stored with
it, so a delete releases it and a failed create never leaks one. On create and update the
registry asks them for what the Service needs: ClusterIP(s), node ports, the health-check node
port, checking requested values. What an update keeps or drops first is `service_update.py`'s;
IP families are `service_ipfamily.py`'s. Every name stays importable from here. Left out:
dual-stack allocation, the `ServiceCIDR`/`IPAddress` API, the repair loops.
"""

from __future__ import annotations

import ipaddress
import random
import weakref
from typing import Any

from minik8s.api import json_codec
from minik8s.api.errors import InternalError, Invalid
from minik8s.api.field import FieldError, invalid
from minik8s.apiserver.service_allocator import (
    ALLOCATED_PORT,
    NODE_PORT_RANGE,
    SERVICE_CIDR,
    Allocated,
    Bitmap,
    IPAllocator,
    NotInRange,
    PortAllocator,
    RangeFull,
    range_offset,
)
from minik8s.apiserver.service_ipfamily import init_ip_family_fields
from minik8s.apiserver.service_update import (
    drop_type_dependent_fields,
    held_values,
    needs_cluster_ip,
    needs_hc_node_port,
    needs_node_port,
    normalize_cluster_ips,
    patch_allocated_values,
)
from minik8s.apiserver.strategy import on_create

__all__ = [
    "ALLOCATED_PORT",
    "NODE_PORT_RANGE",
    "PREFIX",
    "SERVICE_CIDR",
    "Allocated",
    "Bitmap",
    "IPAllocator",
    "NotInRange",
    "PortAllocator",
    "RangeFull",
    "ServiceAllocators",
    "allocate_cluster_ips",
    "allocate_create",
    "allocate_node_ports",
    "allocators_for",
    "configure",
    "drop_type_dependent_fields",
    "find_requested_node_port",
    "held_values",
    "init_ip_family_fields",
    "needs_cluster_ip",
    "needs_hc_node_port",
    "needs_node_port",
    "normalize_cluster_ips",
    "patch_allocated_values",
    "prepare_service_update",
    "range_offset",
]

Obj = dict[str, Any]
PREFIX = "/registry/services/"


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
            self._record(kv.key, json_codec.loads(kv.value))
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
                self._record(event.kv.key, json_codec.loads(event.kv.value))

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
