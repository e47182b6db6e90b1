"""Ingress and IngressClass validation, mirroring `pkg/apis/networking/validation/validation.go`
(`ValidateIngressCreate/Update`, `ValidateIngressSpec`, rules, paths, backends, TLS,
`ValidateIngressClass(Update)`).

`pathType` has no default in networking.k8s.io/v1, so a path without one is rejected. An update
is validated like upstream's `ValidateIngressUpdate`: the class annotation rule is create-only,
and invalid TLS secret names or wildcard-host rule values stored before those rules existed stay
accepted (`allowInvalidSecretName`, `allowInvalidWildcardHostRule`). Left out: NetworkPolicy.
"""

from __future__ import annotations

from minik8s.api.field import (
    FieldError,
    Path,
    forbidden,
    invalid,
    not_supported,
    required,
    too_long,
)
from minik8s.api.validation.core import (
    Obj,
    meta_of,
    parse_ip_sloppy,
    spec_of,
    validate_core_object_meta,
    validate_meta_update,
)
from minik8s.api.validation.dispatch import validates, validates_update
from minik8s.api.validation.meta import (
    name_is_dns1035_label,
    name_is_dns_label,
    name_is_dns_subdomain,
    validate_immutable_field,
)
from minik8s.api.validation.names import (
    is_dns1123_subdomain,
    is_domain_prefixed_path,
    is_valid_port_name,
    is_valid_port_num,
    is_wildcard_dns1123_subdomain,
)
from minik8s.api.validation.update import validate_object_meta_update

SPEC = Path("spec")
PATH_TYPES = ("Exact", "ImplementationSpecific", "Prefix")
INVALID_PATH_SEQUENCES = ("//", "/./", "/../", "%2f", "%2F")
INVALID_PATH_SUFFIXES = ("/..", "/.")
INGRESS_CLASS_ANNOTATION = "kubernetes.io/ingress.class"
MAX_LEN_INGRESS_CLASS_CONTROLLER = 250
PARAMETER_SCOPES = ("Cluster", "Namespace")


def _validate_host(host: str, path: Path) -> list[FieldError]:
    checker = is_wildcard_dns1123_subdomain if "*" in host else is_dns1123_subdomain
    return [invalid(path, host, msg) for msg in checker(host)]


@validates("Ingress")
def validate_ingress(ing: Obj) -> list[FieldError]:
    """upstream `ValidateIngressCreate` (metadata, spec, class annotation vs ingressClassName)."""
    meta = meta_of(ing)
    errs = validate_core_object_meta(ing, True, name_is_dns_subdomain)
    spec = spec_of(ing)
    errs += validate_ingress_spec(spec, SPEC)
    annotation = (meta.get("annotations") or {}).get(INGRESS_CLASS_ANNOTATION)
    class_name = spec.get("ingressClassName")
    if annotation is not None and class_name is not None and annotation != class_name:
        path = Path("annotations").child(INGRESS_CLASS_ANNOTATION)
        errs.append(
            invalid(path, annotation, "must match `ingressClassName` when both are specified")
        )
    return errs


@validates_update("Ingress", replaces_create=True)
def validate_ingress_update(new: Obj, old: Obj) -> list[FieldError]:
    """upstream `ValidateIngressUpdate`: metadata update and the spec, lenient where the old
    Ingress already broke a newer rule (no class annotation check)."""
    old_spec = spec_of(old)
    errs = validate_object_meta_update(new, old)
    return errs + validate_ingress_spec(
        spec_of(new),
        SPEC,
        allow_invalid_secret_name=any(
            _secret_name_errors(tls.get("secretName") or "") for tls in old_spec.get("tls") or []
        ),
        allow_invalid_wildcard_host_rule=any(
            "*" in (rule.get("host") or "") and _validate_rule_value(rule, Path())
            for rule in old_spec.get("rules") or []
        ),
    )


def validate_ingress_spec(
    spec: Obj,
    path: Path,
    allow_invalid_secret_name: bool = False,
    allow_invalid_wildcard_host_rule: bool = False,
) -> list[FieldError]:
    """upstream `ValidateIngressSpec` (with upstream's `IngressValidationOptions`)."""
    errs: list[FieldError] = []
    rules, default = spec.get("rules") or [], spec.get("defaultBackend")
    if not rules and default is None:
        # the bad value is the rules as sent: `null` when omitted, `[]` when given empty
        given = spec.get("rules")
        detail = "either `defaultBackend` or `rules` must be specified"
        errs.append(invalid(path, given if isinstance(given, list) else None, detail))
    if default is not None:
        errs += validate_ingress_backend(default, path.child("defaultBackend"))
    for i, rule in enumerate(rules):
        errs += _validate_rule(rule, path.child("rules").index(i), allow_invalid_wildcard_host_rule)
    for i, tls in enumerate(spec.get("tls") or []):
        errs += _validate_tls(tls, path.child("tls").index(i), allow_invalid_secret_name)
    class_name = spec.get("ingressClassName")
    if class_name is not None:
        msgs = name_is_dns_subdomain(class_name, False)
        errs += [invalid(path.child("ingressClassName"), class_name, m) for m in msgs]
    return errs


def _validate_rule(
    rule: Obj, path: Path, allow_invalid_wildcard_host_rule: bool
) -> list[FieldError]:
    errs: list[FieldError] = []
    host = rule.get("host") or ""
    if host:
        if parse_ip_sloppy(host) is not None:
            errs.append(invalid(path.child("host"), host, "must be a DNS name, not an IP address"))
        errs += _validate_host(host, path.child("host"))
    if "*" in host and allow_invalid_wildcard_host_rule:
        return errs
    return errs + _validate_rule_value(rule, path)


def _validate_rule_value(rule: Obj, path: Path) -> list[FieldError]:
    """upstream `validateIngressRuleValue`: the rule's HTTP paths."""
    errs: list[FieldError] = []
    http = rule.get("http")
    if http is not None:
        paths = http.get("paths") or []
        if not paths:
            errs.append(required(path.child("http", "paths")))
        for i, http_path in enumerate(paths):
            errs += validate_http_ingress_path(http_path, path.child("http", "paths").index(i))
    return errs


def validate_http_ingress_path(http_path: Obj, path: Path) -> list[FieldError]:
    """upstream `validateHTTPIngressPath`: pathType required; Exact/Prefix absolute and clean."""
    path_type = http_path.get("pathType")
    if path_type is None:
        return [required(path.child("pathType"), "pathType must be specified")]
    value = http_path.get("path") or ""
    errs: list[FieldError] = []
    if path_type in ("Exact", "Prefix"):
        if not value.startswith("/"):
            errs.append(invalid(path.child("path"), value, "must be an absolute path"))
        for seq in INVALID_PATH_SEQUENCES if value else ():
            if seq in value:
                errs.append(invalid(path.child("path"), value, f"must not contain '{seq}'"))
        for suffix in INVALID_PATH_SUFFIXES if value else ():
            if value.endswith(suffix):
                errs.append(invalid(path.child("path"), value, f"cannot end with '{suffix}'"))
    elif path_type == "ImplementationSpecific":
        if value and not value.startswith("/"):
            errs.append(invalid(path.child("path"), value, "must be an absolute path"))
    else:
        errs.append(not_supported(path.child("pathType"), path_type, PATH_TYPES))
    return errs + validate_ingress_backend(http_path.get("backend") or {}, path.child("backend"))


def validate_ingress_backend(backend: Obj, path: Path) -> list[FieldError]:
    """upstream `validateIngressBackend`: one of service / resource; a port name or number."""
    resource, service = backend.get("resource"), backend.get("service")
    if resource is not None and service is not None:
        return [invalid(path, "", "cannot set both resource and service backends")]
    if resource is not None:
        return _validate_typed_reference(resource, path.child("resource"))
    if service is None:
        return [invalid(path, "", "resource or service backend is required")]
    errs: list[FieldError] = []
    name = service.get("name") or ""
    if not name:
        errs.append(required(path.child("service", "name")))
    else:
        msgs = name_is_dns1035_label(name, False)
        errs += [invalid(path.child("service", "name"), name, m) for m in msgs]
    port = service.get("port") or {}
    port_name, number = port.get("name") or "", port.get("number") or 0
    if port_name and number:
        errs.append(invalid(path, "", "cannot set both port name & port number"))
    elif port_name:
        msgs = is_valid_port_name(port_name)
        errs += [invalid(path.child("service", "port", "name"), port_name, m) for m in msgs]
    elif number:
        msgs = is_valid_port_num(number)
        errs += [invalid(path.child("service", "port", "number"), number, m) for m in msgs]
    else:
        errs.append(required(path, "port name or number is required"))
    return errs


def _validate_typed_reference(ref: Obj, path: Path) -> list[FieldError]:
    errs: list[FieldError] = []
    group = ref.get("apiGroup")
    if group is not None:
        errs += [invalid(path.child("apiGroup"), group, m) for m in is_dns1123_subdomain(group)]
    for name in ("kind", "name"):
        value = ref.get(name) or ""
        if not value:
            errs.append(required(path.child(name)))
        else:
            errs += [invalid(path.child(name), value, m) for m in _path_segment_errors(value)]
    return errs


def _path_segment_errors(value: str) -> list[str]:
    """apimachinery `IsPathSegmentName`."""
    if value in (".", ".."):
        return [f"may not be '{value}'"]
    return [f"may not contain '{c}'" for c in ("/", "%") if c in value]


def _secret_name_errors(name: str) -> list[str]:
    """upstream `validateTLSSecretName`: empty, or a valid Secret name."""
    return name_is_dns_subdomain(name, False) if name else []


def _validate_tls(tls: Obj, path: Path, allow_invalid_secret_name: bool) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, host in enumerate(tls.get("hosts") or []):
        errs += _validate_host(host, path.child("hosts").index(i))
    if not allow_invalid_secret_name:
        secret = tls.get("secretName") or ""
        errs += [invalid(path.child("secretName"), secret, m) for m in _secret_name_errors(secret)]
    return errs


# --- IngressClass ------------------------------------------------------------------------------


@validates("IngressClass")
def validate_ingress_class(ic: Obj) -> list[FieldError]:
    """upstream `ValidateIngressClass`: a domain-prefixed controller, valid parameters."""
    errs = validate_core_object_meta(ic, False, name_is_dns_subdomain)
    spec = spec_of(ic)
    controller = spec.get("controller") or ""
    if not controller:
        errs.append(required(SPEC.child("controller")))
    else:
        if len(controller) > MAX_LEN_INGRESS_CLASS_CONTROLLER:
            errs.append(too_long(SPEC.child("controller"), "", MAX_LEN_INGRESS_CLASS_CONTROLLER))
        errs += is_domain_prefixed_path(SPEC.child("controller"), controller)
    params = spec.get("parameters")
    if params is not None:
        errs += _validate_class_parameters(params, SPEC.child("parameters"))
    return errs


def _validate_class_parameters(params: Obj, path: Path) -> list[FieldError]:
    errs = _validate_typed_reference(params, path)
    scope, namespace = params.get("scope"), params.get("namespace")
    if scope is None:
        return errs + [required(path.child("scope"))]
    if scope not in PARAMETER_SCOPES:
        return errs + [not_supported(path.child("scope"), scope, PARAMETER_SCOPES)]
    if scope == "Namespace" and namespace is None:
        errs.append(required(path.child("namespace"), "`parameters.scope` is set to 'Namespace'"))
    elif scope == "Namespace":
        msgs = name_is_dns_label(str(namespace), False)  # upstream `ValidateNamespaceName`
        errs += [invalid(path.child("namespace"), namespace, m) for m in msgs]
    if scope == "Cluster" and namespace is not None:
        detail = "`parameters.scope` is set to 'Cluster'"
        errs.append(forbidden(path.child("namespace"), detail))
    return errs


@validates_update("IngressClass")
def validate_ingress_class_update(new: Obj, old: Obj) -> list[FieldError]:
    """upstream `ValidateIngressClassUpdate`: `spec.controller` is immutable."""
    errs = validate_meta_update(new, old)
    new_c, old_c = spec_of(new).get("controller", ""), spec_of(old).get("controller", "")
    return errs + validate_immutable_field(new_c, old_c, SPEC.child("controller"))
