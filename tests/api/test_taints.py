"""Upstream `k8s.io/api/core/v1/toleration_test.go` cases plus the helper functions."""

from __future__ import annotations

from typing import Any

import pytest

from minik8s.api.taints import (
    find_matching_untolerated_taint,
    match_taint,
    match_toleration,
    taint_to_string,
    tolerates_taint,
    tolerations_tolerate_taint,
    tolerations_tolerate_taints_with_filter,
)

NS, NE = "NoSchedule", "NoExecute"
SLA = "node.kubernetes.io/sla"


def tol(key: str = "", op: str = "", value: str = "", effect: str = "") -> dict[str, Any]:
    return {"key": key, "operator": op, "value": value, "effect": effect}


def taint(key: str, value: str = "", effect: str = NS) -> dict[str, Any]:
    return {"key": key, "value": value, "effect": effect}


CASES = [
    ("same key and effect, Exists, taint has no value", tol("foo", "Exists", effect=NS),
     taint("foo"), True),
    ("same key and effect, Exists, taint has a value", tol("foo", "Exists", effect=NS),
     taint("foo", "bar"), True),
    ("empty key with Exists matches all taints", tol("", "Exists", effect=NS),
     taint("foo", "bar"), True),
    ("same key, effect and value, Equal", tol("foo", "Equal", "bar", NS), taint("foo", "bar"),
     True),
    ("different values, Equal", tol("foo", "Equal", "value1", NS), taint("foo", "value2"), False),
    ("different effects, Equal", tol("foo", "Equal", "bar", NS), taint("foo", "bar", NE), False),
    ("Gt: taint value below threshold", tol(SLA, "Gt", "950", NS), taint(SLA, "800"), False),
    ("Gt: taint value above threshold", tol(SLA, "Gt", "750", NS), taint(SLA, "950"), True),
    ("Lt: taint value above threshold", tol(SLA, "Lt", "800", NS), taint(SLA, "950"), False),
    ("Lt: taint value below threshold", tol(SLA, "Lt", "950", NS), taint(SLA, "800"), True),
    ("Gt: equal values", tol(SLA, "Gt", "950", NS), taint(SLA, "950"), False),
    ("Gt: non-numeric taint value", tol(SLA, "Gt", "950", NS), taint(SLA, "high"), False),
    ("Gt: negative values", tol("test-key", "Gt", "-100", NS), taint("test-key", "-200"), False),
    ("Gt: large int64 threshold", tol("test-key", "Gt", "9223372036854775806", NS),
     taint("test-key", "100"), False),
    # rules from the doc comment
    ("empty effect matches every effect", tol("foo", "Equal", "bar"), taint("foo", "bar", NE),
     True),
    ("empty operator means Equal", tol("foo", "", "bar", NS), taint("foo", "bar"), True),
    ("empty operator, other value", tol("foo", "", "baz", NS), taint("foo", "bar"), False),
    ("Exists ignores the value", tol("foo", "Exists", "ignored", NS), taint("foo", "bar"), True),
    ("different key", tol("other", "Exists", effect=NS), taint("foo"), False),
    ("empty key and effect with Exists tolerates everything", tol(op="Exists"),
     taint("foo", "bar", NE), True),
    ("unknown operator", tol("foo", "Foo", "bar", NS), taint("foo", "bar"), False),
    ("Gt: overflowing int64 toleration value", tol(SLA, "Gt", "9223372036854775808", NS),
     taint(SLA, "1"), False),
]  # fmt: skip


@pytest.mark.parametrize(("description", "toleration", "taint_", "expected"), CASES)
def test_tolerates_taint(
    description: str, toleration: dict[str, Any], taint_: dict[str, Any], expected: bool
) -> None:
    assert tolerates_taint(toleration, taint_) is expected, description


def test_comparison_operators_can_be_disabled() -> None:
    assert tolerates_taint(tol(SLA, "Gt", "750", NS), taint(SLA, "950"))
    assert not tolerates_taint(
        tol(SLA, "Gt", "750", NS), taint(SLA, "950"), enable_comparison_operators=False
    )


def test_missing_fields_read_as_empty() -> None:
    assert tolerates_taint({"operator": "Exists"}, {"key": "k", "effect": NE})
    assert tolerates_taint({"key": "k"}, {"key": "k", "effect": NS})  # Equal, both values ""
    assert not tolerates_taint({"key": "k", "effect": NS}, {"key": "k"})


def test_tolerations_tolerate_taint() -> None:
    tolerations = [tol("a", "Equal", "1", NS), tol("b", "Exists")]
    assert tolerations_tolerate_taint(tolerations, taint("a", "1"))
    assert tolerations_tolerate_taint(tolerations, taint("b", "x", NE))
    assert not tolerations_tolerate_taint(tolerations, taint("a", "2"))
    assert not tolerations_tolerate_taint([], taint("a", "1"))
    assert not tolerations_tolerate_taint(None, taint("a", "1"))


def _schedule_filter(t: dict[str, Any]) -> bool:
    """The TaintToleration plugin's filter: only NoSchedule and NoExecute taints."""
    return t["effect"] in (NS, NE)


def test_find_matching_untolerated_taint() -> None:
    taints = [taint("soft", "1", "PreferNoSchedule"), taint("a", "1", NS), taint("b", "2", NE)]
    assert find_matching_untolerated_taint(taints, [], _schedule_filter) == taints[1]
    assert find_matching_untolerated_taint(taints, [], None) == taints[0]
    tolerations = [tol("a", "Equal", "1")]
    assert find_matching_untolerated_taint(taints, tolerations, _schedule_filter) == taints[2]
    tolerations.append(tol("b", "Exists", effect=NE))
    assert find_matching_untolerated_taint(taints, tolerations, _schedule_filter) is None
    assert find_matching_untolerated_taint(None, None) is None
    assert tolerations_tolerate_taints_with_filter(tolerations, taints, _schedule_filter)
    assert not tolerations_tolerate_taints_with_filter(tolerations, taints, None)


@pytest.mark.parametrize(
    ("taint_", "text"),
    [
        (taint("k", "v", NS), "k=v:NoSchedule"),
        (taint("k", "", NS), "k:NoSchedule"),
        (taint("k", "v", ""), "k=v:"),
        (taint("k", "", ""), "k"),
        ({"key": "node.kubernetes.io/unreachable", "effect": NE},
         "node.kubernetes.io/unreachable:NoExecute"),
    ],
)  # fmt: skip
def test_taint_to_string(taint_: dict[str, Any], text: str) -> None:
    assert taint_to_string(taint_) == text


def test_match_taint_and_toleration() -> None:
    assert match_taint(taint("k", "v1", NS), taint("k", "v2", NS))
    assert not match_taint(taint("k", "v", NS), taint("k", "v", NE))
    assert match_toleration(tol("k", "Equal", "v", NS), tol("k", "Equal", "v", NS))
    assert not match_toleration(tol("k", "Equal", "v", NS), tol("k", "Exists", "v", NS))
