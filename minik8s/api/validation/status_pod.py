"""The `/status` validation of Pods, mirroring upstream `ValidatePodStatusUpdate` and its helpers
(`validatePodConditions`, `ValidateContainerStateTransition`,
`ValidateInitContainerStateTransition`, `validatePodResourceClaimStatuses`, `validatePodIPs`,
`validateHostIPs`) in `pkg/apis/core/validation/validation.go`.

`ValidateObjectMetaUpdate` is left to the status strategy, which runs it first for every kind.
Upstream checks no container status against the spec ("there is no check that ContainerStatuses
... doesn't have duplicate container names or statuses of containers that are not defined in the
pod spec"), and neither does this module. The annotation rules are
`minik8s.api.validation.pod_annotations`. Left out: `validateContainerStatusUsers`
(SupplementalGroupsPolicy, alpha in 1.31) and the AllocatedResourcesStatus rules (alpha); the IP
rules see the v1 lists as written (upstream's v1 → internal conversion, which makes a differing
`podIP` win over `podIPs`, is a decode step).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from minik8s.api.field import FieldError, Path, duplicate, forbidden, internal, invalid
from minik8s.api.validation.gosyntax import GoSyntax, go_slice, go_struct
from minik8s.api.validation.meta import name_is_dns_subdomain, validate_immutable_field
from minik8s.api.validation.names import is_qualified_name, is_valid_ip, parse_ip_sloppy
from minik8s.api.validation.pod_annotations import validate_pod_specific_annotation_updates

Obj = dict[str, Any]
STATUS = Path("status")
CONDITIONS = Path("metadata", "conditions")  # (sic: upstream's path)
ANNOTATIONS = Path("metadata", "annotations")
POD_IPS = STATUS.child("podIPs")
HOST_IPS = STATUS.child("hostIPs")
# validatePodConditions: the conditions whose type need not be a qualified name
SYSTEM_CONDITIONS = ("PodScheduled", "Ready", "Initialized")
NOT_TERMINATED = "may not be transitioned to non-terminated state"
ONE_PER_FAMILY = "may specify no more than one IP for each IP family"


def _go_struct(type_name: str, ip: str) -> str:
    return go_struct(f"core.{type_name}", IP=ip)


@lru_cache(maxsize=1024)  # the same few condition types on every status write
def _qualified_name_messages(name: str) -> tuple[str, ...]:
    return tuple(is_qualified_name(name))


@lru_cache(maxsize=4096)  # a pod's IPs come back on each of its status writes
def _is_ip(value: str) -> bool:
    return not is_valid_ip(STATUS, value)


def validate_pod_conditions(conditions: list[Obj], path: Path) -> list[FieldError]:
    """upstream `validatePodConditions`: a custom condition type is a qualified name (upstream
    passes `metadata.conditions` as the path, and this keeps it)."""
    errs: list[FieldError] = []
    for i, condition in enumerate(conditions):
        kind = condition.get("type") or ""
        if kind in SYSTEM_CONDITIONS:
            continue
        for message in _qualified_name_messages(kind):
            errs.append(invalid(path.index(i).child("Type"), kind, message))
    return errs


def _terminated(status: Obj) -> Obj | None:
    terminated: Obj | None = (status.get("state") or {}).get("terminated")
    return terminated


def _may_restart(old_status: Obj, restart_policy: str) -> bool:
    """A terminated container that failed and is allowed to restart."""
    terminated = _terminated(old_status) or {}
    return terminated.get("exitCode", 0) != 0 and restart_policy == "OnFailure"


def _transition_errors(new: list[Obj], old_status: Obj, path: Path) -> list[FieldError]:
    name = old_status.get("name")
    return [
        forbidden(path.child("state"), NOT_TERMINATED)
        for status in new
        if status.get("name") == name and _terminated(status) is None
    ]


def validate_container_state_transition(
    new: list[Obj], old: list[Obj], path: Path, restart_policy: str
) -> list[FieldError]:
    """upstream `ValidateContainerStateTransition`: a terminated container of a pod that does
    not restart it stays terminated."""
    if restart_policy == "Always":
        return []
    errs: list[FieldError] = []
    for i, old_status in enumerate(old):
        if _terminated(old_status) is None or _may_restart(old_status, restart_policy):
            continue
        errs += _transition_errors(new, old_status, path.index(i))
    return errs


def _restartable_init_containers(spec: Obj) -> set[str]:
    return {
        c.get("name", "")
        for c in spec.get("initContainers") or []
        if c.get("restartPolicy") == "Always"
    }


def validate_init_container_state_transition(
    new: list[Obj], old: list[Obj], path: Path, spec: Obj
) -> list[FieldError]:
    """upstream `ValidateInitContainerStateTransition`: as for containers, but a restartable
    init container (a sidecar, `restartPolicy: Always`) may run again."""
    restart_policy = spec.get("restartPolicy", "Always")
    if restart_policy == "Always":
        return []
    sidecars = _restartable_init_containers(spec)
    errs: list[FieldError] = []
    for i, old_status in enumerate(old):
        if _terminated(old_status) is None or _may_restart(old_status, restart_policy):
            continue
        if old_status.get("name") in sidecars:
            continue
        errs += _transition_errors(new, old_status, path.index(i))
    return errs


def validate_pod_resource_claim_statuses(
    statuses: list[Obj], claims: list[Obj], path: Path
) -> list[FieldError]:
    """upstream `validatePodResourceClaimStatuses`."""
    names = {claim.get("name") for claim in claims}
    seen: set[str] = set()
    errs: list[FieldError] = []
    for i, status in enumerate(statuses):
        p, name = path.index(i).child("name"), status.get("name") or ""
        if name not in names:
            detail = "must match the name of an entry in `spec.resourceClaims`"
            errs.append(invalid(p, name, detail))
        if name in seen:
            errs.append(duplicate(p, name))
        seen.add(name)
        claim_name = status.get("resourceClaimName")
        if claim_name is not None:
            errs += [invalid(p, claim_name, m) for m in name_is_dns_subdomain(claim_name, False)]
    return errs


def _dual_stack(ips: list[str], path: Path) -> tuple[bool, list[FieldError]]:
    """netutils `IsDualStackIPStrings`: exactly both families among the IPs (an IPv4-mapped
    IPv6 address counts as IPv4)."""
    parsed = [parse_ip_sloppy(ip) for ip in ips]
    if any(ip is None for ip in parsed):
        detail = "failed to check for dual stack with error:ip <nil> is invalid"
        return False, [internal(path, detail)]
    v6 = [ip.version == 6 and ip.ipv4_mapped is None for ip in parsed]  # type: ignore[union-attr]
    return any(v6) and not all(v6), []


def _family_errors(entries: list[Obj], path: Path, type_name: str) -> list[FieldError]:
    """The rules of more than one IP: one per family, at most two."""
    ips = [entry.get("ip") or "" for entry in entries]
    dual, errs = _dual_stack(ips, path)
    if not dual or len(ips) > 2:
        shown = go_slice(f"core.{type_name}", [_go_struct(type_name, ip) for ip in ips])
        errs.append(invalid(path, GoSyntax(shown), ONE_PER_FAMILY))
    return errs


def _duplicates(entries: list[Obj], path: Path, type_name: str) -> list[FieldError]:
    seen: set[str] = set()
    errs: list[FieldError] = []
    for i, entry in enumerate(entries):
        ip = entry.get("ip") or ""
        if ip in seen:
            errs.append(duplicate(path.index(i), GoSyntax(_go_struct(type_name, ip))))
        seen.add(ip)
    return errs


def validate_pod_ips(status: Obj) -> list[FieldError]:
    """upstream `validatePodIPs`: valid IPs, at most one per family, no duplicates."""
    entries: list[Obj] = status.get("podIPs") or []
    path = POD_IPS
    errs: list[FieldError] = []
    for i, entry in enumerate(entries):
        ip = entry.get("ip") or ""
        if not _is_ip(ip):
            errs += is_valid_ip(path.index(i), ip)
    if len(entries) > 1:
        errs += _family_errors(entries, path, "PodIP")
        errs += _duplicates(entries, path, "PodIP")
    return errs


def validate_host_ips(status: Obj) -> list[FieldError]:
    """upstream `validateHostIPs`: `hostIPs[0]` is `hostIP`, then as `validatePodIPs` (the
    duplicates before the families)."""
    entries: list[Obj] = status.get("hostIPs") or []
    if not entries:
        return []
    path = HOST_IPS
    errs: list[FieldError] = []
    first = entries[0].get("ip") or ""
    if (status.get("hostIP") or "") != first:
        errs.append(invalid(path.index(0).child("ip"), first, "must be equal to `hostIP`"))
    for i, entry in enumerate(entries):
        ip = entry.get("ip") or ""
        if not _is_ip(ip):
            errs += is_valid_ip(path.index(i), ip)
    if len(entries) > 1:
        errs += _duplicates(entries, path, "HostIP")
        errs += _family_errors(entries, path, "HostIP")
    return errs


def _validate_container_statuses(status: Obj, old_status: Obj, old_spec: Obj) -> list[FieldError]:
    """The state transitions of the three kinds of container (ephemeral ones never restart);
    only a kind with old statuses can have any."""
    errs: list[FieldError] = []
    restart_policy = old_spec.get("restartPolicy", "Always")
    for key in ("containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses"):
        old = old_status.get(key)
        if not old or (restart_policy == "Always" and key != "ephemeralContainerStatuses"):
            continue  # (a pod that restarts its containers has no rule on them)
        new, path = status.get(key) or [], STATUS.child(key)
        if key == "initContainerStatuses":
            errs += validate_init_container_state_transition(new, old, path, old_spec)
        else:
            policy = restart_policy if key == "containerStatuses" else "Never"
            errs += validate_container_state_transition(new, old, path, policy)
    return errs


def validate_pod_status_update(new: Obj, old: Obj) -> list[FieldError]:
    """upstream `ValidatePodStatusUpdate` (after `ValidateObjectMetaUpdate`)."""
    status, old_status = new.get("status") or {}, old.get("status") or {}
    spec, old_spec = new.get("spec") or {}, old.get("spec") or {}
    errs = validate_pod_specific_annotation_updates(new, old, ANNOTATIONS)
    errs += validate_pod_conditions(status.get("conditions") or [], CONDITIONS)
    if (spec.get("nodeName") or "") != (old_spec.get("nodeName") or ""):
        errs.append(forbidden(STATUS.child("nodeName"), "may not be changed directly"))
    nominated = status.get("nominatedNodeName") or ""
    if nominated and nominated != (old_status.get("nominatedNodeName") or ""):
        for message in name_is_dns_subdomain(nominated, False):
            errs.append(invalid(STATUS.child("nominatedNodeName"), nominated, message))
    qos, old_qos = status.get("qosClass") or "", old_status.get("qosClass") or ""
    if qos != old_qos:
        errs += validate_immutable_field(qos, old_qos, STATUS.child("qosClass"))
    errs += _validate_container_statuses(status, old_status, old_spec)
    claim_statuses = status.get("resourceClaimStatuses")
    if claim_statuses:
        errs += validate_pod_resource_claim_statuses(
            claim_statuses, spec.get("resourceClaims") or [], STATUS.child("resourceClaimStatuses")
        )
    return errs + validate_pod_ips(status) + validate_host_ips(status)
