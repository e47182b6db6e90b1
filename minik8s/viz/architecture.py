"""The cluster architecture diagram: control plane on top, one box per node below.

Mirrors the "Components of Kubernetes" figure of the upstream documentation
(`content/en/docs/concepts/overview/components.md`): kube-apiserver, etcd, kube-scheduler and
kube-controller-manager in the control plane; kubelet, kube-proxy and the container runtime on
every node. The arrows say who talks to whom: every component watches and writes through the API
server, and only the API server talks to etcd. Left out: cloud-controller-manager and add-ons.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from minik8s.viz.render import Diagram
from minik8s.viz.status import is_control_plane, node_status, pod_phase
from minik8s.viz.style import Sketch, colours, text

Obj = dict[str, Any]
APISERVER = "kube-apiserver"
CONTROL_FILL = "#e3f2fd"
NODE_FILL = "#f5f5f5"


@dataclass(frozen=True)
class PodView:
    """One pod as drawn: `namespace/name` and the phase that picks its colour."""

    name: str
    phase: str = "Running"


@dataclass(frozen=True)
class NodeView:
    """One node as drawn: its name, Ready status, role, runtime and the pods bound to it."""

    name: str
    status: str = "Ready"
    control_plane: bool = False
    runtime: str = "container runtime"
    pods: tuple[PodView, ...] = ()


@dataclass(frozen=True)
class ArchitectureModel:
    """What the architecture diagram shows; built from a cluster or written by hand."""

    controllers: tuple[str, ...] = ()
    nodes: tuple[NodeView, ...] = ()
    title: str = ""
    extra_nodes: int = 0  # nodes not drawn (beyond max_nodes)
    pod_totals: dict[str, int] = field(default_factory=dict)  # node → all its pods


def model_from_objects(
    nodes: list[Obj],
    pods: list[Obj],
    controllers: tuple[str, ...] = (),
    *,
    max_nodes: int = 8,
    max_pods: int = 6,
) -> ArchitectureModel:
    """The model for Node and Pod dicts: at most `max_nodes` nodes and `max_pods` pods each."""
    by_node: dict[str, list[Obj]] = {}
    for pod in pods:
        node_name = pod.get("spec", {}).get("nodeName")
        if node_name:
            by_node.setdefault(node_name, []).append(pod)
    ordered = sorted(nodes, key=lambda n: (not is_control_plane(n), n["metadata"]["name"]))
    views = []
    for node in ordered[:max_nodes]:
        name = node["metadata"]["name"]
        on_node = sorted(by_node.get(name, []), key=_pod_key)[:max_pods]
        info = node.get("status", {}).get("nodeInfo") or {}
        views.append(
            NodeView(
                name=name,
                status=node_status(node),
                control_plane=is_control_plane(node),
                runtime=info.get("containerRuntimeVersion") or "container runtime",
                pods=tuple(PodView(_pod_key(p), pod_phase(p)) for p in on_node),
            )
        )
    totals = {n: len(ps) for n, ps in by_node.items()}
    extra = max(len(ordered) - max_nodes, 0)
    return ArchitectureModel(tuple(controllers), tuple(views), "", extra, totals)


def _pod_key(pod: Obj) -> str:
    meta = pod["metadata"]
    return f"{meta.get('namespace', 'default')}/{meta['name']}"


def architecture(cluster: Any, *, max_nodes: int = 8, max_pods: int = 6) -> Diagram:
    """The architecture of a live cluster: its control plane, nodes, and the pods on them."""
    manager = getattr(cluster, "controller_manager", None)
    controllers = tuple(sorted(getattr(manager, "controllers", {}) or {}))
    nodes = cluster.get("nodes")
    pods = cluster.get("pods", all_namespaces=True)
    model = model_from_objects(nodes, pods, controllers, max_nodes=max_nodes, max_pods=max_pods)
    return draw_architecture(model)


def draw_architecture(model: ArchitectureModel, kind: str = "architecture") -> Diagram:
    """Draw an `ArchitectureModel`."""
    sketch = Sketch(kind, label=text(model.title) if model.title else "", labelloc="t")
    sketch.node("kubectl", text("kubectl / users", "用户"), shape="plain", style="")
    _control_plane(sketch, model.controllers)
    sketch.edge("kubectl", APISERVER, "REST")
    for i, node in enumerate(model.nodes):
        _node_box(sketch, node, model.pod_totals.get(node.name, len(node.pods)), first=i == 0)
    if not model.nodes:
        sketch.node("no-nodes", text("no worker nodes yet", "尚无工作节点"), style="dashed")
    if model.extra_nodes:
        sketch.node("more-nodes", text(f"+{model.extra_nodes} more nodes"), style="dashed")
    return sketch.diagram(kind)


def _control_plane(sketch: Sketch, controllers: tuple[str, ...]) -> None:
    fill = {"style": "rounded,filled", "fillcolor": CONTROL_FILL}
    with sketch.cluster("control_plane", text("Control plane (Master)", "控制节点")) as cp:
        cp.node(APISERVER, text(APISERVER, "API 服务器"), penwidth="2", **fill)
        cp.node(
            "etcd",
            text("etcd", "分布式键值存储"),
            shape="cylinder",
            style="filled",
            fillcolor=CONTROL_FILL,
        )
        cp.node("kube-scheduler", text("kube-scheduler", "调度器"), **fill)
        names = [c.removesuffix("-controller") for c in controllers]
        rows = [" · ".join(names[i : i + 3]) for i in range(0, len(names), 3)]
        cp.node(
            "kube-controller-manager",
            text("kube-controller-manager", "控制器管理器", *rows),
            **fill,
        )
        with cp.same_rank() as row:
            row.graph.node(APISERVER)
            row.graph.node("etcd")
    sketch.edge(APISERVER, "etcd", "only client", dir="both", penwidth="2")
    # Clients point at the API server; `dir=back` keeps them below it in the layout.
    sketch.edge(APISERVER, "kube-scheduler", "watch · bind", dir="back")
    sketch.edge(APISERVER, "kube-controller-manager", "watch · write", dir="back")


def _node_box(sketch: Sketch, node: NodeView, total_pods: int, *, first: bool) -> None:
    fill, border = colours(node.status)
    role = "control-plane" if node.control_plane else "worker"
    title = text(
        f"{node.name} · {role} · {node.status}", "控制节点" if node.control_plane else "工作节点"
    )
    with sketch.cluster(f"node_{node.name}", title, color=border, bgcolor=NODE_FILL) as box:
        kubelet, proxy, runtime = (f"{node.name}/{c}" for c in ("kubelet", "kube-proxy", "cri"))
        box.node(kubelet, text("kubelet"), style="rounded,filled", fillcolor="white")
        box.node(proxy, text("kube-proxy"), style="rounded,filled", fillcolor="white")
        box.node(
            runtime, text(node.runtime, "容器运行时"), style="rounded,filled", fillcolor="white"
        )
        first_pod = _pods_box(box, node, total_pods)
    # Only the first node's arrows are labelled: the others say the same thing.
    sketch.edge(APISERVER, kubelet, "watch pods · status" if first else "", dir="back")
    sketch.edge(APISERVER, proxy, "watch Services" if first else "", dir="back")
    for component in (kubelet, proxy):  # keeps the nodes below the control plane
        sketch.graph.edge("kube-controller-manager", component, style="invis")
    sketch.edge(kubelet, runtime, "CRI")
    for i, pod in enumerate(node.pods):  # one drawn arrow into the Pods box, the rest invisible
        if i == 0:
            sketch.edge(runtime, first_pod, "runs", lhead=f"cluster_pods_{node.name}")
        else:
            sketch.graph.edge(runtime, f"pod/{pod.name}", style="invis")


def _pods_box(box: Sketch, node: NodeView, total_pods: int) -> str:
    if not node.pods:
        return ""
    with box.cluster(f"pods_{node.name}", text("Pods"), color="#b0bec5") as pods:
        for pod in node.pods:
            fill, border = colours(pod.phase)
            pods.node(
                f"pod/{pod.name}",
                text(pod.name),
                style="rounded,filled",
                fillcolor=fill,
                color=border,
            )
        hidden = total_pods - len(node.pods)
        if hidden > 0:
            pods.node(f"{node.name}/more-pods", text(f"+{hidden} more"), style="dashed")
    return f"pod/{node.pods[0].name}"


def cluster_figure() -> Diagram:
    """The article's cluster figure: a Master and two Nodes, each running two pods."""
    nodes = tuple(
        NodeView(f"node-{i}", pods=(PodView(f"pod-{i}a"), PodView(f"pod-{i}b"))) for i in (1, 2)
    )
    model = ArchitectureModel(nodes=nodes, title="Kubernetes cluster architecture · 集群架构")
    return draw_architecture(model, kind="cluster_architecture")
