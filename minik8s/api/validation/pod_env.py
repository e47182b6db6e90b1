"""Env var validation, mirroring `ValidateEnv`, `ValidateEnvFrom` and `validateEnvVarValueFrom` in
`pkg/apis/core/validation/validation.go` (with `ConvertDownwardAPIFieldLabel` of
`pkg/api/v1/pod/util.go`).

Names follow `IsEnvVarName` (the RelaxedEnvironmentVariableValidation gate is alpha, off, in v1.31;
`RELAXED_ENV_VAR_VALIDATION` switches it on). Left out: the update-time relaxation for names an old
pod already used, and `resourceFieldRef.divisor` checks.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.field import FieldError, Path, invalid, not_supported, required
from minik8s.api.validation.meta import name_is_dns_subdomain
from minik8s.api.validation.names import is_env_var_name, is_qualified_name
from minik8s.api.validation.pod_volumes import validate_config_map_key

Obj = dict[str, Any]
ENV_FIELD_PATHS = (
    "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName",
    "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs",
)  # fmt: skip
CONVERTIBLE_FIELD_PATHS = ENV_FIELD_PATHS + (
    "metadata.annotations", "metadata.labels", "spec.restartPolicy", "spec.schedulerName",
    "status.phase",
)  # fmt: skip

# The RelaxedEnvironmentVariableValidation feature gate: alpha (off) in v1.31, so env var names and
# envFrom prefixes must be C-like `IsEnvVarName` names.
RELAXED_ENV_VAR_VALIDATION = False

RELAXED_ENV_VAR_NAME_ERROR = (
    "a valid environment variable name must consist only of printable ASCII characters other "
    "than '='"
)


def is_relaxed_env_var_name(value: str) -> list[str]:
    """apimachinery `IsRelaxedEnvVarName` (RelaxedEnvironmentVariableValidation, alpha in 1.31)."""
    errs = [] if value else ["environment variable name must be non-empty"]
    if any(not " " <= ch <= "~" or ch == "=" for ch in value):
        errs.append(RELAXED_ENV_VAR_NAME_ERROR)
    return errs


def env_var_name_errors(value: str) -> list[str]:
    """The env var name rule `ValidateEnv` applies under the v1.31 feature-gate defaults."""
    if RELAXED_ENV_VAR_VALIDATION:
        return is_relaxed_env_var_name(value)
    return is_env_var_name(value)


def _validate_key_selector(ref: Obj, path: Path) -> list[FieldError]:
    name = ref.get("name") or ""
    errs = [
        invalid(path.child("name"), name, m)
        for m in (name_is_dns_subdomain(name, False) if name else [])
    ]
    return errs + validate_config_map_key(ref.get("key") or "", path.child("key"))


def _split_subscripted(field_path: str) -> tuple[str, str] | None:
    """upstream `fieldpath.SplitMaybeSubscriptedPath`: `metadata.labels['k']` -> (path, key)."""
    if not field_path.endswith("']"):
        return None
    parts = field_path[:-2].split("['", 1)
    return (parts[0], parts[1]) if len(parts) == 2 and parts[0] else None


def _convert_downward_api_field_label(version: str, label: str) -> tuple[str, str]:
    """upstream `ConvertDownwardAPIFieldLabel`: (internal path, error)."""
    if version != "v1":
        return "", f"unsupported pod version: {version}"
    split = _split_subscripted(label)
    if split is not None:
        if split[0] in ("metadata.annotations", "metadata.labels"):
            return label, ""
        return "", f"field label does not support subscript: {label}"
    if label == "spec.host":
        return "spec.nodeName", ""
    if label in CONVERTIBLE_FIELD_PATHS:
        return label, ""
    return "", f"field label not supported: {label}"


def _validate_field_ref(ref: Obj, path: Path) -> list[FieldError]:
    """upstream `validateObjectFieldSelector` with the env var field paths."""
    if not ref.get("apiVersion"):
        return [required(path.child("apiVersion"))]
    field_path = ref.get("fieldPath") or ""
    if not field_path:
        return [required(path.child("fieldPath"))]
    internal, err = _convert_downward_api_field_label(ref["apiVersion"], field_path)
    if err:
        return [invalid(path.child("fieldPath"), field_path, f"error converting fieldPath: {err}")]
    split = _split_subscripted(internal)
    if split is not None:
        key = split[1].lower() if split[0] == "metadata.annotations" else split[1]
        return [invalid(path, key, m) for m in is_qualified_name(key)]
    if internal not in ENV_FIELD_PATHS:
        return [not_supported(path.child("fieldPath"), internal, ENV_FIELD_PATHS)]
    return []


def _validate_resource_field_ref(ref: Obj, path: Path) -> list[FieldError]:
    resource = ref.get("resource") or ""
    if not resource:
        return [required(path.child("resource"))]
    valid = (
        "limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu",
        "requests.ephemeral-storage", "requests.memory",
    )  # fmt: skip
    if resource not in valid and not resource.startswith(
        ("limits.hugepages-", "requests.hugepages-")
    ):
        return [not_supported(path.child("resource"), resource, valid)]
    return []


def _validate_value_from(env: Obj, path: Path) -> list[FieldError]:
    value_from = env.get("valueFrom")
    if value_from is None:
        return []
    errs: list[FieldError] = []
    checks = (
        ("fieldRef", _validate_field_ref),
        ("resourceFieldRef", _validate_resource_field_ref),
        ("configMapKeyRef", _validate_key_selector),
        ("secretKeyRef", _validate_key_selector),
    )
    count = 0
    for key, check in checks:
        if value_from.get(key) is not None:
            count += 1
            errs += check(value_from[key], path.child(key))
    if count == 0:
        detail = (
            "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or "
            "`secretKeyRef`"
        )
        errs.append(invalid(path, "", detail))
    elif env.get("value"):
        errs.append(invalid(path, "", "may not be specified when `value` is not empty"))
    elif count > 1:
        errs.append(invalid(path, "", "may not have more than one field specified at a time"))
    return errs


def validate_env(env: list[Obj], path: Path) -> list[FieldError]:
    """upstream `ValidateEnv`: names, and exactly one `valueFrom` source."""
    errs: list[FieldError] = []
    for i, var in enumerate(env):
        p = path.index(i)
        name = var.get("name") or ""
        if not name:
            errs.append(required(p.child("name")))
        else:
            errs += [invalid(p.child("name"), name, m) for m in env_var_name_errors(name)]
        errs += _validate_value_from(var, p.child("valueFrom"))
    return errs


def validate_env_from(env_from: list[Obj], path: Path) -> list[FieldError]:
    """upstream `ValidateEnvFrom`: a prefix that is an env var name, one of configMap/secret."""
    errs: list[FieldError] = []
    for i, source in enumerate(env_from):
        p = path.index(i)
        prefix = source.get("prefix") or ""
        if prefix:
            msgs = env_var_name_errors(prefix)
            errs += [invalid(p.child("prefix"), prefix, m) for m in msgs]
        count = 0
        for key in ("configMapRef", "secretRef"):
            ref = source.get(key)
            if ref is None:
                continue
            count += 1
            name = ref.get("name") or ""
            if not name:
                errs.append(required(p.child(key, "name")))
            else:
                msgs = name_is_dns_subdomain(name, True)
                errs += [invalid(p.child(key, "name"), name, m) for m in msgs]
        if count == 0:
            errs.append(invalid(path, "", "must specify one of: `configMapRef` or `secretRef`"))
        elif count > 1:
            errs.append(invalid(path, "", "may not have more than one field specified at a time"))
    return errs
