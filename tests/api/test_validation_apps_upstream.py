"""apps/v1 rows of upstream v1.31 `pkg/apis/apps/validation/validation_test.go` that the
representative cases of `test_validation_apps.py` do not cover: IntOrString edge cases of
maxSurge/maxUnavailable, DaemonSet activeDeadlineSeconds, and ValidateStatefulSetUpdate
(which re-validates the spec but not the name, and keeps revisionHistoryLimit immutable)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from minik8s.api.defaults import apply_defaults
from minik8s.api.validation import validate_object, validate_object_update

Obj = dict[str, Any]
PERCENT_ERROR = (
    "a valid percent string must be a numeric string followed by an ending '%' "
    "(e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"
)


def workload(kind: str, name: str = "web", **spec: Any) -> Obj:
    body: Obj = {
        "selector": {"matchLabels": {"app": "web"}},
        "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "web", "image": "nginx:1.25"}]},
        },
        **spec,
    }
    obj = {
        "apiVersion": "apps/v1",
        "kind": kind,
        "metadata": {"name": name, "namespace": "default"},
        "spec": body,
    }
    return apply_defaults(obj)


def errors(obj: Obj) -> list[str]:
    return [str(e) for e in validate_object(obj)]


def rolling_deployment(surge: Any, unavailable: Any) -> Obj:
    strategy = {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxSurge": surge, "maxUnavailable": unavailable},
    }
    return workload("Deployment", strategy=strategy)


def rolling_daemon_set(surge: Any, unavailable: Any) -> Obj:
    strategy = {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxSurge": surge, "maxUnavailable": unavailable},
    }
    return workload("DaemonSet", updateStrategy=strategy)


UNAVAILABLE = "spec.strategy.rollingUpdate.maxUnavailable"


@pytest.mark.parametrize(
    ("surge", "unavailable", "expected"),
    [
        # both zero, whatever their spelling
        (0, "0%", [f'{UNAVAILABLE}: Invalid value: "0%": may not be 0 when `maxSurge` is 0']),
        ("0%", 0, [f"{UNAVAILABLE}: Invalid value: 0: may not be 0 when `maxSurge` is 0"]),
        # a string that is no percentage counts as Go's Atoi reads it (not as a percentage):
        # "150" is not "more than 100%", only an invalid percent
        (1, "150", [f'{UNAVAILABLE}: Invalid value: "150": {PERCENT_ERROR}']),
        # "20Percent" reads as 0: with maxSurge 0 both are zero
        (
            0,
            "20Percent",
            [
                f'{UNAVAILABLE}: Invalid value: "20Percent": {PERCENT_ERROR}',
                f'{UNAVAILABLE}: Invalid value: "20Percent": may not be 0 when `maxSurge` is 0',
            ],
        ),
        (1, "135%", [f'{UNAVAILABLE}: Invalid value: "135%": must not be greater than 100%']),
        ("100%", "100%", []),
    ],
)
def test_deployment_rolling_update_int_or_percent(
    surge: Any, unavailable: Any, expected: list[str]
) -> None:
    assert errors(rolling_deployment(surge, unavailable)) == expected


def test_daemon_set_surge_string_not_percent_is_not_over_100() -> None:
    path = "spec.updateStrategy.rollingUpdate.maxSurge"
    assert errors(rolling_daemon_set("150", 0)) == [
        f'{path}: Invalid value: "150": {PERCENT_ERROR}',
    ]
    assert errors(rolling_daemon_set("150%", 0)) == [
        f'{path}: Invalid value: "150%": must not be greater than 100%',
    ]


def test_daemon_set_active_deadline_seconds_is_forbidden() -> None:
    obj = workload("DaemonSet")
    obj["spec"]["template"]["spec"]["activeDeadlineSeconds"] = 10
    assert errors(obj) == [
        "spec.template.spec.activeDeadlineSeconds: Forbidden: "
        "activeDeadlineSeconds in DaemonSet is not Supported"
    ]


def _stored(kind: str, name: str = "web") -> Obj:
    obj = workload(kind, name=name)
    obj["metadata"]["resourceVersion"] = "1"
    return obj


def test_stateful_set_update_does_not_revalidate_the_name() -> None:
    """upstream: StatefulSets once allowed DNS-subdomain names; they must stay updatable."""
    old = _stored("StatefulSet", name="web.v1")
    new = copy.deepcopy(old)
    new["spec"]["replicas"] = 3
    assert validate_object_update(new, old) == []
    assert "metadata.name" in {e.field for e in validate_object(new)}


def test_stateful_set_update_revalidates_the_spec_once() -> None:
    old = _stored("StatefulSet")
    new = copy.deepcopy(old)
    new["spec"]["replicas"] = -1
    assert [str(e) for e in validate_object_update(new, old)] == [
        "spec.replicas: Invalid value: -1: must be greater than or equal to 0"
    ]


def test_stateful_set_update_of_revision_history_limit_is_forbidden() -> None:
    old = _stored("StatefulSet")
    new = copy.deepcopy(old)
    new["spec"]["revisionHistoryLimit"] = 3
    assert [str(e) for e in validate_object_update(new, old)] == [
        "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', "
        "'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' "
        "and 'minReadySeconds' are forbidden"
    ]


def test_stateful_set_update_checks_finalizer_names() -> None:
    old = _stored("StatefulSet")
    new = copy.deepcopy(old)
    new["metadata"]["finalizers"] = ["no-slash-finalizer"]
    assert [(e.type, e.field) for e in validate_object_update(new, old)] == [
        ("Invalid value", "metadata.finalizers[0]")
    ]


@pytest.mark.parametrize("kind", ["Deployment", "ReplicaSet", "DaemonSet"])
def test_selector_change_reports_immutable_once(kind: str) -> None:
    old = _stored(kind)
    new = copy.deepcopy(old)
    new["spec"]["selector"] = {"matchLabels": {"app": "web", "tier": "front"}}
    new["spec"]["template"]["metadata"]["labels"]["tier"] = "front"
    assert [str(e) for e in validate_object_update(new, old)] == [
        'spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"front"}}: '
        "field is immutable"
    ]
