"""Owner references the garbage collector cannot take at face value (upstream
graph_builder.go `addDependentToOwners` / `reportInvalidNamespaceOwnerRef`, garbagecollector.go
`isDangling`, and test/integration/garbagecollector's cross-namespace cases)."""

import pytest

from minik8s.api.errors import NotFound
from minik8s.cluster import Cluster
from minik8s.controllers.garbagecollector import invalid_namespace_message


@pytest.fixture
def c():
    cluster = Cluster(seed=0)
    for ns in ("ns1", "ns2"):
        cluster.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
    cluster.settle()
    return cluster


def configmap(c, name, namespace, refs=()):
    meta = {"name": name, "namespace": namespace}
    if refs:
        meta["ownerReferences"] = list(refs)
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta}
    return c.client.create("configmaps", obj, namespace)


def ref_to(obj):
    meta = obj["metadata"]
    return {"apiVersion": "v1", "kind": obj["kind"], "name": meta["name"], "uid": meta["uid"]}


def exists(c, resource, name, namespace=None):
    try:
        c.client.get(resource, name, namespace)
        return True
    except NotFound:
        return False


def warnings_for(c, name, namespace):
    events = c.client.list("events", namespace)["items"]
    return [
        (e["reason"], e["message"], e["source"]["component"])
        for e in events
        if e["involvedObject"]["name"] == name and e["type"] == "Warning"
    ]


def test_invalid_namespace_message_matches_object_reference_string():
    ref = {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "uid": "u-1"}
    assert invalid_namespace_message(ref, "ns2") == (
        "ownerRef [apps/v1/Deployment, namespace: ns2, name: web, uid: u-1] does not exist in "
        'namespace "ns2"'
    )


def test_an_owner_in_another_namespace_is_absent_and_reported(c):
    owner = configmap(c, "parent", "ns1")
    c.settle()
    configmap(c, "valid-child", "ns1", [ref_to(owner)])
    configmap(c, "invalid-child", "ns2", [ref_to(owner)])
    c.settle()
    assert exists(c, "configmaps", "valid-child", "ns1")
    assert not exists(c, "configmaps", "invalid-child", "ns2")
    uid = owner["metadata"]["uid"]
    assert warnings_for(c, "invalid-child", "ns2") == [
        (
            "OwnerRefInvalidNamespace",
            f"ownerRef [v1/ConfigMap, namespace: ns2, name: parent, uid: {uid}] does not exist "
            'in namespace "ns2"',
            "garbage-collector-controller",
        )
    ]
    assert warnings_for(c, "valid-child", "ns1") == []


def test_a_reference_to_a_kind_the_server_lacks_keeps_the_dependent(c):
    ref = {"apiVersion": "example.com/v1", "kind": "Widget", "name": "w", "uid": "no-such"}
    configmap(c, "child", "ns1", [ref])
    c.settle()
    assert exists(c, "configmaps", "child", "ns1")


def test_a_cluster_scoped_dependent_of_a_namespaced_owner_is_left_alone(c):
    owner = configmap(c, "parent", "ns1")
    storage_class = {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": {"name": "odd", "ownerReferences": [ref_to(owner)]},
        "provisioner": "example.com/none",
    }
    c.client.create("storageclasses", storage_class)
    c.settle()
    assert exists(c, "storageclasses", "odd")


def test_a_cluster_scoped_owner_may_be_named_from_any_namespace(c):
    owner = c.client.get("namespaces", "ns1")
    ref = {"apiVersion": "v1", "kind": "Namespace", "name": "ns1", "uid": owner["metadata"]["uid"]}
    configmap(c, "child", "ns2", [ref])
    c.settle()
    assert exists(c, "configmaps", "child", "ns2")
    assert warnings_for(c, "child", "ns2") == []


def test_matches_coordinates_needs_name_kind_api_version_and_namespace():
    from minik8s.api.kinds import for_kind
    from minik8s.controllers.garbagecollector_graph import Node, matches_coordinates

    cm = for_kind("v1", "ConfigMap")
    owner = Node(
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "o", "namespace": "a"}}, cm
    )
    child = Node({"metadata": {"name": "c", "namespace": "a"}}, cm)
    elsewhere = Node({"metadata": {"name": "c", "namespace": "b"}}, cm)
    ref = {"apiVersion": "v1", "kind": "ConfigMap", "name": "o", "uid": "u"}
    assert matches_coordinates(owner, ref, child)
    assert not matches_coordinates(owner, ref, elsewhere)
    assert not matches_coordinates(owner, {**ref, "name": "p"}, child)
    assert not matches_coordinates(owner, {**ref, "kind": "Secret"}, child)
    assert not matches_coordinates(owner, {**ref, "apiVersion": "v2"}, child)


def test_a_missing_cluster_scoped_owner_is_dangling_from_any_namespace(c):
    ref = {"apiVersion": "v1", "kind": "Namespace", "name": "gone", "uid": "no-such-uid"}
    configmap(c, "child", "ns2", [ref])
    c.settle()
    assert not exists(c, "configmaps", "child", "ns2")
    assert warnings_for(c, "child", "ns2") == []
