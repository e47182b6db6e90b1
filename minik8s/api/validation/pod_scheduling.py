"""A pod's scheduling constraints, mirroring `pkg/apis/core/validation/validation.go`
(`ValidateTolerations`, `validateAffinity`: node affinity with its selector terms, requirements
and field requirements; pod affinity and anti-affinity terms, their weights and namespaces).
Left out: `matchLabelKeys` / `mismatchLabelKeys` of pod affinity terms.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.field import FieldError, Path, forbidden, invalid, not_supported, required
from minik8s.api.validation.meta import (
    name_is_dns_label,
    name_is_dns_subdomain,
    validate_label_name,
    validate_label_selector,
)
from minik8s.api.validation.names import is_valid_label_value

Obj = dict[str, Any]


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
