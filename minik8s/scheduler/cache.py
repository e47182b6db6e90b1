"""The scheduler cache, mirroring `pkg/scheduler/backend/cache` (cache.go, node_tree.go); the
snapshot it updates (snapshot.go) is in `snapshot.py`.

The cache keeps one `NodeInfo` per node, updated incrementally from informer events and from
the scheduler's own assumptions (a pod is "assumed" on its node from the moment the scheduler
picks the node until the informer confirms the binding). No pod ever causes a rebuild.

The cache also counts pods by labels per node (`label_index.py`), so PodTopologySpread's
per-node and per-domain counts are kept by pod events instead of scanning each node's pods,
and keeps, per label key asked about, each node's value (forgotten when a node comes, goes or
changes its labels), so plugins read node labels by name instead of from every NodeInfo.

It also keeps the names of the tainted and of the cordoned nodes, so the batch filters skip
their pass over the nodes when there are none. The snapshot (`snapshot.py`) is the node list
in upstream's node-tree order. Left out:
assumed-pod expiry (bindings here complete or fail synchronously), image states.
"""

from __future__ import annotations

from typing import Any

from minik8s.scheduler.label_index import PodLabelIndex
from minik8s.scheduler.snapshot import Snapshot
from minik8s.scheduler.types import NodeInfo, PodInfo

Obj = dict[str, Any]
LABEL_ZONE, LABEL_REGION = "topology.kubernetes.io/zone", "topology.kubernetes.io/region"
LABEL_ZONE_BETA = "failure-domain.beta.kubernetes.io/zone"
LABEL_REGION_BETA = "failure-domain.beta.kubernetes.io/region"


def zone_key(node: Obj) -> str:
    """upstream `utilnode.GetZoneKey`: region and zone, "" when neither is set."""
    labels = node["metadata"].get("labels") or {}
    zone = labels.get(LABEL_ZONE) or labels.get(LABEL_ZONE_BETA) or ""
    region = labels.get(LABEL_REGION) or labels.get(LABEL_REGION_BETA) or ""
    return f"{region}:\x00:{zone}" if zone or region else ""


def _same_contribution(state: tuple[PodInfo, str], info: PodInfo, pod: Obj) -> bool:
    """Whether `info` (`PodInfo.updated` of the cached one) counts exactly as the cached pod:
    the same derived values (requests, ports, labels, affinity), the same node, and as much
    terminating (the label index leaves terminating pods out)."""
    cached, node_name = state
    deleting = bool(pod["metadata"].get("deletionTimestamp"))
    return (
        info.requests is cached.requests
        and pod["spec"].get("nodeName") == node_name
        and deleting == bool(cached.pod["metadata"].get("deletionTimestamp"))
    )


class Cache:
    """upstream `cacheImpl`: NodeInfos plus which pods are assumed and where."""

    def __init__(self) -> None:
        self.nodes: dict[str, NodeInfo] = {}
        self.pod_states: dict[str, tuple[PodInfo, str]] = {}
        self.assumed_pods: set[str] = set()
        self.zones: dict[str, list[str]] = {}
        self.pod_labels = PodLabelIndex(self._node_labels)
        self.nodes_version = 0
        self.affinity_version = 0
        self._label_values: dict[str, dict[str, str]] = {}  # label key → node name → value
        self.tainted: set[str] = set()  # existing nodes with taints
        self.cordoned: set[str] = set()  # existing nodes with `spec.unschedulable`

    def __repr__(self) -> str:
        pods, assumed = len(self.pod_states), len(self.assumed_pods)
        return f"Cache(nodes={self.node_count()} pods={pods} assumed={assumed})"

    def _node_labels(self, name: str) -> dict[str, str] | None:
        info = self.nodes.get(name)
        return info.labels if info is not None and info.node is not None else None

    def node_count(self) -> int:
        return sum(1 for n in self.nodes.values() if n.node is not None)

    def snapshot(self) -> Snapshot:
        """A snapshot view over this cache (`UpdateSnapshot` is implicit; see the module doc)."""
        return Snapshot(self)

    def node_tree_list(self) -> list[NodeInfo]:
        """upstream `nodeTree.list`: one node from each zone in turn."""
        result: list[NodeInfo] = []
        zones = list(self.zones.values())
        index = 0
        remaining = sum(len(z) for z in zones)
        while len(result) < remaining:
            for names in zones:
                if index < len(names):
                    result.append(self.nodes[names[index]])
            index += 1
        return result

    # -- nodes --------------------------------------------------------------------------------
    def add_node(self, node: Obj) -> NodeInfo:
        """upstream `AddNode` (also used for an update that changes the zone)."""
        name = node["metadata"]["name"]
        info = self.nodes.get(name)
        if info is None:
            info = self.nodes[name] = NodeInfo()
        elif info.node is not None:
            self._tree_remove(info.node)
        info.set_node(node)
        self._flag(info)
        self.zones.setdefault(zone_key(node), []).append(name)
        self.nodes_version += 1
        self._nodes_changed()
        return info

    def update_node(self, old: Obj, new: Obj) -> NodeInfo:
        """upstream `UpdateNode`: NodeInfo keeps its pods; the tree moves on a zone change."""
        info = self.nodes.get(new["metadata"]["name"])
        if info is None or info.node is None or zone_key(old) != zone_key(new):
            return self.add_node(new)
        labels = info.labels
        info.set_node(new)
        self._flag(info)
        if info.labels != labels:
            self._nodes_changed()
        return info

    def remove_node(self, node: Obj) -> None:
        """upstream `RemoveNode`: the NodeInfo stays while pods still point at it."""
        name = node["metadata"]["name"]
        info = self.nodes.get(name)
        if info is None or info.node is None:
            return
        self._tree_remove(info.node)
        info.node = None
        self.tainted.discard(name)
        self.cordoned.discard(name)
        if not info.pods:
            del self.nodes[name]
        self.nodes_version += 1
        self._nodes_changed()

    def _flag(self, info: NodeInfo) -> None:
        for names, flagged in ((self.tainted, info.tainted), (self.cordoned, info.unschedulable)):
            if flagged:
                names.add(info.name)
            else:
                names.discard(info.name)

    def label_values(self, key: str) -> dict[str, str]:
        """Node name → its value of label `key`, for the existing nodes that have it."""
        values = self._label_values.get(key)
        if values is None:
            values = self._label_values[key] = {
                name: info.labels[key]
                for name, info in self.nodes.items()
                if info.node is not None and key in info.labels
            }
        return values

    def _nodes_changed(self) -> None:
        """A node came, went or changed its labels: forget what was derived from labels."""
        self._label_values.clear()
        self.pod_labels.nodes_changed()

    def _tree_remove(self, node: Obj) -> None:
        key, name = zone_key(node), node["metadata"]["name"]
        names = self.zones.get(key, [])
        if name in names:
            names.remove(name)
            if not names:
                del self.zones[key]

    # -- pods ---------------------------------------------------------------------------------
    def _add(self, info: PodInfo, node_name: str) -> None:
        node = self.nodes.get(node_name)
        if node is None:
            node = self.nodes[node_name] = NodeInfo()
            node.name = node_name
        node.add_pod(info)
        self.pod_labels.add(info, node_name)
        self.pod_states[info.key] = (info, node_name)
        if info.has_affinity():
            self.affinity_version += 1

    def _remove(self, key: str) -> None:
        state = self.pod_states.pop(key, None)
        if state is None:
            return
        info, node_name = state
        self.pod_labels.remove(key)
        node = self.nodes.get(node_name)
        if node is not None:
            node.remove_pod(key)
            if node.node is None and not node.pods:
                del self.nodes[node_name]
        if info.has_affinity():
            self.affinity_version += 1

    def assume_pod(self, info: PodInfo, node_name: str) -> None:
        """upstream `AssumePod`: count the pod on the node before the binding is confirmed."""
        if info.key in self.pod_states:
            raise ValueError(f"pod {info.key} is in the cache, so can't be assumed")
        self._add(info, node_name)
        self.assumed_pods.add(info.key)

    def forget_pod(self, key: str) -> None:
        """upstream `ForgetPod`: undo `assume_pod` after a failed binding."""
        if key in self.assumed_pods:
            self.assumed_pods.discard(key)
            self._remove(key)

    def is_assumed_pod(self, key: str) -> bool:
        return key in self.assumed_pods

    def add_pod(self, pod: Obj) -> None:
        """upstream `AddPod`: confirm an assumed pod, or add one bound elsewhere (a version that
        adds up the same, like a confirmed binding, replaces the pod without a remove + add)."""
        meta = pod["metadata"]
        key = f"{meta.get('namespace') or ''}/{meta['name']}"
        state = self.pod_states.get(key)
        info = PodInfo(pod) if state is None else state[0].updated(pod)
        if state is not None:
            self.assumed_pods.discard(key)
            if _same_contribution(state, info, pod):
                self._replace(info, state[1])
                return
            self._remove(key)
        self._add(info, pod["spec"]["nodeName"])

    def _replace(self, info: PodInfo, node_name: str) -> None:
        """A newer version of a pod that adds up the same: only the pod object changes."""
        node = self.nodes[node_name]
        node.pods[info.key] = info
        if info.key in node.pods_with_affinity:
            node.pods_with_affinity[info.key] = info
        if info.key in node.pods_with_required_anti_affinity:
            node.pods_with_required_anti_affinity[info.key] = info
        self.pod_states[info.key] = (info, node_name)

    def update_pod(self, old: Obj, new: Obj) -> None:
        """upstream `UpdatePod`: replace the pod's contribution."""
        self.add_pod(new)

    def remove_pod(self, pod: Obj) -> None:
        """upstream `RemovePod`."""
        meta = pod["metadata"]
        key = f"{meta.get('namespace') or ''}/{meta['name']}"
        self.assumed_pods.discard(key)
        self._remove(key)

    def pod_info(self, key: str) -> PodInfo | None:
        """The cached PodInfo of a pod (`namespace/name`), assumed or bound."""
        state = self.pod_states.get(key)
        return state[0] if state else None

    def get_pod_node(self, key: str) -> str | None:
        state = self.pod_states.get(key)
        return state[1] if state else None


__all__ = ["Cache", "Snapshot", "zone_key"]
