"""The pod status the kubelet reports, mirroring `pkg/kubelet/kubelet_pods.go`
(`generateAPIPodStatus`, `getPhase`, `convertToAPIContainerStatuses`) and
`pkg/kubelet/status/generate.go` (the conditions).

Status is computed from what the runtime says about each container plus the kubelet's memory
(restart counts, waiting reasons such as CrashLoopBackOff, probe results). Conditions come in
upstream's order: PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled.
Sidecars (restartable init containers) count as upstream's do. Terminated containers carry
their termination message (the `terminationMessagePath` file, or the log tail).
Each container status lists its `volumeMounts` (`minik8s.kubelet.mount_status`).
Left out: readiness gates, resize status, resources.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from minik8s.cri.api import ContainerState, ContainerStatus, CRIError, PodSandboxState
from minik8s.kubelet.container_config import TERMINATION_MESSAGE_PATH, TERMINATION_MESSAGE_POLICY
from minik8s.kubelet.mount_status import volume_mount_statuses

if TYPE_CHECKING:
    from minik8s.kubelet.pod_state import ContainerRecord, PodState
    from minik8s.kubelet.prober import ProbeManager
    from minik8s.sim.loop import EventLoop

Obj = dict[str, Any]
TERMINAL = ("Succeeded", "Failed")
MAX_MESSAGE_LENGTH = 4 * 1024  # kubecontainer.MaxContainerTerminationMessageLength
MAX_MESSAGE_LOG_LENGTH = 2 * 1024  # MaxContainerTerminationMessageLogLength
MAX_MESSAGE_LOG_LINES = 80  # MaxContainerTerminationMessageLogLines


def has_any_regular_container_started(statuses: list[Obj]) -> bool:
    """Whether a regular container runs or ran (`HasAnyRegularContainerStarted`)."""
    return any(
        "running" in s.get("state", {}) or "terminated" in s.get("state", {}) for s in statuses
    )


def get_phase(pod: Obj, init_statuses: list[Obj], statuses: list[Obj], terminal: bool) -> str:
    """The pod phase from its container statuses (upstream `getPhase`)."""
    spec = pod.get("spec", {})
    by_name = {s["name"]: s for s in init_statuses + statuses}
    pending_init = failed_init = 0
    unknown = running = waiting = stopped = succeeded = 0
    for c in spec.get("initContainers") or []:
        s = by_name.get(c["name"])
        state = (s or {}).get("state", {})
        if c.get("restartPolicy") == "Always":  # a sidecar
            if s is None:
                unknown += 1
            elif "running" in state:
                pending_init += not s.get("started")
                running += 1
            elif "waiting" in state and not s.get("lastState", {}).get("terminated"):
                pending_init += 1
                waiting += 1
            elif "terminated" not in state and "waiting" not in state:
                pending_init += 1
                unknown += 1
            continue
        if s is None or "running" in state:
            pending_init += 1
        elif "terminated" in state:
            failed_init += state["terminated"]["exitCode"] != 0
        elif "waiting" in state:
            last = s.get("lastState", {}).get("terminated")
            if last is None:
                pending_init += 1
            else:
                failed_init += last["exitCode"] != 0
        else:
            pending_init += 1
    for c in spec.get("containers") or []:
        s = by_name.get(c["name"])
        state = (s or {}).get("state", {})
        if s is None:
            unknown += 1
        elif "running" in state:
            running += 1
        elif "terminated" in state:
            stopped += 1
            succeeded += state["terminated"]["exitCode"] == 0
        elif "waiting" in state:
            if s.get("lastState", {}).get("terminated") is not None:
                stopped += 1
            else:
                waiting += 1
        else:
            unknown += 1
    policy = spec.get("restartPolicy", "Always")
    if failed_init and policy == "Never":
        return "Failed"
    if (pending_init and not has_any_regular_container_started(statuses)) or waiting:
        return "Pending"
    if running and not unknown:
        return "Running"
    if not running and stopped and not unknown:
        if terminal:
            return "Succeeded" if stopped == succeeded else "Failed"
        if policy == "Always":
            return "Running"
        if stopped == succeeded:
            return "Succeeded"
        return "Failed" if policy == "Never" else "Running"
    return "Pending"


def _terminated(status: ContainerStatus, loop: EventLoop, runtime_name: str) -> Obj:
    out: Obj = {
        "containerID": f"{runtime_name}://{status.id}",
        "exitCode": status.exit_code,
        "finishedAt": loop.timestamp(status.finished_at),
        "reason": status.reason or ("Completed" if status.exit_code == 0 else "Error"),
        "startedAt": loop.timestamp(status.started_at),
    }
    if status.message:
        out["message"] = status.message
    return out


def container_status(
    rec: ContainerRecord | None,
    spec: Obj,
    current: ContainerStatus | None,
    previous: ContainerStatus | None,
    flags: tuple[bool, bool, str],
    loop: EventLoop,
    runtime_name: str,
) -> Obj:
    """One entry of `containerStatuses` (`convertToAPIContainerStatuses`)."""
    ready, started, default_reason = flags
    out: Obj = {"name": spec["name"], "image": spec["image"], "imageID": ""}
    last: Obj = {}
    if current is None:
        reason, message = rec.waiting if rec and rec.waiting else (default_reason, "")
        state: Obj = {"waiting": {"reason": reason, **({"message": message} if message else {})}}
    else:
        out |= {"image": current.image.image or spec["image"], "imageID": current.image_ref}
        out["containerID"] = f"{runtime_name}://{current.id}"
        if current.state == ContainerState.CONTAINER_RUNNING:
            state = {"running": {"startedAt": loop.timestamp(current.started_at)}}
        elif current.state == ContainerState.CONTAINER_EXITED:
            state = {"terminated": _terminated(current, loop, runtime_name)}
            if rec is not None and rec.waiting:
                last = {"terminated": state["terminated"]}
                reason, message = rec.waiting
                state = {"waiting": {"reason": reason, **({"message": message} if message else {})}}
        else:
            state = {"waiting": {"reason": default_reason}}
        if not last and previous is not None and previous.state == ContainerState.CONTAINER_EXITED:
            last = {"terminated": _terminated(previous, loop, runtime_name)}
    out |= {
        "lastState": last,
        "ready": ready and "running" in state,
        "restartCount": rec.restart_count if rec else 0,
        "started": started and "running" in state,
        "state": state,
    }
    mounts = volume_mount_statuses(spec)
    if mounts:
        out["volumeMounts"] = mounts
    return out


def _cri_status(runtime: Any, container_id: str) -> ContainerStatus | None:
    if not container_id:
        return None
    try:
        status = runtime.container_status(container_id)
    except CRIError:
        return None
    if status.state != ContainerState.CONTAINER_EXITED:
        return status
    message = termination_message(runtime, status)
    if not message:
        return status
    return replace(status, message=f"{status.message}: {message}" if status.message else message)


def termination_message(runtime: Any, status: ContainerStatus) -> str:
    """What the app wrote to its `terminationMessagePath` (its last 4 KiB), or with
    `FallbackToLogsOnError` and a failure the tail of its log (`convertToKubeContainerStatus`,
    `getTerminationMessage`, `readLastStringFromContainerLogs`)."""
    path = status.annotations.get(TERMINATION_MESSAGE_PATH, "")
    policy = status.annotations.get(TERMINATION_MESSAGE_POLICY, "")
    fallback = (
        policy == "FallbackToLogsOnError"
        and status.exit_code != 0
        and status.reason != "ContainerCannotRun"
    )
    data = ""
    for mount in status.mounts if path else []:
        if mount.container_path == path:
            data = _tail_bytes(mount.files.get("", ""), MAX_MESSAGE_LENGTH)
            break
    if data or not fallback:
        return data
    lines = runtime.read_logs(status.id).splitlines(keepends=True)[-MAX_MESSAGE_LOG_LINES:]
    return _tail_bytes("".join(lines), MAX_MESSAGE_LOG_LENGTH)


def _tail_bytes(text: str, limit: int) -> str:
    return text.encode()[-limit:].decode(errors="ignore")


def condition(kind: str, ok: bool, reason: str = "", message: str = "") -> Obj:
    """A pod condition (lastTransitionTime is filled in when it is written)."""
    out: Obj = {"type": kind, "status": "True" if ok else "False"}
    if reason:
        out["reason"] = reason
    if message:
        out["message"] = message
    return out


def conditions(
    pod: Obj, statuses: list[Obj], init_statuses: list[Obj], phase: str, sandbox_ok: bool
) -> list[Obj]:
    """The kubelet-owned conditions plus PodScheduled (`generate.go`)."""
    spec = pod.get("spec", {})
    inits = spec.get("initContainers") or []
    names = {s["name"]: s for s in statuses}
    names.update((s["name"], s) for s in init_statuses)
    watched = spec.get("containers") or []
    if inits:  # sidecars count as regular containers here
        watched = [c for c in inits if c.get("restartPolicy") == "Always"] + watched
    unknown, unready = [], []
    for c in watched:
        entry = names.get(c["name"])
        if entry is None:
            unknown.append(c["name"])
        elif not entry["ready"]:
            unready.append(c["name"])
    if phase in TERMINAL and (phase == "Failed" or not unknown):
        reason = "PodCompleted" if phase == "Succeeded" else "PodFailed"
        containers_ready = condition("ContainersReady", False, reason)
    else:
        message = _not_ready_message(unknown, "unready", unready)
        containers_ready = condition(
            "ContainersReady", not message, "ContainersNotReady" if message else "", message
        )
    ready = dict(containers_ready, type="Ready")
    init_unknown, incomplete = [], []
    if inits:
        init_names = {s["name"]: s for s in init_statuses}
        for c in inits:
            entry = init_names.get(c["name"])
            if entry is None:
                init_unknown.append(c["name"])
            elif not entry["started" if c.get("restartPolicy") == "Always" else "ready"]:
                incomplete.append(c["name"])
    if phase == "Succeeded" and not init_unknown:
        initialized = condition("Initialized", True, "PodCompleted")
    elif has_any_regular_container_started(statuses):
        initialized = condition("Initialized", True)
    else:
        message = _not_ready_message(init_unknown, "incomplete", incomplete)
        initialized = condition(
            "Initialized", not message, "ContainersNotInitialized" if message else "", message
        )
    return [
        condition("PodReadyToStartContainers", sandbox_ok),
        initialized,
        ready,
        containers_ready,
        condition("PodScheduled", True),
    ]


def _not_ready_message(unknown: list[str], adjective: str, names: list[str]) -> str:
    """`containers with unknown status: [a], containers with <adjective> status: [b]`."""
    parts = [f"containers with unknown status: [{' '.join(unknown)}]"] if unknown else []
    if names:
        parts.append(f"containers with {adjective} status: [{' '.join(names)}]")
    return ", ".join(parts)


def generate_pod_status(
    state: PodState, runtime: Any, probes: ProbeManager, loop: EventLoop, node_ip: str
) -> Obj:
    """The full pod status to report (`generateAPIPodStatus`)."""
    pod = state.pod
    spec = pod.get("spec", {})
    name = getattr(runtime, "runtime_name", "cri")
    init_statuses, statuses = [], []
    for c in spec.get("initContainers") or []:
        rec = state.records.get(c["name"])
        cur = _cri_status(runtime, rec.current if rec else "")
        prev = _cri_status(runtime, rec.previous if rec else "")
        if c.get("restartPolicy") == "Always":  # a sidecar: probed like a regular container
            flags = (probes.ready(state.uid, c), probes.started(state.uid, c), "PodInitializing")
            init_statuses.append(container_status(rec, c, cur, prev, flags, loop, name))
            continue
        ok = cur is not None and cur.state == ContainerState.CONTAINER_EXITED and cur.exit_code == 0
        # `UpdatePodStatus`: no startup probe on an init container, so started while running
        entry = container_status(rec, c, cur, prev, (False, True, "PodInitializing"), loop, name)
        entry["ready"] = ok and not (rec and rec.waiting)
        init_statuses.append(entry)
    for c in spec.get("containers") or []:
        rec = state.records.get(c["name"])
        cur = _cri_status(runtime, rec.current if rec else "")
        prev = _cri_status(runtime, rec.previous if rec else "")
        # `convertToAPIContainerStatuses`: the default waits on whether the pod has init containers
        default = "PodInitializing" if spec.get("initContainers") else "ContainerCreating"
        flags = (probes.ready(state.uid, c), probes.started(state.uid, c), default)
        statuses.append(container_status(rec, c, cur, prev, flags, loop, name))
    old_phase = pod.get("status", {}).get("phase", "Pending")
    phase = get_phase(pod, init_statuses, statuses, state.terminating or state.finished)
    if old_phase in TERMINAL:
        phase = old_phase
    elif state.evicted is not None:  # a pod sync handler's verdict (active deadline)
        phase = "Failed"
    sandbox_ok = False
    if state.sandbox_id and not state.finished:
        try:
            sandbox_ok = (
                runtime.pod_sandbox_status(state.sandbox_id).state == PodSandboxState.SANDBOX_READY
            )
        except CRIError:
            sandbox_ok = False
    status: Obj = {
        "phase": phase,
        "conditions": conditions(pod, statuses, init_statuses, phase, sandbox_ok),
    }
    if state.evicted is not None:
        status |= {"message": state.evicted[1], "reason": state.evicted[0]}
    status |= {"hostIP": node_ip, "hostIPs": [{"ip": node_ip}]}
    if state.ip:
        status |= {"podIP": state.ip, "podIPs": [{"ip": state.ip}]}
    status["startTime"] = state.start_time
    if init_statuses:
        status["initContainerStatuses"] = init_statuses
    status["containerStatuses"] = statuses
    if "qosClass" in pod.get("status", {}):
        status["qosClass"] = pod["status"]["qosClass"]
    return status
