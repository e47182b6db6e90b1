"""PodTopologySpread's PreScore state and Score, mirroring `podtopologyspread/scoring.go`
(`initPreScoreState`, `PreScore`, `Score`, `NormalizeScore`).

Upstream visits every node to add its matching pods to its (topology key, value) pair; here
the cache's label index keeps each selector's counts per node and per domain up to date by pod
events, so PreScore reads them (or, when node inclusion policies exclude some nodes, visits
only the nodes with matching pods); the pairs are one dictionary per topology key, value →
count. Score reads the node's own count for `kubernetes.io/hostname` and its domain's count
for the other keys, as upstream does, but once per distinct combination of what it reads:
most nodes (no matching pod, same domains) share one score. The nodes given to PreScore are
the snapshot's, as upstream (their labels are read from the cache by name).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from itertools import repeat
from typing import TYPE_CHECKING, Any, NamedTuple

from minik8s.scheduler.affinity import RequiredNodeAffinity
from minik8s.scheduler.framework import MAX_NODE_SCORE
from minik8s.scheduler.plugins.helper import go_round
from minik8s.scheduler.plugins.podtopologyspread.common import LABEL_HOSTNAME, Constraint

if TYPE_CHECKING:
    from minik8s.scheduler.cache import Snapshot
    from minik8s.scheduler.types import NodeInfo, PodInfo

# (topology key, whether it is the hostname, count by node name or by value, weight, maxSkew-1)
Term = tuple[str, bool, dict[str, int], float, int]


class PreScoreState(NamedTuple):
    """upstream `preScoreState`: constraints, ignored node indexes, the counts to score by."""

    constraints: list[Constraint]
    ignored: set[int]  # indexes into `nodes` of the nodes missing a topology key
    domains: dict[str, dict[str, int]]  # topology key → value → matching pods
    weights: list[float]  # upstream `TopologyNormalizingWeight`, one per constraint
    nodes: list[NodeInfo]  # the nodes being scored
    terms: list[Term]  # one per constraint: what `node_score` adds up
    # one per constraint, one entry per node: the node's own matching pods (hostname) or its
    # label value, None when the node has no such label (the constraint adds nothing); a
    # column is None when no node has the label
    columns: list[list[Any] | None]


def pre_score_state(
    snapshot: Snapshot,
    pod: PodInfo,
    constraints: list[Constraint],
    nodes: list[NodeInfo],
    require_all: bool,
) -> PreScoreState:
    """upstream `initPreScoreState` and the counting half of `PreScore`."""
    keys = [c.topology_key for c in constraints]
    ignored: set[int] = set()
    if require_all:
        ignored = {i for i, n in enumerate(nodes) if not all(k in n.labels for k in keys)}
    # each node's label values, read from the cache's per-key tables by node name (compact,
    # warm) rather than from every node's own labels
    names = [node.name for node in nodes]
    values = {k: _values(snapshot, names, k) for k in keys if k != LABEL_HOSTNAME}
    domains: dict[str, dict[str, int]] = {}
    weights = []
    for key in keys:
        if key == LABEL_HOSTNAME:
            size = len(nodes) - len(ignored)  # per-node counts are read in Score
        elif key in domains:
            size = 0  # upstream counts a new pair only for the first constraint with its key
        else:
            domains[key] = _domain(values[key], len(nodes), ignored)
            size = len(domains[key])
        weights.append(math.log(size + 2))
    by_node = [snapshot.pod_counts(c.selector, pod.namespace) for c in constraints]
    _count_domains(snapshot, pod, constraints, by_node, domains, keys if require_all else [])
    terms: list[Term] = []
    columns: list[list[Any] | None] = []
    for i, (key, c) in enumerate(zip(keys, constraints, strict=True)):
        hostname = key == LABEL_HOSTNAME
        counts = by_node[i] if hostname else domains[key]
        terms.append((key, hostname, counts, weights[i], c.max_skew - 1))
        columns.append(_own_counts(snapshot, names, counts) if hostname else values[key])
    return PreScoreState(constraints, ignored, domains, weights, nodes, terms, columns)


def _values(snapshot: Snapshot, names: list[str], key: str) -> list[str | None] | None:
    """Each node's value of label `key` (None without it); None when no node has it."""
    table = snapshot.label_values(key)
    return list(map(table.get, names)) if table else None


def _domain(values: list[str | None] | None, count: int, ignored: set[int]) -> dict[str, int]:
    """The pairs of one topology key, value → 0: a node without the label is in domain ""."""
    if values is None:  # no node has the label: all in "" (unless all are ignored)
        return {"": 0} if count > len(ignored) else {}
    if ignored:
        values = [v for i, v in enumerate(values) if i not in ignored]
    domain: dict[str | None, int] = dict.fromkeys(values, 0)
    if None in domain:
        del domain[None]
        domain[""] = 0
    return domain  # type: ignore[return-value]  # no None key left


def _own_counts(
    snapshot: Snapshot, names: list[str], counts: dict[str, int]
) -> list[int | None] | None:
    """Each node's matching pods, None for a node without the hostname label (and None when
    no node has it)."""
    labeled = snapshot.label_values(LABEL_HOSTNAME)
    if not labeled:
        return None
    column: list[int | None] = list(map(counts.get, names, repeat(0)))
    if len(labeled) < len(snapshot.node_info_list):  # some node has no hostname label
        column = [c if n in labeled else None for c, n in zip(column, names, strict=True)]
    return column


def _count_domains(
    snapshot: Snapshot,
    pod: PodInfo,
    constraints: list[Constraint],
    by_node: list[dict[str, int]],
    domains: dict[str, dict[str, int]],
    required_keys: list[str],
) -> None:
    """Add each node's matching pods to its domain, for the domains of the nodes being scored.
    When every node counts, the index's per-domain counts are read; otherwise only the nodes
    with matching pods are visited (upstream visits every node)."""
    required = RequiredNodeAffinity(pod.pod)
    for c, counts in zip(constraints, by_node, strict=True):
        key = c.topology_key
        if key == LABEL_HOSTNAME:
            continue
        domain = domains[key]
        if not required_keys and c.includes_every_node(required):
            totals = snapshot.domain_counts(c.selector, pod.namespace, key)
            for value, count in totals.items():
                if value in domain:
                    domain[value] += count
            continue
        for node_name, count in counts.items():
            node = snapshot.get(node_name)
            if node is None:
                continue
            labels = node.labels
            if required_keys and not all(k in labels for k in required_keys):
                continue
            value = labels.get(key, "")
            if value in domain and c.match_node_inclusion_policies(pod, node, required):
                domain[value] += count


def node_score(terms: list[Term], node: NodeInfo) -> int:
    """upstream `Score`: each constraint's count × weight + maxSkew - 1, for the keys it has."""
    labels = node.labels
    score = 0.0
    for key, hostname, counts, weight, extra in terms:
        value = labels.get(key)
        if value is not None:
            score += counts.get(node.name if hostname else value, 0) * weight + extra
    return go_round(score)


class _ScoreByColumns(dict[Any, int]):
    """`node_score` by what it reads of a node: its entries of the columns that are not None
    (one entry itself, or a tuple of several). Nodes alike (most: no matching pod, same
    domains) are scored once."""

    def __init__(self, terms: list[Term], varying: list[int]) -> None:
        super().__init__()
        self.terms = terms
        self.varying = varying

    def __missing__(self, key: Any) -> int:
        entries: list[Any] = [None] * len(self.terms)
        given = (key,) if len(self.varying) == 1 else key  # else a tuple, maybe empty
        for i, entry in zip(self.varying, given, strict=True):
            entries[i] = entry
        score = 0.0
        for (_key, hostname, counts, weight, extra), entry in zip(self.terms, entries, strict=True):
            if entry is not None:
                score += (entry if hostname else counts.get(entry, 0)) * weight + extra
        self[key] = result = go_round(score)
        return result


def score_all(scoring: PreScoreState) -> list[int]:
    """`node_score` of every node PreScore saw (0 for the ignored ones), once per distinct
    combination of column entries: same floating-point operations in the same order."""
    columns = scoring.columns
    varying = [i for i, column in enumerate(columns) if column is not None]
    memo = _ScoreByColumns(scoring.terms, varying)
    if not varying:  # no node has any of the labels
        return [0 if i in scoring.ignored else memo[()] for i in range(len(scoring.nodes))]
    if len(varying) == 1:
        keys: Iterable[Any] = columns[varying[0]]  # type: ignore[assignment]
    else:
        keys = zip(*(columns[i] for i in varying), strict=True)  # type: ignore[misc]
    scores = list(map(memo.__getitem__, keys))
    for i in scoring.ignored:
        scores[i] = 0
    return scores


def normalize(scores: list[int], ignored: set[int]) -> None:
    """upstream `NormalizeScore`: fewer matching pods, higher score; ignored nodes score 0."""
    valid = [s for i, s in enumerate(scores) if i not in ignored] if ignored else scores
    distinct = set(valid)
    min_score = min(distinct, default=0)
    max_score = max(distinct, default=0)
    if max_score == 0:
        scores[:] = [MAX_NODE_SCORE] * len(scores)
    else:  # a few distinct scores: each is normalized once
        total = max_score + min_score
        every = set(scores) if ignored else distinct
        normalized = {s: MAX_NODE_SCORE * (total - s) // max_score for s in every}
        scores[:] = map(normalized.__getitem__, scores)
    for i in ignored:
        scores[i] = 0
