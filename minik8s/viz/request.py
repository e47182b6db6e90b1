"""The path of one request through the cluster, drawn left to right.

Mirrors the data path the upstream docs describe for a Service (`concepts/services-networking/
service.md`, "Virtual IPs and Service proxies"): a client resolves the name through cluster DNS,
connects to the Service's virtual IP, the node's kube-proxy rules (`KUBE-SERVICES → KUBE-SVC-… →
KUBE-SEP-…`) pick an endpoint and rewrite the destination, and a pod answers. An Ingress
controller adds a hop in front. Left out: the return path and connection tracking.

A hop is any dict or object with `from`, `to`, `via` and `detail` (`from_` / `source` also work
for the first key, since `from` is a Python keyword).
"""

from __future__ import annotations

from typing import Any

from minik8s.viz.records import field
from minik8s.viz.render import Diagram
from minik8s.viz.style import Sketch, text

HOP_FILL = "#ede7f6"
END_FILL = "#d4edda"


def hops_of(path: Any) -> list[Any]:
    """The hops of a request result (its `.hops` or `["hops"]`), or `path` itself if a list."""
    if isinstance(path, (list, tuple)):
        return list(path)
    return list(field(path, "hops", default=[]) or [])


def request_path(path: Any, *, title: str = "") -> Diagram:
    """Draw hops (or a request result that has `hops`) from the client to the answering pod."""
    hops = hops_of(path)
    if not title and not isinstance(path, (list, tuple)):
        title = _result_title(path)
    sketch = Sketch("request", rankdir="LR", label=text(title) if title else "", labelloc="t")
    sketch.graph.attr("graph", nodesep="0.3", ranksep="0.4")
    if not hops:
        sketch.node("none", text("no hops recorded"), style="dashed")
        return sketch.diagram("request_path")
    points = [str(field(hops[0], "from", "from_", "source", default="client"))]
    points += [str(field(h, "to", "target", "destination", default="?")) for h in hops]
    for i, point in enumerate(points):
        last = i == len(points) - 1
        fill = END_FILL if last else ("white" if i == 0 else HOP_FILL)
        sketch.node(f"p{i}", text(*_wrap(point)), style="rounded,filled", fillcolor=fill)
    for i, hop in enumerate(hops):
        via = str(field(hop, "via", "mechanism", default=""))
        detail = str(field(hop, "detail", "details", default=""))
        label = "\\n".join(x for x in (text(*_wrap(via)), text(*_wrap(detail))) if x)
        sketch.counts.edges += 1
        sketch.graph.edge(f"p{i}", f"p{i + 1}", label=label)
    return sketch.diagram("request_path")


def _result_title(result: Any) -> str:
    url = field(result, "url", default="")
    status = field(result, "status", default="")
    pod = field(result, "pod", default="")
    parts = [str(x) for x in (url, status) if x]
    return " → ".join(parts) + (f" (answered by {pod})" if pod else "")


def _wrap(value: str, width: int = 28) -> list[str]:
    """Split a long label into lines at spaces, each at most about `width` characters."""
    lines: list[str] = []
    for word in value.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return [line for line in lines if line] or []
