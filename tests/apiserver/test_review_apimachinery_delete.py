"""Graceful deletion as upstream's `rest.BeforeDelete` and `Store.Delete` (registry/rest/delete.go,
generic/registry/store.go), the namespace storage's `Delete` and the Job storage's orphaning."""

import pytest

from minik8s.api.errors import Conflict, Invalid

from .conftest import configmap, pod


@pytest.fixture
def env(env):
    env.client.create("nodes", {"metadata": {"name": "n1"}})
    return env


def meta(obj):
    m = obj["metadata"]
    return m.get("deletionTimestamp"), m.get("deletionGracePeriodSeconds")


def test_negative_grace_is_one_second(env):
    env.client.create("pods", pod("a", node="n1"))
    deleted = env.client.delete("pods", "a", "shop", grace_period_seconds=-5)
    assert meta(deleted) == ("2025-01-01T00:00:01Z", 1)
    assert env.client.get("pods", "a", "shop")  # kept until the kubelet confirms


def test_pending_graceful_deletion_is_not_rewritten(env):
    env.client.create("pods", pod("b", node="n1"))
    first = env.client.delete("pods", "b", "shop")
    assert meta(first) == ("2025-01-01T00:00:30Z", 30)
    env.loop.run(until=10)
    again = env.client.delete("pods", "b", "shop")
    assert again["metadata"]["resourceVersion"] == first["metadata"]["resourceVersion"]
    longer = env.client.delete("pods", "b", "shop", grace_period_seconds=60)
    assert longer["metadata"]["resourceVersion"] == first["metadata"]["resourceVersion"]
    assert meta(longer) == ("2025-01-01T00:00:30Z", 30)


def test_a_shorter_grace_period_moves_the_original_deadline(env):
    env.client.create("pods", pod("b", node="n1"))
    env.client.delete("pods", "b", "shop")
    env.loop.run(until=10)
    shortened = env.client.delete("pods", "b", "shop", grace_period_seconds=5)
    assert meta(shortened) == ("2025-01-01T00:00:05Z", 5)  # old deadline - 30 + 5


def test_grace_zero_pod_delete_writes_the_stamp_then_deletes(env):
    env.client.create("pods", pod("u"))  # unscheduled: grace forced to 0
    env.client.create("pods", pod("g", node="n1"))
    env.loop.settle()
    seen = []
    env.client.watch(
        "pods",
        lambda t, o: seen.append((t, o["metadata"]["name"], *meta(o))),
        "shop",
        resource_version=str(env.store.revision),
    )
    assert meta(env.client.delete("pods", "u", "shop")) == ("2025-01-01T00:00:00Z", 0)
    deleted = env.client.delete("pods", "g", "shop", grace_period_seconds=0)
    assert meta(deleted) == ("2025-01-01T00:00:00Z", 0)
    env.loop.settle()
    assert seen == [
        ("MODIFIED", "u", "2025-01-01T00:00:00Z", 0),
        ("DELETED", "u", "2025-01-01T00:00:00Z", 0),
        ("MODIFIED", "g", "2025-01-01T00:00:00Z", 0),
        ("DELETED", "g", "2025-01-01T00:00:00Z", 0),
    ]


def test_the_kubelets_confirming_delete_removes_a_terminating_pod(env):
    env.client.create("pods", pod("b", node="n1"))
    env.client.delete("pods", "b", "shop")
    env.loop.run(until=3)
    deleted = env.client.delete("pods", "b", "shop", grace_period_seconds=0)
    assert meta(deleted) == ("2025-01-01T00:00:00Z", 0)
    assert env.client.list("pods", "shop")["items"] == []


def test_preconditions_name_the_kind(env):
    created = env.client.create("pods", pod("c", node="n1"))
    uid = created["metadata"]["uid"]
    with pytest.raises(Conflict) as err:
        env.client.delete("pods", "c", "shop", preconditions={"uid": "abc"})
    assert err.value.message == (
        f'Operation cannot be fulfilled on Pod "c": the UID in the precondition (abc) does not '
        f"match the UID in record ({uid}). The object might have been deleted and then recreated"
    )
    rv = created["metadata"]["resourceVersion"]
    with pytest.raises(Conflict) as err:
        env.client.delete("pods", "c", "shop", preconditions={"resourceVersion": "1"})
    assert err.value.message == (
        'Operation cannot be fulfilled on Pod "c": the ResourceVersion in the precondition (1) '
        f"does not match the ResourceVersion in record ({rv}). The object might have been modified"
    )


def test_finalizer_kept_object_is_not_rewritten(env):
    cm = configmap("cm", "shop", a="1")
    cm["metadata"]["finalizers"] = ["x/y"]
    env.client.create("configmaps", cm)
    first = env.client.delete("configmaps", "cm", "shop")
    env.loop.run(until=10)
    again = env.client.delete("configmaps", "cm", "shop")
    assert again["metadata"]["resourceVersion"] == first["metadata"]["resourceVersion"]
    assert meta(again) == ("2025-01-01T00:00:00Z", 0)


def test_unsupported_propagation_policy(env):
    env.client.create("configmaps", configmap("cm", "shop"))
    with pytest.raises(Invalid) as err:
        env.client.delete("configmaps", "cm", "shop", propagation_policy="Bogus")
    assert err.value.message == (
        'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Bogus": '
        'supported values: "Foreground", "Background", "Orphan", "nil"'
    )
    assert err.value.details["group"] == "meta.k8s.io"


def test_deleting_a_terminating_namespace_again_returns_it_unchanged(env):
    """v1.31 namespace storage: `if len(namespace.Spec.Finalizers) != 0 { return namespace,
    false, nil }` (the Conflict "The system is ensuring all content is removed..." is older)."""
    env.client.create("namespaces", {"metadata": {"name": "term"}})
    first = env.client.delete("namespaces", "term")
    assert meta(first) == ("2025-01-01T00:00:00Z", None)
    assert first["status"]["phase"] == "Terminating"
    env.loop.run(until=1)
    again = env.client.delete("namespaces", "term")
    assert again["metadata"]["resourceVersion"] == first["metadata"]["resourceVersion"]
    assert meta(again) == ("2025-01-01T00:00:00Z", None)
    assert again["spec"]["finalizers"] == ["kubernetes"]


def job():
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": "j", "namespace": "shop"},
        "spec": {
            "template": {
                "spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "b"}]}
            }
        },
    }


def test_job_deleted_without_policy_orphans_its_pods_and_warns(env):
    env.client.create("jobs", job())
    warnings = []
    deleted = env.server.delete("jobs", "j", "shop", warnings=warnings)
    assert deleted["metadata"]["finalizers"] == ["orphan"]
    assert deleted["metadata"]["deletionTimestamp"] == "2025-01-01T00:00:00Z"
    assert warnings == [
        "child pods are preserved by default when jobs are deleted; set "
        "propagationPolicy=Background to remove them or set propagationPolicy=Orphan to "
        "suppress this warning"
    ]


def test_job_deleted_in_background_goes_at_once(env):
    env.client.create("jobs", job())
    warnings = []
    env.server.delete("jobs", "j", "shop", propagation_policy="Background", warnings=warnings)
    assert warnings == []
    assert env.client.list("jobs", "shop")["items"] == []
