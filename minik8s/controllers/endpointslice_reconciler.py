"""The EndpointSlice reconciler as a pure function, mirroring
`staging/src/k8s.io/endpointslice/reconciler.go` (`reconcileByAddressType`,
`reconcileByPortMapping`, `getSliceToFill`, `finalize`: keep endpoints in the slice they are in,
delete slices that empty, fill the slices being updated, then the unchanged slice a remainder
fits best, then new slices, at most `maxEndpointsPerSlice` each; turn a delete plus a create into
an update) and `utils.go` (`podToEndpoint`, `getEndpointPorts`). Only slices whose endpoints
change are returned as updates. Left out: topology hints, IPv6, upstream's random set order.
"""

from __future__ import annotations

from typing import Any

from minik8s.controllers.endpoints import endpoint_ports
from minik8s.controllers.endpoints_util import (
    is_pod_ready,
    pod_ip,
    should_pod_be_in_endpoints,
    should_set_hostname,
)

Obj = dict[str, Any]


ZONE_LABEL = "topology.kubernetes.io/zone"  # upstream `v1.LabelTopologyZone`


def pod_to_endpoint(pod: Obj, svc: Obj, node: Obj | None = None) -> Obj:
    """upstream `podToEndpoint`: ready never true while terminating (unless publishing); the
    zone is the pod's node's `topology.kubernetes.io/zone` label."""
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
    zone = ((node or {}).get("metadata", {}).get("labels") or {}).get(ZONE_LABEL)
    if zone:
        endpoint["zone"] = zone
    return endpoint


EndpointEntry = tuple[list[Obj], str, Obj, str]  # (ports, ip, endpoint, ports key)


def endpoint_entry(pod: Obj, svc: Obj, node: Obj | None = None) -> EndpointEntry | None:
    """One pod's endpoint and the ports it serves (`node`: the pod's node, for its zone);
    None when it is left out."""
    if not should_pod_be_in_endpoints(pod, include_terminating=True):
        return None
    # a pod that resolves none of the ports still gets an endpoint, in a slice with no ports
    # (upstream `reconcileByAddressType` groups by `getEndpointPorts`, empty or not); the API
    # defaults an unnamed slice port to name "" (`SetDefaults_EndpointPort`)
    ports = [{"name": "", **p} for p in endpoint_ports(pod, svc) or []]
    return ports, pod_ip(pod), pod_to_endpoint(pod, svc, node), ports_key(ports)


def desired_endpoints(
    svc: Obj, pods: list[Obj], entries: list[EndpointEntry | None] | None = None
) -> dict[str, tuple[list[Obj], dict[str, Obj]]]:
    """Port-list key → (ports, {ip: endpoint}) for every pod that belongs in the slices, pods
    taken by name; `entries` are the sorted pods' `endpoint_entry`s when already known."""
    if entries is None:
        entries = [endpoint_entry(pod, svc) for pod in sort_by_name(pods)]
    groups: dict[str, tuple[list[Obj], dict[str, Obj]]] = {}
    for entry in entries:
        if entry is None:
            continue
        ports, ip, endpoint, key = entry
        group = groups.setdefault(key, (ports, {}))
        group[1][ip] = endpoint
    return groups


def sort_by_name(pods: list[Obj]) -> list[Obj]:
    """Pods in name order (the order endpoints are placed in)."""
    return sorted(pods, key=lambda p: p["metadata"]["name"])


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
    """Pure reconcile (`reconcileByAddressType` + `finalize`): (slices to create, slices to
    update, slices to delete). New slices have no name yet (`generateName`); updates are full
    slice objects. As upstream, a slice that would be deleted while another is created is
    updated into it instead, so a Service's slice keeps its name through a scale to zero (its
    placeholder) or a port change."""
    creates: list[Obj] = []
    updates: list[Obj] = []
    deletes: list[Obj] = []
    by_key: dict[str, list[Obj]] = {}
    for old in existing:
        by_key.setdefault(ports_key(old.get("ports") or []), []).append(old)
    groups = {key: group for key, group in groups.items() if group[1]}  # mappings with endpoints
    for key, olds in by_key.items():
        if key not in groups:
            deletes.extend(olds)
    for key, (ports, wanted) in groups.items():
        reconcile_port_mapping(
            by_key.get(key, []), ports, dict(wanted), limit, (creates, updates, deletes)
        )
    if len(deletes) == len(existing) and not creates:  # no slice would be left: a placeholder
        if len(deletes) == 1 and not deletes[0].get("endpoints") and not deletes[0].get("ports"):
            deletes.clear()  # the existing placeholder stays
        else:
            creates.append({"ports": [], "endpoints": []})
    while deletes and creates:  # `finalize`: updates instead of a delete and a create
        new = creates.pop()
        updates.append(dict(deletes.pop(0), ports=new["ports"], endpoints=new["endpoints"]))
    return creates, updates, deletes


def reconcile_port_mapping(
    olds: list[Obj],
    ports: list[Obj],
    desired: dict[str, Obj],
    limit: int,
    plan: tuple[list[Obj], list[Obj], list[Obj]],
) -> None:
    """upstream `reconcileByPortMapping` for the slices of one port list: keep each endpoint in
    its slice; fill the slices being updated, fullest first; then fill, for a remainder smaller
    than a slice, the unchanged slice it fits closest, else new slices. Endpoints are placed in
    IP order (upstream: set order)."""
    creates, updates, deletes = plan
    to_update: list[Obj] = []
    unchanged: list[Obj] = []
    for old in olds:
        kept = [desired.pop(ip) for ip in _ips(old) if ip in desired]
        if kept == (old.get("endpoints") or []):
            unchanged.append(old)
        elif kept:
            to_update.append(dict(old, endpoints=kept))
        else:
            deletes.append(old)
    left = sorted(desired.values(), key=lambda e: _ip_sort(e["addresses"][0]))
    for slice_ in sorted(to_update, key=lambda s: -len(s["endpoints"])):
        room = limit - len(slice_["endpoints"])
        slice_["endpoints"], left = slice_["endpoints"] + left[:room], left[room:]
    updates.extend(to_update)
    while left:
        fill = slice_to_fill(unchanged, len(left), limit) if len(left) < limit else None
        if fill is None:
            fill = {"ports": ports, "endpoints": []}
            creates.append(fill)
        else:
            unchanged.remove(fill)
            fill = dict(fill, endpoints=list(fill.get("endpoints") or []))
            updates.append(fill)
        room = limit - len(fill["endpoints"])
        fill["endpoints"], left = fill["endpoints"] + left[:room], left[room:]


def slice_to_fill(slices: list[Obj], count: int, limit: int) -> Obj | None:
    """upstream `getSliceToFill`: the slice that `count` more endpoints fill closest to the
    limit (None if they fit in none)."""
    best, closest = None, limit
    for slice_ in slices:
        diff = limit - (count + len(slice_.get("endpoints") or []))
        if 0 <= diff < closest:
            best, closest = slice_, diff
            if diff == 0:
                break
    return best


def _ips(slice_: Obj) -> list[str]:
    return [e["addresses"][0] for e in slice_.get("endpoints") or [] if e.get("addresses")]


def _ip_sort(ip: str) -> tuple[int, ...]:
    return tuple(int(x) for x in ip.split(".")) if ip.count(".") == 3 else (0,)
