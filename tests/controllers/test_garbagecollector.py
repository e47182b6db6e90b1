"""The garbage collector: background, foreground and orphan propagation through ownerReferences."""

import pytest

from minik8s.api.errors import NotFound
from minik8s.cluster import Cluster


def configmap(name, owners=(), finalizers=None):
    meta = {"name": name, "namespace": "default"}
    if owners:
        meta["ownerReferences"] = [
            {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "name": o["metadata"]["name"],
                "uid": o["metadata"]["uid"],
                **extra,
            }
            for o, extra in owners
        ]
    if finalizers:
        meta["finalizers"] = finalizers
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta}


@pytest.fixture
def c():
    return Cluster(seed=0)


def make(c, name, owners=(), finalizers=None):
    return c.client.create("configmaps", configmap(name, owners, finalizers))


def exists(c, name):
    try:
        c.get("cm", name)
        return True
    except NotFound:
        return False


def test_background_deletion_cascades_to_dependents_and_their_dependents(c):
    owner = make(c, "owner")
    child = make(c, "child", [(owner, {"controller": True})])
    make(c, "grandchild", [(child, {})])
    c.settle()
    c.delete("cm", "owner")
    assert not exists(c, "owner") and exists(c, "child")
    c.settle()
    assert not exists(c, "child") and not exists(c, "grandchild")


def test_orphan_deletion_keeps_dependents_without_the_reference(c):
    owner = make(c, "owner")
    make(c, "child", [(owner, {"controller": True})])
    c.settle()
    marked = c.delete("cm", "owner", propagation="Orphan")
    assert marked["metadata"]["finalizers"] == ["orphan"]
    c.settle()
    assert not exists(c, "owner")
    assert "ownerReferences" not in c.get("cm", "child")["metadata"]


def test_foreground_deletion_waits_for_blocking_dependents(c):
    owner = make(c, "owner")
    make(c, "child", [(owner, {"blockOwnerDeletion": True})], finalizers=["example.com/slow"])
    c.settle()
    c.delete("cm", "owner", propagation="Foreground")
    c.settle()
    assert exists(c, "owner"), "the owner waits while a blocking dependent remains"
    assert c.get("cm", "child")["metadata"]["deletionTimestamp"]
    c.client.patch("configmaps", "child", {"metadata": {"finalizers": None}}, "default")
    c.settle()
    assert not exists(c, "child") and not exists(c, "owner")


def test_dangling_reference_is_removed_when_another_owner_remains(c):
    a, b = make(c, "a"), make(c, "b")
    make(c, "child", [(a, {}), (b, {})])
    c.settle()
    c.delete("cm", "a")
    c.settle()
    refs = c.get("cm", "child")["metadata"]["ownerReferences"]
    assert [r["name"] for r in refs] == ["b"]


def test_an_object_whose_owner_never_existed_is_collected(c):
    ghost = {"metadata": {"name": "ghost", "uid": "00000000-0000-4000-8000-000000000000"}}
    make(c, "child", [(ghost, {})])
    c.settle()
    assert not exists(c, "child")


def test_dependents_are_listed_from_the_graph(c):
    owner = make(c, "owner")
    make(c, "x", [(owner, {})])
    make(c, "y", [(owner, {})])
    c.settle()
    gc = c.controller_manager.controllers["garbage-collector-controller"]
    assert [d["metadata"]["name"] for d in gc.dependents_of(owner["metadata"]["uid"])] == ["x", "y"]
