"""What the Endpoints and EndpointSlice controllers share, mirroring `pkg/api/v1/pod/util.go`
(`FindPort`, `IsPodReady`), `pkg/controller/util/endpoint/controller_utils.go`
(`ShouldPodBeInEndpoints`, `ShouldSetHostname`, `GetPodServiceMemberships`,
`ServiceSelectorCache`) and the pod handlers both controllers register.

Instead of scanning every pod (or every service) of a namespace, both directions go through two
indices on the shared informers: pods by each `namespace/key=value` label pair, services by one
pair of their selector. A service's pods are the pods of its selector's first pair that match
the rest (upstream's `podLister.Pods(ns).List(selector)`); a pod's services are the services
indexed under one of its label pairs that select it (a pod event looks them up once when its
labels did not change, and not at all when nothing is enqueued). `reconcile_if_changed` skips
syncs whose inputs did not change, and `PodEntryCache` keeps each pod's computed endpoint
between syncs.
`ServiceEndpointsController` is the base both controllers build on.
Left out: sidecar (restartable init) container ports, set-based service selectors (a Service's
selector is a plain map, as upstream).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from minik8s.api.podutil import is_pod_ready  # noqa: F401 (re-exported)
from minik8s.client.cache import DeletedFinalStateUnknown, ensure_index, meta_namespace_key
from minik8s.controllers.base import Controller
from minik8s.controllers.endpoints_memo import pod_answers

Obj = dict[str, Any]
HEADLESS_LABEL = "service.kubernetes.io/headless"
POD_LABEL_INDEX = "labels"  # pods by "namespace/key=value", one value per label
SELECTOR_INDEX = "selector"  # services by "namespace/key=value" of their selector's first pair


def pod_ip(pod: Obj) -> str:
    status = pod.get("status") or {}
    ips = status.get("podIPs") or []
    return status.get("podIP") or (ips[0].get("ip", "") if ips else "")


def should_pod_be_in_endpoints(pod: Obj, include_terminating: bool) -> bool:
    """upstream `ShouldPodBeInEndpoints`: has an IP, is not finished (nor terminating)."""
    if not pod_ip(pod):
        return False
    if not include_terminating and pod["metadata"].get("deletionTimestamp"):
        return False
    return (pod.get("status") or {}).get("phase") not in ("Failed", "Succeeded")


def should_set_hostname(pod: Obj, svc: Obj) -> bool:
    """upstream `ShouldSetHostname`: the pod names this headless service as its subdomain."""
    spec = pod.get("spec") or {}
    return (
        bool(spec.get("hostname"))
        and spec.get("subdomain") == svc["metadata"]["name"]
        and pod["metadata"].get("namespace") == svc["metadata"].get("namespace")
    )


def find_port(pod: Obj, service_port: Obj) -> int | None:
    """upstream `FindPort`: a numeric targetPort as is; a named one from the pod's containers
    (same name and protocol); None when the pod has no such port."""
    target = service_port.get("targetPort", service_port.get("port"))
    if isinstance(target, int):
        return target
    if isinstance(target, str) and target.isdigit():
        return int(target)
    protocol = service_port.get("protocol") or "TCP"
    for container in (pod.get("spec") or {}).get("containers") or []:
        for port in container.get("ports") or []:
            if port.get("name") == target and (port.get("protocol") or "TCP") == protocol:
                return int(port["containerPort"])
    return None


def selects(svc: Obj, pod: Obj) -> bool:
    """The service's selector matches the pod (same namespace, non-empty selector)."""
    selector = (svc.get("spec") or {}).get("selector") or {}
    if not selector or svc["metadata"].get("namespace") != pod["metadata"].get("namespace"):
        return False
    labels = pod["metadata"].get("labels") or {}
    return all(labels.get(k) == v for k, v in selector.items())


def is_headless(svc: Obj) -> bool:
    return (svc.get("spec") or {}).get("clusterIP") == "None"


def pod_service_keys(services: list[Obj], pod: Obj) -> set[str]:
    """upstream `GetPodServiceMemberships`: keys of the services in `services` selecting `pod`."""
    return {
        f"{s['metadata']['namespace']}/{s['metadata']['name']}" for s in services if selects(s, pod)
    }


def _pair(namespace: str, key: str, value: Any) -> str:
    return f"{namespace}/{key}={value}"


def pod_label_index(pod: Obj) -> list[str]:
    """Index function: one `namespace/key=value` per label of the pod."""
    meta = pod["metadata"]
    namespace = meta.get("namespace") or ""
    return [_pair(namespace, k, v) for k, v in (meta.get("labels") or {}).items()]


def service_selector_index(svc: Obj) -> list[str]:
    """Index function: the `namespace/key=value` of the service selector's first pair."""
    selector = (svc.get("spec") or {}).get("selector") or {}
    if not selector:
        return []
    key, value = min(selector.items())
    return [_pair(svc["metadata"].get("namespace") or "", key, value)]


class ServiceMemberships:
    """Which pods a service selects and which services select a pod, by index lookups."""

    def __init__(self, informers: Any):
        self.pods = informers.informer_for("pods").indexer
        self.services = informers.informer_for("services").indexer
        ensure_index(self.pods, POD_LABEL_INDEX, pod_label_index)
        ensure_index(self.services, SELECTOR_INDEX, service_selector_index)

    def __repr__(self) -> str:
        return f"<ServiceMemberships pods={len(self.pods)} services={len(self.services)}>"

    def pods_for(self, svc: Obj) -> list[Obj]:
        """The pods `svc` selects, in cache order (upstream `Pods(ns).List(selector)`).

        The index bucket of the selector's first pair holds exactly the pods of that namespace
        with that label, so a one-pair selector needs no further matching."""
        pairs = service_selector_index(svc)
        if not pairs:
            return []
        pods = self.pods.by_index(POD_LABEL_INDEX, pairs[0])
        selector = svc["spec"]["selector"]
        if len(selector) == 1 and all(type(v) is str for v in selector.values()):
            return pods
        return [p for p in pods if selects(svc, p)]

    def service_keys(self, pod: Obj) -> set[str]:
        """upstream `GetPodServiceMemberships`: keys of the services selecting `pod`."""
        keys = set()
        for pair in pod_label_index(pod):
            for svc in self.services.by_index(SELECTOR_INDEX, pair):
                if selects(svc, pod):
                    keys.add(f"{svc['metadata']['namespace']}/{svc['metadata']['name']}")
        return keys


def pod_endpoints_changed(old: Obj, new: Obj) -> tuple[bool, bool]:
    """upstream `podEndpointsChanged`: (the pod's endpoint may differ, its services may differ).

    Besides deletion, readiness and IPs, a move to a terminal phase and a new nodeName count as
    changes here (upstream relies on readiness flipping with the first and on the IP coming
    after the second)."""
    old_meta, new_meta = old.get("metadata") or {}, new["metadata"]
    old_spec, new_spec = old.get("spec") or {}, new.get("spec") or {}
    labels_changed = (old_meta.get("labels") or {}) != (new_meta.get("labels") or {}) or (
        old_spec.get("hostname"),
        old_spec.get("subdomain"),
    ) != (new_spec.get("hostname"), new_spec.get("subdomain"))
    old_status, new_status = old.get("status") or {}, new.get("status") or {}
    pod_changed = (
        old_meta.get("deletionTimestamp") != new_meta.get("deletionTimestamp")
        or is_pod_ready(old) != is_pod_ready(new)
        or old_spec.get("nodeName") != new_spec.get("nodeName")
        or pod_ip(old) != pod_ip(new)
        or old_status.get("podIPs") != new_status.get("podIPs")
        or _terminal(old_status) != _terminal(new_status)
    )
    return pod_changed, labels_changed


def _terminal(status: Obj) -> bool:
    return status.get("phase") in ("Failed", "Succeeded")


def services_to_update(
    old: Obj, new: Obj, keys: Any, changed: Any = pod_endpoints_changed
) -> set[str]:
    """upstream `GetServicesToUpdateOnPodChange` (`keys(pod)` = the pod's service keys,
    `changed` = `pod_endpoints_changed` or what gives the same)."""
    if old.get("metadata", {}).get("resourceVersion") == new["metadata"].get("resourceVersion"):
        return set()  # a resync: nothing changed
    pod_changed, labels_changed = changed(old, new)
    if not pod_changed and not labels_changed:
        return set()
    services: set[str] = keys(new)
    if labels_changed:
        old_services: set[str] = keys(old)
        services = services | old_services if pod_changed else services ^ old_services
    return services


def pod_handlers(controller: Any) -> ServiceMemberships:
    """Register the pod handlers both controllers use: a pod event enqueues every service that
    selects the pod, before or after the change (a label change moves it between services), and
    marks in `controller.changed` those upstream would sync (`GetServicesToUpdateOnPodChange`).
    With `controller.endpoint_updates_batch_period` set (upstream
    `--endpoint(slice)-updates-batch-period`), only those are enqueued, after that many seconds,
    so the pod changes of that window join one sync.
    Returns the memberships the controller reads its services' pods from."""
    memberships = ServiceMemberships(controller.informers)
    # both controllers get the same objects per event: what one works out, the other reuses
    answers = pod_answers(controller.informers, memberships.service_keys, pod_endpoints_changed)

    def keys(pod: Any) -> set[str]:
        if isinstance(pod, DeletedFinalStateUnknown):
            pod = pod.obj
        return answers.service_keys(pod)

    def on_add(pod: Any) -> None:
        services = keys(pod)
        controller.changed.update(services)
        _enqueue(controller, services, lambda: services)

    def on_update(old: Obj, new: Obj) -> None:
        if old.get("metadata", {}).get("resourceVersion") == new["metadata"].get("resourceVersion"):
            return  # a resync: nothing changed
        new_keys: set[str] | None = None

        def pod_keys(pod: Obj) -> set[str]:
            """`keys`, computed once for both pods when they carry the same labels (the same
            labels select the same services), and only when asked for."""
            nonlocal new_keys
            if pod is not new and not _same_labels(old, new):
                return keys(pod)
            if new_keys is None:
                new_keys = keys(new)
            return new_keys

        changed = services_to_update(old, new, pod_keys, answers.changed)
        controller.changed.update(changed)
        _enqueue(controller, changed, lambda: pod_keys(old) | pod_keys(new))

    controller.informers.informer_for("pods").add_event_handler(
        on_add=on_add, on_update=on_update, on_delete=on_add
    )
    return memberships


def _same_labels(old: Obj, new: Obj) -> bool:
    """Whether both pods are in the same namespace with the same labels (so the same services
    select them)."""
    old_meta, new_meta = old.get("metadata") or {}, new["metadata"]
    return old_meta.get("namespace") == new_meta.get("namespace") and (
        old_meta.get("labels") or {}
    ) == (new_meta.get("labels") or {})


def _enqueue(controller: Any, changed: set[str], touched: Callable[[], set[str]]) -> None:
    """Enqueue `changed` after the batch period, or else at once every service `touched()`
    gives."""
    period = controller.endpoint_updates_batch_period
    if period > 0:
        for key in sorted(changed):
            controller.queue.add_after(key, period)
        return
    for key in sorted(touched()):  # every service the pod touches: the event order of old
        controller.enqueue(key)


def reconcile_if_changed(controller: Any, key: str, sync: Any) -> float | None:
    """Run `sync(key)` only if the service's inputs changed since its last sync.

    Events upstream ignores (our own writes, pod updates that move no endpoint) still enqueue
    their service, so the simulation runs the same steps in the same order as a controller
    that syncs on every event, but such a sync returns at once instead of recomputing every
    endpoint. A sync that raises stays marked and is retried."""
    if key not in controller.changed:
        return None
    controller.changed.discard(key)
    try:
        result: float | None = sync(key)
    except Exception:
        controller.changed.add(key)
        raise
    return result


class PodEntryCache:
    """Per service, what `compute(pod, svc)` gave for each of its pods, reused while neither
    object changed: informer objects are replaced on every change, never mutated, so the same
    objects give the same result (upstream compares endpoint hashes for the same purpose).
    Results are shared between syncs: do not mutate them."""

    def __init__(self, compute: Any):
        self.compute = compute
        self._by_service: dict[str, tuple[Obj, dict[str, tuple[Obj, Any]]]] = {}

    def __repr__(self) -> str:
        return f"<PodEntryCache services={len(self._by_service)}>"

    def values(self, svc: Obj, pods: list[Obj]) -> list[Any]:
        """`compute(pod, svc)` for every pod, in order; only the pods of the last call are kept."""
        meta = svc["metadata"]
        key = f"{meta.get('namespace')}/{meta['name']}"
        cached_svc, cached = self._by_service.get(key, (None, {}))
        if cached_svc is not svc:
            cached = {}
            self._by_service[key] = (svc, cached)
        compute, out = self.compute, []
        for pod in pods:
            name = pod["metadata"]["name"]
            hit = cached.get(name)
            if hit is None or hit[0] is not pod:
                hit = cached[name] = (pod, compute(pod, svc))
            out.append(hit[1])
        if len(cached) > len(pods):  # pods that left the service (names are unique)
            names = {pod["metadata"]["name"] for pod in pods}
            for name in [n for n in cached if n not in names]:
                del cached[name]
        return out

    def forget(self, service_key: str) -> None:
        """Drop what is kept for a deleted service."""
        self._by_service.pop(service_key, None)


def service_labels(svc: Obj) -> dict[str, str]:
    """The service's labels plus the headless marker, as both controllers copy them."""
    labels = dict(svc["metadata"].get("labels") or {})
    if is_headless(svc):
        labels[HEADLESS_LABEL] = ""
    else:
        labels.pop(HEADLESS_LABEL, None)
    return labels


class ServiceEndpointsController(Controller):
    """What the Endpoints and EndpointSlice controllers share: the batch period, the services
    whose inputs changed, the service and pod handlers, the per-pod entry cache and a
    `reconcile` that skips unchanged services. Subclasses set `entry` (a pod's endpoint for a
    service) and write `sync_service`."""

    entry: Callable[[Obj, Obj], Any]

    def __init__(self, *args: Any, endpoint_updates_batch_period: float = 0.0, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.endpoint_updates_batch_period = endpoint_updates_batch_period
        self.changed: set[str] = set()  # services whose inputs changed since their last sync
        self.watch("services", self._service_changed)
        self.memberships = pod_handlers(self)
        self.entries = PodEntryCache(self.entry)

    def _service_changed(self, svc: Obj) -> str:
        key = meta_namespace_key(svc)
        self.changed.add(key)
        return key

    def reconcile(self, key: str) -> float | None:
        return reconcile_if_changed(self, key, self.sync_service)

    def sync_service(self, key: str) -> float | None:
        raise NotImplementedError
