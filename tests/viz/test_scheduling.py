"""The scheduler decision table and the record adapter."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pytest

from minik8s.scheduler.decision import Attempt
from minik8s.viz import NodeResult, SchedulingDecision, adapt_decision, scheduler_decision
from minik8s.viz.scheduling import WINNER_FILL, decision_table

TAINT = "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"
RECORD = {
    "pod": "shop/web-1",
    "selected": "node-2",
    "nodes": [
        {"node": "control-plane", "filtered_by": "TaintToleration", "reason": TAINT},
        {"node": "node-2", "scores": {"NodeResourcesFit": 85, "TaintToleration": 100}},
        {"node": "node-3", "scores": {"NodeResourcesFit": 70, "TaintToleration": 100}},
    ],
}


@dataclass
class Row:  # what a scheduler might record, with attributes instead of keys
    node_name: str
    plugin: str | None = None
    message: str = ""
    plugin_scores: list[tuple[str, int]] = field(default_factory=list)
    total_score: int | None = None


@dataclass
class Record:
    pod: str
    node_results: list[Row]
    selected_node: str | None


def test_adapt_dict_record():
    decision = adapt_decision(RECORD)
    assert decision.pod == "shop/web-1" and decision.selected == "node-2"
    assert decision.score_plugins() == ("NodeResourcesFit", "TaintToleration")
    rejected, best, other = decision.nodes
    assert not rejected.feasible and rejected.filtered_by == "TaintToleration"
    assert best.feasible and best.sum == 185 and other.sum == 170


def test_adapt_object_record_with_aliases():
    record = Record(
        "shop/web-1",
        [
            Row("node-1", "NodeResourcesFit", "Insufficient cpu"),
            Row("node-2", None, "", [("A", 3)], 9),
        ],
        "node-2",
    )
    decision = adapt_decision(record)
    assert decision.nodes[0] == NodeResult(
        "node-1", "NodeResourcesFit", "Insufficient cpu", {}, None
    )
    assert decision.nodes[1].scores == {"A": 3} and decision.nodes[1].sum == 9
    assert adapt_decision(decision) is decision


def test_table_greys_filtered_nodes_and_highlights_the_winner():
    table = decision_table(adapt_decision(RECORD))
    rows = table.split("<TR>")[1:]
    assert "node" in rows[0] and "NodeResourcesFit" in rows[0] and "total" in rows[0]
    assert "#9e9e9e" in rows[
        1
    ] and "✗ TaintToleration: node(s) had untolerated taint" in html.unescape(rows[1])
    assert 'COLSPAN="4"' in rows[1]
    assert WINNER_FILL in rows[2] and "★ node-2" in rows[2] and ">185<" in rows[2]
    assert WINNER_FILL not in rows[3] and ">170<" in rows[3]


def test_diagram_svg_and_determinism():
    diagram = scheduler_decision(RECORD)
    svg = html.unescape(diagram.svg())
    for text in ("Scheduling shop/web-1 → node-2", "调度决策", "TaintToleration", "185", "170"):
        assert text in svg
    assert diagram.svg() == scheduler_decision(RECORD).svg()
    assert repr(diagram) == "<Diagram scheduler_decision: 1 node, 0 edges>"


def test_unschedulable_pod_with_message():
    decision = SchedulingDecision(
        "shop/big",
        (NodeResult("node-1", "NodeResourcesFit", "Insufficient cpu"),),
        None,
        message="0/1 nodes are available: 1 Insufficient cpu.",
    )
    svg = html.unescape(scheduler_decision(decision).svg())
    assert "→ unschedulable" in svg and "0/1 nodes are available: 1 Insufficient cpu." in svg


@pytest.mark.parametrize("reason", ["<b>", "a & b", '"quoted"'])
def test_reasons_are_escaped(reason):
    record = {"pod": "p", "nodes": [{"node": "n", "filtered_by": "X", "reason": reason}]}
    assert reason in html.unescape(scheduler_decision(record).svg())


def scheduler_attempt() -> Attempt:
    return Attempt(
        pod="default/web",
        time=0.0,
        cycle=1,
        num_all_nodes=4,
        evaluated=["node-1", "node-2", "node-3"],
        filtered={"node-3": ("NodeResourcesFit", "Insufficient cpu")},
        feasible=["node-1", "node-2"],
        raw_scores={"TaintToleration": [0, 0], "NodeResourcesFit": [61, 79]},
        weighted_scores={"TaintToleration": [300, 300], "NodeResourcesFit": [61, 79]},
        totals=[361, 379],
        chosen="node-2",
        message="Successfully assigned default/web to node-2",
    )


def test_adapts_the_schedulers_attempt_records():
    decision = adapt_decision(scheduler_attempt())
    assert decision.pod == "default/web" and decision.selected == "node-2"
    assert decision.plugins == ("TaintToleration", "NodeResourcesFit")
    assert decision.nodes == (
        NodeResult("node-1", scores={"TaintToleration": 300, "NodeResourcesFit": 61}, total=361),
        NodeResult("node-2", scores={"TaintToleration": 300, "NodeResourcesFit": 79}, total=379),
        NodeResult("node-3", "NodeResourcesFit", "Insufficient cpu"),
    )
    assert decision.message.startswith("3/4 nodes evaluated, 2 feasible; Successfully assigned")
    # `Scheduler.decisions[pod]` is a list of attempts: the latest one is drawn.
    assert adapt_decision([scheduler_attempt(), decision]) is decision
    svg = html.unescape(scheduler_decision([scheduler_attempt()]).svg())
    assert "★ node-2" in svg and ">379<" in svg and "Insufficient cpu" in svg
