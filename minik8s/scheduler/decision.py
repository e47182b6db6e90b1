"""Decision records: what the scheduler saw and decided in each scheduling attempt.

Upstream logs this at high verbosity only; minik8s keeps it so learners can ask "why this
node?" and "why not that one?" (`Scheduler.decisions[pod_key]`, `kubectl describe pod`).
Scores are read as upstream computes them: one list per plugin, aligned with `feasible`.

A record is compact (the scheduler keeps thousands of them): the evaluated nodes are a window
of the snapshot's node-name list (shared, never copied), a filtered node is its offset in that
window and the index of its distinct `(plugin, reason)`, the feasible nodes are the evaluated
ones not filtered, the score columns are `bytes` (or the smallest `array` that holds them), each
weighted column is its score column and the plugin's small score → weighted-score map (as
`score_totals.weigh_and_total` computes them), and the totals are their sums, added when read.
The list and dict attributes are built when read; a record given plain lists keeps what it
cannot derive (a `feasible` or `totals` that disagree) as given.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from minik8s.scheduler.decision_columns import (
    MAX_WEIGHT_MAP,
    Column,
    compact,
    score_column,
    weight_maps,
)
from minik8s.scheduler.score_totals import WeightedScores

NO_NAMES: tuple[str, ...] = ()
NO_OFFSETS = array("I")  # never appended to
NOT_SCORED: dict[str, Any] = {}  # never changed


class Attempt:
    """One scheduling attempt of one pod."""

    __slots__ = (
        "pod", "time", "cycle", "num_all_nodes", "chosen", "message",
        "_names", "_start", "_count", "_shared", "_at", "_why", "_reasons",
        "_feasible", "_raw", "_weighted", "_totals", "_scored",
    )  # fmt: skip

    def __init__(
        self,
        pod: str,
        time: float,
        cycle: int,
        num_all_nodes: int,
        evaluated: Sequence[str] = (),
        filtered: Mapping[str, tuple[str, str]] | None = None,
        feasible: Sequence[str] | None = None,
        raw_scores: Mapping[str, Sequence[int]] | None = None,
        weighted_scores: Mapping[str, Sequence[int]] | None = None,
        totals: Sequence[int] = (),
        chosen: str | None = None,
        message: str = "",
    ) -> None:
        self.pod, self.time, self.cycle, self.num_all_nodes = pod, time, cycle, num_all_nodes
        self.chosen, self.message = chosen, message
        self._names: Sequence[str] = NO_NAMES
        self._start = self._count = 0
        self._shared = False  # whether `_names` is the snapshot's list (not this record's own)
        # the filtered nodes: offsets in the window (ascending), index of their (plugin, reason)
        self._at = self._why = NO_OFFSETS  # shared while empty: `filter` makes its own
        self._reasons: dict[tuple[str, str], int] = {}
        self._feasible: list[str] | None = None  # only when it is not evaluated − filtered
        self._raw: dict[str, Column] = NOT_SCORED  # shared while empty: replaced, not changed
        self._weighted: dict[str, tuple[Column, dict[int, int] | None]] = NOT_SCORED
        self._totals: Column | None = None  # only when they are not the weighted sums
        self._scored = False
        if evaluated or filtered or feasible is not None:
            self._given(list(evaluated), filtered or {}, feasible)
        if raw_scores or weighted_scores or totals:
            self.set_scores(raw_scores or {}, weighted_scores or {}, totals)

    def _given(
        self,
        evaluated: list[str],
        filtered: Mapping[str, tuple[str, str]],
        feasible: Sequence[str] | None,
    ) -> None:
        """Plain lists: filtered nodes in window order (after it if not evaluated)."""
        names = list(evaluated)
        positions: dict[str, int] = {}
        for i, node in enumerate(names):
            positions.setdefault(node, i)
        for node in filtered:
            if node not in positions:
                positions[node] = len(names)
                names.append(node)
        self.window(tuple(names), 0, len(evaluated), shared=False)
        for offset, (plugin, reason) in sorted((positions[n], w) for n, w in filtered.items()):
            self.filter(offset, plugin, reason)
        if feasible is not None:
            self.feasible = list(feasible)

    def __repr__(self) -> str:
        outcome = f"chosen={self.chosen!r}" if self.chosen else "unschedulable"
        return (
            f"Attempt(pod={self.pod!r}, t={self.time:g}, nodes={self.num_all_nodes}, "
            f"evaluated={self._count}, feasible={self.num_feasible}, {outcome})"
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Attempt) and self._view() == other._view()

    __hash__ = None  # type: ignore[assignment]

    def _view(self) -> tuple[Any, ...]:
        return (
            self.pod, self.time, self.cycle, self.num_all_nodes, self.evaluated, self.filtered,
            self.feasible, self.raw_scores, self.weighted_scores, self.totals, self.chosen,
            self.message,
        )  # fmt: skip

    # -- writers (the scheduling algorithm) ---------------------------------------------------
    def window(self, names: Sequence[str], start: int, count: int, shared: bool = True) -> None:
        """The evaluated nodes: `count` names of `names` from `start`, wrapping around."""
        self._names, self._start, self._count, self._shared = names, start, count, shared

    def filter(self, offset: int, plugin: str, reason: str) -> None:
        """The node at `offset` in the window was filtered out (offsets come in order)."""
        if self._at is NO_OFFSETS:
            self._at, self._why = array("I"), array("I")
        self._at.append(offset)
        self._why.append(self._reasons.setdefault((plugin, reason), len(self._reasons)))

    def set_scores(
        self,
        raw: Mapping[str, Sequence[int]],
        weighted: Mapping[str, Sequence[int]],
        totals: Sequence[int],
    ) -> None:
        """The Score plugins' raw scores, weighted scores and totals (aligned with feasible)."""
        self._scored, self._totals = True, None
        if isinstance(weighted, WeightedScores):  # the totals are the sums of its maps
            columns, maps = weight_maps(weighted)
            self._raw, self._weighted = {}, {}
            for plugin, scores in raw.items():
                column, weights = columns[plugin], maps[plugin]
                if column is scores:  # not normalized node by node: one column for both
                    stored = self._raw[plugin] = score_column(scores, weights)
                else:
                    self._raw[plugin], stored = compact(scores), score_column(column, weights)
                if len(weights) > MAX_WEIGHT_MAP:  # many distinct scores: store the products
                    self._weighted[plugin] = (compact(list(map(weights.__getitem__, column))), None)
                else:
                    self._weighted[plugin] = (stored, weights)
            return
        self._raw = {p: compact(list(scores)) for p, scores in raw.items()}
        self._weighted = {p: (compact(list(scores)), None) for p, scores in weighted.items()}
        given = list(totals)
        self._totals = None if given == self.totals else compact(given)

    def own_names(self) -> None:
        """Copy the window out of the shared name list (which then need not be kept)."""
        if self._shared:
            self._names, self._start = tuple(self._window(self._span())), 0
            self._shared = False

    def shared_names(self) -> Sequence[str] | None:
        """The shared name list the evaluated nodes are a window of, None if they are own."""
        return self._names if self._shared else None

    # -- the recorded lists, built when read --------------------------------------------------
    @property
    def evaluated(self) -> list[str]:
        """The nodes Filter ran on, in order."""
        return self._window(self._count)

    @evaluated.setter
    def evaluated(self, names: Sequence[str]) -> None:
        self.window(tuple(names), 0, len(names), shared=False)

    @property
    def filtered(self) -> dict[str, tuple[str, str]]:
        """Node → (Filter plugin, reason) of each filtered node."""
        reasons = list(self._reasons)
        return {self._name(at): reasons[why] for at, why in zip(self._at, self._why, strict=True)}

    @property
    def feasible(self) -> list[str]:
        """The nodes that passed every Filter plugin, in order."""
        if self._feasible is not None:
            return list(self._feasible)
        filtered = set(self._at)
        return [n for i, n in enumerate(self.evaluated) if i not in filtered]

    @feasible.setter
    def feasible(self, names: list[str]) -> None:
        self._feasible = None  # (so that `self.feasible` below is derived from the window)
        self._feasible = None if names == self.feasible else list(names)

    @property
    def num_evaluated(self) -> int:
        """`len(evaluated)`, without building it."""
        return self._count

    @property
    def num_feasible(self) -> int:
        """`len(feasible)`, without building it."""
        if self._feasible is not None:
            return len(self._feasible)
        return self._count - bisect_left(self._at, self._count)

    @property
    def raw_scores(self) -> dict[str, list[int]]:
        """Plugin → each feasible node's raw score."""
        return {p: list(scores) for p, scores in self._raw.items()}

    @property
    def weighted_scores(self) -> dict[str, list[int]]:
        """Plugin → each feasible node's normalized × weight score."""
        return {p: list(self._weighted_column(p)) for p in self._weighted}

    @property
    def totals(self) -> list[int]:
        """Each feasible node's total (empty when the nodes were not scored)."""
        if not self._scored:
            return []
        if self._totals is not None:
            return list(self._totals)
        columns = [self._weighted_column(p) for p in self._weighted]
        if not columns:
            return [0] * self.num_feasible
        return [sum(scores) for scores in zip(*columns, strict=True)]

    def _weighted_column(self, plugin: str) -> Iterator[int]:
        column, scores = self._weighted[plugin]
        return iter(column) if scores is None else map(scores.__getitem__, column)

    # -- lookups -------------------------------------------------------------------------------
    def _window(self, size: int) -> list[str]:
        names, begin = self._names, self._start
        end = begin + size
        if end <= len(names):
            return list(names[begin:end])
        return list(names[begin:]) + list(names[: end - len(names)])

    def _span(self) -> int:
        """How many names from `_start` the record covers: the window and any filtered node
        given after it."""
        return max(self._count, self._at[-1] + 1 if self._at else 0)

    def _name(self, offset: int) -> str:
        return self._names[(self._start + offset) % len(self._names)]

    def _offset(self, node: str) -> int:
        """The node's offset in the window (or after it, if filtered), -1 if absent."""
        names, begin, span = self._names, self._start, self._span()
        first = min(len(names), begin + span)
        for lo, hi, base in ((begin, first, -begin), (0, begin + span - first, first - begin)):
            try:
                return names.index(node, lo, hi) + base
            except ValueError:
                pass
        return -1

    def _feasible_index(self, node: str) -> int:
        """The node's index in `feasible` (its score columns), -1 if it is not feasible."""
        if self._feasible is not None:
            return self._feasible.index(node) if node in self._feasible else -1
        offset = self._offset(node)
        if not 0 <= offset < self._count:
            return -1
        before = bisect_left(self._at, offset)
        filtered = before < len(self._at) and self._at[before] == offset
        return -1 if filtered else offset - before

    def _scores_at(self, i: int) -> dict[str, tuple[int, int]]:
        result = {}
        for plugin, raw in self._raw.items():
            column, scores = self._weighted[plugin]
            weighted = column[i] if scores is None else scores[column[i]]
            result[plugin] = (raw[i], weighted)
        return result

    def _total_at(self, i: int) -> int | None:
        if not self._scored:
            return None
        if self._totals is not None:
            return self._totals[i] if self._totals else None
        return sum(c[i] if s is None else s[c[i]] for c, s in self._weighted.values())

    # -- the answers ----------------------------------------------------------------------------
    def verdict(self, node: str) -> str:
        """`Plugin: reason` for a filtered node, `feasible`, or `not evaluated`."""
        offset = self._offset(node)
        at = bisect_left(self._at, offset)
        if offset >= 0 and at < len(self._at) and self._at[at] == offset:
            plugin, reason = list(self._reasons)[self._why[at]]
            return f"{plugin}: {reason}"
        return "feasible" if self._feasible_index(node) >= 0 else "not evaluated"

    def scores(self, node: str) -> dict[str, tuple[int, int]]:
        """Per plugin (raw score, normalized × weight) for a feasible node."""
        i = self._feasible_index(node)
        return {} if i < 0 else self._scores_at(i)

    def total(self, node: str) -> int | None:
        """The weighted total of a feasible node (None if not scored)."""
        i = self._feasible_index(node)
        return None if i < 0 else self._total_at(i)

    def _verdicts(self) -> Iterator[tuple[str, tuple[str, str] | None, int]]:
        """(node, (plugin, reason) if filtered, index in `feasible` or -1) per evaluated node."""
        filtered = self.filtered
        index: dict[str, int] = {}
        for i, node in enumerate(self.feasible):
            index.setdefault(node, i)
        for node in self.evaluated:
            yield node, filtered.get(node), index.get(node, -1)

    def rows(self) -> list[dict[str, Any]]:
        """One dict per evaluated node (for notebook tables and widgets)."""
        result = []
        for node, why, i in self._verdicts():
            plugin, reason = why or ("", "")
            result.append(
                {
                    "node": node,
                    "feasible": i >= 0,
                    "filtered_by": plugin,
                    "reason": reason,
                    "scores": {} if i < 0 else self._scores_at(i),
                    "total": None if i < 0 else self._total_at(i),
                    "chosen": node == self.chosen,
                }
            )
        return result

    def table(self) -> str:
        """The attempt as a text table: one row per evaluated node."""
        plugins = list(self._raw)
        header = ["NODE", "VERDICT", *plugins, "TOTAL"]
        rows = []
        for node, why, i in self._verdicts():
            verdict = f"{why[0]}: {why[1]}" if why else "feasible" if i >= 0 else "not evaluated"
            scores = {} if i < 0 else self._scores_at(i)
            cells = [node, verdict]
            cells += [f"{scores[p][0]} → {scores[p][1]}" if p in scores else "" for p in plugins]
            total = None if i < 0 else self._total_at(i)
            mark = "  ← chosen" if node == self.chosen else ""
            cells.append(("" if total is None else str(total)) + mark)
            rows.append(cells)
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
        lines = [
            f"attempt {self.cycle} for {self.pod} at t={self.time:g}s: "
            f"{self._count}/{self.num_all_nodes} nodes evaluated, "
            f"{self.num_feasible} feasible" + (f", chosen {self.chosen}" if self.chosen else "")
        ]
        for row in [header, *rows]:
            lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if self.message:
            lines.append(self.message)
        return "\n".join(lines)
