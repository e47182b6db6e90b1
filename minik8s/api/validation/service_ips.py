"""Service clusterIPs / ipFamilies validation, mirroring `ValidateServiceClusterIPsRelatedFields`,
`validateUpgradeDowngradeClusterIPs` and `validateUpgradeDowngradeIPFamilies` in
`pkg/apis/core/validation/validation.go`.
"""

from __future__ import annotations

from minik8s.api.field import FieldError, Path, duplicate, invalid, not_supported, required
from minik8s.api.validation.core import Obj, parse_ip_sloppy, validate_ip

SPEC = Path("spec")
IP_FAMILIES = ("IPv4", "IPv6")
IP_FAMILY_POLICIES = ("PreferDualStack", "RequireDualStack", "SingleStack")


def _version(ip: str) -> int:
    parsed = parse_ip_sloppy(ip)
    return 4 if parsed is None else parsed.version


def is_headless(spec: Obj) -> bool:
    """upstream `isHeadlessService`: clusterIPs is exactly ["None"]."""
    return (spec.get("clusterIPs") or []) == ["None"]


def validate_cluster_ips_related_fields(spec: Obj) -> list[FieldError]:
    """upstream `ValidateServiceClusterIPsRelatedFields`."""
    if spec.get("type") == "ExternalName":
        return []
    ips_path = SPEC.child("clusterIPs")
    cluster_ip, ips = spec.get("clusterIP") or "", spec.get("clusterIPs") or []
    errs: list[FieldError] = []
    if cluster_ip:
        if not ips:
            errs.append(required(ips_path))
        elif ips[0] != cluster_ip:
            errs.append(invalid(ips_path, ips, "first value must match `clusterIP`"))
    elif ips:
        errs.append(invalid(ips_path, ips, "must be empty when `clusterIP` is not specified"))
    families = spec.get("ipFamilies") or []
    for i, family in enumerate(families):
        if family not in IP_FAMILIES:
            errs.append(not_supported(SPEC.child("ipFamilies").index(i), family, IP_FAMILIES))
        if family in families[:i]:
            errs.append(duplicate(SPEC.child("ipFamilies").index(i), family))
    policy = spec.get("ipFamilyPolicy")
    if policy is not None and policy not in IP_FAMILY_POLICIES:
        errs.append(not_supported(SPEC.child("ipFamilyPolicy"), policy, IP_FAMILY_POLICIES))
    bad_ips = False
    for i, ip in enumerate(ips):
        if i == 0 and ip == "None":
            if len(ips) > 1:
                bad_ips = True
                errs.append(invalid(ips_path, ips, "'None' must be the first and only value"))
            continue
        ip_errs = validate_ip(ip, ips_path.index(i))
        bad_ips = bad_ips or bool(ip_errs)
        errs += ip_errs
    if len(ips) > 2:
        errs.append(invalid(ips_path, ips, "may only hold up to 2 values"))
    if bad_ips:
        return errs
    if len(ips) > 1 and len({_version(ip) for ip in ips[:2]}) != 2:
        errs.append(invalid(ips_path, ips, "may specify no more than one IP for each IP family"))
    if not is_headless(spec):
        for i, (ip, family) in enumerate(zip(ips, families, strict=False)):
            version = _version(ip)
            if family == "IPv4" and version == 6:
                detail = f"expected an IPv4 value as indicated by `ipFamilies[{i}]`"
                errs.append(invalid(ips_path.index(i), ip, detail))
            if family == "IPv6" and version != 6:
                detail = f"expected an IPv6 value as indicated by `ipFamilies[{i}]`"
                errs.append(invalid(ips_path.index(i), ip, detail))
    return errs


def validate_upgrade_downgrade(old: Obj, new: Obj, field: str, noun: str) -> list[FieldError]:
    """upstream `validateUpgradeDowngradeClusterIPs` / `...IPFamilies`."""
    if field == "clusterIPs" and is_headless(old) and is_headless(new):
        return []
    old_values, values = old.get(field) or [], new.get(field) or []
    path = SPEC.child(field)
    # upstream reports ipFamilies changes with the clusterIPs list as the bad value
    shown = values if field == "clusterIPs" else new.get("clusterIPs") or []
    errs: list[FieldError] = []
    if len(old_values) == len(values):
        for i, value in enumerate(old_values):
            if value != values[i]:
                index = i if field == "clusterIPs" else 0
                errs.append(invalid(path.index(index), values, "may not change once set"))
        return errs
    shrunk = len(old_values) > len(values)
    if shrunk and not (new.get("clusterIPs") or []):
        errs.append(invalid(path.index(0), values, f"primary {noun} can not be unset"))
    if old_values and values and values[0] != old_values[0]:
        errs.append(invalid(path.index(0), shown, "may not change once set"))
    if shrunk:
        if len(values) == 1 and new.get("ipFamilyPolicy") != "SingleStack":
            detail = f"must be set to 'SingleStack' when releasing the secondary {noun}"
            errs.append(invalid(SPEC.child("ipFamilyPolicy"), new.get("ipFamilyPolicy"), detail))
    return errs
