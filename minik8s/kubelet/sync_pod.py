"""One sync of a running pod, mirroring `pkg/kubelet/kuberuntime/kuberuntime_manager.go`
(`computePodActions` + `SyncPod`): sandbox and volumes first, then init containers one at a time
(a sidecar — an init container with `restartPolicy: Always` — only has to start), then the
regular containers in order, restarting those the restart policy allows. A running container
whose liveness/startup probe failed, or whose spec changed, is killed so it restarts. When no
regular container will run again, the sidecars are stopped (in reverse order).
Left out: ephemeral containers, in-place resize, the pod-level hash of upstream's sandbox checks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from minik8s.cri.api import ContainerState, ContainerStatus
from minik8s.kubelet import containers, lifecycle, sandbox
from minik8s.kubelet.backoff import RETRY_AFTER_ERROR
from minik8s.kubelet.node_status import NETWORK_NOT_READY

NETWORK_NOT_READY_ERROR_MSG = "network is not ready"  # kubelet NetworkNotReadyErrorMsg

if TYPE_CHECKING:
    from minik8s.kubelet.pod_state import ContainerRecord, PodState
    from minik8s.kubelet.pod_workers import PodWorkers

Obj = dict[str, Any]


def sync_running(w: PodWorkers, state: PodState) -> None:
    """Start or restart what should run now; stop when something has to wait."""
    if network_not_ready(w, state):
        return
    if not sandbox.ensure_sandbox(w, state) or not w.ensure_volumes(state):
        return
    spec = state.pod.get("spec", {})
    policy = spec.get("restartPolicy", "Always")
    inits = spec.get("initContainers") or []
    regular = [r for r in state.records.values() if not r.init] if inits else []
    initialized = bool(regular) and all(r.has_run for r in regular)  # read by sidecars only
    for c in inits:
        rec = state.record(c["name"], init=True)
        current = w.cri_status(rec.current)
        running = current is not None and current.state == ContainerState.CONTAINER_RUNNING
        if containers.is_sidecar(c):  # runs beside the pod; next init once it has started
            if running and current is not None:
                check_liveness(w, state, rec, c, current)
            elif not (initialized and regular_done(w, state)):
                containers.start_container(w, state, rec, c)
            if initialized or w.probes.started(state.uid, c) and runs(w, rec):
                continue
            return
        if running:
            return
        if current is not None and current.state == ContainerState.CONTAINER_EXITED:
            if current.exit_code == 0:
                continue
            if not containers.should_restart(policy, current.exit_code, True):
                return
        containers.start_container(w, state, rec, c)
        return
    for c in spec.get("containers") or []:
        rec = state.record(c["name"])
        current = w.cri_status(rec.current)
        if current is not None and current.state == ContainerState.CONTAINER_RUNNING:
            check_liveness(w, state, rec, c, current)
            continue
        if current is not None and current.state == ContainerState.CONTAINER_EXITED:
            if not containers.should_restart(policy, current.exit_code, False):
                continue
        elif current is not None:
            continue
        if containers.start_container(w, state, rec, c) == "wait":
            return
    stop_sidecars_when_done(w, state)


def network_not_ready(w: PodWorkers, state: PodState) -> bool:
    """upstream `SyncPod`: while the runtime's network is not ready only host-network pods may
    start; the others get a NetworkNotReady event and a retry after the back-off period."""
    if state.pod.get("spec", {}).get("hostNetwork") or sandbox.network_ready(w.network):
        return False
    message = f"{NETWORK_NOT_READY_ERROR_MSG}: {NETWORK_NOT_READY}"
    w.event(state.pod, "Warning", "NetworkNotReady", message)
    w.schedule(state, w.loop.now + RETRY_AFTER_ERROR, background=True)
    return True


def regular_done(w: PodWorkers, state: PodState) -> bool:
    """Whether no regular container will run again (the pod is completing)."""
    spec = state.pod.get("spec", {})
    policy = spec.get("restartPolicy", "Always")
    for c in spec.get("containers") or []:
        current = w.cri_status(state.record(c["name"]).current)
        if current is None or current.state != ContainerState.CONTAINER_EXITED:
            return False
        if containers.should_restart(policy, current.exit_code, False):
            return False
    return True


def stop_sidecars_when_done(w: PodWorkers, state: PodState) -> None:
    """Once no regular container will run again, the sidecars are stopped too."""
    spec = state.pod.get("spec", {})
    sidecars = [c for c in spec.get("initContainers") or [] if containers.is_sidecar(c)]
    if not sidecars or not regular_done(w, state):
        return
    grace = spec.get("terminationGracePeriodSeconds", 30)
    for c in reversed(sidecars):
        rec = state.record(c["name"], init=True)
        current = w.cri_status(rec.current)
        if current is not None and current.state == ContainerState.CONTAINER_RUNNING:
            if not rec.killing:
                rec.killing = "completed"
                message = f"Stopping container {c['name']}"
                lifecycle.kill_container(w, state, c, current.id, grace, message)


def runs(w: PodWorkers, rec: ContainerRecord) -> bool:
    """Whether the record's current container is running."""
    current = w.cri_status(rec.current)
    return current is not None and current.state == ContainerState.CONTAINER_RUNNING


def check_liveness(
    w: PodWorkers, state: PodState, rec: ContainerRecord, spec: Obj, current: ContainerStatus
) -> None:
    """Kill a running container whose liveness/startup probe failed or whose spec changed."""
    failed = w.probes.failed(state.uid, spec)
    changed = containers.spec_changed(rec, spec)
    if not (failed or changed) or rec.killing:
        return
    rec.killing = failed or "definition"
    message = f"Container {spec['name']} failed {failed} probe, will be restarted"
    if not failed:
        message = f"Container {spec['name']} definition changed, will be restarted"
    grace = state.pod.get("spec", {}).get("terminationGracePeriodSeconds", 30)
    lifecycle.kill_container(w, state, spec, current.id, grace, message)
