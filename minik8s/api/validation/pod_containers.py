"""Container validation, mirroring `validateContainers`, `validateInitContainers`,
`validateContainerCommon` and their helpers in `pkg/apis/core/validation/validation.go`.

Covers names, images, ports and host-port conflicts, volumeMounts (subPath, mountPropagation,
recursiveReadOnly), probes and lifecycle handlers (sleep bounded by the grace period), resources
(requests <= limits, standard names, quantities), pull and termination-message policies,
securityContext basics and sidecar init containers; env and envFrom live in `pod_env.py`.
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
from minik8s.api.quantity import Quantity, parse_quantity
from minik8s.api.validation.core import validate_dns1123_label, validate_port_num_or_name
from minik8s.api.validation.meta import (
    IS_NEGATIVE_ERROR_MSG,
    validate_nonnegative_field,
)
from minik8s.api.validation.names import (
    is_http_header_name,
    is_qualified_name,
    is_valid_group_id,
    is_valid_port_name,
    is_valid_port_num,
    is_valid_user_id,
)
from minik8s.api.validation.pod_env import validate_env, validate_env_from
from minik8s.api.validation.pod_volumes import (
    validate_local_descending_path,
)

Obj = dict[str, Any]

QUANTITY_FORMAT_ERROR = (
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
)
STANDARD_CONTAINER_RESOURCES = ("cpu", "memory", "ephemeral-storage")
STANDARD_RESOURCES = STANDARD_CONTAINER_RESOURCES + (
    "storage", "pods", "services", "replicationcontrollers", "resourcequotas", "secrets",
    "configmaps", "persistentvolumeclaims", "services.nodeports", "services.loadbalancers",
    "requests.cpu", "requests.memory", "requests.storage", "requests.ephemeral-storage",
    "limits.cpu", "limits.memory", "limits.ephemeral-storage",
)  # fmt: skip
_HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc", "sleep")


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


# --- probes and handlers ------------------------------------------------------------------------


def _validate_sleep_action(action: Obj, grace: int | None, path: Path) -> list[FieldError]:
    """upstream `validateSleepAction` (v1.31: zero seconds are not allowed)."""
    seconds = action.get("seconds", 0)
    if grace is not None and (seconds <= 0 or seconds > grace):
        detail = f"must be greater than 0 and less than terminationGracePeriodSeconds ({grace})"
        return [invalid(path, seconds, detail)]
    return []


def _validate_handler_action(
    kind: str, action: Obj, path: Path, grace: int | None
) -> list[FieldError]:
    if kind == "exec":
        return [] if action.get("command") else [required(path.child("command"))]
    if kind == "httpGet":
        errs: list[FieldError] = []
        if not action.get("path"):
            errs.append(required(path.child("path")))
        errs += validate_port_num_or_name(action.get("port", 0), path.child("port"))
        scheme = action.get("scheme", "")
        if scheme not in ("HTTP", "HTTPS"):
            errs.append(not_supported(path.child("scheme"), scheme, ("HTTP", "HTTPS")))
        for header in action.get("httpHeaders") or []:
            name = header.get("name", "")
            errs += [invalid(path.child("httpHeaders"), name, m) for m in is_http_header_name(name)]
        return errs
    if kind == "tcpSocket":
        return validate_port_num_or_name(action.get("port", 0), path.child("port"))
    if kind == "grpc":
        port = action.get("port", 0)
        return [invalid(path.child("port"), port, m) for m in is_valid_port_num(port)]
    return _validate_sleep_action(action, grace, path)


def validate_handler(
    handler: Obj, path: Path, allowed: tuple[str, ...], grace: int | None = None
) -> list[FieldError]:
    """upstream `validateHandler`: exactly one handler type, and its own rules."""
    errs: list[FieldError] = []
    count = 0
    for kind in allowed:
        if handler.get(kind) is None:
            continue
        if count > 0:
            errs.append(forbidden(path.child(kind), "may not specify more than 1 handler type"))
            continue
        count += 1
        errs += _validate_handler_action(kind, handler[kind], path.child(kind), grace)
    if count == 0:
        errs.append(required(path, "must specify a handler type"))
    return errs


def validate_probe(probe: Obj | None, path: Path, grace: int | None = None) -> list[FieldError]:
    """upstream `validateProbe`: handler, non-negative timings, positive grace period."""
    if probe is None:
        return []
    errs = validate_handler(probe, path, ("exec", "httpGet", "tcpSocket", "grpc"), grace)
    for key in (
        "initialDelaySeconds",
        "timeoutSeconds",
        "periodSeconds",
        "successThreshold",
        "failureThreshold",
    ):
        errs += validate_nonnegative_field(probe.get(key, 0), path.child(key))
    grace = probe.get("terminationGracePeriodSeconds")
    if grace is not None and grace <= 0:
        errs.append(
            invalid(path.child("terminationGracePeriodSeconds"), grace, "must be greater than 0")
        )
    return errs


def _validate_probes(container: Obj, path: Path, grace: int | None) -> list[FieldError]:
    """Lifecycle hooks, then liveness, readiness and startup probes, in upstream's order."""
    errs: list[FieldError] = []
    lifecycle = container.get("lifecycle")
    if lifecycle is not None:
        errs += validate_lifecycle(lifecycle, path.child("lifecycle"), grace)
    for kind in ("livenessProbe", "readinessProbe", "startupProbe"):
        probe = container.get(kind)
        if probe is None:
            continue
        errs += validate_probe(probe, path.child(kind), grace)
        if kind == "readinessProbe" and probe.get("terminationGracePeriodSeconds") is not None:
            p = path.child(kind, "terminationGracePeriodSeconds")
            detail = "must not be set for readinessProbes"
            errs.append(invalid(p, probe["terminationGracePeriodSeconds"], detail))
        elif kind != "readinessProbe" and probe.get("successThreshold", 0) != 1:
            p = path.child(kind, "successThreshold")
            errs.append(invalid(p, probe.get("successThreshold", 0), "must be 1"))
    return errs


def validate_lifecycle(lifecycle: Obj, path: Path, grace: int | None) -> list[FieldError]:
    """upstream `validateLifecycle`: postStart then preStop handlers."""
    errs: list[FieldError] = []
    for hook in ("postStart", "preStop"):
        if lifecycle.get(hook) is not None:
            errs += validate_handler(lifecycle[hook], path.child(hook), _HANDLERS, grace)
    return errs


# --- resources ----------------------------------------------------------------------------------


def _is_native(name: str) -> bool:
    return "/" not in name or "kubernetes.io/" in name


def _is_overcommit_allowed(name: str) -> bool:
    return _is_native(name) and not name.startswith("hugepages-")


def _is_extended(name: str) -> bool:
    if _is_native(name) or name.startswith("requests."):
        return False
    return not is_qualified_name("requests." + name)


# Resource names found valid ("cpu", "memory", ...: the same few on every container).
_VALID_RESOURCE_NAMES: set[str] = set()


def _validate_resource_name(name: str, path: Path) -> list[FieldError]:
    """upstream `validateContainerResourceName` (after `validateResourceName`)."""
    if name in _VALID_RESOURCE_NAMES:
        return []
    errs = _resource_name_errors(name, path)
    if not errs and len(_VALID_RESOURCE_NAMES) < 4096:
        _VALID_RESOURCE_NAMES.add(name)
    return errs


def _resource_name_errors(name: str, path: Path) -> list[FieldError]:
    errs = [invalid(path, name, m) for m in is_qualified_name(name)]
    if errs:
        return errs
    hugepages = name.startswith("hugepages-")
    if "/" not in name:
        if name not in STANDARD_RESOURCES and not hugepages:
            errs.append(invalid(path, name, "must be a standard resource type or fully qualified"))
        if name not in STANDARD_CONTAINER_RESOURCES and not hugepages:
            errs.append(invalid(path, name, "must be a standard resource for containers"))
    elif not _is_native(name) and not _is_extended(name):
        errs.append(invalid(path, name, "doesn't follow extended resource name standard"))
    return errs


def _validate_quantity(
    name: str, value: Any, path: Path
) -> tuple[Quantity | None, list[FieldError]]:
    """Parse one resource quantity: well-formed, non-negative, whole for extended resources."""
    try:
        quantity = parse_quantity(value)
    except ValueError:
        return None, [invalid(path, value, QUANTITY_FORMAT_ERROR)]
    if quantity.sign() < 0:
        return quantity, [invalid(path, str(quantity), IS_NEGATIVE_ERROR_MSG)]
    if not _is_native(name) and quantity.milli_value() % 1000 != 0:
        return quantity, [invalid(path, str(quantity), "must be an integer")]
    return quantity, []


def validate_resource_requirements(resources: Obj | None, path: Path) -> list[FieldError]:
    """upstream `ValidateContainerResourceRequirements`: names, quantities, requests <= limits."""
    resources = resources or {}
    lim_path, req_path = path.child("limits"), path.child("requests")
    errs: list[FieldError] = []
    limits: dict[str, Quantity] = {}
    for name, value in (resources.get("limits") or {}).items():
        errs += _validate_resource_name(name, lim_path.key(name))
        quantity, quantity_errs = _validate_quantity(name, value, lim_path.key(name))
        errs += quantity_errs
        if quantity is not None:
            limits[name] = quantity
    for name, value in (resources.get("requests") or {}).items():
        errs += _validate_resource_name(name, req_path.key(name))
        quantity, quantity_errs = _validate_quantity(name, value, req_path.key(name))
        errs += quantity_errs
        limit = limits.get(name)
        if quantity is None:
            continue
        if limit is not None:
            if quantity.cmp(limit) != 0 and not _is_overcommit_allowed(name):
                detail = f"must be equal to {name} limit of {limit}"
                errs.append(invalid(req_path, str(quantity), detail))
            elif quantity.cmp(limit) > 0:
                detail = f"must be less than or equal to {name} limit of {limit}"
                errs.append(invalid(req_path, str(quantity), detail))
        elif not _is_overcommit_allowed(name):
            errs.append(required(lim_path, "Limit must be set for non overcommitable resources"))
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
        errs += _validate_probes(container, p, grace)
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
            errs += _validate_probes(container, p, grace)
            continue
        detail = "may not be set for init containers without restartPolicy=Always"
        for key in ("lifecycle", "livenessProbe", "readinessProbe", "startupProbe"):
            if container.get(key) is not None:
                errs.append(forbidden(p.child(key), detail))
    return errs
