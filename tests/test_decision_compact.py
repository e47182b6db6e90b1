"""Compact decision records (issue #10 memory): every answer of an `Attempt` equals that of a
plain record (the former dataclass of lists, below), whichever way it was written; the
scheduler's records stay small."""

from __future__ import annotations

import gc
import random
import tracemalloc
from array import array
from dataclasses import dataclass, field
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.scheduler.cache import Cache
from minik8s.scheduler.decision import Attempt
from minik8s.scheduler.decision_columns import compact
from minik8s.scheduler.framework import CycleState
from minik8s.scheduler.plugins import REGISTRY
from minik8s.scheduler.profile import Profile
from minik8s.scheduler.runtime import Framework
from minik8s.scheduler.schedule_one import GenericScheduler
from minik8s.scheduler.score_totals import weigh_and_total
from minik8s.scheduler.types import PodInfo
from tests.scheduler import builders


@dataclass
class Plain:
    """The record as plain lists (minik8s before the compaction): the reference."""

    pod: str
    time: float
    cycle: int
    num_all_nodes: int
    evaluated: list[str] = field(default_factory=list)
    filtered: dict[str, tuple[str, str]] = field(default_factory=dict)
    feasible: list[str] = field(default_factory=list)
    raw_scores: dict[str, list[int]] = field(default_factory=dict)
    weighted_scores: dict[str, list[int]] = field(default_factory=dict)
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
        if node in self.filtered:
            plugin, reason = self.filtered[node]
            return f"{plugin}: {reason}"
        return "feasible" if node in self.feasible else "not evaluated"

    def scores(self, node: str) -> dict[str, tuple[int, int]]:
        if node not in self.feasible:
            return {}
        i = self.feasible.index(node)
        return {p: (raw[i], self.weighted_scores[p][i]) for p, raw in self.raw_scores.items()}

    def total(self, node: str) -> int | None:
        if node not in self.feasible or not self.totals:
            return None
        return self.totals[self.feasible.index(node)]

    def rows(self) -> list[dict[str, Any]]:
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


LISTS = ("evaluated", "filtered", "feasible", "raw_scores", "weighted_scores", "totals")


def assert_same(record: Attempt, plain: Plain, universe: list[str]) -> None:
    """Every reader of the record answers as the plain record does."""
    for name in LISTS:
        assert getattr(record, name) == getattr(plain, name), name
    assert list(record.filtered.items()) == list(plain.filtered.items())
    assert list(record.raw_scores) == list(plain.raw_scores)
    assert list(record.weighted_scores) == list(plain.weighted_scores)
    assert (record.chosen, record.message) == (plain.chosen, plain.message)
    assert repr(record) == repr(plain)
    assert record.rows() == plain.rows()
    assert record.table() == plain.table()
    assert record.num_evaluated == len(plain.evaluated)
    assert record.num_feasible == len(plain.feasible)
    for node in [*universe, "absent"]:
        assert record.verdict(node) == plain.verdict(node), node
        assert record.scores(node) == plain.scores(node), node
        assert record.total(node) == plain.total(node), node


REASONS = [("TaintToleration", "node(s) had untolerated taint {k: }"), ("NodeResourcesFit", "x")]


@st.composite
def cycles(draw: Any) -> dict[str, Any]:
    """A cycle as the algorithm writes it: a window of a node list, filtered offsets, and
    score columns through `weigh_and_total` (or none, or a plugin error mid-filter)."""
    n = draw(st.integers(1, 40))
    universe = [f"node-{i}" for i in range(n)]
    start = draw(st.integers(0, n - 1))
    count = draw(st.integers(0, n))
    window = [universe[(start + i) % n] for i in range(count)]
    marks = draw(st.lists(st.booleans(), min_size=count, max_size=count))
    reasons = draw(st.lists(st.sampled_from(REASONS), min_size=count, max_size=count))
    filtered = {node: why for node, m, why in zip(window, marks, reasons, strict=True) if m}
    feasible = [node for node in window if node not in filtered]
    errored = draw(st.booleans()) and count > 0  # a Filter error: nothing evaluated
    case = {"n": n, "universe": universe, "start": start, "count": count, "window": window}
    case.update(filtered=filtered, feasible=feasible, errored=errored, scored=False)
    if errored or len(feasible) < 2 or not draw(st.booleans()):
        return case
    special = st.sampled_from([0, 1, 7, 100, 255, 256, 300, -3, 40_000, 2**40])
    values = st.one_of(special, st.integers(0, 100)) if draw(st.booleans()) else special
    plugins = draw(st.lists(st.sampled_from("ABCDE"), unique=True, max_size=4))
    columns = {
        p: draw(st.lists(values, min_size=len(feasible), max_size=len(feasible))) for p in plugins
    }
    normalize = draw(st.sets(st.sampled_from(plugins))) if plugins else set()
    weights = {p: draw(st.integers(1, 5)) for p in plugins}
    case.update(scored=True, columns=columns, normalize=normalize, weights=weights)
    return case


def _clamp(scores: list[int]) -> None:
    """A NormalizeScore node by node (on the copy of the raw scores)."""
    scores[:] = [min(max(s, 0), 100) for s in scores]


def written(case: dict[str, Any]) -> tuple[Attempt, Plain]:
    """The record as `GenericScheduler` writes it, and the plain record it stands for."""
    record = Attempt("default/p", 1.5, 2, case["n"])
    plain = Plain("default/p", 1.5, 2, case["n"])
    count = 0 if case["errored"] else case["count"]
    record.window(case["universe"], case["start"], count)
    for offset, node in enumerate(case["window"]):
        if node in case["filtered"]:
            record.filter(offset, *case["filtered"][node])
    plain.filtered = dict(case["filtered"])
    if not case["errored"]:
        plain.evaluated, plain.feasible = list(case["window"]), list(case["feasible"])
    if case["scored"]:
        raw = {p: list(c) for p, c in case["columns"].items()}
        columns = {p: list(c) for p, c in raw.items()}  # raw in range for weigh_and_total
        for p in columns:
            if p in case["normalize"]:
                _clamp(columns[p])
            elif max(columns[p]) > 100 or min(columns[p]) < 0:
                _clamp(raw[p])
                columns[p] = raw[p]
            else:
                columns[p] = raw[p]
        weighted, totals = weigh_and_total(columns, {}, case["weights"], len(case["feasible"]))
        record.set_scores(raw, weighted, totals)
        plain.raw_scores, plain.weighted_scores = raw, dict(weighted)
        plain.totals = totals
    if plain.feasible:
        record.chosen = plain.chosen = plain.feasible[-1]
    record.message = plain.message = "Successfully assigned default/p"
    return record, plain


@settings(max_examples=300, deadline=None)
@given(cycles())
def test_a_written_record_answers_as_the_plain_one(case):
    record, plain = written(case)
    assert_same(record, plain, case["universe"])
    record.own_names()  # copied out of the shared list: the same answers
    assert record.shared_names() is None
    assert_same(record, plain, case["universe"])


@settings(max_examples=200, deadline=None)
@given(cycles())
def test_a_record_given_plain_lists_answers_as_the_plain_one(case):
    _, plain = written(case)
    given_lists = {name: getattr(plain, name) for name in LISTS}
    record = Attempt("default/p", 1.5, 2, case["n"], **given_lists, chosen=plain.chosen)
    record.message = plain.message
    if list(record.filtered) != list(plain.filtered):  # given out of order: sorted by node
        plain.filtered = {n: plain.filtered[n] for n in plain.evaluated if n in plain.filtered}
    assert_same(record, plain, case["universe"])


def test_plain_lists_that_do_not_add_up_are_kept_as_given():
    plain = Plain(
        "default/web", 0.0, 1, 4,
        evaluated=["node-1", "node-2", "node-3"],
        filtered={"node-4": ("NodeResourcesFit", "Insufficient cpu")},  # not evaluated
        feasible=["node-2", "node-1"],  # not evaluated − filtered
        raw_scores={"NodeResourcesFit": [61, 79]},
        weighted_scores={"NodeResourcesFit": [61, 80]},
        totals=[1, 2],  # not the sums
        chosen="node-2",
    )  # fmt: skip
    lists = {name: getattr(plain, name) for name in LISTS}
    record = Attempt("default/web", 0.0, 1, 4, **lists, chosen="node-2")
    assert_same(record, plain, ["node-1", "node-2", "node-3", "node-4"])
    no_totals = Attempt("p", 0, 1, 2, ["a", "b"], raw_scores={"X": [1, 2]},
                        weighted_scores={"X": [1, 2]})  # fmt: skip
    assert no_totals.totals == [] and no_totals.total("a") is None
    assert record == Attempt("default/web", 0.0, 1, 4, **lists, chosen="node-2")
    assert record != no_totals


def test_compact_columns_take_the_smallest_type():
    assert compact([0, 100, 255]) == b"\x00d\xff"
    assert compact([-1, 300]).typecode == "h"  # type: ignore[union-attr]
    assert compact([40_000]).typecode == "i"  # type: ignore[union-attr]
    assert compact([2**40]).typecode == "q"  # type: ignore[union-attr]
    assert compact([2**70]) == (2**70,)
    column = array("h", [1])
    assert compact(column) is column


def _cluster(num_nodes: int) -> tuple[Framework, GenericScheduler]:
    cache = Cache()
    for i in range(num_nodes):
        big = {"cpu": "8", "memory": "8Gi", "pods": "110"}
        small = {"cpu": "1", "memory": "1Gi", "pods": "110"}
        taints = [{"key": "k", "effect": "NoSchedule"}] if i % 7 == 0 else []
        cache.add_node(builders.node(f"n{i:04d}", small if i % 3 else big, taints=taints))
    snapshot = cache.snapshot()
    fwk = Framework(Profile(), REGISTRY, snapshot=snapshot, rng=random.Random(0))
    return fwk, GenericScheduler(snapshot, random.Random(0))


def test_scheduled_records_agree_with_the_algorithm_and_the_plain_record():
    fwk, algorithm = _cluster(300)
    for i, cpu in enumerate(["100m", "2", "100m", "4"]):
        info = PodInfo(builders.pod({"cpu": cpu, "memory": "100Mi"}, name=f"p{i}"))
        record = Attempt(info.key, 0, 1, 0)
        result = algorithm.schedule_pod(fwk, CycleState(), info, record)
        assert record.shared_names() is algorithm.snapshot.node_names  # a window, not a copy
        assert result.evaluated_nodes == len(record.evaluated) == record.num_evaluated
        assert result.feasible_nodes == len(record.feasible)
        assert record.filtered and all(n not in record.feasible for n in record.filtered)
        assert set(record.evaluated) == set(record.feasible) | set(record.filtered)
        plain = Plain(info.key, 0, 1, 300, **{name: getattr(record, name) for name in LISTS})
        plain.chosen = record.chosen
        assert_same(record, plain, algorithm.snapshot.node_names)
        sums = [sum(s) for s in zip(*record.weighted_scores.values(), strict=True)]
        assert record.totals == sums and len(sums) == len(record.feasible)


def _record_sizes(num_nodes: int, count: int) -> tuple[int, int]:
    """Bytes held by `count` scheduler records at `num_nodes` nodes, and by plain ones."""
    fwk, algorithm = _cluster(num_nodes)
    info = PodInfo(builders.pod({"cpu": "100m", "memory": "100Mi"}))
    tracemalloc.start()
    try:
        records = []
        for i in range(count):
            records.append(Attempt(info.key, 0, i, 0))
            algorithm.schedule_pod(fwk, CycleState(), info, records[-1])
        lists = [{name: getattr(r, name) for name in LISTS} for r in records]
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        del records
        gc.collect()
        compact_bytes = before - tracemalloc.get_traced_memory()[0]
        before = tracemalloc.get_traced_memory()[0]
        del lists
        gc.collect()
        plain_bytes = before - tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return compact_bytes // count, plain_bytes // count


def test_a_record_at_1000_nodes_takes_a_few_kib():
    """1,000 nodes: 420 evaluated per pod (numFeasibleNodesToFind), one seventh of them
    filtered (taint), five Score plugins. Plain lists take 8 bytes per name and per score (and
    28 more per total above 256): ~30 KiB. Compact: 1 byte per raw score and per filtered
    node's offset and reason index (4+4), nothing per evaluated or feasible name or total:
    5 × 420 + 60 × 8 ≈ 2.6 KiB, plus ~1.5 KiB of fixed overhead (maps, dicts, arrays)."""
    per_record, plain = _record_sizes(1000, 100)
    assert per_record < 5 * 1024, per_record
    assert plain > 5 * per_record, (plain, per_record)


def test_records_copy_their_windows_out_of_a_node_list_few_of_them_share():
    """When nodes come or go the snapshot's name list is replaced; records whose windows add
    up to less than the old list copy theirs out (so it can go), the others keep sharing it."""
    from minik8s.cluster import Cluster

    scheduler = Cluster(nodes=1, seed=0).scheduler
    small, big, later = ([f"{g}{i}" for i in range(10)] for g in "abc")
    attempts = [Attempt(f"default/p{i}", 0, 1, 10) for i in range(6)]
    for attempt, (names, start, count) in zip(
        attempts,
        [(small, 0, 3), (small, 8, 3), (big, 0, 6), (big, 6, 6), (later, 0, 1), (later, 1, 1)],
        strict=True,
    ):
        attempt.window(names, start, count)
        scheduler._record(attempt)
    first, second, third, fourth, *_ = attempts
    assert first.shared_names() is None and second.shared_names() is None
    assert first.evaluated == ["a0", "a1", "a2"] and second.evaluated == ["a8", "a9", "a0"]
    assert third.shared_names() is big and fourth.shared_names() is big  # 12 names ≥ 10
    assert fourth.evaluated == ["b6", "b7", "b8", "b9", "b0", "b1"]
    assert scheduler.explain("default/p1").startswith("attempt 1 for default/p1 at t=0s: 3/10")


def test_many_distinct_scores_and_large_constant_scores():
    """A plugin with more distinct scores than MAX_WEIGHT_MAP stores its weighted column;
    a raw column of one large score (normalized node by node) is that score repeated."""
    nodes = [f"n{i}" for i in range(30)]
    raw = {"Spread": list(range(30)), "Affinity": [500] * 30}
    columns = {"Spread": raw["Spread"], "Affinity": [100] * 30}
    weighted, totals = weigh_and_total(columns, {}, {"Spread": 2, "Affinity": 3}, 30)
    record = Attempt("default/p", 0, 1, 30)
    record.evaluated = nodes
    record.set_scores(raw, weighted, totals)
    plain = Plain("default/p", 0, 1, 30, nodes, {}, nodes, raw, dict(weighted), totals)
    assert_same(record, plain, nodes)
    assert record.scores("n29") == {"Spread": (29, 58), "Affinity": (500, 300)}
    assert record.totals[29] == 358
