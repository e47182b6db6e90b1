"""The Deployment controller, mirroring `pkg/controller/deployment/deployment_controller.go`.

`plan_deployment(deployment, replica_sets, pods, now, timestamp)` is `syncDeployment`'s decision
(pure, in `deployment_sync` / `deployment_rolling` / `deployment_progress`): the ReplicaSets to
create, scale, update or delete, the revision annotation and the status to write.
`DeploymentController` claims ReplicaSets (adopt/release by selector), executes the plan through
the API server and records `ScalingReplicaSet` events. Left out: the deprecated in-controller
rollback (`deprecated.deployment.rollback.to`; `kubectl rollout undo` works client-side as
current kubectl does), the in-place resize variants.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from minik8s.api.errors import AlreadyExists, Conflict, NotFound, StatusError
from minik8s.api.labels import label_selector_as_selector
from minik8s.api.meta import owner_reference
from minik8s.client.cache import (
    CONTROLLER_UID_INDEX,
    DeletedFinalStateUnknown,
    controller_of,
    ensure_index,
    owner_uid_index,
)
from minik8s.controllers import deployment_util as du
from minik8s.controllers.base import Controller
from minik8s.controllers.deployment_progress import check_paused_conditions, sync_deployment_status
from minik8s.controllers.deployment_rolling import rollout_recreate, rollout_rolling
from minik8s.controllers.deployment_sync import (
    CreateReplicaSet,
    DeleteReplicaSet,
    ScaleReplicaSet,
    SetRevision,
    SyncState,
    UpdateReplicaSet,
    cleanup_deployment,
    get_all_replica_sets,
    is_scaling_event,
    scale,
)
from minik8s.controllers.deployment_util import resolve_fenceposts
from minik8s.controllers.replicaset import owned_and_orphans
from minik8s.controllers.replicaset_utils import claim_decision, selector_matcher

Obj = dict[str, Any]
__all__ = ["DeploymentController", "plan_deployment", "resolve_fenceposts"]


def plan_deployment(
    d: Obj,
    replica_sets: Sequence[Obj],
    pods: dict[str, list[Obj]] | None = None,
    now: float = 0.0,
    timestamp: str = "",
) -> SyncState:
    """`syncDeployment`'s decision for `d` and the ReplicaSets it owns (pure)."""
    s = SyncState(d, list(replica_sets), now, timestamp, dict(pods or {}))
    d = s.d
    if d["metadata"].get("deletionTimestamp"):
        new_rs, old_rss = get_all_replica_sets(s, False)
        sync_deployment_status(s, [*old_rss, new_rs], new_rs)
        return s
    check_paused_conditions(s)
    if d["spec"].get("paused") or is_scaling_event(s):
        new_rs, old_rss = get_all_replica_sets(s, False)
        scale(s, new_rs, old_rss)
        if d["spec"].get("paused"):  # `sync` cleans up only a paused Deployment
            cleanup_deployment(s, old_rss)
        sync_deployment_status(s, [*old_rss, new_rs], new_rs)
    elif (d["spec"].get("strategy") or {}).get("type") == "Recreate":
        rollout_recreate(s)
    else:
        rollout_rolling(s)
    return s


class DeploymentController(Controller):
    """Rolls Deployments out through ReplicaSets."""

    name = "deployment-controller"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.watch("deployments")
        self.watch("replicasets", self._deployments_for_rs)
        for resource in ("replicasets", "pods"):
            ensure_index(
                self.informers.informer_for(resource).indexer, CONTROLLER_UID_INDEX, owner_uid_index
            )
        self.informers.informer_for("pods").add_event_handler(on_delete=self._delete_pod)
        self.d_indexer = self.informers.informer_for("deployments").indexer
        self.rs_indexer = self.informers.informer_for("replicasets").indexer
        self.pod_indexer = self.informers.informer_for("pods").indexer

    def _deployments_for_rs(self, rs: Obj) -> list[str]:
        namespace = rs["metadata"].get("namespace", "")
        ref = controller_of(rs)
        if ref is not None:
            return [f"{namespace}/{ref['name']}"] if ref.get("kind") == "Deployment" else []
        labels = rs["metadata"].get("labels") or {}
        keys = []
        for d in self.informers.lister_for("deployments").list(namespace):
            try:
                selector = label_selector_as_selector(d["spec"].get("selector"))
            except ValueError:
                continue
            if labels and not selector.empty() and selector.matches(labels):
                keys.append(f"{namespace}/{d['metadata']['name']}")
        return keys

    def _delete_pod(self, pod: Obj | DeletedFinalStateUnknown) -> None:
        """`deletePod`: a Recreate rollout waits for old pods to be gone."""
        if isinstance(pod, DeletedFinalStateUnknown):
            pod = pod.obj
        ref = controller_of(pod)
        if ref is None or ref.get("kind") != "ReplicaSet":
            return
        namespace = pod["metadata"].get("namespace", "")
        rs = self.rs_indexer.get_by_key(f"{namespace}/{ref['name']}")
        for key in self._deployments_for_rs(rs) if rs is not None else []:
            d = self.d_indexer.get_by_key(key)
            if d is not None and (d["spec"].get("strategy") or {}).get("type") == "Recreate":
                self.enqueue(key)

    # -- syncDeployment -------------------------------------------------------------------------
    def reconcile(self, key: str) -> float | None:
        """`syncDeployment`: claim, plan, execute; stuck rollouts are re-checked later."""
        d = self.d_indexer.get_by_key(key)
        if d is None:
            return None
        selector_spec = d["spec"].get("selector")
        if (
            selector_spec is not None
            and not selector_spec.get("matchLabels")
            and not selector_spec.get("matchExpressions")
        ):
            self.recorder.event(
                d,
                "Warning",
                "SelectingAll",
                "This deployment is selecting all pods. A non-empty selector is required.",
            )
            return None
        rss = self.claim_replica_sets(d)
        recreate = (d["spec"].get("strategy") or {}).get("type") == "Recreate"
        pods = self.pods_by_rs(d, rss) if recreate else {}  # only Recreate looks at pods
        now = self.loop.start.timestamp() + self.loop.now
        s = plan_deployment(d, rss, pods, now, self.loop.timestamp())
        self.execute(d, s)
        if s.requeue_after is not None:  # requeueStuckDeployment, as a background re-check
            self.queue.add_after(key, s.requeue_after, background=True)
        return None

    def claim_replica_sets(self, d: Obj) -> list[Obj]:
        """`getReplicaSetsForDeployment`: adopt matching orphans, release non-matching."""
        namespace = d["metadata"]["namespace"]
        selector = label_selector_as_selector(d["spec"].get("selector"))
        claimed = []
        for rs in owned_and_orphans(self.rs_indexer, d):
            decision = claim_decision(d, rs, selector)
            refs = list(rs["metadata"].get("ownerReferences") or [])
            name = rs["metadata"]["name"]
            try:
                if decision == "adopt":
                    patch: Obj = {"metadata": {"ownerReferences": [*refs, owner_reference(d)]}}
                    rs = self.client.patch("replicasets", name, patch, namespace)
                elif decision == "release":
                    refs = [r for r in refs if r.get("uid") != d["metadata"]["uid"]]
                    patch = {"metadata": {"ownerReferences": refs or None}}
                    self.client.patch("replicasets", name, patch, namespace)
            except NotFound:
                continue
            if decision in ("own", "adopt"):
                claimed.append(rs)
        return claimed

    def pods_by_rs(self, d: Obj, rss: list[Obj]) -> dict[str, list[Obj]]:
        """`getPodMapForDeployment`: the Deployment's pods grouped by owning ReplicaSet uid."""
        matches = selector_matcher(d["spec"].get("selector"))[1]
        indexer = self.pod_indexer
        return {
            rs["metadata"]["uid"]: [
                p
                for p in indexer.by_index(CONTROLLER_UID_INDEX, rs["metadata"]["uid"])
                if matches(p["metadata"].get("labels") or {})
            ]
            for rs in rss
        }

    # -- executing the plan ---------------------------------------------------------------------
    def execute(self, d: Obj, s: SyncState) -> None:
        """Write the plan's actions in order, then the status if it changed."""
        namespace = d["metadata"]["namespace"]
        resource_version = d["metadata"].get("resourceVersion")
        for action in s.actions:
            if isinstance(action, CreateReplicaSet):
                if not self._create(d, s, action):
                    return
            elif isinstance(action, (ScaleReplicaSet, UpdateReplicaSet)):
                self.client.update("replicasets", action.rs, namespace)
                if isinstance(action, ScaleReplicaSet) and action.old != action.new:
                    self.recorder.event(
                        d,
                        "Normal",
                        "ScalingReplicaSet",
                        f"Scaled {action.operation} replica set {action.name} "
                        f"from {action.old} to {action.new}",
                    )
            elif isinstance(action, DeleteReplicaSet):
                try:
                    self.client.delete("replicasets", action.name, namespace)
                except NotFound:
                    pass
            elif isinstance(action, SetRevision):
                # upstream `getNewReplicaSet`: SetDeploymentRevision, then UpdateStatus (the
                # status strategy keeps annotations; no generation bump)
                annotations = {
                    **(d["metadata"].get("annotations") or {}),
                    du.REVISION_ANNOTATION: action.revision,
                }
                meta = {**d["metadata"], "annotations": annotations}
                d = self.client.update_status("deployments", {**d, "metadata": meta})
                resource_version = d["metadata"].get("resourceVersion")
        if s.status is not None and s.status != (d.get("status") or {}):
            self._write_status(d, s.status, resource_version)

    def _write_status(self, d: Obj, status: Obj, resource_version: str | None) -> None:
        meta = {**d["metadata"], "resourceVersion": resource_version}
        obj = {**d, "metadata": meta, "status": status}  # the API server copies it
        try:
            self.client.update_status("deployments", obj)
        except NotFound:
            pass

    def _create(self, d: Obj, s: SyncState, action: CreateReplicaSet) -> bool:
        """Create the new ReplicaSet; False when the rest of the plan must wait."""
        namespace = d["metadata"]["namespace"]
        try:
            created = self.client.create("replicasets", action.rs, namespace)
        except AlreadyExists:
            existing = self.client.get("replicasets", action.name, namespace)
            ref = controller_of(existing)
            if (
                ref is not None
                and ref.get("uid") == d["metadata"]["uid"]
                and du.equal_ignore_hash(d["spec"]["template"], existing["spec"]["template"])
            ):
                self.queue.add_after(f"{namespace}/{d['metadata']['name']}", 0.001)
                return False
            status = copy.deepcopy(d.get("status") or {})
            status["collisionCount"] = int(status.get("collisionCount") or 0) + 1
            self._write_status(d, status, d["metadata"].get("resourceVersion"))
            raise
        except Conflict:
            raise
        except StatusError as err:
            msg = f'Failed to create new replica set "{action.name}": {err.message}'
            if du.has_progress_deadline(d):
                status = copy.deepcopy(d.get("status") or {})
                cond = du.new_condition(
                    "Progressing", "False", du.FAILED_RS_CREATE, msg, s.timestamp
                )
                du.set_condition(status, cond)
                self._write_status(d, status, d["metadata"].get("resourceVersion"))
            self.recorder.event(d, "Warning", du.FAILED_RS_CREATE, msg)
            raise
        if action.replicas > 0:
            self.recorder.event(
                d,
                "Normal",
                "ScalingReplicaSet",
                f"Scaled up replica set {created['metadata']['name']} from 0 to {action.replicas}",
            )
        return True
