"""The garbage collector's graph builder queues work only where upstream's does
(`graph_builder.go` `processGraphChanges`): owner references changed, deletion started with the
`orphan` / `foregroundDeletion` finalizer, an owner gone, a blocking reference let go."""

import pytest

from minik8s.api.errors import NotFound
from minik8s.cluster import Cluster
from minik8s.controllers.garbagecollector import references_diffs

GC = "garbage-collector-controller"


def ref(owner, **extra):
    meta = owner["metadata"]
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "name": meta["name"],
        "uid": meta["uid"],
        **extra,
    }


def make(c, name, refs=(), finalizers=None):
    meta = {"name": name, "namespace": "default"}
    if refs:
        meta["ownerReferences"] = list(refs)
    if finalizers:
        meta["finalizers"] = finalizers
    return c.client.create(
        "configmaps", {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta}
    )


def patch(c, name, body):
    return c.client.patch("configmaps", name, body, "default")


def exists(c, name):
    try:
        c.get("cm", name)
        return True
    except NotFound:
        return False


@pytest.fixture
def c():
    return Cluster(seed=0)


@pytest.fixture
def queued(c):
    """Every key the garbage collector enqueues from now on, in order."""
    gc = c.controller_manager.controllers[GC]
    keys = []
    enqueue = gc.enqueue

    def spy(key):
        keys.append(key)
        enqueue(key)

    gc.enqueue = spy
    return keys


def test_an_update_that_keeps_the_owners_queues_nothing(c, queued):
    owner = make(c, "owner")
    make(c, "child", [ref(owner, controller=True)])
    c.settle()
    queued.clear()
    patch(c, "child", {"data": {"k": "v"}, "metadata": {"labels": {"a": "b"}}})
    c.settle()
    assert queued == []


def test_an_owner_change_queues_the_dependent(c, queued):
    a, b = make(c, "a"), make(c, "b")
    child = make(c, "child", [ref(a)])
    c.settle()
    queued.clear()
    patch(c, "child", {"metadata": {"ownerReferences": [ref(a), ref(b)]}})
    c.settle()
    assert queued == [child["metadata"]["uid"]]
    gc = c.controller_manager.controllers[GC]
    assert [d["metadata"]["name"] for d in gc.dependents_of(b["metadata"]["uid"])] == ["child"]


def test_a_new_dependent_is_queued_once(c, queued):
    owner = make(c, "owner")
    child = make(c, "child", [ref(owner)])
    c.settle()
    assert queued == [child["metadata"]["uid"]]


def test_a_node_lease_renewal_queues_nothing():
    c = Cluster(seed=0, nodes=2)
    c.settle()
    gc = c.controller_manager.controllers[GC]
    seen = []
    enqueue = gc.enqueue
    gc.enqueue = lambda key: (seen.append(key), enqueue(key))
    before = c.get("lease", "node-1", namespace="kube-node-lease")
    c.run(30)
    after = c.get("lease", "node-1", namespace="kube-node-lease")
    assert after["spec"]["renewTime"] != before["spec"]["renewTime"]
    assert after["metadata"]["ownerReferences"][0]["kind"] == "Node"
    assert seen == []


def test_an_owner_update_while_deleting_is_queued_only_when_deletion_starts(c, queued):
    owner = make(c, "owner", finalizers=["example.com/hold"])
    make(c, "child", [ref(owner, blockOwnerDeletion=True)], finalizers=["example.com/slow"])
    c.settle()
    queued.clear()
    c.delete("cm", "owner", propagation="Foreground")
    c.settle()
    uid = owner["metadata"]["uid"]
    assert queued.count(uid) == 1
    queued.clear()
    patch(c, "owner", {"metadata": {"labels": {"touched": "yes"}}})
    c.settle()
    assert uid not in queued
    assert exists(c, "owner")


def test_letting_go_of_a_blocking_reference_frees_a_foreground_owner(c):
    owner = make(c, "owner")
    make(c, "child", [ref(owner, blockOwnerDeletion=True)], finalizers=["example.com/slow"])
    c.settle()
    c.delete("cm", "owner", propagation="Foreground")
    c.settle()
    assert exists(c, "owner"), "the owner waits for its blocking dependent"
    patch(c, "child", {"metadata": {"ownerReferences": None}})
    c.settle()
    assert not exists(c, "owner")
    assert exists(c, "child"), "the child keeps its own finalizer"


def test_unblocking_a_reference_frees_a_foreground_owner(c):
    owner = make(c, "owner")
    make(c, "child", [ref(owner, blockOwnerDeletion=True)], finalizers=["example.com/slow"])
    c.settle()
    c.delete("cm", "owner", propagation="Foreground")
    c.settle()
    assert exists(c, "owner")
    patch(c, "child", {"metadata": {"ownerReferences": [ref(owner, blockOwnerDeletion=False)]}})
    c.settle()
    assert not exists(c, "owner")


def test_a_dependent_added_to_a_foreground_owner_is_deleted(c):
    owner = make(c, "owner")
    make(c, "first", [ref(owner, blockOwnerDeletion=True)], finalizers=["example.com/slow"])
    c.settle()
    c.delete("cm", "owner", propagation="Foreground")
    c.settle()
    make(c, "late", [ref(owner, blockOwnerDeletion=True)])
    c.settle()
    assert not exists(c, "late")
    assert exists(c, "owner")


def test_a_dependent_whose_owner_is_gone_is_collected_when_its_references_change(c):
    a = make(c, "a")
    make(c, "child", [ref(a)])
    c.settle()
    ghost = {"metadata": {"name": "ghost", "uid": "00000000-0000-4000-8000-000000000001"}}
    patch(c, "child", {"metadata": {"ownerReferences": [ref(ghost)]}})
    c.settle()
    assert not exists(c, "child")


def test_references_diffs_by_uid():
    x = {"uid": "1", "name": "x"}
    y = {"uid": "2", "name": "y"}
    y2 = {"uid": "2", "name": "y", "blockOwnerDeletion": True}
    z = {"uid": "3", "name": "z"}
    assert references_diffs([], []) == ([], [], [])
    assert references_diffs([x, y], [x, y]) == ([], [], [])
    assert references_diffs([x], [x, z]) == ([z], [], [])
    assert references_diffs([x, y], [y]) == ([], [x], [])
    assert references_diffs([x, y], [y2, z]) == ([z], [x], [(y, y2)])


def test_a_foreground_owner_leaves_a_dependent_with_another_live_owner(c):
    """upstream `attemptToDeleteItem`: a solid owner keeps the dependent; only the reference to
    the owner waiting for its dependents is removed, and that owner then goes."""
    o1, o2 = make(c, "o1"), make(c, "o2")
    make(c, "dep", [ref(o1, blockOwnerDeletion=True), ref(o2, blockOwnerDeletion=True)])
    c.settle()
    c.delete("cm", "o1", propagation="Foreground")
    c.settle()
    assert exists(c, "dep")
    assert [r["name"] for r in c.get("cm", "dep")["metadata"]["ownerReferences"]] == ["o2"]
    assert not exists(c, "o1")
    assert exists(c, "o2")


def test_a_dependent_of_two_foreground_owners_is_deleted(c):
    o1, o2 = make(c, "o1"), make(c, "o2")
    make(c, "dep", [ref(o1, blockOwnerDeletion=True), ref(o2, blockOwnerDeletion=True)])
    c.settle()
    c.delete("cm", "o1", propagation="Foreground")
    c.delete("cm", "o2", propagation="Foreground")
    c.settle()
    assert not exists(c, "dep")
    assert not exists(c, "o1") and not exists(c, "o2")


def test_a_cycle_of_blocking_owners_deleted_in_the_foreground_does_not_deadlock(c):
    """upstream `attemptToDeleteItem`: an item whose owner waits for it and whose own dependent
    is deleting its dependents first makes its references non-blocking, then goes in the
    foreground; without that, a → b → c → a would wait on each other forever."""
    a = make(c, "a")
    b = make(c, "b", [ref(a, blockOwnerDeletion=True)])
    cc = make(c, "c", [ref(b, blockOwnerDeletion=True)])
    patch(c, "a", {"metadata": {"ownerReferences": [ref(cc, blockOwnerDeletion=True)]}})
    c.settle()
    assert all(exists(c, n) for n in "abc")
    c.delete("cm", "a", propagation="Foreground")
    c.settle()
    assert not any(exists(c, n) for n in "abc")
