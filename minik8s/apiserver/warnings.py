"""The `Warning:` lines of a create or update, mirroring upstream's registry strategies'
`WarningsOnCreate` / `WarningsOnUpdate` (`pkg/registry/{core,apps,batch}/*/strategy.go`): pods,
the workloads that pass their pod template's path to `GetWarningsForPodTemplate`, StatefulSet
claim templates, PersistentVolumes and claims, Services. The checks themselves live in
`pod_warnings`, `volume_warnings` and `service_warnings`.

Left out: the Indexed-Job completions soft limit, the CronJob `TZ` in schedule warning, kinds
whose strategies warn about nothing else (their dns-label name warnings included: only Pod,
ReplicaSet, ReplicationController, Job and CronJob warn about names here).
"""

from __future__ import annotations

from typing import Any

from minik8s.api.validation.names import is_dns1123_label
from minik8s.apiserver.pod_warnings import warnings_for_pod_spec_and_meta, warnings_for_pod_template
from minik8s.apiserver.service_warnings import warnings_for_service
from minik8s.apiserver.volume_warnings import (
    warnings_for_persistent_volume,
    warnings_for_persistent_volume_claim,
    warnings_for_persistent_volume_claim_spec,
)

Obj = dict[str, Any]

__all__ = [
    "warnings_for_persistent_volume",
    "warnings_for_persistent_volume_claim",
    "warnings_on_create",
    "warnings_on_update",
]

# kinds whose spec.template is a pod template (upstream's strategies pass "spec.template")
TEMPLATE_KINDS = ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "ReplicationController")
NAME_USED_IN_PODS = (
    "metadata.name: this is used in Pod names and hostnames, which can result in surprising "
    "behavior; a DNS label is recommended: "
)


def warnings_on_create(kind: str, obj: Obj) -> list[str]:
    """upstream `<kind>Strategy.WarningsOnCreate` for `obj` (already defaulted and validated)."""
    if kind == "Pod":
        out = _name_warning(
            obj,
            "metadata.name: this is used in the Pod's hostname, which can "
            "result in surprising behavior; a DNS label is recommended: ",
        )
        return out + warnings_for_pod_spec_and_meta("", obj)
    return _kind_warnings(kind, obj, None)


def warnings_on_update(kind: str, new: Obj, old: Obj) -> list[str]:
    """upstream `<kind>Strategy.WarningsOnUpdate` (after PrepareForUpdate bumped generation)."""
    if kind == "Pod":  # upstream skips pod updates: a high-frequency path humans rarely use
        return []
    return _kind_warnings(kind, new, old)


def _kind_warnings(kind: str, obj: Obj, old: Obj | None) -> list[str]:
    if kind not in _WARNING_KINDS:  # (Leases, Nodes, Events...: the hot paths have none)
        return []
    spec = obj.get("spec") or {}
    if kind == "Service":
        return warnings_for_service(obj)
    changed = old is None or _generation(obj) != _generation(old)
    if kind in ("PersistentVolume", "PersistentVolumeClaim"):
        pv = kind == "PersistentVolume"
        return (
            warnings_for_persistent_volume(obj) if pv else warnings_for_persistent_volume_claim(obj)
        )
    if kind == "PodTemplate":
        return warnings_for_pod_template("template", obj.get("template")) if changed else []
    out = _name_warning(obj, NAME_USED_IN_PODS) if old is None and kind in _NAMED_KINDS else []
    if kind in TEMPLATE_KINDS and changed:
        out += warnings_for_pod_template("spec.template", spec.get("template"))
    elif kind == "Job" and changed:
        out += warnings_for_pod_template("spec.template", spec.get("template"))
    elif kind == "CronJob" and changed:
        job_spec = (spec.get("jobTemplate") or {}).get("spec") or {}
        out += warnings_for_pod_template("spec.jobTemplate.spec.template", job_spec.get("template"))
    if kind == "StatefulSet":
        out += _statefulset_warnings(spec, old is None)
    return out


_NAMED_KINDS = ("ReplicaSet", "ReplicationController", "Job", "CronJob")
_WARNING_KINDS = frozenset(
    {"Service", "PersistentVolume", "PersistentVolumeClaim", "PodTemplate", "Job", "CronJob"}
    | set(TEMPLATE_KINDS)
)


def _statefulset_warnings(spec: Obj, create: bool) -> list[str]:
    out = []
    for i, claim in enumerate(spec.get("volumeClaimTemplates") or []):
        # upstream's update path adds a ".Spec" segment its create path lacks
        path = f"spec.volumeClaimTemplates[{i}]" + ("" if create else ".Spec")
        out += warnings_for_persistent_volume_claim_spec(path, claim.get("spec") or {})
    limit = spec.get("revisionHistoryLimit")
    if limit is not None and limit < 0:
        out.append(
            "spec.revisionHistoryLimit: a negative value retains all historical revisions; "
            "a value >= 0 is recommended"
        )
    return out


def _generation(obj: Obj) -> int:
    return int((obj.get("metadata") or {}).get("generation") or 0)


def _name_warning(obj: Obj, prefix: str) -> list[str]:
    msgs = is_dns1123_label((obj.get("metadata") or {}).get("name") or "")
    return [prefix + "[" + " ".join(msgs) + "]"] if msgs else []
