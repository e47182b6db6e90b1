"""DefaultPreemption, mirroring `pkg/scheduler/framework/plugins/defaultpreemption` and
`pkg/scheduler/framework/preemption/preemption.go` (`Evaluator.Preempt`).

PostFilter: when no node fits, find nodes where evicting lower-priority pods would make room
(a dry run: remove every lower-priority pod, check the filters, then reprieve victims from the
highest priority down while the pod still fits), pick the candidate with the least harm
(`pickOneNodeForPreemption`: lowest highest-victim priority, lowest priority sum, fewest
victims), delete its victims through the API and nominate the node. Otherwise explain, as
upstream: `preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling,
2 No preemption victims found for incoming pod.`

Left out: PodDisruptionBudgets, the candidate sampling offset (all nodes are tried), the
PreFilter extensions' AddPod/RemovePod (filters run on the reduced node without recomputing
PodTopologySpread/InterPodAffinity state), nominated-pod accounting in later cycles.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.errors import StatusError
from minik8s.scheduler.framework import Code, CycleState, Status
from minik8s.scheduler.types import NodeInfo, PodInfo

NAME = "DefaultPreemption"
NOT_HELPFUL = "Preemption is not helpful for scheduling"
NO_VICTIMS = "No preemption victims found for incoming pod"


def _without(node: NodeInfo, victims: list[PodInfo]) -> NodeInfo:
    """A copy of `node` without `victims` (upstream clones the NodeInfo and RemovePod)."""
    clone = NodeInfo(node.node)
    skip = {v.key for v in victims}
    for key, info in node.pods.items():
        if key not in skip:
            clone.add_pod(info)
    return clone


class DefaultPreemption:
    """PostFilter that evicts lower-priority pods to make room, or says why it cannot."""

    name = NAME

    def __init__(self, handle: Any) -> None:
        self.handle = handle

    def __repr__(self) -> str:
        return NAME

    def post_filter(
        self, state: CycleState, pod: PodInfo, statuses: dict[str, Status]
    ) -> tuple[str | None, Status]:
        if pod.spec.get("preemptionPolicy") == "Never":
            return None, Status(
                Code.Unschedulable, "preemption: not eligible due to preemptionPolicy=Never."
            )
        nodes = self.handle.snapshot.node_info_list
        results: dict[str, Status] = {}
        candidates: list[tuple[tuple[int, int, int, int], str, list[PodInfo]]] = []
        for index, node in enumerate(nodes):
            status = statuses.get(node.name)
            if status is None or status.code == Code.UnschedulableAndUnresolvable:
                results[node.name] = Status(Code.UnschedulableAndUnresolvable, NOT_HELPFUL)
                continue
            victims, failure = self.select_victims_on_node(state, pod, node)
            if failure is not None:
                results[node.name] = failure
                continue
            prios = [v.priority for v in victims]
            candidates.append(((max(prios), sum(prios), len(prios), index), node.name, victims))
        if not candidates:
            return None, Status(
                Code.Unschedulable, "preemption: " + _fit_message(len(nodes), results)
            )
        _, node_name, victims = min(candidates, key=lambda c: c[0])
        self.prepare_candidate(pod, node_name, victims)
        return node_name, Status(Code.Success)

    def select_victims_on_node(
        self, state: CycleState, pod: PodInfo, node: NodeInfo
    ) -> tuple[list[PodInfo], Status | None]:
        """upstream `SelectVictimsOnNode`: the fewest lower-priority pods whose removal fits."""
        lower = [p for p in node.pods.values() if p.priority < pod.priority]
        if not lower:
            return [], Status(Code.UnschedulableAndUnresolvable, NO_VICTIMS)
        reduced = _without(node, lower)
        status = self.handle.run_filter_plugins(state, pod, reduced)
        if status is not None:
            return [], status
        victims = []
        for candidate in sorted(lower, key=lambda p: (-p.priority, p.key)):
            reduced.add_pod(candidate)
            if self.handle.run_filter_plugins(state, pod, reduced) is not None:
                reduced.remove_pod(candidate.key)
                victims.append(candidate)
        return victims, None

    def prepare_candidate(self, pod: PodInfo, node_name: str, victims: list[PodInfo]) -> None:
        """upstream `prepareCandidate`: delete the victims, nominate the node for the pod."""
        client = self.handle.client
        for victim in victims:
            try:
                client.delete("pods", victim.name, victim.namespace)
            except StatusError:
                continue
            recorder = self.handle.recorder
            if recorder is not None:
                message = f"Preempted by pod {pod.pod['metadata'].get('uid')} on node {node_name}"
                recorder.event(victim.pod, "Normal", "Preempted", message)
        try:
            client.patch(
                "pods", pod.name, {"status": {"nominatedNodeName": node_name}}, pod.namespace,
                subresource="status",
            )  # fmt: skip
        except StatusError:
            pass


def _fit_message(num_nodes: int, statuses: dict[str, Status]) -> str:
    histogram: dict[str, int] = {}
    for status in statuses.values():
        for reason in status.reasons:
            histogram[reason] = histogram.get(reason, 0) + 1
    reasons = ", ".join(sorted(f"{n} {r}" for r, n in histogram.items()))
    return f"0/{num_nodes} nodes are available: {reasons}."


def new(args: dict[str, Any], handle: Any) -> DefaultPreemption:
    return DefaultPreemption(handle)
