"""Container validation, mirroring `validateContainers`, `validateInitContainers`,
`validateContainerCommon` and their helpers in `pkg/apis/core/validation/validation.go`.

Covers names, images, ports and host-port conflicts, volumeMounts (subPath, mountPropagation,
recursiveReadOnly), pull and termination-message policies, securityContext basics and sidecar
init containers; env and envFrom live in `pod_env.py`, probes and lifecycle handlers (sleep
bounded by the grace period) in `pod_probes.py`, resources in `pod_resources.py`.
Left out: resize policies, volume devices, image volumes, resource claims, hugepages rules and
the apiserver's --allow-privileged capability."""

from __future__ import annotations

from typing import Any

from minik8s.api.field import (
    FieldError,
    Path,
    duplicate,
    forbidden,
    invalid,
    not_found,
    not_supported,
    required,
)
from minik8s.api.validation.core import validate_dns1123_label
from minik8s.api.validation.names import (
    is_valid_group_id,
    is_valid_port_name,
    is_valid_port_num,
    is_valid_user_id,
)
from minik8s.api.validation.pod_env import validate_env, validate_env_from
from minik8s.api.validation.pod_probes import validate_probes
from minik8s.api.validation.pod_resources import validate_resource_requirements
from minik8s.api.validation.pod_volumes import (
    validate_local_descending_path,
)

Obj = dict[str, Any]


# --- ports --------------------------------------------------------------------------------------


def validate_container_ports(ports: list[Obj], path: Path) -> list[FieldError]:
    """upstream `validateContainerPorts`."""
    errs: list[FieldError] = []
    names: set[str] = set()
    for i, port in enumerate(ports):
        p = path.index(i)
        name = port.get("name") or ""
        if name:
            msgs = is_valid_port_name(name)
            if msgs:
                errs += [invalid(p.child("name"), name, m) for m in msgs]
            elif name in names:
                errs.append(duplicate(p.child("name"), name))
            else:
                names.add(name)
        container_port = port.get("containerPort", 0)
        if not container_port:
            errs.append(required(p.child("containerPort")))
        else:
            errs += [
                invalid(p.child("containerPort"), container_port, m)
                for m in is_valid_port_num(container_port)
            ]
        host_port = port.get("hostPort", 0)
        if host_port:
            errs += [
                invalid(p.child("hostPort"), host_port, m) for m in is_valid_port_num(host_port)
            ]
        protocol = port.get("protocol", "")
        if not protocol:
            errs.append(required(p.child("protocol")))
        elif protocol not in ("SCTP", "TCP", "UDP"):
            errs.append(not_supported(p.child("protocol"), protocol, ("SCTP", "TCP", "UDP")))
    return errs


def accumulate_unique_host_ports(
    containers: list[Obj], seen: set[str], path: Path
) -> list[FieldError]:
    """upstream `AccumulateUniqueHostPorts`: `protocol/hostIP/hostPort` must be unique."""
    errs: list[FieldError] = []
    for ci, container in enumerate(containers):
        for pi, port in enumerate(container.get("ports") or []):
            host_port = port.get("hostPort", 0)
            if not host_port:
                continue
            key = f"{port.get('protocol', '')}/{port.get('hostIP', '')}/{host_port}"
            if key in seen:
                p = path.index(ci).child("ports").index(pi).child("hostPort")
                errs.append(duplicate(p, key))
            else:
                seen.add(key)
    return errs


# --- volume mounts ------------------------------------------------------------------------------


def validate_volume_mounts(
    mounts: list[Obj], volumes: dict[str, Obj], path: Path, container: Obj | None = None
) -> list[FieldError]:
    """upstream `ValidateVolumeMounts` (note upstream's unindexed `volumeMounts.subPath`,
    `.mountPropagation` and `.recursiveReadOnly` paths)."""
    errs: list[FieldError] = []
    mount_points: set[str] = set()
    for i, mount in enumerate(mounts):
        p = path.index(i)
        name, mount_path = mount.get("name") or "", mount.get("mountPath") or ""
        if not name:
            errs.append(required(p.child("name")))
        if name not in volumes:
            errs.append(not_found(p.child("name"), name))
        if not mount_path:
            errs.append(required(p.child("mountPath")))
        if mount_path in mount_points:
            errs.append(invalid(p.child("mountPath"), mount_path, "must be unique"))
        mount_points.add(mount_path)
        sub_path, expr = mount.get("subPath") or "", mount.get("subPathExpr") or ""
        if sub_path:
            errs += validate_local_descending_path(sub_path, path.child("subPath"))
        if expr:
            if sub_path:
                detail = "subPathExpr and subPath are mutually exclusive"
                errs.append(invalid(p.child("subPathExpr"), expr, detail))
            errs += validate_local_descending_path(expr, path.child("subPathExpr"))
        errs += _validate_mount_propagation(mount, container, path.child("mountPropagation"))
        errs += _validate_recursive_read_only(mount, path.child("recursiveReadOnly"))
    return errs


def _validate_mount_propagation(mount: Obj, container: Obj | None, path: Path) -> list[FieldError]:
    """upstream `validateMountPropagation`: Bidirectional only for privileged containers."""
    propagation = mount.get("mountPropagation")
    if propagation is None:
        return []
    errs: list[FieldError] = []
    if propagation not in ("Bidirectional", "HostToContainer", "None"):
        errs.append(not_supported(path, propagation, ("Bidirectional", "HostToContainer", "None")))
    if container is None:  # upstream: "the container is not available yet"
        return errs
    privileged = bool((container.get("securityContext") or {}).get("privileged"))
    if propagation == "Bidirectional" and not privileged:
        detail = "Bidirectional mount propagation is available only to privileged containers"
        errs.append(forbidden(path, detail))
    return errs


def _validate_recursive_read_only(mount: Obj, path: Path) -> list[FieldError]:
    """upstream `validateMountRecursiveReadOnly` (RecursiveReadOnlyMounts, beta in v1.31)."""
    rro = mount.get("recursiveReadOnly")
    if rro is None or rro == "Disabled":
        return []
    if rro not in ("Enabled", "IfPossible"):
        return [not_supported(path, rro, ("Disabled", "Enabled", "IfPossible"))]
    errs: list[FieldError] = []
    if not mount.get("readOnly"):
        errs.append(forbidden(path, "may only be specified when readOnly is true"))
    if mount.get("mountPropagation") not in (None, "None"):
        detail = "may only be specified when mountPropagation is None or not specified"
        errs.append(forbidden(path, detail))
    return errs


# --- security context ---------------------------------------------------------------------------


def validate_security_context(sc: Obj | None, path: Path) -> list[FieldError]:
    """upstream `ValidateSecurityContext` basics: ids in range, privilege escalation combos."""
    if sc is None:
        return []
    errs: list[FieldError] = []
    if sc.get("runAsUser") is not None:
        errs += [
            invalid(path.child("runAsUser"), sc["runAsUser"], m)
            for m in is_valid_user_id(sc["runAsUser"])
        ]
    if sc.get("runAsGroup") is not None:
        errs += [
            invalid(path.child("runAsGroup"), sc["runAsGroup"], m)
            for m in is_valid_group_id(sc["runAsGroup"])
        ]
    if sc.get("allowPrivilegeEscalation") is False:
        if sc.get("privileged"):
            detail = "cannot set `allowPrivilegeEscalation` to false and `privileged` to true"
            errs.append(invalid(path, sc, detail))
        if "CAP_SYS_ADMIN" in ((sc.get("capabilities") or {}).get("add") or []):
            detail = (
                "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` "
                "CAP_SYS_ADMIN"
            )
            errs.append(invalid(path, sc, detail))
    return errs


# --- containers ---------------------------------------------------------------------------------


def _validate_container_common(
    container: Obj, volumes: dict[str, Obj], path: Path
) -> list[FieldError]:
    """upstream `validateContainerCommon`."""
    errs: list[FieldError] = []
    name = container.get("name") or ""
    if not name:
        errs.append(required(path.child("name")))
    else:
        errs += validate_dns1123_label(name, path.child("name"))
    if not container.get("image"):
        errs.append(required(path.child("image")))
    policy = container.get("terminationMessagePolicy", "")
    if not policy:
        errs.append(
            required(
                path.child("terminationMessagePolicy"), "must be 'File' or 'FallbackToLogsOnError'"
            )
        )
    elif policy not in ("File", "FallbackToLogsOnError"):
        errs.append(
            not_supported(
                path.child("terminationMessagePolicy"), policy, ("File", "FallbackToLogsOnError")
            )
        )
    errs += validate_container_ports(container.get("ports") or [], path.child("ports"))
    errs += validate_env(container.get("env") or [], path.child("env"))
    errs += validate_env_from(container.get("envFrom") or [], path.child("envFrom"))
    errs += validate_volume_mounts(
        container.get("volumeMounts") or [], volumes, path.child("volumeMounts"), container
    )
    pull = container.get("imagePullPolicy", "")
    if not pull:
        errs.append(required(path.child("imagePullPolicy")))
    elif pull not in ("Always", "IfNotPresent", "Never"):
        errs.append(
            not_supported(path.child("imagePullPolicy"), pull, ("Always", "IfNotPresent", "Never"))
        )
    errs += validate_resource_requirements(container.get("resources"), path.child("resources"))
    errs += validate_security_context(
        container.get("securityContext"), path.child("securityContext")
    )
    return errs


def validate_containers(
    containers: list[Obj], volumes: dict[str, Obj], path: Path, grace: int | None = None
) -> list[FieldError]:
    """upstream `validateContainers`: at least one, unique names, probes, host ports."""
    if not containers:
        return [required(path)]
    errs: list[FieldError] = []
    names: set[str] = set()
    for i, container in enumerate(containers):
        p = path.index(i)
        errs += _validate_container_common(container, volumes, p)
        name = container.get("name") or ""
        if name in names:
            errs.append(duplicate(p.child("name"), name))
        else:
            names.add(name)
        errs += validate_probes(container, p, grace)
        if container.get("restartPolicy") is not None:
            errs.append(
                forbidden(p.child("restartPolicy"), "may not be set for non-init containers")
            )
    return errs + accumulate_unique_host_ports(containers, set(), path)


def validate_init_containers(
    init: list[Obj],
    containers: list[Obj],
    volumes: dict[str, Obj],
    path: Path,
    grace: int | None = None,
) -> list[FieldError]:
    """upstream `validateInitContainers`, sidecars (`restartPolicy: Always`) included."""
    errs: list[FieldError] = []
    names = {c.get("name") or "" for c in containers}
    for i, container in enumerate(init):
        p = path.index(i)
        errs += _validate_container_common(container, volumes, p)
        policy = container.get("restartPolicy")
        if policy is not None and policy != "Always":
            errs.append(not_supported(p.child("restartPolicy"), policy, ("Always",)))
        name = container.get("name") or ""
        if name in names:
            errs.append(duplicate(p.child("name"), name))
        elif name:
            names.add(name)
        errs += accumulate_unique_host_ports([container], set(), path)
        if policy == "Always":  # a sidecar: probes and lifecycle hooks are allowed
            errs += validate_probes(container, p, grace)
            continue
        detail = "may not be set for init containers without restartPolicy=Always"
        for key in ("lifecycle", "livenessProbe", "readinessProbe", "startupProbe"):
            if container.get(key) is not None:
                errs.append(forbidden(p.child(key), detail))
    return errs
