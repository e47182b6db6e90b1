"""Pod admission on the node, mirroring `pkg/kubelet/lifecycle/predicate.go`
(`GeneralPredicates` in `canAdmitPod`) and `kubelet.go` (`rejectPod`).

A pod bound to the node (by the scheduler, or directly through `spec.nodeName`, which skips the
scheduler) runs only if it fits: its requests plus those of the pods already admitted must not
exceed allocatable, the pod count must stay under `pods`, and its `nodeSelector` must match the
node's labels. Otherwise the kubelet rejects it: phase Failed, reason `OutOfcpu` /
`OutOfmemory` / `OutOfpods` / `NodeAffinity`, message `Pod was rejected: …`, and a Warning event.
Left out: node affinity terms (only `nodeSelector`), NoExecute taints, extended resources,
the eviction manager's admission (pressure conditions).
"""

from __future__ import annotations

from typing import Any

from minik8s.scheduler.types import pod_requests, quantity_value

Obj = dict[str, Any]
CHECKED = ("cpu", "memory", "ephemeral-storage")


def admit(
    pod: Obj, admitted: list[dict[str, int]], node: Obj, wanted: dict[str, int] | None = None
) -> tuple[str, str] | None:
    """None if the pod may run, else (reason, message) as upstream words them.

    `admitted` holds the requests (`pod_requests`) of the pods already admitted, `wanted` the
    pod's own (computed when not given): the kubelet keeps them per pod instead of re-adding
    every pod's containers on each admission.
    """
    allocatable = node.get("status", {}).get("allocatable") or {}
    labels = node.get("metadata", {}).get("labels") or {}
    selector = pod.get("spec", {}).get("nodeSelector") or {}
    if any(labels.get(k) != v for k, v in selector.items()):
        return "NodeAffinity", (
            "Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector"
        )
    if "pods" in allocatable and len(admitted) + 1 > int(allocatable["pods"]):
        return "OutOfpods", _insufficient("pods", 1, len(admitted), int(allocatable["pods"]))
    wanted = pod_requests(pod) if wanted is None else wanted
    for name in CHECKED:
        if not wanted.get(name) or name not in allocatable:
            continue
        used = sum(requests.get(name, 0) for requests in admitted)
        capacity = quantity_value(name, str(allocatable[name]))
        if used + wanted[name] > capacity:
            return f"OutOf{name}", _insufficient(name, wanted[name], used, capacity)
    return None


def _insufficient(name: str, requested: int, used: int, capacity: int) -> str:
    return (
        f"Node didn't have enough resource: {name}, requested: {requested}, used: {used}, "
        f"capacity: {capacity}"
    )


def rejected_status(pod: Obj, reason: str, message: str, start_time: str) -> Obj:
    """The status of a rejected pod (`rejectPod`)."""
    status: Obj = {
        "phase": "Failed",
        "reason": reason,
        "message": f"Pod was rejected: {message}",
        "startTime": start_time,
    }
    if "qosClass" in pod.get("status", {}):
        status["qosClass"] = pod["status"]["qosClass"]
    return status
