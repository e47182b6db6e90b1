"""Probes and lifecycle handlers, mirroring `validateProbe`, `validateHandler` /
`validateLifecycleHandler` and `validateLifecycle` in `pkg/apis/core/validation/validation.go`:
exactly one handler (exec, httpGet, tcpSocket, grpc, sleep), ports, HTTP headers, thresholds, and
a sleep no longer than the pod's termination grace period.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.field import FieldError, Path, forbidden, invalid, not_supported, required
from minik8s.api.validation.core import validate_port_num_or_name
from minik8s.api.validation.meta import validate_nonnegative_field
from minik8s.api.validation.names import is_http_header_name, is_valid_port_num

Obj = dict[str, Any]

_HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc", "sleep")


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


def validate_probes(container: Obj, path: Path, grace: int | None) -> list[FieldError]:
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
