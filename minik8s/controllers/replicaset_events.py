"""The ReplicaSet controller's pod event handlers, mirroring `addPod`, `updatePod` and
`deletePod` of `pkg/controller/replicaset/replica_set.go`.

A pod event wakes the ReplicaSet that controls the pod (observing the expectation it settles)
or, for an orphan, every ReplicaSet of its namespace whose selector matches it. Leaves out: the
`resolveControllerRef` log lines and the ReplicaSet's own update handler (a plain watch here).
`ReplicaSetController` owns one `ReplicaSetPodEventHandlers` and registers its methods.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.labels import label_selector_as_selector
from minik8s.client.cache import DeletedFinalStateUnknown, controller_of, meta_namespace_key
from minik8s.controllers.base import Controller
from minik8s.controllers.replicaset_utils import ControllerExpectations, is_pod_ready

Obj = dict[str, Any]


class ReplicaSetPodEventHandlers:
    """The pod handlers of one `ReplicaSetController`: which ReplicaSet a pod event concerns.
    They wake it through the controller's queue and share its expectations."""

    def __init__(
        self, controller: Controller, kind: str, resource: str, expectations: ControllerExpectations
    ) -> None:
        self.controller = controller
        self.kind = kind
        self.resource = resource
        self.informers = controller.informers
        self.rs_indexer = self.informers.informer_for(resource).indexer
        self.expectations = expectations

    def __repr__(self) -> str:
        return f"<ReplicaSetPodEventHandlers {self.resource}>"

    def register(self) -> None:
        """Add the pod handlers to the shared pod informer."""
        self.informers.informer_for("pods").add_event_handler(
            on_add=self.add_pod, on_update=self.update_pod, on_delete=self.delete_pod
        )

    def _owner_key(self, pod: Obj) -> str | None:
        ref = controller_of(pod)
        if ref is None or ref.get("kind") != self.kind:
            return None
        key = f"{pod['metadata'].get('namespace', '')}/{ref['name']}"
        owner = self.rs_indexer.get_by_key(key)
        if owner is None or owner["metadata"].get("uid") != ref.get("uid"):
            return None
        return key

    def _matching_owners(self, pod: Obj) -> list[str]:
        namespace, labels = (
            pod["metadata"].get("namespace", ""),
            pod["metadata"].get("labels") or {},
        )
        keys = []
        for owner in self.informers.lister_for(self.resource).list(namespace):
            try:
                if labels and label_selector_as_selector(owner["spec"].get("selector")).matches(
                    labels
                ):
                    keys.append(meta_namespace_key(owner))
            except ValueError:
                continue
        return keys

    def add_pod(self, pod: Obj) -> None:
        """upstream `addPod`: observe a creation and wake the owner (or the matching sets)."""
        if pod["metadata"].get("deletionTimestamp"):
            self.delete_pod(pod)
            return
        key = self._owner_key(pod)
        if key is not None:
            self.expectations.creation_observed(key)
            self.controller.enqueue(key)
        elif controller_of(pod) is None:
            for owner in self._matching_owners(pod):
                self.controller.enqueue(owner)

    def update_pod(self, old: Obj, new: Obj) -> None:
        """upstream `updatePod`: wake the old and new owners (or the matching sets)."""
        if new["metadata"].get("resourceVersion") == old["metadata"].get("resourceVersion"):
            return
        if new["metadata"].get("deletionTimestamp") and not old["metadata"].get(
            "deletionTimestamp"
        ):
            self.delete_pod(new)
            return
        old_key, new_key = self._owner_key(old), self._owner_key(new)
        if old_key is not None and old_key != new_key:
            self.controller.enqueue(old_key)
        if new_key is not None:
            self.controller.enqueue(new_key)
            self._requeue_for_min_ready(new_key, old, new)
        elif controller_of(new) is None:
            for owner in self._matching_owners(new):
                self.controller.enqueue(owner)

    def _requeue_for_min_ready(self, key: str, old: Obj, new: Obj) -> None:
        rs = self.rs_indexer.get_by_key(key)
        min_ready = int((rs or {}).get("spec", {}).get("minReadySeconds") or 0)
        if min_ready and not is_pod_ready(old) and is_pod_ready(new):
            self.controller.queue.add_after(key, min_ready + 1.0)  # upstream: minReadySeconds + 1s

    def delete_pod(self, pod: Obj | DeletedFinalStateUnknown) -> None:
        """upstream `deletePod`: observe a deletion and wake the owner."""
        if isinstance(pod, DeletedFinalStateUnknown):
            pod = pod.obj
        key = self._owner_key(pod)
        if key is not None:
            self.expectations.deletion_observed(key, meta_namespace_key(pod))
            self.controller.enqueue(key)
