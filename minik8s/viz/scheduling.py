"""The scheduler's decision for one pod: a nodes × plugins table.

Mirrors what upstream's scheduling cycle computes (`pkg/scheduler/schedule_one.go`:
`findNodesThatFitPod` → the Filter plugin that rejected each node and its reason, then
`prioritizeNodes` → each Score plugin's weighted, normalized score per feasible node and the sum,
then `selectHost`). Upstream only logs this at high verbosity; here it is a table. Filtered nodes
are greyed with the plugin and reason; the selected node is highlighted.

The record protocol (dicts or objects, read through `minik8s.viz.records.field`):
- decision: `pod` (`namespace/name`), `nodes` (rows, below), `selected` (node name or None),
  optional `plugins` (score column order) and `message` (e.g. `0/3 nodes are available: …`);
  aliases: `rows`/`results` for `nodes`, `node`/`winner`/`selected_node` for `selected`.
- row: `node`, `filtered_by` (Filter plugin name, None when the node fits), `reason`,
  `scores` (plugin → int, or a list of `(plugin, int)`), `total` (summed when missing).
`adapt_decision()` turns any of these into `SchedulingDecision`; it also reads the scheduler's
own attempt records (`minik8s.scheduler.decision.Attempt`: `evaluated`, `filtered`, `feasible`,
`weighted_scores`, `totals`, `chosen`), and a list of records (the latest one counts).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from minik8s.viz import records
from minik8s.viz.render import Diagram
from minik8s.viz.style import GREY_TEXT, Sketch, cell, font, text

WINNER_FILL = "#c8e6c9"
HEADER_FILL = "#eceff1"


@dataclass(frozen=True)
class NodeResult:
    """One node's row: rejected by a Filter plugin (with the reason), or scored per plugin."""

    node: str
    filtered_by: str | None = None
    reason: str = ""
    scores: Mapping[str, int] = field(default_factory=dict)
    total: int | None = None

    @property
    def feasible(self) -> bool:
        """Whether every Filter plugin accepted the node."""
        return self.filtered_by is None

    @property
    def sum(self) -> int:
        """`total`, or the sum of the per-plugin scores."""
        return self.total if self.total is not None else sum(self.scores.values())


@dataclass(frozen=True)
class SchedulingDecision:
    """The outcome of one scheduling cycle for `pod`."""

    pod: str
    nodes: tuple[NodeResult, ...] = ()
    selected: str | None = None
    plugins: tuple[str, ...] = ()
    message: str = ""

    def score_plugins(self) -> tuple[str, ...]:
        """The score columns: `plugins`, else every plugin seen in the rows, in order."""
        if self.plugins:
            return self.plugins
        seen: dict[str, None] = {}
        for row in self.nodes:
            seen.update(dict.fromkeys(row.scores))
        return tuple(seen)


def adapt_node_result(row: Any) -> NodeResult:
    """A `NodeResult` from any dict or object following the row protocol."""
    if isinstance(row, NodeResult):
        return row
    scores = records.field(row, "scores", "plugin_scores", default={}) or {}
    if not isinstance(scores, Mapping):
        scores = {str(k): int(v) for k, v in scores}
    filtered = records.field(row, "filtered_by", "plugin", "filter", default=None)
    total = records.field(row, "total", "score", "total_score", default=None)
    return NodeResult(
        node=str(records.field(row, "node", "node_name", "name", default="?")),
        filtered_by=str(filtered) if filtered else None,
        reason=str(records.field(row, "reason", "message", default="") or ""),
        scores={str(k): int(v) for k, v in scores.items()},
        total=int(total) if total is not None else None,
    )


def from_attempt(attempt: Any) -> SchedulingDecision:
    """A `SchedulingDecision` from a scheduler attempt record (per-plugin score lists)."""
    filtered = records.field(attempt, "filtered", default={}) or {}
    feasible = list(records.field(attempt, "feasible", default=[]) or [])
    weighted = records.field(attempt, "weighted_scores", default={}) or {}
    totals = list(records.field(attempt, "totals", default=[]) or [])
    index: dict[str, int] = {}  # each feasible node's index in the score lists
    for i, node in enumerate(feasible):
        index.setdefault(node, i)
    rows = []
    for node in records.field(attempt, "evaluated", default=[]) or []:
        if node in filtered:
            plugin, reason = filtered[node]
            rows.append(NodeResult(node, plugin, reason))
        elif node in index:
            i = index[node]
            scores = {p: values[i] for p, values in weighted.items() if i < len(values)}
            rows.append(NodeResult(node, scores=scores, total=totals[i] if totals else None))
    evaluated = len(rows)
    total_nodes = records.field(attempt, "num_all_nodes", default=evaluated)
    summary = f"{evaluated}/{total_nodes} nodes evaluated, {len(feasible)} feasible"
    message = str(records.field(attempt, "message", default="") or "")
    chosen = records.field(attempt, "chosen", default=None)
    return SchedulingDecision(
        pod=str(records.field(attempt, "pod", default="?")),
        nodes=tuple(rows),
        selected=str(chosen) if chosen else None,
        plugins=tuple(weighted),
        message="; ".join(x for x in (summary, message) if x),
    )


def adapt_decision(record: Any) -> SchedulingDecision:
    """A `SchedulingDecision` from any dict or object following the decision protocol."""
    if isinstance(record, SchedulingDecision):
        return record
    if isinstance(record, (list, tuple)):
        return adapt_decision(record[-1]) if record else SchedulingDecision("?")
    if records.field(record, "weighted_scores", default=None) is not None:
        return from_attempt(record)
    rows = records.field(record, "nodes", "rows", "results", "node_results", default=[]) or []
    selected = records.field(record, "selected", "node", "winner", "selected_node", default=None)
    return SchedulingDecision(
        pod=str(records.field(record, "pod", "pod_name", "key", default="?")),
        nodes=tuple(adapt_node_result(r) for r in rows),
        selected=str(selected) if selected else None,
        plugins=tuple(records.field(record, "plugins", "score_plugins", default=()) or ()),
        message=str(records.field(record, "message", default="") or ""),
    )


def decision_table(decision: SchedulingDecision) -> str:
    """The HTML-like DOT label of the table (also handy on its own)."""
    plugins = decision.score_plugins()
    header = [cell("node", bgcolor=HEADER_FILL), cell("filter", bgcolor=HEADER_FILL)]
    header += [cell(p, bgcolor=HEADER_FILL) for p in plugins]
    header.append(cell("total", bgcolor=HEADER_FILL))
    rows = ["<TR>" + "".join(header) + "</TR>"]
    for row in decision.nodes:
        rows.append(_row(row, plugins, row.node == decision.selected))
    table = '<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4">'
    return "<" + table + "".join(rows) + "</TABLE>>"


def _row(row: NodeResult, plugins: tuple[str, ...], winner: bool) -> str:
    if not row.feasible:
        reason = f"✗ {row.filtered_by}: {row.reason}".rstrip(": ")
        cells = [
            f"<TD>{font(row.node, color=GREY_TEXT)}</TD>",
            f'<TD ALIGN="LEFT" COLSPAN="{len(plugins) + 2}">{font(reason, color=GREY_TEXT)}</TD>',
        ]
        return "<TR>" + "".join(cells) + "</TR>"
    fill = {"bgcolor": WINNER_FILL} if winner else {}
    name = f"★ {row.node}" if winner else row.node
    cells = [cell(name, **fill), cell("✓ fits", **fill)]
    cells += [cell(row.scores.get(p, "–"), align="RIGHT", **fill) for p in plugins]
    cells.append(cell(row.sum, align="RIGHT", **fill))
    return "<TR>" + "".join(cells) + "</TR>"


def scheduler_decision(record: Any) -> Diagram:
    """Draw one scheduling decision (any record following the protocol) as a table."""
    decision = adapt_decision(record)
    outcome = f"→ {decision.selected}" if decision.selected else "→ unschedulable"
    title = [f"Scheduling {decision.pod} {outcome}", "调度决策"]
    if decision.message:
        title.append(decision.message)
    sketch = Sketch("scheduler_decision", label=text(*title), labelloc="t")
    sketch.node("table", decision_table(decision), shape="plain", style="")
    return sketch.diagram("scheduler_decision")
