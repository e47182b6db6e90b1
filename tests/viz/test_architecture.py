"""The architecture diagram: from hand-made objects, from a live cluster, and the static figure."""

from __future__ import annotations

import html

from minik8s.cluster import Cluster
from minik8s.viz import architecture, cluster_figure
from minik8s.viz.architecture import model_from_objects

from .sample import pod, ready_node


def control_plane_node(name: str) -> dict:
    node = ready_node(name)
    node["metadata"]["labels"] = {"node-role.kubernetes.io/control-plane": ""}
    return node


def test_model_orders_control_plane_first_and_limits_pods():
    nodes = [ready_node("node-2"), control_plane_node("cp"), ready_node("node-1", "False")]
    pods = [pod(f"web-{i}", "node-1", "Running") for i in range(9)] + [pod("x", None, "Pending")]
    model = model_from_objects(nodes, pods, ("namespace-controller",), max_pods=6)
    assert [n.name for n in model.nodes] == ["cp", "node-1", "node-2"]
    assert [n.status for n in model.nodes] == ["Ready", "NotReady", "Ready"]
    assert model.nodes[0].control_plane and not model.nodes[1].control_plane
    assert len(model.nodes[1].pods) == 6 and model.pod_totals["node-1"] == 9
    assert model.nodes[1].pods[0].name == "shop/web-0"


def test_model_limits_nodes():
    nodes = [ready_node(f"node-{i}") for i in range(1, 11)]
    model = model_from_objects(nodes, [], max_nodes=8)
    assert len(model.nodes) == 8 and model.extra_nodes == 2


class FakeCluster:
    """Just what `architecture()` reads: `get` and `controller_manager.controllers`."""

    class _Manager:
        controllers = {"replicaset-controller": None, "namespace-controller": None}

    controller_manager = _Manager()

    def get(self, kind: str, all_namespaces: bool = False) -> list:
        if kind == "nodes":
            return [ready_node("node-1"), ready_node("node-2", "Unknown")]
        return [pod("web-a", "node-1", "Running"), pod("web-b", "node-1", "Pending")]


def test_architecture_draws_components_arrows_and_pods():
    diagram = architecture(FakeCluster())
    source = diagram.source
    for component in ("kube-apiserver", "etcd", "kube-scheduler", "kube-controller-manager"):
        assert f'"{component}" [label=' in source or f"\t{component} [label=" in source
    assert "namespace · replicaset" in source  # the manager's controllers, sorted
    assert '"node-1/kubelet"' in source and '"node-2/kube-proxy"' in source
    assert '"pod/shop/web-a"' in source
    assert '"kube-apiserver" -> etcd [label="only client"' in source
    # Every component reaches etcd only through the API server.
    edges = [line.strip() for line in source.splitlines() if "->" in line]
    touching_etcd = [e for e in edges if "etcd" in e.split("[")[0]]
    assert touching_etcd == [e for e in edges if e.startswith('"kube-apiserver" -> etcd')]
    assert len(touching_etcd) == 1
    svg = html.unescape(diagram.svg())
    assert "API 服务器" in svg and "控制器管理器" in svg and "工作节点" in svg
    assert "node-2 · worker · NotReady" in svg
    assert repr(diagram).startswith("<Diagram architecture: ")


def test_architecture_is_deterministic():
    assert architecture(FakeCluster()).source == architecture(FakeCluster()).source
    assert architecture(FakeCluster()).svg() == architecture(FakeCluster()).svg()


def test_architecture_of_a_live_cluster():
    cluster = Cluster(seed=0, control_plane_node=False)
    empty = architecture(cluster)
    assert "no worker nodes yet" in empty.source
    cluster.apply(
        [
            {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "node-1"}},
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {"name": "web", "namespace": "default"},
                "spec": {"nodeName": "node-1", "containers": [{"name": "c", "image": "nginx"}]},
            },
        ]
    )
    diagram = architecture(cluster)
    assert '"node-1/kubelet"' in diagram.source and '"pod/default/web"' in diagram.source
    assert "namespace" in diagram.source  # the running namespace controller
    assert diagram.svg() == architecture(cluster).svg()


def test_cluster_figure_is_the_articles_picture():
    figure = cluster_figure()
    svg = html.unescape(figure.svg())
    for label in ("kube-apiserver", "etcd", "kube-scheduler", "kube-controller-manager"):
        assert label in svg
    for label in ("node-1", "node-2", "kubelet", "kube-proxy", "容器运行时", "控制节点", "pod-2b"):
        assert label in svg
    assert repr(figure) == repr(cluster_figure())
