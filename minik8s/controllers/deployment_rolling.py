"""Deployment rollout strategies, mirroring `pkg/controller/deployment/rolling.go`
(rolloutRolling, reconcileNewReplicaSet, reconcileOldReplicaSets, cleanupUnhealthyReplicas,
scaleDownOldReplicaSetsForRollingUpdate) and `recreate.go` (rolloutRecreate, oldPodsRunning).

Pure steps over a `SyncState`. Left out: the in-place pod resize variants (`*_inplace.go`).
"""

from __future__ import annotations

from typing import Any

from minik8s.controllers import deployment_util as du
from minik8s.controllers.deployment_progress import sync_rollout_status
from minik8s.controllers.deployment_sync import (
    SyncState,
    cleanup_deployment,
    get_all_replica_sets,
    scale_replica_set,
)

Obj = dict[str, Any]


def rollout_rolling(s: SyncState) -> None:
    """`rolloutRolling`: scale the new RS up if allowed, else old ones down, then status."""
    new_rs, old_rss = get_all_replica_sets(s, True)
    assert new_rs is not None
    all_rss: list[Obj | None] = [*old_rss, new_rs]
    if reconcile_new_replica_set(s, all_rss, new_rs):
        sync_rollout_status(s, all_rss, new_rs)
        return
    if reconcile_old_replica_sets(s, all_rss, du.filter_active(old_rss), new_rs):
        sync_rollout_status(s, all_rss, new_rs)
        return
    if du.deployment_complete(s.d, s.d.get("status") or {}):
        cleanup_deployment(s, old_rss)
    sync_rollout_status(s, all_rss, new_rs)


def reconcile_new_replica_set(s: SyncState, all_rss: list[Obj | None], new_rs: Obj) -> bool:
    """`reconcileNewReplicaSet`: whether the new ReplicaSet was scaled."""
    want = du.replicas_of(s.d)
    if du.replicas_of(new_rs) == want:
        return False
    if du.replicas_of(new_rs) > want:
        return scale_replica_set(s, new_rs, want)
    count = du.new_rs_new_replicas(s.d, [rs for rs in all_rss if rs is not None], new_rs)
    return scale_replica_set(s, new_rs, count)


def reconcile_old_replica_sets(
    s: SyncState, all_rss: list[Obj | None], old_rss: list[Obj], new_rs: Obj
) -> bool:
    """`reconcileOldReplicaSets`: scale old ReplicaSets down within `maxUnavailable`."""
    if du.spec_replicas(old_rss) == 0:
        return False
    all_pods = du.spec_replicas(all_rss)
    min_available = du.replicas_of(s.d) - du.max_unavailable(s.d)
    new_unavailable = du.replicas_of(new_rs) - du.status_count([new_rs], "availableReplicas")
    max_scaled_down = all_pods - min_available - new_unavailable
    if max_scaled_down <= 0:
        return False
    cleaned = cleanup_unhealthy_replicas(s, old_rss, max_scaled_down)
    scaled = scale_down_old_replica_sets(s, [*old_rss, new_rs], old_rss)
    return cleaned + scaled > 0


def cleanup_unhealthy_replicas(s: SyncState, old_rss: list[Obj], max_cleanup: int) -> int:
    """`cleanupUnhealthyReplicas`: drop old replicas that are not available anyway."""
    total = 0
    for rs in du.by_creation(old_rss):
        if total >= max_cleanup:
            break
        replicas = du.replicas_of(rs)
        available = du.status_count([rs], "availableReplicas")
        if replicas == 0 or replicas == available:
            continue
        count = min(max_cleanup - total, replicas - available)
        if replicas - count > replicas:  # a stale status (more available than wanted)
            meta = rs["metadata"]
            raise ValueError(
                "when cleaning up unhealthy replicas, got invalid request to scale down "
                f"{meta['namespace']}/{meta['name']} {replicas} -> {replicas - count}"
            )
        scale_replica_set(s, rs, replicas - count)
        total += count
    return total


def scale_down_old_replica_sets(s: SyncState, all_rss: list[Obj], old_rss: list[Obj]) -> int:
    """`scaleDownOldReplicaSetsForRollingUpdate`: oldest first, never below minAvailable."""
    min_available = du.replicas_of(s.d) - du.max_unavailable(s.d)
    available = du.status_count(all_rss, "availableReplicas")
    if available <= min_available:
        return 0
    total, budget = 0, available - min_available
    for rs in du.by_creation(old_rss):
        if total >= budget:
            break
        if du.replicas_of(rs) == 0:
            continue
        count = min(du.replicas_of(rs), budget - total)
        scale_replica_set(s, rs, du.replicas_of(rs) - count)
        total += count
    return total


def old_pods_running(s: SyncState, new_rs: Obj | None, old_rss: list[Obj]) -> bool:
    """`oldPodsRunning`: old ReplicaSets still report pods, or old pods are not finished."""
    if du.status_count(old_rss, "replicas") > 0:
        return True
    new_uid = (new_rs or {}).get("metadata", {}).get("uid")
    for uid, pods in s.pods.items():
        if uid == new_uid:
            continue
        for pod in pods:
            if (pod.get("status") or {}).get("phase") not in ("Failed", "Succeeded"):
                return True
    return False


def rollout_recreate(s: SyncState) -> None:
    """`rolloutRecreate`: kill every old pod first, then scale the new ReplicaSet up."""
    new_rs, old_rss = get_all_replica_sets(s, False)
    all_rss: list[Obj | None] = [*old_rss, new_rs]
    scaled_down = False
    for rs in du.filter_active(old_rss):
        scaled_down = scale_replica_set(s, rs, 0) or scaled_down
    if scaled_down or old_pods_running(s, new_rs, old_rss):
        sync_rollout_status(s, all_rss, new_rs)
        return
    if new_rs is None:
        new_rs, old_rss = get_all_replica_sets(s, True)
        all_rss = [*old_rss, new_rs]
    assert new_rs is not None
    if du.replicas_of(new_rs) != du.replicas_of(s.d):
        scale_replica_set(s, new_rs, du.replicas_of(s.d))
    if du.deployment_complete(s.d, s.d.get("status") or {}):
        cleanup_deployment(s, old_rss)
    sync_rollout_status(s, all_rss, new_rs)
