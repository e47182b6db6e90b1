"""The node IPAM controller, mirroring `pkg/controller/nodeipam` (`ipam/range_allocator.go`,
`ipam/cidrset/cidr_set.go`, `util/node` `RecordNodeStatusChange`).

Every Node gets `spec.podCIDR` / `spec.podCIDRs`: the next free /24 of the cluster CIDR
(10.244.0.0/16). Like upstream's `CidrSet`, the search starts after the last block handed out
and wraps around, so a released block is reused once the ones after it are taken. A Node that
already has a pod CIDR occupies it (all of them are occupied before anything is allocated, as
upstream does at start). A deleted Node releases its block. When none is left, the Node gets a
`CIDRNotAvailable` event and the key is retried with back-off.
Left out: dual-stack (one cluster CIDR), the cloud allocator, `--allocate-node-cidrs=false`.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from minik8s.api.errors import NotFound
from minik8s.client.record import EventRecorder
from minik8s.controllers.base import Controller

CLUSTER_CIDR = "10.244.0.0/16"
NODE_CIDR_MASK_SIZE = 24
ERR_NO_CIDRS_REMAINING = (
    "CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range"
)


class CIDRRangeNoCIDRsRemaining(Exception):
    """upstream `cidrset.ErrCIDRRangeNoCIDRsRemaining`."""


class CidrSet:
    """The blocks of one cluster CIDR: which are used, where the next search starts."""

    def __init__(self, cluster_cidr: str = CLUSTER_CIDR, mask_size: int = NODE_CIDR_MASK_SIZE):
        self.cluster = ipaddress.ip_network(cluster_cidr)
        self.mask_size = mask_size
        self.max_cidrs = 2 ** (mask_size - self.cluster.prefixlen)
        self.used: set[int] = set()
        self.next_candidate = 0

    def __repr__(self) -> str:
        return f"<CidrSet {self.cluster}/{self.mask_size} used={len(self.used)}/{self.max_cidrs}>"

    def _cidr(self, index: int) -> str:
        step = 2 ** (self.cluster.max_prefixlen - self.mask_size)
        return f"{self.cluster.network_address + index * step}/{self.mask_size}"

    def _index(self, cidr: str) -> int | None:
        network = ipaddress.ip_network(cidr, strict=False)
        first, last = int(network.network_address), int(network.broadcast_address)
        inside = (
            int(self.cluster.network_address)
            <= first
            <= last
            <= int(self.cluster.broadcast_address)
        )
        if network.prefixlen != self.mask_size or not inside:
            return None
        step = 2 ** (self.cluster.max_prefixlen - self.mask_size)
        return (int(network.network_address) - int(self.cluster.network_address)) // step

    def allocate_next(self) -> str:
        """The first free block at or after `next_candidate` (upstream `AllocateNext`)."""
        if len(self.used) == self.max_cidrs:
            raise CIDRRangeNoCIDRsRemaining(ERR_NO_CIDRS_REMAINING)
        candidate = self.next_candidate
        while candidate in self.used:
            candidate = (candidate + 1) % self.max_cidrs
        self.next_candidate = (candidate + 1) % self.max_cidrs
        self.used.add(candidate)
        return self._cidr(candidate)

    def occupy(self, cidr: str) -> bool:
        """Mark a block in use (upstream `Occupy`); False if it is not one of ours."""
        index = self._index(cidr)
        if index is None:
            return False
        self.used.add(index)
        return True

    def release(self, cidr: str) -> None:
        """Free a block (upstream `Release`)."""
        index = self._index(cidr)
        if index is not None:
            self.used.discard(index)


class NodeIpamController(Controller):
    """The range allocator: one pod CIDR per Node, written with a PATCH of `spec`."""

    name = "node-ipam-controller"

    def __init__(self, *args: Any, cluster_cidr: str = CLUSTER_CIDR, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.recorder = EventRecorder(self.client, "cidrAllocator")
        self.cidrs = CidrSet(cluster_cidr)
        self.allocated: dict[str, str] = {}  # node name → its block
        self._occupied_existing = False
        self.watch("nodes")

    def reconcile(self, key: str) -> float | None:
        lister = self.informers.lister_for("nodes")
        if not self._occupied_existing:
            self._occupied_existing = True
            for node in lister.list():
                self._occupy(node)
        try:
            node = lister.get(None, key)
        except NotFound:
            cidr = self.allocated.pop(key, None)
            if cidr is not None:
                self.cidrs.release(cidr)
            return None
        if self._occupy(node) or key in self.allocated:
            return None
        return self._allocate(node)

    def _occupy(self, node: dict[str, Any]) -> bool:
        """Record the block a Node already has (upstream `occupyCIDRs`)."""
        name, cidrs = node["metadata"]["name"], node.get("spec", {}).get("podCIDRs") or []
        if not cidrs and node.get("spec", {}).get("podCIDR"):
            cidrs = [node["spec"]["podCIDR"]]
        if not cidrs:
            return False
        if self.allocated.get(name) != cidrs[0] and self.cidrs.occupy(cidrs[0]):
            self.allocated[name] = cidrs[0]
        return True

    def _allocate(self, node: dict[str, Any]) -> float | None:
        """Take the next block and patch it into the Node's spec."""
        name = node["metadata"]["name"]
        try:
            cidr = self.cidrs.allocate_next()
        except CIDRRangeNoCIDRsRemaining:
            status = "CIDRNotAvailable"
            self.recorder.event(node, "Normal", status, f"Node {name} status is now: {status}")
            raise
        try:
            patch = {"spec": {"podCIDR": cidr, "podCIDRs": [cidr]}}
            self.client.patch("nodes", name, patch)
        except NotFound:
            self.cidrs.release(cidr)
            return None
        self.allocated[name] = cidr
        if self.tracer is not None:
            self.tracer.emit(self.name, f"allocated {cidr} to node {name}")
        return None
