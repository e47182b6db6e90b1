"""Deployment conditions and progress checks, mirroring the condition half of
`pkg/controller/deployment/util/deployment_util.go` (NewDeploymentCondition,
SetDeploymentCondition, DeploymentComplete, DeploymentProgressing, DeploymentTimedOut).

`deployment_util` re-exports every name, as upstream keeps them in one file.
"""

from __future__ import annotations

from typing import Any

from minik8s.controllers.replicaset_utils import parse_time

Obj = dict[str, Any]
MAX_INT32 = 2**31 - 1

# Progressing / Available condition reasons
REPLICA_SET_UPDATED = "ReplicaSetUpdated"
FAILED_RS_CREATE = "ReplicaSetCreateError"
NEW_REPLICA_SET = "NewReplicaSetCreated"
FOUND_NEW_RS = "FoundNewReplicaSet"
NEW_RS_AVAILABLE = "NewReplicaSetAvailable"
TIMED_OUT = "ProgressDeadlineExceeded"
PAUSED = "DeploymentPaused"
RESUMED = "DeploymentResumed"
MINIMUM_REPLICAS_AVAILABLE = "MinimumReplicasAvailable"
MINIMUM_REPLICAS_UNAVAILABLE = "MinimumReplicasUnavailable"


# -- conditions and progress --------------------------------------------------------------------
def new_condition(kind: str, status: str, reason: str, message: str, now: str) -> Obj:
    """`NewDeploymentCondition`."""
    return {
        "type": kind,
        "status": status,
        "lastUpdateTime": now,
        "lastTransitionTime": now,
        "reason": reason,
        "message": message,
    }


def get_condition(status: Obj, kind: str) -> Obj | None:
    """`GetDeploymentCondition`: the condition of type `kind`, or None."""
    return next((c for c in status.get("conditions") or [] if c.get("type") == kind), None)


def set_condition(status: Obj, condition: Obj) -> None:
    """`SetDeploymentCondition`: no-op for the same status+reason; keeps the transition time."""
    current = get_condition(status, condition["type"])
    if current is not None and current["status"] == condition["status"]:
        if current.get("reason") == condition["reason"]:
            return
        condition = {**condition, "lastTransitionTime": current.get("lastTransitionTime")}
    remove_condition(status, condition["type"])
    status.setdefault("conditions", []).append(condition)


def remove_condition(status: Obj, kind: str) -> None:
    """`RemoveDeploymentCondition`."""
    conditions = [c for c in status.get("conditions") or [] if c.get("type") != kind]
    if conditions:
        status["conditions"] = conditions
    else:
        status.pop("conditions", None)


def has_progress_deadline(d: Obj) -> bool:
    """`HasProgressDeadline`: set and not MaxInt32."""
    pds = d["spec"].get("progressDeadlineSeconds")
    return pds is not None and pds != MAX_INT32


def deployment_complete(d: Obj, status: Obj) -> bool:
    """`DeploymentComplete`: all replicas updated and available, no old ones left."""
    want = int(d["spec"].get("replicas", 1))
    return (
        int(status.get("updatedReplicas") or 0) == want
        and int(status.get("replicas") or 0) == want
        and int(status.get("availableReplicas") or 0) == want
        and int(status.get("observedGeneration") or 0) >= d["metadata"].get("generation", 1)
    )


def deployment_progressing(d: Obj, status: Obj) -> bool:
    """`DeploymentProgressing`: more updated/ready/available pods, or fewer old ones."""
    old = d.get("status") or {}

    def get(s: Obj, k: str) -> int:
        return int(s.get(k) or 0)

    old_old = get(old, "replicas") - get(old, "updatedReplicas")
    new_old = get(status, "replicas") - get(status, "updatedReplicas")
    return (
        get(status, "updatedReplicas") > get(old, "updatedReplicas")
        or new_old < old_old
        or get(status, "readyReplicas") > get(old, "readyReplicas")
        or get(status, "availableReplicas") > get(old, "availableReplicas")
    )


def deployment_timed_out(d: Obj, status: Obj, now: float) -> bool:
    """`DeploymentTimedOut`: no progress reported for `progressDeadlineSeconds`."""
    if not has_progress_deadline(d):
        return False
    cond = get_condition(status, "Progressing")
    if cond is None or cond.get("reason") == NEW_RS_AVAILABLE:
        return False
    if cond.get("reason") == TIMED_OUT:
        return True
    since = parse_time(cond.get("lastUpdateTime"))
    return since is not None and since + int(d["spec"]["progressDeadlineSeconds"]) < now
