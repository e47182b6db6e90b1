"""The `/status` subresource's strategies, mirroring each kind's `xStatusStrategy` in upstream
`pkg/registry/<group>/<kind>/strategy.go` (`PrepareForUpdate`, `ValidateUpdate`) and
`metav1.ResetObjectMetaForStatus`.

A status write keeps the old spec; which metadata it may change depends on the kind (Pods:
all but `deletionTimestamp` and `ownerReferences`; Deployments: all but labels (and, unlike
upstream, annotations); VolumeAttachments: none of labels, annotations, finalizers,
ownerReferences). A PersistentVolume's `lastPhaseTransitionTime` follows its phase. Left out:
the dropping of disabled status fields, and most of each kind's `ValidateXStatusUpdate` (Pods
check `nominatedNodeName` and the container state transitions; every kind checks
`ValidateObjectMetaUpdate`).
"""

from __future__ import annotations

from typing import Any

from minik8s.api.field import FieldError, Path, forbidden, invalid
from minik8s.api.validation.meta import name_is_dns_subdomain, validate_object_meta_update

Obj = dict[str, Any]
TRANSITION_TIME = "lastPhaseTransitionTime"  # a PersistentVolume's status field

# metav1.ResetObjectMetaForStatus: the metadata a status write may not change.
_RESET_FOR_STATUS = (
    "deletionTimestamp",
    "generation",
    "labels",
    "annotations",
    "finalizers",
    "ownerReferences",
)
# kind -> the metadata fields its status strategy keeps from the old object.
_KEPT_METADATA: dict[str, tuple[str, ...]] = {
    "Pod": ("ownerReferences",),  # (deletionTimestamp: reset to nil, then BeforeUpdate's)
    "Deployment": ("labels",),  # annotations may change: the revision is written here
    "VolumeAttachment": _RESET_FOR_STATUS,
}


def _set(target: Obj, key: str, source: Obj) -> None:
    if key in source:
        target[key] = source[key]
    else:
        target.pop(key, None)


def prepare_for_status_update(kind: str, new: Obj, old: Obj, now: str = "") -> None:
    """The kind's status `PrepareForUpdate`: spec (and some metadata) kept from `old`; `now`
    (RFC 3339) for the times it sets."""
    _set(new, "spec", old)
    meta, old_meta = new["metadata"], old["metadata"]
    for field in _KEPT_METADATA.get(kind, ()):
        _set(meta, field, old_meta)
    if kind == "Pod":
        meta.pop("deletionTimestamp", None)
        old_qos = (old.get("status") or {}).get("qosClass")
        status = new.get("status")
        if old_qos and isinstance(status, dict) and not status.get("qosClass"):
            status["qosClass"] = old_qos  # "the Pod QoS is immutable ... backfill it"
    elif kind == "PersistentVolume":
        phase_transition_time(new, old, now)


def phase_transition_time(new: Obj, old: Obj, now: str) -> None:
    """`persistentvolumeStatusStrategy.PrepareForUpdate` (PersistentVolumeLastPhaseTransitionTime,
    GA in 1.31): a new phase gets `now` unless the writer set a time of its own; an unchanged
    phase keeps the old time unless the writer set one."""
    status, old_status = new.get("status"), old.get("status") or {}
    if not isinstance(status, dict):
        return
    time, old_time = status.get(TRANSITION_TIME), old_status.get(TRANSITION_TIME)
    if status.get("phase") == old_status.get("phase"):
        if time is None and old_time is not None:
            status[TRANSITION_TIME] = old_time
    elif time is None or time == old_time:
        status[TRANSITION_TIME] = now


def validate_container_state_transition(
    new: list[Obj], old: list[Obj], path: Path, restart_policy: str
) -> list[FieldError]:
    """upstream `ValidateContainerStateTransition`: a terminated container of a pod that does
    not restart it stays terminated."""
    if restart_policy == "Always":
        return []
    errs: list[FieldError] = []
    for i, old_status in enumerate(old):
        terminated = (old_status.get("state") or {}).get("terminated")
        if terminated is None:
            continue
        if terminated.get("exitCode", 0) != 0 and restart_policy == "OnFailure":
            continue
        for new_status in new:
            same = new_status.get("name") == old_status.get("name")
            if same and (new_status.get("state") or {}).get("terminated") is None:
                message = "may not be transitioned to non-terminated state"
                errs.append(forbidden(path.index(i).child("state"), message))
    return errs


def validate_pod_status_update(new: Obj, old: Obj) -> list[FieldError]:
    """Part of upstream `ValidatePodStatusUpdate` (after `ValidateObjectMetaUpdate`)."""
    status, old_status = new.get("status") or {}, old.get("status") or {}
    path = Path("status")
    errs: list[FieldError] = []
    nominated = status.get("nominatedNodeName") or ""
    if nominated and nominated != (old_status.get("nominatedNodeName") or ""):
        for message in name_is_dns_subdomain(nominated, False):
            errs.append(invalid(path.child("nominatedNodeName"), nominated, message))
    restart_policy = (old.get("spec") or {}).get("restartPolicy", "Always")
    errs += validate_container_state_transition(
        status.get("containerStatuses") or [],
        old_status.get("containerStatuses") or [],
        path.child("containerStatuses"),
        restart_policy,
    )
    return errs


def validate_status_update(kind: str, new: Obj, old: Obj) -> list[FieldError]:
    """The status strategy's `ValidateUpdate` (with `validateCommonFields`' metadata checks)."""
    errs = validate_object_meta_update(new["metadata"], old["metadata"])
    if kind == "Pod":
        errs += validate_pod_status_update(new, old)
    return errs
