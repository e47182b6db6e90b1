"""The DaemonSet controller's informer handlers, mirroring `addPod`, `updatePod`, `deletePod`,
`addNode`, `updateNode` (`shouldIgnoreNodeUpdate`) and `deleteNode` of
`pkg/controller/daemon/daemon_controller.go`.

A pod event wakes the sets that own (or may adopt) it and settles their expectations; a node
event marks the node dirty in every set's `DaemonSetState` and wakes every set. Leaves out:
the per-node `nodeShouldRunDaemonPod` pre-check upstream's `addNode` makes (every set is woken).
`DaemonSetsController` owns one `DaemonSetEventHandlers` and registers its methods.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.errors import NotFound
from minik8s.api.meta import split_key
from minik8s.client.cache import DeletedFinalStateUnknown, controller_of, meta_namespace_key
from minik8s.controllers import history
from minik8s.controllers.base import Controller
from minik8s.controllers.daemonset_state import DaemonSetState
from minik8s.controllers.daemonset_util import ControllerExpectations
from minik8s.controllers.statefulset_util import is_pod_ready

Obj = dict[str, Any]


class DaemonSetEventHandlers:
    """The pod and node handlers of one `DaemonSetsController`: they wake its sets through its
    queue and share its expectations and per-set node bookkeeping (`states`)."""

    def __init__(
        self,
        controller: Controller,
        expectations: ControllerExpectations,
        states: dict[str, DaemonSetState],
    ) -> None:
        self.controller = controller
        self.informers = controller.informers
        self.expectations = expectations
        self.states = states

    def __repr__(self) -> str:
        return f"<DaemonSetEventHandlers sets={len(self.states)}>"

    def register(self) -> None:
        """Add the pod and node handlers to the shared informers."""
        self.informers.informer_for("pods").add_event_handler(
            on_add=self.pod_added, on_update=self.pod_updated, on_delete=self.pod_deleted
        )
        self.informers.informer_for("nodes").add_event_handler(
            on_add=self.node_added_or_deleted,
            on_update=self.node_updated,
            on_delete=self.node_added_or_deleted,
        )

    def owner_keys(self, obj: Obj) -> list[str]:
        """The keys of the DaemonSets that own `obj` or whose selector matches it."""
        return history.owner_keys(self.informers, obj, "DaemonSet", "daemonsets")

    def pod_added(self, pod: Obj) -> None:
        """upstream `addPod`: observe a creation, wake the owner (or the sets that may adopt it)."""
        if pod["metadata"].get("deletionTimestamp"):
            self.pod_deleted(pod)
            return
        if controller_of(pod) is None:  # an orphan: enqueue the sets that may adopt it
            for key in self.owner_keys(pod):
                self.controller.enqueue(key)
            return
        for key in self.owner_keys(pod):
            self.expectations.creation_observed(key)
            self.controller.enqueue(key)

    def pod_updated(self, old: Obj, new: Obj) -> None:
        """upstream `updatePod`: wake the owners; a pod turning Ready is looked at again later."""
        if new["metadata"].get("deletionTimestamp") and not old["metadata"].get(
            "deletionTimestamp"
        ):
            self.pod_deleted(new)
            return
        changed_to_ready = not is_pod_ready(old) and is_pod_ready(new)
        for key in self.owner_keys(new):
            self.controller.enqueue(key)
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
            self.controller.queue.add_after(key, seconds + 1.0)

    def pod_deleted(self, pod: Any) -> None:
        """upstream `deletePod`: observe a deletion and wake the owner."""
        if isinstance(pod, DeletedFinalStateUnknown):
            pod = pod.obj
        if controller_of(pod) is None:
            return
        for key in self.owner_keys(pod):
            self.expectations.deletion_observed(key)
            self.controller.enqueue(key)

    def node_updated(self, old: Obj, new: Obj) -> None:
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

    def node_added_or_deleted(self, node: Any) -> None:
        """upstream `addNode` / `deleteNode`: the node is dirty in every set; wake them all."""
        if isinstance(node, DeletedFinalStateUnknown):
            node = node.obj
        self._node_changed(node["metadata"]["name"])
        self._enqueue_all()

    def _node_changed(self, name: str) -> None:
        for state in self.states.values():
            state.node_changed(name)

    def _enqueue_all(self) -> None:
        for ds in self.informers.lister_for("daemonsets").list():
            self.controller.enqueue(meta_namespace_key(ds))
