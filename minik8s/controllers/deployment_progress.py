"""Deployment progress reporting, mirroring `pkg/controller/deployment/progress.go`
(syncRolloutStatus, getReplicaFailures, requeueStuckDeployment) and `checkPausedConditions`
from sync.go.

Pure: decides `SyncState.status` (the status to write) and `SyncState.requeue_after` (when to
look again for a `progressDeadlineSeconds` timeout).
"""

from __future__ import annotations

from typing import Any

from minik8s.controllers import deployment_util as du
from minik8s.controllers.deployment_sync import SyncState, calculate_status

Obj = dict[str, Any]


def check_paused_conditions(s: SyncState) -> None:
    """`checkPausedConditions`: Progressing Unknown while paused, `DeploymentResumed` after."""
    d = s.d
    if not du.has_progress_deadline(d):
        return
    cond = du.get_condition(d["status"], "Progressing")
    if cond is not None and cond.get("reason") == du.TIMED_OUT:
        return
    paused_cond = cond is not None and cond.get("reason") == du.PAUSED
    if d["spec"].get("paused") and not paused_cond:
        new = du.new_condition(
            "Progressing", "Unknown", du.PAUSED, "Deployment is paused", s.timestamp
        )
    elif not d["spec"].get("paused") and paused_cond:
        new = du.new_condition(
            "Progressing", "Unknown", du.RESUMED, "Deployment is resumed", s.timestamp
        )
    else:
        return
    du.set_condition(d["status"], new)
    s.status = d["status"]


def replica_failures(all_rss: list[Obj | None], new_rs: Obj | None) -> list[Obj]:
    """`getReplicaFailures`: the new RS's ReplicaFailure conditions, else the old ones'."""

    def failures(rss: list[Obj | None]) -> list[Obj]:
        found = []
        for rs in rss:
            for c in ((rs or {}).get("status") or {}).get("conditions") or []:
                if c.get("type") == "ReplicaFailure":
                    found.append(
                        {
                            "type": "ReplicaFailure",
                            "status": c.get("status"),
                            "lastUpdateTime": c.get("lastTransitionTime"),
                            "lastTransitionTime": c.get("lastTransitionTime"),
                            "reason": c.get("reason"),
                            "message": c.get("message"),
                        }
                    )
        return found

    return failures([new_rs]) or failures(all_rss)


def sync_deployment_status(s: SyncState, all_rss: list[Obj | None], new_rs: Obj | None) -> None:
    """`syncDeploymentStatus`: the plain status (scaling events, paused Deployments)."""
    s.status = calculate_status(s, all_rss, new_rs)


def sync_rollout_status(s: SyncState, all_rss: list[Obj | None], new_rs: Obj | None) -> None:
    """`syncRolloutStatus`: status plus the Progressing and ReplicaFailure conditions."""
    d = s.d
    status = calculate_status(s, all_rss, new_rs)
    if not du.has_progress_deadline(d):
        du.remove_condition(status, "Progressing")
    current = du.get_condition(d["status"], "Progressing")
    complete = (
        status.get("replicas", 0) == status.get("updatedReplicas", 0)
        and current is not None
        and current.get("reason") == du.NEW_RS_AVAILABLE
    )
    if du.has_progress_deadline(d) and not complete:
        subject = (
            f'ReplicaSet "{new_rs["metadata"]["name"]}"'
            if new_rs is not None
            else f'Deployment "{d["metadata"]["name"]}"'
        )
        if du.deployment_complete(d, status):
            cond = du.new_condition(
                "Progressing",
                "True",
                du.NEW_RS_AVAILABLE,
                f"{subject} has successfully progressed.",
                s.timestamp,
            )
            du.set_condition(status, cond)
        elif du.deployment_progressing(d, status):
            cond = du.new_condition(
                "Progressing",
                "True",
                du.REPLICA_SET_UPDATED,
                f"{subject} is progressing.",
                s.timestamp,
            )
            if current is not None:
                if current.get("status") == "True":
                    cond["lastTransitionTime"] = current.get("lastTransitionTime")
                du.remove_condition(status, "Progressing")
            du.set_condition(status, cond)
        elif du.deployment_timed_out(d, status, s.now):
            cond = du.new_condition(
                "Progressing",
                "False",
                du.TIMED_OUT,
                f"{subject} has timed out progressing.",
                s.timestamp,
            )
            du.set_condition(status, cond)
    failures = replica_failures(all_rss, new_rs)
    if failures:
        du.set_condition(status, failures[0])
    else:
        du.remove_condition(status, "ReplicaFailure")
    s.status = status
    s.requeue_after = requeue_stuck(d, status, s.now)


def requeue_stuck(d: Obj, status: Obj, now: float) -> float | None:
    """`requeueStuckDeployment`: seconds until the deadline could pass (+1s), if stuck."""
    current = du.get_condition(d.get("status") or {}, "Progressing")
    if not du.has_progress_deadline(d) or current is None:
        return None
    if du.deployment_complete(d, status) or current.get("reason") == du.TIMED_OUT:
        return None
    since = du.parse_time(current.get("lastUpdateTime"))
    if since is None:
        return None
    after = since + int(d["spec"]["progressDeadlineSeconds"]) - now
    return max(after, 0.0) + 1.0
