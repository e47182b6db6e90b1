"""The nodes the node lifecycle controller's monitor pass need not look at (`nodelifecycle.py`).

Upstream's `monitorNodeHealth` runs `tryUpdateNodeHealth` on every node every 5 s. For a node
whose Node object is the one a full check last found Ready with nothing to do, that check can
only find something when the grace period has run out since its last heartbeat; and its Lease,
when it was renewed, only moves that heartbeat. So a pass checks in full only the nodes that are
new, changed or not steady, plus the steady ones past their grace period, and reads the Lease
of a steady node only when the lease informer delivered a new one. `NodeChanges` hears from the
informers what changed between two passes; `SteadyNodes` keeps the steady nodes: how many of
them each zone has (they are all Ready), and the instants of their last heartbeats, so that
those past the grace period are found without a scan.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from minik8s.client.cache import DeletedFinalStateUnknown

if TYPE_CHECKING:
    from minik8s.client.informer import SharedIndexInformer

Obj = dict[str, Any]
STEADY_READY = {"type": "Ready", "status": "True"}  # what a steady node counts as in its zone
LEASE_NAMESPACE = "kube-node-lease"


class NodeChanges:
    """Nodes added, updated or deleted and node Leases changed since the last `take()`, from
    the informers' event handlers; and each node's place in the node lister's order."""

    def __init__(self, nodes: SharedIndexInformer, leases: SharedIndexInformer):
        self.nodes: set[str] = set()
        self.leases: set[str] = set()
        self.order: dict[str, int] = {}  # (the lister's order: the order nodes came in)
        self._joined = itertools.count()
        nodes.add_event_handler(
            on_add=self._node_added, on_update=self._node_updated, on_delete=self._node_deleted
        )
        leases.add_event_handler(
            on_add=self._lease_changed, on_update=self._lease_changed, on_delete=self._lease_changed
        )

    def __repr__(self) -> str:
        return f"<NodeChanges nodes={len(self.nodes)} leases={len(self.leases)}>"

    def take(self) -> tuple[set[str], set[str]]:
        """(nodes, Leases) changed since the last call."""
        nodes, leases, self.nodes, self.leases = self.nodes, self.leases, set(), set()
        return nodes, leases

    def _node_added(self, node: Obj) -> None:
        name = node["metadata"]["name"]
        self.order[name] = next(self._joined)
        self.nodes.add(name)

    def _node_updated(self, old: Obj, new: Obj) -> None:
        if new is not old:  # (not a resync)
            self.nodes.add(new["metadata"]["name"])

    def _node_deleted(self, node: Obj | DeletedFinalStateUnknown) -> None:
        if isinstance(node, DeletedFinalStateUnknown):
            node = node.obj
        self.order.pop(node["metadata"]["name"], None)
        self.nodes.add(node["metadata"]["name"])

    def _lease_changed(self, old: Obj | DeletedFinalStateUnknown, new: Obj | None = None) -> None:
        lease = new if new is not None else old
        if isinstance(lease, DeletedFinalStateUnknown):
            lease = lease.obj
        if lease["metadata"].get("namespace") == LEASE_NAMESPACE:
            self.leases.add(lease["metadata"]["name"])


class SteadyNodes:
    """Steady nodes by disruption zone, and by the instant of their last heartbeat (probe)."""

    __slots__ = ("zones", "_zone", "_probe", "_by_probe", "_instants")

    def __init__(self) -> None:
        self.zones: dict[str, int] = {}  # disruption zone → its steady nodes (all Ready)
        self._zone: dict[str, str | None] = {}  # steady node → its zone (None: left out)
        self._probe: dict[str, float] = {}  # steady node → its last heartbeat, as bucketed
        self._by_probe: dict[float, list[str]] = {}  # heartbeat instant → nodes (some moved on)
        self._instants: list[float] = []  # a heap of the instants `_by_probe` holds

    def __repr__(self) -> str:
        return f"<SteadyNodes {len(self._zone)} nodes>"

    def __contains__(self, name: str) -> bool:
        return name in self._zone

    def __len__(self) -> int:
        return len(self._zone)

    def add(self, name: str, zone: str | None, probe: float) -> None:
        """`name` is steady, in `zone`, last heard from at `probe`."""
        self.discard(name)
        self._zone[name] = zone
        if zone is not None:
            self.zones[zone] = self.zones.get(zone, 0) + 1
        self.probed(name, probe)

    def discard(self, name: str) -> None:
        """`name` is not steady (any more)."""
        if name not in self._zone:
            return
        zone = self._zone.pop(name)
        del self._probe[name]
        if zone is not None:
            self.zones[zone] -= 1
            if not self.zones[zone]:
                del self.zones[zone]

    def probed(self, name: str, probe: float) -> None:
        """A steady node's newer heartbeat."""
        self._probe[name] = probe
        bucket = self._by_probe.get(probe)
        if bucket is None:
            bucket = self._by_probe[probe] = []
            heapq.heappush(self._instants, probe)
        bucket.append(name)

    def expired(self, past_grace: Callable[[float], bool]) -> list[str]:
        """The steady nodes whose last heartbeat we were told of is `past_grace`; `past_grace`
        must be monotone (true for a probe, true for every earlier one). A heartbeat we were
        not told of (the controller moves every probe when a disruption of all zones ends)
        only makes a node's full check come early, and find nothing."""
        found: dict[str, None] = {}  # (a node probed twice at one instant is there twice)
        while self._instants and past_grace(self._instants[0]):
            probe = heapq.heappop(self._instants)
            for name in self._by_probe.pop(probe):
                if self._probe.get(name) == probe:
                    found[name] = None
        return list(found)
