"""A pod new to the kubelet, mirroring `HandlePodAdditions` and `canAdmitPod` in
`pkg/kubelet/kubelet.go`.

A pod the kubelet has not seen takes over what the API says already happened (after a kubelet
restart: start time, terminal phase, restart counts), then is admitted or rejected (it does not
fit the node beside the pods already running, `admission.py`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from minik8s.kubelet import admission
from minik8s.kubelet.pod_state import PodState
from minik8s.kubelet.status import TERMINAL

if TYPE_CHECKING:
    from minik8s.kubelet.pod_workers import PodWorkers
    from minik8s.sim.loop import EventLoop


def remember(state: PodState, loop: EventLoop) -> None:
    """Take over what the API says already happened (after a kubelet restart)."""
    status = state.pod.get("status", {})
    state.start_time = status.get("startTime") or loop.timestamp()
    state.finished = state.frozen = status.get("phase") in TERMINAL
    for entry, init in [(s, True) for s in status.get("initContainerStatuses") or []] + [
        (s, False) for s in status.get("containerStatuses") or []
    ]:
        rec = state.record(entry["name"], init)
        rec.restart_count = entry.get("restartCount", 0)
        rec.has_run = bool(entry.get("containerID"))


def admit(workers: PodWorkers, state: PodState) -> None:
    """Reject a pod that does not fit the node (`canAdmitPod`)."""
    if state.finished or state.pod["metadata"].get("deletionTimestamp") or workers.get_node is None:
        return
    node = workers.get_node()
    if node is None:
        return
    others = [s.requests for s in workers.states.values() if s is not state and not s.finished]
    verdict = admission.admit(state.pod, others, node, state.requests)
    if verdict is not None:
        state.rejected, state.finished = verdict, True
        workers.event(state.pod, "Warning", verdict[0], verdict[1])
