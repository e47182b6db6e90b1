"""The StatefulSet controller's decision, mirroring `pkg/controller/statefulset/
stateful_set_control.go` (`updateStatefulSet`, `processReplica`, `processCondemned`,
`updateStatefulSetAfterInvariantEstablished`, `computeReplicaStatus`, `completeRollingUpdate`).

`plan(...)` is pure: from the set, its pods, the claims in its namespace and the current/update
ControllerRevisions it returns the writes, in upstream's order, and the new status. In
`OrderedReady` mode (upstream "monotonic") the plan stops at the first pod that blocks; the
executor (`statefulset.py`, upstream's stateful_set.go + stateful_pod_control.go) stops at the
first failed write.

The writes it returns are in `statefulset_actions`.

Left out: nothing of the decision; the `MaxUnavailableStatefulSet` path is taken when
`rollingUpdate.maxUnavailable` is set (upstream: when the feature gate is on).
"""

from __future__ import annotations

from typing import Any

from minik8s.api.meta import deep_copy
from minik8s.controllers.history import apply_revision
from minik8s.controllers.statefulset_actions import (
    Action,
    CreateClaims,
    CreatePod,
    DeletePod,
    Plan,
    UpdateClaim,
    UpdatePod,
)
from minik8s.controllers.statefulset_rollout import (
    complete_rolling_update,
    get_stateful_set_max_unavailable,
)
from minik8s.controllers.statefulset_util import (
    get_ordinal,
    get_pod_revision,
    has_stale_owner_ref,
    identity_matches,
    is_claim_owner_up_to_date,
    is_created,
    is_healthy,
    is_pod_available,
    is_running_and_ready,
    is_terminating,
    is_unavailable,
    new_versioned_pod,
    persistent_volume_claims,
    phase,
    retention_policy,
    start_ordinal,
    storage_matches,
    update_claim_owner_refs,
    update_identity,
)

Obj = dict[str, Any]


__all__ = [
    "Action",
    "CreateClaims",
    "CreatePod",
    "DeletePod",
    "Plan",
    "UpdateClaim",
    "UpdatePod",
    "complete_rolling_update",
    "get_stateful_set_max_unavailable",
    "plan",
]


def plan(
    sts: Obj,
    pods: list[Obj],
    claims: dict[str, Obj],
    current_revision: Obj,
    update_revision: Obj,
    collision_count: int = 0,
    now: float = 0.0,
) -> Plan:
    """upstream `updateStatefulSet`: what to write for `sts`, given its pods and the claims by
    name; `now` (epoch seconds) judges `minReadySeconds`."""
    return _Planner(sts, claims, current_revision, update_revision, now).run(pods, collision_count)


class _Planner:
    def __init__(self, sts: Obj, claims: dict[str, Obj], current: Obj, update: Obj, now: float):
        self.sts, self.claims, self.now = sts, claims, now
        self.current_set = apply_revision(sts, current)
        self.update_set = apply_revision(sts, update)
        self.current_name = current["metadata"]["name"]
        self.update_name = update["metadata"]["name"]
        self.min_ready = int(sts["spec"].get("minReadySeconds") or 0)
        self.monotonic = sts["spec"].get("podManagementPolicy") != "Parallel"
        self.actions: list[Action] = []

    def run(self, pods: list[Obj], collision_count: int) -> Plan:
        sts = self.sts
        status: Obj = {
            "observedGeneration": sts["metadata"].get("generation", 1),
            "currentRevision": self.current_name,
            "updateRevision": self.update_name,
            "collisionCount": collision_count,
        }
        start, count = start_ordinal(sts), int(sts["spec"].get("replicas", 1))
        replicas: list[Obj | None] = [None] * count
        condemned = []
        for pod in pods:
            ordinal = get_ordinal(pod)
            if start <= ordinal < start + count:
                replicas[ordinal - start] = pod
            elif ordinal >= 0:
                condemned.append(pod)
        for i in range(count):
            if replicas[i] is None:
                replicas[i] = new_versioned_pod(
                    self.current_set,
                    self.update_set,
                    self.current_name,
                    self.update_name,
                    start + i,
                )
        live: list[Obj] = [p for p in replicas if p is not None]
        condemned.sort(key=get_ordinal, reverse=True)
        unavailable = [p for p in live + condemned[::-1] if self._unavailable(p)]
        first_unavailable = unavailable[0] if unavailable else None
        if sts["metadata"].get("deletionTimestamp"):
            return self._finish(status, pods)
        if self._process_replicas(live) or self._fix_condemned_claims(condemned):
            return self._finish(status, live + condemned)
        if self._process_condemned(condemned, first_unavailable):
            return self._finish(status, live + condemned)
        self._count(status, live + condemned)
        if (sts["spec"].get("updateStrategy") or {}).get("type") != "OnDelete":
            self._rolling_update(live, status)
        return self._finish(status, None)

    # -- steps ------------------------------------------------------------------------------------
    def _unavailable(self, pod: Obj) -> bool:
        return is_unavailable(pod, self.min_ready, self.now)

    def _process_replicas(self, replicas: list[Obj]) -> bool:
        for pod in replicas:
            if self._process_replica(pod) and self.monotonic:
                return True
        return False

    def _process_replica(self, pod: Obj) -> bool:
        """upstream `processReplica`: True when the (monotonic) loop must stop here."""
        name = pod["metadata"]["name"]
        if phase(pod) in ("Failed", "Succeeded"):
            if not is_terminating(pod):
                self.actions.append(DeletePod(name, phase(pod).lower()))
            return True  # a new pod comes on the next sync, once this one is gone
        if not is_created(pod):
            if self._claim_is_stale(pod):
                return True
            self.actions.append(CreatePod(pod, self._missing_claims(pod)))
            return self.monotonic
        if phase(pod) == "Pending" and self._missing_claims(pod):
            self.actions.append(CreateClaims(name, self._missing_claims(pod)))
        waiting = is_terminating(pod) or not is_running_and_ready(pod)
        if self.monotonic and (waiting or not is_pod_available(pod, self.min_ready, self.now)):
            return True
        if not identity_matches(self.sts, pod):
            fixed = deep_copy(pod)
            update_identity(self.sts, fixed)
            self.actions.append(UpdatePod(fixed))
        if not storage_matches(self.sts, pod) and self._missing_claims(pod):
            self.actions.append(CreateClaims(name, self._missing_claims(pod)))
        self._fix_claims(pod)
        return False

    def _fix_condemned_claims(self, condemned: list[Obj]) -> bool:
        for pod in condemned:
            self._fix_claims(pod)
        return False

    def _process_condemned(self, condemned: list[Obj], first_unavailable: Obj | None) -> bool:
        """upstream `processCondemned` over the condemned pods, highest ordinal first."""
        for pod in condemned:
            if is_terminating(pod):
                if self.monotonic:
                    return True
                continue
            blocked = not is_running_and_ready(pod) or self._unavailable(pod)
            if self.monotonic and blocked and pod is not first_unavailable:
                return True
            self.actions.append(DeletePod(pod["metadata"]["name"], "scale down"))
            if self.monotonic:
                return True
        return False

    def _rolling_update(self, replicas: list[Obj], status: Obj) -> None:
        """Delete the highest-ordinal pod not at the update revision (above the partition)."""
        rolling = (self.sts["spec"].get("updateStrategy") or {}).get("rollingUpdate") or {}
        update_min = int(rolling.get("partition") or 0)
        if rolling.get("maxUnavailable") is not None:
            self._rolling_update_max_unavailable(replicas, status, update_min, rolling)
            return
        for target in range(len(replicas) - 1, update_min - 1, -1):
            pod = replicas[target]
            if get_pod_revision(pod) != self.update_name and not is_terminating(pod):
                self.actions.append(DeletePod(pod["metadata"]["name"], "update"))
                status["currentReplicas"] -= 1
                return
            if not is_healthy(pod):  # v1.31 waits for Running and Ready, not minReadySeconds
                return

    def _rolling_update_max_unavailable(
        self, replicas: list[Obj], status: Obj, update_min: int, rolling: Obj
    ) -> None:
        """upstream `updateStatefulSetAfterInvariantEstablished`."""
        max_unavailable = get_stateful_set_max_unavailable(rolling["maxUnavailable"], len(replicas))
        unavailable = sum(1 for p in replicas if self._unavailable(p))
        budget = max_unavailable - unavailable
        for target in range(len(replicas) - 1, update_min - 1, -1):
            if budget <= 0:
                return
            pod = replicas[target]
            if get_pod_revision(pod) != self.update_name and not is_terminating(pod):
                self.actions.append(DeletePod(pod["metadata"]["name"], "update"))
                status["currentReplicas"] -= 1
                budget -= 1

    # -- claims -----------------------------------------------------------------------------------
    def _pod_claims(self, pod: Obj) -> list[Obj]:
        return list(persistent_volume_claims(self.sts, get_ordinal(pod)).values())

    def _missing_claims(self, pod: Obj) -> tuple[Obj, ...]:
        return tuple(c for c in self._pod_claims(pod) if c["metadata"]["name"] not in self.claims)

    def _claim_is_stale(self, pod: Obj) -> bool:
        """upstream `PodClaimIsStale`: a claim still owned by an older pod of this name."""
        if retention_policy(self.sts)[1] == "Retain":
            return False
        existing = [self.claims.get(c["metadata"]["name"]) for c in self._pod_claims(pod)]
        return any(c is not None and has_stale_owner_ref(c, pod) for c in existing)

    def _fix_claims(self, pod: Obj) -> None:
        """Queue ownerReference fixes for the pod's claims (`UpdatePodClaimForRetentionPolicy`)."""
        for wanted in self._pod_claims(pod):
            claim = self.claims.get(wanted["metadata"]["name"])
            if claim is None or is_claim_owner_up_to_date(claim, self.update_set, pod):
                continue
            fixed = deep_copy(claim)
            update_claim_owner_refs(fixed, self.update_set, pod)
            self.actions.append(UpdateClaim(fixed))

    # -- status -----------------------------------------------------------------------------------
    def _count(self, status: Obj, pods: list[Obj]) -> None:
        """upstream `updateStatus` / `computeReplicaStatus`."""
        counts = dict.fromkeys(
            ("replicas", "readyReplicas", "availableReplicas", "currentReplicas"), 0
        )
        counts["updatedReplicas"] = 0
        for pod in pods:
            created = is_created(pod)
            counts["replicas"] += created
            if is_running_and_ready(pod):
                counts["readyReplicas"] += 1
                counts["availableReplicas"] += is_pod_available(pod, self.min_ready, self.now)
            if created and not is_terminating(pod):
                revision = get_pod_revision(pod)
                counts["currentReplicas"] += revision == self.current_name
                counts["updatedReplicas"] += revision == self.update_name
        status.update(counts)

    def _finish(self, status: Obj, pods: list[Obj] | None) -> Plan:
        if pods is not None:
            self._count(status, pods)
        complete_rolling_update(self.sts, status)
        return Plan(self.actions, status)
