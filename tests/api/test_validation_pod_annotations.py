"""The pod-specific annotation rules (upstream `ValidatePodSpecificAnnotations`,
`ValidatePodSpecificAnnotationUpdates`), with cases from upstream's `TestValidatePod`,
`TestValidatePodUpdate` and `TestValidatePodDeletionCostAnnotation` (`validation_test.go`)."""

import copy
import json
from typing import Any

import pytest

from minik8s.api.defaults import apply_defaults
from minik8s.api.validation import validate_object, validate_object_update
from minik8s.api.validation.pod_annotations import valid_deletion_cost
from minik8s.api.validation.status_pod import validate_pod_status_update

Obj = dict[str, Any]
COST = "controller.kubernetes.io/pod-deletion-cost"
MIRROR = "kubernetes.io/config.mirror"
APPARMOR = "container.apparmor.security.beta.kubernetes.io/"


def pod(annotations: dict[str, str] | None = None, node: str = "") -> Obj:
    spec: Obj = {"containers": [{"name": "ctr", "image": "image"}]}
    if node:
        spec["nodeName"] = node
    meta: Obj = {"name": "p", "namespace": "ns", "annotations": annotations or {}}
    return apply_defaults({"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec})


def messages(obj: Obj) -> list[str]:
    return [str(e) for e in validate_object(obj)]


# TestValidatePodDeletionCostAnnotation
@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("10", True),
        ("-10", True),
        ("0", True),
        ("2147483647", True),
        ("-2147483648", True),
        ("text", False),
        ("+10", False),
        ("010", False),
        ("2147483648", False),
        ("", False),
        ("1.5", False),
    ],
)
def test_pod_deletion_cost(value: str, ok: bool) -> None:
    assert valid_deletion_cost(value) is ok
    detail = f"Invalid value: {json.dumps(value)}: must be a 32bit integer"
    expected = [] if ok else [f"metadata.annotations[{COST}]: {detail}"]
    assert messages(pod({COST: value})) == expected


def test_an_invalid_cost_the_old_pod_had_may_stay() -> None:
    old = pod({COST: "text"})
    old["metadata"]["resourceVersion"] = "1"
    new = copy.deepcopy(old)
    new["spec"]["containers"][0]["image"] = "image:2"
    assert validate_object_update(new, old) == []
    valid_old = pod({COST: "1"})
    valid_old["metadata"]["resourceVersion"] = "1"
    new = copy.deepcopy(valid_old)
    new["metadata"]["annotations"][COST] = "text"
    assert validate_object_update(new, valid_old)


def test_mirror_pod_needs_a_node() -> None:
    assert messages(pod({MIRROR: "x"})) == [
        f'metadata.annotations[{MIRROR}]: Invalid value: "x": '
        "must set spec.nodeName if mirror pod annotation is set"
    ]
    assert messages(pod({MIRROR: "x"}, node="n1")) == []


def test_mirror_and_apparmor_annotations_are_fixed_on_update() -> None:
    old = pod({MIRROR: "x", APPARMOR + "ctr": "runtime/default"}, node="n1")
    old["metadata"]["resourceVersion"] = "1"
    removed = copy.deepcopy(old)
    removed["metadata"]["annotations"] = {}
    assert [str(e) for e in validate_pod_status_update(removed, old)] == [
        f"metadata.annotations[{APPARMOR}ctr]: Forbidden: may not remove or update AppArmor "
        "annotations",
        f"metadata.annotations[{MIRROR}]: Forbidden: "
        "may not remove or update mirror pod annotation",
    ]
    bare = pod(node="n1")
    bare["metadata"]["resourceVersion"] = "1"
    added = copy.deepcopy(bare)
    added["metadata"]["annotations"] = {MIRROR: "y"}
    assert [str(e) for e in validate_object_update(added, bare)] == [
        f"metadata.annotations[{MIRROR}]: Forbidden: may not add mirror pod annotation"
    ]


def test_apparmor_annotation_names_a_container_and_a_profile() -> None:
    assert messages(pod({APPARMOR + "ctr": "localhost/foo"})) == []
    assert messages(pod({APPARMOR + "nope": "bad"})) == [
        f'metadata.annotations[{APPARMOR}nope]: Invalid value: "nope": container not found',
        f'metadata.annotations[{APPARMOR}nope]: Invalid value: "bad": '
        'invalid AppArmor profile name: "bad"',
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("runtime/default", []),
        ("docker/default", []),
        ("unconfined", []),
        ("localhost/profile.json", []),
        ("foo", ["must be a valid seccomp profile"]),
        ("localhost//abs", ["must be a relative path"]),
        ("localhost/../up", ["must not contain '..'"]),
    ],
)
def test_seccomp_annotation(value: str, expected: list[str]) -> None:
    key = "seccomp.security.alpha.kubernetes.io/pod"
    errs = validate_object(pod({key: value}))
    assert [e.detail for e in errs] == expected
    assert all(e.field == f"metadata.annotations.{key}" for e in errs)  # (Child, as upstream)


def test_template_annotations_are_checked_too() -> None:
    template = {
        "metadata": {"labels": {"a": "b"}, "annotations": {COST: "x"}},
        "spec": {"containers": [{"name": "c", "image": "i"}]},
    }
    deploy = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "d", "namespace": "ns"},
        "spec": {"selector": {"matchLabels": {"a": "b"}}, "template": template},
    }
    assert [str(e) for e in validate_object(apply_defaults(deploy))] == [
        f'spec.template.annotations[{COST}]: Invalid value: "x": must be a 32bit integer'
    ]
