"""Shared apps/v1 validation helpers, mirroring `pkg/apis/apps/validation/validation.go`.

The selector and template checks every workload kind repeats (selector parsed and matched against
the template labels, `restartPolicy: Always`, no `activeDeadlineSeconds`), the IntOrString
percentage rules of the rolling-update strategies, and the apps/v1 REST strategies' rule that
`spec.selector` is immutable. Bad IntOrString values print quoted where Go prints them bare.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.field import FieldError, Path, forbidden, invalid, not_supported, required
from minik8s.api.labels import Selector, label_selector_as_selector
from minik8s.api.validation.meta import (
    validate_immutable_field,
    validate_label_selector,
    validate_nonnegative_field,
)
from minik8s.api.validation.names import is_valid_percent
from minik8s.api.validation.pod import validate_pod_template_spec

Obj = dict[str, Any]
SPEC = Path("spec")
SELECTOR_MISMATCH = "`selector` does not match template `labels`"


def parse_selector_or_none(selector: Obj | None) -> Selector | None:
    """The label selector as a Selector, None when it does not parse."""
    try:
        return label_selector_as_selector(selector)
    except ValueError:
        return None


def checked_selector(spec: Obj, path: Path, errs: list[FieldError], detail: str) -> Selector | None:
    """The selector as a Selector (None when unusable), reporting what is wrong with it."""
    selector = spec.get("selector")
    if selector is None:
        errs.append(required(path))
    else:
        errs += validate_label_selector(selector, path)
        if not selector.get("matchLabels") and not selector.get("matchExpressions"):
            errs.append(invalid(path, selector, detail))
    return parse_selector_or_none(selector)


def labels_match(template: Obj, selector: Selector, path: Path) -> list[FieldError]:
    """The error when a non-empty `selector` does not select the template's labels."""
    labels = (template.get("metadata") or {}).get("labels") or {}
    if not selector.empty() and not selector.matches(labels):
        return [invalid(path.child("metadata", "labels"), labels, SELECTOR_MISMATCH)]
    return []


def validate_restart_always(template: Obj, path: Path, kind: str) -> list[FieldError]:
    """The workload rule on a pod template: `restartPolicy: Always`, no activeDeadlineSeconds."""
    errs: list[FieldError] = []
    spec = template.get("spec") or {}
    policy = spec.get("restartPolicy", "")
    if policy != "Always":
        errs.append(not_supported(path.child("spec", "restartPolicy"), policy, ("Always",)))
    if spec.get("activeDeadlineSeconds") is not None:
        detail = f"activeDeadlineSeconds in {kind} is not Supported"
        errs.append(forbidden(path.child("spec", "activeDeadlineSeconds"), detail))
    return errs


def int_or_percent(value: Any) -> tuple[int, bool]:
    """upstream `getIntOrPercentValue`/`getPercentValue`: the number, and whether it was a
    valid percentage; a string that is no percentage counts as Go's `Atoi` reads it."""
    if isinstance(value, str):
        if not is_valid_percent(value):
            return int(value[:-1]), True
        return (int(value) if value.isdigit() else 0), False
    return (value if isinstance(value, int) and not isinstance(value, bool) else 0), False


def validate_positive_int_or_percent(value: Any, path: Path) -> list[FieldError]:
    """upstream `ValidatePositiveIntOrPercent`."""
    if isinstance(value, str):
        return [invalid(path, value, m) for m in is_valid_percent(value)]
    if isinstance(value, int) and not isinstance(value, bool):
        return validate_nonnegative_field(value, path)
    return [invalid(path, value, "must be an integer or percentage (e.g '5%')")]


def is_not_more_than_100_percent(value: Any, path: Path) -> list[FieldError]:
    """upstream `IsNotMoreThan100Percent`."""
    number, percent = int_or_percent(value)
    if percent and number > 100:
        return [invalid(path, value, "must not be greater than 100%")]
    return []


def validate_pod_template_spec_for_replica_set(
    template: Obj | None, selector: Selector, path: Path, kind: str = "ReplicaSet"
) -> list[FieldError]:
    """upstream `ValidatePodTemplateSpecForReplicaSet` (also used for Deployments)."""
    if template is None:
        return [required(path)]
    errs = labels_match(template, selector, path)
    errs += validate_pod_template_spec(template, path)
    return errs + validate_restart_always(template, path, kind)


def selector_immutable(new: Obj, old: Obj) -> list[FieldError]:
    """The apps/v1 strategies' rule: `spec.selector` may not change."""
    selector, old_selector = (
        (new.get("spec") or {}).get("selector"),
        (old.get("spec") or {}).get("selector"),
    )
    return validate_immutable_field(selector, old_selector, SPEC.child("selector"))
