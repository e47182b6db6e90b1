"""Pod, PodSpec and PodTemplateSpec validation, mirroring `pkg/apis/core/validation/validation.go`
(`ValidatePodCreate`, `ValidatePodSpec`, `ValidatePodTemplateSpec`, `ValidatePodUpdate`).

Covers volumes (names, one source each, the common sources' required fields), containers and init
containers (names, images, ports, env, envFrom, volumeMounts, probes, resources, pull and
termination-message policies, securityContext basics), host ports, restartPolicy, dnsPolicy and
dnsConfig, nodeSelector, tolerations, affinity, topology spread constraints, pod securityContext
basics. Containers live in `pod_containers.py`, volumes in `pod_volumes.py`, tolerations and
affinity in `pod_scheduling.py`, topology spread constraints in `pod_topology.py`, the Pod update
rules in `pod_update.py`.
Left out: ephemeral containers, resource claims, matchLabelKeys/mismatchLabelKeys of pod
affinity terms,
seccomp/AppArmor, Windows, user namespaces, pod-level resources,
status validation, and the `cmp.Diff` of the Pod update error (a short field list is printed).
"""

from __future__ import annotations

from typing import Any

from minik8s.api.field import FieldError, Path, forbidden, invalid, not_supported, required
from minik8s.api.validation.core import (
    validate_core_object_meta,
    validate_dns1123_label,
    validate_dns1123_subdomain,
    validate_qualified_name,
)
from minik8s.api.validation.dispatch import validates
from minik8s.api.validation.meta import (
    name_is_dns_subdomain,
    validate_annotations,
    validate_labels,
)
from minik8s.api.validation.names import (
    inclusive_range_error,
    is_valid_group_id,
    is_valid_ip,
    is_valid_user_id,
)
from minik8s.api.validation.pod_annotations import (
    validate_pod_specific_annotations,
)
from minik8s.api.validation.pod_containers import validate_containers, validate_init_containers
from minik8s.api.validation.pod_scheduling import validate_affinity, validate_tolerations
from minik8s.api.validation.pod_topology import validate_topology_spread_constraints
from minik8s.api.validation.pod_volumes import validate_volumes

Obj = dict[str, Any]
SPEC = Path("spec")
MAX_INT32 = 2**31 - 1
MAX_DNS_NAMESERVERS = 3
MAX_DNS_SEARCH_PATHS = 32
MAX_DNS_SEARCH_LIST_CHARS = 2048


def _choice(value: str, path: Path, valid: tuple[str, ...]) -> list[FieldError]:
    """Required when empty, else one of `valid` (upstream's switch-on-enum pattern)."""
    if not value:
        return [required(path)]
    return [] if value in valid else [not_supported(path, value, valid)]


def validate_restart_policy(policy: str, path: Path) -> list[FieldError]:
    """upstream `validateRestartPolicy`."""
    return _choice(policy, path, ("Always", "OnFailure", "Never"))


def validate_dns_policy(policy: str, path: Path) -> list[FieldError]:
    """upstream `validateDNSPolicy`."""
    return _choice(policy, path, ("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"))


def validate_dns_config(config: Obj | None, policy: str, path: Path) -> list[FieldError]:
    """upstream `validatePodDNSConfig` (nameserver and search counts, nameserver IPs)."""
    if policy == "None":
        if config is None:
            return [required(path, "must provide `dnsConfig` when `dnsPolicy` is None")]
        if not config.get("nameservers"):
            detail = "must provide at least one DNS nameserver when `dnsPolicy` is None"
            return [required(path.child("nameservers"), detail)]
    if config is None:
        return []
    errs: list[FieldError] = []
    nameservers = config.get("nameservers") or []
    if len(nameservers) > MAX_DNS_NAMESERVERS:
        detail = f"must not have more than {MAX_DNS_NAMESERVERS} nameservers"
        errs.append(invalid(path.child("nameservers"), nameservers, detail))
    for i, ns in enumerate(nameservers):
        errs += is_valid_ip(path.child("nameservers").index(i), ns)
    searches = config.get("searches") or []
    if len(searches) > MAX_DNS_SEARCH_PATHS:
        detail = f"must not have more than {MAX_DNS_SEARCH_PATHS} search paths"
        errs.append(invalid(path.child("searches"), searches, detail))
    if len(" ".join(searches)) > MAX_DNS_SEARCH_LIST_CHARS:
        detail = (
            f"must not have more than {MAX_DNS_SEARCH_LIST_CHARS} characters (including spaces) "
            "in the search list"
        )
        errs.append(invalid(path.child("searches"), searches, detail))
    for i, search in enumerate(searches):  # a trailing dot is fine
        errs += validate_dns1123_subdomain(
            search.removesuffix("."), path.child("searches").index(i)
        )
    for i, option in enumerate(config.get("options") or []):
        if not option.get("name"):
            errs.append(required(path.child("options").index(i), "Option.Name must not be empty"))
    return errs


def validate_pod_security_context(spec: Obj, path: Path) -> list[FieldError]:
    """upstream `validatePodSpecSecurityContext` basics: ids in range, shareProcessNamespace."""
    sc = spec.get("securityContext")
    if sc is None:
        return []
    errs: list[FieldError] = []
    for key, check in (
        ("fsGroup", is_valid_group_id),
        ("runAsUser", is_valid_user_id),
        ("runAsGroup", is_valid_group_id),
    ):
        if sc.get(key) is not None:
            errs += [invalid(path.child(key), sc[key], m) for m in check(sc[key])]
    for i, gid in enumerate(sc.get("supplementalGroups") or []):
        p = path.child("supplementalGroups").index(i)
        errs += [invalid(p, gid, m) for m in is_valid_group_id(gid)]
    policy = sc.get("fsGroupChangePolicy")
    if policy is not None and policy not in ("OnRootMismatch", "Always"):
        p = path.child("fsGroupChangePolicy")
        errs.append(not_supported(p, policy, ("OnRootMismatch", "Always")))
    if sc.get("shareProcessNamespace") and spec.get("hostPID"):
        detail = "ShareProcessNamespace and HostPID cannot both be enabled"
        errs.append(invalid(path.child("shareProcessNamespace"), True, detail))
    return errs


def _validate_host_network_deps(spec: Obj, path: Path) -> list[FieldError]:
    """upstream `validatePodHostNetworkDeps`: with hostNetwork, containerPort == hostPort."""
    if not spec.get("hostNetwork"):
        return []
    errs: list[FieldError] = []
    for kind in ("containers", "initContainers"):
        for i, container in enumerate(spec.get(kind) or []):
            ports_path = path.child(kind).index(i).child("ports")
            for j, port in enumerate(container.get("ports") or []):
                if port.get("hostPort", 0) != port.get("containerPort", 0):
                    detail = "must match `hostPort` when `hostNetwork` is true"
                    p = ports_path.index(j).child("containerPort")
                    errs.append(invalid(p, port.get("containerPort", 0), detail))
    return errs


def _validate_host_aliases(aliases: list[Obj], path: Path) -> list[FieldError]:
    """upstream `ValidateHostAliases`: an IP and DNS-subdomain hostnames."""
    errs: list[FieldError] = []
    for i, alias in enumerate(aliases):
        errs += is_valid_ip(path.index(i).child("ip"), alias.get("ip") or "")
        for j, hostname in enumerate(alias.get("hostnames") or []):
            errs += validate_dns1123_subdomain(hostname, path.index(i).child("hostnames").index(j))
    return errs


def _validate_readiness_gates(gates: list[Obj], path: Path) -> list[FieldError]:
    """upstream `validateReadinessGates`: condition types are qualified names."""
    errs: list[FieldError] = []
    for i, gate in enumerate(gates):
        p = path.index(i).child("conditionType")
        errs += validate_qualified_name(gate.get("conditionType") or "", p)
    return errs


def _validate_names(spec: Obj, path: Path) -> list[FieldError]:
    """serviceAccountName, nodeName, priorityClassName, runtimeClassName, hostname, subdomain."""
    errs: list[FieldError] = []
    for key in ("serviceAccountName", "nodeName", "priorityClassName", "runtimeClassName"):
        value = spec.get(key) or ""
        if value:
            errs += [
                invalid(path.child(key), value, m) for m in name_is_dns_subdomain(value, False)
            ]
    for key in ("hostname", "subdomain"):
        if spec.get(key):
            errs += validate_dns1123_label(spec[key], path.child(key))
    return errs


def validate_pod_spec(spec: Obj, path: Path) -> list[FieldError]:
    """upstream `ValidatePodSpec`: every problem with a (defaulted) PodSpec."""
    errs: list[FieldError] = []
    if spec.get("terminationGracePeriodSeconds") is None:
        errs.append(required(path.child("terminationGracePeriodSeconds")))
    volumes, volume_errs = validate_volumes(spec.get("volumes") or [], path.child("volumes"))
    errs += volume_errs
    containers, grace = spec.get("containers") or [], spec.get("terminationGracePeriodSeconds")
    errs += validate_containers(containers, volumes, path.child("containers"), grace)
    errs += validate_init_containers(
        spec.get("initContainers") or [], containers, volumes, path.child("initContainers"), grace
    )
    errs += _validate_host_network_deps(spec, path)
    errs += validate_restart_policy(spec.get("restartPolicy", ""), path.child("restartPolicy"))
    errs += validate_dns_policy(spec.get("dnsPolicy", ""), path.child("dnsPolicy"))
    errs += validate_labels(spec.get("nodeSelector"), path.child("nodeSelector"))
    errs += validate_pod_security_context(spec, path.child("securityContext"))
    errs += validate_affinity(spec.get("affinity"), path.child("affinity"))
    errs += validate_dns_config(
        spec.get("dnsConfig"), spec.get("dnsPolicy", ""), path.child("dnsConfig")
    )
    errs += validate_topology_spread_constraints(
        spec.get("topologySpreadConstraints") or [], path.child("topologySpreadConstraints")
    )
    errs += _validate_names(spec, path)
    errs += _validate_host_aliases(spec.get("hostAliases") or [], path.child("hostAliases"))
    errs += _validate_readiness_gates(
        spec.get("readinessGates") or [], path.child("readinessGates")
    )
    deadline = spec.get("activeDeadlineSeconds")
    if deadline is not None and not 1 <= deadline <= MAX_INT32:
        detail = inclusive_range_error(1, MAX_INT32)
        errs.append(invalid(path.child("activeDeadlineSeconds"), deadline, detail))
    if spec.get("tolerations"):
        errs += validate_tolerations(spec["tolerations"], path.child("tolerations"))
    return errs


def validate_pod_template_spec(template: Obj | None, path: Path) -> list[FieldError]:
    """upstream `ValidatePodTemplateSpec` (upstream's `template.labels` path, no `metadata`)."""
    template = template or {}
    meta = template.get("metadata") or {}
    errs = validate_labels(meta.get("labels"), path.child("labels"))
    errs += validate_annotations(meta.get("annotations"), path.child("annotations"))
    spec = template.get("spec") or {}
    errs += validate_pod_specific_annotations(
        meta.get("annotations"), spec, path.child("annotations")
    )
    errs += validate_pod_spec(spec, path.child("spec"))
    if spec.get("ephemeralContainers"):
        detail = "ephemeral containers not allowed in pod template"
        errs.append(forbidden(path.child("spec", "ephemeralContainers"), detail))
    return errs


@validates("Pod")
def validate_pod(pod: Obj) -> list[FieldError]:
    """upstream `ValidatePodCreate`: `validatePodMetadataAndSpec` plus the create-only rules."""
    spec = pod.get("spec") or {}
    errs = validate_pod_metadata_and_spec(pod)
    if spec.get("ephemeralContainers"):
        errs.append(forbidden(SPEC.child("ephemeralContainers"), "cannot be set on create"))
    if spec.get("nodeName") and spec.get("schedulingGates"):
        detail = "cannot be set until all schedulingGates have been cleared"
        errs.append(forbidden(SPEC.child("nodeName"), detail))
    return errs


def validate_pod_metadata_and_spec(pod: Obj, allow_invalid_cost: bool = False) -> list[FieldError]:
    """upstream `validatePodMetadataAndSpec` (run on create and on update; an update may keep
    an invalid deletion cost the old pod had)."""
    spec = pod.get("spec") or {}
    errs = validate_core_object_meta(pod, True, name_is_dns_subdomain)
    annotations = (pod.get("metadata") or {}).get("annotations")
    errs += validate_pod_specific_annotations(
        annotations, spec, Path("metadata", "annotations"), allow_invalid_cost
    )
    errs += validate_pod_spec(spec, SPEC)
    if not spec.get("serviceAccountName"):
        for vi, volume in enumerate(spec.get("volumes") or []):
            sources = (volume.get("projected") or {}).get("sources") or []
            for si, source in enumerate(sources):
                if source.get("serviceAccountToken") is not None:
                    p = SPEC.child("volumes").index(vi).child("projected", "sources").index(si)
                    detail = "must not be specified when serviceAccountName is not set"
                    errs.append(forbidden(p.child("serviceAccountToken"), detail))
    for kind in ("containers", "initContainers"):
        for i, container in enumerate(spec.get(kind) or []):
            image = container.get("image") or ""
            if image != image.strip():
                detail = "must not have leading or trailing whitespace"
                errs.append(invalid(SPEC.child(kind).index(i).child("image"), image, detail))
    return errs
