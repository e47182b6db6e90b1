"""Pods and nodes as upstream's scheduler tests build them (`st.MakePod`, `st.MakeNode`)."""

from __future__ import annotations

from typing import Any

from minik8s.scheduler.framework import CycleState
from minik8s.scheduler.types import NodeInfo, PodInfo

Obj = dict[str, Any]


def pod(*requests: dict[str, str], node: str = "", name: str = "p", **spec: Any) -> Obj:
    """`st.MakePod().Req(r1).Req(r2)`: one container per request map (none: no containers)."""
    containers = [
        {"name": f"c{i}", "image": "pause", "resources": {"requests": dict(r)} if r else {}}
        for i, r in enumerate(requests)
    ]
    body: Obj = {"containers": containers, **spec}
    if node:
        body["nodeName"] = node
    labels = body.pop("labels", {})
    namespace = body.pop("namespace", "default")
    return {"metadata": {"name": name, "namespace": namespace, "labels": labels}, "spec": body}


def node(
    name: str,
    capacity: dict[str, str] | None = None,
    labels: dict[str, str] | None = None,
    **spec: Any,
) -> Obj:
    """`st.MakeNode().Name(n).Capacity(c)`: capacity and allocatable both set."""
    return {
        "metadata": {"name": name, "labels": labels or {}},
        "spec": spec,
        "status": {"capacity": dict(capacity or {}), "allocatable": dict(capacity or {})},
    }


def infos(nodes: list[Obj], pods: list[Obj] = ()) -> list[NodeInfo]:  # type: ignore[assignment]
    """NodeInfos with the existing pods placed by `spec.nodeName` (`cache.NewSnapshot`)."""
    result = {n["metadata"]["name"]: NodeInfo(n) for n in nodes}
    for i, p in enumerate(pods):
        p = {**p, "metadata": {**p["metadata"], "name": f"{p['metadata']['name']}-{i}"}}
        result[p["spec"]["nodeName"]].add_pod(PodInfo(p))
    return list(result.values())


def scores(plugin: Any, incoming: Obj, nodes: list[NodeInfo], normalize: bool = True) -> list[int]:
    """PreScore + Score (+ NormalizeScore) for each node, as the framework runs them."""
    state = CycleState()
    info = PodInfo(incoming)
    if hasattr(plugin, "pre_filter"):
        plugin.pre_filter(state, info, nodes)
    status = plugin.pre_score(state, info, nodes) if hasattr(plugin, "pre_score") else None
    assert status is None, status
    result = [plugin.score(state, info, n) for n in nodes]
    if normalize and hasattr(plugin, "normalize_score"):
        plugin.normalize_score(state, info, result)
    return result
