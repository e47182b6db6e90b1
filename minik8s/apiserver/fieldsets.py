"""Which fields each kind can be selected by (`--field-selector`), mirroring each registry's
`GetAttrs`/`ToSelectableFields` and the field label conversion funcs of
`pkg/apis/*/v1/conversion.go`.
"""

from __future__ import annotations

from typing import Any

Obj = dict[str, Any]


# Field path -> its parts (selectors name a few fixed paths: split each once).
_PARTS: dict[str, tuple[str, ...]] = {}


def _get(obj: Obj, path: str) -> str:
    node: Any = obj
    parts = _PARTS.get(path)
    if parts is None:
        if len(_PARTS) >= 1024:
            _PARTS.clear()
        parts = _PARTS[path] = tuple(path.split("."))
    for part in parts:
        if not isinstance(node, dict):
            return ""
        node = node.get(part)
    if node is None:
        return ""
    if isinstance(node, bool):
        return "true" if node else "false"
    return str(node)


# Beyond metadata.name and metadata.namespace, which every kind supports.
SELECTABLE: dict[str, tuple[str, ...]] = {
    "Pod": (
        "spec.nodeName",
        "spec.restartPolicy",
        "spec.schedulerName",
        "spec.serviceAccountName",
        "spec.hostNetwork",
        "status.phase",
        "status.podIP",
        "status.nominatedNodeName",
    ),
    "Event": (
        "involvedObject.kind",
        "involvedObject.namespace",
        "involvedObject.name",
        "involvedObject.uid",
        "involvedObject.apiVersion",
        "involvedObject.resourceVersion",
        "involvedObject.fieldPath",
        "reason",
        "reportingComponent",
        "source",
        "type",
    ),
    "Secret": ("type",),
    "Node": ("spec.unschedulable",),
    "Namespace": ("status.phase",),
    "ReplicaSet": ("status.replicas",),
    "Job": ("status.successful",),
    "PersistentVolumeClaim": (),
}


def selectable_fields(kind: str) -> tuple[str, ...]:
    return ("metadata.name", "metadata.namespace", *SELECTABLE.get(kind, ()))


def field_value(obj: Obj, name: str) -> str:
    """One selectable field of `obj` as a string ("" when unset)."""
    if name == "source" and obj.get("kind") == "Event":
        return _get(obj, "source.component") or _get(obj, "reportingComponent")
    if name == "status.successful" and obj.get("kind") == "Job":
        return _get(obj, "status.succeeded") or "0"
    return _get(obj, name)


class FieldSet(dict):  # type: ignore[type-arg]
    """The selectable fields of one object, each computed only when a selector asks for it."""

    def __init__(self, obj: Obj):
        super().__init__()
        self.obj = obj
        self.allowed = selectable_fields(obj.get("kind", ""))

    def __bool__(self) -> bool:
        return True  # never mistaken for "no fields" although nothing is stored

    def get(self, name: str, default: object = "") -> object:  # type: ignore[override]
        return field_value(self.obj, name) if name in self.allowed else default


def field_set(obj: Obj) -> dict[str, str]:
    """The selectable fields of `obj` and their values as strings."""
    return {name: field_value(obj, name) for name in selectable_fields(obj.get("kind", ""))}
