"""The scheduler's snapshot, mirroring `pkg/scheduler/backend/cache/snapshot.go`.

It is the node list in upstream's node-tree order (zones interleaved, `node_tree.go`), rebuilt
only when nodes come or go, with the nodes' names alongside. Because minik8s is single-threaded
and a scheduling cycle runs to completion before any event is applied, the snapshot shares the
cache's `NodeInfo` objects instead of cloning the changed ones by generation as upstream does.
Left out: `UpdateSnapshot` (implicit), the used-PVC set.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from minik8s.api.labels import Selector
    from minik8s.scheduler.cache import Cache
    from minik8s.scheduler.types import NodeInfo


class Snapshot:
    """upstream `Snapshot`: the nodes to schedule on, in node-tree order."""

    def __init__(self, cache: Cache) -> None:
        self._cache = cache
        self._nodes: list[NodeInfo] = []
        self._names: list[str] = []
        self._nodes_version = -1
        self._affinity: list[NodeInfo] = []
        self._anti_affinity: list[NodeInfo] = []
        self._affinity_version = -1

    def __repr__(self) -> str:
        return f"Snapshot(nodes={len(self.node_info_list)})"

    @property
    def node_info_list(self) -> list[NodeInfo]:
        """Every node, zones interleaved (upstream `nodeTree.list`)."""
        if self._nodes_version != self._cache.nodes_version:
            self._refresh_nodes()
        return self._nodes

    @property
    def node_names(self) -> list[str]:
        """The names of `node_info_list`, in its order (read-only)."""
        if self._nodes_version != self._cache.nodes_version:
            self._refresh_nodes()
        return self._names

    def _refresh_nodes(self) -> None:
        self._nodes = self._cache.node_tree_list()
        self._names = [n.name for n in self._nodes]
        self._nodes_version = self._cache.nodes_version

    def _refresh_affinity(self) -> None:
        version = (self._cache.nodes_version, self._cache.affinity_version)
        if self._affinity_version != version:
            nodes = self.node_info_list
            self._affinity = [n for n in nodes if n.pods_with_affinity]
            self._anti_affinity = [n for n in nodes if n.pods_with_required_anti_affinity]
            self._affinity_version = version  # type: ignore[assignment]

    @property
    def have_pods_with_affinity_list(self) -> list[NodeInfo]:
        """Nodes with at least one pod that has (anti-)affinity terms."""
        self._refresh_affinity()
        return self._affinity

    @property
    def have_pods_with_required_anti_affinity_list(self) -> list[NodeInfo]:
        """Nodes with at least one pod that has required anti-affinity terms."""
        self._refresh_affinity()
        return self._anti_affinity

    def pod_counts(self, selector: Selector, namespace: str) -> dict[str, int]:
        """Node name → non-terminating pods of `namespace` that match `selector`."""
        return self._cache.pod_labels.counts(selector, namespace)

    def domain_counts(self, selector: Selector, namespace: str, key: str) -> dict[str, int]:
        """Value of label `key` → matching pods on the existing nodes with it ("" without)."""
        return self._cache.pod_labels.domain_counts(selector, namespace, key)

    def label_values(self, key: str) -> dict[str, str]:
        """Node name → its value of label `key`, for the nodes that have it (read-only)."""
        return self._cache.label_values(key)

    @property
    def tainted_nodes(self) -> set[str]:
        """The names of the nodes with taints (read-only)."""
        return self._cache.tainted

    @property
    def cordoned_nodes(self) -> set[str]:
        """The names of the nodes with `spec.unschedulable` (read-only)."""
        return self._cache.cordoned

    def get(self, name: str) -> NodeInfo | None:
        """The NodeInfo of a node that exists, else None."""
        info = self._cache.nodes.get(name)
        return info if info is not None and info.node is not None else None
