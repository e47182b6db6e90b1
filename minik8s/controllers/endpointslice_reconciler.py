"""The EndpointSlice reconciler as a pure function, mirroring
`staging/src/k8s.io/endpointslice/reconciler.go` (`reconcileByAddressType`: keep endpoints in
the slice they are in, delete slices that empty, fill slices with room before creating new ones,
at most `maxEndpointsPerSlice` each) and `utils.go` (`podToEndpoint`, `getEndpointPorts`).
Only slices whose endpoints change are returned as updates. Left out: the placement heuristics
of `reconcileByPortMapping` beyond fill-then-create, topology hints, IPv6.
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
                if not any(u is slice_ for u in updates):
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
