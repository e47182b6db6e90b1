"""One sync of a running pod, mirroring `pkg/kubelet/kuberuntime/kuberuntime_manager.go`
(`computePodActions` + `SyncPod`): volumes and sandbox first, then init containers one at a time
(a sidecar — an init container with `restartPolicy: Always` — only has to start), then the
regular containers in order, restarting those the restart policy allows. A running container
whose liveness/startup probe failed is killed (and restarted unless the policy is Never), one
whose spec changed is killed and restarted. When no regular container will run again, the
pod is killed: the sidecars get their Killing events at once and are stopped in reverse order
(`termination_order.py`), as on deletion. Also here: the active deadline (`active_deadline.go`).
Left out: ephemeral containers, in-place resize, the pod-level hash of upstream's sandbox checks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from minik8s.cri.api import ContainerState, ContainerStatus
from minik8s.kubelet import containers, lifecycle, sandbox, termination_order
from minik8s.kubelet.backoff import RETRY_AFTER_TRANSIENT_ERROR
from minik8s.kubelet.node_status import NETWORK_NOT_READY

NETWORK_NOT_READY_ERROR_MSG = "network is not ready"  # kubelet NetworkNotReadyErrorMsg
DEADLINE_EXCEEDED = "DeadlineExceeded"  # active_deadline.go `reason`
DEADLINE_MESSAGE = "Pod was active on the node longer than the specified deadline"

if TYPE_CHECKING:
    from minik8s.kubelet.pod_state import ContainerRecord, PodState
    from minik8s.kubelet.pod_workers import PodWorkers

Obj = dict[str, Any]


def sync_running(w: PodWorkers, state: PodState) -> None:
    """Start or restart what should run now; stop when something has to wait."""
    if network_not_ready(w, state):
        return
    if not w.ensure_volumes(state) or not sandbox.ensure_sandbox(w, state):
        return  # upstream `SyncPod`: WaitForAttachAndMount, then the runtime makes the sandbox
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
                if containers.start_container(w, state, rec, c) == "hold":
                    return
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
            current = w.cri_status(rec.current)  # a kill may stop it at once: start it now
            if current is not None and current.state == ContainerState.CONTAINER_RUNNING:
                continue
        if current is not None and current.state == ContainerState.CONTAINER_EXITED:
            if not restarts(rec, current, policy):
                continue
        elif current is not None:
            continue
        if containers.start_container(w, state, rec, c) in ("wait", "hold"):
            return
    stop_sidecars_when_done(w, state)


def resumes(w: PodWorkers, state: PodState) -> bool:
    """Whether a container a sync killed to restart it has exited: that sync goes on to start
    it (upstream's `killContainer` waits for the stop inside the sync, which wrote as it began)."""
    for rec in state.records.values():
        if rec.resume and rec.resume == rec.current:
            current = w.cri_status(rec.current)
            if current is not None and current.state == ContainerState.CONTAINER_EXITED:
                return True
    return False


def resumed(state: PodState) -> None:
    """The sync that killed containers to restart them has gone on: later ones are new."""
    for rec in state.records.values():
        rec.resume = ""


def past_active_deadline(w: PodWorkers, state: PodState) -> bool:
    """`activeDeadlineHandler.ShouldEvict` (active_deadline.go): once the pod has been active
    `spec.activeDeadlineSeconds` since its startTime it is failed (`DeadlineExceeded`, event);
    until then a sync is due at the deadline (upstream's sync loop asks `ShouldSync`)."""
    if state.evicted is not None:
        return True
    seconds = state.pod.get("spec", {}).get("activeDeadlineSeconds")
    if seconds is None or not state.start_time:
        return False
    deadline = w.loop.parse_timestamp(state.start_time) + seconds
    if w.loop.now < deadline:
        w.schedule(state, deadline, background=True)
        return False
    state.evicted = (DEADLINE_EXCEEDED, DEADLINE_MESSAGE)
    w.event(state.pod, "Normal", DEADLINE_EXCEEDED, DEADLINE_MESSAGE)
    return True


def network_not_ready(w: PodWorkers, state: PodState) -> bool:
    """upstream `SyncPod`: while the runtime's network is not ready only host-network pods may
    start; the others get a NetworkNotReady event and a retry 1 s later
    (`backOffOnTransientErrorPeriod`)."""
    if state.pod.get("spec", {}).get("hostNetwork") or sandbox.network_ready(w.network):
        return False
    message = f"{NETWORK_NOT_READY_ERROR_MSG}: {NETWORK_NOT_READY}"
    w.event(state.pod, "Warning", "NetworkNotReady", message)
    w.requeue_after_error(state, RETRY_AFTER_TRANSIENT_ERROR)
    return True


def regular_done(w: PodWorkers, state: PodState) -> bool:
    """Whether no regular container will run again (the pod is completing)."""
    spec = state.pod.get("spec", {})
    policy = spec.get("restartPolicy", "Always")
    for c in spec.get("containers") or []:
        current = w.cri_status(state.record(c["name"]).current)
        if current is None or current.state != ContainerState.CONTAINER_EXITED:
            return False
        if restarts(state.record(c["name"]), current, policy):
            return False
    return True


def restarts(rec: ContainerRecord, current: ContainerStatus, policy: str) -> bool:
    """Whether an exited regular container runs again: killed to be restarted (upstream starts
    it in the sync that killed it), or its exit code under the pod's restartPolicy."""
    if rec.kill_restart == current.id:
        return True
    return containers.should_restart(policy, current.exit_code, False)


def stop_sidecars_when_done(w: PodWorkers, state: PodState) -> None:
    """Once no regular container will run again, the sidecars are stopped too: upstream's
    `computePodActions` says KillPod, which kills them in their termination order."""
    spec = state.pod.get("spec", {})
    sidecars = [c for c in spec.get("initContainers") or [] if containers.is_sidecar(c)]
    if not sidecars or not regular_done(w, state):
        return
    if state.ordering is None:
        grace = spec.get("terminationGracePeriodSeconds", 30)
        termination_order.kill_pod(w, state, grace)
    else:
        termination_order.take_turns(w, state)


def runs(w: PodWorkers, rec: ContainerRecord) -> bool:
    """Whether the record's current container is running."""
    current = w.cri_status(rec.current)
    return current is not None and current.state == ContainerState.CONTAINER_RUNNING


def check_liveness(
    w: PodWorkers, state: PodState, rec: ContainerRecord, spec: Obj, current: ContainerStatus
) -> None:
    """Kill a running container whose liveness/startup probe failed or whose spec changed
    (`computePodActions`): restarted after if its spec changed, if it is a sidecar, or if
    the pod's restartPolicy is not Never — whatever exit code the kill gives. A failed probe's
    own `terminationGracePeriodSeconds` replaces the pod's (`setTerminationGracePeriod`)."""
    failed = w.probes.failed(state.uid, spec)
    changed = containers.spec_changed(rec, spec)
    if not (failed or changed) or rec.killing:
        return
    rec.killing = "definition" if changed else failed
    pod_spec = state.pod.get("spec", {})
    why = "definition changed" if changed else f"failed {failed} probe"
    if rec.init:  # `computeInitContainerActions`: a sidecar always restarts
        restart, message = True, f"Init container {spec['name']} {why}"
    else:
        restart = changed or pod_spec.get("restartPolicy", "Always") != "Never"
        message = f"Container {spec['name']} {why}"
        if restart:
            message += ", will be restarted"
        elif not kept_running(w, state, spec["name"]):  # KillPod: `killContainer`'s message
            message = f"Stopping container {spec['name']}"
    rec.kill_restart = rec.resume = current.id if restart else ""
    grace = pod_spec.get("terminationGracePeriodSeconds", 30)
    probe_grace = None if changed else (spec.get(f"{failed}Probe") or {})
    if probe_grace and probe_grace.get("terminationGracePeriodSeconds") is not None:
        grace = probe_grace["terminationGracePeriodSeconds"]  # `setTerminationGracePeriod`
    lifecycle.kill_container(w, state, spec, current.id, grace, message)


def kept_running(w: PodWorkers, state: PodState, name: str) -> bool:
    """Whether a regular container other than `name` runs on or is to start (upstream's
    `keepCount` and `ContainersToStart`; with neither, the sync kills the pod)."""
    policy = state.pod.get("spec", {}).get("restartPolicy", "Always")
    for c in state.pod.get("spec", {}).get("containers") or []:
        rec = state.record(c["name"])
        if c["name"] == name or rec.killing:
            continue
        current = w.cri_status(rec.current)
        if current is None or current.state != ContainerState.CONTAINER_EXITED:
            return True
        if restarts(rec, current, policy):
            return True
    return False
