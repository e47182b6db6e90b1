"""The pod garbage collector, mirroring `pkg/controller/podgc/gc_controller.go`.

Every 20 s (`gcCheckPeriod`) it force-deletes pods nobody else will clean up:

- orphaned pods, bound to a node that no longer exists (after a 40 s quarantine, in case the
  node object is only being re-created): marked Failed with the `DisruptionTarget` condition
  (reason `DeletionByPodGC`), then deleted with grace 0, since no kubelet will ever confirm;
- terminating pods that were never scheduled;
- terminating pods on a node that is not Ready and carries the `node.kubernetes.io/out-of-service`
  taint (non-graceful node shutdown).

Left out: deleting the oldest terminated pods above `--terminated-pod-gc-threshold` (12,500).
"""

from __future__ import annotations

from typing import Any

from minik8s.api.errors import Conflict, NotFound
from minik8s.controllers.base import Controller

Obj = dict[str, Any]
GC_CHECK_PERIOD = 20.0
QUARANTINE = 40.0
OUT_OF_SERVICE = "node.kubernetes.io/out-of-service"


def _ready(node: Obj) -> bool:
    conditions = node.get("status", {}).get("conditions") or []
    return any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions)


class PodGCController(Controller):
    name = "pod-garbage-collector"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.pods = self.informers.informer_for("pods")
        self.nodes = self.informers.informer_for("nodes")
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
        nodes = {n["metadata"]["name"]: n for n in self.nodes.lister().list()}
        deleted = []
        for pod in self.pods.lister().list():
            why = self._why(pod, nodes)
            if why and self._force_delete(pod, why):
                deleted.append(f"{pod['metadata']['namespace']}/{pod['metadata']['name']}")
        for name in [n for n in self.missing_since if n in nodes]:
            del self.missing_since[name]
        return deleted

    def _why(self, pod: Obj, nodes: dict[str, Obj]) -> str | None:
        node_name = pod.get("spec", {}).get("nodeName")
        terminating = bool(pod["metadata"].get("deletionTimestamp"))
        if not node_name:
            return "unscheduled terminating" if terminating else None
        node = nodes.get(node_name)
        if node is None:
            first = self.missing_since.setdefault(node_name, self.loop.now)
            return "PodGC: node no longer exists" if self.loop.now - first >= QUARANTINE else None
        if not terminating:  # the common case: a live pod on a live node
            return None
        taints = [t.get("key") for t in node.get("spec", {}).get("taints") or []]
        if not _ready(node) and OUT_OF_SERVICE in taints:
            return "PodGC: node is out of service"
        return None

    def _force_delete(self, pod: Obj, why: str) -> bool:
        meta = pod["metadata"]
        name, namespace = meta["name"], meta["namespace"]
        if self.tracer is not None:
            self.tracer.emit(self.name, f"delete {namespace}/{name}: {why}")
        try:
            if pod.get("status", {}).get("phase") not in ("Succeeded", "Failed") and "PodGC" in why:
                status = {"phase": "Failed", "conditions": self._conditions(pod, why)}
                self.client.patch("pods", name, {"status": status}, namespace, subresource="status")
            options = {"uid": meta["uid"]}
            self.client.delete(
                "pods", name, namespace, grace_period_seconds=0, preconditions=options
            )
        except (NotFound, Conflict):
            return False
        return True

    def _conditions(self, pod: Obj, why: str) -> list[Obj]:
        kept = [
            c
            for c in pod.get("status", {}).get("conditions") or []
            if c.get("type") != "DisruptionTarget"
        ]
        target = {
            "type": "DisruptionTarget",
            "status": "True",
            "reason": "DeletionByPodGC",
            "message": why,
            "lastTransitionTime": self.loop.timestamp(),
        }
        return [*kept, target]
