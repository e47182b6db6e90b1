"""Reading ConfigMaps, Secrets and downward API fields for a pod, shared by env vars
(`container_config.py`) and volumes (`volumes.py`), as upstream's configmap/secret managers and
`pkg/fieldpath` do. Left out: the managers' caches and watches (each read is a GET).
"""

from __future__ import annotations

import base64
import re
from typing import TYPE_CHECKING, Any

from minik8s.api.errors import StatusError

if TYPE_CHECKING:
    from minik8s.client.client import Client

Obj = dict[str, Any]


def get_source(client: Client, kind: str, name: str, namespace: str) -> Obj | None:
    """The ConfigMap (`kind` "configMap") or Secret, None if it does not exist (read-only:
    shared with the API server's cache)."""
    resource = "configmaps" if kind == "configMap" else "secrets"
    try:
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


def not_found(kind: str, name: str) -> str:
    """The API's NotFound message for it."""
    return f'{"configmap" if kind == "configMap" else "secret"} "{name}" not found'


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
