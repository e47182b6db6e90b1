"""The Pod row of `kubectl get pods`: READY, the computed STATUS and RESTARTS.

Mirrors `printPod` of `pkg/printers/internalversion/printers.go` exactly: phase or
`status.reason`, `SchedulingGated`, init containers (`Init:N/M`, `Init:<reason>`,
`Init:ExitCode:N`, sidecars with `restartPolicy: Always`), container waiting/terminated reasons
scanned from the last container, `Completed` → `Running`/`NotReady` while a container still runs,
`Terminating` and `Unknown` (NodeLost) for pods being deleted, and `N (Xs ago)` restarts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from minik8s.kubectl.table import parse_time, since

Obj = dict[str, Any]
NODE_UNREACHABLE_POD_REASON = "NodeLost"


def _restartable(container: Obj | None) -> bool:
    return bool(container) and (container or {}).get("restartPolicy") == "Always"


def _condition_true(status: Obj, ctype: str) -> bool:
    return any(
        c.get("type") == ctype and c.get("status") == "True" for c in status.get("conditions") or []
    )


def _later(current: datetime | None, state: Obj) -> datetime | None:
    terminated = (state.get("lastState") or {}).get("terminated")
    if not terminated:
        return current
    finished = parse_time(terminated.get("finishedAt"))
    if finished is None:
        return current
    return finished if current is None or finished > current else current


def _init_reason(state: Obj, i: int, total: int) -> str:
    terminated = state.get("terminated")
    if terminated is not None:
        if terminated.get("reason"):
            return "Init:" + terminated["reason"]
        if terminated.get("signal"):
            return f"Init:Signal:{terminated['signal']}"
        return f"Init:ExitCode:{terminated.get('exitCode', 0)}"
    waiting = state.get("waiting")
    if waiting and waiting.get("reason") and waiting["reason"] != "PodInitializing":
        return "Init:" + waiting["reason"]
    return f"Init:{i}/{total}"


def pod_status(pod: Obj, now: datetime | None = None) -> tuple[int, int, str, int, datetime | None]:
    """(ready, total, STATUS, restarts, last restart time) as `printPod` computes them."""
    spec, status = pod.get("spec") or {}, pod.get("status") or {}
    phase = status.get("phase", "")
    reason = status.get("reason") or phase
    for cond in status.get("conditions") or []:
        if cond.get("type") == "PodScheduled" and cond.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"
    total = len(spec.get("containers") or [])
    init_containers = spec.get("initContainers") or []
    init_specs = {c.get("name"): c for c in init_containers}
    total += sum(_restartable(c) for c in init_containers)
    ready = restarts = sidecar_restarts = 0
    last: datetime | None = None
    sidecar_last: datetime | None = None
    initializing = False
    for i, container in enumerate(status.get("initContainerStatuses") or []):
        restarts += container.get("restartCount", 0)
        last = _later(last, container)
        sidecar = _restartable(init_specs.get(container.get("name")))
        if sidecar:
            sidecar_restarts += container.get("restartCount", 0)
            sidecar_last = _later(sidecar_last, container)
        state = container.get("state") or {}
        terminated = state.get("terminated")
        if terminated is not None and terminated.get("exitCode", 0) == 0:
            continue
        if sidecar and container.get("started"):
            ready += bool(container.get("ready"))
            continue
        reason = _init_reason(state, i, len(init_containers))
        initializing = True
        break
    if not initializing or _condition_true(status, "Initialized"):
        restarts, last = sidecar_restarts, sidecar_last
        has_running = False
        for container in reversed(status.get("containerStatuses") or []):
            restarts += container.get("restartCount", 0)
            last = _later(last, container)
            state = container.get("state") or {}
            waiting, terminated = state.get("waiting"), state.get("terminated")
            if waiting is not None and waiting.get("reason"):
                reason = waiting["reason"]
            elif terminated is not None and terminated.get("reason"):
                reason = terminated["reason"]
            elif terminated is not None:
                if terminated.get("signal"):
                    reason = f"Signal:{terminated['signal']}"
                else:
                    reason = f"ExitCode:{terminated.get('exitCode', 0)}"
            elif container.get("ready") and state.get("running") is not None:
                has_running = True
                ready += 1
        if reason == "Completed" and has_running:
            reason = "Running" if _condition_true(status, "Ready") else "NotReady"
    deleting = bool((pod.get("metadata") or {}).get("deletionTimestamp"))
    if deleting and status.get("reason") == NODE_UNREACHABLE_POD_REASON:
        reason = "Unknown"
    elif deleting and phase not in ("Succeeded", "Failed"):
        reason = "Terminating"
    return ready, total, reason, restarts, last


def _readiness_gates(spec: Obj, status: Obj) -> str:
    gates = spec.get("readinessGates") or []
    if not gates:
        return "<none>"
    conditions = {c.get("type"): c.get("status") for c in status.get("conditions") or []}
    true = sum(conditions.get(g.get("conditionType")) == "True" for g in gates)
    return f"{true}/{len(gates)}"


def pod_row(pod: Obj, now: datetime) -> list[Any]:
    """Cells NAME READY STATUS RESTARTS AGE IP NODE NOMINATED-NODE READINESS-GATES."""
    ready, total, reason, restarts, last = pod_status(pod, now)
    restarts_text = str(restarts)
    if restarts and last is not None:
        restarts_text = f"{restarts} ({since(now, last.isoformat())} ago)"
    meta, spec, status = pod.get("metadata") or {}, pod.get("spec") or {}, pod.get("status") or {}
    pod_ips = status.get("podIPs") or []
    ip = pod_ips[0].get("ip") if pod_ips else status.get("podIP")
    return [
        meta.get("name", ""),
        f"{ready}/{total}",
        reason,
        restarts_text,
        since(now, meta.get("creationTimestamp")),
        ip or "<none>",
        spec.get("nodeName") or "<none>",
        status.get("nominatedNodeName") or "<none>",
        _readiness_gates(spec, status),
    ]
