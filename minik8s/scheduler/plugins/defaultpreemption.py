"""DefaultPreemption, mirroring `pkg/scheduler/framework/plugins/defaultpreemption` and
`pkg/scheduler/framework/preemption/preemption.go` (`Evaluator.Preempt`).

PostFilter: when no node fits, find nodes where evicting lower-priority pods would make room
(a dry run: remove every lower-priority pod, check the filters, then reprieve victims from the
highest priority down while the pod still fits), pick the candidate with the least harm
(`pickOneNodeForPreemption`, in `scheduler/preemption.py`), mark its victims
`DisruptionTarget`, delete them through the API (`Preempted` events) and return the node for
the scheduler to nominate (a pod preemption cannot help loses its nomination). Otherwise
explain, as upstream: `preemption: 0/3 nodes are available: 1 Preemption is not helpful for
scheduling, 2 No preemption victims found for incoming pod.`

Left out: PodDisruptionBudgets, the candidate sampling offset (all nodes are tried), the
PreFilter extensions' AddPod/RemovePod (filters run on the reduced node without recomputing
PodTopologySpread/InterPodAffinity state), nominated-pod accounting in later cycles.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from minik8s.api.errors import StatusError
from minik8s.scheduler.framework import Code, CycleState, Status
from minik8s.scheduler.preemption import Candidate, importance_key, pick_one_node_for_preemption
from minik8s.scheduler.types import NodeInfo, PodInfo

Obj = dict[str, Any]
NAME = "DefaultPreemption"
DEFAULT_SCHEDULER = "default-scheduler"
DISRUPTION_TARGET = "DisruptionTarget"
PREEMPTION_BY_SCHEDULER = "PreemptionByScheduler"  # upstream v1.PodReasonPreemptionByScheduler
NOT_ELIGIBLE_NEVER = "not eligible due to preemptionPolicy=Never."
NOT_ELIGIBLE_TERMINATING = "not eligible due to a terminating pod on the nominated node."
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
        eligible, reason = self.pod_eligible_to_preempt_others(pod, statuses)
        if not eligible:
            return None, Status(Code.Unschedulable, "preemption: " + reason)
        nodes = self.handle.snapshot.node_info_list
        results: dict[str, Status] = {}
        potential = []
        for node in nodes:  # upstream `nodesWherePreemptionMightHelp`
            status = statuses.get(node.name)
            if status is None or status.code == Code.UnschedulableAndUnresolvable:
                results[node.name] = Status(Code.UnschedulableAndUnresolvable, NOT_HELPFUL)
            else:
                potential.append(node)
        if not potential:
            self.clear_nominated_node_name(pod)
        candidates: list[Candidate] = []
        for node in potential:  # upstream `DryRunPreemption`
            victims, failure = self.select_victims_on_node(state, pod, node)
            if failure is not None:
                results[node.name] = failure
            else:
                candidates.append((node.name, victims))
        if not candidates:
            message = "preemption: " + _fit_message(len(nodes), results)
            return None, Status(Code.Unschedulable, message)
        node_name = pick_one_node_for_preemption(candidates, self._now())
        self.prepare_candidate(pod, node_name, list(dict(candidates)[node_name]))
        return node_name, Status(Code.Success)

    def _now(self) -> datetime:
        loop = self.handle.client.loop
        return loop.start + timedelta(seconds=loop.now)

    def clear_nominated_node_name(self, pod: PodInfo) -> None:
        """upstream `ClearNominatedNodeName`: preemption cannot help the pod anywhere."""
        if not (pod.pod.get("status") or {}).get("nominatedNodeName"):
            return
        patch = {"status": {"nominatedNodeName": None}}
        try:
            self.handle.client.patch("pods", pod.name, patch, pod.namespace, subresource="status")
        except StatusError:
            pass

    def pod_eligible_to_preempt_others(
        self, pod: PodInfo, statuses: dict[str, Status]
    ) -> tuple[bool, str]:
        """upstream `PodEligibleToPreemptOthers`: not with preemptionPolicy=Never, nor while a
        victim of an earlier preemption is still terminating on the nominated node."""
        if pod.spec.get("preemptionPolicy") == "Never":
            return False, NOT_ELIGIBLE_NEVER
        nominated = (pod.pod.get("status") or {}).get("nominatedNodeName")
        if not nominated:
            return True, ""
        status = statuses.get(nominated)
        if status is not None and status.code == Code.UnschedulableAndUnresolvable:
            return True, ""
        node = self.handle.snapshot.get(nominated)
        if node is None:
            return True, ""
        for other in node.pods.values():
            if other.priority < pod.priority and pod_terminating_by_preemption(other.pod):
                return False, NOT_ELIGIBLE_TERMINATING
        return True, ""

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
        now = self._now()
        for candidate in sorted(lower, key=lambda p: (importance_key(p, now), p.key)):
            reduced.add_pod(candidate)
            if self.handle.run_filter_plugins(state, pod, reduced) is not None:
                reduced.remove_pod(candidate.key)
                victims.append(candidate)
        return victims, None

    def prepare_candidate(self, pod: PodInfo, node_name: str, victims: list[PodInfo]) -> None:
        """upstream `prepareCandidate`: mark each victim `DisruptionTarget`, delete it and
        record `Preempted`; the scheduler then nominates the node (`updatePod`)."""
        client = self.handle.client
        scheduler = pod.spec.get("schedulerName") or DEFAULT_SCHEDULER
        for victim in victims:
            try:
                _mark_disruption_target(client, victim, scheduler, self.handle)
                client.delete("pods", victim.name, victim.namespace)
            except StatusError:
                continue
            recorder = self.handle.recorder
            if recorder is not None:
                message = f"Preempted by pod {pod.pod['metadata'].get('uid')} on node {node_name}"
                recorder.event(victim.pod, "Normal", "Preempted", message)


def _mark_disruption_target(client: Any, victim: PodInfo, scheduler: str, handle: Any) -> None:
    """The victim's `DisruptionTarget=True` condition (`PreemptionByScheduler`), patched
    before the DELETE as upstream does since PodDisruptionConditions."""
    conditions = (victim.pod.get("status") or {}).get("conditions") or []
    wanted = {
        "type": DISRUPTION_TARGET,
        "status": "True",
        "reason": PREEMPTION_BY_SCHEDULER,
        "message": f"{scheduler}: preempting to accommodate a higher priority pod",
    }
    old = next((c for c in conditions if c.get("type") == DISRUPTION_TARGET), None)
    if old is not None and all(old.get(k) == v for k, v in wanted.items()):
        return
    same_status = old is not None and old.get("status") == "True"
    now = handle.client.loop.timestamp()
    transition = old.get("lastTransitionTime") if same_status and old else now
    condition = {**wanted, "lastProbeTime": None, "lastTransitionTime": transition}
    rest = [c for c in conditions if c.get("type") != DISRUPTION_TARGET]
    patch = {"status": {"conditions": [*rest, condition]}}
    client.patch("pods", victim.name, patch, victim.namespace, subresource="status")


def pod_terminating_by_preemption(pod: Obj) -> bool:
    """upstream `podTerminatingByPreemption`: deleting, with the scheduler's DisruptionTarget."""
    if not (pod.get("metadata") or {}).get("deletionTimestamp"):
        return False
    for condition in (pod.get("status") or {}).get("conditions") or []:
        if condition.get("type") == DISRUPTION_TARGET:
            return (
                condition.get("status") == "True"
                and condition.get("reason") == PREEMPTION_BY_SCHEDULER
            )
    return False


def _fit_message(num_nodes: int, statuses: dict[str, Status]) -> str:
    histogram: dict[str, int] = {}
    for status in statuses.values():
        for reason in status.reasons:
            histogram[reason] = histogram.get(reason, 0) + 1
    reasons = ", ".join(sorted(f"{n} {r}" for r, n in histogram.items()))
    return f"0/{num_nodes} nodes are available: {reasons}."


def new(args: dict[str, Any], handle: Any) -> DefaultPreemption:
    return DefaultPreemption(handle)
