"""`kubectl describe` for Namespace, ConfigMap, Secret, ServiceAccount, PV, PVC and the rest.

Mirrors `NamespaceDescriber` (no quotas or limit ranges
are served, so their "none" lines), `ConfigMapDescriber`, `SecretDescriber` (sizes only, never
values — also for service-account tokens, which upstream prints), `ServiceAccountDescriber`,
`PersistentVolumeDescriber`,
`PersistentVolumeClaimDescriber` and `genericDescriber` (`printUnstructuredContent`,
`smartLabelFor`) of `k8s.io/kubectl/pkg/describe/describe.go`.
"""

from __future__ import annotations

import base64
import re
from typing import Any

from minik8s.kubectl.describe_base import (
    PrefixWriter,
    annotations_multiline,
    describe_events,
    header,
    labels_multiline,
    rfc1123z,
)
from minik8s.kubectl.describe_containers import print_volume_source
from minik8s.kubectl.describe_storage import print_claim_conditions, print_volume_node_affinity
from minik8s.kubectl.printers_misc import access_modes, storage_class_of
from minik8s.kubectl.table import since

Obj = dict[str, Any]


def describe_namespace(w: PrefixWriter, ns: Obj, events: list[Obj] | None, client: Any) -> None:
    """`NamespaceDescriber` (no ResourceQuota/LimitRange kinds are served)."""
    header(w, ns, namespaced=False)
    status = ns.get("status") or {}
    w.write(0, f"Status:\t{status.get('phase', '')}\n")
    if status.get("conditions"):  # a terminating namespace's deletion progress
        w.write(0, "Conditions:\n")
        w.write(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n")
        w.write(1, "----\t------\t------------------\t------\t-------\n")
        for c in status["conditions"]:
            changed = rfc1123z(c.get("lastTransitionTime"))
            cells = [c["type"], c["status"], changed, c.get("reason", ""), c.get("message", "")]
            w.write(1, "\t".join(cells) + "\n")
    w.write(0, "\nNo resource quota.\n")
    w.write(0, "\nNo LimitRange resource.\n")


def describe_configmap(w: PrefixWriter, cm: Obj, events: list[Obj] | None, client: Any) -> None:
    """`ConfigMapDescriber`."""
    header(w, cm)
    w.write(0, "\nData\n====\n")
    for key in sorted(cm.get("data") or {}):
        w.write(0, f"{key}:\n----\n{cm['data'][key]}\n")
    w.write(0, "\nBinaryData\n====\n")
    for key in sorted(cm.get("binaryData") or {}):
        w.write(0, f"{key}: {len(base64.b64decode(cm['binaryData'][key]))} bytes\n")
    w.write(0, "\n")
    describe_events(w, events)


def describe_secret(w: PrefixWriter, secret: Obj, events: list[Obj] | None, client: Any) -> None:
    """`SecretDescriber`: every value as `<key>:  <N> bytes`, never the value itself."""
    header(w, secret)
    w.write(0, f"\nType:\t{secret.get('type', 'Opaque')}\n")
    w.write(0, "\nData\n====\n")
    for key in sorted(secret.get("data") or {}):
        try:
            size = len(base64.b64decode(secret["data"][key], validate=True))
        except ValueError:
            size = len(str(secret["data"][key]))
        w.write(0, f"{key}:\t{size} bytes\n")


_SA_HEADERS = {
    "imagePullSecrets": "Image pull secrets:",
    "secrets": "Mountable secrets: ",
    "tokens": "Tokens:            ",
}
SA_NAME_KEY = "kubernetes.io/service-account.name"
SA_UID_KEY = "kubernetes.io/service-account.uid"


def describe_serviceaccount(
    w: PrefixWriter, sa: Obj, events: list[Obj] | None, client: Any
) -> None:
    """`ServiceAccountDescriber`: pull, mountable and token secrets, `(not found)` if missing."""
    meta = sa.get("metadata") or {}
    secrets = client.list("secrets", meta.get("namespace")).get("items") or []
    existing = {(s.get("metadata") or {}).get("name") for s in secrets}
    tokens = [
        (s.get("metadata") or {}).get("name", "")
        for s in secrets
        if s.get("type") == "kubernetes.io/service-account-token"
        and ((s.get("metadata") or {}).get("annotations") or {}).get(SA_NAME_KEY)
        == meta.get("name")
        and ((s.get("metadata") or {}).get("annotations") or {}).get(SA_UID_KEY) == meta.get("uid")
    ]
    names = {
        "imagePullSecrets": [r.get("name", "") for r in sa.get("imagePullSecrets") or []],
        "secrets": [r.get("name", "") for r in sa.get("secrets") or []],
        "tokens": tokens,
    }
    header(w, sa)
    for field, title in _SA_HEADERS.items():  # already in sorted order of the titles
        if not names[field]:
            w.write(0, f"{title}\t<none>\n")
        for i, name in enumerate(names[field]):
            missing = " (not found)" if field != "tokens" and name not in existing else ""
            w.write(0, f"{title if i == 0 else ' ' * 19}\t{name}{missing}\n")
    describe_events(w, events)


def describe_pv(w: PrefixWriter, pv: Obj, events: list[Obj] | None, client: Any) -> None:
    """`PersistentVolumeDescriber`."""
    meta, spec, status = pv.get("metadata") or {}, pv.get("spec") or {}, pv.get("status") or {}
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Finalizers:\t[{' '.join(meta.get('finalizers') or [])}]\n")
    w.write(0, f"StorageClass:\t{storage_class_of(pv)}\n")
    if meta.get("deletionTimestamp"):
        w.write(0, f"Status:\tTerminating (lasts {since(w.now, meta['deletionTimestamp'])})\n")
    else:
        w.write(0, f"Status:\t{status.get('phase', '')}\n")
    ref = spec.get("claimRef")
    w.write(0, f"Claim:\t{ref.get('namespace', '') + '/' + ref.get('name', '') if ref else ''}\n")
    w.write(0, f"Reclaim Policy:\t{spec.get('persistentVolumeReclaimPolicy', '')}\n")
    w.write(0, f"Access Modes:\t{access_modes(spec.get('accessModes') or [])}\n")
    if spec.get("volumeMode"):
        w.write(0, f"VolumeMode:\t{spec['volumeMode']}\n")
    w.write(0, f"Capacity:\t{(spec.get('capacity') or {}).get('storage', '0')}\n")
    print_volume_node_affinity(w, spec.get("nodeAffinity"))
    w.write(0, f"Message:\t{status.get('message', '')}\n")
    w.write(0, "Source:\n")
    if spec.get("hostPath"):
        print_volume_source(w, "hostPath", spec["hostPath"])
    elif spec.get("csi"):
        csi = spec["csi"]
        w.write(2, "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n")
        for label, field in (
            ("Driver", "driver"),
            ("FSType", "fsType"),
            ("VolumeHandle", "volumeHandle"),
            ("ReadOnly", "readOnly"),
        ):
            value = csi.get(field, False if field == "readOnly" else "")
            w.write(
                0, f"    {label}:\t{str(value).lower() if isinstance(value, bool) else value}\n"
            )
        labels_multiline(w, "VolumeAttributes", csi.get("volumeAttributes"), initial="    ")
    describe_events(w, events)


def describe_pvc(w: PrefixWriter, pvc: Obj, events: list[Obj] | None, client: Any) -> None:
    """`PersistentVolumeClaimDescriber` (`Used By` from pods mounting the claim)."""
    meta, spec, status = pvc.get("metadata") or {}, pvc.get("spec") or {}, pvc.get("status") or {}
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(0, f"StorageClass:\t{storage_class_of(pvc)}\n")
    if meta.get("deletionTimestamp"):
        w.write(0, f"Status:\tTerminating (lasts {since(w.now, meta['deletionTimestamp'])})\n")
    else:
        w.write(0, f"Status:\t{status.get('phase', '')}\n")
    w.write(0, f"Volume:\t{spec.get('volumeName', '')}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Finalizers:\t[{' '.join(meta.get('finalizers') or [])}]\n")
    capacity = modes = ""
    if spec.get("volumeName"):
        capacity = (status.get("capacity") or {}).get("storage", "0")
        modes = access_modes(status.get("accessModes") or [])
    w.write(0, f"Capacity:\t{capacity}\n")
    w.write(0, f"Access Modes:\t{modes}\n")
    if spec.get("volumeMode"):
        w.write(0, f"VolumeMode:\t{spec['volumeMode']}\n")
    users = sorted(
        (p.get("metadata") or {}).get("name", "")
        for p in client.list("pods", meta.get("namespace")).get("items") or []
        if any(
            (v.get("persistentVolumeClaim") or {}).get("claimName") == meta.get("name")
            for v in (p.get("spec") or {}).get("volumes") or []
        )
    )
    w.write(0, "Used By:\t")
    if not users:
        w.line("<none>")
    for i, user in enumerate(users):
        w.write(0, ("\t" if i else "") + user + "\n")
    print_claim_conditions(w, status)
    describe_events(w, events)


def smart_label(field: str) -> str:
    """`smartLabelFor`: `clusterIP` → `Cluster IP`, `holderIdentity` → `Holder Identity`."""
    if any(not (ch.isalpha() or ch == "-") for ch in field):
        return field
    parts = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[A-Z]+|-", field)
    out = []
    for part in parts:
        up = part.upper()
        out.append(
            up if up in ("API", "URL", "UID", "OSB", "GUID") else part[:1].upper() + part[1:]
        )
    return " ".join(out)


_SKIP = (
    ".metadata.managedFields",
    ".metadata.name",
    ".metadata.namespace",
    ".metadata.labels",
    ".metadata.annotations",
)


def _unstructured(w: PrefixWriter, level: int, content: Obj, prefix: str) -> None:
    for field in sorted(content):
        value, path = content[field], f"{prefix}.{field}"
        if path in _SKIP:
            continue
        if isinstance(value, dict):
            w.write(level, f"{smart_label(field)}:\n")
            _unstructured(w, level + 1, value, path)
        elif isinstance(value, list):
            w.write(level, f"{smart_label(field)}:\n")
            for child in value:
                if isinstance(child, dict):
                    _unstructured(w, level + 1, child, path)
                else:
                    w.write(level + 1, f"{child}\n")
        else:
            text = ("true" if value else "false") if isinstance(value, bool) else value
            w.write(level, f"{smart_label(field)}:\t{text}\n")


def describe_generic(w: PrefixWriter, obj: Obj, events: list[Obj] | None, client: Any) -> None:
    """`genericDescriber`: the opening lines, then every field by `smartLabelFor`."""
    header(w, obj)
    _unstructured(w, 0, obj, "")
    describe_events(w, events)
