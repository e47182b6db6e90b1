"""The DefaultStorageClass admission plugin, mirroring
`plugin/pkg/admission/storage/storageclass/setdefault/admission.go`.

A new claim that names no class (`storageClassName` unset, no beta annotation) gets the default
StorageClass: the one annotated `storageclass.kubernetes.io/is-default-class: "true"`; with
several, the newest (then the first by name), as upstream's `GetDefaultClass`. A claim with
`storageClassName: ""` explicitly asks for no class and is left alone. Mutating only.
"""

from __future__ import annotations

from typing import Any

from minik8s.apiserver.admission import Attributes
from minik8s.controllers.pv_util import ANN_BETA_STORAGE_CLASS, annotations_of, is_default_class

NAME = "DefaultStorageClass"
Obj = dict[str, Any]


def default_class(classes: list[Obj]) -> Obj | None:
    """upstream `util.GetDefaultClass`: newest default class, ties broken by name."""
    defaults = [sc for sc in classes if is_default_class(sc)]
    if not defaults:
        return None
    defaults.sort(key=lambda sc: sc["metadata"]["name"])
    defaults.sort(key=lambda sc: sc["metadata"].get("creationTimestamp") or "", reverse=True)
    return defaults[0]


class DefaultStorageClass:
    """Sets `spec.storageClassName` of a new claim that has none."""

    name = NAME
    kinds = frozenset({"PersistentVolumeClaim"})  # the chain skips it for other kinds

    def __repr__(self) -> str:
        return f"<{NAME}>"

    def mutates(self, operation: str, subresource: str) -> bool:
        return operation == "CREATE" and not subresource

    def admit(self, attrs: Attributes) -> None:
        """Default the class of a claim being created."""
        if attrs.info.kind != "PersistentVolumeClaim" or attrs.operation != "CREATE":
            return
        if attrs.subresource or attrs.obj is None or attrs.server is None:
            return
        spec = attrs.obj.setdefault("spec", {})
        if spec.get("storageClassName") is not None:
            return
        if ANN_BETA_STORAGE_CLASS in annotations_of(attrs.obj):
            return
        chosen = default_class(attrs.server.list("storageclasses")["items"])
        if chosen is not None:
            spec["storageClassName"] = chosen["metadata"]["name"]

    def validate(self, attrs: Attributes) -> None:
        """Mutating only."""
        return None
