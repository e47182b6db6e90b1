"""Warnings of volumes and node labels, mirroring upstream `pkg/api/persistentvolume/util.go`
(`GetWarningsForPersistentVolume`), `pkg/api/persistentvolumeclaim/util.go`
(`GetWarningsForPersistentVolumeClaim[Spec]`) and `pkg/api/node/util.go` (deprecated node labels).

Left out: nothing of these files' warnings; the strategies that call them are in
`minik8s.apiserver.warnings`.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.quantity import parse_quantity

Obj = dict[str, Any]

ANN_BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class"
DEPRECATED_CLASS_ANNOTATION = 'deprecated since v1.8; use "storageClassName" attribute instead'
DEPRECATED_NODE_LABELS = {
    "beta.kubernetes.io/arch": ("v1.14", "kubernetes.io/arch"),
    "beta.kubernetes.io/os": ("v1.14", "kubernetes.io/os"),
    "failure-domain.beta.kubernetes.io/region": ("v1.17", "topology.kubernetes.io/region"),
    "failure-domain.beta.kubernetes.io/zone": ("v1.17", "topology.kubernetes.io/zone"),
    "beta.kubernetes.io/instance-type": ("v1.17", "node.kubernetes.io/instance-type"),
}
DEPRECATED_SOURCES = {
    "cephfs": "deprecated in v1.28, non-functional in v1.31+",
    "rbd": "deprecated in v1.28, non-functional in v1.31+",
    "glusterfs": "deprecated in v1.25, non-functional in v1.26+",
    "photonPersistentDisk": "deprecated in v1.11, non-functional in v1.16+",
    "scaleIO": "deprecated in v1.16, non-functional in v1.22+",
    "storageos": "deprecated in v1.22, non-functional in v1.25+",
}


def fractional(value: Any) -> str | None:
    """The quantity's string when it is a fractional byte count (else None)."""
    try:
        quantity = parse_quantity(value)
    except (ValueError, TypeError):
        return None
    return str(quantity) if quantity.milli_value() % 1000 else None


def fraction_warning(path: str, value: Any) -> list[str]:
    """upstream's `fractional byte value %q is invalid, must be an integer` warning at `path`."""
    text = None if value is None else fractional(value)
    return (
        [f'{path}: fractional byte value "{text}" is invalid, must be an integer'] if text else []
    )


def warnings_for_persistent_volume(pv: Obj) -> list[str]:
    """upstream `GetWarningsForPersistentVolume`: the `Warning:` lines of a PV write."""
    out = []
    ann = annotations_of(pv)
    if ANN_BETA_STORAGE_CLASS in ann:
        out.append(f"metadata.annotations[{ANN_BETA_STORAGE_CLASS}]: {DEPRECATED_CLASS_ANNOTATION}")
    if "volume.beta.kubernetes.io/mount-options" in ann:
        out.append(
            "metadata.annotations[volume.beta.kubernetes.io/mount-options]: deprecated since "
            'v1.31; use "mountOptions" attribute instead'
        )
    spec = pv.get("spec") or {}
    if spec.get("persistentVolumeReclaimPolicy") == "Recycle":
        out.append(
            "spec.persistentVolumeReclaimPolicy: The Recycle reclaim policy is deprecated. "
            "Instead, the recommended approach is to use dynamic provisioning."
        )
    required = (spec.get("nodeAffinity") or {}).get("required") or {}
    for i, term in enumerate(required.get("nodeSelectorTerms") or []):
        out += node_selector_term_warnings(
            term, f"spec.nodeAffinity.required.nodeSelectorTerms[{i}]"
        )
    out += [f"spec.{src}: {why}" for src, why in DEPRECATED_SOURCES.items() if src in spec]
    return out


def warnings_for_persistent_volume_claim(pvc: Obj) -> list[str]:
    """upstream `GetWarningsForPersistentVolumeClaim`: the beta class annotation and
    fractional byte values of the storage request and limit."""
    out = []
    if ANN_BETA_STORAGE_CLASS in annotations_of(pvc):
        out.append(f"metadata.annotations[{ANN_BETA_STORAGE_CLASS}]: {DEPRECATED_CLASS_ANNOTATION}")
    return out + warnings_for_persistent_volume_claim_spec("spec", pvc.get("spec") or {})


def warnings_for_persistent_volume_claim_spec(path: str, spec: Obj) -> list[str]:
    """upstream `GetWarningsForPersistentVolumeClaimSpec`: fractional storage byte values."""
    resources = spec.get("resources") or {}
    out = []
    for kind in ("requests", "limits"):
        value = (resources.get(kind) or {}).get("storage")
        out += fraction_warning(f"{path}.resources.{kind}[storage]", value)
    return out


def annotations_of(obj: Obj) -> dict[str, str]:
    """The object's annotations (empty dict when none)."""
    return (obj.get("metadata") or {}).get("annotations") or {}


def node_selector_term_warnings(term: Obj, path: str) -> list[str]:
    """upstream `GetWarningsForNodeSelectorTerm` (deprecated node labels as keys)."""
    out = []
    for i, expr in enumerate(term.get("matchExpressions") or []):
        key = expr.get("key", "")
        if key in DEPRECATED_NODE_LABELS:
            out.append(f"{path}.matchExpressions[{i}].key: {key} is {label_message(key)}")
    return out


def label_message(key: str) -> str:
    """upstream `GetNodeLabelDeprecatedMessage` for a deprecated node label."""
    since, new = DEPRECATED_NODE_LABELS[key]
    return f'deprecated since {since}; use "{new}" instead'
