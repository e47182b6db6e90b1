"""The payloads of ConfigMap, Secret, downward API and projected volumes, mirroring
`pkg/volume/configmap` and `pkg/volume/secret` (`MakePayload`: every key, or the `items` with
their `path`, a missing key an error unless `optional`; a ConfigMap's `binaryData` too),
`pkg/volume/downwardapi` (`CollectData`, `fieldpath.FormatMap`, `resourceFieldRef`) and
`pkg/volume/projected` (`collectData`: the sources' errors aggregated).
Left out: file modes (`defaultMode`, `items[].mode`) and the atomic writer's `..data` symlink.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from minik8s.kubelet.object_manager import NotRegistered
from minik8s.kubelet.sources import (
    field_ref,
    format_map,
    get_source,
    node_allocatable,
    not_found,
    resource_field_ref,
    volume_data,
)

if TYPE_CHECKING:
    from minik8s.client.client import Client
    from minik8s.kubelet.object_manager import ObjectManagers

Obj = dict[str, Any]
MISSING_KEY = {  # MakePayload's error for an `items` key the source lacks
    "configMap": "configmap references non-existent config key: ",
    "secret": "references non-existent secret key: ",
}


class SourceError(Exception):
    """A ConfigMap/Secret source of a volume is missing, or lacks an `items` key."""


def aggregate(messages: list[str]) -> str:
    """`utilerrors.NewAggregate(...).Error()`: one message as is, several in brackets."""
    return messages[0] if len(messages) == 1 else "[" + ", ".join(messages) + "]"


def source_name(kind: str, source: Obj) -> str:
    """The ConfigMap or Secret a source names (`secretName` in a secret volume, else `name`)."""
    key = "name" if kind == "configMap" else "secretName"
    return str(source.get(key) or source.get("name") or "")


def keyed(
    client: Client,
    kind: str,
    source: Obj,
    namespace: str,
    objects: ObjectManagers | None = None,
) -> dict[str, str]:
    """A configMap/secret source's files (`MakePayload`), read through the kubelet's managers
    (`objects`; GETs without them); raises `SourceError`."""
    name = source_name(kind, source)
    try:
        obj = get_source(client, kind, name, namespace, objects)
    except NotRegistered as err:
        raise SourceError(str(err)) from None
    if obj is None:
        if source.get("optional"):
            return {}
        raise SourceError(not_found(kind, name))
    data = volume_data(kind, obj)
    items = source.get("items")
    if not items:
        return data
    files = {}
    for item in items:  # configmap/secret `MakePayload`
        if item["key"] in data:
            files[item["path"]] = data[item["key"]]
        elif not source.get("optional"):
            raise SourceError(MISSING_KEY[kind] + item["key"])
    return files


def downward(client: Client, pod: Obj, items: list[Obj]) -> dict[str, str]:
    """A downward API source's files (downwardapi `CollectData`)."""
    out = {}
    allocatable = None
    for item in items:
        ref = item.get("resourceFieldRef")
        if ref is not None:  # downwardapi `CollectData`: containerName is required here
            if allocatable is None:
                allocatable = node_allocatable(client, pod)
            out[item["path"]] = _container_resource(pod, ref, allocatable)
            continue
        path = (item.get("fieldRef") or {}).get("fieldPath", "")
        if path in ("metadata.labels", "metadata.annotations"):
            values = pod["metadata"].get(path.split(".")[1]) or {}
            out[item["path"]] = format_map(values)
        else:
            out[item["path"]] = field_ref(pod, path)
    return out


def _container_resource(pod: Obj, ref: Obj, allocatable: dict[str, str]) -> str:
    spec = pod.get("spec", {})
    for container in (spec.get("initContainers") or []) + (spec.get("containers") or []):
        if container["name"] == ref.get("containerName"):
            try:
                return resource_field_ref(container, ref, allocatable)
            except ValueError:
                return ""
    return ""


def projected(
    client: Client, pod: Obj, volume: Obj, objects: ObjectManagers | None = None
) -> dict[str, str]:
    """projected `collectData`: every source's files; raises `SourceError` with the
    sources' errors aggregated."""
    namespace = pod["metadata"]["namespace"]
    account = pod["spec"].get("serviceAccountName", "default")
    files: dict[str, str] = {}
    errors: list[str] = []
    for source in volume["projected"].get("sources") or []:
        for kind in ("configMap", "secret"):
            if kind in source:
                try:
                    files.update(keyed(client, kind, source[kind], namespace, objects))
                except SourceError as err:
                    errors.append(str(err))
        if "downwardAPI" in source:
            files.update(downward(client, pod, source["downwardAPI"].get("items") or []))
        if "serviceAccountToken" in source:
            path = source["serviceAccountToken"].get("path", "token")
            files[path] = f"minik8s-token.{namespace}.{account}"
    if errors:
        raise SourceError(aggregate(errors))
    return files
