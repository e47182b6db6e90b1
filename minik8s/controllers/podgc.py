"""The pod garbage collector, mirroring `pkg/controller/podgc/gc_controller.go`.

Every 20 s (`gcCheckPeriod`) it force-deletes (grace 0) pods nobody else will clean up, in
upstream's order:

- `gcTerminated`: terminated pods (phase neither Pending, Running nor Unknown) above
  `--terminated-pod-gc-threshold` (12,500; 0 turns it off), evicted ones first, then the oldest;
- `gcTerminating`: terminating pods on a node that is not Ready and carries the
  `node.kubernetes.io/out-of-service` taint (non-graceful node shutdown);
- `gcOrphaned`: pods bound to a node that no longer exists, after a 40 s quarantine (in case
  the Node is only being re-created), with the `DisruptionTarget` condition (`DeletionByPodGC`,
  `PodGC: node no longer exists`);
- `gcUnscheduledTerminating`: terminating pods that were never scheduled.

A pod not yet Succeeded or Failed is first patched to phase Failed (upstream
`markFailedAndDeletePodWithCondition`), since no kubelet will ever report its end.
Upstream lists every pod each pass; here the pods' informer indexes the terminated and the
terminating pods and the pods by node, so a pass over 150,000 running pods looks at none of
them (the same pods are deleted; within each step, in key order).
Left out: metrics; the quarantine is a map of first-missing times instead of a delaying queue.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.errors import Conflict, NotFound
from minik8s.client.cache import (
    NODE_NAME_INDEX,
    Indexer,
    ensure_index,
    meta_namespace_key,
    node_name_index,
)
from minik8s.controllers.base import Controller

Obj = dict[str, Any]
GC_CHECK_PERIOD = 20.0
QUARANTINE = 40.0
TERMINATED_POD_GC_THRESHOLD = 12500  # kube-controller-manager --terminated-pod-gc-threshold
OUT_OF_SERVICE = "node.kubernetes.io/out-of-service"
ORPHANED_CONDITION = {
    "type": "DisruptionTarget",
    "status": "True",
    "reason": "DeletionByPodGC",
    "message": "PodGC: node no longer exists",
}


def _ready(node: Obj) -> bool:
    conditions = node.get("status", {}).get("conditions") or []
    return any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions)


def is_pod_terminated(pod: Obj) -> bool:
    """upstream `isPodTerminated`: any phase but Pending, Running and Unknown."""
    return (pod.get("status") or {}).get("phase") not in ("Pending", "Running", "Unknown")


def eviction_and_creation_order(pod: Obj) -> tuple[bool, str, str]:
    """upstream `byEvictionAndCreationTimestamp`: evicted pods first, then oldest, then name."""
    status = pod.get("status") or {}
    evicted = status.get("phase") == "Failed" and status.get("reason") == "Evicted"
    meta = pod["metadata"]
    return (not evicted, meta.get("creationTimestamp") or "", meta["name"])


TERMINATED_INDEX = "podgc.terminated"  # terminated pods, under ""
TERMINATING_INDEX = "podgc.terminating"  # pods with a deletionTimestamp, under ""


def terminated_index(pod: Obj) -> list[str]:
    return [""] if is_pod_terminated(pod) else []


def terminating_index(pod: Obj) -> list[str]:
    return [""] if pod["metadata"].get("deletionTimestamp") else []


def _by_key(pods: list[Obj]) -> list[Obj]:
    return sorted(pods, key=meta_namespace_key)


class PodGCController(Controller):
    """Force-deletes terminated, orphaned and stuck terminating pods."""

    name = "pod-garbage-collector"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.pods = self.informers.informer_for("pods")
        self.nodes = self.informers.informer_for("nodes")
        ensure_index(self.pods.indexer, NODE_NAME_INDEX, node_name_index)
        ensure_index(self.pods.indexer, TERMINATED_INDEX, terminated_index)
        ensure_index(self.pods.indexer, TERMINATING_INDEX, terminating_index)
        self.terminated_pod_threshold = TERMINATED_POD_GC_THRESHOLD
        self.missing_since: dict[str, float] = {}  # node name → first seen missing

    def start(self) -> None:
        self.loop.call_later(GC_CHECK_PERIOD, self._tick, background=True, label="podgc")

    def _tick(self) -> None:
        self.gc()
        self.loop.call_later(GC_CHECK_PERIOD, self._tick, background=True, label="podgc")

    def reconcile(self, key: str) -> float | None:
        return None  # periodic, like upstream: no work queue

    def gc(self) -> list[str]:
        """One pass; returns the keys of the pods it deleted."""
        nodes = self.nodes.indexer
        terminating = _by_key(self.pods.indexer.by_index(TERMINATING_INDEX, ""))
        plan: list[tuple[Obj, str, Obj | None]] = []
        if self.terminated_pod_threshold > 0:
            plan += [(p, "terminated", None) for p in self._terminated()]
        plan += [
            (p, "terminating on out-of-service node", None) for p in terminating if _oos(p, nodes)
        ]
        plan += [(p, "orphaned", ORPHANED_CONDITION) for p in self._orphaned()]
        plan += [(p, "unscheduled terminating", None) for p in terminating if _unscheduled(p)]
        deleted = []
        for pod, why, condition in plan:
            key = f"{pod['metadata']['namespace']}/{pod['metadata']['name']}"
            if key not in deleted and self.mark_failed_and_delete_pod(pod, why, condition):
                deleted.append(key)
        return deleted

    def _terminated(self) -> list[Obj]:
        """upstream `gcTerminated`: the terminated pods above the threshold, first ones first."""
        indexer = self.pods.indexer
        count = len(indexer.index_keys(TERMINATED_INDEX, "")) - self.terminated_pod_threshold
        if count <= 0:
            return []
        terminated = _by_key(indexer.by_index(TERMINATED_INDEX, ""))
        return sorted(terminated, key=eviction_and_creation_order)[:count]

    def _orphaned(self) -> list[Obj]:
        """upstream `gcOrphaned`: pods on nodes still missing after the quarantine."""
        now, gone, nodes, pods = self.loop.now, [], self.nodes.indexer, self.pods.indexer
        for name in [n for n in self.missing_since if nodes.get_by_key(n) is not None]:
            del self.missing_since[name]
        for node_name in sorted(pods.list_index_func_values(NODE_NAME_INDEX)):
            if nodes.get_by_key(node_name) is None:
                first = self.missing_since.setdefault(node_name, now)
                if now - first >= QUARANTINE:
                    gone.append(node_name)
        return _by_key([p for name in gone for p in pods.by_index(NODE_NAME_INDEX, name)])

    def mark_failed_and_delete_pod(self, pod: Obj, why: str, condition: Obj | None = None) -> bool:
        """upstream `markFailedAndDeletePodWithCondition`: phase Failed (and the condition) if
        the pod has not ended, then DELETE with grace period 0."""
        meta = pod["metadata"]
        name, namespace = meta["name"], meta["namespace"]
        if self.tracer is not None:
            self.tracer.emit(self.name, f"delete {namespace}/{name}: {why}")
        try:
            if (pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed"):
                status: Obj = {"phase": "Failed"}
                if condition is not None:
                    status["conditions"] = self._conditions(pod, condition)
                self.client.patch("pods", name, {"status": status}, namespace, subresource="status")
            options = {"uid": meta["uid"]}
            self.client.delete(
                "pods", name, namespace, grace_period_seconds=0, preconditions=options
            )
        except (NotFound, Conflict):
            return False
        return True

    def _conditions(self, pod: Obj, condition: Obj) -> list[Obj]:
        kept = [
            c
            for c in (pod.get("status") or {}).get("conditions") or []
            if c.get("type") != condition["type"]
        ]
        return [*kept, {**condition, "lastTransitionTime": self.loop.timestamp()}]


def _oos(pod: Obj, nodes: Indexer) -> bool:
    """upstream `gcTerminating`'s test, for a terminating pod: on a not-Ready out-of-service
    node."""
    node = nodes.get_by_key((pod.get("spec") or {}).get("nodeName") or "")
    if node is None:
        return False
    taints = [t.get("key") for t in (node.get("spec") or {}).get("taints") or []]
    return not _ready(node) and OUT_OF_SERVICE in taints


def _unscheduled(pod: Obj) -> bool:
    """`gcUnscheduledTerminating`'s test, for a terminating pod: never scheduled."""
    return not (pod.get("spec") or {}).get("nodeName")
