"""The EndpointSlice controller, mirroring `pkg/controller/endpointslice/` (the controller)
and `staging/src/k8s.io/endpointslice/reconciler.go` (`reconcileByAddressType`), `utils.go`
(`newEndpointSlice`); the pure reconcile is in `endpointslice_reconciler.py`.

Each selecting Service gets slices named `<service>-<random>` (generateName), owned by it and
labelled `kubernetes.io/service-name` and `endpointslice.kubernetes.io/managed-by`. Endpoints
are grouped by the ports they resolve (one group per distinct port list); each slice holds at
most 100. Like the upstream reconciler, an endpoint stays in the slice it is in, slices that
empty are deleted, new endpoints fill slices with room before new slices are created, and a
Service with no endpoints keeps one empty placeholder slice.
Slices as the controller last wrote them do not count as changes (upstream's
`endpointSliceTracker`), and `endpoint_updates_batch_period` (upstream
`--endpointslice-updates-batch-period`, default 0) joins a window of pod changes into one sync.
Each endpoint's `zone` is its node's `topology.kubernetes.io/zone` label; created and updated
slices carry `endpoints.kubernetes.io/last-change-trigger-time` (`endpoints_trigger.py`).
Left out: IPv6/dual-stack, topology hints, mirroring of selectorless
Endpoints, the `endpointslice.kubernetes.io/skip-mirror` label.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.errors import NotFound
from minik8s.client.cache import (
    DeletedFinalStateUnknown,
    ensure_index,
    label_index,
    split_meta_namespace_key,
)
from minik8s.controllers.endpoints_trigger import TriggerTimeTracker, set_trigger_time
from minik8s.controllers.endpoints_util import (
    PodEntryCache,
    ServiceEndpointsController,
    service_labels,
)
from minik8s.controllers.endpointslice_reconciler import (
    desired_endpoints,
    endpoint_entry,
    plan_slices,
    pod_to_endpoint,
    ports_key,
    sort_by_name,
)

__all__ = [
    "EndpointSliceController",
    "desired_endpoints",
    "new_endpoint_slice",
    "plan_slices",
    "pod_to_endpoint",
    "ports_key",
    "slice_labels",
]

Obj = dict[str, Any]
SERVICE_NAME_LABEL = "kubernetes.io/service-name"
MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by"
CONTROLLER_NAME = "endpointslice-controller.k8s.io"
MAX_ENDPOINTS_PER_SLICE = 100
SERVICE_INDEX = "service-name"
DELETED = -1


class EndpointSliceController(ServiceEndpointsController):
    """Keeps each selecting Service's EndpointSlices in step with its pods."""

    name = "endpointslice-controller"
    entry = staticmethod(endpoint_entry)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.nodes = self.informers.lister_for("nodes")
        self.entries = PodEntryCache(self._entry)
        self.trigger_times = TriggerTimeTracker()
        self.max_endpoints_per_slice = MAX_ENDPOINTS_PER_SLICE
        self.tracker: dict[str, dict[str, int]] = {}  # service key → slice name → written rv
        indexer = self.informers.informer_for("endpointslices").indexer
        ensure_index(indexer, SERVICE_INDEX, label_index(SERVICE_NAME_LABEL))
        self.informers.informer_for("endpointslices").add_event_handler(
            on_add=self._slice_changed,
            on_update=lambda _old, new: self._slice_changed(new),
            on_delete=self._slice_deleted,
        )

    def _entry(self, pod: Obj, svc: Obj) -> Any:
        """`endpoint_entry` with the pod's node (upstream `nodeLister.Get(pod.Spec.NodeName)`)."""
        node_name = (pod.get("spec") or {}).get("nodeName")
        node = None
        if node_name:
            try:
                node = self.nodes.get(None, node_name)
            except NotFound:
                pass
        return endpoint_entry(pod, svc, node)

    @staticmethod
    def _slice_service_key(slice_: Obj) -> str | None:
        labels = slice_["metadata"].get("labels") or {}
        if labels.get(MANAGED_BY_LABEL) != CONTROLLER_NAME or SERVICE_NAME_LABEL not in labels:
            return None
        return f"{slice_['metadata'].get('namespace')}/{labels[SERVICE_NAME_LABEL]}"

    def _slice_changed(self, slice_: Obj) -> None:
        """A slice as we wrote it changes nothing (upstream `endpointSliceTracker.ShouldSync`)."""
        key = self._slice_service_key(slice_)
        if key is None:
            return
        meta = slice_["metadata"]
        if self.tracker.get(key, {}).get(meta["name"]) != int(meta.get("resourceVersion") or 0):
            self.changed.add(key)
        self.enqueue(key)

    def _slice_deleted(self, slice_: Any) -> None:
        """Only a deletion we made changes nothing; either way the slice is no longer tracked
        (upstream `HandleDeletion`)."""
        slice_ = slice_.obj if isinstance(slice_, DeletedFinalStateUnknown) else slice_
        key = self._slice_service_key(slice_)
        if key is None:
            return
        if self.tracker.get(key, {}).pop(slice_["metadata"]["name"], None) != DELETED:
            self.changed.add(key)
        self.enqueue(key)

    def _existing(self, namespace: str, name: str) -> list[Obj]:
        indexer = self.informers.informer_for("endpointslices").indexer
        return sorted(
            (
                s
                for s in indexer.by_index(SERVICE_INDEX, name)
                if s["metadata"].get("namespace") == namespace
                and (s["metadata"].get("labels") or {}).get(MANAGED_BY_LABEL) == CONTROLLER_NAME
            ),
            key=lambda s: s["metadata"]["name"],
        )

    def sync_service(self, key: str) -> float | None:
        """upstream `syncService` + `reconcile`: write the slices of the service `key`."""
        namespace, name = split_meta_namespace_key(key)
        try:
            svc = self.informers.lister_for("services").get(namespace, name)
        except NotFound:
            self.entries.forget(key)
            self.trigger_times.delete(key)
            return None  # the garbage collector deletes the owned slices
        spec = svc.get("spec") or {}
        if spec.get("type") == "ExternalName" or not spec.get("selector"):
            return None  # ExternalName (issues.k8s.io/105986) and selectorless: no slices
        existing = self._existing(namespace, name)
        if self._stale(key, existing):
            self.changed.add(key)  # our last writes are not cached yet: their events requeue us
            return None
        pods = sort_by_name(self.memberships.pods_for(svc))
        trigger_time = self.trigger_times.compute(svc, pods)
        groups = desired_endpoints(svc, pods, self.entries.values(svc, pods))
        creates, updates, deletes = plan_slices(existing, groups, self.max_endpoints_per_slice)
        labels = slice_labels(svc)
        for slice_ in existing:  # label changes on the service reach every slice
            meta = slice_["metadata"]
            if meta.get("labels") != labels and not any(d is slice_ for d in deletes):
                if not any(u["metadata"]["name"] == meta["name"] for u in updates):
                    updates.append(dict(slice_))
        expected = self.tracker.setdefault(key, {})
        for slice_ in deletes:
            self._delete(slice_)
            expected[slice_["metadata"]["name"]] = DELETED
        for slice_ in updates:
            annotations = dict(slice_["metadata"].get("annotations") or {})
            set_trigger_time(annotations, trigger_time)
            meta = dict(slice_["metadata"], labels=labels, annotations=annotations)
            if not annotations:
                meta.pop("annotations")
            body = dict(slice_, metadata=meta)
            self._track(expected, self.client.update("endpointslices", body, namespace))
        for slice_ in creates:
            body = new_endpoint_slice(svc, slice_)
            set_trigger_time(body["metadata"].setdefault("annotations", {}), trigger_time)
            if not body["metadata"]["annotations"]:
                del body["metadata"]["annotations"]
            created = self.client.create("endpointslices", body, namespace)
            self._track(expected, created)
        return None

    @staticmethod
    def _track(expected: dict[str, int], written: Obj) -> None:
        expected[written["metadata"]["name"]] = int(written["metadata"]["resourceVersion"])

    def _stale(self, key: str, existing: list[Obj]) -> bool:
        """upstream `endpointSliceTracker.StaleSlices`: is a slice we wrote (or deleted) not yet
        in the informer cache as we left it? Entries the cache has caught up with are dropped."""
        expected = self.tracker.get(key)
        if not expected:
            return False
        cached = {s["metadata"]["name"]: int(s["metadata"]["resourceVersion"]) for s in existing}
        for name, rv in list(expected.items()):
            seen = cached.get(name)
            if (rv == DELETED and seen is not None) or (rv != DELETED and (seen or 0) < rv):
                return True
            del expected[name]
        self.tracker.pop(key, None)
        return False

    def _delete(self, slice_: Obj) -> None:
        meta = slice_["metadata"]
        try:
            self.client.delete("endpointslices", meta["name"], meta.get("namespace"))
        except NotFound:
            pass


def slice_labels(svc: Obj) -> dict[str, str]:
    """upstream `setEndpointSliceLabels`: the service's labels plus the two reserved ones."""
    labels = service_labels(svc)
    labels[SERVICE_NAME_LABEL] = svc["metadata"]["name"]
    labels[MANAGED_BY_LABEL] = CONTROLLER_NAME
    return labels


def endpoint_slice_prefix(service_name: str) -> str:
    """upstream `getEndpointSlicePrefix`: `<service>-` (a valid subdomain prefix for any valid
    Service name); the API server cuts a generateName to 58 characters."""
    return f"{service_name}-"


def new_endpoint_slice(svc: Obj, content: Obj) -> Obj:
    """upstream `newEndpointSlice`: generateName `<service>-`, owned by the service."""
    meta = svc["metadata"]
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {
            "generateName": endpoint_slice_prefix(meta["name"]),
            "namespace": meta.get("namespace"),
            "labels": slice_labels(svc),
            "ownerReferences": [
                {
                    "apiVersion": "v1",
                    "kind": "Service",
                    "name": meta["name"],
                    "uid": meta.get("uid"),
                    "controller": True,
                    "blockOwnerDeletion": True,
                }
            ],
        },
        "addressType": "IPv4",
        "endpoints": content["endpoints"],
        "ports": content["ports"],
    }
