"""`SchedulerExplorer` (pick a pod → its scheduling decision) and `RequestTracer` (a URL → the
path the request took).

Mirror what one would piece together on a real cluster from `kube-scheduler -v=10` logs and
`kubectl get events`, and from `nslookup` + `iptables-save` + `curl -v`. Both find their data
through duck typing (`minik8s.viz.records`), so they keep working while the scheduler and the
network grow, and degrade to a message when the cluster cannot provide it yet.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets

from minik8s.viz.records import field
from minik8s.viz.render import Diagram
from minik8s.viz.request import request_path
from minik8s.viz.scheduling import scheduler_decision
from minik8s.viz.style import note
from minik8s.widgets.base import WidgetPanel

DecisionSource = Callable[[str], Any]


def find_decision(cluster: Any, pod: str) -> Any:
    """The scheduler's record for `namespace/name`, or None.

    Looks at `cluster.scheduler` for, in order: `decision(namespace, name)`, `decision_for(key)`,
    then a `decisions` mapping (key → record) or list (the last record whose `pod` is `key`).
    """
    scheduler = getattr(cluster, "scheduler", None)
    if scheduler is None:
        return None
    namespace, _, name = pod.rpartition("/")
    if callable(getattr(scheduler, "decision", None)):
        return scheduler.decision(namespace, name)
    if callable(getattr(scheduler, "decision_for", None)):
        return scheduler.decision_for(pod)
    decisions = getattr(scheduler, "decisions", None)
    if isinstance(decisions, Mapping):
        return decisions.get(pod)
    for record in reversed(list(decisions or [])):
        if field(record, "pod", "pod_name", "key") == pod:
            return record
    return None


class SchedulerExplorer(WidgetPanel):
    """A pod picker and the nodes × plugins table of the decision that placed it."""

    def __init__(self, cluster: Any, source: DecisionSource | None = None):
        super().__init__()
        self.cluster = cluster
        self.source = source or (lambda pod: find_decision(cluster, pod))
        self.pod = widgets.Dropdown(description="Pod")
        self.pod.observe(lambda change: self.explain(change["new"]), names="value")
        self.widget = widgets.VBox([self.pod, self.message, self.view])
        self.refresh()

    def __repr__(self) -> str:
        return f"<SchedulerExplorer pods={len(self.pod.options)}>"

    def pods(self) -> list[str]:
        """Every pod as `namespace/name`."""
        pods = self.cluster.get("pods", all_namespaces=True)
        return sorted(f"{p['metadata']['namespace']}/{p['metadata']['name']}" for p in pods)

    def refresh(self) -> None:
        """Reload the pod list (and show the first pod's decision)."""
        self.pod.options = self.pods()
        if self.pod.options and self.last is None:
            self.explain(self.pod.options[0])
        elif not self.pod.options:
            self.show(note("no pods yet", "尚无 Pod"))

    def explain(self, pod: str | None) -> Diagram:
        """The decision table for `pod`, or a message saying why there is none."""
        if not pod:
            return self.show(note("pick a pod"))
        record = self.source(pod)
        if record is None:
            namespace, _, name = pod.rpartition("/")
            placed = self.cluster.get("pods", name, namespace=namespace)
            node = placed.get("spec", {}).get("nodeName")
            where = f"it is on {node}" if node else "it is not on a node yet"
            return self.show(note(f"no scheduling decision recorded for {pod}", where))
        return self.show(scheduler_decision(record))


class RequestTracer(WidgetPanel):
    """A URL box; sending it calls `cluster.request(url)` and draws the hops."""

    def __init__(self, cluster: Any, url: str = ""):
        super().__init__()
        self.cluster = cluster
        self.url = widgets.Text(value=url, description="URL", placeholder="http://web.default/")
        send = widgets.Button(description="Send")
        send.on_click(lambda _: self.trace(self.url.value))
        self.widget = widgets.VBox([widgets.HBox([self.url, send]), self.message, self.view])
        self.result: Any = None

    def __repr__(self) -> str:
        return f"<RequestTracer url={self.url.value!r}>"

    def trace(self, url: str) -> Diagram:
        """Send `url` through the cluster's network and draw the path it took."""
        self.url.value = url
        if not callable(getattr(self.cluster, "request", None)):
            return self.show(note("this cluster cannot route requests yet", url))
        try:
            self.result = self.cluster.request(url)
        except Exception as err:  # a failed lookup is an answer worth showing, not a crash
            self.result = None
            return self.show(note(f"{type(err).__name__}: {err}", url), "request failed")
        status = field(self.result, "status", default="")
        body = str(field(self.result, "body", default="") or "")[:200]
        return self.show(request_path(self.result, title=f"{url} → {status}"), body)
