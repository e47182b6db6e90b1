"""apps/v1 validation, mirroring `pkg/apis/apps/validation/validation.go` plus the apps/v1
selector-immutability rule of the Deployment, ReplicaSet and DaemonSet REST strategies.

Deployment, ReplicaSet, DaemonSet, StatefulSet and ControllerRevision, create and update, in
upstream's words and field paths. Left out: `ValidateReadOnlyPersistentDisks` (no GCE PD), the
DaemonSet `templateGeneration` (internal-only), `spec.rollbackTo`, volumeClaimTemplates rules
(upstream does not validate them either) and terminatingReplicas. Status rules are the status
strategy's (`status_apps.py`), as upstream's `ValidateXStatusUpdate`. Bad IntOrString values
print quoted where Go prints them bare.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.field import FieldError, Path, forbidden, invalid, not_supported, required
from minik8s.api.labels import Selector, label_selector_as_selector
from minik8s.api.validation.core import validate_core_object_meta, validate_meta_update
from minik8s.api.validation.dispatch import validates, validates_update
from minik8s.api.validation.meta import (
    name_is_dns_label,
    name_is_dns_subdomain,
    validate_annotations,
    validate_immutable_field,
    validate_label_selector,
    validate_labels,
    validate_nonnegative_field,
)
from minik8s.api.validation.names import is_valid_percent
from minik8s.api.validation.pod import validate_pod_template_spec
from minik8s.api.validation.update import validate_object_meta_update

Obj = dict[str, Any]
SPEC = Path("spec")
SELECTOR_MISMATCH = "`selector` does not match template `labels`"


def _selector(spec: Obj, path: Path, errs: list[FieldError], detail: str) -> Selector | None:
    """The selector as a Selector (None when unusable), reporting what is wrong with it."""
    selector = spec.get("selector")
    if selector is None:
        errs.append(required(path))
    else:
        errs += validate_label_selector(selector, path)
        if not selector.get("matchLabels") and not selector.get("matchExpressions"):
            errs.append(invalid(path, selector, detail))
    try:
        return label_selector_as_selector(selector)
    except ValueError:
        return None


def _labels_match(template: Obj, selector: Selector, path: Path) -> list[FieldError]:
    labels = (template.get("metadata") or {}).get("labels") or {}
    if not selector.empty() and not selector.matches(labels):
        return [invalid(path.child("metadata", "labels"), labels, SELECTOR_MISMATCH)]
    return []


def _int_or_percent(value: Any) -> tuple[int, bool]:
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
    number, percent = _int_or_percent(value)
    if percent and number > 100:
        return [invalid(path, value, "must not be greater than 100%")]
    return []


def validate_pod_template_spec_for_replica_set(
    template: Obj | None, selector: Selector, path: Path, kind: str = "ReplicaSet"
) -> list[FieldError]:
    """upstream `ValidatePodTemplateSpecForReplicaSet` (also used for Deployments)."""
    if template is None:
        return [required(path)]
    errs = _labels_match(template, selector, path)
    errs += validate_pod_template_spec(template, path)
    spec = template.get("spec") or {}
    policy = spec.get("restartPolicy", "")
    if policy != "Always":
        errs.append(not_supported(path.child("spec", "restartPolicy"), policy, ("Always",)))
    if spec.get("activeDeadlineSeconds") is not None:
        detail = f"activeDeadlineSeconds in {kind} is not Supported"
        errs.append(forbidden(path.child("spec", "activeDeadlineSeconds"), detail))
    return errs


# --- Deployment ---------------------------------------------------------------------------------


def _validate_rolling_update_deployment(rolling: Obj, path: Path) -> list[FieldError]:
    unavailable, surge = rolling.get("maxUnavailable"), rolling.get("maxSurge")
    errs = validate_positive_int_or_percent(unavailable, path.child("maxUnavailable"))
    errs += validate_positive_int_or_percent(surge, path.child("maxSurge"))
    if _int_or_percent(unavailable)[0] == 0 and _int_or_percent(surge)[0] == 0:
        detail = "may not be 0 when `maxSurge` is 0"
        errs.append(invalid(path.child("maxUnavailable"), unavailable, detail))
    return errs + is_not_more_than_100_percent(unavailable, path.child("maxUnavailable"))


def validate_deployment_strategy(strategy: Obj, path: Path) -> list[FieldError]:
    """upstream `ValidateDeploymentStrategy`."""
    kind, rolling = strategy.get("type", ""), strategy.get("rollingUpdate")
    if kind == "Recreate":
        if rolling is not None:
            detail = "may not be specified when strategy `type` is 'Recreate'"
            return [forbidden(path.child("rollingUpdate"), detail)]
        return []
    if kind == "RollingUpdate":
        if rolling is None:
            detail = "this should be defaulted and never be nil"
            return [required(path.child("rollingUpdate"), detail)]
        return _validate_rolling_update_deployment(rolling, path.child("rollingUpdate"))
    return [not_supported(path, strategy, ("Recreate", "RollingUpdate"))]


def validate_deployment_spec(spec: Obj, path: Path) -> list[FieldError]:
    """upstream `ValidateDeploymentSpec`."""
    errs = validate_nonnegative_field(spec.get("replicas", 0), path.child("replicas"))
    detail = "empty selector is invalid for deployment"
    selector = _selector(spec, path.child("selector"), errs, detail)
    if selector is None:
        errs.append(invalid(path.child("selector"), spec.get("selector"), "invalid label selector"))
    else:
        template = spec.get("template")
        errs += validate_pod_template_spec_for_replica_set(
            template, selector, path.child("template"), "ReplicaSet"
        )
    errs += validate_deployment_strategy(spec.get("strategy") or {}, path.child("strategy"))
    min_ready = spec.get("minReadySeconds", 0)
    errs += validate_nonnegative_field(min_ready, path.child("minReadySeconds"))
    if spec.get("revisionHistoryLimit") is not None:
        limit_path = path.child("revisionHistoryLimit")
        errs += validate_nonnegative_field(spec["revisionHistoryLimit"], limit_path)
    deadline = spec.get("progressDeadlineSeconds")
    if deadline is not None:
        errs += validate_nonnegative_field(deadline, path.child("progressDeadlineSeconds"))
        if deadline <= min_ready:
            detail = "must be greater than minReadySeconds"
            errs.append(invalid(path.child("progressDeadlineSeconds"), deadline, detail))
    return errs


@validates("Deployment")
def validate_deployment(obj: Obj) -> list[FieldError]:
    """upstream `ValidateDeployment`."""
    errs = validate_core_object_meta(obj, True, name_is_dns_subdomain)
    return errs + validate_deployment_spec(obj.get("spec") or {}, SPEC)


def _selector_immutable(new: Obj, old: Obj) -> list[FieldError]:
    """The apps/v1 strategies' rule: `spec.selector` may not change."""
    selector, old_selector = (
        (new.get("spec") or {}).get("selector"),
        (old.get("spec") or {}).get("selector"),
    )
    return validate_immutable_field(selector, old_selector, SPEC.child("selector"))


@validates_update("Deployment")
def validate_deployment_update(new: Obj, old: Obj) -> list[FieldError]:
    """upstream `ValidateDeploymentUpdate` + the strategy's selector immutability + status."""
    errs = validate_meta_update(new, old) + _selector_immutable(new, old)
    return errs


# --- ReplicaSet ---------------------------------------------------------------------------------


def validate_replica_set_spec(spec: Obj, path: Path) -> list[FieldError]:
    """upstream `ValidateReplicaSetSpec`."""
    errs = validate_nonnegative_field(spec.get("replicas", 0), path.child("replicas"))
    errs += validate_nonnegative_field(
        spec.get("minReadySeconds", 0), path.child("minReadySeconds")
    )
    detail = "empty selector is invalid for deployment"  # sic: upstream reuses the wording
    selector = _selector(spec, path.child("selector"), errs, detail)
    if selector is None:
        errs.append(invalid(path.child("selector"), spec.get("selector"), "invalid label selector"))
    else:
        errs += validate_pod_template_spec_for_replica_set(
            spec.get("template"), selector, path.child("template")
        )
    return errs


@validates("ReplicaSet")
def validate_replica_set(obj: Obj) -> list[FieldError]:
    """upstream `ValidateReplicaSet`."""
    errs = validate_core_object_meta(obj, True, name_is_dns_subdomain)
    return errs + validate_replica_set_spec(obj.get("spec") or {}, SPEC)


@validates_update("ReplicaSet")
def validate_replica_set_update(new: Obj, old: Obj) -> list[FieldError]:
    """upstream `ValidateReplicaSetUpdate` + the strategy's selector immutability + status."""
    errs = validate_meta_update(new, old) + _selector_immutable(new, old)
    return errs


# --- DaemonSet ----------------------------------------------------------------------------------


def _validate_rolling_update_daemon_set(rolling: Obj, path: Path) -> list[FieldError]:
    unavailable, surge = rolling.get("maxUnavailable"), rolling.get("maxSurge")
    errs = validate_positive_int_or_percent(unavailable, path.child("maxUnavailable"))
    errs += validate_positive_int_or_percent(surge, path.child("maxSurge"))
    errs += is_not_more_than_100_percent(unavailable, path.child("maxUnavailable"))
    errs += is_not_more_than_100_percent(surge, path.child("maxSurge"))
    has_unavailable = _int_or_percent(unavailable)[0] != 0
    has_surge = _int_or_percent(surge)[0] != 0
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
    selector = spec.get("selector")
    errs = validate_label_selector(selector, selector_path)
    try:
        parsed: Selector | None = label_selector_as_selector(selector)
    except ValueError:
        parsed = None
    labels = (template.get("metadata") or {}).get("labels") or {}
    if parsed is not None and not parsed.matches(labels):
        errs.append(
            invalid(path.child("template", "metadata", "labels"), labels, SELECTOR_MISMATCH)
        )
    if (
        selector is not None
        and not selector.get("matchLabels")
        and not selector.get("matchExpressions")
    ):
        errs.append(invalid(selector_path, selector, "empty selector is invalid for daemonset"))
    errs += validate_pod_template_spec(template, path.child("template"))
    pod_spec = template.get("spec") or {}
    policy = pod_spec.get("restartPolicy", "")
    if policy != "Always":
        errs.append(
            not_supported(path.child("template", "spec", "restartPolicy"), policy, ("Always",))
        )
    if pod_spec.get("activeDeadlineSeconds") is not None:
        detail = "activeDeadlineSeconds in DaemonSet is not Supported"
        errs.append(forbidden(path.child("template", "spec", "activeDeadlineSeconds"), detail))
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
    errs = validate_meta_update(new, old) + _selector_immutable(new, old)
    return errs


# --- StatefulSet --------------------------------------------------------------------------------


def _validate_rolling_update_stateful_set(rolling: Obj, path: Path) -> list[FieldError]:
    errs = validate_nonnegative_field(rolling.get("partition", 0), path.child("partition"))
    unavailable = rolling.get("maxUnavailable")
    if unavailable is not None:
        p = path.child("maxUnavailable")
        errs += validate_positive_int_or_percent(unavailable, p)
        if _int_or_percent(unavailable)[0] == 0:
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
    selector = _selector(
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
        errs += _labels_match(template, selector, template_path)
        errs += validate_labels(meta.get("labels"), template_path.child("labels"))
        errs += validate_annotations(meta.get("annotations"), template_path.child("annotations"))
    pod_spec = (template or {}).get("spec") or {}
    restart = pod_spec.get("restartPolicy", "")
    if restart != "Always":
        errs.append(
            not_supported(path.child("template", "spec", "restartPolicy"), restart, ("Always",))
        )
    if pod_spec.get("activeDeadlineSeconds") is not None:
        detail = "activeDeadlineSeconds in StatefulSet is not Supported"
        errs.append(forbidden(path.child("template", "spec", "activeDeadlineSeconds"), detail))
    return errs


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


# --- ControllerRevision -------------------------------------------------------------------------


@validates("ControllerRevision")
def validate_controller_revision(obj: Obj) -> list[FieldError]:
    """upstream `ValidateControllerRevision`: data is mandatory, revision non-negative."""
    errs = validate_core_object_meta(obj, True, name_is_dns_subdomain)
    if obj.get("data") is None:
        errs.append(required(Path("data"), "data is mandatory"))
    return errs + validate_nonnegative_field(obj.get("revision", 0), Path("revision"))


@validates_update("ControllerRevision")
def validate_controller_revision_update(new: Obj, old: Obj) -> list[FieldError]:
    """upstream `ValidateControllerRevisionUpdate`: `data` is immutable."""
    errs = validate_meta_update(new, old)
    return errs + validate_immutable_field(new.get("data"), old.get("data"), Path("data"))
