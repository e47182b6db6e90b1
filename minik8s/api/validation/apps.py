"""apps/v1 validation, mirroring `pkg/apis/apps/validation/validation.go` plus the apps/v1
selector-immutability rule of the Deployment, ReplicaSet and DaemonSet REST strategies.

Deployment, ReplicaSet and ControllerRevision here; DaemonSet in `apps_daemonset.py`, StatefulSet
in `apps_statefulset.py`, the shared helpers in `apps_common.py` (all importable from here).
Create and update in upstream's words and field paths. Left out: `ValidateReadOnlyPersistentDisks`
(no GCE PD), the DaemonSet `templateGeneration` (internal-only), `spec.rollbackTo`,
volumeClaimTemplates rules (upstream does not validate them either) and terminatingReplicas.
Status rules are the status strategy's (`status_apps.py`), as upstream's `ValidateXStatusUpdate`.
Bad IntOrString values print quoted where Go prints them bare.
"""

from __future__ import annotations

from minik8s.api.field import FieldError, Path, forbidden, invalid, not_supported, required
from minik8s.api.validation.apps_common import (
    SELECTOR_MISMATCH,
    SPEC,
    Obj,
    checked_selector,
    int_or_percent,
    is_not_more_than_100_percent,
    selector_immutable,
    validate_pod_template_spec_for_replica_set,
    validate_positive_int_or_percent,
)
from minik8s.api.validation.apps_daemonset import (
    validate_daemon_set,
    validate_daemon_set_spec,
    validate_daemon_set_update,
    validate_daemon_set_update_strategy,
)
from minik8s.api.validation.apps_statefulset import (
    STATEFUL_SET_FORBIDDEN_UPDATE,
    STATEFUL_SET_UPDATABLE,
    validate_stateful_set,
    validate_stateful_set_spec,
    validate_stateful_set_update,
)
from minik8s.api.validation.core import validate_core_object_meta, validate_meta_update
from minik8s.api.validation.dispatch import validates, validates_update
from minik8s.api.validation.meta import (
    name_is_dns_subdomain,
    validate_immutable_field,
    validate_nonnegative_field,
)

__all__ = [
    "SELECTOR_MISMATCH",
    "SPEC",
    "STATEFUL_SET_FORBIDDEN_UPDATE",
    "STATEFUL_SET_UPDATABLE",
    "is_not_more_than_100_percent",
    "validate_controller_revision",
    "validate_controller_revision_update",
    "validate_daemon_set",
    "validate_daemon_set_spec",
    "validate_daemon_set_update",
    "validate_daemon_set_update_strategy",
    "validate_deployment",
    "validate_deployment_spec",
    "validate_deployment_strategy",
    "validate_deployment_update",
    "validate_pod_template_spec_for_replica_set",
    "validate_positive_int_or_percent",
    "validate_replica_set",
    "validate_replica_set_spec",
    "validate_replica_set_update",
    "validate_stateful_set",
    "validate_stateful_set_spec",
    "validate_stateful_set_update",
]


# --- Deployment ---------------------------------------------------------------------------------


def _validate_rolling_update_deployment(rolling: Obj, path: Path) -> list[FieldError]:
    unavailable, surge = rolling.get("maxUnavailable"), rolling.get("maxSurge")
    errs = validate_positive_int_or_percent(unavailable, path.child("maxUnavailable"))
    errs += validate_positive_int_or_percent(surge, path.child("maxSurge"))
    if int_or_percent(unavailable)[0] == 0 and int_or_percent(surge)[0] == 0:
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
    selector = checked_selector(spec, path.child("selector"), errs, detail)
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


@validates_update("Deployment")
def validate_deployment_update(new: Obj, old: Obj) -> list[FieldError]:
    """upstream `ValidateDeploymentUpdate` + the strategy's selector immutability + status."""
    errs = validate_meta_update(new, old) + selector_immutable(new, old)
    return errs


# --- ReplicaSet ---------------------------------------------------------------------------------


def validate_replica_set_spec(spec: Obj, path: Path) -> list[FieldError]:
    """upstream `ValidateReplicaSetSpec`."""
    errs = validate_nonnegative_field(spec.get("replicas", 0), path.child("replicas"))
    errs += validate_nonnegative_field(
        spec.get("minReadySeconds", 0), path.child("minReadySeconds")
    )
    detail = "empty selector is invalid for deployment"  # sic: upstream reuses the wording
    selector = checked_selector(spec, path.child("selector"), errs, detail)
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
    errs = validate_meta_update(new, old) + selector_immutable(new, old)
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
