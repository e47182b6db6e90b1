"""Pod, PodSpec and PodTemplateSpec validation, mirroring `pkg/apis/core/validation/validation.go`
(`ValidatePodCreate`, `ValidatePodSpec`, `ValidatePodTemplateSpec`, `ValidatePodUpdate`).

Covers volumes (names, one source each, the common sources' required fields), containers and init
containers (names, images, ports, env, envFrom, volumeMounts, probes, resources, pull and
termination-message policies, securityContext basics), host ports, restartPolicy, dnsPolicy and
dnsConfig, nodeSelector, tolerations, affinity, topology spread constraints, pod securityContext
basics, and the Pod update rules. Containers live in `pod_containers.py`, volumes in
`pod_volumes.py`, topology spread constraints in `pod_topology.py`.
Left out: ephemeral containers, sidecar (restartable init) containers, resource claims,
seccomp/AppArmor, Windows, user namespaces, pod-level resources,
status validation, and the `cmp.Diff` of the Pod update error (a short field list is printed).
"""

from __future__ import annotations

import json
from typing import Any

from minik8s.api.field import FieldError, Path, forbidden, invalid, not_supported, required
from minik8s.api.validation.core import (
    validate_core_object_meta,
    validate_dns1123_label,
    validate_meta_update,
)
from minik8s.api.validation.dispatch import validates, validates_update
from minik8s.api.validation.meta import (
    name_is_dns_subdomain,
    validate_annotations,
    validate_label_name,
    validate_label_selector,
    validate_labels,
)
from minik8s.api.validation.names import (
    inclusive_range_error,
    is_valid_group_id,
    is_valid_ip,
    is_valid_label_value,
    is_valid_user_id,
)
from minik8s.api.validation.pod_annotations import (
    POD_DELETION_COST,
    valid_deletion_cost,
    validate_pod_specific_annotation_updates,
    validate_pod_specific_annotations,
)
from minik8s.api.validation.pod_containers import validate_containers, validate_init_containers
from minik8s.api.validation.pod_topology import validate_topology_spread_constraints
from minik8s.api.validation.pod_volumes import validate_volumes

Obj = dict[str, Any]
SPEC = Path("spec")
MAX_INT32 = 2**31 - 1
MAX_DNS_NAMESERVERS = 3
MAX_DNS_SEARCH_PATHS = 32


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
    return errs


def validate_tolerations(tolerations: list[Obj], path: Path) -> list[FieldError]:
    """upstream `ValidateTolerations`."""
    errs: list[FieldError] = []
    for i, tol in enumerate(tolerations):
        p = path.index(i)
        key, op = tol.get("key", ""), tol.get("operator", "")
        value, effect = tol.get("value", ""), tol.get("effect", "")
        if key:
            errs += validate_label_name(key, p.child("key"))
        if not key and op != "Exists":
            detail = (
                "operator must be Exists when `key` is empty, which means "
                '"match all values and all keys"'
            )
            errs.append(invalid(p.child("operator"), op, detail))
        if tol.get("tolerationSeconds") is not None and effect != "NoExecute":
            detail = "effect must be 'NoExecute' when `tolerationSeconds` is set"
            errs.append(invalid(p.child("effect"), effect, detail))
        if op in ("Equal", ""):
            msgs = is_valid_label_value(value)
            if msgs:
                errs.append(invalid(p.child("operator"), value, ";".join(msgs)))
        elif op == "Exists":
            if value:
                detail = "value must be empty when `operator` is 'Exists'"
                errs.append(invalid(p.child("operator"), tol, detail))
        else:
            errs.append(not_supported(p.child("operator"), op, ("Equal", "Exists")))
        if effect and effect not in ("NoSchedule", "PreferNoSchedule", "NoExecute"):
            valid = ("NoSchedule", "PreferNoSchedule", "NoExecute")
            errs.append(not_supported(p.child("effect"), effect, valid))
    return errs


def _validate_node_selector_requirement(req: Obj, path: Path) -> list[FieldError]:
    errs: list[FieldError] = []
    op, values = req.get("operator", ""), req.get("values") or []
    if op in ("In", "NotIn"):
        if not values:
            detail = "must be specified when `operator` is 'In' or 'NotIn'"
            errs.append(required(path.child("values"), detail))
    elif op in ("Exists", "DoesNotExist"):
        if values:
            detail = "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"
            errs.append(forbidden(path.child("values"), detail))
    elif op in ("Gt", "Lt"):
        if len(values) != 1:
            detail = "must be specified single value when `operator` is 'Lt' or 'Gt'"
            errs.append(required(path.child("values"), detail))
    else:
        errs.append(invalid(path.child("operator"), op, "not a valid selector operator"))
    errs += validate_label_name(req.get("key", ""), path.child("key"))
    for i, value in enumerate(values):
        p = path.child("values").index(i)
        errs += [invalid(p, value, m) for m in is_valid_label_value(value)]
    return errs


def _validate_node_selector_term(term: Obj, path: Path) -> list[FieldError]:
    errs: list[FieldError] = []
    for j, req in enumerate(term.get("matchExpressions") or []):
        p = path.child("matchExpressions").index(j)
        errs += _validate_node_selector_requirement(req, p)
    return errs


def _weight(term: Obj, path: Path) -> list[FieldError]:
    weight = term.get("weight", 0)
    if weight <= 0 or weight > 100:
        return [invalid(path.child("weight"), weight, "must be in the range 1-100")]
    return []


def _validate_node_affinity(na: Obj, path: Path) -> list[FieldError]:
    errs: list[FieldError] = []
    req = na.get("requiredDuringSchedulingIgnoredDuringExecution")
    if req is not None:
        terms_path = path.child(
            "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"
        )
        terms = req.get("nodeSelectorTerms") or []
        if not terms:
            errs.append(required(terms_path, "must have at least one node selector term"))
        for i, term in enumerate(terms):
            errs += _validate_node_selector_term(term, terms_path.index(i))
    pref_path = path.child("preferredDuringSchedulingIgnoredDuringExecution")
    for i, term in enumerate(na.get("preferredDuringSchedulingIgnoredDuringExecution") or []):
        errs += _weight(term, pref_path.index(i))
        preference = term.get("preference") or {}
        errs += _validate_node_selector_term(preference, pref_path.index(i).child("preference"))
    return errs


def _validate_pod_affinity_term(term: Obj, path: Path) -> list[FieldError]:
    errs = validate_label_selector(term.get("labelSelector"), path.child("labelSelector"))
    errs += validate_label_selector(term.get("namespaceSelector"), path.child("namespaceSelector"))
    topology_key = term.get("topologyKey", "")
    if not topology_key:
        errs.append(required(path.child("topologyKey"), "can not be empty"))
    return errs + validate_label_name(topology_key, path.child("topologyKey"))


def _validate_pod_affinity(pa: Obj, path: Path) -> list[FieldError]:
    errs: list[FieldError] = []
    req_path = path.child("requiredDuringSchedulingIgnoredDuringExecution")
    for i, term in enumerate(pa.get("requiredDuringSchedulingIgnoredDuringExecution") or []):
        errs += _validate_pod_affinity_term(term, req_path.index(i))
    pref_path = path.child("preferredDuringSchedulingIgnoredDuringExecution")
    for i, weighted in enumerate(pa.get("preferredDuringSchedulingIgnoredDuringExecution") or []):
        errs += _weight(weighted, pref_path.index(i))
        term = weighted.get("podAffinityTerm") or {}
        errs += _validate_pod_affinity_term(term, pref_path.index(i).child("podAffinityTerm"))
    return errs


def validate_affinity(affinity: Obj | None, path: Path) -> list[FieldError]:
    """upstream `validateAffinity`: node affinity terms, pod (anti-)affinity terms, weights."""
    if not affinity:
        return []
    errs: list[FieldError] = []
    if affinity.get("nodeAffinity") is not None:
        errs += _validate_node_affinity(affinity["nodeAffinity"], path.child("nodeAffinity"))
    for kind in ("podAffinity", "podAntiAffinity"):
        if affinity.get(kind) is not None:
            errs += _validate_pod_affinity(affinity[kind], path.child(kind))
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


def _validate_names(spec: Obj, path: Path) -> list[FieldError]:
    """serviceAccountName, nodeName, hostname, subdomain, priorityClassName."""
    errs: list[FieldError] = []
    for key in ("serviceAccountName", "nodeName", "priorityClassName"):
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
    containers = spec.get("containers") or []
    errs += validate_containers(containers, volumes, path.child("containers"))
    errs += validate_init_containers(
        spec.get("initContainers") or [], containers, volumes, path.child("initContainers")
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
    errs = _validate_pod_metadata_and_spec(pod)
    if spec.get("ephemeralContainers"):
        errs.append(forbidden(SPEC.child("ephemeralContainers"), "cannot be set on create"))
    if spec.get("nodeName") and spec.get("schedulingGates"):
        detail = "cannot be set until all schedulingGates have been cleared"
        errs.append(forbidden(SPEC.child("nodeName"), detail))
    return errs


def _validate_pod_metadata_and_spec(pod: Obj, allow_invalid_cost: bool = False) -> list[FieldError]:
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


UPDATABLE_POD_SPEC_FIELDS = (
    "`spec.containers[*].image`",
    "`spec.initContainers[*].image`",
    "`spec.activeDeadlineSeconds`",
    "`spec.tolerations` (only additions to existing tolerations)",
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
)


def _validate_active_deadline_update(new: Obj, old: Obj) -> list[FieldError]:
    path = SPEC.child("activeDeadlineSeconds")
    new_value, old_value = new.get("activeDeadlineSeconds"), old.get("activeDeadlineSeconds")
    if new_value is not None:
        if not 0 <= new_value <= MAX_INT32:
            return [invalid(path, new_value, inclusive_range_error(0, MAX_INT32))]
        if old_value is not None and old_value < new_value:
            return [invalid(path, new_value, "must be less than or equal to previous value")]
    elif old_value is not None:
        return [invalid(path, None, "must not update from a positive integer to nil value")]
    return []


def _validate_only_added_tolerations(new: list[Obj], old: list[Obj]) -> list[FieldError]:
    for old_tol in old:
        bare = {k: v for k, v in old_tol.items() if k != "tolerationSeconds"}
        if not any({k: v for k, v in t.items() if k != "tolerationSeconds"} == bare for t in new):
            detail = "existing toleration can not be modified except its tolerationSeconds"
            return [forbidden(SPEC.child("tolerations"), detail)]
    return []


def _validate_only_deleted_scheduling_gates(new: list[Obj], old: list[Obj]) -> list[FieldError]:
    old_names = {gate.get("name") for gate in old}
    errs: list[FieldError] = []
    for i, gate in enumerate(new):
        if gate.get("name") not in old_names:
            detail = f"only deletion is allowed, but found new scheduling gate '{gate.get('name')}'"
            errs.append(forbidden(SPEC.child("schedulingGates").index(i).child("name"), detail))
    return errs


def _munged_spec(new: Obj, old: Obj) -> Obj:
    """The new spec with every updatable field taken from the old one (upstream's munging)."""
    munged = json.loads(json.dumps(new))
    for kind in ("containers", "initContainers"):
        for ctr, old_ctr in zip(munged.get(kind) or [], old.get(kind) or [], strict=False):
            ctr["image"] = old_ctr.get("image")
    for key in ("activeDeadlineSeconds", "tolerations", "schedulingGates", "ephemeralContainers"):
        munged.pop(key, None)
        if key in old:
            munged[key] = old[key]
    old_grace = old.get("terminationGracePeriodSeconds")
    if old_grace is not None and old_grace < 0 and munged.get("terminationGracePeriodSeconds") == 1:
        munged["terminationGracePeriodSeconds"] = old_grace
    return munged


def _diff(old: Any, new: Any, where: str, lines: list[str]) -> None:
    """Leaf-level differences between two JSON values, as `path: old -> new` lines."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new)):
            _diff(old.get(key), new.get(key), f"{where}.{key}" if where else key, lines)
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            _diff(a, b, f"{where}[{i}]", lines)
    elif old != new:
        lines.append(
            f"  {where}: {json.dumps(old, sort_keys=True)} -> {json.dumps(new, sort_keys=True)}"
        )


def _spec_diff(old: Obj, new: Obj) -> str:
    lines: list[str] = []
    _diff(old, new, "", lines)
    return "\n".join(lines)


@validates_update("Pod", replaces_create=True)
def validate_pod_update(new: Obj, old: Obj) -> list[FieldError]:
    """upstream `ValidatePodUpdate`: only images, activeDeadlineSeconds, added tolerations, ...
    (not the create-only rules: ephemeral containers, added by their subresource, stay valid)."""
    old_cost = ((old.get("metadata") or {}).get("annotations") or {}).get(POD_DELETION_COST)
    allow = old_cost is not None and not valid_deletion_cost(old_cost)
    errs = validate_meta_update(new, old) + _validate_pod_metadata_and_spec(new, allow)
    errs += validate_pod_specific_annotation_updates(new, old, Path("metadata", "annotations"))
    spec, old_spec = new.get("spec") or {}, old.get("spec") or {}
    for kind in ("containers", "initContainers"):
        if len(spec.get(kind) or []) != len(old_spec.get(kind) or []):
            detail = "pod updates may not add or remove containers"
            return errs + [forbidden(SPEC.child(kind), detail)]
    errs += _validate_active_deadline_update(spec, old_spec)
    errs += _validate_only_added_tolerations(
        spec.get("tolerations") or [], old_spec.get("tolerations") or []
    )
    errs += _validate_only_deleted_scheduling_gates(
        spec.get("schedulingGates") or [], old_spec.get("schedulingGates") or []
    )
    if spec == old_spec:
        return errs
    munged = _munged_spec(spec, old_spec)
    if munged != old_spec:
        fields = ",".join(UPDATABLE_POD_SPEC_FIELDS)
        detail = (
            f"pod updates may not change fields other than {fields}\n{_spec_diff(old_spec, munged)}"
        )
        errs.append(forbidden(SPEC, detail))
    return errs
