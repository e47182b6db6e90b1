"""Graceful deletion, finalizers and preconditions, mirroring the generic registry's delete path
(`staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go`: `Delete`,
`updateForGracefulDeletionAndFinalizers`, `ShouldDeleteDuringUpdate`) and
`rest.BeforeDelete` (preconditions)."""

from __future__ import annotations

from typing import Any

from minik8s.api.errors import Conflict, Invalid
from minik8s.api.field import FieldError
from minik8s.api.kinds import ResourceInfo
from minik8s.apiserver import strategy
from minik8s.sim.loop import EventLoop

Obj = dict[str, Any]
GC_FINALIZERS = ("orphan", "foregroundDeletion")
POLICIES = ("Orphan", "Background", "Foreground")


def check_policy(policy: str | None) -> None:
    """DeleteOptions validation: `propagationPolicy` is one of upstream's three."""
    if policy is not None and policy not in POLICIES:
        error = FieldError(
            "Unsupported value",
            "propagationPolicy",
            policy,
            'supported values: "Foreground", "Background", "Orphan"',
        )
        raise Invalid.for_kind("DeleteOptions", "", [error])


def check_preconditions(info: ResourceInfo, name: str, meta: Obj, preconditions: Obj) -> None:
    """`Preconditions.uid` / `.resourceVersion` must match the stored object (else Conflict)."""
    uid, rv = preconditions.get("uid"), preconditions.get("resourceVersion")
    if uid and uid != meta.get("uid"):
        why = (
            f"Precondition failed: UID in precondition: {uid}, "
            f"UID in object meta: {meta.get('uid')}"
        )
        raise Conflict.for_resource(info.group_resource, name, why)
    if rv and rv != meta.get("resourceVersion"):
        why = (
            f"Precondition failed: ResourceVersion in precondition: {rv}, "
            f"ResourceVersion in object meta: {meta.get('resourceVersion')}"
        )
        raise Conflict.for_resource(info.group_resource, name, why)


def plan_deletion(
    info: ResourceInfo, obj: Obj, policy: str | None, grace: int | None, loop: EventLoop
) -> tuple[str, Obj]:
    """("delete", obj) to remove the key now, or ("put", obj) to mark it for deletion: the
    propagation policy's finalizer added, `deletionTimestamp` set `grace` seconds ahead."""
    meta = obj["metadata"]
    finalizers = list(meta.get("finalizers") or [])
    wanted = {"Orphan": "orphan", "Foreground": "foregroundDeletion"}.get(policy or "")
    if wanted and wanted not in finalizers:
        finalizers = [f for f in finalizers if f not in GC_FINALIZERS] + [wanted]
    elif policy == "Background":
        finalizers = [f for f in finalizers if f not in GC_FINALIZERS]
    if finalizers:
        meta["finalizers"] = finalizers
    seconds = strategy.graceful_delete_seconds(obj, grace)
    spec_finalizers = info.kind == "Namespace" and bool(obj.get("spec", {}).get("finalizers"))
    if not finalizers and not spec_finalizers and seconds == 0:
        return "delete", obj
    previous = meta.get("deletionGracePeriodSeconds")
    if not meta.get("deletionTimestamp") or (previous is not None and seconds < previous):
        meta["deletionTimestamp"] = loop.timestamp(loop.now + seconds)
        meta["deletionGracePeriodSeconds"] = seconds
    if info.kind in strategy.GENERATION_KINDS and seconds:
        meta["generation"] = meta.get("generation", 1) + 1
    if info.kind == "Namespace":
        obj.setdefault("status", {})["phase"] = "Terminating"
    return "put", obj


def should_delete_during_update(new: Obj, old: Obj) -> bool:
    """upstream ShouldDeleteDuringUpdate: the last finalizer left a deleted object."""
    if new["metadata"].get("finalizers") or not old["metadata"].get("deletionTimestamp"):
        return False
    if new.get("kind") == "Namespace" and new.get("spec", {}).get("finalizers"):
        return False
    return not old["metadata"].get("deletionGracePeriodSeconds")
