"""The ReplicaSet controller's pure decisions, mirroring `manageReplicas`' arithmetic in
`pkg/controller/replicaset/replica_set.go`, `calculateStatus` in `replica_set_utils.go` and
`GetPodFromTemplate` in `pkg/controller/controller_utils.go`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from minik8s.api.meta import deep_copy, owner_reference
from minik8s.controllers.replicaset_utils import (
    BURST_REPLICAS,
    get_pods_to_delete,
    is_pod_available,
    ready_condition_of,
)

Obj = dict[str, Any]


@dataclass(frozen=True)
class ReplicaSetPlan:
    """What `manageReplicas` does: create `create` pods, or delete the pods named in `delete`."""

    create: int = 0
    delete: tuple[str, ...] = ()


def plan_replicas(
    rs: Obj,
    pods: Sequence[Obj],
    related: Sequence[Obj] = (),
    now: float | None = None,
    burst: int = BURST_REPLICAS,
) -> ReplicaSetPlan:
    """`manageReplicas`' decision for the active pods the ReplicaSet owns (pure)."""
    diff = len(pods) - int(rs["spec"].get("replicas", 1))
    if diff < 0:
        return ReplicaSetPlan(create=min(-diff, burst))
    if diff > 0:
        doomed = get_pods_to_delete(pods, related, min(diff, burst), now)
        return ReplicaSetPlan(delete=tuple(p["metadata"]["name"] for p in doomed))
    return ReplicaSetPlan()


def calculate_status(
    rs: Obj, pods: list[Obj], now: float, error: str | None = None, error_time: str = ""
) -> Obj:
    """`calculateStatus`: counters over the active owned pods plus the ReplicaFailure condition."""
    template_labels = (rs["spec"].get("template", {}).get("metadata") or {}).get("labels") or {}
    wanted = dict(template_labels).items()
    min_ready = int(rs["spec"].get("minReadySeconds") or 0)
    labeled = ready = available = 0
    for pod in pods:  # one pass, no copies: this runs for every pod on every sync
        if wanted <= (pod["metadata"].get("labels") or {}).items():
            labeled += 1
        condition = ready_condition_of(pod)
        if condition is not None and condition.get("status") == "True":
            ready += 1
            if not min_ready or is_pod_available(pod, min_ready, now):
                available += 1
    return status_from_counts(rs, len(pods), (labeled, ready, available), error, error_time)


def status_from_counts(
    rs: Obj,
    replicas: int,
    counters: tuple[int, int, int],
    error: str | None = None,
    error_time: str = "",
) -> Obj:
    """`calculateStatus` from counted pods: `replicas` active owned pods, of which `counters`
    = (fully labelled, ready, available); plus the ReplicaFailure condition."""
    status = deep_copy(rs.get("status") or {})
    conditions = [c for c in status.get("conditions") or [] if c.get("type") != "ReplicaFailure"]
    failure = next(
        (c for c in status.get("conditions") or [] if c.get("type") == "ReplicaFailure"), None
    )
    if error is not None:
        if failure is None:
            diff = replicas - int(rs["spec"].get("replicas", 1))
            reason = "FailedCreate" if diff < 0 else "FailedDelete" if diff > 0 else ""
            failure = {
                "type": "ReplicaFailure",
                "status": "True",
                "lastTransitionTime": error_time,
                "reason": reason,
                "message": error,
            }
        conditions.append(failure)
    if conditions:
        status["conditions"] = conditions
    else:
        status.pop("conditions", None)
    status["replicas"] = replicas
    names = ("fullyLabeledReplicas", "readyReplicas", "availableReplicas")
    for field, value in zip(names, counters, strict=True):  # omitempty, as upstream does
        if value:
            status[field] = value
        else:
            status.pop(field, None)
    return status


def pod_from_template(rs: Obj) -> Obj:
    """`GetPodFromTemplate`: a pod named `<rs>-xxxxx` carrying the template and a ControllerRef."""
    template = rs["spec"].get("template") or {}
    tmeta = template.get("metadata") or {}
    meta: Obj = {
        "generateName": f"{rs['metadata']['name']}-",
        "namespace": rs["metadata"]["namespace"],
        "labels": dict(tmeta.get("labels") or {}),
        "ownerReferences": [owner_reference(rs)],
    }
    for key in ("annotations", "finalizers"):
        if tmeta.get(key):
            meta[key] = deep_copy(tmeta[key])
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta,
        "spec": deep_copy(template.get("spec") or {}),
    }


def without_generation(status: Obj) -> Obj:
    """The status without `observedGeneration` (to tell whether anything else changed)."""
    return {k: v for k, v in status.items() if k != "observedGeneration"}
