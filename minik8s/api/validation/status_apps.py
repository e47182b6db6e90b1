"""The apps kinds' `/status` validation, mirroring `ValidateDeploymentStatus(Update)`,
`ValidateReplicaSetStatus(Update)`, `ValidateStatefulSetStatus(Update)` and
`validateDaemonSetStatus`/`ValidateDaemonSetStatusUpdate` in upstream
`pkg/apis/apps/validation/validation.go` (v1.31).

The `...StatusUpdate` functions leave out their `ValidateObjectMetaUpdate`: the status strategy
runs it first for every kind (`rest.BeforeUpdate`'s `validateCommonFields`, whose identical
messages upstream's aggregate folds into one). Left out: `terminatingReplicas` (newer than 1.31).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from minik8s.api.field import FieldError, Path, invalid
from minik8s.api.validation.meta import validate_nonnegative_field

Obj = dict[str, Any]
StatusValidator = Callable[[Obj, Obj], list[FieldError]]
STATUS = Path("status")
NOT_MORE_THAN_REPLICAS = "cannot be greater than status.replicas"


def _status(obj: Obj) -> Obj:
    status = obj.get("status")
    return status if isinstance(status, dict) else {}


def _nonnegative(status: Obj, keys: tuple[str, ...], path: Path) -> list[FieldError]:
    """`ValidateNonnegativeField` on each of `keys` (an absent field is Go's zero value)."""
    errs: list[FieldError] = []
    for key in keys:
        errs += validate_nonnegative_field(status.get(key) or 0, path.child(key))
    return errs


def _collision_count(status: Obj, path: Path) -> list[FieldError]:
    count = status.get("collisionCount")
    return [] if count is None else validate_nonnegative_field(count, path.child("collisionCount"))


def _not_more_than(status: Obj, keys: tuple[str, ...], limit: str, detail: str) -> list[FieldError]:
    """`status.<key> > status.<limit>` is invalid, for each of `keys`."""
    bound = status.get(limit) or 0
    return [
        invalid(STATUS.child(key), status.get(key) or 0, detail)
        for key in keys
        if (status.get(key) or 0) > bound
    ]


def collision_count_decremented(new: Obj, old: Obj) -> list[FieldError]:
    """upstream `IsDecremented(new.collisionCount, old.collisionCount)`: "cannot be decremented"."""
    count, old_count = _status(new).get("collisionCount"), _status(old).get("collisionCount")
    if old_count is None or (count is not None and count >= old_count):
        return []
    return [invalid(STATUS.child("collisionCount"), count or 0, "cannot be decremented")]


def validate_deployment_status(status: Obj, path: Path) -> list[FieldError]:
    """upstream `ValidateDeploymentStatus`."""
    errs = validate_nonnegative_field(
        status.get("observedGeneration") or 0, path.child("observedGeneration")
    )
    counts = ("replicas", "updatedReplicas", "readyReplicas", "availableReplicas")
    errs += _nonnegative(status, (*counts, "unavailableReplicas"), path)
    errs += _collision_count(status, path)
    errs += _not_more_than(status, counts[1:], "replicas", NOT_MORE_THAN_REPLICAS)
    detail = "cannot be greater than readyReplicas"
    return errs + _not_more_than(status, ("availableReplicas",), "readyReplicas", detail)


def validate_deployment_status_update(new: Obj, old: Obj) -> list[FieldError]:
    """upstream `ValidateDeploymentStatusUpdate`."""
    errs = validate_deployment_status(_status(new), STATUS)
    return errs + collision_count_decremented(new, old)


def validate_replica_set_status(status: Obj, path: Path) -> list[FieldError]:
    """upstream `ValidateReplicaSetStatus`."""
    counts = ("replicas", "fullyLabeledReplicas", "readyReplicas", "availableReplicas")
    errs = _nonnegative(status, (*counts, "observedGeneration"), path)
    errs += _not_more_than(status, counts[1:], "replicas", NOT_MORE_THAN_REPLICAS)
    detail = "cannot be greater than readyReplicas"
    return errs + _not_more_than(status, ("availableReplicas",), "readyReplicas", detail)


def validate_replica_set_status_update(new: Obj, old: Obj) -> list[FieldError]:
    """upstream `ValidateReplicaSetStatusUpdate`."""
    return validate_replica_set_status(_status(new), STATUS)


def validate_stateful_set_status(status: Obj, path: Path) -> list[FieldError]:
    """upstream `ValidateStatefulSetStatus`."""
    counts = (
        "replicas",
        "readyReplicas",
        "currentReplicas",
        "updatedReplicas",
        "availableReplicas",
    )
    errs = _nonnegative(status, counts, path)
    if status.get("observedGeneration") is not None:
        errs += _nonnegative(status, ("observedGeneration",), path)
    errs += _collision_count(status, path)
    errs += _not_more_than(status, counts[1:], "replicas", NOT_MORE_THAN_REPLICAS)
    detail = "cannot be greater than status.readyReplicas"
    return errs + _not_more_than(status, ("availableReplicas",), "readyReplicas", detail)


def validate_stateful_set_status_update(new: Obj, old: Obj) -> list[FieldError]:
    """upstream `ValidateStatefulSetStatusUpdate`."""
    errs = validate_stateful_set_status(_status(new), STATUS)
    return errs + collision_count_decremented(new, old)


DAEMON_SET_COUNTS = (
    "currentNumberScheduled",
    "numberMisscheduled",
    "desiredNumberScheduled",
    "numberReady",
    "observedGeneration",
    "updatedNumberScheduled",
    "numberAvailable",
    "numberUnavailable",
)


def validate_daemon_set_status(status: Obj, path: Path) -> list[FieldError]:
    """upstream `validateDaemonSetStatus`: every count non-negative."""
    return _nonnegative(status, DAEMON_SET_COUNTS, path) + _collision_count(status, path)


def validate_daemon_set_status_update(new: Obj, old: Obj) -> list[FieldError]:
    """upstream `ValidateDaemonSetStatusUpdate`."""
    errs = validate_daemon_set_status(_status(new), STATUS)
    return errs + collision_count_decremented(new, old)


APPS_STATUS_VALIDATORS: dict[str, StatusValidator] = {
    "Deployment": validate_deployment_status_update,
    "ReplicaSet": validate_replica_set_status_update,
    "StatefulSet": validate_stateful_set_status_update,
    "DaemonSet": validate_daemon_set_status_update,
}
