"""A pod's termination, mirroring `SyncTerminatingPod` in `pkg/kubelet/kubelet.go` and the
`podWorkers` bookkeeping of a pod that is gone (`pkg/kubelet/pod_workers.go`).

Terminating stops liveness/startup probing (readiness goes on until the containers are stopped)
and kills the containers with the grace period (`termination_order.py`: sidecars last); a pod
that is gone is forgotten with its probes, volumes, timers and sandbox.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from minik8s.cri.api import ContainerState, ContainerStatus
from minik8s.kubelet import sandbox, termination_order
from minik8s.kubelet.pod_state import ContainerRecord, PodState
from minik8s.kubelet.volume_refresh import stop_refresh
from minik8s.kubelet.volumes import release_volumes

if TYPE_CHECKING:
    from minik8s.kubelet.pod_workers import PodWorkers

MINIMUM_GRACE_PERIOD = 2  # seconds a force-deleted pod's containers still get


def cancel_timers(state: PodState) -> None:
    """Cancel the pod's resync timers and its retry after an error."""
    for timer in state.timers.values():
        timer.cancel()
    if state.requeue is not None:
        state.requeue.cancel()
        state.requeue = None


def running(workers: PodWorkers, state: PodState) -> list[tuple[ContainerRecord, ContainerStatus]]:
    """The pod's running containers with their runtime status."""
    out = []
    for rec in state.records.values():
        current = workers.cri_status(rec.current)
        if current is not None and current.state == ContainerState.CONTAINER_RUNNING:
            out.append((rec, current))
    return out


def terminate(workers: PodWorkers, state: PodState) -> None:
    """`SyncTerminatingPod`: stop liveness/startup probing (readiness goes on until the
    containers are stopped), kill the containers; sidecars wait for their turn."""
    if state.terminating:
        termination_order.take_turns(workers, state)
        return
    state.terminating = True
    state.busy_until = state.pulling_until = 0.0  # upstream cancels the held sync
    stop_refresh(workers, state)
    cancel_timers(state)
    workers.probes.stop_liveness_and_startup(state.uid)
    meta, spec = state.pod["metadata"], state.pod.get("spec", {})
    grace = meta.get("deletionGracePeriodSeconds")
    if grace is None:
        grace = spec.get("terminationGracePeriodSeconds", 30)
    if state.deleted:
        grace = min(grace, MINIMUM_GRACE_PERIOD)
    termination_order.kill_pod(workers, state, grace)


def forget(workers: PodWorkers, uid: str) -> None:
    """Drop everything about a pod that is gone (its containers too)."""
    state = workers.states.pop(uid, None)
    if state is None:
        return
    workers.probes.remove_pod(uid)
    stop_refresh(workers, state)
    release_volumes(workers, state)  # NodeUnpublish/NodeUnstage its CSI volumes
    cancel_timers(state)
    if state.sandbox_id:
        sandbox.teardown_sandbox(workers, state, remove=True)
    workers.status_manager.forget(uid)
