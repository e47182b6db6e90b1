"""The scheduler cache's index of pods by labels: how many pods of each label set run on each
node. It serves upstream's `countPodsMatchSelector` (podtopologyspread/common.go) for every
node at once.

Upstream scans each node's pods for each node (fast enough in Go, with 16 goroutines); here a
selector is matched once per distinct (namespace, labels) group, whose per-node counts are
kept up to date as the cache adds and removes pods. Terminating pods (`deletionTimestamp`)
are left out of the index, as `countPodsMatchSelector` leaves them out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from minik8s.api.labels import Selector
    from minik8s.scheduler.types import LabelsKey, PodInfo


class LabelGroup:
    """The pods of one namespace with one label set: their count per node."""

    __slots__ = ("labels", "nodes")

    def __init__(self, labels: dict[str, str]) -> None:
        self.labels = labels
        self.nodes: dict[str, int] = {}

    def __repr__(self) -> str:
        return f"LabelGroup({sorted(self.labels.items())} on {len(self.nodes)} nodes)"


class PodLabelIndex:
    """Non-terminating pods grouped by namespace and labels, counted per node."""

    def __init__(self) -> None:
        self._groups: dict[str, dict[LabelsKey, LabelGroup]] = {}  # namespace → labels → group
        self._members: dict[str, tuple[str, LabelsKey, str]] = {}  # pod key → where it counts

    def __repr__(self) -> str:
        groups = sum(len(g) for g in self._groups.values())
        return f"PodLabelIndex(pods={len(self._members)} groups={groups})"

    def add(self, info: PodInfo, node_name: str) -> None:
        """Count a pod on a node (terminating pods are not counted)."""
        if info.pod["metadata"].get("deletionTimestamp"):
            return
        groups = self._groups.setdefault(info.namespace, {})
        group = groups.get(info.labels_key)
        if group is None:
            group = groups[info.labels_key] = LabelGroup(info.labels)
        group.nodes[node_name] = group.nodes.get(node_name, 0) + 1
        self._members[info.key] = (info.namespace, info.labels_key, node_name)

    def remove(self, key: str) -> None:
        """Stop counting a pod (no-op when it was not counted)."""
        member = self._members.pop(key, None)
        if member is None:
            return
        namespace, labels_key, node_name = member
        groups = self._groups[namespace]
        group = groups[labels_key]
        left = group.nodes[node_name] - 1
        if left:
            group.nodes[node_name] = left
            return
        del group.nodes[node_name]
        if not group.nodes:
            del groups[labels_key]
            if not groups:
                del self._groups[namespace]

    def counts(self, selector: Selector, namespace: str) -> dict[str, int]:
        """Node name → pods of `namespace` matching `selector` (none for an empty selector)."""
        result: dict[str, int] = {}
        if selector.empty():
            return result
        for group in self._groups.get(namespace, {}).values():
            if selector.matches(group.labels):
                for node_name, count in group.nodes.items():
                    result[node_name] = result.get(node_name, 0) + count
        return result
