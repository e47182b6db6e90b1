"""The Pod update rules, mirroring `ValidatePodUpdate` in `pkg/apis/core/validation/validation.go`:
the create rules again, then only images, `activeDeadlineSeconds` (set, or lowered), added
tolerations, removed scheduling gates and a lower negative `terminationGracePeriodSeconds` may
change; a gated pod's nodeSelector and required node affinity may only grow; the QoS class is
immutable. Left out: the `cmp.Diff` of the forbidden-change error (a short field list is printed).
"""

from __future__ import annotations

import json
from typing import Any

from minik8s.api.field import FieldError, Path, forbidden, invalid
from minik8s.api.qos import compute_pod_qos
from minik8s.api.validation.core import validate_meta_update
from minik8s.api.validation.dispatch import validates_update
from minik8s.api.validation.names import inclusive_range_error
from minik8s.api.validation.pod import MAX_INT32, SPEC, validate_pod_metadata_and_spec
from minik8s.api.validation.pod_annotations import (
    POD_DELETION_COST,
    valid_deletion_cost,
    validate_pod_specific_annotation_updates,
)

Obj = dict[str, Any]

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
    errs = validate_meta_update(new, old) + validate_pod_metadata_and_spec(new, allow)
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
