"""The `/status` subresource's strategies, mirroring each kind's `xStatusStrategy` in upstream
`pkg/registry/<group>/<kind>/strategy.go` (`PrepareForUpdate`, `ValidateUpdate`) and
`metav1.ResetObjectMetaForStatus`.

A status write keeps the old spec; which metadata it may change depends on the kind (Pods:
all but `deletionTimestamp` and `ownerReferences`; Deployments: all but labels (annotations may
change, as upstream); VolumeAttachments: none of labels, annotations, finalizers,
ownerReferences (`ResetObjectMetaForStatus`); the other kinds: all of it). A PersistentVolume's
`lastPhaseTransitionTime` follows its phase.

Validation: `ValidateObjectMetaUpdate` for every kind (`validateCommonFields`), then the kind's
`ValidateXStatusUpdate` (`minik8s.api.validation.status_apps`, `status_batch`, `status_core`;
Pods: `minik8s.api.validation.status_pod`). Upstream decodes a status write with its defaults
and then keeps the stored spec, so `prepare_for_status_update` first applies the status parts of
the defaulters (`minik8s.api.defaults.apply_status_defaults`: a Service's load-balancer `ipMode`,
the phase of a Namespace, PersistentVolume or claim, a Node's allocatable). Left out: the
dropping of disabled status fields.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from minik8s.api.defaults import apply_status_defaults
from minik8s.api.field import FieldError
from minik8s.api.validation import status_core
from minik8s.api.validation.meta import validate_object_meta_update
from minik8s.api.validation.status_apps import APPS_STATUS_VALIDATORS
from minik8s.api.validation.status_batch import validate_job_status_update
from minik8s.api.validation.status_pod import validate_pod_status_update
from minik8s.api.validation.volumeattachment import validate_volume_attachment_status_update

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
    """The decode's status defaults, then the kind's status `PrepareForUpdate`: spec (and some
    metadata) kept from `old`; `now` (RFC 3339) for the times it sets."""
    apply_status_defaults(new, kind)
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


# kind -> its status strategy's `ValidateUpdate` (after the metadata rules).
STATUS_VALIDATORS: dict[str, Callable[[Obj, Obj], list[FieldError]]] = {
    **APPS_STATUS_VALIDATORS,
    "Job": validate_job_status_update,
    "Pod": validate_pod_status_update,
    "Service": status_core.validate_service_status_update,
    "Ingress": status_core.validate_ingress_status_update,
    "Namespace": status_core.validate_namespace_status_update,
    "PersistentVolumeClaim": status_core.validate_persistent_volume_claim_status_update,
    "Node": status_core.validate_node_status_update,
    "VolumeAttachment": validate_volume_attachment_status_update,
}


def validate_status_update(kind: str, new: Obj, old: Obj) -> list[FieldError]:
    """The status strategy's `ValidateUpdate` after `validateCommonFields`' metadata checks."""
    errs = validate_object_meta_update(new["metadata"], old["metadata"])
    validator = STATUS_VALIDATORS.get(kind)
    if validator is not None:
        errs += validator(new, old)
    return errs
