"""`ClusterDashboard`: the live object graph of a cluster with controls that change it.

Plays the part of the Kubernetes Dashboard's overview, reduced to what the course needs: scale a
Deployment (`kubectl scale`), add, fail and recover nodes (when the cluster can), and advance the
virtual clock. Every action goes through the cluster facade (so through the API server), then
redraws. Controls for what the cluster cannot do are hidden.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from minik8s.api.kinds import UnknownResource
from minik8s.viz.objects import KIND_ORDER, object_graph
from minik8s.viz.render import Diagram
from minik8s.widgets.base import WidgetPanel, hidden

Obj = dict[str, Any]
NODE_ACTIONS = ("add_node", "fail_node", "recover_node")
# What the graph shows: EndpointSlices stand for the legacy Endpoints; StorageClasses are noise.
KINDS = ("Node", *(k for k in KIND_ORDER if k not in ("Endpoints", "StorageClass")))


class ClusterDashboard(WidgetPanel):
    """Object graph + controls; `namespace=None` shows every namespace."""

    def __init__(self, cluster: Any, namespace: str | None = None):
        super().__init__()
        self.cluster = cluster
        self.namespace = namespace
        self.deployment = widgets.Dropdown(description="Deployment")
        self.replicas = widgets.BoundedIntText(value=1, min=0, max=100, description="replicas")
        self.scale_button = widgets.Button(description="Scale")
        self.node = widgets.Dropdown(description="Node")
        self.add_button = widgets.Button(description="Add node")
        self.fail_button = widgets.Button(description="Fail node")
        self.recover_button = widgets.Button(description="Recover node")
        self.seconds = widgets.BoundedIntText(value=10, min=1, max=3600, description="seconds")
        self.advance_button = widgets.Button(description="Advance clock")
        self.scale_button.on_click(lambda _: self.scale(self.deployment.value, self.replicas.value))
        self.add_button.on_click(lambda _: self.add_node())
        self.fail_button.on_click(lambda _: self.fail_node(self.node.value))
        self.recover_button.on_click(lambda _: self.recover_node(self.node.value))
        self.advance_button.on_click(lambda _: self.advance(self.seconds.value))
        self.scale_controls = widgets.HBox([self.deployment, self.replicas, self.scale_button])
        node_buttons = [self.add_button, self.fail_button, self.recover_button]
        for button, action in zip(node_buttons, NODE_ACTIONS, strict=True):
            hidden(button, not self.can(action))
        self.node_controls = widgets.HBox([self.node, *node_buttons])
        hidden(self.node_controls, not any(self.can(a) for a in NODE_ACTIONS))
        clock = widgets.HBox([self.seconds, self.advance_button])
        controls = [self.scale_controls, self.node_controls, clock]
        self.widget = widgets.VBox([*controls, self.message, self.view])
        self.redraw()

    def __repr__(self) -> str:
        scope = self.namespace or "all namespaces"
        return f"<ClusterDashboard {scope}: {len(self.node.options)} nodes>"

    def can(self, action: str) -> bool:
        """Whether the cluster offers `action` (`add_node`, `fail_node`, `recover_node`)."""
        return callable(getattr(self.cluster, action, None))

    def objects(self) -> list[Obj]:
        """Every drawable object of the namespace (or all), plus the nodes."""
        out: list[Obj] = []
        for kind in KINDS:
            try:
                out += self.cluster.get(
                    kind, namespace=self.namespace, all_namespaces=self.namespace is None
                )
            except UnknownResource:
                continue
        return out

    def redraw(self, message: str = "") -> Diagram:
        """Refresh the choices and the object graph; returns the new diagram."""
        objs = self.objects()
        deployments = [_key(o) for o in objs if o["kind"] == "Deployment"]
        self.deployment.options = deployments
        hidden(self.scale_controls, not deployments)
        self.node.options = [o["metadata"]["name"] for o in objs if o["kind"] == "Node"]
        clock = f"t={self.cluster.loop.now:g}s"
        return self.show(object_graph(objs), f"{clock}  {message}".rstrip())

    def scale(self, deployment: str, replicas: int) -> Diagram:
        """`kubectl scale deployment --replicas`, then let the controllers converge."""
        namespace, _, name = deployment.rpartition("/")
        ns = f" -n {namespace}" if namespace else ""
        out = self.cluster.kubectl(f"scale deployment {name} --replicas={replicas}{ns}")
        self.cluster.settle()
        return self.redraw(out.strip())

    def add_node(self) -> Diagram:
        """Join a new node (when the cluster can), then redraw."""
        result = self.cluster.add_node()
        self.cluster.settle()
        name = result if isinstance(result, str) else getattr(result, "name", "")
        return self.redraw(f"added node {name}".rstrip())

    def fail_node(self, name: str) -> Diagram:
        """Power off `name`: heartbeats stop, containers die; time must pass for the rest."""
        self.cluster.fail_node(name)
        return self.redraw(f"node {name} failed")

    def recover_node(self, name: str) -> Diagram:
        """Power `name` back on, then let things settle."""
        self.cluster.recover_node(name)
        self.cluster.settle()
        return self.redraw(f"node {name} recovered")

    def advance(self, seconds: float) -> Diagram:
        """Advance virtual time by `seconds`, running everything due, then redraw."""
        self.cluster.run(seconds)
        return self.redraw(f"advanced {seconds:g}s")


def _key(obj: Obj) -> str:
    meta = obj["metadata"]
    return f"{meta.get('namespace', 'default')}/{meta['name']}"
