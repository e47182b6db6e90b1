"""The StatefulSet controller, mirroring `pkg/controller/statefulset/stateful_set.go` (informers,
pod and revision adoption, sync), `stateful_pod_control.go` (the writes and their events) and
`getStatefulSetRevisions` / `truncateHistory` of `stateful_set_control.go`.

The decision is `statefulset_control.plan`; this module lists what it needs from the informer
caches, runs the planned writes in order (stopping at the first failure, which is retried with
back-off), writes the status when it changed and trims the revision history.
Left out: the status updater's conflict retry loop (a conflict retries the whole sync), metrics,
and a claim that already exists when the cache did not know it is taken as created (upstream
fails that sync and retries). A finished pod is deleted (with its `Recreating...` event) once,
not again at every sync while it terminates, and replaced by the next sync.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.errors import AlreadyExists, NotFound, StatusError
from minik8s.api.meta import deep_copy, split_key
from minik8s.client.cache import controller_of
from minik8s.controllers import history
from minik8s.controllers.base import Controller
from minik8s.controllers.statefulset_control import (
    Action,
    CreateClaims,
    CreatePod,
    DeletePod,
    UpdateClaim,
    UpdatePod,
    plan,
)
from minik8s.controllers.statefulset_util import (
    get_pod_revision,
    is_claim_owner_up_to_date,
    is_member_of,
    is_pod_ready,
    update_claim_owner_refs,
)

Obj = dict[str, Any]
STATUS_FIELDS = (
    "observedGeneration", "replicas", "readyReplicas", "currentReplicas", "updatedReplicas",
    "availableReplicas", "currentRevision", "updateRevision", "collisionCount",
)  # fmt: skip
# StatefulSetStatus fields tagged `omitempty`: a zero or "" is not written (`replicas`,
# `availableReplicas` and the `collisionCount` pointer always are).
OMIT_EMPTY = frozenset(
    ("observedGeneration", "readyReplicas", "currentReplicas", "updatedReplicas")
    + ("currentRevision", "updateRevision")
)


class StatefulSetController(Controller):
    """Keeps `replicas` ordinal pods (and their claims) per StatefulSet."""

    name = "statefulset-controller"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        history.ensure_owner_indices(self.informers)
        self.watch("statefulsets")
        self.watch("pods", self._keys_for_child)
        self.informers.informer_for("pods").add_event_handler(on_update=self._pod_updated)
        self.watch("controllerrevisions", self._keys_for_child)
        self.informers.informer_for("persistentvolumeclaims")

    # -- events -----------------------------------------------------------------------------------
    def _keys_for_child(self, obj: Obj) -> list[str]:
        return history.owner_keys(self.informers, obj, "StatefulSet", "statefulsets")

    def _pod_updated(self, old: Obj, new: Obj) -> None:
        """upstream `updatePod`: a pod just turned Ready; look again after minReadySeconds + 1 s
        ("Add a second to avoid milliseconds skew in AddAfter")."""
        if new["metadata"].get("resourceVersion") == old["metadata"].get("resourceVersion"):
            return
        ref = controller_of(new)
        if ref is None or ref.get("kind") != "StatefulSet":
            return
        if is_pod_ready(old) or not is_pod_ready(new):
            return
        namespace = new["metadata"].get("namespace", "")
        try:
            sts = self.informers.lister_for("statefulsets").get(namespace, ref["name"])
        except NotFound:
            return
        min_ready = int(sts["spec"].get("minReadySeconds") or 0)
        if sts["metadata"].get("uid") == ref.get("uid") and min_ready > 0:
            self.queue.add_after(f"{namespace}/{ref['name']}", min_ready + 1.0)

    # -- sync -------------------------------------------------------------------------------------
    def reconcile(self, key: str) -> float | None:
        namespace, name = split_key(key)
        try:
            sts = deep_copy(self.informers.lister_for("statefulsets").get(namespace, name))
        except NotFound:
            return None
        pods = history.claim_objects(self.client, self.informers, sts, "pods", is_member_of)
        revisions = history.sort_controller_revisions(
            history.claim_objects(self.client, self.informers, sts, "controllerrevisions")
        )
        current, update, collisions = self._revisions(sts, revisions)
        claims = {
            c["metadata"]["name"]: c
            for c in self.informers.lister_for("persistentvolumeclaims").list(namespace)
        }
        result = plan(sts, pods, claims, current, update, collisions, self._now())
        error = self._execute(sts, result.actions)
        self._update_status(sts, result.status)
        self._truncate_history(sts, pods, revisions, current, update)
        if error is not None:
            raise error
        min_ready = int(sts["spec"].get("minReadySeconds") or 0)
        if min_ready and result.status["availableReplicas"] != sts["spec"].get("replicas", 1):
            return float(min_ready)  # upstream syncStatefulSet: enqueueSSAfter(minReadySeconds)
        return None

    def _now(self) -> float:
        return self.loop.datetime().timestamp()

    def _revisions(self, sts: Obj, revisions: list[Obj]) -> tuple[Obj, Obj, int]:
        """upstream `getStatefulSetRevisions`: (current, update, collision count)."""
        status = sts.get("status") or {}
        collisions = int(status.get("collisionCount") or 0)
        update = history.new_controller_revision(
            sts,
            sts["spec"]["template"].get("metadata", {}).get("labels"),
            history.get_patch(sts),
            history.next_revision(revisions),
            collisions,
        )
        equal = history.find_equal_revisions(revisions, update)
        if equal and history.equal_revision(revisions[-1], equal[-1]):
            update = revisions[-1]
        elif equal:
            update = history.update_controller_revision(
                self.client, equal[-1], history.revision_of(update)
            )
        else:
            update, collisions = history.create_controller_revision(
                self.client, sts, update, collisions
            )
        current = next(
            (r for r in revisions if r["metadata"]["name"] == status.get("currentRevision")),
            update,
        )
        return current, update, collisions

    # -- writes (stateful_pod_control.go) ---------------------------------------------------------
    def _execute(self, sts: Obj, actions: list[Action]) -> StatusError | None:
        for action in actions:
            try:
                self._do(sts, action)
            except StatusError as error:
                return error
        return None

    def _do(self, sts: Obj, action: Action) -> None:
        namespace = sts["metadata"].get("namespace")
        if isinstance(action, CreatePod):
            self._create_claims(sts, action.pod, action.claims)
            try:
                created = self.client.create("pods", action.pod, namespace)
            except AlreadyExists:
                raise
            except StatusError as error:
                self._pod_event(sts, "create", action.pod, error)
                raise
            self._update_claims_for_retention(sts, created)
            self._pod_event(sts, "create", created, None)
        elif isinstance(action, CreateClaims):
            self._create_claims(sts, {"metadata": {"name": action.pod_name}}, action.claims)
        elif isinstance(action, DeletePod):
            pod = {"metadata": {"name": action.name}}
            self._recreating_event(sts, action)
            try:
                self.client.delete("pods", action.name, namespace)
            except NotFound:
                return
            except StatusError as error:
                self._pod_event(sts, "delete", pod, error)
                raise
            self._pod_event(sts, "delete", pod, None)
        elif isinstance(action, UpdatePod):
            try:
                self.client.update("pods", action.pod, namespace)
            except StatusError as error:
                self._pod_event(sts, "update", action.pod, error)
                raise
            self._pod_event(sts, "update", action.pod, None)
        elif isinstance(action, UpdateClaim):
            self.client.update("persistentvolumeclaims", action.claim, namespace)

    def _recreating_event(self, sts: Obj, action: DeletePod) -> None:
        """upstream `processReplica`: the event before a finished pod is deleted to be recreated."""
        meta = sts["metadata"]
        where = f"StatefulSet {meta.get('namespace')}/{meta['name']}"
        if action.reason == "failed":
            message = f"{where} is recreating failed Pod {action.name}"
            self.recorder.event(sts, "Warning", "RecreatingFailedPod", message)
        elif action.reason == "succeeded":
            message = f"{where} is recreating terminated Pod {action.name}"
            self.recorder.event(sts, "Normal", "RecreatingTerminatedPod", message)

    def _create_claims(self, sts: Obj, pod: Obj, claims: tuple[Obj, ...]) -> None:
        """upstream `createPersistentVolumeClaims`, with its `SuccessfulCreate` claim events."""
        for claim in claims:
            try:
                self.client.create("persistentvolumeclaims", claim, sts["metadata"]["namespace"])
            except AlreadyExists:
                continue
            except StatusError as error:
                self._claim_event(sts, pod, claim, error)
                raise
            self._claim_event(sts, pod, claim, None)

    def _update_claims_for_retention(self, sts: Obj, pod: Obj) -> None:
        """upstream `UpdatePodClaimForRetentionPolicy` for a pod just created."""
        namespace = sts["metadata"]["namespace"]
        for volume in pod["spec"].get("volumes") or []:
            source = volume.get("persistentVolumeClaim")
            if not source:
                continue
            try:
                claim = deep_copy(
                    self.client.get("persistentvolumeclaims", source["claimName"], namespace)
                )
            except NotFound:
                continue
            if not is_claim_owner_up_to_date(claim, sts, pod):
                update_claim_owner_refs(claim, sts, pod)
                self.client.update("persistentvolumeclaims", claim, namespace)

    def _pod_event(self, sts: Obj, verb: str, pod: Obj, error: StatusError | None) -> None:
        """upstream `recordPodEvent`."""
        name, set_name = pod["metadata"]["name"], sts["metadata"]["name"]
        if error is None:
            message = f"{verb} Pod {name} in StatefulSet {set_name} successful"
            self.recorder.event(sts, "Normal", f"Successful{verb.title()}", message)
        else:
            message = f"{verb} Pod {name} in StatefulSet {set_name} failed error: {error}"
            self.recorder.event(sts, "Warning", f"Failed{verb.title()}", message)

    def _claim_event(self, sts: Obj, pod: Obj, claim: Obj, error: StatusError | None) -> None:
        """upstream `recordClaimEvent`."""
        claim_name, pod_name = claim["metadata"]["name"], pod["metadata"]["name"]
        set_name = sts["metadata"]["name"]
        if error is None:
            message = f"create Claim {claim_name} Pod {pod_name} in StatefulSet {set_name} success"
            self.recorder.event(sts, "Normal", "SuccessfulCreate", message)
        else:
            message = (
                f"create Claim {claim_name} for Pod {pod_name} in StatefulSet {set_name} "
                f"failed error: {error}"
            )
            self.recorder.event(sts, "Warning", "FailedCreate", message)

    # -- status and history -----------------------------------------------------------------------
    def _update_status(self, sts: Obj, status: Obj) -> None:
        """upstream `updateStatefulSetStatus`: write only when something changed."""
        old = sts.get("status") or {}
        default = {"currentRevision": "", "updateRevision": ""}
        if all(old.get(f, default.get(f, 0)) == status.get(f) for f in STATUS_FIELDS):
            return
        if status["observedGeneration"] < int(old.get("observedGeneration") or 0):
            return
        sts["status"] = {k: v for k, v in status.items() if v or k not in OMIT_EMPTY}
        self.client.update_status("statefulsets", sts, sts["metadata"]["namespace"])

    def _truncate_history(
        self, sts: Obj, pods: list[Obj], revisions: list[Obj], current: Obj, update: Obj
    ) -> None:
        """upstream `truncateHistory`: delete the oldest non-live revisions over the limit."""
        live = {current["metadata"]["name"], update["metadata"]["name"]}
        live.update(get_pod_revision(p) for p in pods)
        old = [r for r in revisions if r["metadata"]["name"] not in live]
        limit = sts["spec"].get("revisionHistoryLimit", 10)
        if limit is None or limit < 0 or len(old) <= limit:
            return
        for revision in old[: len(old) - limit]:
            history.delete_controller_revision(self.client, revision)
