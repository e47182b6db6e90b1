"""The second half of upstream `RunScorePlugins` (`framework/runtime/framework.go`):
NormalizeScore, the range check, the weights and each node's total.

Nodes alike score alike (same free resources, no matching pods, same taints): the few hundred
nodes of a cycle give a plugin a handful of distinct scores. So each distinct score is checked
and weighted once, a plugin whose NormalizeScore maps each score by a function of the set of
scores (`normalizes_by_value`, true of upstream's `DefaultNormalizeScore` and the plugins'
min/max scalings) normalizes only the distinct scores, a plugin that scores every node alike
adds one number instead of a list, and the weighted lists of upstream's `NodePluginScores` are
built when read (`WeightedScores`). Same numbers as normalizing, weighting and adding up node
by node.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from minik8s.scheduler.framework import MAX_NODE_SCORE, MIN_NODE_SCORE

ScoreLists = dict[str, list[int]]
Normalizer = Callable[[list[int]], None]


class WeightedScores(Mapping[str, list[int]]):
    """Plugin name → each node's normalized × weight score, built on first read from the
    scores the plugin's weighted-score map applies to."""

    def __init__(self, columns: ScoreLists, maps: dict[str, dict[int, int]]) -> None:
        self._columns = columns
        self._maps = maps
        self._built: ScoreLists = {}

    def __getitem__(self, name: str) -> list[int]:
        scores = self._built.get(name)
        if scores is None:
            weighted = self._maps[name].__getitem__  # KeyError for an unknown plugin
            scores = self._built[name] = list(map(weighted, self._columns[name]))
        return scores

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)

    def __repr__(self) -> str:
        return f"WeightedScores({dict(self)!r})"

    def parts(self) -> tuple[ScoreLists, dict[str, dict[int, int]]]:
        """The columns the weighted scores are read from, and each plugin's score → weighted
        score map (what a decision record keeps instead of the built lists)."""
        return self._columns, self._maps


def normalizes_by_value(plugin: Any, state: Any) -> bool:
    """Whether the plugin's NormalizeScore can be given the distinct scores only."""
    check = getattr(plugin, "normalizes_by_value", None)
    return bool(check is not None and check(state))


def weigh_and_total(
    columns: ScoreLists,
    normalizers: dict[str, Normalizer],
    weights: dict[str, int],
    num_nodes: int,
) -> tuple[WeightedScores, list[int]]:
    """Each plugin's weighted scores and each node's total, from `columns` (per plugin, each
    node's score: raw, or already normalized node by node); `normalizers` normalize the
    distinct scores of the plugins they name. RuntimeError on a score outside [0, 100]."""
    maps: dict[str, dict[int, int]] = {}
    for name, scores in columns.items():
        alike = bool(scores) and scores.count(scores[0]) == len(scores)
        values = [scores[0]] if alike else sorted(set(scores))
        normalized = list(values)
        if name in normalizers:
            normalizers[name](normalized)
        if normalized and (min(normalized) < MIN_NODE_SCORE or max(normalized) > MAX_NODE_SCORE):
            _raise_invalid(name, scores, dict(zip(values, normalized, strict=True)))
        weight = weights[name]
        maps[name] = {v: score * weight for v, score in zip(values, normalized, strict=True)}
    # a plugin that scores every node alike adds one number; the others add node by node
    same_everywhere = sum(next(iter(m.values())) for m in maps.values() if len(m) == 1)
    varying = [(maps[name], columns[name]) for name in columns if len(maps[name]) > 1]
    if not varying:
        return WeightedScores(columns, maps), [same_everywhere] * num_nodes
    if len(varying) == 1:
        ((first, scores),) = varying
        return WeightedScores(columns, maps), [first[v] + same_everywhere for v in scores]
    (first, scores), (second, others), *rest = varying
    pairs = zip(scores, others, strict=True)
    totals = [first[v] + second[w] + same_everywhere for v, w in pairs]
    for weighted, scores in rest:
        totals = [total + weighted[v] for total, v in zip(totals, scores, strict=True)]
    return WeightedScores(columns, maps), totals


def _raise_invalid(name: str, scores: list[int], normalized: dict[int, int]) -> None:
    """upstream's error for the first node (in order) whose normalized score is out of range."""
    bad = next(
        normalized[v] for v in scores if not MIN_NODE_SCORE <= normalized[v] <= MAX_NODE_SCORE
    )
    raise RuntimeError(
        f"plugin {name!r} returns an invalid score {bad}, "
        "it should in the range of [0, 100] after normalizing"
    )
