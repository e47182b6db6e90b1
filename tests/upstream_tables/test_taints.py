"""`k8s.io/api/core/v1/toleration_test.go` and `pkg/apis/core/v1/helper/helpers_test.go` rows.

TestTolerationToleratesTaint is ported row for row with upstream's descriptions (the older
tests/api/test_taints.py paraphrases them); helpers_test.go's
TestTolerationsTolerateTaintsWithFilter and TestFindMatchingUntoleratedTaint share one table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from minik8s.api.taints import (
    find_matching_untolerated_taint,
    tolerates_taint,
    tolerations_tolerate_taints_with_filter,
)

NS, NE = "NoSchedule", "NoExecute"
SLA = "node.kubernetes.io/sla"


def tol(key: str, op: str, value: str = "", effect: str = NS) -> dict[str, Any]:
    """A v1.Toleration."""
    return {"key": key, "operator": op, "value": value, "effect": effect}


def taint(key: str, value: str = "", effect: str = NS) -> dict[str, Any]:
    """A v1.Taint."""
    taint_: dict[str, Any] = {"key": key, "effect": effect}
    if value:
        taint_["value"] = value
    return taint_


TOLERATES_TAINT = [
    ("toleration and taint have the same key and effect, and operator is Exists, and taint has "
     "no value, expect tolerated", tol("foo", "Exists"), taint("foo"), True),
    ("toleration and taint have the same key and effect, and operator is Exists, and taint has "
     "some value, expect tolerated", tol("foo", "Exists"), taint("foo", "bar"), True),
    ("toleration and taint have the same effect, toleration has empty key and operator is "
     "Exists, means match all taints, expect tolerated", tol("", "Exists"), taint("foo", "bar"),
     True),
    ("toleration and taint have the same key, effect and value, and operator is Equal, expect "
     "tolerated", tol("foo", "Equal", "bar"), taint("foo", "bar"), True),
    ("toleration and taint have the same key and effect, but different values, and operator is "
     "Equal, expect not tolerated", tol("foo", "Equal", "value1"), taint("foo", "value2"), False),
    ("toleration and taint have the same key and value, but different effects, and operator is "
     "Equal, expect not tolerated", tol("foo", "Equal", "bar"), taint("foo", "bar", NE), False),
    ("toleration with Gt operator - taint value less than toleration value, expect not "
     "tolerated", tol(SLA, "Gt", "950"), taint(SLA, "800"), False),
    ("toleration with Gt operator - taint value greater than toleration value, expect "
     "tolerated", tol(SLA, "Gt", "750"), taint(SLA, "950"), True),
    ("toleration with Lt operator - taint value greater than toleration value, expect not "
     "tolerated", tol(SLA, "Lt", "800"), taint(SLA, "950"), False),
    ("toleration with Lt operator - taint value less than toleration value, expect tolerated",
     tol(SLA, "Lt", "950"), taint(SLA, "800"), True),
    ("toleration with Gt operator and taint with equal numeric value, expect not tolerated",
     tol(SLA, "Gt", "950"), taint(SLA, "950"), False),
    ("toleration with Gt operator and taint with non-numeric value, expect not tolerated",
     tol(SLA, "Gt", "950"), taint(SLA, "high"), False),
    ("toleration with Gt operator and negative numeric values - taint value less than "
     "threshold, expect not tolerated", tol("test-key", "Gt", "-100"), taint("test-key", "-200"),
     False),
    ("toleration with Gt operator and large int64 values - taint value less than threshold, "
     "expect not tolerated", tol("test-key", "Gt", "9223372036854775806"),
     taint("test-key", "100"), False),
]  # fmt: skip


@pytest.mark.parametrize(("description", "toleration", "taint_", "expected"), TOLERATES_TAINT)
def test_toleration_tolerates_taint(
    description: str, toleration: dict[str, Any], taint_: dict[str, Any], expected: bool
) -> None:
    """TestTolerationToleratesTaint (every row)."""
    assert tolerates_taint(toleration, taint_) is expected, description


Filter = Callable[[dict[str, Any]], bool] | None
WITH_FILTER: list[tuple[str, list[dict[str, Any]], list[dict[str, Any]], Filter, bool]] = [
    ("empty tolerations tolerate empty taints", [], [], lambda t: True, True),
    ("non-empty tolerations tolerate empty taints", [tol("foo", "Exists")], [], lambda t: True,
     True),
    ("tolerations match all taints, expect tolerated", [tol("foo", "Exists")], [taint("foo")],
     lambda t: True, True),
    ("tolerations don't match taints, but no taints apply to the filter, expect tolerated",
     [tol("foo", "Exists")], [taint("bar")], lambda t: False, True),
    ("no filterFunc indicated, means all taints apply to the filter, tolerations don't match "
     "taints, expect untolerated", [tol("foo", "Exists")], [taint("bar")], None, False),
    ("tolerations match taints, expect tolerated", [tol("foo", "Exists", effect=NE)],
     [taint("foo", effect=NE), taint("bar")], lambda t: t["effect"] == NE, True),
]  # fmt: skip


@pytest.mark.parametrize(("description", "tolerations", "taints", "apply", "ok"), WITH_FILTER)
def test_tolerations_tolerate_taints_with_filter(
    description: str,
    tolerations: list[dict[str, Any]],
    taints: list[dict[str, Any]],
    apply: Filter,
    ok: bool,
) -> None:
    """TestTolerationsTolerateTaintsWithFilter and TestFindMatchingUntoleratedTaint."""
    assert tolerations_tolerate_taints_with_filter(tolerations, taints, apply) is ok, description
    untolerated = find_matching_untolerated_taint(taints, tolerations, apply)
    assert (untolerated is None) is ok, description


COMPARE_NUMERIC_VALUES = [
    ("100", "200", "Gt", True), ("200", "100", "Gt", False), ("100", "100", "Gt", False),
    ("-100", "-50", "Gt", True), ("-50", "-100", "Gt", False), ("0", "1", "Gt", True),
    ("9223372036854775806", "9223372036854775807", "Gt", True),
    ("200", "100", "Lt", True), ("100", "200", "Lt", False), ("100", "100", "Lt", False),
    ("-50", "-100", "Lt", True), ("-100", "-50", "Lt", False), ("0", "-1", "Lt", True),
    ("abc", "100", "Gt", False), ("", "100", "Gt", False), ("0100", "200", "Gt", False),
    ("+100", "200", "Gt", False), ("100.5", "200", "Gt", False), ("-", "100", "Gt", False),
    ("100", "xyz", "Gt", False), ("100", "", "Gt", False), ("100", "0200", "Gt", False),
    ("100", "+200", "Lt", False), ("100", " 200 ", "Lt", False),
    ("100", "100", "Equal", True),  # Equal/Exists never reach compareNumericValues here:
    ("100", "100", "Exists", True),  # ToleratesTaint answers them before (see docstring)
    ("0", "0", "Gt", False), ("0", "0", "Lt", False),
    ("0", "9223372036854775807", "Gt", True), ("0", "-9223372036854775808", "Lt", True),
]  # fmt: skip


@pytest.mark.parametrize(("toleration_value", "taint_value", "op", "ok"), COMPARE_NUMERIC_VALUES)
def test_compare_numeric_values(toleration_value: str, taint_value: str, op: str, ok: bool) -> None:
    """toleration_test.go TestCompareNumericValues, through ToleratesTaint. Upstream calls
    compareNumericValues directly, where Equal/Exists give false; through ToleratesTaint, whose
    switch handles them first, equal values are tolerated."""
    toleration = tol("k", op, toleration_value)
    assert tolerates_taint(toleration, taint("k", taint_value)) is ok


def test_comparison_operators_behind_the_feature_gate() -> None:
    """ToleratesTaint(..., enableComparisonOperators=false): Lt and Gt tolerate nothing."""
    assert tolerates_taint(tol(SLA, "Gt", "750"), taint(SLA, "950"))
    assert not tolerates_taint(
        tol(SLA, "Gt", "750"), taint(SLA, "950"), enable_comparison_operators=False
    )
    assert tolerates_taint(tol("foo", "Exists"), taint("foo"), enable_comparison_operators=False)


DECIMAL_INTEGER_VALID = [
    "0", "1", "2", "5", "9", "-5", "-1", "-9", "100", "234", "345", "456", "567", "678", "789",
    "890", "999", "123", "-456", "-100", "-987", "9223372036854775807", "-9223372036854775808",
    "999999999999",
]  # fmt: skip
DECIMAL_INTEGER_INVALID = [
    "-0", "00", "000", "0000000", "01", "02", "09", "0123", "0700", "0950", "00123", "-01",
    "-0123", "-00", "+123", "+5", "+0", "", "-", "+", " ", "   ", " 123", "123 ", "12 3", " 123 ",
    "12.3", "0.0", "-12.5", "123.", ".123", "abc", "12a3", "a123", "123a", "ABC", "12A3",
    "0x123", "0X123", "0o777", "0b101", "1e5", "1e-5", "1E5", "1_000", "1,000", "1.000", "1'000",
    "--123", "++123", "+-123", "-+123", "123-", "12-3", "123+", "12+3", "\t123", "123\t",
    "123\n", "123\r", "123\x00", "123\v", "123\f", "(123)", "[123]", "{123}", "$123", "123%",
    "#123", "@123", "&123", "*123", "12/3", "12\\3", "12|3", "12;3", "12:3", "12?3", "12!3",
    "~123", "`123", "'123'", '"123"', "\u2212123", "\uff11\uff12\uff13", "\u0661\u0662\u0663",
    "\u4e00\u4e8c\u4e09", "123\u2074", "123\u2084",
    "12345678901234567890",  # a valid decimal integer, but not an int64 (ParseInt fails)
]  # fmt: skip


@pytest.mark.parametrize("value", DECIMAL_INTEGER_VALID)
def test_decimal_integer_values_compare(value: str) -> None:
    """content/decimal_int_test.go TestIsDecimalInteger valid rows: Gt/Lt against "0" compare."""
    number = int(value)
    assert tolerates_taint(tol("k", "Gt", "0"), taint("k", value)) is (number > 0)
    assert tolerates_taint(tol("k", "Lt", "0"), taint("k", value)) is (number < 0)
    assert tolerates_taint(tol("k", "Gt", value), taint("k", "0")) is (number < 0)


@pytest.mark.parametrize("value", DECIMAL_INTEGER_INVALID)
def test_decimal_integer_values_never_compare(value: str) -> None:
    """TestIsDecimalInteger invalid rows: neither a taint nor a toleration value compares."""
    for op in ("Gt", "Lt"):
        assert not tolerates_taint(tol("k", op, "0"), taint("k", value))
        assert not tolerates_taint(tol("k", op, value), taint("k", "0"))
