"""`kubectl describe node`: conditions, addresses, capacity, system info and allocated resources.

Mirrors `NodeDescriber` of `k8s.io/kubectl/pkg/describe/describe.go` with `describeNodeResource`
(per-pod requests/limits and their share of allocatable, truncated percentages). Quantities are
read with a small parser here (SI and binary suffixes); totals print in upstream's canonical
form for whole units (`500m`, `1`, `2Gi`). The Lease section reads the node's Lease in
`kube-node-lease` like `describeNodeLease`. Leaves out volumes in use, and pod requests count
regular containers only (no init-container maximum, no pod overhead).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from minik8s.api import errors
from minik8s.kubectl.describe_base import (
    PrefixWriter,
    annotations_multiline,
    describe_events,
    labels_multiline,
    rfc1123z,
)
from minik8s.kubectl.printers_misc import node_roles
from minik8s.kubectl.table import since

Obj = dict[str, Any]
Alloc = dict[str, Decimal]
NAMESPACE_NODE_LEASE = "kube-node-lease"
_STANDARD = ("cpu", "memory", "ephemeral-storage", "pods")  # IsStandardContainerResourceName, pods

_SUFFIX = {
    "n": Decimal("1e-9"),
    "u": Decimal("1e-6"),
    "m": Decimal("1e-3"),
    "": Decimal(1),
    "k": Decimal(10**3),
    "M": Decimal(10**6),
    "G": Decimal(10**9),
    "T": Decimal(10**12),
    "P": Decimal(10**15),
    "E": Decimal(10**18),
    "Ki": Decimal(2**10),
    "Mi": Decimal(2**20),
    "Gi": Decimal(2**30),
    "Ti": Decimal(2**40),
    "Pi": Decimal(2**50),
    "Ei": Decimal(2**60),
}


def _quantity(text: Any) -> Decimal:
    match = re.fullmatch(r"([0-9.]+(?:[eE][-+]?[0-9]+)?)([a-zA-Z]*)", str(text or "0"))
    if not match or match.group(2) not in _SUFFIX:
        return Decimal(0)
    return Decimal(match.group(1)) * _SUFFIX[match.group(2)]


def _format(resource: str, value: Decimal) -> str:
    if resource == "cpu":
        milli = int((value * 1000).to_integral_value(rounding="ROUND_CEILING"))
        return str(milli // 1000) if milli % 1000 == 0 else f"{milli}m"
    whole = int(value.to_integral_value(rounding="ROUND_CEILING"))
    for suffix, size in (
        ("Ei", 2**60),
        ("Pi", 2**50),
        ("Ti", 2**40),
        ("Gi", 2**30),
        ("Mi", 2**20),
        ("Ki", 2**10),
    ):
        if whole and whole % size == 0:
            return f"{whole // size}{suffix}"
    return str(whole)


def _pod_totals(pod: Obj, field: str) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for c in (pod.get("spec") or {}).get("containers") or []:
        for name, value in ((c.get("resources") or {}).get(field) or {}).items():
            totals[name] = totals.get(name, Decimal(0)) + _quantity(value)
    return totals


def _pct(value: Decimal, allocatable: Decimal) -> int:
    return int(value / allocatable * 100) if allocatable else 0


def _share(resource: str, value: Decimal, alloc: dict[str, Decimal]) -> str:
    return f"{_format(resource, value)} ({_pct(value, alloc.get(resource, Decimal(0)))}%)"


def _node_pods(w: PrefixWriter, client: Any, node: Obj) -> None:
    name = (node.get("metadata") or {}).get("name")
    pods = [
        p
        for p in client.list("pods").get("items") or []
        if (p.get("spec") or {}).get("nodeName") == name
        and (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")
    ]
    status = node.get("status") or {}
    alloc = {
        k: _quantity(v)
        for k, v in (status.get("allocatable") or status.get("capacity") or {}).items()
    }
    w.write(0, f"Non-terminated Pods:\t({len(pods)} in total)\n")
    w.write(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n")
    w.write(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n")
    totals = {"requests": {}, "limits": {}}  # type: dict[str, dict[str, Decimal]]
    for pod in pods:
        meta = pod.get("metadata") or {}
        cells = [meta.get("namespace", ""), meta.get("name", ""), ""]
        per = {f: _pod_totals(pod, f) for f in ("requests", "limits")}
        for field, values in per.items():
            for resource, value in values.items():
                totals[field][resource] = totals[field].get(resource, Decimal(0)) + value
        for resource in ("cpu", "memory"):
            for field in ("requests", "limits"):
                cells.append(_share(resource, per[field].get(resource, Decimal(0)), alloc))
        cells.append(since(w.now, meta.get("creationTimestamp")))
        w.write(1, "\t".join(cells) + "\n")
    _allocated(w, totals, alloc)


def _allocated(w: PrefixWriter, totals: dict[str, dict[str, Decimal]], alloc: Alloc) -> None:
    """The "Allocated resources" table: standard resources, huge pages, then extended ones."""
    w.write(
        0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n"
    )
    w.write(1, "Resource\tRequests\tLimits\n")
    w.write(1, "--------\t--------\t------\n")
    huge = sorted(r for r in alloc if r.startswith("hugepages-"))
    for resource in ("cpu", "memory", "ephemeral-storage", *huge):
        cells = [resource]
        for field in ("requests", "limits"):
            value = totals[field].get(resource, Decimal(0))
            cells.append(_share(resource, value, alloc))
        w.write(1, "\t".join(cells) + "\n")
    for ext in sorted(r for r in alloc if r not in _STANDARD and not r.startswith("hugepages-")):
        cells = [
            ext,
            *(_format(ext, totals[f].get(ext, Decimal(0))) for f in ("requests", "limits")),
        ]
        w.write(1, "\t".join(cells) + "\n")


def _lease(w: PrefixWriter, client: Any, name: str) -> None:
    """`describeNodeLease` of the node's Lease in kube-node-lease (or why it is missing)."""
    try:
        lease = client.get("leases", name, NAMESPACE_NODE_LEASE)
    except errors.StatusError as err:
        w.write(0, f"Lease:\tFailed to get lease: {err.message}\n")
        return
    spec = lease.get("spec") or {}
    w.write(0, "Lease:\n")
    holder = spec.get("holderIdentity")
    w.write(1, f"HolderIdentity:\t{'<unset>' if holder is None else holder}\n")
    w.write(1, f"AcquireTime:\t{rfc1123z(spec.get('acquireTime'))}\n")
    w.write(1, f"RenewTime:\t{rfc1123z(spec.get('renewTime'))}\n")


def taint_to_string(taint: Obj) -> str:
    """upstream `Taint.ToString`: `key=value:effect`, `key:effect` without a value."""
    value = f"={taint['value']}" if taint.get("value") else ""
    return f"{taint.get('key', '')}{value}:{taint.get('effect', '')}"


def taints_multiline(w: PrefixWriter, title: str, taints: list[Obj] | None) -> None:
    """`printNodeTaintsMultiline`: one taint a line, sorted by `effect,key`."""
    w.write(0, f"{title}:\t")
    if not taints:
        w.line("<none>")
        return
    ordered = sorted(taints, key=lambda t: f"{t.get('effect', '')},{t.get('key', '')}")
    for i, taint in enumerate(ordered):
        if i:
            w.write(0, "\t")
        w.write(0, taint_to_string(taint) + "\n")


def kubelet_events(client: Any, name: str) -> list[Obj]:
    """The second events query of `NodeDescriber`: the kubelet's, whose involvedObject uid is
    the node's name (the node controller's carry the node's uid)."""
    try:
        items = client.list("events").get("items") or []
    except errors.StatusError:
        return []
    return [
        e
        for e in items
        if (e.get("involvedObject") or {}).get("kind") == "Node"
        and e["involvedObject"].get("name") == name
        and e["involvedObject"].get("uid") == name
    ]


def describe_node(w: PrefixWriter, node: Obj, events: list[Obj] | None, client: Any) -> None:
    """`NodeDescriber`."""
    meta, spec, status = (
        node.get("metadata") or {},
        node.get("spec") or {},
        node.get("status") or {},
    )
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Roles:\t{','.join(node_roles(node)) or '<none>'}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"CreationTimestamp:\t{rfc1123z(meta.get('creationTimestamp'))}\n")
    taints_multiline(w, "Taints", spec.get("taints"))
    w.write(0, f"Unschedulable:\t{'true' if spec.get('unschedulable') else 'false'}\n")
    _lease(w, client, meta.get("name", ""))
    conditions = status.get("conditions") or []
    if conditions:
        w.write(
            0,
            "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n",
        )
        w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n")
        for c in conditions:
            w.write(
                1,
                f"{c.get('type')} \t{c.get('status')} \t"
                f"{rfc1123z(c.get('lastHeartbeatTime'))} \t"
                f"{rfc1123z(c.get('lastTransitionTime'))} \t{c.get('reason', '')} \t"
                f"{c.get('message', '')}\n",
            )
    w.write(0, "Addresses:\n")
    for addr in status.get("addresses") or []:
        w.write(1, f"{addr.get('type')}:\t{addr.get('address')}\n")
    for field, title in (("capacity", "Capacity"), ("allocatable", "Allocatable")):
        if status.get(field):
            w.write(0, f"{title}:\n")
            for name in sorted(status[field]):
                w.write(1, f"{name}:\t{status[field][name]}\n")
    info = status.get("nodeInfo") or {}
    w.write(0, "System Info:\n")
    for label, field in (
        ("Machine ID", "machineID"),
        ("System UUID", "systemUUID"),
        ("Boot ID", "bootID"),
        ("Kernel Version", "kernelVersion"),
        ("OS Image", "osImage"),
        ("Operating System", "operatingSystem"),
        ("Architecture", "architecture"),
        ("Container Runtime Version", "containerRuntimeVersion"),
        ("Kubelet Version", "kubeletVersion"),
        ("Kube-Proxy Version", "kubeProxyVersion"),
    ):
        w.write(1, f"{label}:\t{info.get(field, '')}\n")
    if spec.get("podCIDR"):
        w.write(0, f"PodCIDR:\t{spec['podCIDR']}\n")
    if spec.get("podCIDRs"):
        w.write(0, f"PodCIDRs:\t{','.join(spec['podCIDRs'])}\n")
    if spec.get("providerID"):
        w.write(0, f"ProviderID:\t{spec['providerID']}\n")
    _node_pods(w, client, node)
    if events is not None and meta.get("uid") != meta.get("name"):
        events = events + kubelet_events(client, meta.get("name", ""))
    describe_events(w, events)
