"""The EndpointSlice controller, mirroring `pkg/controller/endpointslice/` (the controller)
and `staging/src/k8s.io/endpointslice/reconciler.go` (`reconcileByAddressType`), `utils.go`
(`podToEndpoint`, `newEndpointSlice`, `getEndpointPorts`).

Each selecting Service gets slices named `<service>-<random>` (generateName), owned by it and
labelled `kubernetes.io/service-name` and `endpointslice.kubernetes.io/managed-by`. Endpoints
are grouped by the ports they resolve (one group per distinct port list); each slice holds at
most 100. Like the upstream reconciler, an endpoint stays in the slice it is in, slices that
empty are deleted, new endpoints fill slices with room before new slices are created, and a
Service with no endpoints keeps one empty placeholder slice.
Left out: IPv6/dual-stack, topology hints, zones (no zone labels), mirroring of selectorless
Endpoints, the `endpointslice.kubernetes.io/skip-mirror` label.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.errors import NotFound
from minik8s.client.cache import ensure_index, label_index, split_meta_namespace_key
from minik8s.controllers.base import Controller
from minik8s.controllers.endpoints import endpoint_ports
from minik8s.controllers.endpoints_util import (
    is_pod_ready,
    pod_handlers,
    pod_ip,
    selects,
    service_labels,
    should_pod_be_in_endpoints,
    should_set_hostname,
)

Obj = dict[str, Any]
SERVICE_NAME_LABEL = "kubernetes.io/service-name"
MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by"
CONTROLLER_NAME = "endpointslice-controller.k8s.io"
MAX_ENDPOINTS_PER_SLICE = 100
SERVICE_INDEX = "service-name"
DELETED = -1


def pod_to_endpoint(pod: Obj, svc: Obj) -> Obj:
    """upstream `podToEndpoint`: ready never true while terminating (unless publishing)."""
    serving = is_pod_ready(pod)
    terminating = bool(pod["metadata"].get("deletionTimestamp"))
    publish = bool((svc.get("spec") or {}).get("publishNotReadyAddresses"))
    endpoint: Obj = {
        "addresses": [pod_ip(pod)],
        "conditions": {
            "ready": publish or (serving and not terminating),
            "serving": serving,
            "terminating": terminating,
        },
    }
    if should_set_hostname(pod, svc):
        endpoint["hostname"] = pod["spec"]["hostname"]
    meta = pod["metadata"]
    endpoint["targetRef"] = {
        "kind": "Pod",
        "namespace": meta.get("namespace"),
        "name": meta["name"],
        "uid": meta.get("uid"),
    }
    if (pod.get("spec") or {}).get("nodeName"):
        endpoint["nodeName"] = pod["spec"]["nodeName"]
    return endpoint


def desired_endpoints(svc: Obj, pods: list[Obj]) -> dict[str, tuple[list[Obj], dict[str, Obj]]]:
    """Port-list key → (ports, {ip: endpoint}) for every pod that belongs in the slices."""
    spec = svc.get("spec") or {}
    groups: dict[str, tuple[list[Obj], dict[str, Obj]]] = {}
    for pod in sorted(pods, key=lambda p: p["metadata"]["name"]):
        if not should_pod_be_in_endpoints(pod, include_terminating=True):
            continue
        ports: list[Obj] = []
        if spec.get("ports"):
            # the API defaults an unnamed slice port to name "" (`SetDefaults_EndpointPort`)
            ports = [{"name": "", **p} for p in endpoint_ports(pod, svc) or []]
            if not ports:
                continue
        group = groups.setdefault(ports_key(ports), (ports, {}))
        group[1][pod_ip(pod)] = pod_to_endpoint(pod, svc)
    return groups


def ports_key(ports: list[Obj]) -> str:
    """The identity of a port list, with the API's defaults filled in."""
    return repr(
        sorted(
            (p.get("name") or "", p.get("port"), p.get("protocol") or "TCP", p.get("appProtocol"))
            for p in ports
        )
    )


def plan_slices(
    existing: list[Obj], groups: dict[str, tuple[list[Obj], dict[str, Obj]]], limit: int
) -> tuple[list[Obj], list[Obj], list[Obj]]:
    """Pure reconcile: (slices to create, slices to update, slices to delete).

    New slices have no name yet (`generateName`); updates are full slice objects."""
    creates: list[Obj] = []
    updates: list[Obj] = []
    deletes: list[Obj] = []
    remaining = {key: dict(eps) for key, (_, eps) in groups.items()}
    kept: dict[str, list[Obj]] = {}
    for old in existing:
        key = ports_key(old.get("ports") or [])
        if key not in remaining:
            deletes.append(old)
            continue
        wanted = remaining[key]
        endpoints = [wanted.pop(ip) for ip in _ips(old) if ip in wanted]
        if not endpoints:
            deletes.append(old)
            continue
        new = dict(old, endpoints=endpoints)
        kept.setdefault(key, []).append(new)
        if endpoints != old.get("endpoints"):
            updates.append(new)
    for key, (ports, _) in groups.items():
        left = sorted(remaining[key].values(), key=lambda e: _ip_sort(e["addresses"][0]))
        for slice_ in kept.get(key, []):  # fill slices with room before making new ones
            room = limit - len(slice_["endpoints"])
            if room > 0 and left:
                slice_["endpoints"] = slice_["endpoints"] + left[:room]
                left = left[room:]
                if slice_ not in updates:
                    updates.append(slice_)
        for start in range(0, len(left), limit):
            creates.append({"ports": ports, "endpoints": left[start : start + limit]})
    if not creates and not kept:
        placeholder = [s for s in deletes if not s.get("endpoints") and not s.get("ports")]
        if placeholder:
            deletes.remove(placeholder[0])  # the existing placeholder stays
        else:
            creates.append({"ports": [], "endpoints": []})
    return creates, updates, deletes


def _ips(slice_: Obj) -> list[str]:
    return [e["addresses"][0] for e in slice_.get("endpoints") or [] if e.get("addresses")]


def _ip_sort(ip: str) -> tuple[int, ...]:
    return tuple(int(x) for x in ip.split(".")) if ip.count(".") == 3 else (0,)


class EndpointSliceController(Controller):
    """Keeps each selecting Service's EndpointSlices in step with its pods."""

    name = "endpointslice-controller"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.max_endpoints_per_slice = MAX_ENDPOINTS_PER_SLICE
        self.tracker: dict[str, dict[str, int]] = {}  # service key → slice name → written rv
        indexer = self.informers.informer_for("endpointslices").indexer
        ensure_index(indexer, SERVICE_INDEX, label_index(SERVICE_NAME_LABEL))
        self.watch("services")
        self.watch("endpointslices", self._slice_service_key)
        pod_handlers(self)

    @staticmethod
    def _slice_service_key(slice_: Obj) -> str | None:
        labels = slice_["metadata"].get("labels") or {}
        if labels.get(MANAGED_BY_LABEL) != CONTROLLER_NAME or SERVICE_NAME_LABEL not in labels:
            return None
        return f"{slice_['metadata'].get('namespace')}/{labels[SERVICE_NAME_LABEL]}"

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

    def reconcile(self, key: str) -> float | None:
        namespace, name = split_meta_namespace_key(key)
        try:
            svc = self.informers.lister_for("services").get(namespace, name)
        except NotFound:
            return None  # the garbage collector deletes the owned slices
        if not (svc.get("spec") or {}).get("selector"):
            return None
        existing = self._existing(namespace, name)
        if self._stale(key, existing):
            return None  # our last writes are not in the cache yet: their events requeue us
        pods = [p for p in self.informers.lister_for("pods").list(namespace) if selects(svc, p)]
        groups = desired_endpoints(svc, pods)
        creates, updates, deletes = plan_slices(existing, groups, self.max_endpoints_per_slice)
        labels = slice_labels(svc)
        for slice_ in existing:  # label changes on the service reach every slice
            meta = slice_["metadata"]
            if meta.get("labels") != labels and slice_ not in deletes:
                if not any(u["metadata"]["name"] == meta["name"] for u in updates):
                    updates.append(dict(slice_))
        expected = self.tracker.setdefault(key, {})
        for slice_ in deletes:
            self._delete(slice_)
            expected[slice_["metadata"]["name"]] = DELETED
        for slice_ in updates:
            body = dict(slice_, metadata=dict(slice_["metadata"], labels=labels))
            self._track(expected, self.client.update("endpointslices", body, namespace))
        for slice_ in creates:
            created = self.client.create(
                "endpointslices", new_endpoint_slice(svc, slice_), namespace
            )
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


def new_endpoint_slice(svc: Obj, content: Obj) -> Obj:
    """upstream `newEndpointSlice`: generateName `<service>-`, owned by the service."""
    meta = svc["metadata"]
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {
            "generateName": f"{meta['name'][:62]}-",
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
