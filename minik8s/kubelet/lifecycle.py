"""Container lifecycle hooks and killing a container, mirroring `pkg/kubelet/lifecycle/handlers.go`
(`HandlerRunner.Run`) and `kuberuntime_container.go` (`killContainer`, `executePreStopHook`).

A `postStart` hook runs right after the container starts and holds the sync for as long as it
takes; if it fails the kubelet records `FailedPostStartHook` ("PostStartHook failed": the
handler's own message is only logged) and kills the container. A failed `preStop` hook is
`FailedPreStopHook` ("PreStopHook failed"). Killing a container (deletion, a failed liveness
probe, a changed spec) records `Killing`, runs its `preStop` hook first (exec, httpGet or the
`sleep` action) and gives the container what is left of the grace period, at least 2 s, before
SIGTERM → SIGKILL. Hooks take virtual time: a `sleep` action its seconds, an exec hook the
seconds its command slept (`ExecSyncResponse.seconds`).
Left out: hook timeouts, tcpSocket hooks (deprecated), the `PodLifecycleSleepActionAllowZero` gate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from minik8s.cri.api import CRIError
from minik8s.kubelet.prober import SUCCESS, run_probe

if TYPE_CHECKING:
    from minik8s.kubelet.pod_state import PodState
    from minik8s.kubelet.pod_workers import PodWorkers

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
            return 0.0, _exec_failure(state, spec, command, err.message, "")
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
    """Run the postStart hook (`startContainer` step 4); returns the virtual seconds it takes,
    which the caller waits before it starts anything else. A failure is known when the hook
    ends: then the `FailedPostStartHook` event (upstream keeps the handler's message out of
    events, so secrets do not leak) and the container is killed."""
    handler = (spec.get("lifecycle") or {}).get("postStart")
    if not handler:
        return 0.0
    seconds, failure = run_hook(w, state, spec, container_id, handler)
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
    w.event(state.pod, "Warning", "FailedPostStartHook", "PostStartHook failed")
    grace = state.pod.get("spec", {}).get("terminationGracePeriodSeconds", 30)
    kill_container(w, state, spec, container_id, grace, "FailedPostStartHook")


def kill_container(
    w: PodWorkers, state: PodState, spec: Obj, container_id: str, grace: float, message: str
) -> None:
    """`killContainer`: Killing event, preStop hook, then stop with the rest of the grace."""
    w.event(state.pod, "Normal", "Killing", message)
    delay = 0.0
    handler = (spec.get("lifecycle") or {}).get("preStop")
    if handler and grace > 0:
        seconds, failure = run_hook(w, state, spec, container_id, handler)
        if failure:  # the handler's message only goes to the log (`executePreStopHook`)
            w.trace(f"PreStopHook {state.key} {spec['name']}: {failure}")
            w.event(state.pod, "Warning", "FailedPreStopHook", "PreStopHook failed")
        delay = min(seconds, grace)
        grace = max(grace - delay, MINIMUM_GRACE_PERIOD)
    w.trace(f"CRI StopContainer {state.key} {spec['name']} timeout={grace:g}s")
    if delay > 0:
        w.loop.call_later(delay, _stop, w, container_id, grace, label="preStop done")
    else:
        _stop(w, container_id, grace)


def _stop(w: PodWorkers, container_id: str, grace: float) -> None:
    try:
        w.runtime.stop_container(container_id, grace)
    except CRIError:
        pass
