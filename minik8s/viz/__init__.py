"""minik8s.viz: Graphviz diagrams of live cluster state, rendered to byte-identical SVG.

Every builder returns a `Diagram` (SVG in Jupyter, `.source` for the DOT, `.save(path)`):

- `architecture(cluster)`: control plane and nodes, who talks to whom;
- `object_graph(objects)`: owners, selectors, volumes and bindings, pods in node boxes;
- `request_path(hops)`: one request from client to pod;
- `scheduler_decision(record)`: the nodes × plugins table of one scheduling cycle;
- `timeline(events)`: Events or trace lines along virtual time;
- `etcd_revisions(events)`: the store's MVCC history, keys × revisions;
- `cluster_figure()`, `basic_objects_figure()`: the course's static figures.
"""

from minik8s.viz.architecture import architecture, cluster_figure
from minik8s.viz.etcd import etcd_revisions
from minik8s.viz.figures import basic_objects_figure
from minik8s.viz.objects import object_graph
from minik8s.viz.render import Diagram, RenderError, render_svg
from minik8s.viz.request import request_path
from minik8s.viz.scheduling import (
    NodeResult,
    SchedulingDecision,
    adapt_decision,
    scheduler_decision,
)
from minik8s.viz.timeline import timeline

__all__ = [
    "Diagram",
    "NodeResult",
    "RenderError",
    "SchedulingDecision",
    "adapt_decision",
    "architecture",
    "basic_objects_figure",
    "cluster_figure",
    "etcd_revisions",
    "object_graph",
    "render_svg",
    "request_path",
    "scheduler_decision",
    "timeline",
]
