"""Upstream `pkg/api/validation/objectmeta_test.go` cases for ObjectMeta validation."""

from __future__ import annotations

from typing import Any

import pytest

from minik8s.api.field import Path, aggregate
from minik8s.api.validation import meta as m

F = Path("field")


def _fn(name: str, prefix: bool) -> list[str]:
    return [] if name == "test" else ["wrong value"]


@pytest.mark.parametrize(
    ("meta", "n_errs"),
    [
        ({"name": "test", "generateName": ""}, 0),
        ({"name": "test", "generateName": "test"}, 0),
        ({"name": "invalid", "generateName": ""}, 1),
        ({"name": "invalid", "generateName": "test"}, 1),
        ({"name": "invalid", "generateName": "invalid"}, 2),
    ],
)
def test_custom_name_fn(meta: dict[str, Any], n_errs: int) -> None:
    errs = m.validate_object_meta(meta, False, _fn, F)
    assert len(errs) == n_errs
    if errs:
        assert "wrong value" in str(errs[0])


def test_name_or_generate_name_required() -> None:
    (err,) = m.validate_object_meta({}, False, m.name_is_dns_subdomain, Path("metadata"))
    assert str(err) == "metadata.name: Required value: name or generateName is required"


def test_namespaces_are_dns_labels() -> None:
    errs = m.validate_object_meta({"name": "test", "namespace": "foo.bar"}, True, _fn, F)
    assert len(errs) == 1 and 'Invalid value: "foo.bar"' in str(errs[0])
    errs = m.validate_object_meta({"name": "test", "namespace": "Ab" * 32}, True, _fn, F)
    assert len(errs) == 2 and all("Invalid value" in str(e) for e in errs)
    (err,) = m.validate_object_meta({"name": "test"}, True, _fn, F)
    assert str(err) == "field.namespace: Required value"
    (err,) = m.validate_object_meta({"name": "test", "namespace": "x"}, False, _fn, F)
    assert str(err) == "field.namespace: Forbidden: not allowed on this type"


def _ref(kind: str, uid: str, controller: bool | None = None, api: str = "customresourceVersion"):  # type: ignore[no-untyped-def]
    ref: dict[str, Any] = {"apiVersion": api, "kind": kind, "name": "name", "uid": uid}
    if controller is not None:
        ref["controller"] = controller
    return ref


@pytest.mark.parametrize(
    ("refs", "expected"),
    [
        ([_ref("customresourceKind", "1")], ""),
        ([_ref("Event", "1", api="v1")], "is disallowed from being an owner"),
        ([_ref("Pod", "1", api="a/b/c")], "must be <group>/<version> or <version>"),
        ([_ref("Pod", "1", api="foo/")], "must be <group>/<version> or <version>"),
        ([_ref("Pod", "1", api="v1")], ""),
        (
            [
                _ref("customresourceKind", "1", False),
                _ref("customresourceKind", "2", True),
                _ref("customresourceKind", "3", False),
                _ref("customresourceKind", "4"),
            ],
            "",
        ),
        (
            [
                _ref("customresourceKind1", "1", False),
                _ref("customresourceKind2", "2", True),
                _ref("customresourceKind3", "3", True),
                _ref("customresourceKind4", "4"),
            ],
            'Only one reference can have Controller set to true. Found "true" in references for '
            "customresourceKind2/name and customresourceKind3/name",
        ),
    ],
)
def test_owner_references(refs: list[dict[str, Any]], expected: str) -> None:
    meta = {"name": "test", "namespace": "test", "ownerReferences": refs}
    errs = m.validate_object_meta(meta, True, _fn, F)
    assert bool(errs) == bool(expected)
    if errs:
        assert expected in str(errs[0])


def test_owner_reference_required_fields() -> None:
    refs = [{"apiVersion": "a/b/c"}, {"apiVersion": "foo/", "kind": "Pod", "name": "n", "uid": "1"}]
    errs = m.validate_owner_references(refs, Path("metadata", "ownerReferences"))
    assert [str(e) for e in errs] == [
        'metadata.ownerReferences[0].apiVersion: Invalid value: "a/b/c": '
        "must be <group>/<version> or <version>",
        "metadata.ownerReferences[0].kind: Required value",
        "metadata.ownerReferences[0].name: Required value",
        "metadata.ownerReferences[0].uid: Required value",
        'metadata.ownerReferences[1].apiVersion: Invalid value: "foo/": '
        "must be <group>/<version> or <version>",
    ]
    (err,) = m.validate_owner_references([{"kind": "Pod", "name": "n", "uid": "1"}], F)
    assert str(err) == "field[0].apiVersion: Required value"
    (err,) = m.validate_owner_references([_ref("Event", "1", api="v1")], F)
    assert err.field == "field[0]"
    assert err.detail == "/v1, Kind=Event is disallowed from being an owner"


def _upd(new: dict[str, Any], old: dict[str, Any]) -> list[str]:
    base = {"name": "test", "resourceVersion": "1"}
    return [str(e) for e in m.validate_object_meta_update({**base, **new}, {**base, **old}, F)]


def test_update_creation_timestamp_immutable() -> None:
    t10, t11 = "1970-01-01T00:00:10Z", "1970-01-01T00:00:11Z"
    assert len(_upd({}, {"creationTimestamp": t10})) == 1
    assert len(_upd({"creationTimestamp": t10}, {})) == 1
    assert _upd({"creationTimestamp": t10}, {"creationTimestamp": t11}) == [
        'field.creationTimestamp: Invalid value: "1970-01-01T00:00:10Z": field is immutable'
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (["x/a"], ["x/a", "y/b"], "y/b"),
        (["x/a"], ["x/b"], "x/b"),
        (["x/a", "y/b"], ["x/a"], ""),
    ],
)
def test_finalizers_update_while_deleting(old: list[str], new: list[str], expected: str) -> None:
    ts = "1970-01-01T00:00:00Z"
    errs = _upd(
        {"deletionTimestamp": ts, "finalizers": new}, {"deletionTimestamp": ts, "finalizers": old}
    )
    assert bool(errs) == bool(expected)
    if expected:
        assert expected in errs[0]
        assert errs[0] == (
            "field.finalizers: Forbidden: no new finalizers can be added if the object is being "
            f'deleted, found new finalizers []string{{"{expected}"}}'
        )


def test_finalizers_may_be_added_when_not_deleting() -> None:
    assert _upd({"finalizers": ["x/a", "y/b"]}, {"finalizers": ["x/a"]}) == []


def test_conflicting_finalizers() -> None:
    errs = m.validate_finalizers(["orphan", "foregroundDeletion"], F)
    assert "cannot be both set" in aggregate(errs)
    assert errs[0].detail == "finalizer orphan and foregroundDeletion cannot be both set"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ({}, {}, []),
        (
            {"deletionTimestamp": "1970-01-01T00:16:40Z", "deletionGracePeriodSeconds": 30},
            {"deletionTimestamp": "1970-01-01T00:16:40Z", "deletionGracePeriodSeconds": 30},
            [],
        ),
        (
            {},
            {"deletionTimestamp": "1970-01-01T00:16:40Z"},
            ['field.deletionTimestamp: Invalid value: "1970-01-01T00:16:40Z": field is immutable'],
        ),
        (
            {"deletionTimestamp": "1970-01-01T00:16:40Z"},
            {},
            ["field.deletionTimestamp: Invalid value: null: field is immutable"],
        ),
        (
            {"deletionTimestamp": "1970-01-01T00:16:40Z"},
            {"deletionTimestamp": "1970-01-01T00:33:20Z"},
            ['field.deletionTimestamp: Invalid value: "1970-01-01T00:33:20Z": field is immutable'],
        ),
        (
            {},
            {"deletionGracePeriodSeconds": 30},
            ["field.deletionGracePeriodSeconds: Invalid value: 30: field is immutable"],
        ),
        (
            {"deletionGracePeriodSeconds": 30},
            {},
            ["field.deletionGracePeriodSeconds: Invalid value: null: field is immutable"],
        ),
        (
            {"deletionGracePeriodSeconds": 30},
            {"deletionGracePeriodSeconds": 40},
            ["field.deletionGracePeriodSeconds: Invalid value: 40: field is immutable"],
        ),
    ],
)
def test_deletion_fields_immutable(
    old: dict[str, Any], new: dict[str, Any], expected: list[str]
) -> None:
    assert _upd(new, old) == expected


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (5, 4, ["field.generation: Invalid value: 4: must not be decremented"]),
        (1, 2, []),
        (5, 5, []),
        (
            0,
            -1,
            [
                "field.generation: Invalid value: -1: must be greater than or equal to 0",
                "field.generation: Invalid value: -1: must not be decremented",
            ],
        ),
    ],
)
def test_generation_update(old: int, new: int, expected: list[str]) -> None:
    assert _upd({"generation": new}, {"generation": old}) == expected


def test_update_immutable_identity_and_resource_version() -> None:
    new = {"name": "b", "namespace": "n2", "uid": "u2"}
    old = {"name": "a", "namespace": "n1", "uid": "u1", "resourceVersion": "1"}
    errs = [str(e) for e in m.validate_object_meta_update(new, old, Path("metadata"))]
    assert errs == [
        'metadata.resourceVersion: Invalid value: "": must be specified for an update',
        'metadata.name: Invalid value: "b": field is immutable',
        'metadata.namespace: Invalid value: "n2": field is immutable',
        'metadata.uid: Invalid value: "u2": field is immutable',
    ]


def test_generate_name_may_end_in_dash() -> None:
    meta = {"name": "test", "generateName": "foo-"}
    assert m.validate_object_meta(meta, False, m.name_is_dns_subdomain, F) == []
    assert m.name_is_dns_label("foo-", True) == []
    assert m.name_is_dns1035_label("foo-", True) == []
    assert m.name_is_dns_label("foo-", False) != []


LIMIT = m.TOTAL_ANNOTATION_SIZE_LIMIT_B


@pytest.mark.parametrize(
    "annotations",
    [
        {"simple": "bar"}, {"now-with-dashes": "bar"}, {"1-starts-with-num": "bar"},
        {"1234": "bar"}, {"simple/simple": "bar"}, {"now-with-dashes/simple": "bar"},
        {"now-with-dashes/now-with-dashes": "bar"}, {"now.with.dots/simple": "bar"},
        {"now-with.dashes-and.dots/simple": "bar"}, {"1-num.2-num/3-num": "bar"},
        {"1234/5678": "bar"}, {"1.2.3.4/5678": "bar"}, {"UpperCase123": "bar"},
        {"a": "b" * (LIMIT - 1)},
        {"a": "b" * (LIMIT // 2 - 1), "c": "d" * (LIMIT // 2 - 1)},
    ],
)  # fmt: skip
def test_annotations_good(annotations: dict[str, str]) -> None:
    assert m.validate_annotations(annotations, F) == []


@pytest.mark.parametrize(
    ("annotations", "expected"),
    [
        ({"nospecialchars^=@": "bar"}, "name part must consist of"),
        ({"cantendwithadash-": "bar"}, "name part must consist of"),
        ({"only/one/slash": "bar"}, "a valid label key must consist of"),
        ({"a" * 254: "bar"}, "must be no more than"),
    ],
)
def test_annotations_bad_names(annotations: dict[str, str], expected: str) -> None:
    (err,) = m.validate_annotations(annotations, F)
    assert expected in err.detail


@pytest.mark.parametrize(
    "annotations", [{"a": "b" * LIMIT}, {"a": "b" * (LIMIT // 2), "c": "d" * (LIMIT // 2)}]
)
def test_annotations_too_big(annotations: dict[str, str]) -> None:
    (err,) = m.validate_annotations(annotations, F)
    assert err.type == "Too long" and str(LIMIT) in err.detail


def test_labels() -> None:
    assert m.validate_labels({"app": "web", "example.com/tier": ""}, F) == []
    errs = m.validate_labels({"-bad": "-bad"}, Path("metadata", "labels"))
    assert [e.field for e in errs] == ["metadata.labels", "metadata.labels"]
    assert errs[0].detail.startswith("name part must consist of")
    assert errs[1].detail.startswith("a valid label must be an empty string")


def test_label_selector_validation() -> None:
    p = Path("spec", "selector")
    sel = {
        "matchLabels": {"a": "b"},
        "matchExpressions": [
            {"key": "x", "operator": "In"},
            {"key": "y", "operator": "Exists", "values": ["1"]},
            {"key": "z", "operator": "Foo"},
        ],
    }
    assert [str(e) for e in m.validate_label_selector(sel, p)] == [
        "spec.selector.matchExpressions[0].values: Required value: must be specified when "
        "`operator` is 'In' or 'NotIn'",
        "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when "
        "`operator` is 'Exists' or 'DoesNotExist'",
        'spec.selector.matchExpressions[2].operator: Invalid value: "Foo": not a valid selector '
        "operator",
    ]


def test_negative_generation_and_managed_fields() -> None:
    meta = {
        "name": "test",
        "generation": -1,
        "managedFields": [{"operation": "Nope"}, {"fieldsType": "FieldsV1"}],
    }
    errs = [str(e) for e in m.validate_object_meta(meta, False, _fn, Path("metadata"))]
    assert errs == [
        "metadata.generation: Invalid value: -1: must be greater than or equal to 0",
        'metadata.managedFields[0].operation: Invalid value: "Nope": must be `Apply` or `Update`',
        "metadata.managedFields[1].operation: Required value",
    ]
