"""The ReplicaSet controller, mirroring `pkg/controller/replicaset/replica_set.go` and
`replica_set_utils.go`.

`plan_replicas` (in `replicaset_plan`, re-exported here) is the pure decision of `manageReplicas`
(how many pods to create, which to delete, ranked as upstream's `getPodsToDelete`),
`calculate_status` is `calculateStatus`; `ReplicaSetController` claims pods (adopt orphans,
release non-matching), executes the plan in slow-start batches with expectations, and writes
the status. A sync that needs no pod itself (nothing to adopt, release or delete) reads the
counts `replicaset_pods` keeps per event instead of listing the pods. Left out: the
`terminatingReplicas` alpha field, `DeploymentReplicaSetTerminatingReplicas`, the namespace
terminating cause, and the pod-control interface (writes go straight through the client).
The controller owns its pod event handlers (`replicaset_events.ReplicaSetPodEventHandlers`) and
its pod writes (`replicaset_pod_control.ReplicaSetPodControl`: claiming, creating, deleting).
"""

from __future__ import annotations

from typing import Any

from minik8s.api.errors import Conflict, NotFound
from minik8s.api.labels import label_selector_as_selector
from minik8s.client.cache import (
    CONTROLLER_UID_INDEX,
    ORPHAN_INDEX_KEY,
    controller_of,
    ensure_index,
    owner_uid_index,
)
from minik8s.controllers.base import Controller
from minik8s.controllers.replicaset_events import ReplicaSetPodEventHandlers
from minik8s.controllers.replicaset_plan import (
    ReplicaSetPlan,
    calculate_status,
    plan_replicas,
    pod_from_template,
    status_from_counts,
    without_generation,
)
from minik8s.controllers.replicaset_pod_control import ReplicaSetPodControl, owned_and_orphans
from minik8s.controllers.replicaset_pods import OwnedPodCounts, PodCounts
from minik8s.controllers.replicaset_utils import (
    BURST_REPLICAS,
    ControllerExpectations,
    is_pod_active,
)

Obj = dict[str, Any]
__all__ = [
    "ReplicaSetController",
    "ReplicaSetPlan",
    "ReplicaSetPodControl",
    "ReplicaSetPodEventHandlers",
    "calculate_status",
    "owned_and_orphans",
    "plan_replicas",
    "pod_from_template",
]


class ReplicaSetController(Controller):
    """Keeps `spec.replicas` pods running for every ReplicaSet."""

    name = "replicaset-controller"
    kind = "ReplicaSet"
    resource = "replicasets"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.burst_replicas = BURST_REPLICAS
        self.expectations = ControllerExpectations(lambda: self.loop.now)
        self.watch(self.resource)
        for resource in (self.resource, "pods"):
            indexer = self.informers.informer_for(resource).indexer
            ensure_index(indexer, CONTROLLER_UID_INDEX, owner_uid_index)
        pods = self.informers.informer_for("pods")
        self.rs_indexer = self.informers.informer_for(self.resource).indexer
        self.pod_indexer = pods.indexer
        self.counts = OwnedPodCounts(pods.indexer)
        pods.add_event_handler(
            on_add=self.counts.on_add,
            on_update=self.counts.on_update,
            on_delete=self.counts.on_delete,
        )
        self.informers.informer_for(self.resource).add_event_handler(on_delete=self.counts.forget)
        self.pod_control = ReplicaSetPodControl(self.client, self.recorder, self.expectations)
        self.handlers = ReplicaSetPodEventHandlers(
            self, self.kind, self.resource, self.expectations
        )
        self.handlers.register()

    # -- sync (syncReplicaSet) ------------------------------------------------------------------
    def now(self) -> float:
        """The virtual clock as seconds since the Unix epoch."""
        return self.loop.start.timestamp() + self.loop.now

    def reconcile(self, key: str) -> float | None:
        """`syncReplicaSet`: claim pods, manage replicas when expectations allow, write status."""
        rs = self.rs_indexer.get_by_key(key)
        if rs is None:
            self.expectations.delete(key)
            return None
        needs_sync = self.expectations.satisfied(key)
        manage = needs_sync and not rs["metadata"].get("deletionTimestamp")
        counts = self.counts.of(rs)
        error: str | None = None
        if self._counts_suffice(rs, counts, manage):
            if manage:  # no surplus: at most pods to create
                missing = int(rs["spec"].get("replicas", 1)) - counts.selected
                plan = ReplicaSetPlan(create=min(max(missing, 0), self.burst_replicas))
                error = self.pod_control.execute_plan(key, rs, plan)
            counters = (counts.labeled, counts.ready, counts.ready)  # available = Ready here
            status = status_from_counts(rs, counts.selected, counters, error, self.loop.timestamp())
        else:
            pods = [p for p in owned_and_orphans(self.pod_indexer, rs) if is_pod_active(p)]
            selector = label_selector_as_selector(rs["spec"].get("selector"))
            pods = self.pod_control.claim_pods(rs, selector, pods)
            if manage:
                error = self.manage_replicas(key, rs, pods)
            status = calculate_status(rs, pods, self.now(), error, self.loop.timestamp())
        updated = self.update_status(rs, status)
        if error is not None:
            raise RuntimeError(error)
        replicas = int(updated["spec"].get("replicas", 1))
        st = updated.get("status") or {}
        min_ready = int(updated["spec"].get("minReadySeconds") or 0)
        if (
            min_ready
            and st.get("readyReplicas") == replicas
            and st.get("availableReplicas") != replicas
        ):
            return float(min_ready)  # upstream AddAfter(key, MinReadySeconds): no extra second
        return None

    def _counts_suffice(self, rs: Obj, counts: PodCounts, manage: bool) -> bool:
        """Whether a sync may use the pod counts instead of listing the pods: no orphan to
        adopt, no owned pod to release, none to delete, no `minReadySeconds` clock."""
        if counts.unselected or rs["spec"].get("minReadySeconds"):
            return False
        if manage and counts.selected > int(rs["spec"].get("replicas", 1)):
            return False
        orphans = f"{ORPHAN_INDEX_KEY}/{rs['metadata'].get('namespace', '')}"
        return not self.pod_indexer.index_keys(CONTROLLER_UID_INDEX, orphans)

    def manage_replicas(self, key: str, rs: Obj, pods: list[Obj]) -> str | None:
        """Execute `plan_replicas`; the error message of a failed write, if any."""
        surplus = len(pods) > int(rs["spec"].get("replicas", 1))
        related = self.related_pods(rs) if surplus else []  # only ranks pods to delete
        plan = plan_replicas(rs, pods, related, self.now(), self.burst_replicas)
        return self.pod_control.execute_plan(key, rs, plan)

    def related_pods(self, rs: Obj) -> list[Obj]:
        """`getIndirectlyRelatedPods`: pods of every ReplicaSet with the same controller.

        Both lookups go through the controller-uid index (upstream lists pods by selector).
        """
        ref = controller_of(rs)
        if ref is None:
            return []
        siblings, pods = self.rs_indexer, self.pod_indexer
        related: dict[str, Obj] = {}
        for other in siblings.by_index(CONTROLLER_UID_INDEX, ref["uid"]):
            for pod in pods.by_index(CONTROLLER_UID_INDEX, other["metadata"]["uid"]):
                related.setdefault(pod["metadata"]["uid"], pod)
        return list(related.values())

    def update_status(self, rs: Obj, status: Obj) -> Obj:
        """`updateReplicaSetStatus`: write when anything or `observedGeneration` changed."""
        generation = rs["metadata"].get("generation", 1)
        current = rs.get("status") or {}
        if without_generation(status) == without_generation(current) and (
            current.get("observedGeneration") == generation
        ):
            return rs
        status["observedGeneration"] = generation
        try:  # the API server copies what it is given: a shallow copy is enough
            return self.client.update_status(self.resource, {**rs, "status": status})
        except Conflict:
            fresh = self.client.get(
                self.resource, rs["metadata"]["name"], rs["metadata"]["namespace"]
            )
            return self.client.update_status(self.resource, {**fresh, "status": status})
        except NotFound:
            return rs
