"""Graceful deletion, finalizers and preconditions, mirroring the generic registry's delete path
(`staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go`: `Delete`,
`updateForGracefulDeletionAndFinalizers`, `markAsDeleting`,
`deletionFinalizersForGarbageCollection`, `ShouldDeleteDuringUpdate`), `rest.BeforeDelete`
(`registry/rest/delete.go`), the namespace storage's own `Delete`
(`pkg/registry/core/namespace/storage/storage.go`) and the Job storage's default orphaning
(`pkg/registry/batch/job/storage/storage.go`).

Only pods delete gracefully (`RESTGracefulDeleteStrategy`). Left out: `orphanDependents` (the
deprecated boolean), kinds whose garbage collection is `Unsupported`.
"""

from __future__ import annotations

from typing import Any, Literal

from minik8s.api.errors import Conflict, Invalid
from minik8s.api.field import not_supported
from minik8s.api.kinds import ResourceInfo
from minik8s.apiserver import strategy
from minik8s.sim.loop import EventLoop

Obj = dict[str, Any]
ORPHAN, FOREGROUND = "orphan", "foregroundDeletion"
GC_FINALIZERS = (ORPHAN, FOREGROUND)
POLICIES = ("Foreground", "Background", "Orphan")
# Kinds whose DefaultGarbageCollectionPolicy (at their served version) is OrphanDependents.
ORPHAN_BY_DEFAULT = frozenset({"Job"})
JOB_DELETE_WARNING = (
    "child pods are preserved by default when jobs are deleted; set "
    "propagationPolicy=Background to remove them or set propagationPolicy=Orphan to suppress "
    "this warning"
)
# What the delete does: "keep" (nothing to write: a pending graceful deletion), "put" (mark the
# object deleting), "delete" (remove it now), "put-delete" (write the graceful stamp, then remove:
# a pod deleted with a grace period of 0).
Action = Literal["keep", "put", "delete", "put-delete"]


def check_policy(policy: str | None) -> None:
    """metav1 `ValidateDeleteOptions`: `propagationPolicy` is one of upstream's three."""
    if policy is not None and policy not in POLICIES:
        error = not_supported("propagationPolicy", policy, [*POLICIES, "nil"])
        raise Invalid.for_kind("DeleteOptions.meta.k8s.io", "", [error])


def delete_warnings(info: ResourceInfo, policy: str | None) -> list[str]:
    """The Job storage's warning when a delete leaves its pods (no propagation policy)."""
    return [JOB_DELETE_WARNING] if policy is None and info.kind in ORPHAN_BY_DEFAULT else []


def check_preconditions(info: ResourceInfo, name: str, meta: Obj, preconditions: Obj) -> None:
    """`rest.BeforeDelete`: `Preconditions.uid` / `.resourceVersion` must match (else Conflict,
    naming the kind); namespaces use their storage's own wording."""
    uid, rv = preconditions.get("uid"), preconditions.get("resourceVersion")
    if info.kind == "Namespace":
        if uid and uid != meta.get("uid"):
            why = f"Precondition failed: UID in precondition: {uid}, UID in object meta: "
            raise Conflict.for_resource("namespaces", name, why + str(meta.get("uid")))
        if rv and rv != meta.get("resourceVersion"):
            why = (
                f"Precondition failed: ResourceVersion in precondition: {rv}, "
                f"ResourceVersion in object meta: {meta.get('resourceVersion')}"
            )
            raise Conflict.for_resource("namespaces", name, why)
        return
    if uid and uid != meta.get("uid"):
        why = (
            f"the UID in the precondition ({uid}) does not match the UID in record "
            f"({meta.get('uid')}). The object might have been deleted and then recreated"
        )
        raise Conflict.for_resource(info.group_kind, name, why)
    if rv and rv != meta.get("resourceVersion"):
        why = (
            f"the ResourceVersion in the precondition ({rv}) does not match the ResourceVersion "
            f"in record ({meta.get('resourceVersion')}). The object might have been modified"
        )
        raise Conflict.for_resource(info.group_kind, name, why)


def gc_finalizers(info: ResourceInfo, finalizers: list[str], policy: str | None) -> list[str]:
    """`deletionFinalizersForGarbageCollection`: the finalizers with `orphan` /
    `foregroundDeletion` as the policy (else the object's, else the kind's default) says."""
    if policy is not None:
        orphan, foreground = policy == "Orphan", policy == "Foreground"
    else:
        first = next((f for f in finalizers if f in GC_FINALIZERS), None)
        orphan = first == ORPHAN if first else info.kind in ORPHAN_BY_DEFAULT
        foreground = first == FOREGROUND
    wanted = [f for f in finalizers if f not in GC_FINALIZERS]
    wanted += [ORPHAN] * orphan + [FOREGROUND] * foreground
    return finalizers if set(wanted) == set(finalizers) else wanted


def _set_finalizers(meta: Obj, finalizers: list[str]) -> None:
    if finalizers:
        meta["finalizers"] = finalizers
    else:
        meta.pop("finalizers", None)


def _before_delete(obj: Obj, grace: int | None, loop: EventLoop) -> tuple[bool, bool]:
    """`rest.BeforeDelete` for a pod: (graceful, pending); stamps `deletionTimestamp` and
    `deletionGracePeriodSeconds`; a set deletion may only be shortened."""
    meta = obj["metadata"]
    if (meta.get("deletionGracePeriodSeconds") or 0) < 0:
        meta["deletionGracePeriodSeconds"] = 1
    current = meta.get("deletionGracePeriodSeconds")
    if meta.get("deletionTimestamp"):
        if not current:
            return False, False
        if grace is None or grace >= current:
            return False, True  # graceful deletion is pending, do nothing
        deadline = loop.parse_timestamp(meta["deletionTimestamp"]) - current + grace
        meta["deletionTimestamp"] = loop.timestamp(deadline)
        meta["deletionGracePeriodSeconds"] = grace
        return True, False
    seconds = strategy.graceful_delete_seconds(obj, grace)  # podStrategy.CheckGracefulDelete
    meta["deletionTimestamp"] = loop.timestamp(loop.now + seconds)
    meta["deletionGracePeriodSeconds"] = seconds
    if (meta.get("generation") or 0) > 0:
        meta["generation"] += 1
    return True, False


def mark_as_deleting(meta: Obj, loop: EventLoop) -> None:
    """`markAsDeleting`: an object kept by finalizers gets `deletionTimestamp` (now, unless
    earlier) and a grace period of 0; its generation moves on the first deletion."""
    stamp = meta.get("deletionTimestamp")
    if not stamp and (meta.get("generation") or 0) > 0:
        meta["generation"] += 1
    if not stamp or loop.parse_timestamp(stamp) > loop.now:
        meta["deletionTimestamp"] = loop.timestamp()
    meta["deletionGracePeriodSeconds"] = 0


def plan_deletion(
    info: ResourceInfo, obj: Obj, policy: str | None, grace: int | None, loop: EventLoop
) -> tuple[Action, Obj]:
    """`Store.Delete`: what to do with `obj` (changed in place, see `Action`)."""
    if info.kind == "Namespace":
        return _plan_namespace_deletion(info, obj, policy, loop)
    if grace is not None and grace < 0:
        grace = 1  # negative values are treated as 1s on the delete path
    meta = obj["metadata"]
    graceful = False
    if info.kind == "Pod":
        graceful, pending = _before_delete(obj, grace, loop)
        if pending:
            return "keep", obj
    _set_finalizers(meta, gc_finalizers(info, list(meta.get("finalizers") or []), policy))
    if not graceful:
        if meta.get("finalizers"):
            mark_as_deleting(meta, loop)
            return "put", obj
        return "delete", obj
    if meta.get("finalizers") or meta["deletionGracePeriodSeconds"] > 0:
        return "put", obj
    return "put-delete", obj


def _plan_namespace_deletion(
    info: ResourceInfo, obj: Obj, policy: str | None, loop: EventLoop
) -> tuple[Action, Obj]:
    """The namespace storage's `Delete`: the first request starts termination (phase
    `Terminating`, no grace period); later ones return it unchanged until its spec finalizers
    are gone (before v1.11 they conflicted)."""
    meta = obj["metadata"]
    if not meta.get("deletionTimestamp"):
        meta["deletionTimestamp"] = loop.timestamp()
        obj.setdefault("status", {})["phase"] = "Terminating"
        finalizers = list(meta.get("finalizers") or [])
        _set_finalizers(meta, _namespace_gc_finalizers(finalizers, policy))
        return "put", obj
    if (obj.get("spec") or {}).get("finalizers"):
        return "keep", obj  # "prior to final deletion, we must ensure that finalizers is empty"
    _set_finalizers(meta, gc_finalizers(info, list(meta.get("finalizers") or []), policy))
    if meta.get("finalizers"):
        mark_as_deleting(meta, loop)
        return "put", obj
    return "delete", obj


def _namespace_gc_finalizers(finalizers: list[str], policy: str | None) -> list[str]:
    """`ShouldHaveOrphanFinalizer` / `ShouldHaveDeleteDependentsFinalizer`: without a policy
    the namespace keeps what it has."""
    if policy is None:
        return finalizers
    wanted = [f for f in finalizers if f not in GC_FINALIZERS]
    wanted += [ORPHAN] * (policy == "Orphan") + [FOREGROUND] * (policy == "Foreground")
    return finalizers if set(wanted) == set(finalizers) else wanted


def should_delete_during_update(new: Obj, old: Obj) -> bool:
    """upstream ShouldDeleteDuringUpdate: the last finalizer left a deleted object."""
    if new["metadata"].get("finalizers") or not old["metadata"].get("deletionTimestamp"):
        return False
    if new.get("kind") == "Namespace" and new.get("spec", {}).get("finalizers"):
        return False
    return not old["metadata"].get("deletionGracePeriodSeconds")
