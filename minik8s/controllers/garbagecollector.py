"""The garbage collector, mirroring `pkg/controller/garbagecollector` (graph_builder.go,
garbagecollector.go): dependents follow their owners through `metadata.ownerReferences`.

The graph builder watches every resource and keeps, per uid, the object and who depends on it.
`reconcile(uid)` is upstream's attemptToDelete / attemptToOrphan on one object:

- an object with no solid owner is deleted (in the foreground if an owner is deleting in the
  foreground and the object has dependents of its own; if one of those dependents is itself
  deleting in the foreground, the object first makes its references non-blocking, upstream's
  guard against a cycle of owners waiting on each other);
- an object with a solid owner (present, not deleted in the foreground) keeps living, and
  loses its references to owners that are gone or deleting in the foreground;
- an owner deleted with `propagationPolicy: Orphan` (finalizer `orphan`) lets go of its
  dependents (their references to it are removed), then loses the finalizer;
- an owner deleted in the foreground (finalizer `foregroundDeletion`) attempts to delete its
  dependents (one with another solid owner only lets go of it) and loses the finalizer once no
  dependent with `blockOwnerDeletion` remains.

Like upstream's `processGraphChanges`, an event queues work only where some may be due: an
object whose ownerReferences changed (a new object counts: one of its owners may be absent,
upstream's virtual node), an owner whose deletion starts with the `orphan` or
`foregroundDeletion` finalizer, the dependents of a deleted owner, a foreground owner whose
dependent is gone or let go of a blocking reference. Other updates (status, Lease renewals) only
refresh the graph. Upstream also queues a foreground owner's dependents; here the owner's own
reconcile deletes them.

An owner named from another namespace than its dependent's is looked up in the dependent's
namespace (so it is absent there), and observing it reports `OwnerRefInvalidNamespace` on the
dependent. A reference the collector cannot resolve (a kind the server lacks, a namespaced
owner of a cluster-scoped object) leaves the object alone.

Left out: the absent-owner cache, virtual nodes and virtual delete events, retrying references
to unknown kinds (upstream retries them with back-off until discovery knows the kind), the
resourceVersion precondition on deletes.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.errors import Conflict, NotFound, StatusError
from minik8s.api.kinds import RESOURCES, ResourceInfo, UnknownResource, for_kind
from minik8s.client.cache import DeletedFinalStateUnknown
from minik8s.controllers.base import Controller
from minik8s.controllers.garbagecollector_graph import (
    FOREGROUND,
    ORPHAN,
    Node,
    deleting_with,
    invalid_namespace_message,
    matches_coordinates,
    other_namespace,
    owner_uids,
    references_diffs,
)

__all__ = ["GarbageCollector", "Node", "invalid_namespace_message", "references_diffs"]

Obj = dict[str, Any]
IGNORED = frozenset({"Event", "Binding"})


class GarbageCollector(Controller):
    name = "garbage-collector-controller"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.nodes: dict[str, Node] = {}
        self.dependents: dict[str, set[str]] = {}  # owner uid -> dependent uids
        for info in RESOURCES:
            if info.kind not in IGNORED:
                self._monitor(info)

    def _monitor(self, info: ResourceInfo) -> None:
        def on_add(obj: Obj) -> None:
            self._upsert(info, obj)

        def on_update(_old: Obj, new: Obj) -> None:
            self._upsert(info, new)

        def on_delete(obj: Any) -> None:
            self._remove(obj.obj if isinstance(obj, DeletedFinalStateUnknown) else obj)

        informer = self.informers.informer_for(info.plural)
        informer.add_event_handler(on_add=on_add, on_update=on_update, on_delete=on_delete)

    # -- the graph builder (processGraphChanges) ------------------------------------------------
    def _upsert(self, info: ResourceInfo, obj: Obj) -> None:
        """An add or update: keep the graph current, and queue only what may need work now."""
        meta = obj["metadata"]
        uid = meta.get("uid")
        if not uid:
            return
        node = self.nodes.get(uid)
        old: Obj | None = None
        if node is None:
            self.nodes[uid] = node = Node(obj, info)
        else:
            old, node.obj = node.obj, obj
        old_refs = (old["metadata"].get("ownerReferences") or []) if old is not None else []
        refs = meta.get("ownerReferences") or []
        if refs != old_refs:  # most updates (status, Lease renewals) leave the edges alone
            self._owners_changed(uid, old_refs, refs)
        if old is None and uid in self.dependents:
            self._observed_owner(node)
        if meta.get("deletionTimestamp"):
            self._process_transitions(old, node)

    def _owners_changed(self, uid: str, old_refs: list[Obj], refs: list[Obj]) -> None:
        """upstream `referencesDiffs` and what follows: move the edges, wake unblocked owners,
        and look at the object itself (an owner may be absent: upstream's virtual node)."""
        added, removed, changed = references_diffs(old_refs, refs)
        for ref in removed:
            self.dependents.get(ref["uid"], set()).discard(uid)
        for ref in added:
            self.dependents.setdefault(ref["uid"], set()).add(uid)
            owner = self.nodes.get(ref["uid"])
            if owner is not None and other_namespace(owner, self.nodes[uid]):
                self._report_invalid_namespace(self.nodes[uid], ref)
        unblocked = [r["uid"] for r in removed if r.get("blockOwnerDeletion")]
        unblocked += [
            new["uid"]
            for old, new in changed
            if old.get("blockOwnerDeletion") and not new.get("blockOwnerDeletion")
        ]
        for owner in unblocked:  # addUnblockedOwnersToDeleteQueue
            if owner in self.nodes:
                self.enqueue(owner)
        if added or changed:
            self.enqueue(uid)

    def _observed_owner(self, owner: Node) -> None:
        """upstream `processGraphChanges` when a virtual owner is observed: dependents in
        another namespace named an owner that is not theirs; they are reported and rechecked."""
        for uid in sorted(self.dependents[owner.uid]):
            dependent = self.nodes.get(uid)
            if dependent is not None and other_namespace(owner, dependent):
                refs = dependent.obj["metadata"].get("ownerReferences") or []
                ref = next((r for r in refs if r.get("uid") == owner.uid), None)
                if ref is not None:
                    self._report_invalid_namespace(dependent, ref)
                self.enqueue(uid)

    def _report_invalid_namespace(self, dependent: Node, ref: Obj) -> None:
        """upstream `reportInvalidNamespaceOwnerRef`: a Warning on the dependent."""
        namespace = dependent.obj["metadata"].get("namespace") or ""
        message = invalid_namespace_message(ref, namespace)
        self.recorder.event(dependent.obj, "Warning", "OwnerRefInvalidNamespace", message)

    def _process_transitions(self, old: Obj | None, node: Node) -> None:
        """upstream `processTransitions` (for an object being deleted): an owner whose deletion
        starts with the `orphan` or `foregroundDeletion` finalizer is queued once."""
        for finalizer in (ORPHAN, FOREGROUND):
            if finalizer in node.finalizers() and not deleting_with(old, finalizer):
                self.enqueue(node.uid)
                return

    def _remove(self, obj: Obj) -> None:
        """A delete: dependents lose an owner; a foreground owner may now be done."""
        uid = obj["metadata"].get("uid")
        if not uid or self.nodes.pop(uid, None) is None:
            return
        for owner in owner_uids(obj):
            self.dependents.get(owner, set()).discard(uid)
            node = self.nodes.get(owner)
            if node is not None and deleting_with(node.obj, FOREGROUND):
                self.enqueue(owner)
        for dependent in sorted(self.dependents.get(uid, ())):
            self.enqueue(dependent)  # its owner is gone

    def dependents_of(self, uid: str) -> list[Obj]:
        """The objects that name `uid` as an owner (sorted by kind and name)."""
        nodes = [self.nodes[d] for d in self.dependents.get(uid, ()) if d in self.nodes]
        return [
            n.obj for n in sorted(nodes, key=lambda n: (n.obj["kind"], n.obj["metadata"]["name"]))
        ]

    # -- attemptToDelete / attemptToOrphan ------------------------------------------------------
    def reconcile(self, key: str) -> float | None:
        node = self.nodes.get(key)
        if node is None:
            return None
        if node.deleting() and ORPHAN in node.finalizers():
            self._orphan_dependents(node)
            return None
        if node.deleting() and FOREGROUND in node.finalizers():
            self._delete_dependents(node)
            return None
        self._attempt_to_delete(node)
        return None

    def _owner_state(self, node: Node, ref: Obj) -> str:
        """upstream `classifyReferences` for one reference: `solid`, `dangling` (absent from the
        dependent's namespace, or another uid), `waiting` (deleting in the foreground) or
        `unresolvable` (a kind the server lacks, or a namespaced owner of a cluster-scoped
        object: upstream's errors, which leave the object alone)."""
        try:
            info = for_kind(ref["apiVersion"], ref["kind"])
        except UnknownResource:
            return "unresolvable"  # upstream's restMappingError
        if info.namespaced and not node.info.namespaced:
            return "unresolvable"  # namespacedOwnerOfClusterScopedObjectErr
        owner = self.nodes.get(ref["uid"])
        if owner is None or not matches_coordinates(owner, ref, node):
            owner_obj = self._get_live(node, ref, info)
            if owner_obj is None:
                return "dangling"
            owner = Node(owner_obj, info)
        if owner.deleting() and FOREGROUND in owner.finalizers():
            return "waiting"
        return "solid"

    def _get_live(self, node: Node, ref: Obj, info: ResourceInfo) -> Obj | None:
        """upstream `isDangling`: look the owner up by name in the dependent's namespace."""
        namespace = node.obj["metadata"].get("namespace") if info.namespaced else None
        try:
            live = self.client.get(info.plural, ref["name"], namespace)
        except NotFound:
            return None
        return live if live["metadata"].get("uid") == ref["uid"] else None

    def _attempt_to_delete(self, node: Node) -> None:
        """upstream `attemptToDeleteItem`: with a solid owner, drop the dangling and waiting
        references; with none, delete (in the foreground if an owner waits and it has
        dependents, unblocking its references first if a dependent deletes in the foreground)."""
        refs = node.obj["metadata"].get("ownerReferences") or []
        if not refs or node.deleting():
            return
        states = {ref["uid"]: self._owner_state(node, ref) for ref in refs}
        if "unresolvable" in states.values():
            return  # upstream retries a missing kind and forgets a cluster-scoped dependent
        if "solid" in states.values():
            kept = [ref for ref in refs if states[ref["uid"]] == "solid"]
            if len(kept) < len(refs):
                self._patch_refs(node, kept)
            return
        waiting = "waiting" in states.values() and bool(self.dependents.get(node.uid))
        if waiting and any(self._deleting_dependents(d) for d in self.dependents_of(node.uid)):
            self._unblock_owner_references(node, refs)  # a possible cycle: let owners go
        self._delete(node, "Foreground" if waiting else self._own_policy(node))

    @staticmethod
    def _deleting_dependents(obj: Obj) -> bool:
        """upstream `isDeletingDependents`: being deleted with the foreground finalizer."""
        meta = obj["metadata"]
        return bool(meta.get("deletionTimestamp")) and FOREGROUND in (meta.get("finalizers") or [])

    def _unblock_owner_references(self, node: Node, refs: list[Obj]) -> None:
        """upstream `unblockOwnerReferencesStrategicMergePatch`: blocking references become
        `blockOwnerDeletion: false`, so no owner waits for this item any more."""
        if any(ref.get("blockOwnerDeletion") for ref in refs):
            unblocked = [
                {**ref, "blockOwnerDeletion": False} if ref.get("blockOwnerDeletion") else ref
                for ref in refs
            ]
            self._patch_refs(node, unblocked)

    @staticmethod
    def _own_policy(node: Node) -> str:
        """The policy an ownerless object is deleted with: from its own finalizers."""
        if ORPHAN in node.finalizers():
            return "Orphan"
        return "Foreground" if FOREGROUND in node.finalizers() else "Background"

    def _orphan_dependents(self, owner: Node) -> None:
        for dependent in self.dependents_of(owner.uid):
            refs = dependent["metadata"].get("ownerReferences") or []
            node = self.nodes[dependent["metadata"]["uid"]]
            self._patch_refs(node, [ref for ref in refs if ref["uid"] != owner.uid])
        self._remove_finalizer(owner, ORPHAN)

    def _delete_dependents(self, owner: Node) -> None:
        blocking = 0
        for dependent in self.dependents_of(owner.uid):
            node = self.nodes[dependent["metadata"]["uid"]]
            ref = next(r for r in dependent["metadata"]["ownerReferences"] if r["uid"] == owner.uid)
            if ref.get("blockOwnerDeletion"):
                blocking += 1
            self._attempt_to_delete(node)  # upstream queues the dependents to attemptToDelete
        if blocking == 0:
            self._remove_finalizer(owner, FOREGROUND)

    # -- writes --------------------------------------------------------------------------------
    def _target(self, node: Node) -> tuple[str, str, str | None]:
        meta = node.obj["metadata"]
        return (
            node.info.plural,
            meta["name"],
            meta.get("namespace") if node.info.namespaced else None,
        )

    def _delete(self, node: Node, policy: str) -> None:
        plural, name, namespace = self._target(node)
        preconditions = {"uid": node.uid}
        try:
            self.client.delete(
                plural, name, namespace, propagation_policy=policy, preconditions=preconditions
            )
        except (NotFound, Conflict):
            return

    def _patch_refs(self, node: Node, refs: list[Obj]) -> None:
        plural, name, namespace = self._target(node)
        patch: Obj = {"metadata": {"ownerReferences": refs or None, "uid": node.uid}}
        try:
            self.client.patch(plural, name, patch, namespace)
        except StatusError:
            return

    def _remove_finalizer(self, node: Node, finalizer: str) -> None:
        plural, name, namespace = self._target(node)
        kept = [f for f in node.finalizers() if f != finalizer]
        patch: Obj = {"metadata": {"finalizers": kept or None, "uid": node.uid}}
        try:
            self.client.patch(plural, name, patch, namespace)
        except StatusError:
            return
