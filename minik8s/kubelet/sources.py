"""Reading ConfigMaps, Secrets and downward API fields for a pod, shared by env vars
(`container_config.py`) and volumes (`volumes.py`), as upstream's configmap/secret managers,
`pkg/fieldpath` and `pkg/api/v1/resource` (`ExtractContainerResourceValue`, with the node's
allocatable as the default limits: kubelet `defaultPodLimitsForDownwardAPI`) do.
The kubelet reads ConfigMaps and Secrets through its watch-based managers
(`object_manager.py`); without them (a caller outside the kubelet) each read is a GET.
Left out: hugepages limits.
"""

from __future__ import annotations

import base64
import math
import re
from typing import TYPE_CHECKING, Any

from minik8s.api.errors import StatusError
from minik8s.api.quantity import parse_quantity

if TYPE_CHECKING:
    from minik8s.client.client import Client
    from minik8s.kubelet.object_manager import ObjectManagers

Obj = dict[str, Any]


def get_source(
    client: Client, kind: str, name: str, namespace: str, objects: ObjectManagers | None = None
) -> Obj | None:
    """The ConfigMap (`kind` "configMap") or Secret from the kubelet's managers (`objects`; a
    GET without them), None if it does not exist (read-only: shared with the watch); raises
    `object_manager.NotRegistered` for an object no registered pod references."""
    resource = "configmaps" if kind == "configMap" else "secrets"
    try:
        if objects is not None:
            return objects.get(kind, namespace, name)
        return client.get(resource, name, namespace, respond=False)
    except StatusError as err:
        if err.code == 404:
            return None
        raise


def source_data(kind: str, obj: Obj) -> dict[str, str]:
    """Its data as text (Secret values base64-decoded)."""
    if kind == "configMap":
        return dict(obj.get("data") or {})
    out = {
        k: base64.b64decode(v).decode(errors="replace") for k, v in (obj.get("data") or {}).items()
    }
    out.update(obj.get("stringData") or {})
    return out


def volume_data(kind: str, obj: Obj) -> dict[str, str]:
    """The files a ConfigMap or Secret volume projects: a ConfigMap's `data` and its
    `binaryData` (decoded) as configmap `MakePayload` does; a Secret's data."""
    out = source_data(kind, obj)
    if kind == "configMap":
        for key, value in (obj.get("binaryData") or {}).items():
            out[key] = base64.b64decode(value or "").decode(errors="replace")
    return out


def not_found(kind: str, name: str) -> str:
    """The API's NotFound message for it."""
    return f'{"configmap" if kind == "configMap" else "secret"} "{name}" not found'


_GO_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t",
               "\v": "\\v", '"': '\\"', "\\": "\\\\"}  # fmt: skip


def go_quote(text: str) -> str:
    """Go's `%q` (`strconv.Quote`) of a string."""
    out = []
    for char in text:
        if char in _GO_ESCAPES:
            out.append(_GO_ESCAPES[char])
        elif char.isprintable():
            out.append(char)
        elif ord(char) < 0x100:
            out.append(f"\\x{ord(char):02x}")
        elif ord(char) < 0x10000:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'


def format_map(values: dict[str, str]) -> str:
    """fieldpath `FormatMap`: `key="value"` lines, keys sorted, values `%q`-quoted."""
    return "\n".join(f"{key}={go_quote(values[key])}" for key in sorted(values))


def field_ref(pod: Obj, path: str) -> str:
    """A downward API `fieldRef` value."""
    meta, spec, status = pod["metadata"], pod.get("spec", {}), pod.get("status", {})
    match = re.fullmatch(r"metadata\.(labels|annotations)\['(.+)'\]", path)
    if match:
        return (meta.get(match.group(1)) or {}).get(match.group(2), "")
    simple = {
        "metadata.name": meta.get("name", ""),
        "metadata.namespace": meta.get("namespace", ""),
        "metadata.uid": meta.get("uid", ""),
        "spec.nodeName": spec.get("nodeName", ""),
        "spec.serviceAccountName": spec.get("serviceAccountName", ""),
        "status.hostIP": status.get("hostIP", ""),
        "status.podIP": status.get("podIP", ""),
        "status.hostIPs": ",".join(ip["ip"] for ip in status.get("hostIPs") or []),
        "status.podIPs": ",".join(ip["ip"] for ip in status.get("podIPs") or []),
    }
    return simple.get(path, "")


DEFAULTED_LIMITS = ("cpu", "memory", "ephemeral-storage")  # MergeContainerResourceLimits


def node_allocatable(client: Client, pod: Obj) -> dict[str, str]:
    """The allocatable resources of the pod's node ({} when it cannot be read)."""
    try:
        node = client.get("nodes", pod.get("spec", {}).get("nodeName", ""), respond=False)
    except StatusError:
        return {}
    return dict(node.get("status", {}).get("allocatable") or {})


def resource_field_ref(container: Obj, ref: Obj, allocatable: dict[str, str]) -> str:
    """`ExtractContainerResourceValue` on the container with unset cpu/memory/ephemeral-storage
    limits taken from the node's allocatable; raises ValueError for an unknown resource."""
    resources = container.get("resources") or {}
    limits = dict(resources.get("limits") or {})
    for name in DEFAULTED_LIMITS:
        if name in allocatable and (name not in limits or parse_quantity(limits[name]).is_zero()):
            limits[name] = allocatable[name]
    lists = {"limits": limits, "requests": resources.get("requests") or {}}
    divisor = parse_quantity(ref.get("divisor") or "0")
    if divisor.is_zero():
        divisor = parse_quantity("1")
    kind, _, name = str(ref.get("resource", "")).partition(".")
    if kind not in lists or name not in DEFAULTED_LIMITS:
        raise ValueError(f"unsupported container resource : {ref.get('resource', '')}")
    value = parse_quantity(lists[kind].get(name, "0"))
    if name == "cpu":  # convertResourceCPUToString
        return str(math.ceil(value.milli_value() / divisor.milli_value()))
    return str(math.ceil(value.value() / divisor.value()))  # memory, ephemeral-storage
