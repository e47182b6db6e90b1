"""Pod topology spread constraint validation, mirroring `validateTopologySpreadConstraints` and
its helpers in `pkg/apis/core/validation/validation.go` (`ValidateMaxSkew`, `validateMinDomains`,
`ValidateTopologyKey`, `ValidateWhenUnsatisfiable`, `ValidateSpreadConstraintNotRepeat`,
`validateNodeInclusionPolicy`, `validateMatchLabelKeysInTopologySpread`).

Left out: `PodValidationOptions.AllowInvalidTopologySpreadConstraintLabelSelector` (upstream
tolerates an invalid labelSelector on update when the old object already had one); here the
selector is always checked, as on create.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.field import FieldError, Path, duplicate, forbidden, invalid, not_supported
from minik8s.api.field import required as required_value
from minik8s.api.validation.meta import validate_label_name, validate_label_selector

Obj = dict[str, Any]
DO_NOT_SCHEDULE, SCHEDULE_ANYWAY = "DoNotSchedule", "ScheduleAnyway"
SUPPORTED_SCHEDULE_ACTIONS = (DO_NOT_SCHEDULE, SCHEDULE_ANYWAY)  # sorted, as sets.List
SUPPORTED_NODE_INCLUSION_POLICIES = ("Honor", "Ignore")  # sorted, as sets.List
IS_NOT_POSITIVE_ERROR_MSG = "must be greater than zero"


def validate_max_skew(path: Path, max_skew: int) -> list[FieldError]:
    """upstream `ValidateMaxSkew`."""
    return [invalid(path, max_skew, IS_NOT_POSITIVE_ERROR_MSG)] if max_skew <= 0 else []


def validate_min_domains(path: Path, min_domains: int | None, action: str) -> list[FieldError]:
    """upstream `validateMinDomains`: positive, and only with whenUnsatisfiable=DoNotSchedule."""
    if min_domains is None:
        return []
    errs: list[FieldError] = []
    if min_domains <= 0:
        errs.append(invalid(path, min_domains, IS_NOT_POSITIVE_ERROR_MSG))
    if action != DO_NOT_SCHEDULE:
        detail = f"can only use minDomains if whenUnsatisfiable={DO_NOT_SCHEDULE}, not {action}"
        errs.append(invalid(path, min_domains, detail))
    return errs


def validate_topology_key(path: Path, topology_key: str) -> list[FieldError]:
    """upstream `ValidateTopologyKey`."""
    return [] if topology_key else [required_value(path, "can not be empty")]


def validate_when_unsatisfiable(path: Path, action: str) -> list[FieldError]:
    """upstream `ValidateWhenUnsatisfiable`."""
    if action in SUPPORTED_SCHEDULE_ACTIONS:
        return []
    return [not_supported(path, action, SUPPORTED_SCHEDULE_ACTIONS)]


def validate_spread_constraint_not_repeat(
    path: Path, constraint: Obj, resting: list[Obj]
) -> list[FieldError]:
    """upstream `ValidateSpreadConstraintNotRepeat`: {topologyKey, whenUnsatisfiable} is unique."""
    key, action = constraint.get("topologyKey", ""), constraint.get("whenUnsatisfiable", "")
    for other in resting:
        if other.get("topologyKey", "") == key and other.get("whenUnsatisfiable", "") == action:
            return [duplicate(path, f"{{{key}, {action}}}")]
    return []


def validate_node_inclusion_policy(path: Path, policy: str | None) -> list[FieldError]:
    """upstream `validateNodeInclusionPolicy`: unset, Honor or Ignore."""
    if policy is None or policy in SUPPORTED_NODE_INCLUSION_POLICIES:
        return []
    return [not_supported(path, policy, SUPPORTED_NODE_INCLUSION_POLICIES)]


def validate_match_label_keys(
    path: Path, match_label_keys: list[str], selector: Obj | None
) -> list[FieldError]:
    """upstream `validateMatchLabelKeysInTopologySpread`: label names, not in the selector."""
    if not match_label_keys:
        return []
    errs: list[FieldError] = []
    selector_keys: set[str] = set()
    if selector is not None:
        selector_keys.update(selector.get("matchLabels") or {})
        selector_keys.update(e.get("key", "") for e in selector.get("matchExpressions") or [])
    else:
        errs.append(forbidden(path, "must not be specified when labelSelector is not set"))
    for i, key in enumerate(match_label_keys):
        errs += validate_label_name(key, path.index(i))
        if key in selector_keys:
            detail = "exists in both matchLabelKeys and labelSelector"
            errs.append(invalid(path.index(i), key, detail))
    return errs


def _validate_constraint(constraint: Obj, rest: list[Obj], path: Path) -> list[FieldError]:
    action = constraint.get("whenUnsatisfiable", "")
    errs = validate_max_skew(path.child("maxSkew"), constraint.get("maxSkew") or 0)
    errs += validate_topology_key(path.child("topologyKey"), constraint.get("topologyKey", ""))
    errs += validate_when_unsatisfiable(path.child("whenUnsatisfiable"), action)
    # the tuple {topologyKey, whenUnsatisfiable} denotes one kind of spread constraint
    pair_path = path.child("{topologyKey, whenUnsatisfiable}")
    errs += validate_spread_constraint_not_repeat(pair_path, constraint, rest)
    errs += validate_min_domains(path.child("minDomains"), constraint.get("minDomains"), action)
    for policy in ("nodeAffinityPolicy", "nodeTaintsPolicy"):
        errs += validate_node_inclusion_policy(path.child(policy), constraint.get(policy))
    selector = constraint.get("labelSelector")
    errs += validate_match_label_keys(
        path.child("matchLabelKeys"), constraint.get("matchLabelKeys") or [], selector
    )
    return errs + validate_label_selector(selector, path.child("labelSelector"))


def validate_topology_spread_constraints(constraints: list[Obj], path: Path) -> list[FieldError]:
    """upstream `validateTopologySpreadConstraints`: every problem with each constraint."""
    errs: list[FieldError] = []
    for i, constraint in enumerate(constraints):
        errs += _validate_constraint(constraint, constraints[i + 1 :], path.index(i))
    return errs
