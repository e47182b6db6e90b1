"""The DaemonSet controller's informer handlers, mirroring `addPod`, `updatePod`, `deletePod`,
`addNode`, `updateNode` (`shouldIgnoreNodeUpdate`) and `deleteNode` of
`pkg/controller/daemon/daemon_controller.go`.

A pod event wakes the sets that own (or may adopt) it and settles their expectations; a node
event marks the node dirty in every set's `DaemonSetState` and wakes every set. Leaves out:
the per-node `nodeShouldRunDaemonPod` pre-check upstream's `addNode` makes (every set is woken).
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


class DaemonSetEvents(Controller):
    """The pod and node handlers of `DaemonSetsController`."""

    expectations: ControllerExpectations
    states: dict[str, DaemonSetState]

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
