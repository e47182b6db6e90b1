"""The object graph: relations, node boxes, status colours, order independence."""

from __future__ import annotations

import html

from hypothesis import given
from hypothesis import strategies as st

from minik8s.viz import object_graph
from minik8s.viz.style import STATUS_COLOURS

from .sample import meta, owner, pod, ready_node, shop


def edges(source: str) -> set[str]:
    return {line.strip().split(" [")[0] for line in source.splitlines() if " -> " in line}


def test_owner_service_and_volume_relations():
    source = object_graph(shop()).source
    assert edges(source) == {
        '"Deployment/shop/web" -> "ReplicaSet/shop/web-7d4b9"',
        '"ReplicaSet/shop/web-7d4b9" -> "Pod/shop/web-7d4b9-aaaaa"',
        '"ReplicaSet/shop/web-7d4b9" -> "Pod/shop/web-7d4b9-bbbbb"',
        '"ReplicaSet/shop/web-7d4b9" -> "Pod/shop/web-7d4b9-ccccc"',
        '"ReplicaSet/shop/web-7d4b9" -> "Pod/shop/web-7d4b9-ddddd"',
        '"Service/shop/web" -> "EndpointSlice/shop/web-abcde"',
        '"EndpointSlice/shop/web-abcde" -> "Pod/shop/web-7d4b9-aaaaa"',
        '"PersistentVolumeClaim/shop/data" -> "PersistentVolume//pv-1"',
    }
    assert "Event/" not in source  # kinds without a drawn relation are left out


def test_pods_sit_in_their_node_box_with_status_colours():
    source = object_graph(shop()).source
    node1 = source[source.index('subgraph "cluster_node_node-1"') :]
    node1 = node1[: node1.index("}")]
    assert "web-7d4b9-aaaaa" in node1 and "web-7d4b9-ddddd" in node1
    assert "web-7d4b9-bbbbb" not in node1
    pending = source[source.index('"Pod/shop/web-7d4b9-ccccc"') :].split("\n")[0]
    assert STATUS_COLOURS["Pending"][0] in pending  # unscheduled, amber, outside any node box
    for name, state in (("aaaaa", "Running"), ("bbbbb", "Failed"), ("ddddd", "Terminating")):
        line = source[source.index(f'"Pod/shop/web-7d4b9-{name}" [') :].split("\n")[0]
        assert STATUS_COLOURS[state][0] in line, state
    assert STATUS_COLOURS["NotReady"][1] in source  # node-2 is not Ready: red border


def test_svg_shows_kinds_states_and_cjk_title():
    svg = html.unescape(object_graph(shop(), title="商店 shop").svg())
    for label in ("Deployment", "ready 2/4", "Terminating", "Failed", "ClusterIP 10.96.0.10"):
        assert label in svg
    assert "商店 shop" in svg and "node node-2 · NotReady" in svg


def test_service_without_slices_selects_pods_and_other_relations():
    objs = [
        ready_node("node-1"),
        pod("web-1", "node-1", "Running"),
        {"kind": "Service", "metadata": meta("web", "s"), "spec": {"selector": {"app": "web"}}},
        {"kind": "Service", "metadata": meta("db", "d"), "spec": {"selector": {"app": "db"}}},
        {
            "kind": "Ingress",
            "metadata": meta("front", "i"),
            "spec": {"rules": [{"http": {"paths": [{"backend": {"service": {"name": "web"}}}]}}]},
        },
        {
            "kind": "StatefulSet",
            "metadata": meta("db", "sts"),
            "spec": {"replicas": 1, "volumeClaimTemplates": [{"metadata": {"name": "data"}}]},
        },
        {"kind": "PersistentVolumeClaim", "metadata": meta("data-db-0", "pvc")},
        {"kind": "ConfigMap", "metadata": meta("cfg", "cm")},
        {"kind": "Secret", "metadata": meta("pw", "sec")},
        {"kind": "CronJob", "metadata": meta("nightly", "cj"), "spec": {"schedule": "0 3 * * *"}},
        {
            "kind": "Job",
            "metadata": meta("nightly-1", "job", ownerReferences=owner("CronJob", "nightly", "cj")),
        },
    ]
    objs[1]["spec"]["volumes"] = [
        {"name": "c", "configMap": {"name": "cfg"}},
        {"name": "d", "persistentVolumeClaim": {"claimName": "data-db-0"}},
    ]
    objs[1]["spec"]["containers"][0]["envFrom"] = [{"secretRef": {"name": "pw"}}]
    found = edges(object_graph(objs).source)
    assert '"Service/shop/web" -> "Pod/shop/web-1"' in found
    assert not any(e.startswith('"Service/shop/db"') for e in found)
    assert '"Ingress/shop/front" -> "Service/shop/web"' in found
    assert '"StatefulSet/shop/db" -> "PersistentVolumeClaim/shop/data-db-0"' in found
    assert '"Pod/shop/web-1" -> "ConfigMap/shop/cfg"' in found
    assert '"Pod/shop/web-1" -> "Secret/shop/pw"' in found
    assert '"Pod/shop/web-1" -> "PersistentVolumeClaim/shop/data-db-0"' in found
    assert '"CronJob/shop/nightly" -> "Job/shop/nightly-1"' in found


def test_many_pods_on_a_node_are_summarised():
    objs = [ready_node("node-1")] + [pod(f"p-{i:02}", "node-1", "Running") for i in range(15)]
    diagram = object_graph(objs)
    assert "+3 more pods" in diagram.source and '"Pod/shop/p-14"' not in diagram.source
    assert '"ReplicaSet' not in diagram.source  # owner absent: no dangling edge


def test_empty_node_box():
    assert "no pods" in object_graph([ready_node("node-1")]).source


def test_namespaces_are_shown_when_several():
    objs = shop() + [{"kind": "ConfigMap", "metadata": meta("x", "x", "other")}]
    assert "other/x" in object_graph(objs).source
    assert "other/" not in object_graph(shop()).source


@given(st.permutations(shop()))
def test_same_objects_in_any_order_give_the_same_diagram(objs):
    assert object_graph(objs).source == object_graph(shop()).source


def test_same_input_same_svg():
    assert object_graph(shop()).svg() == object_graph(shop()).svg()
