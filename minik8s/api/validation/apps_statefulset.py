"""StatefulSet validation: `pkg/apis/apps/validation/validation.go` `ValidateStatefulSet*`.

Create and the v1.31 update rule (only some spec fields may change), in upstream's words and field
paths. The pod spec itself is not validated, as upstream. Left out: volumeClaimTemplates rules
(upstream does not validate them either); status rules are in `status_apps.py`.
"""

from __future__ import annotations

from minik8s.api.field import FieldError, Path, forbidden, invalid, not_supported, required
from minik8s.api.validation.apps_common import (
    SPEC,
    Obj,
    checked_selector,
    int_or_percent,
    is_not_more_than_100_percent,
    labels_match,
    validate_positive_int_or_percent,
    validate_restart_always,
)
from minik8s.api.validation.core import validate_core_object_meta
from minik8s.api.validation.dispatch import validates, validates_update
from minik8s.api.validation.meta import (
    name_is_dns_label,
    validate_annotations,
    validate_labels,
    validate_nonnegative_field,
)
from minik8s.api.validation.update import validate_object_meta_update


def _validate_rolling_update_stateful_set(rolling: Obj, path: Path) -> list[FieldError]:
    errs = validate_nonnegative_field(rolling.get("partition", 0), path.child("partition"))
    unavailable = rolling.get("maxUnavailable")
    if unavailable is not None:
        p = path.child("maxUnavailable")
        errs += validate_positive_int_or_percent(unavailable, p)
        if int_or_percent(unavailable)[0] == 0:
            errs.append(invalid(p, unavailable, "cannot be 0"))
        errs += is_not_more_than_100_percent(unavailable, p)
    return errs


def _validate_stateful_set_strategy(strategy: Obj, path: Path) -> list[FieldError]:
    kind, rolling = strategy.get("type", ""), strategy.get("rollingUpdate")
    if not kind:
        return [required(path)]
    if kind == "OnDelete":
        if rolling is not None:
            detail = "only allowed for updateStrategy 'RollingUpdate'"
            return [invalid(path.child("rollingUpdate"), rolling, detail)]
        return []
    if kind == "RollingUpdate":
        return (
            []
            if rolling is None
            else _validate_rolling_update_stateful_set(rolling, path.child("rollingUpdate"))
        )
    return [invalid(path, strategy, "must be 'RollingUpdate' or 'OnDelete'")]


def _validate_retention_policy(policy: Obj | None, path: Path) -> list[FieldError]:
    errs: list[FieldError] = []
    for key in ("whenDeleted", "whenScaled") if policy is not None else ():
        value = (policy or {}).get(key, "")
        if value not in ("Retain", "Delete"):
            errs.append(not_supported(path.child(key), value, ("Retain", "Delete")))
    return errs


def validate_stateful_set_spec(spec: Obj, path: Path) -> list[FieldError]:
    """upstream `ValidateStatefulSetSpec` (the pod spec itself is not validated, as upstream)."""
    errs: list[FieldError] = []
    policy = spec.get("podManagementPolicy", "")
    if not policy:
        errs.append(required(path.child("podManagementPolicy")))
    elif policy not in ("OrderedReady", "Parallel"):
        detail = "must be 'OrderedReady' or 'Parallel'"
        errs.append(invalid(path.child("podManagementPolicy"), policy, detail))
    errs += _validate_stateful_set_strategy(
        spec.get("updateStrategy") or {}, path.child("updateStrategy")
    )
    errs += _validate_retention_policy(
        spec.get("persistentVolumeClaimRetentionPolicy"),
        path.child("persistentVolumeClaimRetentionPolicy"),
    )
    errs += validate_nonnegative_field(spec.get("replicas", 0), path.child("replicas"))
    errs += validate_nonnegative_field(
        spec.get("minReadySeconds", 0), path.child("minReadySeconds")
    )
    if spec.get("ordinals") is not None:
        start = spec["ordinals"].get("start", 0)
        errs += validate_nonnegative_field(start, path.child("ordinals.start"))
    selector = checked_selector(
        spec, path.child("selector"), errs, "empty selector is invalid for statefulset"
    )
    template = spec.get("template")
    if selector is None:
        errs.append(invalid(path.child("selector"), spec.get("selector"), ""))
    elif template is None:
        errs.append(required(path.child("template")))
    else:
        template_path = path.child("template")
        meta = template.get("metadata") or {}
        errs += labels_match(template, selector, template_path)
        errs += validate_labels(meta.get("labels"), template_path.child("labels"))
        errs += validate_annotations(meta.get("annotations"), template_path.child("annotations"))
    return errs + validate_restart_always(template or {}, path.child("template"), "StatefulSet")


@validates("StatefulSet")
def validate_stateful_set(obj: Obj) -> list[FieldError]:
    """upstream `ValidateStatefulSet` (names are DNS labels: they become pod hostnames)."""
    errs = validate_core_object_meta(obj, True, name_is_dns_label)
    return errs + validate_stateful_set_spec(obj.get("spec") or {}, SPEC)


STATEFUL_SET_UPDATABLE = (
    "replicas",
    "ordinals",
    "template",
    "updateStrategy",
    "persistentVolumeClaimRetentionPolicy",
    "minReadySeconds",
)
STATEFUL_SET_FORBIDDEN_UPDATE = (
    "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
    "'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"
)


@validates_update("StatefulSet", replaces_create=True)
def validate_stateful_set_update(new: Obj, old: Obj) -> list[FieldError]:
    """upstream v1.31 `ValidateStatefulSetUpdate`: the spec re-validated (the name is not: it
    cannot change), and only the listed spec fields may change (not revisionHistoryLimit)."""
    spec, old_spec = new.get("spec") or {}, old.get("spec") or {}
    errs = validate_object_meta_update(new, old) + validate_stateful_set_spec(spec, SPEC)
    rest = {k: v for k, v in spec.items() if k not in STATEFUL_SET_UPDATABLE}
    old_rest = {k: v for k, v in old_spec.items() if k not in STATEFUL_SET_UPDATABLE}
    if rest != old_rest:
        errs.append(forbidden(SPEC, STATEFUL_SET_FORBIDDEN_UPDATE))
    return errs
