"""Hand-made Kubernetes-shaped objects for the diagram tests (no cluster needed)."""

from __future__ import annotations

from typing import Any

Obj = dict[str, Any]


def meta(name: str, uid: str, namespace: str | None = "shop", **extra: Any) -> Obj:
    """ObjectMeta with a fixed uid."""
    out: Obj = {"name": name, "uid": uid, **extra}
    if namespace:
        out["namespace"] = namespace
    return out


def owner(kind: str, name: str, uid: str) -> list[Obj]:
    """A controller ownerReference."""
    return [{"apiVersion": "v1", "kind": kind, "name": name, "uid": uid, "controller": True}]


def ready_node(name: str, ready: str = "True") -> Obj:
    """A Node with a Ready condition."""
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": meta(name, f"uid-{name}", None),
        "status": {"conditions": [{"type": "Ready", "status": ready}]},
    }


def pod(name: str, node: str | None, phase: str, **meta_extra: Any) -> Obj:
    """A pod of the web ReplicaSet."""
    spec: Obj = {"containers": [{"name": "web", "image": "nginx"}]}
    if node:
        spec["nodeName"] = node
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta(
            name,
            f"uid-{name}",
            labels={"app": "web"},
            ownerReferences=owner("ReplicaSet", "web-7d4b9", "uid-rs"),
            **meta_extra,
        ),
        "spec": spec,
        "status": {"phase": phase},
    }


def shop() -> list[Obj]:
    """A Deployment with four pods in four states, a Service with a slice, a PVC bound to a PV."""
    return [
        ready_node("node-1"),
        ready_node("node-2", "False"),
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": meta("web", "uid-deploy"),
            "spec": {"replicas": 4},
            "status": {"readyReplicas": 2},
        },
        {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": meta(
                "web-7d4b9", "uid-rs", ownerReferences=owner("Deployment", "web", "uid-deploy")
            ),
            "spec": {"replicas": 4},
        },
        pod("web-7d4b9-aaaaa", "node-1", "Running"),
        pod("web-7d4b9-bbbbb", "node-2", "Failed"),
        pod("web-7d4b9-ccccc", None, "Pending"),
        pod("web-7d4b9-ddddd", "node-1", "Running", deletionTimestamp="2025-01-01T00:01:00Z"),
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": meta("web", "uid-svc"),
            "spec": {"selector": {"app": "web"}, "clusterIP": "10.96.0.10"},
        },
        {
            "apiVersion": "discovery.k8s.io/v1",
            "kind": "EndpointSlice",
            "metadata": meta(
                "web-abcde",
                "uid-slice",
                labels={"kubernetes.io/service-name": "web"},
                ownerReferences=owner("Service", "web", "uid-svc"),
            ),
            "endpoints": [{"targetRef": {"kind": "Pod", "name": "web-7d4b9-aaaaa"}}],
        },
        {
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": meta("data", "uid-pvc"),
            "spec": {"volumeName": "pv-1"},
            "status": {"phase": "Bound"},
        },
        {
            "apiVersion": "v1",
            "kind": "PersistentVolume",
            "metadata": meta("pv-1", "uid-pv", None),
            "status": {"phase": "Bound"},
        },
        {"apiVersion": "v1", "kind": "Event", "metadata": meta("ev", "uid-ev")},
    ]
