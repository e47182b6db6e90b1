"""The Endpoints controller, mirroring `pkg/controller/endpoint/endpoints_controller.go`
(`syncService`, `addEndpointSubset`, `podToEndpointAddressForService`) and
`pkg/api/v1/endpoints/util.go` (`RepackSubsets`).

For every Service with a selector, one Endpoints object of the same name lists the selected pods'
IPs: `addresses` for ready pods (or all of them with `publishNotReadyAddresses`),
`notReadyAddresses` for the others, with the ports each pod resolves (`targetPort` by name per
pod, so pods may differ: `RepackSubsets` puts ports served by the same addresses in one
subset). A headless Service without ports still lists addresses. Over 1000 addresses are
truncated (ready ones first, in proportion per subset) and the Endpoints annotated
`endpoints.kubernetes.io/over-capacity: truncated`.
A service's pods come from label indices, not a scan of the namespace (`endpoints_util.py`);
a sync whose inputs did not change returns at once, and `endpoint_updates_batch_period`
(upstream `--endpoint-updates-batch-period`, default 0) joins a window of pod changes into one.
The `endpoints.kubernetes.io/last-change-trigger-time` annotation comes from
`endpoints_trigger.py`; like upstream, it alone never causes a write.
Left out: dual-stack, events on failures; upstream orders ports and subsets by a hash of
their content, here by name and port, and by first address.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.errors import NotFound
from minik8s.client.cache import meta_namespace_key, split_meta_namespace_key
from minik8s.controllers.endpoints_trigger import (
    LAST_CHANGE_TRIGGER_TIME,
    TriggerTimeTracker,
    set_trigger_time,
)
from minik8s.controllers.endpoints_util import (
    ServiceEndpointsController,
    find_port,
    is_pod_ready,
    pod_ip,
    service_labels,
    should_pod_be_in_endpoints,
    should_set_hostname,
)

Obj = dict[str, Any]
MAX_CAPACITY = 1000
OVER_CAPACITY = "endpoints.kubernetes.io/over-capacity"


def endpoint_address(pod: Obj, svc: Obj) -> Obj:
    """upstream `podToEndpointAddressForService`."""
    meta = pod["metadata"]
    address: Obj = {"ip": pod_ip(pod)}
    if should_set_hostname(pod, svc):
        address["hostname"] = pod["spec"]["hostname"]
    if (pod.get("spec") or {}).get("nodeName"):
        address["nodeName"] = pod["spec"]["nodeName"]
    address["targetRef"] = {
        "kind": "Pod",
        "namespace": meta.get("namespace"),
        "name": meta["name"],
        "uid": meta.get("uid"),
    }
    return address


def endpoint_ports(pod: Obj, svc: Obj) -> list[Obj] | None:
    """The ports this pod serves for the service; None when it resolves none of them."""
    ports = []
    for service_port in (svc.get("spec") or {}).get("ports") or []:
        number = find_port(pod, service_port)
        if number is None:
            continue
        port: Obj = {"port": number, "protocol": service_port.get("protocol") or "TCP"}
        if service_port.get("name"):
            port["name"] = service_port["name"]
        if service_port.get("appProtocol"):
            port["appProtocol"] = service_port["appProtocol"]
        ports.append(port)
    return ports or None


AddressEntry = tuple[str, list[Obj], Obj, bool, tuple[str, str]]
# (ports key, ports, address, ready, the address's key: IP and pod uid)


def address_entry(pod: Obj, svc: Obj) -> AddressEntry | None:
    """One pod's place in the service's Endpoints; None when it is left out."""
    spec = svc.get("spec") or {}
    tolerate = bool(spec.get("publishNotReadyAddresses"))
    if not should_pod_be_in_endpoints(pod, include_terminating=tolerate):
        return None
    if spec.get("ports"):
        ports = endpoint_ports(pod, svc)
        if ports is None:
            return None
    elif spec.get("clusterIP") == "None":
        ports = []
    else:
        return None
    key = repr(sorted(sorted(p.items()) for p in ports))
    address = endpoint_address(pod, svc)
    ready = tolerate or is_pod_ready(pod)
    return key, ports, address, ready, (address["ip"], pod["metadata"].get("uid") or "")


AddressSet = dict[tuple[str, str], tuple[Obj, bool]]  # (IP, uid) → (address, ready)


def desired_subsets(
    svc: Obj, pods: list[Obj], entries: list[AddressEntry | None] | None = None
) -> list[Obj]:
    """The subsets of a service's Endpoints: `syncService`'s one subset per pod and port, packed
    by `RepackSubsets` (ports offered by the same addresses share a subset); addresses in
    `LessEndpointAddress` order (the IP as a string, then the pod's uid). `entries` are the
    pods' `address_entry`s when already known."""
    if entries is None:
        entries = [address_entry(pod, svc) for pod in pods]
    groups: dict[tuple[Any, ...], tuple[AddressSet, list[Obj]]] = {}
    for port, addresses in _addresses_by_port(entries).values():
        set_key = tuple(sorted((key, ready) for key, (_, ready) in addresses.items()))
        group = groups.setdefault(set_key, (addresses, []))
        if port is not None:
            group[1].append(port)
    subsets = []
    for addresses, ports in groups.values():
        subset: Obj = {}
        in_order = [addresses[key] for key in sorted(addresses)]
        ready_ones = [address for address, ready in in_order if ready]
        not_ready_ones = [address for address, ready in in_order if not ready]
        if ready_ones:
            subset["addresses"] = ready_ones
        if not_ready_ones:
            subset["notReadyAddresses"] = not_ready_ones
        if ports:
            subset["ports"] = sorted(ports, key=lambda p: (p.get("name", ""), p["port"]))
        subsets.append(subset)
    return sorted(subsets, key=_subset_key)


def _addresses_by_port(
    entries: list[AddressEntry | None],
) -> dict[str, tuple[Obj | None, AddressSet]]:
    """`RepackSubsets`' `mapAddressByPort`: each port (None: the sentinel of a headless service
    without ports) → the addresses offering it; not ready trumps ready."""
    by_port: dict[str, tuple[Obj | None, AddressSet]] = {}
    for entry in entries:
        if entry is None:
            continue
        _, ports, address, ready, address_key = entry
        sentinel: list[Obj | None] = [None]
        for port in [*ports] or sentinel:
            port_key = repr(sorted(port.items())) if port is not None else ""
            addresses = by_port.setdefault(port_key, (port, {}))[1]
            was = addresses.get(address_key)
            if was is None or was[1]:
                addresses[address_key] = (address, ready)
    return by_port


def _subset_key(subset: Obj) -> tuple[Any, ...]:
    """Upstream orders subsets by a hash of their content; here by their first address."""
    first = (subset.get("addresses") or subset.get("notReadyAddresses") or [{"ip": ""}])[0]
    return (first["ip"], repr(subset.get("ports")))


def truncate(subsets: list[Obj], limit: int = MAX_CAPACITY) -> tuple[list[Obj], bool]:
    """upstream `truncateEndpoints`: over `limit` addresses, keep ready ones first, each subset
    its share (rounded up) of what is kept. A subset left with no address is dropped (upstream
    keeps it, and the API server then rejects the write)."""
    ready = sum(len(s.get("addresses") or []) for s in subsets)
    not_ready = sum(len(s.get("notReadyAddresses") or []) for s in subsets)
    if ready + not_ready <= limit:
        return subsets, False
    truncate_ready = ready > limit
    maximum, total = (limit, ready) if truncate_ready else (limit - ready, not_ready)
    field = "addresses" if truncate_ready else "notReadyAddresses"
    can_be_added, out = maximum, []
    for subset in subsets:
        subset = dict(subset)
        in_subset = subset.get(field) or []
        to_be_added = min(-(-len(in_subset) * maximum // total), can_be_added)
        subset[field] = in_subset[:to_be_added]
        can_be_added -= len(subset[field])
        if truncate_ready:
            subset["notReadyAddresses"] = []
        for name in ("addresses", "notReadyAddresses"):
            if not subset.get(name):
                subset.pop(name, None)
        if subset.get("addresses") or subset.get("notReadyAddresses"):
            out.append(subset)
    return out, True


class EndpointsController(ServiceEndpointsController):
    """Writes one Endpoints per selecting Service; a pod event enqueues its services."""

    name = "endpoints-controller"
    entry = staticmethod(address_entry)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.written: dict[str, str] = {}  # service key → resourceVersion of our last write
        self.trigger_times = TriggerTimeTracker()
        self.informers.informer_for("endpoints").add_event_handler(
            on_add=self._endpoints_changed,
            on_update=lambda _old, new: self._endpoints_changed(new),
            on_delete=self._endpoints_deleted,
        )

    def _endpoints_changed(self, endpoints: Obj) -> None:
        """Upstream only watches deletions; an Endpoints as we wrote it changes nothing."""
        key = meta_namespace_key(endpoints)
        if endpoints["metadata"].get("resourceVersion") != self.written.get(key):
            self.changed.add(key)
        self.enqueue(key)

    def _endpoints_deleted(self, endpoints: Any) -> None:
        key = meta_namespace_key(endpoints)
        self.written.pop(key, None)
        self.changed.add(key)
        self.enqueue(key)

    def sync_service(self, key: str) -> float | None:
        """upstream `syncService`: write the Endpoints of the service `key`."""
        namespace, name = split_meta_namespace_key(key)
        try:
            svc = self.informers.lister_for("services").get(namespace, name)
        except NotFound:
            self.entries.forget(key)
            self.trigger_times.delete(key)
            self._delete_endpoints(namespace, name)
            return None
        spec = svc.get("spec") or {}
        if spec.get("type") == "ExternalName":
            return None  # ExternalName services receive no endpoints (issues.k8s.io/105986)
        if not spec.get("selector"):
            return None  # selectorless: the user manages the Endpoints
        pods = self.memberships.pods_for(svc)
        trigger_time = self.trigger_times.compute(svc, pods)
        entries = self.entries.values(svc, pods)
        subsets, truncated = truncate(desired_subsets(svc, pods, entries))
        self._write(svc, subsets, truncated, trigger_time)
        return None

    def _write(self, svc: Obj, subsets: list[Obj], truncated: bool, trigger_time: str) -> None:
        namespace, name = svc["metadata"]["namespace"], svc["metadata"]["name"]
        try:
            current = self.informers.lister_for("endpoints").get(namespace, name)
        except NotFound:
            current = None
        labels = service_labels(svc)
        annotations = dict((current or {}).get("metadata", {}).get("annotations") or {})
        if truncated:
            annotations[OVER_CAPACITY] = "truncated"
        else:
            annotations.pop(OVER_CAPACITY, None)
        if current is not None:
            meta = current["metadata"]
            if (
                (current.get("subsets") or []) == subsets
                and (meta.get("labels") or {}) == labels
                and _without_trigger(meta.get("annotations") or {}) == _without_trigger(annotations)
            ):
                return
        set_trigger_time(annotations, trigger_time)
        body: Obj = {
            "apiVersion": "v1",
            "kind": "Endpoints",
            "metadata": {"name": name, "namespace": namespace, "labels": labels},
            "subsets": subsets,
        }
        if annotations:
            body["metadata"]["annotations"] = annotations
        if current is None:
            written = self.client.create("endpoints", body, namespace)
        else:
            body["metadata"]["resourceVersion"] = current["metadata"]["resourceVersion"]
            written = self.client.update("endpoints", body, namespace)
        self.written[f"{namespace}/{name}"] = written["metadata"]["resourceVersion"]

    def _delete_endpoints(self, namespace: str, name: str) -> None:
        try:
            self.client.delete("endpoints", name, namespace)
        except NotFound:
            pass


def _without_trigger(annotations: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in annotations.items() if k != LAST_CHANGE_TRIGGER_TIME}
