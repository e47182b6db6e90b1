"""A Service's IP families, mirroring `initIPFamilyFields` (with `isMatchingPreferDualStack
ClusterIPFields`, `sameClusterIPs`, `reducedClusterIPs`, ...) in
`pkg/registry/core/service/storage/alloc.go`: default `ipFamilyPolicy` (the old one on update),
reject families the cluster has no allocator for, infer `ipFamilies` from `clusterIPs`.

The cluster's families are those of its ClusterIP allocators (one: single-stack). Left out:
nothing of the function itself; the allocators are single-stack only (no dual-stack CIDRs).
"""

from __future__ import annotations

from typing import Any

from minik8s.api.errors import Invalid
from minik8s.api.field import FieldError, Path, invalid
from minik8s.api.validation.core import parse_ip_sloppy
from minik8s.api.validation.service_ips import validate_cluster_ips_related_fields

Obj = dict[str, Any]
SPEC = Path("spec")
NOT_DUAL = "must be 'RequireDualStack' or 'PreferDualStack' when multiple {} are specified"


def family_of(ip: str) -> str:
    """upstream `familyOf`."""
    parsed = parse_ip_sloppy(ip)
    return "IPv6" if parsed is not None and parsed.version == 6 else "IPv4"


def _fail(svc: Obj, errors: list[FieldError]) -> Invalid:
    return Invalid.for_kind("Service", (svc.get("metadata") or {}).get("name", ""), errors)


def _matching_prefer_dual_stack(spec: Obj, old: Obj | None) -> bool:
    """upstream `isMatchingPreferDualStackClusterIPFields`."""
    if old is None:
        return False
    same = all(spec.get(f) == old.get(f) for f in ("clusterIPs", "ipFamilies"))
    policies = (spec.get("ipFamilyPolicy"), old.get("ipFamilyPolicy"))
    return same and policies == ("PreferDualStack", "PreferDualStack")


def _headless_selectorless(spec: Obj) -> bool:
    return spec.get("clusterIP") == "None" and not spec.get("selector")


def _default_policy(spec: Obj, old: Obj | None) -> None:
    if spec.get("ipFamilyPolicy") is not None:
        return
    if old is not None and old.get("ipFamilyPolicy") is not None:
        spec["ipFamilyPolicy"] = old["ipFamilyPolicy"]
    elif _headless_selectorless(spec):
        spec["ipFamilyPolicy"] = "RequireDualStack"
    else:
        spec["ipFamilyPolicy"] = "SingleStack"


def _update_checks(spec: Obj, old: Obj) -> list[FieldError]:
    """The update-only prep work: SingleStack trims, anything else may not shrink."""
    ips, families = spec.get("clusterIPs") or [], spec.get("ipFamilies") or []
    if spec["ipFamilyPolicy"] == "SingleStack":
        if ips == (old.get("clusterIPs") or []) and len(ips) > 1:
            spec["clusterIPs"] = ips[:1]
        if families == (old.get("ipFamilies") or []) and len(families) > 1:
            spec["ipFamilies"] = families[:1]
        return []
    errs: list[FieldError] = []
    policy = SPEC.child("ipFamilyPolicy")
    for field, noun in (("clusterIPs", "cluster IP"), ("ipFamilies", "IP family")):
        new_values, old_values = spec.get(field) or [], old.get(field) or []
        if len(new_values) == 1 and len(old_values) == 2:
            detail = f"must be 'SingleStack' to release the secondary {noun}"
            errs.append(invalid(policy, spec["ipFamilyPolicy"], detail))
    return errs


def init_ip_family_fields(svc: Obj, families_configured: list[str], old: Obj | None) -> None:
    """upstream `initIPFamilyFields`; `families_configured[0]` is the default family."""
    spec = svc["spec"]
    if spec.get("type") == "ExternalName" or _matching_prefer_dual_stack(spec, old):
        return
    _default_policy(spec, old)
    errs = validate_cluster_ips_related_fields(spec)
    if errs:
        raise _fail(svc, errs)
    if old is not None:
        errs += _update_checks(spec, old)
    policy, ips = spec["ipFamilyPolicy"], spec.get("clusterIPs") or []
    families = list(spec.get("ipFamilies") or [])
    if policy == "SingleStack":
        for count, noun in (
            (ips, "cluster IPs"),
            (families, "IP families"),
        ):
            if len(count) == 2:
                errs.append(invalid(SPEC.child("ipFamilyPolicy"), policy, NOT_DUAL.format(noun)))
    for i, ip in enumerate(ips):
        if ip == "None":
            break
        if i >= len(families):
            family = family_of(ip)
            if family in families_configured:
                families.append(family)
            else:
                detail = f"{family} is not configured on this cluster"
                errs.append(invalid(SPEC.child("clusterIPs").index(i), ips, detail))
    spec["ipFamilies"] = families
    if errs:
        raise _fail(svc, errs)
    if _headless_selectorless(spec):
        families = families or [families_configured[0]]
        if len(families) < 2 and policy != "SingleStack":
            families.append("IPv6" if families[0] == "IPv4" else "IPv4")
        spec["ipFamilies"] = families
        return
    if policy == "RequireDualStack" and len(families_configured) < 2:
        detail = "this cluster is not configured for dual-stack services"
        errs.append(invalid(SPEC.child("ipFamilyPolicy"), policy, detail))
    for i, family in enumerate(families):
        if family not in families_configured:
            detail = "not configured on this cluster"
            errs.append(invalid(SPEC.child("ipFamilies").index(i), family, detail))
    if errs:
        raise _fail(svc, errs)
    families = families or [families_configured[0]]
    if policy != "SingleStack" and len(families) == 1 and len(families_configured) == 2:
        families.append("IPv6" if families[0] == "IPv4" else "IPv4")
    spec["ipFamilies"] = families
