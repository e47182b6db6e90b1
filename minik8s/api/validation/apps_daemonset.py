"""DaemonSet validation: `pkg/apis/apps/validation/validation.go` `ValidateDaemonSet*`.

Create and update in upstream's words and field paths, plus the apps/v1 strategy's selector
immutability. Left out: the internal-only `templateGeneration`; status rules are in
`status_apps.py`.
"""

from __future__ import annotations

from minik8s.api.field import FieldError, Path, invalid, not_supported, required
from minik8s.api.validation.apps_common import (
    SPEC,
    Obj,
    int_or_percent,
    is_not_more_than_100_percent,
    labels_match,
    parse_selector_or_none,
    selector_immutable,
    validate_positive_int_or_percent,
    validate_restart_always,
)
from minik8s.api.validation.core import validate_core_object_meta, validate_meta_update
from minik8s.api.validation.dispatch import validates, validates_update
from minik8s.api.validation.meta import (
    name_is_dns_subdomain,
    validate_label_selector,
    validate_nonnegative_field,
)
from minik8s.api.validation.pod import validate_pod_template_spec


def _validate_rolling_update_daemon_set(rolling: Obj, path: Path) -> list[FieldError]:
    unavailable, surge = rolling.get("maxUnavailable"), rolling.get("maxSurge")
    errs = validate_positive_int_or_percent(unavailable, path.child("maxUnavailable"))
    errs += validate_positive_int_or_percent(surge, path.child("maxSurge"))
    errs += is_not_more_than_100_percent(unavailable, path.child("maxUnavailable"))
    errs += is_not_more_than_100_percent(surge, path.child("maxSurge"))
    has_unavailable = int_or_percent(unavailable)[0] != 0
    has_surge = int_or_percent(surge)[0] != 0
    if has_unavailable and has_surge:
        detail = "may not be set when maxUnavailable is non-zero"
        errs.append(invalid(path.child("maxSurge"), surge, detail))
    elif not has_unavailable and not has_surge:
        errs.append(required(path.child("maxUnavailable"), "cannot be 0 when maxSurge is 0"))
    return errs


def validate_daemon_set_update_strategy(strategy: Obj, path: Path) -> list[FieldError]:
    """upstream `ValidateDaemonSetUpdateStrategy`."""
    kind = strategy.get("type", "")
    if kind == "OnDelete":
        return []
    if kind == "RollingUpdate":
        if strategy.get("rollingUpdate") is None:
            return [required(path.child("rollingUpdate"))]
        return _validate_rolling_update_daemon_set(
            strategy["rollingUpdate"], path.child("rollingUpdate")
        )
    return [not_supported(path, strategy, ("RollingUpdate", "OnDelete"))]


def validate_daemon_set_spec(spec: Obj, path: Path) -> list[FieldError]:
    """upstream `ValidateDaemonSetSpec`."""
    selector_path, template = path.child("selector"), spec.get("template") or {}
    template_path, selector = path.child("template"), spec.get("selector")
    errs = validate_label_selector(selector, selector_path)
    parsed = parse_selector_or_none(selector)
    if parsed is not None:
        errs += labels_match(template, parsed, template_path)
    if (
        selector is not None
        and not selector.get("matchLabels")
        and not selector.get("matchExpressions")
    ):
        errs.append(invalid(selector_path, selector, "empty selector is invalid for daemonset"))
    errs += validate_pod_template_spec(template, template_path)
    errs += validate_restart_always(template, template_path, "DaemonSet")
    errs += validate_nonnegative_field(
        spec.get("minReadySeconds", 0), path.child("minReadySeconds")
    )
    errs += validate_daemon_set_update_strategy(
        spec.get("updateStrategy") or {}, path.child("updateStrategy")
    )
    if spec.get("revisionHistoryLimit") is not None:
        errs += validate_nonnegative_field(
            spec["revisionHistoryLimit"], path.child("revisionHistoryLimit")
        )
    return errs


@validates("DaemonSet")
def validate_daemon_set(obj: Obj) -> list[FieldError]:
    """upstream `ValidateDaemonSet`."""
    errs = validate_core_object_meta(obj, True, name_is_dns_subdomain)
    return errs + validate_daemon_set_spec(obj.get("spec") or {}, SPEC)


@validates_update("DaemonSet")
def validate_daemon_set_update(new: Obj, old: Obj) -> list[FieldError]:
    """upstream `ValidateDaemonSetUpdate` + the strategy's selector immutability + status."""
    errs = validate_meta_update(new, old) + selector_immutable(new, old)
    return errs
