"""The DaemonSet controller, mirroring `pkg/controller/daemon/daemon_controller.go`
(expectations, `syncDaemonSet`, `syncNodes`, `storeDaemonSetStatus`, the failed-pod back-off).

The decision is `daemonset_control.plan`; this module feeds it from the caches (only the nodes
`daemonset_state` marks dirty, plus counts of the settled ones) and writes the result. Pods are
created unscheduled, pinned to their node by the required node affinity `metadata.name In
[node]`, so the scheduler binds them (as upstream since 1.12).
Left out: relabelling pods when duplicate current revisions are merged (the extra revisions are
just deleted), the `SelectingAll` warning, and the status updater's conflict retries.
The informer handlers are a `daemonset_events.DaemonSetEventHandlers` the controller owns; the
revisions (`constructHistory`, `snapshot`, `cleanupHistory` of `update.go`) are the functions of
`daemonset_history`.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.errors import NotFound, StatusError
from minik8s.api.meta import deep_copy, split_key
from minik8s.controllers import history
from minik8s.controllers.base import Controller
from minik8s.controllers.daemonset_control import DaemonSetPlan, daemon_set_status, plan
from minik8s.controllers.daemonset_events import DaemonSetEventHandlers
from minik8s.controllers.daemonset_history import cleanup_history, construct_history
from minik8s.controllers.daemonset_state import DaemonSetState, state_version
from minik8s.controllers.daemonset_util import (
    ControllerExpectations,
    create_pod_template,
    get_template_generation,
    replace_node_name_affinity,
)
from minik8s.controllers.history import CONTROLLER_REVISION_HASH_LABEL
from minik8s.controllers.statefulset_util import get_pod_from_template

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
        self.handlers = DaemonSetEventHandlers(self, self.expectations, self.states)
        self.watch("daemonsets")
        self.watch("controllerrevisions", self.handlers.owner_keys)
        self.handlers.register()  # pods and nodes

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
        current, old = construct_history(self.client, self.informers, ds)
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
        cleanup_history(self.client, ds, old, pods)
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
            # only the generated name is read: the stored pod, uncopied
            created = self.client.create("pods", pod, ds["metadata"]["namespace"], respond=False)
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
