"""The DaemonSet controller, mirroring `pkg/controller/daemon/daemon_controller.go` (informer
handlers, expectations, `syncDaemonSet`, `syncNodes`, `storeDaemonSetStatus`, the failed-pod
back-off) and `update.go` (`constructHistory`, `snapshot`, `cleanupHistory`).

The decision is `daemonset_control.plan`; this module feeds it from the caches (only the nodes
`daemonset_state` marks dirty, plus counts of the settled ones) and writes the result. Pods are
created unscheduled, pinned to their node by the required node affinity `metadata.name In
[node]`, so the scheduler binds them (as upstream since 1.12).
Left out: relabelling pods when duplicate current revisions are merged (the extra revisions are
just deleted), the `SelectingAll` warning, and the status updater's conflict retries.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.errors import AlreadyExists, NotFound, StatusError
from minik8s.api.meta import deep_copy, split_key
from minik8s.client.cache import DeletedFinalStateUnknown, controller_of, meta_namespace_key
from minik8s.controllers import history
from minik8s.controllers.base import Controller
from minik8s.controllers.daemonset_control import (
    DaemonSetPlan,
    daemon_set_status,
    nodes_to_daemon_pods,
    plan,
)
from minik8s.controllers.daemonset_state import DaemonSetState, state_version
from minik8s.controllers.daemonset_util import (
    ControllerExpectations,
    create_pod_template,
    get_template_generation,
    replace_node_name_affinity,
)
from minik8s.controllers.history import CONTROLLER_REVISION_HASH_LABEL
from minik8s.controllers.statefulset_util import get_pod_from_template, is_pod_ready

Obj = dict[str, Any]
BACKOFF_INITIAL, BACKOFF_MAX = 1.0, 900.0  # upstream failedPodsBackoff: 1 s doubling to 15 min
STATUS_FIELDS = (
    "desiredNumberScheduled", "currentNumberScheduled", "numberMisscheduled", "numberReady",
    "updatedNumberScheduled", "numberAvailable", "numberUnavailable",
)  # fmt: skip
# DaemonSetStatus fields tagged `omitempty`: a zero is not written (the others always are).
OMIT_EMPTY = frozenset(
    ("observedGeneration", "updatedNumberScheduled", "numberAvailable", "numberUnavailable")
)


class DaemonSetsController(Controller):
    """Keeps one pod on every node that should run the DaemonSet's pod."""

    name = "daemonset-controller"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        history.ensure_owner_indices(self.informers)
        self.expectations = ControllerExpectations()
        self.backoff: dict[str, dict[str, tuple[float, float]]] = {}  # ds uid → node → entry
        self.states: dict[str, DaemonSetState] = {}  # ds key → its nodes' bookkeeping
        self.watch("daemonsets")
        self.watch("controllerrevisions", self._owner_keys)
        self.informers.informer_for("pods").add_event_handler(
            on_add=self._pod_added, on_update=self._pod_updated, on_delete=self._pod_deleted
        )
        self.informers.informer_for("nodes").add_event_handler(
            on_add=self._node_added_or_deleted,
            on_update=self._node_updated,
            on_delete=self._node_added_or_deleted,
        )

    # -- events -----------------------------------------------------------------------------------
    def _owner_keys(self, obj: Obj) -> list[str]:
        return history.owner_keys(self.informers, obj, "DaemonSet", "daemonsets")

    def _pod_added(self, pod: Obj) -> None:
        if pod["metadata"].get("deletionTimestamp"):
            self._pod_deleted(pod)
            return
        if controller_of(pod) is None:  # an orphan: enqueue the sets that may adopt it
            for key in self._owner_keys(pod):
                self.enqueue(key)
            return
        for key in self._owner_keys(pod):
            self.expectations.creation_observed(key)
            self.enqueue(key)

    def _pod_updated(self, old: Obj, new: Obj) -> None:
        if new["metadata"].get("deletionTimestamp") and not old["metadata"].get(
            "deletionTimestamp"
        ):
            self._pod_deleted(new)
            return
        changed_to_ready = not is_pod_ready(old) and is_pod_ready(new)
        for key in self._owner_keys(new):
            self.enqueue(key)
            if changed_to_ready:
                self._recheck_availability(key)

    def _recheck_availability(self, key: str) -> None:
        """upstream: a pod just turned Ready; look again once minReadySeconds (+1 s) passed."""
        namespace, name = split_key(key)
        try:
            ds = self.informers.lister_for("daemonsets").get(namespace, name)
        except NotFound:
            return
        seconds = int(ds.get("spec", {}).get("minReadySeconds") or 0)
        if seconds > 0:
            self.queue.add_after(key, seconds + 1.0)

    def _pod_deleted(self, pod: Any) -> None:
        if isinstance(pod, DeletedFinalStateUnknown):
            pod = pod.obj
        if controller_of(pod) is None:
            return
        for key in self._owner_keys(pod):
            self.expectations.deletion_observed(key)
            self.enqueue(key)

    def _node_updated(self, old: Obj, new: Obj) -> None:
        """upstream `shouldIgnoreNodeUpdate`: only labels, taints and condition states count."""

        def shape(node: Obj) -> tuple:
            conditions = (node.get("status") or {}).get("conditions") or []
            return (
                node["metadata"].get("labels"),
                node.get("spec"),
                sorted((c.get("type", ""), c.get("status", "")) for c in conditions),
            )

        if shape(old) != shape(new):
            self._node_changed(new["metadata"]["name"])
            self._enqueue_all()

    def _node_added_or_deleted(self, node: Any) -> None:
        if isinstance(node, DeletedFinalStateUnknown):
            node = node.obj
        self._node_changed(node["metadata"]["name"])
        self._enqueue_all()

    def _node_changed(self, name: str) -> None:
        for state in self.states.values():
            state.node_changed(name)

    def _enqueue_all(self) -> None:
        for ds in self.informers.lister_for("daemonsets").list():
            self.enqueue(meta_namespace_key(ds))

    # -- sync -------------------------------------------------------------------------------------
    def reconcile(self, key: str) -> float | None:
        namespace, name = split_key(key)
        try:
            ds = deep_copy(self.informers.lister_for("daemonsets").get(namespace, name))
        except NotFound:
            self.expectations.delete(key)
            self.states.pop(key, None)
            return None
        if ds["metadata"].get("deletionTimestamp"):
            return None
        pods = history.claim_objects(self.client, self.informers, ds, "pods")
        current, old = self._construct_history(ds)
        labels = current["metadata"].get("labels") or {}
        hash_ = labels.get(CONTROLLER_REVISION_HASH_LABEL) or current["metadata"]["name"]
        now = self.loop.datetime().timestamp()
        state = self._state(key, ds, hash_, pods, now)
        if not self.expectations.satisfied(key, self.loop.now):
            return self._update_status(ds, state, hash_, False)
        backoff = self.backoff.setdefault(ds["metadata"]["uid"], {})
        view = state.view()  # the dirty nodes: a sync looks only at what changed
        result = plan(ds, view.nodes, pods, hash_, now, backoff, *view[1:])
        for node in result.failed_nodes:  # flowcontrol.Backoff.Next
            last, delay = backoff.get(node, (now, 0.0))
            expired = now - last > 2 * BACKOFF_MAX
            delay = BACKOFF_INITIAL if not delay or expired else min(delay * 2, BACKOFF_MAX)
            backoff[node] = (now, delay)
        error = self._sync_nodes(ds, key, result, hash_)
        self._cleanup_history(ds, old, pods)
        requeue = self._update_status(ds, state, hash_, True)
        if error is not None:
            raise error
        delays = [d for d in (requeue, result.requeue_after) if d is not None]
        return min(delays) if delays else None

    def _state(self, key: str, ds: Obj, hash_: str, pods: list[Obj], now: float) -> DaemonSetState:
        """The set's node bookkeeping, brought up to date (started afresh when the spec, the
        revision or the template generation changed)."""
        generation = get_template_generation(ds)
        version = state_version(ds, hash_, generation)
        state = self.states.get(key)
        if state is None or state.version != version:
            state = self.states[key] = DaemonSetState(version, ds, hash_, generation)
        nodes = self.informers.lister_for("nodes")
        state.refresh(nodes.list, lambda name: nodes.indexer.get_by_key(name), pods, now)
        return state

    def _sync_nodes(
        self, ds: Obj, key: str, result: DaemonSetPlan, hash_: str
    ) -> StatusError | None:
        """upstream `syncNodes`: expectations, slow-start creates, then deletes."""
        self.expectations.set(key, len(result.creates), len(result.deletes), self.loop.now)
        template = create_pod_template(ds["spec"]["template"], get_template_generation(ds), hash_)
        error: StatusError | None = None
        position, batch = 0, 1
        while position < len(result.creates):
            for node in result.creates[position : position + batch]:
                try:
                    self._create_pod(ds, template, node)
                except StatusError as failure:
                    self.expectations.creation_observed(key)
                    error = failure
            position += batch
            if error is not None:
                self.expectations.lower(key, len(result.creates) - position, 0)
                break
            batch = min(2 * batch, len(result.creates) - position)
        for delete in result.deletes:
            self._delete_event(ds, delete)
            try:
                self.client.delete("pods", delete.name, ds["metadata"]["namespace"])
            except NotFound:
                self.expectations.deletion_observed(key)
                continue
            except StatusError as failure:
                self.expectations.deletion_observed(key)
                self.recorder.event(ds, "Warning", "FailedDelete", f"Error deleting: {failure}")
                error = failure
                continue
            self.recorder.event(ds, "Normal", "SuccessfulDelete", f"Deleted pod: {delete.name}")
        return error

    def _create_pod(self, ds: Obj, template: Obj, node: str) -> None:
        """upstream `CreatePods` with the node-name affinity (`RealPodControl` events)."""
        pod_template = deep_copy(template)
        spec = pod_template["spec"]
        spec["affinity"] = replace_node_name_affinity(spec.get("affinity"), node)
        pod = get_pod_from_template(pod_template, ds)
        pod["metadata"]["generateName"] = f"{ds['metadata']['name']}-"
        try:
            created = self.client.create("pods", pod, ds["metadata"]["namespace"])
        except StatusError as error:
            self.recorder.event(ds, "Warning", "FailedCreate", f"Error creating: {error}")
            raise
        message = f"Created pod: {created['metadata']['name']}"
        self.recorder.event(ds, "Normal", "SuccessfulCreate", message)

    def _delete_event(self, ds: Obj, delete: Any) -> None:
        where = f"{ds['metadata']['namespace']}/{delete.name} on node {delete.node}"
        if delete.reason == "failed":
            message = f"Found failed daemon pod {where}, will try to kill it"
            self.recorder.event(ds, "Warning", "FailedDaemonPod", message)
        elif delete.reason == "succeeded":
            message = f"Found succeeded daemon pod {where}, will try to delete it"
            self.recorder.event(ds, "Normal", "SucceededDaemonPod", message)

    # -- status -----------------------------------------------------------------------------------
    def _update_status(
        self, ds: Obj, state: DaemonSetState, hash_: str, observed: bool
    ) -> float | None:
        """upstream `updateDaemonSetStatus` + `storeDaemonSetStatus`."""
        now = self.loop.datetime().timestamp()
        view = state.view()
        counts = daemon_set_status(
            ds, view.nodes, [], hash_, now, view.eligible, view.node_pods, view.clean, view.unready
        )
        old = ds.get("status") or {}
        generation = ds["metadata"].get("generation", 1)
        same = all(old.get(f, 0) == counts[f] for f in STATUS_FIELDS)
        if not same or (observed and old.get("observedGeneration") != generation):
            status = {**old, **counts}
            if observed:
                status["observedGeneration"] = generation
            ds["status"] = {k: v for k, v in status.items() if v or k not in OMIT_EMPTY}
            self.client.update_status("daemonsets", ds, ds["metadata"]["namespace"])
        min_ready = int(ds["spec"].get("minReadySeconds") or 0)
        if min_ready and counts["numberReady"] != counts["numberAvailable"]:
            return float(min_ready)
        return None

    # -- history (update.go) ----------------------------------------------------------------------
    def _construct_history(self, ds: Obj) -> tuple[Obj, list[Obj]]:
        """upstream `constructHistory`: (the current revision, the old ones)."""
        revisions = history.claim_objects(self.client, self.informers, ds, "controllerrevisions")
        patch = history.raw(history.get_patch(ds))
        current = [r for r in revisions if history.raw(r.get("data")) == patch]
        old = [r for r in revisions if history.raw(r.get("data")) != patch]
        number = max((history.revision_of(r) for r in old), default=0) + 1
        if not current:
            return self._snapshot(ds, number), old
        current = sorted(current, key=history.revision_of)
        for duplicate in current[:-1]:  # upstream `dedupCurHistories`
            history.delete_controller_revision(self.client, duplicate)
        kept = current[-1]
        if history.revision_of(kept) < number:
            kept = history.update_controller_revision(self.client, kept, number)
        return kept, old

    def _snapshot(self, ds: Obj, number: int) -> Obj:
        """upstream `snapshot`: a revision named `<ds>-<template hash>`."""
        collisions = (ds.get("status") or {}).get("collisionCount")
        hash_ = history.compute_hash(ds["spec"]["template"], collisions)
        revision = history.new_controller_revision(
            ds, ds["spec"]["template"].get("metadata", {}).get("labels"), history.get_patch(ds),
            number, 0,
        )  # fmt: skip
        revision["metadata"]["name"] = f"{ds['metadata']['name']}-{hash_}"
        revision["metadata"]["labels"][CONTROLLER_REVISION_HASH_LABEL] = hash_
        namespace = ds["metadata"]["namespace"]
        try:
            return self.client.create("controllerrevisions", revision, namespace)
        except AlreadyExists:
            existing = self.client.get(
                "controllerrevisions", revision["metadata"]["name"], namespace
            )
            if history.equal_revision(existing, revision):
                return existing
            ds["status"] = {**(ds.get("status") or {}), "collisionCount": (collisions or 0) + 1}
            self.client.update_status("daemonsets", ds, namespace)
            raise

    def _cleanup_history(self, ds: Obj, old: list[Obj], pods: list[Obj]) -> None:
        """upstream `cleanupHistory`: delete the oldest unused revisions over the limit."""
        to_kill = len(old) - int(ds["spec"].get("revisionHistoryLimit", 10))
        if to_kill <= 0:
            return
        live = {
            (p["metadata"].get("labels") or {}).get(CONTROLLER_REVISION_HASH_LABEL)
            for node_pods in nodes_to_daemon_pods(pods, True).values()
            for p in node_pods
        }
        for revision in sorted(old, key=history.revision_of):
            if to_kill <= 0:
                break
            labels = revision["metadata"].get("labels") or {}
            if labels.get(CONTROLLER_REVISION_HASH_LABEL) in live:
                continue
            history.delete_controller_revision(self.client, revision)
            to_kill -= 1
