"""Which parked pods a cluster event can help, mirroring upstream v1.31 with its default feature
gates (SchedulerQueueingHints off): `preCheckForNode` and `AdmissionCheck` of
`pkg/scheduler/eventhandlers.go`, `getUnschedulablePodsWithCrossTopologyTerm` of
`pkg/scheduler/internal/queue/scheduling_queue.go`.

A node that is added or becomes more schedulable moves only the parked pods that would pass
NodeResourcesFit, NodeAffinity, NodeName and NodePorts on it and tolerate its NoSchedule
taints. A pod that is bound (or whose labels change) moves only the parked pods that
PodTopologySpread rejected in its namespace or whose required pod-affinity terms match it: a
pod event cannot help a pod that a single node's own properties rejected. Each move still
needs a rejecting plugin registered for the event (the queue's `isPodWorthRequeuing`).
Left out: the queueing-hint functions that replace these checks from v1.32.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from minik8s.api.taints import find_matching_untolerated_taint
from minik8s.scheduler.affinity import RequiredNodeAffinity
from minik8s.scheduler.plugins.noderesources.fit import fits_request
from minik8s.scheduler.plugins.podtopologyspread import NAME as POD_TOPOLOGY_SPREAD

if TYPE_CHECKING:
    from minik8s.scheduler.queue import QueuedPodInfo
    from minik8s.scheduler.types import NodeInfo, PodInfo

PreEnqueueCheck = Callable[["PodInfo"], bool]


def admission_check(pod: PodInfo, node: NodeInfo) -> str | None:
    """upstream `AdmissionCheck(pod, nodeInfo, false)`: the first plugin whose check fails."""
    if fits_request(pod.requests, node):
        return "NodeResourcesFit"
    if not RequiredNodeAffinity(pod.pod).match(node.name, node.labels):
        return "NodeAffinity"
    wanted = pod.spec.get("nodeName")
    if wanted and wanted != node.name:
        return "NodeName"
    if pod.host_ports and node.ports_conflict(pod.host_ports):
        return "NodePorts"
    return None


def _no_schedule(taint: dict[str, Any]) -> bool:
    return taint.get("effect") == "NoSchedule"


def pre_check_for_node(node: NodeInfo) -> PreEnqueueCheck:
    """upstream `preCheckForNode`: could the pod run on this node (preemption aside)?"""

    def check(pod: PodInfo) -> bool:
        if admission_check(pod, node) is not None:
            return False
        tolerations = pod.spec.get("tolerations")
        return find_matching_untolerated_taint(node.taints, tolerations, _no_schedule) is None

    return check


def pods_with_cross_topology_term(
    parked: Iterable[QueuedPodInfo], pod: PodInfo, ns_labels: dict[str, str]
) -> list[QueuedPodInfo]:
    """upstream `getUnschedulablePodsWithCrossTopologyTerm`: the parked pods `pod` may help."""
    moved = []
    for qpi in parked:
        info = qpi.pod_info
        if POD_TOPOLOGY_SPREAD in qpi.unschedulable_plugins and info.namespace == pod.namespace:
            moved.append(qpi)
            continue
        if any(
            term.matches(pod.namespace, pod.labels, ns_labels)
            for term in info.required_affinity_terms
        ):
            moved.append(qpi)
    return moved
