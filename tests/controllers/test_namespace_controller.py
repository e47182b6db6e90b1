"""The namespace controller: the 5 s grace before clean-up, the five deletion conditions of
upstream's `namespaceConditionUpdater`, estimates for graceful pods and finalizers."""

import pytest

from minik8s.api.errors import NotFound
from minik8s.api.kinds import for_kind
from minik8s.cluster import Cluster
from minik8s.controllers.namespace import gvr_string, requeue_after
from minik8s.controllers.namespace_conditions import (
    CONDITION_TYPES,
    NamespaceConditionUpdater,
    update_conditions,
)

T0, T1 = "2025-01-01T00:00:05Z", "2025-01-01T00:00:10Z"
OK = {
    "NamespaceDeletionDiscoveryFailure": (
        "ResourcesDiscovered",
        "All resources successfully discovered",
    ),
    "NamespaceDeletionGroupVersionParsingFailure": (
        "ParsedGroupVersions",
        "All legacy kube types successfully parsed",
    ),
    "NamespaceDeletionContentFailure": (
        "ContentDeleted",
        "All content successfully deleted, may be waiting on finalization",
    ),
    "NamespaceContentRemaining": ("ContentRemoved", "All content successfully removed"),
    "NamespaceFinalizersRemaining": (
        "ContentHasNoFinalizers",
        "All content-preserving finalizers finished",
    ),
}


def by_type(status):
    return {c["type"]: (c["status"], c["reason"], c["message"]) for c in status["conditions"]}


def test_a_clean_pass_sets_the_five_ok_conditions_in_upstream_order():
    status = {"phase": "Terminating"}
    assert NamespaceConditionUpdater().update(status, T0)
    assert [c["type"] for c in status["conditions"]] == list(CONDITION_TYPES)
    assert by_type(status) == {k: ("False", *v) for k, v in OK.items()}
    assert {c["lastTransitionTime"] for c in status["conditions"]} == {T0}


def test_content_totals_messages_are_sorted_and_name_resource_dot_group():
    updater = NamespaceConditionUpdater()
    remaining = {"pods.": 2, "deployments.apps": 1, "configmaps.": 0}
    updater.process_content_totals(remaining, {"b/x": 1, "a/y": 3}, T0)
    status: dict = {}
    updater.update(status, T0)
    conditions = by_type(status)
    assert conditions["NamespaceContentRemaining"] == (
        "True",
        "SomeResourcesRemain",
        "Some resources are remaining: deployments.apps has 1 resource instances, "
        "pods. has 2 resource instances",
    )
    assert conditions["NamespaceFinalizersRemaining"] == (
        "True",
        "SomeFinalizersRemain",
        "Some content in the namespace has finalizers remaining: a/y in 3 resource "
        "instances, b/x in 1 resource instances",
    )


def test_delete_content_errors_make_one_failure_condition():
    updater = NamespaceConditionUpdater()
    updater.process_delete_content_err("z failed")
    updater.process_delete_content_err("a failed")
    status: dict = {}
    updater.update(status, T0)
    assert by_type(status)["NamespaceDeletionContentFailure"] == (
        "True",
        "ContentDeletionFailed",
        "Failed to delete all resource types, 2 remaining: a failed, z failed",
    )


def test_an_unchanged_condition_keeps_its_transition_time():
    status: dict = {}
    update_conditions(status, [], T0)
    assert not update_conditions(status, [], T1)
    assert {c["lastTransitionTime"] for c in status["conditions"]} == {T0}
    updater = NamespaceConditionUpdater()
    updater.process_content_totals({"pods.": 1}, {}, T1)
    assert updater.update(status, T1)
    times = {c["type"]: c["lastTransitionTime"] for c in status["conditions"]}
    assert times["NamespaceContentRemaining"] == T1
    assert times["NamespaceDeletionDiscoveryFailure"] == T0


def test_helpers_match_upstream_formats():
    assert gvr_string(for_kind("v1", "Pod")) == "/v1, Resource=pods"
    assert gvr_string(for_kind("apps/v1", "Deployment")) == "apps/v1, Resource=deployments"
    assert requeue_after(30) == 16.0  # estimate/2 + 1
    assert requeue_after(15) == 8.0


def configmap(name, finalizers=None):
    meta = {"name": name, "namespace": "shop"}
    if finalizers:
        meta["finalizers"] = finalizers
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta}


@pytest.fixture
def c():
    cluster = Cluster(seed=0)
    cluster.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}})
    cluster.settle()
    return cluster


def gone(c):
    try:
        c.client.get("namespaces", "shop")
        return False
    except NotFound:
        return True


def test_an_empty_namespace_waits_the_deletion_grace_period(c):
    c.client.delete("namespaces", "shop")
    c.run(4.9)
    assert c.client.get("namespaces", "shop")["status"]["phase"] == "Terminating"
    c.run(0.2)
    assert gone(c)


def test_content_held_by_a_finalizer_is_reported_and_waited_for(c):
    c.client.create("configmaps", configmap("held", ["example.com/keep"]))
    c.client.delete("namespaces", "shop")
    c.run(6)
    ns = c.client.get("namespaces", "shop")
    assert ns["spec"]["finalizers"] == ["kubernetes"]
    conditions = by_type(ns["status"])
    assert conditions["NamespaceContentRemaining"][2] == (
        "Some resources are remaining: configmaps. has 1 resource instances"
    )
    assert conditions["NamespaceFinalizersRemaining"][2] == (
        "Some content in the namespace has finalizers remaining: example.com/keep in 1 "
        "resource instances"
    )
    assert conditions["NamespaceDeletionContentFailure"][0] == "False"
    held = c.client.get("configmaps", "held", "shop")
    held["metadata"]["finalizers"] = []
    c.client.update("configmaps", held, "shop")
    c.run(9)  # the 15 s finalizer estimate: looked at again 15/2 + 1 = 8 s later
    assert gone(c)


def test_a_pod_that_outlives_its_grace_period_is_a_content_failure():
    c = Cluster(seed=0, nodes=1)
    c.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}})
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web", "namespace": "shop"},
        "spec": {"containers": [{"name": "c", "image": "nginx"}]},
    }
    c.apply(pod)
    c.settle()
    c.fail_node("node-1")  # nobody confirms that the pod has stopped
    c.client.delete("namespaces", "shop")
    c.run(6)
    conditions = by_type(c.client.get("namespaces", "shop")["status"])
    assert conditions["NamespaceContentRemaining"][2] == (
        "Some resources are remaining: pods. has 1 resource instances"
    )
    assert conditions["NamespaceDeletionContentFailure"][0] == "False"  # within its 30 s
    c.run(40)
    conditions = by_type(c.client.get("namespaces", "shop")["status"])
    assert conditions["NamespaceDeletionContentFailure"] == (
        "True",
        "ContentDeletionFailed",
        "Failed to delete all resource types, 1 remaining: unexpected items still remain in "
        "namespace: shop for gvr: /v1, Resource=pods",
    )
    assert conditions["NamespaceFinalizersRemaining"][0] == "False"


def ok(kind):
    reason, message = OK[kind]
    return {"type": kind, "status": "False", "reason": reason, "message": message}


def strip_times(conditions):
    return [{k: v for k, v in c.items() if k != "lastTransitionTime"} for c in conditions]


FAILED = {
    "type": "NamespaceDeletionGroupVersionParsingFailure",
    "status": "True",
    "reason": "foo",
    "message": "bar",
}
DISCOVERY, PARSING, CONTENT, REMAINING, FINALIZERS = CONDITION_TYPES


@pytest.mark.parametrize(
    "new, starting, expected",
    [
        pytest.param(
            [],
            [{"type": "unknown", "status": "True"}],
            [{"type": "unknown", "status": "True"}, *map(ok, CONDITION_TYPES)],
            id="leave unknown",
        ),
        pytest.param(
            [],
            [{"type": DISCOVERY, "status": "True"}],
            list(map(ok, CONDITION_TYPES)),
            id="replace with success",
        ),
        pytest.param(
            [],
            [{"type": PARSING, "status": "True"}, {"type": DISCOVERY, "status": "True"}],
            [ok(PARSING), ok(DISCOVERY), ok(CONTENT), ok(REMAINING), ok(FINALIZERS)],
            id="leave different order",
        ),
        pytest.param(
            [FAILED],
            [{"type": PARSING, "status": "False"}, {"type": DISCOVERY, "status": "True"}],
            [FAILED, ok(DISCOVERY), ok(CONTENT), ok(REMAINING), ok(FINALIZERS)],
            id="overwrite with failure",
        ),
        pytest.param(
            [FAILED],
            [{"type": DISCOVERY, "status": "True"}],
            [ok(DISCOVERY), FAILED, ok(CONTENT), ok(REMAINING), ok(FINALIZERS)],
            id="write new failure",
        ),
    ],
)
def test_update_conditions_upstream_table(new, starting, expected):
    """upstream status_condition_utils_test.go `TestUpdateConditions`."""
    status = {"conditions": [dict(c) for c in starting]}
    assert update_conditions(status, new, T0)
    assert strip_times(status["conditions"]) == expected


def test_a_new_message_with_the_same_status_keeps_the_transition_time():
    status: dict = {}
    first = NamespaceConditionUpdater()
    first.process_content_totals({"pods.": 2}, {}, T0)
    first.update(status, T0)
    second = NamespaceConditionUpdater()
    second.process_content_totals({"pods.": 1}, {}, T1)
    assert second.update(status, T1)
    remaining = next(c for c in status["conditions"] if c["type"] == REMAINING)
    assert remaining["message"] == "Some resources are remaining: pods. has 1 resource instances"
    assert remaining["lastTransitionTime"] == T0


@pytest.mark.parametrize(
    "remaining, finalizers, expected",
    [
        pytest.param({}, {}, [], id="nothing"),
        pytest.param(
            {"daemonsets.apps.k8s.io": 5, "deployments.apps.k8s.io": 5},
            {},
            [
                (
                    REMAINING,
                    "SomeResourcesRemain",
                    "Some resources are remaining: daemonsets.apps.k8s.io has 5 resource "
                    "instances, deployments.apps.k8s.io has 5 resource instances",
                )
            ],
            id="just remaining",
        ),
        pytest.param(
            {},
            {"service-catalog": 6, "kubedb": 5},
            [
                (
                    FINALIZERS,
                    "SomeFinalizersRemain",
                    "Some content in the namespace has finalizers remaining: kubedb in 5 "
                    "resource instances, service-catalog in 6 resource instances",
                )
            ],
            id="just finalizers",
        ),
    ],
)
def test_process_content_totals_upstream_table(remaining, finalizers, expected):
    """upstream `TestProcessContentTotals` (with v1.31's reason and message wording)."""
    updater = NamespaceConditionUpdater()
    updater.process_content_totals(remaining, finalizers, T0)
    got = [(c["type"], c["reason"], c["message"]) for c in updater.new_conditions]
    assert got == expected
    assert all(c["status"] == "True" for c in updater.new_conditions)
