"""The widgets, driven headless: their methods change the cluster and redraw."""

from __future__ import annotations

import html
from types import SimpleNamespace
from typing import Any

import ipywidgets as widgets

from minik8s.cluster import Cluster
from minik8s.widgets import (
    ClusterDashboard,
    RequestTracer,
    SchedulerExplorer,
    Stepper,
    find_decision,
)

DEPLOYMENT = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "web", "namespace": "default"},
    "spec": {
        "replicas": 2,
        "selector": {"matchLabels": {"app": "web"}},
        "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "web", "image": "nginx"}]},
        },
    },
}


def pod_manifest(name: str, node: str | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {"containers": [{"name": "c", "image": "nginx"}]}
    if node:
        spec["nodeName"] = node
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec}


class WithoutNodeOps:
    """A cluster-like object lacking node operations and requests (e.g. a read-only view)."""

    def __init__(self, cluster: Cluster):
        self._cluster = cluster

    def __getattr__(self, name: str):
        if name in ("add_node", "fail_node", "recover_node", "request"):
            raise AttributeError(name)
        return getattr(self._cluster, name)


def test_dashboard_hides_node_controls_the_cluster_lacks():
    dashboard = ClusterDashboard(WithoutNodeOps(Cluster(seed=0, control_plane_node=False)))
    assert dashboard.node_controls.layout.display == "none"
    assert dashboard.scale_controls.layout.display == "none"  # no Deployment yet
    assert repr(dashboard) == "<ClusterDashboard all namespaces: 0 nodes>"
    assert isinstance(dashboard.widget, widgets.VBox)
    assert "text/plain" in dashboard._repr_mimebundle_()


def test_dashboard_scales_a_deployment_through_the_api():
    cluster = Cluster(seed=0)
    cluster.apply(DEPLOYMENT)
    dashboard = ClusterDashboard(cluster, namespace="default")
    assert dashboard.deployment.options == ("default/web",)
    assert dashboard.scale_controls.layout.display is None
    diagram = dashboard.scale("default/web", 5)
    assert cluster.get("deploy", "web")["spec"]["replicas"] == 5
    assert "deployment.apps/web scaled" in dashboard.message.value
    assert dashboard.last is diagram and '"Deployment/default/web"' in diagram.source
    assert diagram.svg() in dashboard.view.value


def test_dashboard_node_actions_redraw():
    cluster = Cluster(seed=0, control_plane_node=False)
    dashboard = ClusterDashboard(cluster)
    assert dashboard.node_controls.layout.display is None
    added = dashboard.add_node()
    assert "cluster_node_node-1" in added.source and dashboard.node.options == ("node-1",)
    assert "added node node-1" in dashboard.message.value
    dashboard.fail_node("node-1")
    failed = dashboard.advance(60)  # the node lifecycle controller notices after 40 s
    assert "node node-1 · NotReady" in failed.source
    recovered = dashboard.recover_node("node-1")
    assert "node node-1 · Ready" in recovered.source
    assert repr(dashboard) == "<ClusterDashboard all namespaces: 1 nodes>"


def test_dashboard_advances_the_clock():
    cluster = Cluster(seed=0)
    dashboard = ClusterDashboard(cluster)
    before = cluster.loop.now
    dashboard.advance(30)
    assert cluster.loop.now == before + 30
    assert f"t={before + 30:g}s  advanced 30s" in html.unescape(dashboard.message.value)


def test_stepper_runs_one_event_at_a_time_with_its_trace():
    cluster = Cluster(seed=0)
    stepper = Stepper(cluster)
    cluster.loop.call_soon(lambda: cluster.tracer.emit("test", "hello"), label="greet")
    steps_before = cluster.loop.steps
    step = stepper.step()
    assert step is not None and step.event == "greet"
    assert cluster.loop.steps == steps_before + 1
    assert len(step.lines) == 1 and step.lines[0].endswith("hello")
    assert "hello" in stepper.view.value
    assert cluster.tracer.enabled is False  # restored


def test_stepper_step_n_and_run_until_idle():
    cluster = Cluster(seed=0)
    stepper = Stepper(cluster)
    for i in range(3):
        cluster.loop.call_soon(lambda: None, label=f"job-{i}")
    assert [s.event for s in stepper.step_n(2)] == ["job-0", "job-1"]
    cluster.apply(pod_manifest("web"))  # the apply itself runs synchronously; watches follow
    ran = stepper.run_until_idle()
    assert ran and not cluster.loop.busy()
    assert any("web" in line for s in ran for line in s.lines)
    assert repr(stepper).startswith(f"<Stepper steps={2 + len(ran)} ")


def test_stepper_when_nothing_is_scheduled():
    cluster = Cluster(seed=0)
    cluster.loop._timers.clear()  # drop the periodic timers too
    stepper = Stepper(cluster)
    assert stepper.step() is None and "nothing is scheduled" in stepper.message.value


class Scheduler:
    decisions = [
        {
            "pod": "default/web",
            "selected": "node-1",
            "nodes": [{"node": "node-1", "scores": {"A": 1}}],
        }
    ]


def test_scheduler_explorer_degrades_without_a_scheduler():
    cluster = Cluster(seed=0)
    empty = SchedulerExplorer(cluster)
    assert "no pods yet" in empty.last.source  # type: ignore[union-attr]
    cluster.apply(pod_manifest("web", "node-1"))
    explorer = SchedulerExplorer(cluster)
    assert explorer.pod.options == ("default/web",)
    assert "no scheduling decision recorded for default/web" in explorer.last.source  # type: ignore[union-attr]
    assert "it is on node-1" in explorer.last.source  # type: ignore[union-attr]


def test_scheduler_explorer_shows_the_decision_table():
    cluster = Cluster(seed=0)
    cluster.apply(pod_manifest("web"))
    cluster.scheduler = Scheduler()  # type: ignore[attr-defined]
    explorer = SchedulerExplorer(cluster)
    diagram = explorer.explain("default/web")
    assert diagram.kind == "scheduler_decision" and "★ node-1" in diagram.source
    assert find_decision(cluster, "default/other") is None
    custom = SchedulerExplorer(cluster, source=lambda pod: {"pod": pod, "nodes": []})
    assert "→ unschedulable" in custom.explain("default/web").source


def test_request_tracer():
    cluster = Cluster(seed=0)
    tracer = RequestTracer(cluster)
    assert "http://web/ → 502" in tracer.trace("http://web/").source  # no such Service yet
    assert "cannot route requests yet" in RequestTracer(WithoutNodeOps(cluster)).trace("x").source
    hops = [{"from": "client", "to": "pod web-1", "via": "VIP", "detail": ""}]
    cluster.request = lambda url: SimpleNamespace(status=200, body="hi", pod="web-1", hops=hops)  # type: ignore[attr-defined]
    diagram = tracer.trace("http://web/")
    assert diagram.kind == "request_path" and "pod web-1" in diagram.source
    assert "http://web/ → 200" in diagram.source and "hi" in tracer.message.value
    assert repr(tracer) == "<RequestTracer url='http://web/'>"

    def fail(url: str) -> None:
        raise LookupError("no such host")

    cluster.request = fail  # type: ignore[attr-defined]
    assert "LookupError: no such host" in tracer.trace("http://nope/").source


def test_scheduler_explorer_reads_a_mapping_of_attempt_lists():
    cluster = Cluster(seed=0)
    cluster.apply(pod_manifest("web"))
    old = {"pod": "default/web", "selected": None, "nodes": []}
    new = {"pod": "default/web", "selected": "node-9", "nodes": [{"node": "node-9"}]}
    cluster.scheduler = SimpleNamespace(decisions={"default/web": [old, new]})  # type: ignore[attr-defined]
    explorer = SchedulerExplorer(cluster)
    assert "→ node-9" in explorer.last.source  # type: ignore[union-attr]
