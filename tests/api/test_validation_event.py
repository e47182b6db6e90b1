"""Event validation for a core/v1 request, ported from upstream v1.31
`pkg/apis/core/validation/events_test.go` (TestValidateEventForCoreV1Events and
TestValidateEventForNewV1beta1Events: legacyValidateEvent is all a v1 request gets)."""

from __future__ import annotations

from typing import Any

import pytest

from minik8s.api.validation import validate_object, validate_object_update

SOME_TIME = "2017-09-19T13:49:16.000000Z"  # metav1.MicroTime{time.Unix(1505828956, 0)}
Obj = dict[str, Any]


def event(name: str, namespace: str, involved: Obj, **fields: Any) -> Obj:
    meta = {"name": name, **({"namespace": namespace} if namespace else {})}
    return {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": meta,
        "involvedObject": involved,
        **fields,
    }


def errors(obj: Obj) -> list[str]:
    return [str(e) for e in validate_object(obj)]


CORE_V1 = [  # (name, namespace, involvedObject apiVersion, kind, namespace, valid)
    ("test1", "foo", "", "Pod", "bar", False),
    ("test2", "aoeu-_-aoeu", "", "Pod", "aoeu-_-aoeu", False),
    ("test3", "default", "v1", "Node", "", True),
    ("test4", "default", "v1", "Namespace", "", True),
    ("test5", "default", "apps/v1", "NoKind", "default", True),
    ("test6", "default", "batch/v1", "Job", "foo", False),
    ("test7", "default", "batch/v1", "Job", "default", True),
    ("test8", "default", "other/v1beta1", "Job", "foo", False),
    ("test9", "foo", "other/v1beta1", "Job", "foo", True),
    ("test10", "default", "batch", "Job", "foo", False),
    ("test11", "foo", "batch/v1", "Job", "foo", True),
    ("test12", "foo", "other/v1beta1", "FooBar", "bar", False),
    ("test13", "", "other/v1beta1", "FooBar", "bar", False),
    ("test14", "foo", "other/v1beta1", "FooBar", "", False),
]


@pytest.mark.parametrize(("name", "ns", "api_version", "kind", "involved_ns", "valid"), CORE_V1)
def test_validate_event_for_core_v1_events(name, ns, api_version, kind, involved_ns, valid):
    involved = {"apiVersion": api_version, "kind": kind, "namespace": involved_ns}
    obj = event(name, ns, {k: v for k, v in involved.items() if v})
    assert (errors(obj) == []) is valid
    empty_old = {"apiVersion": "v1", "kind": "Event", "metadata": {"name": name}}
    assert (validate_object_update(obj, empty_old) == []) is valid


NODE = {"apiVersion": "v1", "kind": "Node"}
GOOD = {
    "eventTime": SOME_TIME,
    "reportingComponent": "k8s.io/my-controller",
    "reportingInstance": "node-xyz",
    "action": "Do",
    "reason": "Because",
}
NEW_STYLE = [  # (what, namespace, fields, expected errors)
    (
        "old Event with eventTime gets new validation",
        "default",
        {"eventTime": SOME_TIME},
        [
            "reportingController: Required value",
            'reportingController: Invalid value: "": name part must be non-empty',
            'reportingController: Invalid value: "": name part must consist of alphanumeric '
            "characters, '-', '_' or '.', and must start and end with an alphanumeric character "
            "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
            "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
            "reportingInstance: Required value",
            "action: Required value",
            "reason: Required value",
        ],
    ),
    ("valid new Event", "kube-system", GOOD, []),
    (
        "not qualified reportingController",
        "kube-system",
        {**GOOD, "reportingComponent": "my-contr@ller"},
        [
            'reportingController: Invalid value: "my-contr@ller": name part must consist of '
            "alphanumeric characters, '-', '_' or '.', and must start and end with an "
            "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used "
            "for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
        ],
    ),
    (
        "too long reporting instance",
        "kube-system",
        {**GOOD, "reportingInstance": "node-" + "z" * 124},
        ['reportingInstance: Invalid value: "": can have at most 128 characters'],
    ),
    ("missing reason", "kube-system", {**GOOD, "reason": ""}, ["reason: Required value"]),
    ("missing action", "kube-system", {**GOOD, "action": ""}, ["action: Required value"]),
    (
        "too long message",
        "default",
        {**GOOD, "message": "z" * 1025},
        ['message: Invalid value: "": can have at most 1024 characters'],
    ),
    (
        "an Event about a cluster-scoped object must be in default or kube-system",
        "foo",
        GOOD,
        ['involvedObject.namespace: Invalid value: "": does not match event.namespace'],
    ),
]


@pytest.mark.parametrize(("what", "ns", "fields", "expected"), NEW_STYLE)
def test_validate_event_for_new_style_events(what, ns, fields, expected):
    assert errors(event("test", ns, NODE, **fields)) == expected, what


def test_a_null_event_time_is_an_old_style_event():
    # every core/v1 Event the recorder writes carries `eventTime: null`
    assert errors(event("e", "default", NODE, eventTime=None, reportingComponent="kubelet")) == []
