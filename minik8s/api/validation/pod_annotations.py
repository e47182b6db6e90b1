"""The pod-specific annotation rules, mirroring upstream `ValidatePodSpecificAnnotations` and
`ValidatePodSpecificAnnotationUpdates` (`pkg/apis/core/validation/validation.go`): a mirror pod
names its node, `controller.kubernetes.io/pod-deletion-cost` is a 32-bit integer, the legacy
seccomp and AppArmor annotations hold valid profiles (AppArmor ones of existing containers), and
an update may not add, change or remove the mirror-pod or AppArmor annotations.

The deletion cost of an old object that was already invalid stays allowed on update
(`AllowInvalidPodDeletionCost`). Left out: the legacy tolerations annotation
(`scheduler.alpha.kubernetes.io/tolerations`). Go ranges over the annotation map in random
order; the errors here follow the sorted keys.
"""

from __future__ import annotations

import json
import re
from typing import Any

from minik8s.api.field import FieldError, Path, forbidden, invalid
from minik8s.api.validation.pod_volumes import validate_local_descending_path

Obj = dict[str, Any]
MIRROR_POD = "kubernetes.io/config.mirror"
POD_DELETION_COST = "controller.kubernetes.io/pod-deletion-cost"
SECCOMP_POD = "seccomp.security.alpha.kubernetes.io/pod"
SECCOMP_CONTAINER_PREFIX = "container.seccomp.security.alpha.kubernetes.io/"
APPARMOR_CONTAINER_PREFIX = "container.apparmor.security.beta.kubernetes.io/"
_INT32 = re.compile(r"-?[0-9]+")
_CONTAINER_KINDS = ("containers", "initContainers", "ephemeralContainers")


def valid_deletion_cost(value: str) -> bool:
    """`helper.GetDeletionCostFromPodAnnotations` succeeds: no `+`, no leading zero, int32."""
    if not value or not (value[0] == "-" or value == "0" or "1" <= value[0] <= "9"):
        return False
    return bool(_INT32.fullmatch(value)) and -(2**31) <= int(value) < 2**31


def _seccomp_errors(profile: str, path: Path) -> list[FieldError]:
    """upstream `ValidateSeccompProfile` of an annotation value."""
    if profile in ("runtime/default", "docker/default", "unconfined"):
        return []
    if profile.startswith("localhost/"):
        return validate_local_descending_path(profile[len("localhost/") :], path)
    return [invalid(path, profile, "must be a valid seccomp profile")]


def _apparmor_format_error(profile: str) -> str:
    """upstream `ValidateAppArmorProfileFormat`: "" when valid, else its error text."""
    if profile in ("", "runtime/default", "unconfined") or profile.startswith("localhost/"):
        return ""
    return f"invalid AppArmor profile name: {json.dumps(profile)}"


def _has_container(spec: Obj, name: str) -> bool:
    return any(c.get("name") == name for kind in _CONTAINER_KINDS for c in spec.get(kind) or [])


def validate_pod_specific_annotations(
    annotations: dict[str, str] | None,
    spec: Obj,
    path: Path,
    allow_invalid_deletion_cost: bool = False,
) -> list[FieldError]:
    """upstream `ValidatePodSpecificAnnotations` (`path` is the annotations' path)."""
    annotations = annotations or {}
    errs: list[FieldError] = []
    if MIRROR_POD in annotations and not spec.get("nodeName"):
        detail = "must set spec.nodeName if mirror pod annotation is set"
        errs.append(invalid(path.key(MIRROR_POD), annotations[MIRROR_POD], detail))
    cost = annotations.get(POD_DELETION_COST)
    if cost is not None and not allow_invalid_deletion_cost and not valid_deletion_cost(cost):
        errs.append(invalid(path.key(POD_DELETION_COST), cost, "must be a 32bit integer"))
    if SECCOMP_POD in annotations:
        errs += _seccomp_errors(annotations[SECCOMP_POD], path.child(SECCOMP_POD))
    for key in sorted(annotations):
        if key.startswith(SECCOMP_CONTAINER_PREFIX):
            errs += _seccomp_errors(annotations[key], path.child(key))
    for key in sorted(annotations):
        if not key.startswith(APPARMOR_CONTAINER_PREFIX):
            continue
        container = key[len(APPARMOR_CONTAINER_PREFIX) :]
        if not _has_container(spec, container):
            errs.append(invalid(path.key(key), container, "container not found"))
        message = _apparmor_format_error(annotations[key])
        if message:
            errs.append(invalid(path.key(key), annotations[key], message))
    return errs


def _update_errors(key: str, path: Path, verb: str) -> list[FieldError]:
    if key.startswith(APPARMOR_CONTAINER_PREFIX):
        return [forbidden(path.key(key), f"may not {verb} AppArmor annotations")]
    if key == MIRROR_POD:
        return [forbidden(path.key(key), f"may not {verb} mirror pod annotation")]
    return []


def validate_pod_specific_annotation_updates(new: Obj, old: Obj, path: Path) -> list[FieldError]:
    """upstream `ValidatePodSpecificAnnotationUpdates`: the mirror-pod and AppArmor annotations
    are fixed, then `ValidatePodSpecificAnnotations` of the new pod."""
    annotations = (new.get("metadata") or {}).get("annotations") or {}
    old_annotations = (old.get("metadata") or {}).get("annotations") or {}
    errs: list[FieldError] = []
    for key in sorted(old_annotations):
        if key not in annotations or annotations[key] != old_annotations[key]:
            errs += _update_errors(key, path, "remove or update")
    for key in sorted(annotations):
        if key not in old_annotations:
            errs += _update_errors(key, path, "add")
    old_cost = old_annotations.get(POD_DELETION_COST)
    allow = old_cost is not None and not valid_deletion_cost(old_cost)
    return errs + validate_pod_specific_annotations(annotations, new.get("spec") or {}, path, allow)
