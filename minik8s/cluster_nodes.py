"""The `Cluster`'s machines: joining, removing, failing and recovering nodes.

Mirrors what `kind create cluster` / adding a VM does for a node (a machine with an IP on the
docker network, a kubelet that registers the Node) and what deleting the VM does. Leaves out:
draining, cordoning (that is `kubectl drain`), node images. `Cluster.add_node` and friends
delegate here; `Cluster.machines` is this object's `machines` dict.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from minik8s.cluster_bootstrap import NODE_NETWORK
from minik8s.machines import Machine, NodeAddresses

if TYPE_CHECKING:
    from minik8s.cluster import Cluster

Obj = dict[str, Any]


def node_number(name: str) -> int | None:
    """N for a machine named `node-N`, else None."""
    return int(name[5:]) if name[:5] == "node-" and name[5:].isdigit() else None


class ClusterNodes:
    """The machines of one `Cluster` by name, their IPs and the next default `node-N` name."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.machines: dict[str, Machine] = {}
        self._highest_node: int | None = None  # cache of _highest_node_number(); None: recompute
        self._node_addresses: NodeAddresses | None = None  # the machines' IPs, made on first add

    def __repr__(self) -> str:
        return f"<ClusterNodes {sorted(self.machines)}>"

    def add(
        self,
        name: str | None = None,
        *,
        labels: dict[str, str] | None = None,
        taints: list[Obj] | None = None,
        capacity: dict[str, str] | None = None,
    ) -> str:
        """Join a node (its kubelet registers it); returns its name (`node-N` by default)."""
        if name is None:
            name = f"node-{self._highest_node_number() + 1}"
        if name in self.machines:
            raise ValueError(f'node "{name}" already exists')
        if self._node_addresses is None:
            self._node_addresses = NodeAddresses(NODE_NETWORK)
        node_ip = self._node_addresses.allocate()  # kind: .2, .3, ...; a freed one first
        self.machines[name] = Machine(
            self.cluster, name, labels=labels, taints=taints, capacity=capacity, node_ip=node_ip
        )
        number = node_number(name)
        if number is not None and number > self._highest_node_number():
            self._highest_node = number
        return name

    def _highest_node_number(self) -> int:
        """The highest N of the `node-N` machines (0 if none), remembered between calls."""
        if self._highest_node is None:
            numbers = [n for name in self.machines if (n := node_number(name)) is not None]
            self._highest_node = max(numbers, default=0)
        return self._highest_node

    def remove(self, name: str) -> None:
        """Drain nothing, power off and delete the Node object (like deleting a VM)."""
        machine = self.machines.pop(name)
        machine.fail()
        if self._node_addresses is not None and machine.node_ip is not None:
            self._node_addresses.release(machine.node_ip)
        if node_number(name) == self._highest_node:
            self._highest_node = None
        self.cluster.client.delete("nodes", name)

    def runtime_of(self, node: str) -> Any:
        """The container runtime of a running machine, else None (the network's view)."""
        machine = self.machines.get(node)
        return machine.runtime if machine is not None and machine.running else None

    def kubelet(self, node: str) -> Any:
        """The kubelet of `node` (for logs and exec)."""
        kubelet = self.machines[node].kubelet
        if kubelet is None:
            raise KeyError(node)
        return kubelet
