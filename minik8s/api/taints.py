"""Taints and tolerations, mirroring `k8s.io/api/core/v1` `toleration.go` + `taint.go` and the
component-helpers `scheduling/corev1` helpers (`TolerationsTolerateTaint`,
`FindMatchingUntoleratedTaint`).

Tolerations and taints are plain dicts in API shape (`key`, `operator`, `value`, `effect`). The
numeric `Lt` / `Gt` operators of current upstream are supported (upstream gates them behind the
TaintTolerationComparisonOperators feature; pass `enable_comparison_operators=False` for the
older behaviour, where they tolerate nothing); both values must be canonical decimal int64s
(`content.IsDecimalInteger`: no "+", no leading zeros). Left out: CEL toleration expressions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

NO_SCHEDULE, PREFER_NO_SCHEDULE, NO_EXECUTE = "NoSchedule", "PreferNoSchedule", "NoExecute"
OP_EQUAL, OP_EXISTS, OP_LT, OP_GT = "Equal", "Exists", "Lt", "Gt"
# k8s.io/api core/v1 well_known_taints.go
TAINT_NODE_NOT_READY = "node.kubernetes.io/not-ready"
TAINT_NODE_UNREACHABLE = "node.kubernetes.io/unreachable"
TAINT_NODE_UNSCHEDULABLE = "node.kubernetes.io/unschedulable"

Taint = dict[str, Any]
Toleration = dict[str, Any]
# apimachinery `content.IsDecimalInteger`: "0", or an optional "-" then 1-9 then digits (no "+",
# no leading zeros, no "-0"), ASCII only.
_DECIMAL_INTEGER = re.compile("0|-?[1-9][0-9]*", re.ASCII)


def _parse_int64(text: str) -> int | None:
    """`IsDecimalInteger` then Go's strconv.ParseInt(text, 10, 64); None on error."""
    if not _DECIMAL_INTEGER.fullmatch(text) or not -(2**63) <= int(text) < 2**63:
        return None
    return int(text)


def _compare_numeric(toleration_value: str, taint_value: str, operator: str) -> bool:
    """upstream `compareNumericValues`: both values canonical decimal int64s, then taint value
    `<` / `>` toleration value."""
    threshold, value = _parse_int64(toleration_value), _parse_int64(taint_value)
    if threshold is None or value is None:
        return False
    return value < threshold if operator == OP_LT else value > threshold


def tolerates_taint(
    toleration: Toleration, taint: Taint, *, enable_comparison_operators: bool = True
) -> bool:
    """upstream `Toleration.ToleratesTaint`."""
    effect, key = toleration.get("effect") or "", toleration.get("key") or ""
    if effect and effect != (taint.get("effect") or ""):
        return False
    if key and key != (taint.get("key") or ""):
        return False
    operator = toleration.get("operator") or ""
    value, taint_value = toleration.get("value") or "", taint.get("value") or ""
    if operator in ("", OP_EQUAL):  # an empty operator means Equal
        return value == taint_value
    if operator == OP_EXISTS:
        return True
    if operator in (OP_LT, OP_GT) and enable_comparison_operators:
        return _compare_numeric(value, taint_value, operator)
    return False


def tolerations_tolerate_taint(
    tolerations: Iterable[Toleration] | None,
    taint: Taint,
    *,
    enable_comparison_operators: bool = True,
) -> bool:
    """upstream `TolerationsTolerateTaint`: any toleration tolerates the taint."""
    return any(
        tolerates_taint(t, taint, enable_comparison_operators=enable_comparison_operators)
        for t in tolerations or ()
    )


def find_matching_untolerated_taint(
    taints: Iterable[Taint] | None,
    tolerations: Iterable[Toleration] | None,
    inclusion_filter: Callable[[Taint], bool] | None = None,
    *,
    enable_comparison_operators: bool = True,
) -> Taint | None:
    """upstream `FindMatchingUntoleratedTaint`: the first filtered taint no toleration tolerates
    (upstream's `(taint, true)`), or None (upstream's `(Taint{}, false)`)."""
    tolerations = list(tolerations or ())
    for taint in taints or ():
        if inclusion_filter is not None and not inclusion_filter(taint):
            continue
        if not tolerations_tolerate_taint(
            tolerations, taint, enable_comparison_operators=enable_comparison_operators
        ):
            return taint
    return None


def tolerations_tolerate_taints_with_filter(
    tolerations: Iterable[Toleration] | None,
    taints: Iterable[Taint] | None,
    apply_filter: Callable[[Taint], bool] | None = None,
) -> bool:
    """upstream `TolerationsTolerateTaintsWithFilter`: every filtered taint is tolerated."""
    return find_matching_untolerated_taint(taints, tolerations, apply_filter) is None


def taint_to_string(taint: Taint) -> str:
    """upstream `Taint.ToString`: `key=value:effect`, `key=value:`, `key:effect` or `key`."""
    key, value, effect = taint.get("key") or "", taint.get("value") or "", taint.get("effect") or ""
    if not effect:
        return f"{key}={value}:" if value else key
    return f"{key}={value}:{effect}" if value else f"{key}:{effect}"


def match_taint(taint: Taint, other: Taint) -> bool:
    """upstream `Taint.MatchTaint`: taints are unique by key and effect."""
    return (taint.get("key") or "", taint.get("effect") or "") == (
        other.get("key") or "",
        other.get("effect") or "",
    )


def match_toleration(toleration: Toleration, other: Toleration) -> bool:
    """upstream `Toleration.MatchToleration`: same key, effect, operator and value."""
    fields = ("key", "effect", "operator", "value")
    return all((toleration.get(f) or "") == (other.get(f) or "") for f in fields)
