"""Service validation, mirroring `ValidateService` / `ValidateServiceUpdate` and their helpers in
`pkg/apis/core/validation/validation.go` (ports, type, session affinity, clusterIPs/ipFamilies,
externalIPs, traffic policies, load-balancer fields).

Left out: `healthCheckNodePort` being *required* for LoadBalancer+Local (minik8s allocates
node ports after validation; a given value is checked).
Duplicate ports print a JSON map where upstream prints a Go struct.
"""

from __future__ import annotations

from minik8s.api.field import (
    FieldError,
    Path,
    duplicate,
    forbidden,
    invalid,
    not_supported,
    required,
)
from minik8s.api.validation.core import (
    Obj,
    spec_of,
    validate_cidr,
    validate_core_object_meta,
    validate_dns1123_label,
    validate_dns1123_subdomain,
    validate_ip,
    validate_meta_update,
    validate_non_special_ip,
    validate_port_num_or_name,
    validate_protocol,
    validate_qualified_name,
)
from minik8s.api.validation.dispatch import validates, validates_update
from minik8s.api.validation.meta import name_is_dns1035_label, validate_labels
from minik8s.api.validation.names import is_valid_port_num
from minik8s.api.validation.service_ips import (
    is_headless,
    validate_cluster_ips_related_fields,
    validate_upgrade_downgrade,
)

SPEC = Path("spec")
SERVICE_TYPES = ("ClusterIP", "ExternalName", "LoadBalancer", "NodePort")
SESSION_AFFINITIES = ("ClientIP", "None")
TRAFFIC_POLICIES = ("Cluster", "Local")
MAX_CLIENT_IP_AFFINITY_SECONDS = 86400
META = Path("metadata")
LB_SOURCE_RANGES_ANNOTATION = "service.beta.kubernetes.io/load-balancer-source-ranges"
TOPOLOGY_HINTS_ANNOTATION = "service.kubernetes.io/topology-aware-hints"
TOPOLOGY_MODE_ANNOTATION = "service.kubernetes.io/topology-mode"
LB_ONLY = "may only be used when `type` is 'LoadBalancer'"


def externally_accessible(spec: Obj) -> bool:
    """upstream `service.ExternallyAccessible`."""
    kind = spec.get("type")
    return kind in ("LoadBalancer", "NodePort") or (
        kind == "ClusterIP" and bool(spec.get("externalIPs"))
    )


@validates("Service")
def validate_service(svc: Obj) -> list[FieldError]:
    """upstream `ValidateService`."""
    spec = spec_of(svc)
    errs = validate_core_object_meta(svc, True, name_is_dns1035_label)
    annotations = (svc.get("metadata") or {}).get("annotations") or {}
    errs += _validate_topology_annotations(annotations)
    ports = spec.get("ports") or []
    kind = spec.get("type") or ""
    if not ports and not is_headless(spec) and kind != "ExternalName":
        errs.append(required(SPEC.child("ports")))
    errs += _validate_type_specifics(spec, kind)
    names: set[str] = set()
    for i, port in enumerate(ports):
        errs += _validate_service_port(port, len(ports) > 1, names, SPEC.child("ports").index(i))
    if spec.get("selector") is not None:
        errs += validate_labels(spec["selector"], SPEC.child("selector"))
    errs += _validate_session_affinity(spec)
    errs += validate_cluster_ips_related_fields(spec)
    for i, ip in enumerate(spec.get("externalIPs") or []):
        path = SPEC.child("externalIPs").index(i)
        errs += validate_ip(ip, path) or validate_non_special_ip(ip, path)
    if not kind:
        errs.append(required(SPEC.child("type")))
    elif kind not in SERVICE_TYPES:
        errs.append(not_supported(SPEC.child("type"), kind, SERVICE_TYPES))
    errs += _validate_node_ports(spec, kind)
    errs += _validate_duplicate_ports(ports)
    errs += _validate_source_ranges(spec, kind, annotations)
    errs += _validate_load_balancer_fields(spec, kind)
    errs += _validate_traffic_policies(spec, kind)
    return errs


def _validate_topology_annotations(annotations: Obj) -> list[FieldError]:
    mode, hints = (
        annotations.get(k) for k in (TOPOLOGY_MODE_ANNOTATION, TOPOLOGY_HINTS_ANNOTATION)
    )
    both = TOPOLOGY_MODE_ANNOTATION in annotations and TOPOLOGY_HINTS_ANNOTATION in annotations
    if not both or mode == hints:
        return []
    detail = f"must match annotations[{TOPOLOGY_HINTS_ANNOTATION}] when both are specified"
    return [invalid(META.child("annotations").key(TOPOLOGY_MODE_ANNOTATION), mode, detail)]


def _validate_source_ranges(spec: Obj, kind: str, annotations: Obj) -> list[FieldError]:
    """The `loadBalancerSourceRanges` field, else the legacy annotation (comma-separated)."""
    errs: list[FieldError] = []
    ranges = spec.get("loadBalancerSourceRanges") or []
    if ranges:
        path = SPEC.child("LoadBalancerSourceRanges")  # sic: upstream's capital L
        if kind != "LoadBalancer":
            errs.append(forbidden(path, LB_ONLY))
        for i, value in enumerate(ranges):
            errs += validate_cidr(value.strip(), path.index(i))
    elif LB_SOURCE_RANGES_ANNOTATION in annotations:
        path = META.child("annotations").key(LB_SOURCE_RANGES_ANNOTATION)
        if kind != "LoadBalancer":
            errs.append(forbidden(path, LB_ONLY))
        value = str(annotations[LB_SOURCE_RANGES_ANNOTATION]).strip()
        for cidr in value.split(",") if value else []:
            errs += validate_cidr(cidr.strip(), path)
    return errs


def _validate_type_specifics(spec: Obj, kind: str) -> list[FieldError]:
    errs: list[FieldError] = []
    first_ip = SPEC.child("clusterIPs").index(0)
    if kind in ("LoadBalancer", "NodePort") and is_headless(spec):
        detail = f"may not be set to 'None' for {kind} services"
        errs.append(invalid(first_ip, "None", detail))
    if kind == "ExternalName":
        for name in ("clusterIPs", "ipFamilies"):
            if spec.get(name):
                errs.append(forbidden(SPEC.child(name), "may not be set for ExternalName services"))
        if spec.get("ipFamilyPolicy") is not None:
            detail = "may not be set for ExternalName services"
            errs.append(forbidden(SPEC.child("ipFamilyPolicy"), detail))
        cname = spec.get("externalName") or ""
        cname = cname[:-1] if cname.endswith(".") else cname
        if cname:
            errs += validate_dns1123_subdomain(cname, SPEC.child("externalName"))
        else:
            errs.append(required(SPEC.child("externalName")))
    return errs


def _validate_service_port(
    port: Obj, require_name: bool, names: set[str], path: Path
) -> list[FieldError]:
    """upstream `validateServicePort`."""
    errs: list[FieldError] = []
    name = port.get("name") or ""
    if require_name and not name:
        errs.append(required(path.child("name")))
    elif name:
        errs += validate_dns1123_label(name, path.child("name"))
        if name in names:
            errs.append(duplicate(path.child("name"), name))
        names.add(name)
    number = port.get("port", 0)
    errs += [invalid(path.child("port"), number, m) for m in is_valid_port_num(number)]
    errs += validate_protocol(port.get("protocol") or "", path.child("protocol"))
    errs += validate_port_num_or_name(port.get("targetPort", 0), path.child("targetPort"))
    if port.get("appProtocol") is not None:
        errs += validate_qualified_name(port["appProtocol"], path.child("appProtocol"))
    return errs


def _validate_session_affinity(spec: Obj) -> list[FieldError]:
    affinity = spec.get("sessionAffinity") or ""
    path = SPEC.child("sessionAffinityConfig")
    if not affinity:
        return [required(SPEC.child("sessionAffinity"))]
    if affinity not in SESSION_AFFINITIES:
        return [not_supported(SPEC.child("sessionAffinity"), affinity, SESSION_AFFINITIES)]
    config = spec.get("sessionAffinityConfig")
    if affinity == "None":
        return [forbidden(path, "must not be set when session affinity is None")] if config else []
    why = "when session affinity type is ClientIP"
    if config is None:
        return [required(path, why)]
    if config.get("clientIP") is None:
        return [required(path.child("clientIP"), why)]
    timeout = config["clientIP"].get("timeoutSeconds")
    timeout_path = path.child("clientIP", "timeoutSeconds")
    if timeout is None:
        return [required(timeout_path, why)]
    if timeout <= 0 or timeout > MAX_CLIENT_IP_AFFINITY_SECONDS:
        detail = f"must be greater than 0 and less than {MAX_CLIENT_IP_AFFINITY_SECONDS}"
        return [invalid(timeout_path, timeout, detail)]
    return []


def _validate_node_ports(spec: Obj, kind: str) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set[tuple[str, int]] = set()
    for i, port in enumerate(spec.get("ports") or []):
        node_port = port.get("nodePort") or 0
        if not node_port:
            continue
        path = SPEC.child("ports").index(i).child("nodePort")
        if kind == "ClusterIP":
            errs.append(forbidden(path, "may not be used when `type` is 'ClusterIP'"))
        key = (port.get("protocol") or "", node_port)
        if key in seen:
            errs.append(duplicate(path, node_port))
        seen.add(key)
    return errs


def _validate_duplicate_ports(ports: list[Obj]) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set[tuple[str, int]] = set()
    for i, port in enumerate(ports):
        key = (port.get("protocol") or "", port.get("port", 0))
        if key in seen:
            value = {"port": key[1], "protocol": key[0]}
            errs.append(duplicate(SPEC.child("ports").index(i), value))
        seen.add(key)
    return errs


def _validate_load_balancer_fields(spec: Obj, kind: str) -> list[FieldError]:
    errs: list[FieldError] = []
    allocate = spec.get("allocateLoadBalancerNodePorts")
    if allocate is not None and kind != "LoadBalancer":
        errs.append(forbidden(SPEC.child("allocateLoadBalancerNodePorts"), LB_ONLY))
    if kind == "LoadBalancer" and allocate is None:
        errs.append(required(Path("allocateLoadBalancerNodePorts")))  # sic: no "spec."
    return errs + _validate_load_balancer_class(spec, kind)


def _validate_load_balancer_class(spec: Obj, kind: str) -> list[FieldError]:
    """upstream `validateLoadBalancerClassField` (its create half)."""
    lb_class = spec.get("loadBalancerClass")
    if lb_class is None:
        return []
    if kind == "LoadBalancer":
        return validate_qualified_name(lb_class, SPEC.child("loadBalancerClass"))
    return [forbidden(SPEC.child("loadBalancerClass"), LB_ONLY)]


def _validate_traffic_policies(spec: Obj, kind: str) -> list[FieldError]:
    errs: list[FieldError] = []
    etp = spec.get("externalTrafficPolicy") or ""
    etp_path = SPEC.child("externalTrafficPolicy")
    if not externally_accessible(spec):
        if etp:
            detail = "may only be set for externally-accessible services"
            errs.append(invalid(etp_path, etp, detail))
    elif not etp:
        errs.append(required(etp_path))
    elif etp not in TRAFFIC_POLICIES:
        errs.append(not_supported(etp_path, etp, TRAFFIC_POLICIES))
    hc = spec.get("healthCheckNodePort") or 0
    hc_path = SPEC.child("healthCheckNodePort")
    if hc and not (kind == "LoadBalancer" and etp == "Local"):
        detail = (
            "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"
        )
        errs.append(invalid(hc_path, hc, detail))
    elif hc:
        errs += [invalid(hc_path, hc, m) for m in is_valid_port_num(hc)]
    itp = spec.get("internalTrafficPolicy")
    itp_path = SPEC.child("internalTrafficPolicy")
    if itp is None and kind in ("ClusterIP", "LoadBalancer", "NodePort"):
        errs.append(required(itp_path))
    if itp is not None and itp not in TRAFFIC_POLICIES:
        errs.append(not_supported(itp_path, itp, TRAFFIC_POLICIES))
    distribution = spec.get("trafficDistribution")
    if distribution is not None and distribution != "PreferClose":
        errs.append(not_supported(SPEC.child("trafficDistribution"), distribution, ["PreferClose"]))
    return errs


# --- update ------------------------------------------------------------------------------------


@validates_update("Service", replaces_create=True)
def validate_service_update(new: Obj, old: Obj) -> list[FieldError]:
    """upstream `ValidateServiceUpdate`: the update rules first, then `ValidateService(new)`.

    Like upstream, `loadBalancerClass` is checked twice (once with the old object, once inside
    `ValidateService`), so a bad class on update is reported twice."""
    new_spec, old_spec = spec_of(new), spec_of(old)
    errs = validate_meta_update(new, old)
    if "ExternalName" not in (new_spec.get("type"), old_spec.get("type")):
        errs += validate_upgrade_downgrade(old_spec, new_spec, "clusterIPs", "clusterIP")
        if is_headless(new_spec) == is_headless(old_spec) and not is_headless(new_spec):
            errs += validate_upgrade_downgrade(old_spec, new_spec, "ipFamilies", "ipFamily")
    if old_spec.get("type") == "LoadBalancer" and new_spec.get("type") == "LoadBalancer":
        if old_spec.get("loadBalancerClass") != new_spec.get("loadBalancerClass"):
            path = SPEC.child("loadBalancerClass")
            errs.append(invalid(path, new_spec.get("loadBalancerClass"), "may not change once set"))
    errs += _validate_load_balancer_class(new_spec, new_spec.get("type") or "")
    if _needs_health_check(old_spec) and _needs_health_check(new_spec):
        if new_spec.get("healthCheckNodePort") != old_spec.get("healthCheckNodePort"):
            errs.append(forbidden(SPEC.child("healthCheckNodePort"), "field is immutable"))
    return errs + validate_service(new)


def _needs_health_check(spec: Obj) -> bool:
    return spec.get("type") == "LoadBalancer" and spec.get("externalTrafficPolicy") == "Local"
