"""Decision records: what the scheduler saw and decided in each scheduling attempt.

Upstream logs this at high verbosity only; minik8s keeps it so learners can ask "why this
node?" and "why not that one?" (`Scheduler.decisions[pod_key]`, `kubectl describe pod`).
Scores are stored as upstream computes them: one list per plugin, aligned with `feasible`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Attempt:
    """One scheduling attempt of one pod."""

    pod: str
    time: float
    cycle: int
    num_all_nodes: int
    evaluated: list[str] = field(default_factory=list)
    filtered: dict[str, tuple[str, str]] = field(default_factory=dict)
    feasible: list[str] = field(default_factory=list)
    raw_scores: dict[str, list[int]] = field(default_factory=dict)
    weighted_scores: Mapping[str, list[int]] = field(default_factory=dict)
    totals: list[int] = field(default_factory=list)
    chosen: str | None = None
    message: str = ""

    def __repr__(self) -> str:
        outcome = f"chosen={self.chosen!r}" if self.chosen else "unschedulable"
        return (
            f"Attempt(pod={self.pod!r}, t={self.time:g}, nodes={self.num_all_nodes}, "
            f"evaluated={len(self.evaluated)}, feasible={len(self.feasible)}, {outcome})"
        )

    def verdict(self, node: str) -> str:
        """`Plugin: reason` for a filtered node, `feasible`, or `not evaluated`."""
        if node in self.filtered:
            plugin, reason = self.filtered[node]
            return f"{plugin}: {reason}"
        return "feasible" if node in self.feasible else "not evaluated"

    def scores(self, node: str) -> dict[str, tuple[int, int]]:
        """Per plugin (raw score, normalized × weight) for a feasible node."""
        if node not in self.feasible:
            return {}
        i = self.feasible.index(node)
        return {p: (raw[i], self.weighted_scores[p][i]) for p, raw in self.raw_scores.items()}

    def total(self, node: str) -> int | None:
        """The weighted total of a feasible node (None if not scored)."""
        if node not in self.feasible or not self.totals:
            return None
        return self.totals[self.feasible.index(node)]

    def rows(self) -> list[dict[str, Any]]:
        """One dict per evaluated node (for notebook tables and widgets)."""
        result = []
        for node in self.evaluated:
            plugin, reason = self.filtered.get(node, ("", ""))
            result.append(
                {
                    "node": node,
                    "feasible": node in self.feasible,
                    "filtered_by": plugin,
                    "reason": reason,
                    "scores": self.scores(node),
                    "total": self.total(node),
                    "chosen": node == self.chosen,
                }
            )
        return result

    def table(self) -> str:
        """The attempt as a text table: one row per evaluated node."""
        plugins = list(self.raw_scores)
        header = ["NODE", "VERDICT", *plugins, "TOTAL"]
        rows = []
        for node in self.evaluated:
            cells = [node, self.verdict(node)]
            scores = self.scores(node)
            cells += [f"{scores[p][0]} → {scores[p][1]}" if p in scores else "" for p in plugins]
            total = self.total(node)
            mark = "  ← chosen" if node == self.chosen else ""
            cells.append(("" if total is None else str(total)) + mark)
            rows.append(cells)
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
        lines = [
            f"attempt {self.cycle} for {self.pod} at t={self.time:g}s: "
            f"{len(self.evaluated)}/{self.num_all_nodes} nodes evaluated, "
            f"{len(self.feasible)} feasible" + (f", chosen {self.chosen}" if self.chosen else "")
        ]
        for row in [header, *rows]:
            lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if self.message:
            lines.append(self.message)
        return "\n".join(lines)
