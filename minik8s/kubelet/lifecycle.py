"""Container lifecycle hooks and killing a container, mirroring `pkg/kubelet/lifecycle/handlers.go`
(`HandlerRunner.Run`) and `kuberuntime_container.go` (`killContainer`, `executePreStopHook`).

A `postStart` hook runs right after the container starts and holds the sync for as long as it
takes (the next containers wait; the status shows the container once the hook is done); if it
fails the kubelet records `FailedPostStartHook` ("PostStartHook failed": the handler's own
message is only logged) and kills the container. A failed `preStop` hook is
`FailedPreStopHook` ("PreStopHook failed"). Killing a container (deletion, a failed liveness
probe, a changed spec) records `Killing`, runs its `preStop` hook first (exec, httpGet or the
`sleep` action) and gives the container what is left of the grace period, at least 2 s, before
SIGTERM → SIGKILL. Hooks take virtual time: a `sleep` action its seconds, an exec hook the
seconds its command slept (`ExecSyncResponse.seconds`).
Left out: hook timeouts, tcpSocket hooks (deprecated), the `PodLifecycleSleepActionAllowZero` gate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from minik8s.cri.api import ContainerState, CRIError
from minik8s.kubelet.prober import SUCCESS, run_probe

if TYPE_CHECKING:
    from minik8s.kubelet.pod_state import PodState
    from minik8s.kubelet.pod_workers import PodWorkers
    from minik8s.kubelet.termination_order import TerminationOrdering

Obj = dict[str, Any]
MINIMUM_GRACE_PERIOD = 2  # seconds (`minimumGracePeriodInSeconds`)


def pod_full_name(pod: Obj) -> str:
    """`format.Pod`: `name_namespace(uid)`."""
    meta = pod["metadata"]
    return f"{meta['name']}_{meta['namespace']}({meta.get('uid', '')})"


def run_hook(
    w: PodWorkers, state: PodState, spec: Obj, container_id: str, handler: Obj
) -> tuple[float, str]:
    """Run a lifecycle handler: (virtual seconds it took, failure message or "")."""
    if "sleep" in handler:
        return float(handler["sleep"].get("seconds") or 0), ""
    if "exec" in handler:
        command = list(handler["exec"].get("command") or [])
        try:
            result = w.runtime.exec_sync(container_id, command, 0)
        except CRIError as err:
            error = f"rpc error: code = {err.code} desc = {err.message}"  # the CRI client's
            return 0.0, _exec_failure(state, spec, command, error, "")
        if result.exit_code == 0:
            return result.seconds, ""
        error = f"command '{' '.join(command)}' exited with {result.exit_code}: {result.stderr}"
        output = result.stdout + result.stderr
        return result.seconds, _exec_failure(state, spec, command, error, output)
    if "httpGet" in handler:
        target = w.probe_target(state.uid, spec["name"])
        if target is None:
            return 0.0, ""
        result, output = run_probe(w.runtime, {"httpGet": handler["httpGet"]}, spec, target)
        if result == SUCCESS:
            return 0.0, ""
        path = handler["httpGet"].get("path", "/")
        return 0.0, (
            f'HTTP lifecycle hook ({path}) for Container "{spec["name"]}" in Pod '
            f'"{pod_full_name(state.pod)}" failed - error: {output}'
        )
    return 0.0, ""


def _exec_failure(state: PodState, spec: Obj, command: list[str], error: str, output: str) -> str:
    quoted = '"' + output.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    return (
        f'Exec lifecycle hook ([{" ".join(command)}]) for Container "{spec["name"]}" in Pod '
        f'"{pod_full_name(state.pod)}" failed - error: {error}, message: {quoted}'
    )


def post_start(w: PodWorkers, state: PodState, spec: Obj, container_id: str) -> float:
    """Run the postStart hook (`startContainer` step 4); returns the virtual seconds it takes.
    Upstream runs it inside the sync, so the sync holds that long (`held`): the next containers
    start after it, and the status is written by the sync after it. A failure is known when the
    hook ends: then the `FailedPostStartHook` event (upstream keeps the handler's message out of
    events, so secrets do not leak) and the container is killed; the sync goes on once it has
    exited (`killContainer` waits for StopContainer)."""
    handler = (spec.get("lifecycle") or {}).get("postStart")
    if not handler:
        return 0.0
    seconds, failure = run_hook(w, state, spec, container_id, handler)
    if seconds > 0:
        state.busy_until = w.loop.now + seconds
    if failure:
        w.trace(f"PostStartHook {state.key} {spec['name']}: {failure}")
        if seconds > 0:
            w.loop.call_later(
                seconds, _post_start_failed, w, state, spec, container_id, label="postStart done"
            )
        else:
            _post_start_failed(w, state, spec, container_id)
    return seconds


def _post_start_failed(w: PodWorkers, state: PodState, spec: Obj, container_id: str) -> None:
    if state.terminating or not is_running(w, container_id):
        return  # deleted meanwhile (upstream cancels the sync), or it exited by itself
    w.event(state.pod, "Warning", "FailedPostStartHook", "PostStartHook failed", spec)
    grace = state.pod.get("spec", {}).get("terminationGracePeriodSeconds", 30)
    state.holding = container_id
    kill_container(w, state, spec, container_id, grace, "FailedPostStartHook")


def held(w: PodWorkers, state: PodState) -> bool:
    """Whether the sync a postStart hook or an image pull holds has not ended yet (upstream's
    `SyncPod` runs both inside it: a sync meanwhile does nothing and writes no status; one is due
    when the hold ends, and a killed container's exit brings one)."""
    until = max(state.busy_until, state.pulling_until)  # a hook, or an image pull
    if w.loop.now < until:
        w.schedule(state, until, background=False)
        return True
    if state.holding and is_running(w, state.holding):
        return True
    state.holding = ""
    return False


def is_running(w: PodWorkers, container_id: str) -> bool:
    """Whether the runtime runs the container."""
    current = w.cri_status(container_id)
    return current is not None and current.state == ContainerState.CONTAINER_RUNNING


def kill_container(
    w: PodWorkers,
    state: PodState,
    spec: Obj,
    container_id: str,
    grace: float,
    message: str,
    ordering: TerminationOrdering | None = None,
) -> None:
    """`killContainer`: Killing event, preStop hook, then (a sidecar in a pod being killed
    after its turn, `termination_order.py`) stop with the rest of the grace period."""
    w.event(state.pod, "Normal", "Killing", message, spec)
    delay = 0.0
    handler = (spec.get("lifecycle") or {}).get("preStop")
    if handler and grace > 0:
        seconds, failure = run_hook(w, state, spec, container_id, handler)
        if failure:  # the handler's message only goes to the log (`executePreStopHook`)
            w.trace(f"PreStopHook {state.key} {spec['name']}: {failure}")
            w.event(state.pod, "Warning", "FailedPreStopHook", "PreStopHook failed", spec)
        delay = min(seconds, grace)
        grace -= int(delay)  # `executePreStopHook` returns whole seconds
    args = (w, state, spec["name"], container_id, grace, ordering)
    if delay > 0:
        w.loop.call_later(delay, _after_pre_stop, *args, label="preStop done")
    else:
        _after_pre_stop(*args)


def _after_pre_stop(
    w: PodWorkers,
    state: PodState,
    name: str,
    container_id: str,
    grace: float,
    ordering: TerminationOrdering | None,
) -> None:
    if ordering is not None and ordering.wait(name, container_id, w.loop.now, grace):
        w.trace(f"waitForTurn {state.key} {name}")
        w.schedule(state, w.loop.now + grace, background=True)  # the longest it waits
        w.queue(state.uid)  # its turn may have come already
        return
    stop_container(w, state, name, container_id, grace, ordering)


def stop_container(
    w: PodWorkers,
    state: PodState,
    name: str,
    container_id: str,
    grace: float,
    ordering: TerminationOrdering | None = None,
) -> None:
    """StopContainer with `grace` seconds (at least 2) before SIGKILL."""
    grace = max(grace, MINIMUM_GRACE_PERIOD)
    w.trace(f"CRI StopContainer {state.key} {name} timeout={grace:g}s")
    if ordering is not None:
        ordering.stopping[name] = container_id  # terminated once it has exited
    _stop(w, container_id, grace)


def _stop(w: PodWorkers, container_id: str, grace: float) -> None:
    try:
        w.runtime.stop_container(container_id, grace)
    except CRIError:
        pass
