"""The object graph: who owns, selects, mounts and binds whom, pods grouped by node.

Mirrors the relations upstream keeps in the objects themselves: `metadata.ownerReferences`
(Deployment → ReplicaSet → Pod, StatefulSet/DaemonSet/Job → Pod, CronJob → Job, Service →
EndpointSlice), EndpointSlice `endpoints[].targetRef`, a Service's `spec.selector`, a pod's
`spec.volumes` and env references, a StatefulSet's claim names (`<template>-<set>-<ordinal>`),
`PersistentVolumeClaim.spec.volumeName` and Ingress backends. Pods sit in their node's box and are
coloured by status. Left out: kinds without a drawn relation (Event, Lease, Namespace, ...).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from minik8s.api.labels import selector_from_set
from minik8s.viz.render import Diagram
from minik8s.viz.status import node_status, pod_phase, pod_status
from minik8s.viz.style import Sketch, colours, text

Obj = dict[str, Any]
KIND_ORDER = (
    "Ingress", "Service", "CronJob", "Deployment", "StatefulSet", "DaemonSet", "Job",
    "ReplicaSet", "EndpointSlice", "Endpoints", "Pod", "ConfigMap", "Secret",
    "PersistentVolumeClaim", "PersistentVolume", "StorageClass",
)  # fmt: skip
CATEGORY_FILL = {
    **dict.fromkeys(("CronJob", "Deployment", "StatefulSet", "DaemonSet", "Job"), "#e3f2fd"),
    "ReplicaSet": "#e3f2fd",
    **dict.fromkeys(("Ingress", "Service", "EndpointSlice", "Endpoints"), "#ede7f6"),
    **dict.fromkeys(("ConfigMap", "Secret"), "#f1f8e9"),
    **dict.fromkeys(("PersistentVolumeClaim", "PersistentVolume", "StorageClass"), "#efebe9"),
}
SHAPES = {
    "Service": "ellipse", "Ingress": "ellipse", "EndpointSlice": "ellipse",
    "Endpoints": "ellipse", "ConfigMap": "note", "Secret": "note",
    "PersistentVolumeClaim": "cylinder", "PersistentVolume": "cylinder",
}  # fmt: skip
MAX_PODS_PER_BOX = 12


def node_id(obj: Obj) -> str:
    """The DOT node id of an object: `Kind/namespace/name`."""
    meta = obj.get("metadata", {})
    return f"{obj['kind']}/{meta.get('namespace', '')}/{meta['name']}"


def _sort_key(obj: Obj) -> tuple[int, str, str]:
    meta = obj.get("metadata", {})
    return (KIND_ORDER.index(obj["kind"]), meta.get("namespace", ""), meta["name"])


def object_graph(objects: Iterable[Obj], *, title: str = "") -> Diagram:
    """The graph of Kubernetes-shaped dicts: owners above dependents, pods in node boxes."""
    objs = list(objects)
    nodes = sorted(
        (o for o in objs if o.get("kind") == "Node"), key=lambda n: n["metadata"]["name"]
    )
    drawn = sorted((o for o in objs if o.get("kind") in KIND_ORDER), key=_sort_key)
    namespaces = {o["metadata"].get("namespace") for o in drawn} - {None}
    sketch = Sketch("objects", label=text(title) if title else "", labelloc="t")
    ids = {node_id(o) for o in drawn}
    pods_by_node: dict[str, list[Obj]] = {n["metadata"]["name"]: [] for n in nodes}
    for obj in drawn:
        node_name = obj.get("spec", {}).get("nodeName") if obj["kind"] == "Pod" else None
        if node_name:
            pods_by_node.setdefault(node_name, []).append(obj)
        else:
            _add_object(sketch, obj, len(namespaces) > 1)
    status = {n["metadata"]["name"]: node_status(n) for n in nodes}
    for name, pods in sorted(pods_by_node.items()):
        _node_box(sketch, name, status.get(name, "Unknown"), pods, len(namespaces) > 1, ids)
    seen: set[tuple[str, str]] = set()
    for tail, head, attrs in _relations(drawn, ids):
        if (tail, head) not in seen and tail in ids and head in ids:
            seen.add((tail, head))
            sketch.edge(tail, head, **attrs)
    return sketch.diagram("objects")


def _node_box(
    sketch: Sketch, name: str, status: str, pods: list[Obj], show_ns: bool, ids: set[str]
) -> None:
    fill, border = colours(status)
    label = text(f"node {name} · {status}", "节点")
    with sketch.cluster(f"node_{name}", label, color=border, bgcolor="#fafafa") as box:
        for pod in pods[:MAX_PODS_PER_BOX]:
            _add_object(box, pod, show_ns)
        if len(pods) > MAX_PODS_PER_BOX:
            box.node(f"{name}/more", text(f"+{len(pods) - MAX_PODS_PER_BOX} more pods"))
        if not pods:
            box.node(f"{name}/empty", text("no pods"), shape="plain", style="")
    for pod in pods[MAX_PODS_PER_BOX:]:
        ids.discard(node_id(pod))


def _add_object(sketch: Sketch, obj: Obj, show_ns: bool) -> None:
    meta = obj["metadata"]
    name = (
        f"{meta['namespace']}/{meta['name']}" if show_ns and meta.get("namespace") else meta["name"]
    )
    kind = obj["kind"]
    lines = [kind, name, *_details(obj)]
    if kind == "Pod":
        fill, border = colours(pod_phase(obj))
        sketch.node(
            node_id(obj), text(*lines), style="rounded,filled", fillcolor=fill, color=border
        )
        return
    style = "filled" if kind in SHAPES else "rounded,filled"
    shape = SHAPES.get(kind, "box")
    sketch.node(node_id(obj), text(*lines), shape=shape, style=style, fillcolor=CATEGORY_FILL[kind])


def _details(obj: Obj) -> list[str]:
    kind, spec, status = obj["kind"], obj.get("spec", {}), obj.get("status", {})
    if kind == "Pod":
        ip = status.get("podIP")
        return [pod_status(obj) + (f" · {ip}" if ip else "")]
    if kind in ("Deployment", "ReplicaSet", "StatefulSet"):
        return [f"ready {status.get('readyReplicas', 0)}/{spec.get('replicas', 1)}"]
    if kind == "DaemonSet":
        return [f"ready {status.get('numberReady', 0)}/{status.get('desiredNumberScheduled', 0)}"]
    if kind == "Job":
        return [f"succeeded {status.get('succeeded', 0)}/{spec.get('completions', 1)}"]
    if kind == "CronJob":
        return [str(spec.get("schedule", ""))]
    if kind == "Service":
        return [f"{spec.get('type', 'ClusterIP')} {spec.get('clusterIP', '')}".strip()]
    if kind in ("PersistentVolumeClaim", "PersistentVolume"):
        return [str(status.get("phase", "Pending"))]
    return []


def _ref_id(kind: str, namespace: str, name: str) -> str:
    return f"{kind}/{namespace}/{name}"


def _relations(objs: list[Obj], ids: set[str]) -> Iterator[tuple[str, str, dict[str, str]]]:
    by_uid = {o["metadata"].get("uid"): node_id(o) for o in objs if o["metadata"].get("uid")}
    served = set()
    for obj in objs:
        meta, oid = obj["metadata"], node_id(obj)
        ns = meta.get("namespace", "")
        for ref in meta.get("ownerReferences") or []:
            owner = by_uid.get(ref.get("uid")) or _ref_id(ref["kind"], ns, ref["name"])
            yield owner, oid, {}
        if obj["kind"] == "EndpointSlice":
            service = (meta.get("labels") or {}).get("kubernetes.io/service-name")
            if service:
                served.add(_ref_id("Service", ns, service))
                yield _ref_id("Service", ns, service), oid, {}
            for ep in obj.get("endpoints") or []:
                yield from _target(oid, ep.get("targetRef"), ns)
        if obj["kind"] == "Endpoints":
            served.add(_ref_id("Service", ns, meta["name"]))
            yield _ref_id("Service", ns, meta["name"]), oid, {}
            for subset in obj.get("subsets") or []:
                for address in subset.get("addresses") or []:
                    yield from _target(oid, address.get("targetRef"), ns)
        yield from _uses(obj, oid, ns, objs)
    yield from _selections(objs, served)


def _target(oid: str, ref: Obj | None, ns: str) -> Iterator[tuple[str, str, dict[str, str]]]:
    if ref and ref.get("kind", "Pod") == "Pod":
        yield oid, _ref_id("Pod", ref.get("namespace", ns), ref["name"]), {"color": "#5e35b1"}


def _uses(
    obj: Obj, oid: str, ns: str, objs: list[Obj]
) -> Iterator[tuple[str, str, dict[str, str]]]:
    kind, spec = obj["kind"], obj.get("spec", {})
    dotted = {"style": "dashed", "arrowhead": "open"}
    if kind == "Pod":
        for volume in spec.get("volumes") or []:
            if "persistentVolumeClaim" in volume:
                claim = volume["persistentVolumeClaim"].get("claimName", "")
                yield oid, _ref_id("PersistentVolumeClaim", ns, claim), dotted
            for ref_kind, key, field in (("ConfigMap", "configMap", "name"),
                                         ("Secret", "secret", "secretName")):  # fmt: skip
                if key in volume:
                    yield oid, _ref_id(ref_kind, ns, volume[key].get(field, "")), dotted
        for ref_kind, name in _env_refs(spec):
            yield oid, _ref_id(ref_kind, ns, name), dotted
    if kind == "PersistentVolumeClaim" and spec.get("volumeName"):
        yield oid, _ref_id("PersistentVolume", "", spec["volumeName"]), {"label": "bound"}
    if kind == "Ingress":
        for name in _ingress_services(spec):
            yield oid, _ref_id("Service", ns, name), {}
    if kind == "StatefulSet":
        for template in spec.get("volumeClaimTemplates") or []:
            prefix = f"{template['metadata']['name']}-{obj['metadata']['name']}-"
            for other in objs:
                name = other["metadata"]["name"]
                if other["kind"] == "PersistentVolumeClaim" and name.startswith(prefix):
                    yield oid, node_id(other), dotted


def _env_refs(spec: Obj) -> Iterator[tuple[str, str]]:
    for container in (spec.get("initContainers") or []) + (spec.get("containers") or []):
        for source in container.get("envFrom") or []:
            for ref_kind, key in (("ConfigMap", "configMapRef"), ("Secret", "secretRef")):
                if key in source:
                    yield ref_kind, source[key].get("name", "")
        for env in container.get("env") or []:
            value_from = env.get("valueFrom") or {}
            for ref_kind, key in (("ConfigMap", "configMapKeyRef"), ("Secret", "secretKeyRef")):
                if key in value_from:
                    yield ref_kind, value_from[key].get("name", "")


def _ingress_services(spec: Obj) -> Iterator[str]:
    backends = [spec.get("defaultBackend") or {}]
    for rule in spec.get("rules") or []:
        backends += [p.get("backend") or {} for p in (rule.get("http") or {}).get("paths") or []]
    for backend in backends:
        if "service" in backend:
            yield backend["service"]["name"]


def _selections(objs: list[Obj], served: set[str]) -> Iterator[tuple[str, str, dict[str, str]]]:
    pods = [o for o in objs if o["kind"] == "Pod"]
    for svc in objs:
        selector = svc.get("spec", {}).get("selector") if svc["kind"] == "Service" else None
        if not selector or node_id(svc) in served:
            continue
        match = selector_from_set(selector)
        ns = svc["metadata"].get("namespace", "")
        for pod in pods:
            labels = pod["metadata"].get("labels") or {}
            if pod["metadata"].get("namespace", "") == ns and match.matches(labels):
                yield node_id(svc), node_id(pod), {"style": "dashed", "label": "selects"}
