"""Per-kind rules of the generic registry, mirroring upstream's REST strategies
(`pkg/registry/<group>/<kind>/strategy.go`): what create resets, what an update may change,
when `metadata.generation` moves, and which deletions are graceful.

A new pod with `spec.schedulingGates` starts with `PodScheduled=False/SchedulingGated`
(`applySchedulingGatedCondition`). Left out of the pod's `PrepareForCreate`: dropping disabled
fields, the matchLabelKeys merge into affinity terms and the AppArmor version skew.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from minik8s.api.kinds import ResourceInfo
from minik8s.api.qos import compute_pod_qos
from minik8s.apiserver.daemonset_strategy import (
    prepare_daemonset_for_create,
    prepare_daemonset_for_update,
)

Obj = dict[str, Any]

# Kinds whose spec changes bump metadata.generation (controllers report observedGeneration):
# those whose v1.31 `PrepareForCreate` sets `Generation = 1`. Not Pod: v1.31 pods carry no
# generation (kubernetes#113961); it came with KEP-5067 in v1.33.
GENERATION_KINDS = frozenset(
    {
        "Deployment",
        "ReplicaSet",
        "StatefulSet",
        "DaemonSet",
        "Job",
        "CronJob",
        "Ingress",
        "IngressClass",
    }
)
# Kinds whose annotation changes bump the generation too (a Deployment's annotations are copied
# to its ReplicaSets; its controller writes the revision annotation through `/status`, which
# bumps nothing).
ANNOTATIONS_BUMP_GENERATION = frozenset({"Deployment"})
# Kinds whose create keeps the status the client sent (the node writes its own status).
KEEP_STATUS_ON_CREATE = frozenset({"Node", "Event", "Lease"})
# Kinds whose update through the main resource may still create them (AllowCreateOnUpdate).
CREATE_ON_UPDATE = frozenset({"Endpoints", "Event", "Lease"})
# Kinds whose update must name a resourceVersion (`AllowUnconditionalUpdate() == false`).
CONDITIONAL_UPDATE_ONLY = frozenset({"Lease", "VolumeAttachment"})

# Hooks other parts of minik8s register: fn(obj, server) run before validation on create.
CreateHook = Callable[[Obj, Any], None]
CREATE_HOOKS: dict[str, list[CreateHook]] = {}


def on_create(kind: str) -> Callable[[CreateHook], CreateHook]:
    """Register `fn(obj, server)` to run on every create of `kind` (e.g. allocate a ClusterIP)."""

    def register(fn: CreateHook) -> CreateHook:
        CREATE_HOOKS.setdefault(kind, []).append(fn)
        return fn

    return register


# upstream `apiv1.PodReasonSchedulingGated` and the message `applySchedulingGatedCondition` sets.
POD_REASON_SCHEDULING_GATED = "SchedulingGated"
SCHEDULING_GATED_MESSAGE = "Scheduling is blocked due to non-empty scheduling gates"


def scheduling_gated_condition(pod: Obj) -> Obj | None:
    """upstream `applySchedulingGatedCondition`: the `PodScheduled=False` condition a new pod
    with scheduling gates starts with (`UpdatePodCondition` stamps lastTransitionTime: now,
    which is the pod's creationTimestamp here); None for a pod without gates."""
    if not (pod.get("spec") or {}).get("schedulingGates"):
        return None
    return {
        "type": "PodScheduled",
        "status": "False",
        "lastProbeTime": None,
        "lastTransitionTime": pod["metadata"].get("creationTimestamp"),
        "reason": POD_REASON_SCHEDULING_GATED,
        "message": SCHEDULING_GATED_MESSAGE,
    }


# The status a kind's `PrepareForCreate` resets to (`Status = <Kind>Status{}`), as Go's JSON
# writes it: the int32/bool fields without `omitempty` appear as zeros, in the struct's order.
ZERO_STATUS: dict[str, Obj] = {
    "ReplicaSet": {"replicas": 0},
    "StatefulSet": {"replicas": 0, "availableReplicas": 0},
    "DaemonSet": {
        "currentNumberScheduled": 0,
        "numberMisscheduled": 0,
        "desiredNumberScheduled": 0,
        "numberReady": 0,
    },
    "VolumeAttachment": {"attached": False},
}


def initial_status(obj: Obj) -> Obj:
    """The status a new object starts with (each kind's `PrepareForCreate`)."""
    kind = obj["kind"]
    if kind in ZERO_STATUS:
        return dict(ZERO_STATUS[kind])
    if kind == "Pod":
        status: Obj = {"phase": "Pending", "qosClass": compute_pod_qos(obj)}
        gated = scheduling_gated_condition(obj)
        if gated is not None:
            status["conditions"] = [gated]
        return status
    if kind == "Namespace":
        return {"phase": "Active"}
    if kind == "PersistentVolume":  # the phase's time: now, the object's creation
        return {"phase": "Pending", "lastPhaseTransitionTime": obj["metadata"]["creationTimestamp"]}
    if kind == "PersistentVolumeClaim":
        return {"phase": "Pending"}
    if kind in ("Service", "Ingress"):
        return {"loadBalancer": {}}
    return {}


def prepare_for_create(info: ResourceInfo, obj: Obj) -> None:
    """Reset what clients may not set on create: status, generation."""
    meta = obj["metadata"]
    if info.kind in GENERATION_KINDS:
        meta["generation"] = 1
    if info.has_status and info.kind not in KEEP_STATUS_ON_CREATE:
        obj["status"] = initial_status(obj)
    if info.kind == "DaemonSet":
        prepare_daemonset_for_create(obj)


def prepare_for_update(info: ResourceInfo, new: Obj, old: Obj) -> None:
    """Keep status (it has its own subresource) and bump generation when the spec changed
    (for a Deployment upstream, its annotations too: they are copied to its ReplicaSets)."""
    if info.has_status:
        if "status" in old:
            new["status"] = old["status"]
        else:
            new.pop("status", None)
    if info.kind in GENERATION_KINDS:
        meta, old_meta = new["metadata"], old["metadata"]
        generation = old_meta.get("generation", 1)
        changed = new.get("spec") != old.get("spec")
        if info.kind in ANNOTATIONS_BUMP_GENERATION and not changed:
            changed = (meta.get("annotations") or {}) != (old_meta.get("annotations") or {})
        if changed:
            generation += 1
        meta["generation"] = generation
    if info.kind == "DaemonSet":
        prepare_daemonset_for_update(new, old)


def graceful_delete_seconds(obj: Obj, requested: int | None) -> int:
    """Seconds of grace for a delete: pods get `terminationGracePeriodSeconds`, unless they
    never reached a node or already finished (`pkg/registry/core/pod/strategy.go`)."""
    if obj["kind"] != "Pod":
        return 0
    spec, status = obj.get("spec", {}), obj.get("status", {})
    if not spec.get("nodeName") or status.get("phase") in ("Succeeded", "Failed"):
        return 0
    if requested is not None:
        return max(requested, 0)
    return int(spec.get("terminationGracePeriodSeconds", 30))


@on_create("Namespace")
def _namespace_finalizer(obj: Obj, server: Any) -> None:
    """A new namespace carries the `kubernetes` finalizer the namespace controller removes."""
    from minik8s.api.defaults.core import namespace_prepare_for_create

    namespace_prepare_for_create(obj)
