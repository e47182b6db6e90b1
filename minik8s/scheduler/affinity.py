"""Affinity terms and node selectors, mirroring `pkg/scheduler/framework/types.go`
(`AffinityTerm`, `WeightedAffinityTerm`, `newAffinityTerm`) and component-helpers
`scheduling/corev1/nodeaffinity` (`NodeSelector`, `PreferredSchedulingTerms`,
`GetRequiredNodeAffinity`).

Left out: `matchLabelKeys` / `mismatchLabelKeys` (current apiservers merge them into the label
selector on create), and terms that fail to parse are treated as matching nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from minik8s.api.labels import (
    DOES_NOT_EXIST,
    EXISTS,
    GREATER_THAN,
    IN,
    LESS_THAN,
    NOT_IN,
    Requirement,
    Selector,
    label_selector_as_selector,
    nothing,
)

Obj = dict[str, Any]
_NODE_OPERATORS = {
    "In": IN, "NotIn": NOT_IN, "Exists": EXISTS, "DoesNotExist": DOES_NOT_EXIST,
    "Gt": GREATER_THAN, "Lt": LESS_THAN,
}  # fmt: skip


def _selector(raw: Obj | None) -> Selector:
    try:
        return label_selector_as_selector(raw)
    except ValueError:
        return nothing()


@dataclass(frozen=True)
class AffinityTerm:
    """One pod (anti-)affinity term: namespaces, label selector, topology key."""

    namespaces: frozenset[str]
    selector: Selector
    topology_key: str
    namespace_selector: Selector

    def matches(self, namespace: str, labels: dict[str, str], ns_labels: dict[str, str]) -> bool:
        """upstream `AffinityTerm.Matches`: namespace (listed or selected) and labels match."""
        if namespace in self.namespaces or self.namespace_selector.matches(ns_labels):
            return self.selector.matches(labels)
        return False


def new_affinity_term(namespace: str, term: Obj) -> AffinityTerm:
    """upstream `newAffinityTerm`: no namespaces and no namespaceSelector mean the pod's own."""
    namespaces = term.get("namespaces") or []
    ns_selector_raw = term.get("namespaceSelector")
    if not namespaces and ns_selector_raw is None:
        namespaces = [namespace]
    return AffinityTerm(
        frozenset(namespaces),
        _selector(term.get("labelSelector")),
        term.get("topologyKey") or "",
        _selector(ns_selector_raw),
    )


def parse_pod_affinity(
    pod: Obj,
) -> tuple[
    list[AffinityTerm],
    list[AffinityTerm],
    list[tuple[int, AffinityTerm]],
    list[tuple[int, AffinityTerm]],
]:
    """Required affinity, required anti-affinity, preferred affinity, preferred anti-affinity."""
    affinity = (pod.get("spec") or {}).get("affinity") or {}
    namespace = (pod.get("metadata") or {}).get("namespace") or ""
    result: list[Any] = []
    for kind in ("podAffinity", "podAntiAffinity"):
        section = affinity.get(kind) or {}
        required = section.get("requiredDuringSchedulingIgnoredDuringExecution") or []
        result.append([new_affinity_term(namespace, t) for t in required])
    for kind in ("podAffinity", "podAntiAffinity"):
        section = affinity.get(kind) or {}
        preferred = section.get("preferredDuringSchedulingIgnoredDuringExecution") or []
        result.append(
            [
                (
                    int(w.get("weight") or 0),
                    new_affinity_term(namespace, w.get("podAffinityTerm") or {}),
                )
                for w in preferred
            ]
        )
    return result[0], result[1], result[2], result[3]


# -- node selectors ---------------------------------------------------------------------------
class NodeSelectorTerm:
    """One nodeSelectorTerm: matchExpressions on labels AND matchFields on `metadata.name`."""

    __slots__ = ("expressions", "fields", "empty")

    def __init__(self, term: Obj) -> None:
        self.expressions = [_node_requirement(e) for e in term.get("matchExpressions") or []]
        self.fields = [_node_requirement(e) for e in term.get("matchFields") or []]
        self.empty = not self.expressions and not self.fields

    def __repr__(self) -> str:
        exprs = ",".join(str(r) for r in self.expressions + self.fields if r is not None)
        return f"NodeSelectorTerm({exprs or '<empty>'})"

    def matches(self, name: str, labels: dict[str, str]) -> bool:
        """An empty term matches nothing (upstream `nodeSelectorTerm.match`)."""
        if self.empty:
            return False
        for req in self.expressions:
            if req is None or not req.matches(labels):
                return False
        if self.fields:
            fields = {"metadata.name": name}
            for req in self.fields:
                if req is None or not req.matches(fields):
                    return False
        return True


def _node_requirement(expr: Obj) -> Requirement | None:
    op = _NODE_OPERATORS.get(expr.get("operator", ""))
    if op is None:
        return None
    return Requirement(expr.get("key", ""), op, tuple(expr.get("values") or ()))


class NodeSelector:
    """upstream `nodeaffinity.NodeSelector`: terms ORed."""

    __slots__ = ("terms",)

    def __init__(self, selector: Obj) -> None:
        self.terms = [NodeSelectorTerm(t) for t in selector.get("nodeSelectorTerms") or []]

    def __repr__(self) -> str:
        return f"NodeSelector({self.terms!r})"

    def matches(self, name: str, labels: dict[str, str]) -> bool:
        """Whether any term matches the node."""
        return any(t.matches(name, labels) for t in self.terms)


class RequiredNodeAffinity:
    """upstream `GetRequiredNodeAffinity`: `spec.nodeSelector` AND required node affinity."""

    __slots__ = ("node_selector", "affinity")

    def __init__(self, pod: Obj) -> None:
        spec = pod.get("spec") or {}
        self.node_selector: dict[str, str] = spec.get("nodeSelector") or {}
        node_affinity = (spec.get("affinity") or {}).get("nodeAffinity") or {}
        required = node_affinity.get("requiredDuringSchedulingIgnoredDuringExecution")
        self.affinity = NodeSelector(required) if required is not None else None

    def __repr__(self) -> str:
        return f"RequiredNodeAffinity(nodeSelector={self.node_selector!r}, {self.affinity!r})"

    def empty(self) -> bool:
        """Nothing to check (upstream's PreFilter Skip condition)."""
        return not self.node_selector and self.affinity is None

    def match(self, name: str, labels: dict[str, str]) -> bool:
        """upstream `RequiredNodeAffinity.Match`."""
        for key, value in self.node_selector.items():
            if labels.get(key) != value:
                return False
        return self.affinity is None or self.affinity.matches(name, labels)


def preferred_scheduling_terms(pod: Obj) -> list[tuple[int, NodeSelectorTerm]]:
    """upstream `NewPreferredSchedulingTerms`: (weight, term), zero weights dropped."""
    node_affinity = ((pod.get("spec") or {}).get("affinity") or {}).get("nodeAffinity") or {}
    terms = []
    for pref in node_affinity.get("preferredDuringSchedulingIgnoredDuringExecution") or []:
        weight = int(pref.get("weight") or 0)
        if weight:
            terms.append((weight, NodeSelectorTerm(pref.get("preference") or {})))
    return terms
