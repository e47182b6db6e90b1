"""Upstream v1.31 `TestValidatePodUpdate` rows (`pkg/apis/core/validation/validation_test.go`):
scheduling gates, the gated-pod nodeSelector / nodeAffinity mutations, termination grace period,
QoS immutability. As upstream's loop does, a row passes when some error contains its `err` text
(or there is no error when `err` is empty). Rows for pod OS / Windows / SELinux are left out
(not modelled)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from minik8s.api.defaults import apply_defaults
from minik8s.api.validation import validate_object_update

Obj = dict[str, Any]
FORBIDDEN_CHANGE = (
    "Forbidden: pod updates may not change fields other than `spec.containers[*].image"
)


def make_pod(**spec: Any) -> Obj:
    """upstream's `podtest.MakePod("foo", ...)`: a defaulted pod with one container."""
    obj = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "foo", "namespace": "default", "resourceVersion": "1"},
        "spec": {"containers": [{"name": "ctr", "image": "image"}], **spec},
    }
    return apply_defaults(obj)


def gates(*names: str) -> list[Obj]:
    return [{"name": n} for n in names]


def required_affinity(*terms: Obj) -> Obj:
    return {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": list(terms)}
        }
    }


def req(key: str, *values: str) -> Obj:
    return {"key": key, "operator": "In", "values": list(values)}


EXPR = {"matchExpressions": [req("expr", "foo")]}
EXPR_AND_FIELD = {
    "matchExpressions": [req("expr", "foo")],
    "matchFields": [req("metadata.name", "foo")],
}
GROWN = {
    "matchExpressions": [req("expr", "foo"), req("expr2", "foo2")],
    "matchFields": [req("metadata.name", "foo")],
}

# (test name, old spec, new spec, expected error text; "" means valid)
ROWS: list[tuple[str, Obj, Obj, str]] = [
    (
        "update termination grace period seconds not 1",
        {"terminationGracePeriodSeconds": -1},
        {"terminationGracePeriodSeconds": 0},
        "spec: Forbidden: pod updates",
    ),
    (
        "update termination grace period seconds to 1 when previously negative",
        {"terminationGracePeriodSeconds": -1},
        {"terminationGracePeriodSeconds": 1},
        "",
    ),
    (
        "update pod spec schedulingGates: add new scheduling gate",
        {},
        {"schedulingGates": gates("foo")},
        "Forbidden: only deletion is allowed, but found new scheduling gate 'foo'",
    ),
    (
        "update pod spec schedulingGates: mutating an existing scheduling gate",
        {"schedulingGates": gates("foo")},
        {"schedulingGates": gates("bar")},
        "Forbidden: only deletion is allowed, but found new scheduling gate 'bar'",
    ),
    (
        "update pod spec schedulingGates: mutating an existing scheduling gate along with deletion",
        {"schedulingGates": gates("foo", "bar")},
        {"schedulingGates": gates("baz")},
        "Forbidden: only deletion is allowed, but found new scheduling gate 'baz'",
    ),
    (
        "update pod spec schedulingGates: legal deletion",
        {"schedulingGates": gates("foo")},
        {},
        "",
    ),
    (
        "adding node selector is allowed for gated pods",
        {"schedulingGates": gates("baz")},
        {"nodeSelector": {"foo": "bar"}, "schedulingGates": gates("baz")},
        "",
    ),
    (
        "adding node selector is not allowed for non-gated pods",
        {"nodeSelector": {"foo": "bar"}},
        {"nodeSelector": {"foo": "bar", "foo2": "bar2"}},
        FORBIDDEN_CHANGE,
    ),
    (
        "removing node selector is not allowed for gated pods",
        {"nodeSelector": {"foo": "bar"}, "schedulingGates": gates("baz")},
        {"schedulingGates": gates("baz")},
        "spec.nodeSelector: Invalid value:",
    ),
    (
        "removing node selector is not allowed for non-gated pods",
        {"nodeSelector": {"foo": "bar"}},
        {},
        FORBIDDEN_CHANGE,
    ),
    (
        "old pod spec has scheduling gate, new pod spec does not, and node selector is added",
        {"nodeSelector": {"foo": "bar"}, "schedulingGates": gates("baz")},
        {"nodeSelector": {"foo": "bar", "foo2": "bar2"}},
        "",
    ),
    (
        "modifying value of existing node selector is not allowed",
        {"nodeSelector": {"foo": "bar"}, "schedulingGates": gates("baz")},
        {"nodeSelector": {"foo": "new value"}, "schedulingGates": gates("baz")},
        "spec.nodeSelector: Invalid value:",
    ),
    (
        "addition to nodeAffinity is allowed for gated pods",
        {"affinity": required_affinity(EXPR), "schedulingGates": gates("baz")},
        {"affinity": required_affinity(GROWN), "schedulingGates": gates("baz")},
        "",
    ),
    (
        "old RequiredDuringSchedulingIgnoredDuringExecution is non-nil, new is nil, pod is gated",
        {"affinity": required_affinity(EXPR), "schedulingGates": gates("baz")},
        {"affinity": {"nodeAffinity": {}}, "schedulingGates": gates("baz")},
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
        ".nodeSelectorTerms: Invalid value:",
    ),
    (
        "addition to nodeAffinity is not allowed for non-gated pods",
        {"affinity": required_affinity(EXPR)},
        {"affinity": required_affinity(GROWN)},
        FORBIDDEN_CHANGE,
    ),
    (
        "old pod spec has scheduling gate, new pod spec does not, and node affinity addition"
        " occurs",
        {"affinity": required_affinity(EXPR), "schedulingGates": gates("baz")},
        {"affinity": required_affinity(GROWN)},
        "",
    ),
    (
        "nodeAffinity deletion from MatchExpressions not allowed",
        {"affinity": required_affinity(EXPR), "schedulingGates": gates("baz")},
        {
            "affinity": required_affinity({"matchFields": [req("metadata.name", "foo")]}),
            "schedulingGates": gates("baz"),
        },
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
        ".nodeSelectorTerms[0]: Invalid value:",
    ),
    (
        "nodeAffinity deletion from MatchFields not allowed",
        {"affinity": required_affinity(EXPR_AND_FIELD), "schedulingGates": gates("baz")},
        {"affinity": required_affinity(EXPR), "schedulingGates": gates("baz")},
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
        ".nodeSelectorTerms[0]: Invalid value:",
    ),
    (
        "nodeAffinity modification of item in MatchExpressions not allowed",
        {"affinity": required_affinity(EXPR_AND_FIELD), "schedulingGates": gates("baz")},
        {
            "affinity": required_affinity(
                {
                    "matchExpressions": [req("expr", "bar")],
                    "matchFields": [req("metadata.name", "foo")],
                }
            ),
            "schedulingGates": gates("baz"),
        },
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
        ".nodeSelectorTerms[0]: Invalid value:",
    ),
    (
        "nodeAffinity addition of a term to a non-empty list not allowed",
        {"affinity": required_affinity(EXPR), "schedulingGates": gates("baz")},
        {"affinity": required_affinity(EXPR, EXPR), "schedulingGates": gates("baz")},
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
        ".nodeSelectorTerms: Invalid value:",
    ),
    (
        "setting nodeAffinity on a gated pod without one is allowed",
        {"schedulingGates": gates("baz")},
        {"affinity": required_affinity(EXPR), "schedulingGates": gates("baz")},
        "",
    ),
    (
        "podAffinity stays immutable for gated pods",
        {"schedulingGates": gates("baz")},
        {
            "affinity": {
                "podAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": [
                        {"labelSelector": {"matchLabels": {"a": "b"}}, "topologyKey": "zone"}
                    ]
                }
            },
            "schedulingGates": gates("baz"),
        },
        FORBIDDEN_CHANGE,
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "err"), [pytest.param(o, n, e, id=t) for t, o, n, e in ROWS]
)
def test_validate_pod_update(old: Obj, new: Obj, err: str) -> None:
    old_pod = make_pod(**old)
    new_pod = make_pod(**new)
    new_pod["metadata"]["resourceVersion"] = "2"
    messages = [str(e) for e in validate_object_update(new_pod, old_pod)]
    if not err:
        assert messages == []
    else:
        assert any(err in m for m in messages), messages


def test_gated_node_selector_error_message() -> None:
    old = make_pod(nodeSelector={"foo": "bar"}, schedulingGates=gates("baz"))
    new = copy.deepcopy(old)
    new["spec"]["nodeSelector"] = {"foo": "baz"}
    (error,) = validate_object_update(new, old)
    assert (error.type, error.field, error.bad_value) == (
        "Invalid value",
        "spec.nodeSelector",
        {"foo": "baz"},
    )
    assert error.detail == (
        "only additions to spec.nodeSelector are allowed (no mutations or deletions)"
    )


def test_qos_change_is_reported() -> None:
    """upstream: `metadata: Invalid value: ...: Pod QoS is immutable` besides the spec error."""
    old = make_pod()
    old["status"] = {"qosClass": "BestEffort"}
    new = copy.deepcopy(old)
    new["spec"]["containers"][0]["resources"] = {"requests": {"cpu": "1"}}
    messages = [str(e) for e in validate_object_update(new, old)]
    assert messages[0] == 'metadata: Invalid value: "BestEffort": Pod QoS is immutable'
    assert messages[1].startswith("spec: Forbidden: pod updates may not change fields")
