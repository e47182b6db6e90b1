"""apps/v1 validation: representative cases of upstream `pkg/apis/apps/validation/
validation_test.go` (TestValidateDeployment, TestValidateReplicaSet, TestValidateDaemonSet,
TestValidateStatefulSet, TestValidateControllerRevision and their Update variants)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from minik8s.api.defaults import apply_defaults
from minik8s.api.validation import validate_object, validate_object_update
from minik8s.apiserver.status_strategy import validate_status_update

Obj = dict[str, Any]
LABELS = {"app": "web"}


def template(labels: Obj | None = None, **spec: Any) -> Obj:
    return {
        "metadata": {"labels": dict(LABELS if labels is None else labels)},
        "spec": {"containers": [{"name": "web", "image": "nginx:1.25"}], **spec},
    }


def workload(kind: str, name: str = "web", **spec: Any) -> Obj:
    body: Obj = {"selector": {"matchLabels": dict(LABELS)}, "template": template()}
    body.update(spec)
    obj = {
        "apiVersion": "apps/v1",
        "kind": kind,
        "metadata": {"name": name, "namespace": "default"},
        "spec": body,
    }
    return apply_defaults(obj)


def fields(obj: Obj) -> set[tuple[str, str]]:
    return {(e.type, e.field) for e in validate_object(obj)}


def mutated(obj: Obj, change: Callable[[Obj], None]) -> Obj:
    new = copy.deepcopy(obj)
    change(new)
    return new


WORKLOADS = ["Deployment", "ReplicaSet", "DaemonSet", "StatefulSet"]


@pytest.mark.parametrize("kind", WORKLOADS)
def test_defaulted_workloads_are_valid(kind: str) -> None:
    assert validate_object(workload(kind)) == []


@pytest.mark.parametrize("kind", WORKLOADS)
def test_selector_must_match_template_labels(kind: str) -> None:
    obj = workload(kind, template=template({"app": "x"}))
    (error,) = validate_object(obj)
    assert str(error) == (
        'spec.template.metadata.labels: Invalid value: {"app":"x"}: '
        "`selector` does not match template `labels`"
    )


@pytest.mark.parametrize(
    ("kind", "detail"),
    [
        ("Deployment", "empty selector is invalid for deployment"),
        ("ReplicaSet", "empty selector is invalid for deployment"),
        ("DaemonSet", "empty selector is invalid for daemonset"),
        ("StatefulSet", "empty selector is invalid for statefulset"),
    ],
)
def test_empty_selector(kind: str, detail: str) -> None:
    errors = validate_object(workload(kind, selector={}))
    assert [(e.type, e.field, e.detail) for e in errors] == [
        ("Invalid value", "spec.selector", detail)
    ]


@pytest.mark.parametrize("kind", ["Deployment", "ReplicaSet", "StatefulSet"])
def test_missing_selector(kind: str) -> None:
    obj = workload(kind)
    del obj["spec"]["selector"]
    assert ("Required value", "spec.selector") in fields(obj)


@pytest.mark.parametrize("kind", WORKLOADS)
def test_restart_policy_must_be_always(kind: str) -> None:
    obj = workload(kind, template=template(restartPolicy="OnFailure"))
    (error,) = [e for e in validate_object(obj) if e.field.endswith("restartPolicy")]
    assert str(error) == (
        'spec.template.spec.restartPolicy: Unsupported value: "OnFailure": '
        'supported values: "Always"'
    )


@pytest.mark.parametrize(
    ("kind", "etype"),
    [
        ("Deployment", "Forbidden"),
        ("ReplicaSet", "Forbidden"),
        ("DaemonSet", "Forbidden"),
        ("StatefulSet", "Forbidden"),
    ],
)
def test_active_deadline_seconds_not_supported(kind: str, etype: str) -> None:
    obj = workload(kind, template=template(activeDeadlineSeconds=10))
    assert (etype, "spec.template.spec.activeDeadlineSeconds") in fields(obj)


@pytest.mark.parametrize("kind", ["Deployment", "ReplicaSet", "StatefulSet"])
def test_negative_replicas(kind: str) -> None:
    (error,) = validate_object(workload(kind, replicas=-1))
    assert str(error) == "spec.replicas: Invalid value: -1: must be greater than or equal to 0"


@pytest.mark.parametrize("kind", WORKLOADS)
def test_negative_min_ready_seconds(kind: str) -> None:
    assert ("Invalid value", "spec.minReadySeconds") in fields(workload(kind, minReadySeconds=-1))


@pytest.mark.parametrize("kind", ["Deployment", "ReplicaSet", "DaemonSet"])
def test_template_pod_spec_is_validated(kind: str) -> None:
    obj = workload(kind, template=template(containers=[{"name": "Bad_Name", "image": "x"}]))
    assert ("Invalid value", "spec.template.spec.containers[0].name") in fields(obj)


def test_stateful_set_template_pod_spec_is_not_validated() -> None:
    # upstream's ValidatePodTemplateSpecForStatefulSet has a TODO instead of ValidatePodSpec
    obj = workload(
        "StatefulSet", template=template(containers=[{"name": "Bad_Name", "image": "x"}])
    )
    assert validate_object(obj) == []


def test_template_labels_use_upstream_path() -> None:
    obj = workload(
        "Deployment",
        selector={"matchLabels": {"app": "web"}},
        template=template({"app": "web", "bad key": "v"}),
    )
    assert ("Invalid value", "spec.template.labels") in fields(obj)


# --- Deployment ----------------------------------------------------------------------------------

DEPLOYMENT_ERRORS = [
    (
        "maxSurge and maxUnavailable 0",
        {
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 0},
            }
        },
        ("Invalid value", "spec.strategy.rollingUpdate.maxUnavailable"),
    ),
    (
        "maxUnavailable > 100%",
        {
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": {"maxSurge": 1, "maxUnavailable": "110%"},
            }
        },
        ("Invalid value", "spec.strategy.rollingUpdate.maxUnavailable"),
    ),
    (
        "bad percent",
        {
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": {"maxSurge": "20Percent", "maxUnavailable": 1},
            }
        },
        ("Invalid value", "spec.strategy.rollingUpdate.maxSurge"),
    ),
    (
        "negative maxSurge",
        {
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": {"maxSurge": -1, "maxUnavailable": 1},
            }
        },
        ("Invalid value", "spec.strategy.rollingUpdate.maxSurge"),
    ),
    (
        "Recreate with rollingUpdate",
        {"strategy": {"type": "Recreate", "rollingUpdate": {"maxSurge": 1}}},
        ("Forbidden", "spec.strategy.rollingUpdate"),
    ),
    (
        "bad strategy type",
        {"strategy": {"type": "Canary"}},
        ("Unsupported value", "spec.strategy"),
    ),
    (
        "negative revisionHistoryLimit",
        {"revisionHistoryLimit": -2},
        ("Invalid value", "spec.revisionHistoryLimit"),
    ),
    (
        "progressDeadlineSeconds <= minReadySeconds",
        {"progressDeadlineSeconds": 10, "minReadySeconds": 10},
        ("Invalid value", "spec.progressDeadlineSeconds"),
    ),
    (
        "negative progressDeadlineSeconds",
        {"progressDeadlineSeconds": -1},
        ("Invalid value", "spec.progressDeadlineSeconds"),
    ),
    (
        "bad selector operator",
        {"selector": {"matchExpressions": [{"key": "app", "operator": "Near"}]}},
        ("Invalid value", "spec.selector.matchExpressions[0].operator"),
    ),
]


@pytest.mark.parametrize(
    ("spec", "expected"), [pytest.param(s, e, id=n) for n, s, e in DEPLOYMENT_ERRORS]
)
def test_deployment_errors(spec: Obj, expected: tuple[str, str]) -> None:
    assert expected in fields(workload("Deployment", **spec))


def test_deployment_recreate_is_valid() -> None:
    assert validate_object(workload("Deployment", strategy={"type": "Recreate"})) == []


@pytest.mark.parametrize("kind", ["Deployment", "ReplicaSet", "DaemonSet"])
def test_selector_is_immutable(kind: str) -> None:
    old = workload(kind)
    old["metadata"]["resourceVersion"] = "1"

    def change(obj: Obj) -> None:
        obj["spec"]["selector"] = {"matchLabels": {"app": "web", "tier": "x"}}
        obj["spec"]["template"]["metadata"]["labels"]["tier"] = "x"

    new = mutated(old, change)
    errors = validate_object_update(new, old)
    assert [str(e) for e in errors] == [
        'spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"x"}}: field is immutable'
    ]


def test_deployment_update_of_template_and_replicas_is_fine() -> None:
    old = workload("Deployment")
    old["metadata"]["resourceVersion"] = "1"

    def change(obj: Obj) -> None:
        obj["spec"]["replicas"] = 5
        obj["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.26"

    assert validate_object_update(mutated(old, change), old) == []


# --- DaemonSet -----------------------------------------------------------------------------------

DAEMON_SET_ERRORS = [
    (
        "both surge and unavailable",
        {"maxSurge": 1, "maxUnavailable": 1},
        ("Invalid value", "spec.updateStrategy.rollingUpdate.maxSurge"),
    ),
    (
        "neither surge nor unavailable",
        {"maxSurge": 0, "maxUnavailable": 0},
        ("Required value", "spec.updateStrategy.rollingUpdate.maxUnavailable"),
    ),
    (
        "surge > 100%",
        {"maxSurge": "101%", "maxUnavailable": 0},
        ("Invalid value", "spec.updateStrategy.rollingUpdate.maxSurge"),
    ),
    (
        "negative unavailable",
        {"maxUnavailable": -1, "maxSurge": 0},
        ("Invalid value", "spec.updateStrategy.rollingUpdate.maxUnavailable"),
    ),
]


@pytest.mark.parametrize(
    ("rolling", "expected"), [pytest.param(r, e, id=n) for n, r, e in DAEMON_SET_ERRORS]
)
def test_daemon_set_rolling_update_errors(rolling: Obj, expected: tuple[str, str]) -> None:
    obj = workload("DaemonSet", updateStrategy={"type": "RollingUpdate", "rollingUpdate": rolling})
    assert expected in fields(obj)


def test_daemon_set_bad_strategy_type() -> None:
    obj = workload("DaemonSet", updateStrategy={"type": "Sometimes"})
    assert ("Unsupported value", "spec.updateStrategy") in fields(obj)


def test_daemon_set_on_delete_and_surge_are_valid() -> None:
    assert validate_object(workload("DaemonSet", updateStrategy={"type": "OnDelete"})) == []
    surge = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "10%", "maxUnavailable": 0}}
    assert validate_object(workload("DaemonSet", updateStrategy=surge)) == []


# --- StatefulSet ---------------------------------------------------------------------------------

STATEFUL_SET_ERRORS = [
    (
        "bad podManagementPolicy",
        {"podManagementPolicy": "Fast"},
        ("Invalid value", "spec.podManagementPolicy"),
    ),
    (
        "bad update strategy",
        {"updateStrategy": {"type": "Sometimes"}},
        ("Invalid value", "spec.updateStrategy"),
    ),
    (
        "OnDelete with rollingUpdate",
        {"updateStrategy": {"type": "OnDelete", "rollingUpdate": {"partition": 1}}},
        ("Invalid value", "spec.updateStrategy.rollingUpdate"),
    ),
    (
        "negative partition",
        {"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": -1}}},
        ("Invalid value", "spec.updateStrategy.rollingUpdate.partition"),
    ),
    (
        "zero maxUnavailable",
        {
            "updateStrategy": {
                "type": "RollingUpdate",
                "rollingUpdate": {"partition": 0, "maxUnavailable": 0},
            }
        },
        ("Invalid value", "spec.updateStrategy.rollingUpdate.maxUnavailable"),
    ),
    (
        "bad retention policy",
        {"persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Keep", "whenScaled": "Retain"}},
        ("Unsupported value", "spec.persistentVolumeClaimRetentionPolicy.whenDeleted"),
    ),
    (
        "negative ordinals start",
        {"ordinals": {"start": -2}},
        ("Invalid value", "spec.ordinals.start"),
    ),
]


@pytest.mark.parametrize(
    ("spec", "expected"), [pytest.param(s, e, id=n) for n, s, e in STATEFUL_SET_ERRORS]
)
def test_stateful_set_errors(spec: Obj, expected: tuple[str, str]) -> None:
    assert expected in fields(workload("StatefulSet", **spec))


def test_stateful_set_name_must_be_dns_label() -> None:
    assert ("Invalid value", "metadata.name") in fields(workload("StatefulSet", name="web.v1"))
    assert validate_object(workload("Deployment", name="web.v1")) == []


def _stored_sts() -> Obj:
    obj = workload(
        "StatefulSet",
        serviceName="web",
        volumeClaimTemplates=[
            {
                "metadata": {"name": "data"},
                "spec": {
                    "accessModes": ["ReadWriteOnce"],
                    "resources": {"requests": {"storage": "1Gi"}},
                },
            }
        ],
    )
    obj["metadata"]["resourceVersion"] = "1"
    return obj


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s.update(replicas=3),
        lambda s: s.update(updateStrategy={"type": "OnDelete"}),
        lambda s: s.update(minReadySeconds=5),
        lambda s: s.update(ordinals={"start": 2}),
        lambda s: s.update(
            persistentVolumeClaimRetentionPolicy={"whenDeleted": "Delete", "whenScaled": "Retain"}
        ),
        lambda s: s["template"]["spec"]["containers"][0].update(image="nginx:1.26"),
    ],
)
def test_stateful_set_updatable_fields(change: Callable[[Obj], None]) -> None:
    old = _stored_sts()
    assert validate_object_update(mutated(old, lambda o: change(o["spec"])), old) == []


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s.update(serviceName="other"),
        lambda s: s.update(podManagementPolicy="Parallel"),
        lambda s: s.update(revisionHistoryLimit=3),  # v1.31: not yet updatable
        lambda s: s["volumeClaimTemplates"][0]["spec"]["resources"]["requests"].update(
            storage="2Gi"
        ),
    ],
)
def test_stateful_set_forbidden_updates(change: Callable[[Obj], None]) -> None:
    old = _stored_sts()
    errors = validate_object_update(mutated(old, lambda o: change(o["spec"])), old)
    assert [str(e) for e in errors] == [
        "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', "
        "'ordinals', 'template', 'updateStrategy', "
        "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"
    ]


# --- ControllerRevision --------------------------------------------------------------------------


def revision(**extra: Any) -> Obj:
    obj = {
        "apiVersion": "apps/v1",
        "kind": "ControllerRevision",
        "metadata": {"name": "web-5d8f", "namespace": "default", "resourceVersion": "1"},
        "data": {"spec": {"template": {}}},
        "revision": 1,
    }
    obj.update(extra)
    return obj


def test_controller_revision() -> None:
    assert validate_object(revision()) == []
    assert fields(revision(revision=-1)) == {("Invalid value", "revision")}
    no_data = revision()
    del no_data["data"]
    assert [str(e) for e in validate_object(no_data)] == ["data: Required value: data is mandatory"]


def test_controller_revision_data_is_immutable() -> None:
    old = revision()
    new = revision(data={"spec": {"template": {"x": 1}}}, revision=2)
    assert {(e.type, e.field) for e in validate_object_update(new, old)} == {
        ("Invalid value", "data")
    }


# --- status --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "status", "expected"),
    [
        ("Deployment", {"replicas": -1}, ("Invalid value", "status.replicas")),
        (
            "Deployment",
            {"replicas": 1, "readyReplicas": 2},
            ("Invalid value", "status.readyReplicas"),
        ),
        (
            "ReplicaSet",
            {"replicas": 3, "readyReplicas": 1, "availableReplicas": 2},
            ("Invalid value", "status.availableReplicas"),
        ),
        (
            "StatefulSet",
            {"replicas": 1, "currentReplicas": 2},
            ("Invalid value", "status.currentReplicas"),
        ),
        ("DaemonSet", {"numberReady": -1}, ("Invalid value", "status.numberReady")),
    ],
)
def test_status_rules_on_status_update(kind: str, status: Obj, expected: tuple[str, str]) -> None:
    # upstream checks them in the status strategy (`ValidateXStatusUpdate`), not on spec updates
    old = workload(kind)
    old["metadata"]["resourceVersion"] = "1"
    new = mutated(old, lambda o: o.update(status=status))
    assert expected in {(e.type, e.field) for e in validate_status_update(kind, new, old)}
    assert expected not in {(e.type, e.field) for e in validate_object_update(new, old)}


def test_collision_count_cannot_be_decremented() -> None:
    old = workload("Deployment")
    old["metadata"]["resourceVersion"] = "1"
    old["status"] = {"collisionCount": 2}
    new = mutated(old, lambda o: o["status"].update(collisionCount=1))
    assert [str(e) for e in validate_status_update("Deployment", new, old)] == [
        "status.collisionCount: Invalid value: 1: cannot be decremented"
    ]
