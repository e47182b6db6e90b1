"""Pod, PodSpec and PodTemplateSpec validation, mirroring `pkg/apis/core/validation/validation.go`
(`ValidatePodCreate`, `ValidatePodSpec`, `ValidatePodTemplateSpec`, `ValidatePodUpdate`).

Covers volumes (names, one source each, the common sources' required fields), containers and init
containers (names, images, ports, env, envFrom, volumeMounts, probes, resources, pull and
termination-message policies, securityContext basics), host ports, restartPolicy, dnsPolicy and
dnsConfig, nodeSelector, tolerations, affinity, topology spread constraints, pod securityContext
basics, and the Pod update rules (QoS immutability, and a gated pod's nodeSelector and required
node affinity may only grow). Containers live in `pod_containers.py`, volumes in
`pod_volumes.py`, topology spread constraints in `pod_topology.py`.
Left out: ephemeral containers, resource claims, matchLabelKeys/mismatchLabelKeys of pod
affinity terms,
seccomp/AppArmor, Windows, user namespaces, pod-level resources,
status validation, and the `cmp.Diff` of the Pod update error (a short field list is printed).
"""

from __future__ import annotations

import json
from typing import Any

from minik8s.api.field import FieldError, Path, forbidden, invalid, not_supported, required
from minik8s.api.qos import compute_pod_qos
from minik8s.api.validation.core import (
    validate_core_object_meta,
    validate_dns1123_label,
    validate_dns1123_subdomain,
    validate_meta_update,
    validate_qualified_name,
)
from minik8s.api.validation.dispatch import validates, validates_update
from minik8s.api.validation.meta import (
    name_is_dns_label,
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


def _validate_node_field_selector_requirement(req: Obj, path: Path) -> list[FieldError]:
    """upstream `ValidateNodeFieldSelectorRequirement`: `metadata.name In/NotIn [one name]`."""
    errs: list[FieldError] = []
    op, values = req.get("operator", ""), req.get("values") or []
    if op in ("In", "NotIn"):
        if len(values) != 1:
            detail = (
                "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"
            )
            errs.append(required(path.child("values"), detail))
    else:
        errs.append(invalid(path.child("operator"), op, "not a valid selector operator"))
    key = req.get("key", "")
    if key != "metadata.name":
        return errs + [invalid(path.child("key"), key, "not a valid field selector key")]
    for i, value in enumerate(values):
        p = path.child("values").index(i)
        errs += [invalid(p, value, m) for m in name_is_dns_subdomain(value, False)]
    return errs


def _validate_node_selector_term(term: Obj, path: Path) -> list[FieldError]:
    """upstream `ValidateNodeSelectorTerm`: matchExpressions, then matchFields."""
    errs: list[FieldError] = []
    for j, req in enumerate(term.get("matchExpressions") or []):
        p = path.child("matchExpressions").index(j)
        errs += _validate_node_selector_requirement(req, p)
    for j, req in enumerate(term.get("matchFields") or []):
        p = path.child("matchFields").index(j)
        errs += _validate_node_field_selector_requirement(req, p)
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
    for name in term.get("namespaces") or []:  # upstream's path is `namespace` (sic)
        errs += [invalid(path.child("namespace"), name, m) for m in name_is_dns_label(name, False)]
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


def _validate_node_selector_mutation(new: Obj | None, old: Obj | None) -> list[FieldError]:
    """upstream `validateNodeSelectorMutation`: a gated pod may only add node selectors."""
    new = new or {}
    for key, value in (old or {}).items():
        if new.get(key) != value:
            detail = "only additions to spec.nodeSelector are allowed (no mutations or deletions)"
            return [invalid(SPEC.child("nodeSelector"), new, detail)]
    return []


def _required_terms(node_affinity: Obj | None) -> list[Obj] | None:
    required_terms = (node_affinity or {}).get("requiredDuringSchedulingIgnoredDuringExecution")
    return None if required_terms is None else required_terms.get("nodeSelectorTerms") or []


def _term_has_only_additions(new: Obj, old: Obj) -> bool:
    """upstream `validateNodeSelectorTermHasOnlyAdditions`."""
    for key in ("matchExpressions", "matchFields"):
        old_reqs, new_reqs = old.get(key) or [], new.get(key) or []
        if len(old_reqs) > len(new_reqs) or new_reqs[: len(old_reqs)] != old_reqs:
            return False
    return True


def _validate_node_affinity_mutation(new: Obj | None, old: Obj | None) -> list[FieldError]:
    """upstream `validateNodeAffinityMutation`: required terms of a gated pod only grow."""
    old_terms = _required_terms(old)
    if old_terms is None:
        return []
    new_terms = _required_terms(new) or []
    path = SPEC.child(
        "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution"
    ).child("nodeSelectorTerms")
    if old_terms and len(old_terms) != len(new_terms):
        detail = "no additions/deletions to non-empty NodeSelectorTerms list are allowed"
        return [invalid(path, new_terms, detail)]
    detail = "only additions are allowed (no mutations or deletions)"
    return [
        invalid(path.index(i), new_terms[i], detail)
        for i, old_term in enumerate(old_terms)
        if not _term_has_only_additions(new_terms[i], old_term)
    ]


def _munge_gated(munged: Obj, old: Obj) -> list[FieldError]:
    """A gated pod's nodeSelector and nodeAffinity may grow (upstream's gated-pod munging)."""
    errs: list[FieldError] = []
    if munged.get("nodeSelector") != old.get("nodeSelector"):
        errs += _validate_node_selector_mutation(
            munged.get("nodeSelector"), old.get("nodeSelector")
        )
        _copy_key(munged, old, "nodeSelector")
    old_na = (old.get("affinity") or {}).get("nodeAffinity")
    new_na = (munged.get("affinity") or {}).get("nodeAffinity")
    if old_na != new_na:
        errs += _validate_node_affinity_mutation(new_na, old_na)
        affinity = munged.setdefault("affinity", {})
        _copy_key(affinity, old.get("affinity") or {}, "nodeAffinity")
        if not affinity and "affinity" not in old:
            del munged["affinity"]
    return errs


def _copy_key(target: Obj, source: Obj, key: str) -> None:
    target.pop(key, None)
    if key in source:
        target[key] = source[key]


def _validate_qos_unchanged(new: Obj, old: Obj) -> list[FieldError]:
    """upstream: `Pod QoS is immutable` (the old pod's recorded class against the new spec's)."""
    try:
        old_qos = (old.get("status") or {}).get("qosClass") or compute_pod_qos(old)
        new_qos = compute_pod_qos(new)
    except (ValueError, KeyError, TypeError):  # malformed resources are reported elsewhere
        return []
    if old_qos == new_qos:
        return []
    bad = (new.get("status") or {}).get("qosClass") or ""
    return [invalid(Path("metadata"), bad, "Pod QoS is immutable")]


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
    errs += _validate_qos_unchanged(new, old)
    munged = _munged_spec(spec, old_spec)
    if old_spec.get("schedulingGates"):
        errs += _munge_gated(munged, old_spec)
    if munged != old_spec:
        fields = ",".join(UPDATABLE_POD_SPEC_FIELDS)
        detail = (
            f"pod updates may not change fields other than {fields}\n{_spec_diff(old_spec, munged)}"
        )
        errs.append(forbidden(SPEC, detail))
    return errs
