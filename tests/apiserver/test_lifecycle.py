"""Deletion, finalizers, graceful pod deletion, namespace lifecycle and pod binding."""

import json

import pytest

from minik8s.api.errors import Conflict, Forbidden, NotFound

from .conftest import configmap, pod


def test_delete_without_finalizers_removes_at_once(env):
    env.client.create("configmaps", configmap("x"))
    deleted = env.client.delete("configmaps", "x")
    assert deleted["metadata"]["name"] == "x"
    with pytest.raises(NotFound):
        env.client.get("configmaps", "x")


def test_finalizers_hold_an_object_until_removed(env):
    cm = configmap("x")
    cm["metadata"]["finalizers"] = ["example.com/hold"]
    env.client.create("configmaps", cm)
    marked = env.client.delete("configmaps", "x")
    assert marked["metadata"]["deletionTimestamp"] == "2025-01-01T00:00:00Z"
    assert marked["metadata"]["deletionGracePeriodSeconds"] == 0
    live = env.client.get("configmaps", "x")
    live["metadata"]["deletionTimestamp"] = None
    live["metadata"]["finalizers"] = ["example.com/hold"]
    still = env.client.update("configmaps", live)
    assert still["metadata"]["deletionTimestamp"] == "2025-01-01T00:00:00Z"
    env.client.patch("configmaps", "x", {"metadata": {"finalizers": None}})
    with pytest.raises(NotFound):
        env.client.get("configmaps", "x")


def test_propagation_policies_add_gc_finalizers(env):
    env.client.create("configmaps", configmap("o"))
    orphan = env.client.delete("configmaps", "o", propagation_policy="Orphan")
    assert orphan["metadata"]["finalizers"] == ["orphan"]
    env.client.create("configmaps", configmap("f"))
    fg = env.client.delete("configmaps", "f", propagation_policy="Foreground")
    assert fg["metadata"]["finalizers"] == ["foregroundDeletion"]


def test_scheduled_pod_deletion_is_graceful_unscheduled_is_immediate(env):
    env.client.create("pods", pod("floating"))
    env.client.delete("pods", "floating", "shop")
    with pytest.raises(NotFound):
        env.client.get("pods", "floating", "shop")
    env.client.create("pods", pod("placed", node="node-1"))
    env.loop.run_for(5)
    marked = env.client.delete("pods", "placed", "shop")
    assert marked["metadata"]["deletionGracePeriodSeconds"] == 30
    assert marked["metadata"]["deletionTimestamp"] == "2025-01-01T00:00:35Z"
    env.client.delete("pods", "placed", "shop", grace_period_seconds=0)
    with pytest.raises(NotFound):
        env.client.get("pods", "placed", "shop")


def test_delete_preconditions(env):
    env.client.create("configmaps", configmap("x"))
    with pytest.raises(Conflict, match=r"the UID in the precondition \(nope\) does not match"):
        env.client.delete("configmaps", "x", preconditions={"uid": "nope"})


def test_no_creates_in_missing_or_terminating_namespaces(env):
    with pytest.raises(NotFound, match='^namespaces "ghost" not found$'):
        env.client.create("configmaps", configmap("x", "ghost"))
    terminating = env.client.delete("namespaces", "shop")
    assert terminating["status"]["phase"] == "Terminating"
    with pytest.raises(Forbidden) as caught:
        env.client.create("configmaps", configmap("x", "shop"))
    assert str(caught.value) == (
        'configmaps "x" is forbidden: unable to create new content in namespace shop '
        "because it is being terminated"
    )
    with pytest.raises(
        Forbidden, match='namespaces "default" is forbidden: this namespace may not be deleted'
    ):
        env.client.delete("namespaces", "default")


def test_namespace_goes_away_once_finalized(env):
    env.client.delete("namespaces", "shop")
    ns = env.client.get("namespaces", "shop")
    ns["spec"]["finalizers"] = []
    env.client.update("namespaces", ns, subresource="finalize")
    with pytest.raises(NotFound):
        env.client.get("namespaces", "shop")


def test_binding_assigns_a_node_once(env):
    env.client.create("pods", pod("p"))
    binding = {
        "apiVersion": "v1",
        "kind": "Binding",
        "metadata": {"name": "p"},
        "target": {"kind": "Node", "name": "node-1"},
    }
    env.client.create("pods", binding, "shop", subresource="binding")
    bound = env.client.get("pods", "p", "shop")
    assert bound["spec"]["nodeName"] == "node-1"
    assert {"type": "PodScheduled", "status": "True"}.items() <= bound["status"]["conditions"][
        0
    ].items()
    with pytest.raises(Conflict) as caught:
        env.client.create("pods", binding, "shop", subresource="binding")
    assert (
        str(caught.value) == 'Operation cannot be fulfilled on pods/binding "p": '
        'pod p is already assigned to node "node-1"'
    )


def test_binding_leaves_the_cached_version_as_it_was(env):
    """The binding builds a new object from the watch cache's (which readers share): the
    version readers already hold keeps no node, no annotation and no PodScheduled condition."""
    env.client.create("pods", pod("p"))
    before = env.client.get("pods", "p", "shop", respond=False)
    snapshot = json.loads(json.dumps(before))
    binding = {
        "apiVersion": "v1",
        "kind": "Binding",
        "metadata": {"name": "p", "annotations": {"example.com/bound-by": "test"}},
        "target": {"kind": "Node", "name": "node-1"},
    }
    env.client.create("pods", binding, "shop", subresource="binding")
    assert before == snapshot
    after = env.client.get("pods", "p", "shop", respond=False)
    assert after is not before and after["spec"]["nodeName"] == "node-1"
    assert after["metadata"]["annotations"]["example.com/bound-by"] == "test"


def test_read_only_get_shares_the_cached_object(env):
    env.client.create("pods", pod("p"))
    shared = env.client.get("pods", "p", "shop", respond=False)
    assert env.client.get("pods", "p", "shop", respond=False) is shared
    private = env.client.get("pods", "p", "shop")
    assert private == shared and private is not shared
    private["spec"]["nodeName"] = "elsewhere"  # the caller's own copy
    assert "nodeName" not in env.client.get("pods", "p", "shop")["spec"]
