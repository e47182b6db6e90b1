"""The scheduler cache's index of pods by labels: how many pods of each label set run on each
node, and how many pods each selector asked about matches on each node. It serves upstream's
`countPodsMatchSelector` (podtopologyspread/common.go) for every node at once.

Upstream scans each node's pods for each node (fast enough in Go, with 16 goroutines); here a
selector is matched once per distinct (namespace, labels) group, and its per-node counts are
kept, like the groups' own, up to date as the cache adds and removes pods: the pods of one
ReplicaSet share one selector and one label set, so after the first pod asks, each pod costs
one dictionary look-up to read the counts and one update per matching selector when it is
bound. Terminating pods (`deletionTimestamp`) are left out, as `countPodsMatchSelector`
leaves them out.

A selector's counts can also be asked per topology domain (PodTopologySpread's pairs): the
matching pods on existing nodes, by the nodes' value of a label ("" without it). Those are kept
up to date by pod events too, and forgotten whenever a node comes, goes or changes its labels.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from minik8s.api.labels import Selector
    from minik8s.scheduler.types import LabelsKey, PodInfo

MAX_SELECTORS = 4096  # remembered selectors; past this they are all forgotten and rebuilt
NodeLabels = Callable[[str], "dict[str, str] | None"]  # an existing node's labels, else None


class SelectorCounts:
    """The pods of one namespace matching one selector: their count per node and, for the
    topology keys asked about, per domain (label value → pods on existing nodes)."""

    __slots__ = ("selector", "nodes", "domains")

    def __init__(self, selector: Selector) -> None:
        self.selector = selector
        self.nodes: dict[str, int] = {}
        self.domains: dict[str, dict[str, int]] = {}  # topology key → value → count

    def __repr__(self) -> str:
        return f"SelectorCounts({self.selector!r} on {len(self.nodes)} nodes)"

    def update(self, node_name: str, sign: int, node_labels: NodeLabels) -> None:
        """Count one more (sign 1) or one fewer (-1) matching pod on a node."""
        if sign > 0:
            _increment(self.nodes, node_name)
        else:
            _decrement(self.nodes, node_name)
        if not self.domains:
            return
        labels = node_labels(node_name)
        if labels is None:
            return
        for key, domain in self.domains.items():
            value = labels.get(key, "")
            if sign > 0:
                _increment(domain, value)
            else:
                _decrement(domain, value)


class LabelGroup:
    """The pods of one namespace with one label set: their count per node, and the remembered
    selectors that match the label set (each pod added or removed here updates them too)."""

    __slots__ = ("labels", "nodes", "selectors")

    def __init__(self, labels: dict[str, str]) -> None:
        self.labels = labels
        self.nodes: dict[str, int] = {}
        self.selectors: list[SelectorCounts] = []

    def __repr__(self) -> str:
        return f"LabelGroup({sorted(self.labels.items())} on {len(self.nodes)} nodes)"


def _increment(nodes: dict[str, int], node_name: str) -> None:
    nodes[node_name] = nodes.get(node_name, 0) + 1


def _decrement(nodes: dict[str, int], node_name: str) -> None:
    left = nodes[node_name] - 1
    if left:
        nodes[node_name] = left
    else:
        del nodes[node_name]


class PodLabelIndex:
    """Non-terminating pods grouped by namespace and labels, counted per node.

    `node_labels(name)` gives an existing node's labels (None for a node the cache does not
    know, or only knows from its pods); the owner calls `nodes_changed` whenever its answer may
    change for a node with pods."""

    def __init__(self, node_labels: NodeLabels = lambda _name: None) -> None:
        self._node_labels = node_labels
        self._groups: dict[str, dict[LabelsKey, LabelGroup]] = {}  # namespace → labels → group
        self._members: dict[str, tuple[str, LabelsKey, str]] = {}  # pod key → where it counts
        # namespace → selector → its counts, for the selectors `counts` was asked about
        self._selectors: dict[str, dict[Selector, SelectorCounts]] = {}
        self._remembered = 0
        self._with_domains: list[SelectorCounts] = []

    def __repr__(self) -> str:
        groups = sum(len(g) for g in self._groups.values())
        return (
            f"PodLabelIndex(pods={len(self._members)} groups={groups} selectors={self._remembered})"
        )

    def add(self, info: PodInfo, node_name: str) -> None:
        """Count a pod on a node (terminating pods are not counted)."""
        if info.pod["metadata"].get("deletionTimestamp"):
            return
        groups = self._groups.setdefault(info.namespace, {})
        group = groups.get(info.labels_key)
        if group is None:
            group = groups[info.labels_key] = self._new_group(info.namespace, info.labels)
        _increment(group.nodes, node_name)
        for counts in group.selectors:
            counts.update(node_name, 1, self._node_labels)
        self._members[info.key] = (info.namespace, info.labels_key, node_name)

    def _new_group(self, namespace: str, labels: dict[str, str]) -> LabelGroup:
        group = LabelGroup(labels)
        for counts in self._selectors.get(namespace, {}).values():
            if counts.selector.matches(labels):
                group.selectors.append(counts)
        return group

    def remove(self, key: str) -> None:
        """Stop counting a pod (no-op when it was not counted)."""
        member = self._members.pop(key, None)
        if member is None:
            return
        namespace, labels_key, node_name = member
        groups = self._groups[namespace]
        group = groups[labels_key]
        for counts in group.selectors:
            counts.update(node_name, -1, self._node_labels)
        _decrement(group.nodes, node_name)
        if not group.nodes:
            del groups[labels_key]
            if not groups:
                del self._groups[namespace]

    def counts(self, selector: Selector, namespace: str) -> dict[str, int]:
        """Node name → pods of `namespace` matching `selector` (none for an empty selector).

        The dictionary is the index's own, kept up to date: read it, never change it, and do
        not keep it past the scheduling cycle."""
        if selector.empty():
            return {}
        return self._counts(selector, namespace).nodes

    def domain_counts(self, selector: Selector, namespace: str, key: str) -> dict[str, int]:
        """Label value → pods of `namespace` matching `selector` on the existing nodes with that
        value of label `key` ("" for nodes without it). Read-only, like `counts`."""
        if selector.empty():
            return {}
        counts = self._counts(selector, namespace)
        domain = counts.domains.get(key)
        if domain is None:
            if not counts.domains:
                self._with_domains.append(counts)
            domain = counts.domains[key] = {}
            for node_name, count in counts.nodes.items():
                labels = self._node_labels(node_name)
                if labels is not None:
                    value = labels.get(key, "")
                    domain[value] = domain.get(value, 0) + count
        return domain

    def nodes_changed(self) -> None:
        """A node came, went or changed its labels: forget every domain count."""
        for counts in self._with_domains:
            counts.domains.clear()
        self._with_domains.clear()

    def _counts(self, selector: Selector, namespace: str) -> SelectorCounts:
        remembered = self._selectors.get(namespace)
        counts = remembered.get(selector) if remembered is not None else None
        return counts if counts is not None else self._remember(selector, namespace)

    def _remember(self, selector: Selector, namespace: str) -> SelectorCounts:
        if self._remembered >= MAX_SELECTORS:
            self._forget_selectors()
        counts = SelectorCounts(selector)
        for group in self._groups.get(namespace, {}).values():
            if selector.matches(group.labels):
                group.selectors.append(counts)
                for node_name, count in group.nodes.items():
                    counts.nodes[node_name] = counts.nodes.get(node_name, 0) + count
        self._selectors.setdefault(namespace, {})[selector] = counts
        self._remembered += 1
        return counts

    def _forget_selectors(self) -> None:
        self._selectors.clear()
        self._remembered = 0
        self._with_domains.clear()
        for groups in self._groups.values():
            for group in groups.values():
                group.selectors.clear()
