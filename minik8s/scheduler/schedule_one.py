"""The scheduling algorithm, mirroring `pkg/scheduler/schedule_one.go` (`schedulePod`,
`findNodesThatFitPod`, `findNodesThatPassFilters`, `numFeasibleNodesToFind`,
`prioritizeNodes`, `selectHost`) and the `FitError` message of `framework/types.go`.

Nodes are checked one by one from a rotating start index until enough feasible nodes are
found (the adaptive percentageOfNodesToScore; a single one when the profile has no Score
plugins, upstream's first fit since v1.30), so consecutive pods spread their search over
the cluster. Ties among the best totals are broken by reservoir sampling with the cluster's
seeded rng. Left out: nominated pods, extenders, parallelism.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, TypeVar

from minik8s.scheduler.decision import Attempt
from minik8s.scheduler.framework import Code, CycleState, Status, unresolvable

if TYPE_CHECKING:
    from minik8s.scheduler.cache import Snapshot
    from minik8s.scheduler.runtime import Framework
    from minik8s.scheduler.types import NodeInfo, PodInfo

T = TypeVar("T")
MIN_FEASIBLE_NODES_TO_FIND = 100
MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5
NO_NODE_AVAILABLE_MSG = "0/{} nodes are available"
MIN_FILTER_BATCH = 64
ERR_NO_NODES_AVAILABLE = "no nodes available to schedule pods"
FILTERED_BY_PRE_FILTER = "node is filtered out by the prefilter result"


def num_feasible_nodes_to_find(percentage: int | None, num_all_nodes: int) -> int:
    """upstream `numFeasibleNodesToFind`: all of a small cluster, else an adaptive share."""
    if num_all_nodes < MIN_FEASIBLE_NODES_TO_FIND:
        return num_all_nodes
    if not percentage:
        percentage = 50 - num_all_nodes // 125
        percentage = max(percentage, MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND)
    num_nodes = num_all_nodes * percentage // 100
    return max(num_nodes, MIN_FEASIBLE_NODES_TO_FIND)


class FitError(Exception):
    """upstream `FitError`: no node fits; `str()` is the aggregated, sorted reasons."""

    def __init__(
        self,
        pod: str,
        num_all_nodes: int,
        statuses: dict[str, Status],
        *,
        pre_filter_msg: str = "",
        absent_status: Status | None = None,
        unschedulable_plugins: set[str] | None = None,
    ) -> None:
        super().__init__(pod)
        self.pod = pod
        self.num_all_nodes = num_all_nodes
        self.statuses = statuses
        self.pre_filter_msg = pre_filter_msg
        self.absent_status = absent_status
        self.post_filter_msg = ""
        self.unschedulable_plugins = unschedulable_plugins or set()

    def __repr__(self) -> str:
        return f"FitError({self.pod}: {self})"

    def __str__(self) -> str:
        msg = NO_NODE_AVAILABLE_MSG.format(self.num_all_nodes) + ":"
        if self.pre_filter_msg:
            msg += f" {self.pre_filter_msg}."
        else:
            histogram = reasons_histogram(self.statuses)
            absent = self.num_all_nodes - len(self.statuses)
            if absent > 0 and self.absent_status is not None:
                for reason in self.absent_status.reasons:
                    histogram[reason] = histogram.get(reason, 0) + absent
            if histogram:
                msg += " " + ", ".join(sorted(f"{n} {r}" for r, n in histogram.items())) + "."
        if self.post_filter_msg:
            msg += f" {self.post_filter_msg}."
        return msg


def reasons_histogram(statuses: dict[str, Status]) -> dict[str, int]:
    """How many nodes gave each reason (upstream counts every reason of every status)."""
    histogram: dict[str, int] = {}
    for status in statuses.values():
        for reason in status.reasons:
            histogram[reason] = histogram.get(reason, 0) + 1
    return histogram


class SchedulingError(Exception):
    """A plugin returned Error: the attempt failed for a reason other than fit."""


class NoNodesAvailable(SchedulingError):
    """upstream `ErrNoNodesAvailable`: rejected (reason Unschedulable), retried with back-off."""


class ScheduleResult:
    """upstream `ScheduleResult`."""

    __slots__ = ("suggested_host", "evaluated_nodes", "feasible_nodes")

    def __init__(self, host: str, evaluated: int, feasible: int) -> None:
        self.suggested_host, self.evaluated_nodes, self.feasible_nodes = host, evaluated, feasible

    def __repr__(self) -> str:
        counts = f"evaluated={self.evaluated_nodes} feasible={self.feasible_nodes}"
        return f"ScheduleResult({self.suggested_host} {counts})"


class GenericScheduler:
    """`schedulePod` and friends, with upstream's rotating `nextStartNodeIndex`."""

    def __init__(self, snapshot: Snapshot, rng: random.Random, percentage: int | None = None):
        self.snapshot = snapshot
        self.rng = rng
        self.percentage = percentage
        self.next_start_node_index = 0
        self._absent: Status | None = None  # the status of nodes a PreFilter result left out

    def __repr__(self) -> str:
        return f"GenericScheduler(next_start_node_index={self.next_start_node_index})"

    def schedule_pod(
        self, fwk: Framework, state: CycleState, pod: PodInfo, attempt: Attempt
    ) -> ScheduleResult:
        """upstream `schedulePod`: filter, then score, then pick; raises FitError."""
        nodes = self.snapshot.node_info_list
        attempt.num_all_nodes = len(nodes)
        if not nodes:
            raise NoNodesAvailable(ERR_NO_NODES_AVAILABLE)
        feasible, statuses = self.find_nodes_that_fit_pod(fwk, state, pod, nodes, attempt)
        if not feasible:
            raise FitError(
                pod.key,
                len(nodes),
                statuses,
                absent_status=self._absent,
                unschedulable_plugins={s.plugin for s in statuses.values() if s.plugin},
            )
        # the record's feasible nodes are the evaluated ones not filtered out
        if len(feasible) == 1:
            attempt.chosen = feasible[0].name
            return ScheduleResult(feasible[0].name, attempt.num_evaluated, 1)
        totals = self.prioritize_nodes(fwk, state, pod, feasible, attempt)
        host = select_host(feasible, totals, self.rng)
        attempt.chosen = host
        return ScheduleResult(host, attempt.num_evaluated, len(feasible))

    def find_nodes_that_fit_pod(
        self,
        fwk: Framework,
        state: CycleState,
        pod: PodInfo,
        all_nodes: list[NodeInfo],
        attempt: Attempt,
    ) -> tuple[list[NodeInfo], dict[str, Status]]:
        """upstream `findNodesThatFitPod`: PreFilter, then Filter over (some of) the nodes."""
        self._absent = None
        names, status = fwk.run_pre_filter_plugins(state, pod, all_nodes)
        if status is not None:
            if status.code == Code.Error:
                raise SchedulingError(status.message())
            raise FitError(
                pod.key,
                len(all_nodes),
                {n.name: status for n in all_nodes},
                pre_filter_msg=status.message(),
                unschedulable_plugins={status.plugin},
            )
        nodes = all_nodes
        if names is not None:
            nodes = [n for n in all_nodes if n.name in names]
            # v1.31 records every node left out as UnschedulableAndUnresolvable
            self._absent = unresolvable(FILTERED_BY_PRE_FILTER)
        return self.find_nodes_that_pass_filters(fwk, state, pod, nodes, attempt)

    def find_nodes_that_pass_filters(
        self,
        fwk: Framework,
        state: CycleState,
        pod: PodInfo,
        nodes: list[NodeInfo],
        attempt: Attempt,
    ) -> tuple[list[NodeInfo], dict[str, Status]]:
        """upstream `findNodesThatPassFilters`: nodes in order from the rotating start index
        until `numFeasibleNodesToFind` pass; checked in batches, counted as if one by one."""
        num_all = len(nodes)
        statuses: dict[str, Status] = {}
        if num_all == 0:
            return [], statuses
        percentage = fwk.profile.percentage_of_nodes_to_score  # the global one when unset
        to_find = num_feasible_nodes_to_find(
            self.percentage if percentage is None else percentage, num_all
        )
        if not fwk.score_plugins:  # upstream v1.30+ (no extenders): nothing to rank, first fit
            to_find = 1
        feasible: list[NodeInfo] = []
        start = self.next_start_node_index % num_all
        processed = 0
        while processed < num_all and len(feasible) < to_find:
            # a batch of the nodes that could still be needed: all of them if all pass
            size = min(max(to_find - len(feasible), MIN_FILTER_BATCH), num_all - processed)
            batch = _window(nodes, (start + processed) % num_all, size)
            verdicts = fwk.run_filter_plugins_on_nodes(state, pod, batch)
            if not any(verdicts) and len(feasible) + len(batch) <= to_find:
                feasible.extend(batch)
                processed += len(batch)
                continue
            for node, status in zip(batch, verdicts, strict=True):
                processed += 1
                if status is None:
                    feasible.append(node)
                    if len(feasible) >= to_find:
                        break
                    continue
                if status.code == Code.Error:
                    self._record_window(attempt, nodes, start, processed, 0)
                    raise SchedulingError(status.message())
                statuses[node.name] = status
                attempt.filter(processed - 1, status.plugin, status.message())
        self.next_start_node_index = (start + processed) % num_all
        self._record_window(attempt, nodes, start, processed, processed)
        return feasible, statuses

    def _record_window(
        self, attempt: Attempt, nodes: list[NodeInfo], start: int, processed: int, count: int
    ) -> None:
        """The attempt's evaluated nodes: `count` of the `processed` ones from `start` (which
        the filtered nodes' offsets count from), as a window of the snapshot's names."""
        if nodes is self.snapshot.node_info_list:  # their names are at hand, in order
            attempt.window(self.snapshot.node_names, start, count)
        else:
            names = tuple(n.name for n in _window(nodes, start, processed))
            attempt.window(names, 0, count, shared=False)

    def prioritize_nodes(
        self,
        fwk: Framework,
        state: CycleState,
        pod: PodInfo,
        nodes: list[NodeInfo],
        attempt: Attempt,
    ) -> list[int]:
        """upstream `prioritizeNodes`: PreScore, Score, NormalizeScore, weights, totals."""
        if not fwk.score_plugins:
            return [1] * len(nodes)
        fwk.run_pre_score_plugins(state, pod, nodes)
        raw, weighted, totals = fwk.run_score_plugins(state, pod, nodes)
        attempt.set_scores(raw, weighted, totals)
        return totals


def select_host(nodes: list[NodeInfo], totals: list[int], rng: random.Random) -> str:
    """upstream `selectHost`: the best total; ties by reservoir sampling with `rng`."""
    if not nodes:
        raise ValueError("empty priorityList")
    best = max(totals)
    selected = 0
    random = rng.random
    ties = [i for i, total in enumerate(totals) if total == best]
    for count, i in enumerate(ties, 1):
        if random() * count < 1.0:  # replace the candidate with probability 1/count
            selected = i
    return nodes[selected].name


def _window(items: list[T], begin: int, size: int) -> list[T]:
    """`size` items from index `begin`, wrapping around the end of the list."""
    end = begin + size
    if end <= len(items):
        return items[begin:end]
    return items[begin:] + items[: end - len(items)]
