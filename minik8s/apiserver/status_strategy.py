"""The `/status` subresource's strategies, mirroring each kind's `xStatusStrategy` in upstream
`pkg/registry/<group>/<kind>/strategy.go` (`PrepareForUpdate`, `ValidateUpdate`) and
`metav1.ResetObjectMetaForStatus`.

A status write keeps the old spec; which metadata it may change depends on the kind (Pods:
all but `deletionTimestamp` and `ownerReferences`; Deployments: all but labels (and, unlike
upstream, annotations); VolumeAttachments: none of labels, annotations, finalizers,
ownerReferences). A PersistentVolume's `lastPhaseTransitionTime` follows its phase.

Validation: `ValidateObjectMetaUpdate` for every kind (`validateCommonFields`), then the kind's
`ValidateXStatusUpdate` (`minik8s.api.validation.status_apps`, `status_batch`, `status_core`;
Pods: `nominatedNodeName` and the container state transitions). Status writes are not run
through the defaulters here, so the two status defaults those rules depend on are applied in
`prepare_for_status_update`: a Service's load-balancer `ipMode` (`SetDefaults_Service`) and a
Namespace's phase (`SetDefaults_NamespaceStatus`). Left out: the dropping of disabled status
fields, the rest of `ValidatePodStatusUpdate`, and the status rules of the other kinds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from minik8s.api.field import FieldError, Path, forbidden, invalid
from minik8s.api.validation import status_core
from minik8s.api.validation.meta import name_is_dns_subdomain, validate_object_meta_update
from minik8s.api.validation.status_apps import APPS_STATUS_VALIDATORS
from minik8s.api.validation.status_batch import validate_job_status_update

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
    elif kind in _STATUS_DEFAULTS:
        _STATUS_DEFAULTS[kind](new)


def default_load_balancer_ip_mode(service: Obj) -> None:
    """`SetDefaults_Service`'s status part (LoadBalancerIPMode): an ingress point with an `ip`
    and no `ipMode` gets `VIP` (in new dicts: the writer's object is not changed)."""
    status = service.get("status") or {}
    lb = status.get("loadBalancer") or {}
    points = lb.get("ingress") or []
    if not any(point.get("ip") and "ipMode" not in point for point in points):
        return
    ingress = [_with_ip_mode(point) for point in points]
    service["status"] = {**status, "loadBalancer": {**lb, "ingress": ingress}}


def _with_ip_mode(point: Obj) -> Obj:
    return {**point, "ipMode": "VIP"} if point.get("ip") and "ipMode" not in point else point


def default_namespace_phase(namespace: Obj) -> None:
    """`SetDefaults_NamespaceStatus`: an empty phase is `Active`."""
    status = namespace.get("status")
    if status is None or (isinstance(status, dict) and not status.get("phase")):
        namespace["status"] = {**(status or {}), "phase": "Active"}


_STATUS_DEFAULTS: dict[str, Callable[[Obj], None]] = {
    "Service": default_load_balancer_ip_mode,
    "Namespace": default_namespace_phase,
}


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
}


def validate_status_update(kind: str, new: Obj, old: Obj) -> list[FieldError]:
    """The status strategy's `ValidateUpdate` after `validateCommonFields`' metadata checks."""
    errs = validate_object_meta_update(new["metadata"], old["metadata"])
    validator = STATUS_VALIDATORS.get(kind)
    if validator is not None:
        errs += validator(new, old)
    return errs
