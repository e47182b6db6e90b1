"""A Job's podFailurePolicy and successPolicy rules, mirroring `validatePodFailurePolicy`,
`validateSuccessPolicy` and `validateIndexesFormat` of `pkg/apis/batch/validation/validation.go`
(v1.31), with their limits (20 rules, 255 exit codes, 20 condition patterns, 64 KiB of
succeededIndexes). Left out: nothing of these rules; the rest of the Job spec is `batch.py`'s.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.field import (
    OMIT,
    FieldError,
    Path,
    duplicate,
    invalid,
    not_supported,
    required,
    too_long,
    too_many,
)
from minik8s.api.validation.meta import validate_nonnegative_field
from minik8s.api.validation.names import is_qualified_name

Obj = dict[str, Any]
POD_FAILURE_POLICY_ACTIONS = ("Count", "FailIndex", "FailJob", "Ignore")
MAX_POD_FAILURE_POLICY_RULES = 20
MAX_ON_EXIT_CODES_VALUES = 255
MAX_ON_POD_CONDITIONS_PATTERNS = 20
MAX_SUCCESS_POLICY_RULES = 20
MAX_SUCCEEDED_INDEXES_LENGTH = 64 * 1024


def _validate_on_exit_codes(req: Obj, names: set[str], path: Path) -> list[FieldError]:
    errs: list[FieldError] = []
    operator = req.get("operator", "")
    if not operator:
        errs.append(required(path.child("operator"), 'valid values: ["In" "NotIn"]'))
    elif operator not in ("In", "NotIn"):
        errs.append(not_supported(path.child("operator"), operator, ("In", "NotIn")))
    container = req.get("containerName")
    if container is not None and container not in names:
        detail = "must be one of the container or initContainer names in the pod template"
        errs.append(invalid(path.child("containerName"), container, detail))
    values = req.get("values") or []
    values_path = path.child("values")
    if not values:
        errs.append(invalid(values_path, values, "at least one value is required"))
    elif len(values) > MAX_ON_EXIT_CODES_VALUES:
        errs.append(too_many(values_path, len(values), MAX_ON_EXIT_CODES_VALUES))
    seen: set[int] = set()
    for j, value in enumerate(values):
        if operator == "In" and value == 0:
            errs.append(invalid(values_path.index(j), 0, "must not be 0 for the In operator"))
        if value in seen:
            errs.append(duplicate(values_path.index(j), value))
        seen.add(value)
    if any(values[j - 1] > values[j] for j in range(1, len(values))):
        errs.append(invalid(values_path, values, "must be ordered"))
    return errs


def _validate_on_pod_conditions(patterns: list[Obj], path: Path) -> list[FieldError]:
    errs: list[FieldError] = []
    if len(patterns) > MAX_ON_POD_CONDITIONS_PATTERNS:
        errs.append(too_many(path, len(patterns), MAX_ON_POD_CONDITIONS_PATTERNS))
    for j, pattern in enumerate(patterns):
        p = path.index(j)
        kind = pattern.get("type", "")
        errs += [invalid(p.child("type"), kind, m) for m in is_qualified_name(kind)]
        status = pattern.get("status", "")
        if not status:
            errs.append(required(p.child("status"), 'valid values: ["False" "True" "Unknown"]'))
        elif status not in ("False", "True", "Unknown"):
            errs.append(not_supported(p.child("status"), status, ("False", "True", "Unknown")))
    return errs


def _validate_pod_failure_policy_rule(
    spec: Obj, rule: Obj, names: set[str], path: Path
) -> list[FieldError]:
    errs: list[FieldError] = []
    action = rule.get("action", "")
    if not action:
        detail = 'valid values: ["Count" "FailIndex" "FailJob" "Ignore"]'
        errs.append(required(path.child("action"), detail))
    elif action == "FailIndex":
        if spec.get("backoffLimitPerIndex") is None:
            detail = "requires the backoffLimitPerIndex to be set"
            errs.append(invalid(path.child("action"), action, detail))
    elif action not in POD_FAILURE_POLICY_ACTIONS:
        errs.append(not_supported(path.child("action"), action, POD_FAILURE_POLICY_ACTIONS))
    exit_codes, conditions = rule.get("onExitCodes"), rule.get("onPodConditions") or []
    if exit_codes is not None:
        errs += _validate_on_exit_codes(exit_codes, names, path.child("onExitCodes"))
    errs += _validate_on_pod_conditions(conditions, path.child("onPodConditions"))
    if exit_codes is not None and conditions:
        detail = "specifying both OnExitCodes and OnPodConditions is not supported"
        errs.append(invalid(path, OMIT, detail))
    if exit_codes is None and not conditions:
        detail = "specifying one of OnExitCodes and OnPodConditions is required"
        errs.append(invalid(path, OMIT, detail))
    return errs


def validate_pod_failure_policy(spec: Obj, path: Path) -> list[FieldError]:
    """upstream `validatePodFailurePolicy`: at most 20 rules, each with its action and one of
    onExitCodes or onPodConditions."""
    pod_spec = (spec.get("template") or {}).get("spec") or {}
    names = {
        c.get("name", "") for k in ("containers", "initContainers") for c in pod_spec.get(k) or []
    }
    rules = (spec.get("podFailurePolicy") or {}).get("rules") or []
    errs: list[FieldError] = []
    if len(rules) > MAX_POD_FAILURE_POLICY_RULES:
        errs.append(too_many(path.child("rules"), len(rules), MAX_POD_FAILURE_POLICY_RULES))
    for i, rule in enumerate(rules):
        errs += _validate_pod_failure_policy_rule(spec, rule, names, path.child("rules").index(i))
    return errs


# --- successPolicy ------------------------------------------------------------------------------


def _atoi(text: str) -> int:
    """Go `strconv.Atoi`: an optional sign and decimal digits, else ValueError."""
    digits = text[1:] if text[:1] in ("+", "-") else text
    if not digits.isascii() or not digits.isdigit():
        raise ValueError(text)
    return int(text)


def _index(text: str, completions: int) -> int:
    try:
        value = _atoi(text)
    except ValueError:
        raise ValueError(f"cannot convert string to integer for index: {_quote(text)}") from None
    if value >= completions:
        raise ValueError(f"too large index: {_quote(text)}")
    return value


def _quote(text: str) -> str:
    """Go's `%q` of a plain string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def parse_index_interval(interval: str, completions: int) -> tuple[int, int]:
    """upstream `parseIndexInterval`: `"3"` or `"3-5"`, below `completions`."""
    limits = interval.split("-")
    if len(limits) > 2:
        raise ValueError(
            f"the fragment {_quote(interval)} violates the requirement that an index interval "
            "can have at most two parts separated by '-'"
        )
    first = _index(limits[0], completions)
    if len(limits) == 1:
        return first, first
    last = _index(limits[1], completions)
    if first >= last:
        raise ValueError(f"non-increasing order, previous: {first}, current: {last}")
    return first, last


def validate_indexes_format(indexes: str, completions: int) -> int:
    """upstream `validateIndexesFormat`: how many indexes `"1,3-5"` names (ValueError if bad)."""
    if not indexes:
        return 0
    last: int | None = None
    total = 0
    for interval in indexes.split(","):
        first, end = parse_index_interval(interval, completions)
        if last is not None and last >= first:
            raise ValueError(f"non-increasing order, previous: {last}, current: {first}")
        total += end - first + 1
        last = end
    return total


def _validate_success_policy_rule(spec: Obj, rule: Obj, path: Path) -> list[FieldError]:
    errs: list[FieldError] = []
    count, indexes = rule.get("succeededCount"), rule.get("succeededIndexes")
    completions = spec.get("completions") or 0
    if count is None and indexes is None:
        detail = "at least one of succeededCount or succeededIndexes must be specified"
        errs.append(required(path, detail))
    total = 0
    if indexes is not None:
        indexes_path = path.child("succeededIndexes")
        if len(indexes) > MAX_SUCCEEDED_INDEXES_LENGTH:
            errs.append(too_long(indexes_path, indexes, MAX_SUCCEEDED_INDEXES_LENGTH))
        try:
            total = validate_indexes_format(indexes, completions)
        except ValueError as error:
            detail = f"error parsing succeededIndexes: {error}"
            errs.append(invalid(indexes_path, indexes, detail))
    if count is not None:
        count_path = path.child("succeededCount")
        errs += validate_nonnegative_field(count, count_path)
        if count > completions:
            detail = (
                f"must be less than or equal to {completions} (the number of specified completions)"
            )
            errs.append(invalid(count_path, count, detail))
        if indexes is not None and count > total:
            detail = (
                f"must be less than or equal to {total} "
                "(the number of indexes in the specified succeededIndexes field)"
            )
            errs.append(invalid(count_path, count, detail))
    return errs


def validate_success_policy(spec: Obj, path: Path) -> list[FieldError]:
    """upstream `validateSuccessPolicy` (of an Indexed Job): 1 to 20 rules."""
    rules = (spec.get("successPolicy") or {}).get("rules") or []
    rules_path = path.child("rules")
    errs: list[FieldError] = []
    if not rules:
        detail = "at least one rules must be specified when the successPolicy is specified"
        errs.append(required(rules_path, detail))
    if len(rules) > MAX_SUCCESS_POLICY_RULES:
        errs.append(too_many(rules_path, len(rules), MAX_SUCCESS_POLICY_RULES))
    for i, rule in enumerate(rules):
        errs += _validate_success_policy_rule(spec, rule, rules_path.index(i))
    return errs
