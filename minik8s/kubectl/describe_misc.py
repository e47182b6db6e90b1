"""`kubectl describe` for Service, Namespace, ConfigMap, Secret, PV, PVC and the rest.

Mirrors `ServiceDescriber`, `NamespaceDescriber` (no quotas or limit ranges
are served, so their "none" lines), `ConfigMapDescriber`, `SecretDescriber` (sizes only, never
values — also for service-account tokens, which upstream prints), `PersistentVolumeDescriber`,
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
)
from minik8s.kubectl.describe_containers import print_volume_source
from minik8s.kubectl.printers import format_labels
from minik8s.kubectl.printers_misc import access_modes, storage_class_of
from minik8s.kubectl.printers_network import format_endpoints
from minik8s.kubectl.table import since

Obj = dict[str, Any]


def describe_service(w: PrefixWriter, svc: Obj, events: list[Obj] | None, client: Any) -> None:
    """`ServiceDescriber` (endpoints from the Endpoints object of the same name)."""
    meta, spec = svc.get("metadata") or {}, svc.get("spec") or {}
    header(w, svc)
    w.write(0, f"Selector:\t{format_labels(spec.get('selector'))}\n")
    w.write(0, f"Type:\t{spec.get('type', 'ClusterIP')}\n")
    if spec.get("ipFamilyPolicy"):
        w.write(0, f"IP Family Policy:\t{spec['ipFamilyPolicy']}\n")
    w.write(0, f"IP Families:\t{','.join(spec.get('ipFamilies') or []) or '<none>'}\n")
    w.write(0, f"IP:\t{spec.get('clusterIP', '')}\n")
    if spec.get("clusterIPs"):
        w.write(0, f"IPs:\t{','.join(spec['clusterIPs'])}\n")
    if spec.get("externalIPs"):
        w.write(0, f"External IPs:\t{','.join(spec['externalIPs'])}\n")
    if spec.get("externalName"):
        w.write(0, f"External Name:\t{spec['externalName']}\n")
    try:
        endpoints = client.get("endpoints", meta.get("name", ""), meta.get("namespace"))
    except Exception:  # noqa: BLE001 - no Endpoints object: nothing behind the service
        endpoints = {}
    for port in spec.get("ports") or []:
        name = port.get("name") or "<unset>"
        proto = port.get("protocol", "TCP")
        w.write(0, f"Port:\t{name}\t{port.get('port')}/{proto}\n")
        w.write(0, f"TargetPort:\t{port.get('targetPort', port.get('port'))}/{proto}\n")
        if port.get("nodePort"):
            w.write(0, f"NodePort:\t{name}\t{port['nodePort']}/{proto}\n")
        w.write(0, f"Endpoints:\t{_endpoints_for_port(endpoints, port.get('name', ''))}\n")
    if not spec.get("ports"):
        w.write(0, f"Endpoints:\t{format_endpoints(endpoints)}\n")
    w.write(0, f"Session Affinity:\t{spec.get('sessionAffinity', 'None')}\n")
    if spec.get("externalTrafficPolicy"):
        w.write(0, f"External Traffic Policy:\t{spec['externalTrafficPolicy']}\n")
    if spec.get("internalTrafficPolicy"):
        w.write(0, f"Internal Traffic Policy:\t{spec['internalTrafficPolicy']}\n")
    describe_events(w, events)


def _endpoints_for_port(endpoints: Obj, port_name: str) -> str:
    subsets = []
    for subset in endpoints.get("subsets") or []:
        ports = [p for p in subset.get("ports") or [] if p.get("name", "") == port_name]
        subsets.append({**subset, "ports": ports} if subset.get("ports") else subset)
    if not endpoints.get("subsets"):
        return "<none>"
    return format_endpoints(
        {
            "subsets": [
                s
                for s in subsets
                if s.get("ports") or not any(x.get("ports") for x in endpoints["subsets"])
            ]
        }
    )


def describe_namespace(w: PrefixWriter, ns: Obj, events: list[Obj] | None, client: Any) -> None:
    """`NamespaceDescriber` (no ResourceQuota/LimitRange kinds are served)."""
    header(w, ns, namespaced=False)
    w.write(0, f"Status:\t{(ns.get('status') or {}).get('phase', '')}\n")
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
    w.write(0, f"Node Affinity:\t{'<none>' if not spec.get('nodeAffinity') else ''}\n")
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
