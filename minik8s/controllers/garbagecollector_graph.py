"""The ownership graph of the garbage collector, mirroring `pkg/controller/garbagecollector`
(graph.go `node` and `objectReference.String`, graph_builder.go `referencesDiffs`,
`ownerReferenceMatchesCoordinates` and `reportInvalidNamespaceOwnerRef`'s message).

Pure helpers only; `garbagecollector.GarbageCollector` keeps the graph and does the work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from minik8s.api.kinds import ResourceInfo

Obj = dict[str, Any]
ORPHAN = "orphan"
FOREGROUND = "foregroundDeletion"


@dataclass(slots=True)  # (one per object in the cluster)
class Node:
    """One object in the ownership graph."""

    obj: Obj
    info: ResourceInfo
    dependents: set[str] = field(default_factory=set)

    @property
    def uid(self) -> str:
        return str(self.obj["metadata"]["uid"])

    def finalizers(self) -> list[str]:
        return list(self.obj["metadata"].get("finalizers") or [])

    def deleting(self) -> bool:
        return bool(self.obj["metadata"].get("deletionTimestamp"))


def owner_uids(obj: Obj) -> list[str]:
    """The uids `obj` names in its ownerReferences."""
    return [ref["uid"] for ref in obj["metadata"].get("ownerReferences") or [] if ref.get("uid")]


def references_diffs(
    old: list[Obj], new: list[Obj]
) -> tuple[list[Obj], list[Obj], list[tuple[Obj, Obj]]]:
    """upstream `referencesDiffs`: references (by uid) added, removed, and changed (old, new)."""
    old_by_uid = {ref["uid"]: ref for ref in old if ref.get("uid")}
    added: list[Obj] = []
    changed: list[tuple[Obj, Obj]] = []
    for ref in new:
        if not ref.get("uid"):
            continue
        before = old_by_uid.pop(ref["uid"], None)
        if before is None:
            added.append(ref)
        elif before != ref:
            changed.append((before, ref))
    return added, list(old_by_uid.values()), changed


def deleting_with(obj: Obj | None, finalizer: str) -> bool:
    """upstream `beingDeleted` and `hasFinalizer` (False for no object)."""
    if obj is None:
        return False
    meta = obj["metadata"]
    return bool(meta.get("deletionTimestamp")) and finalizer in (meta.get("finalizers") or ())


def matches_coordinates(owner: Node, ref: Obj, dependent: Node) -> bool:
    """upstream `ownerReferenceMatchesCoordinates`, plus the namespace check of
    `addDependentToOwners`: the observed owner is the one `ref` names from `dependent`."""
    if other_namespace(owner, dependent):
        return False
    meta = owner.obj["metadata"]
    return (meta.get("name"), owner.obj.get("kind"), owner.obj.get("apiVersion")) == (
        ref.get("name"),
        ref.get("kind"),
        ref.get("apiVersion"),
    )


def other_namespace(owner: Node, dependent: Node) -> bool:
    """A namespaced owner observed in another namespace than its dependent's."""
    owner_ns = owner.obj["metadata"].get("namespace")
    return owner.info.namespaced and owner_ns != dependent.obj["metadata"].get("namespace")


def invalid_namespace_message(ref: Obj, namespace: str) -> str:
    """The `OwnerRefInvalidNamespace` event's message (`objectReference.String()`)."""
    identity = (
        f"[{ref.get('apiVersion')}/{ref.get('kind')}, namespace: {namespace}, "
        f"name: {ref.get('name')}, uid: {ref.get('uid')}]"
    )
    return f'ownerRef {identity} does not exist in namespace "{namespace}"'
