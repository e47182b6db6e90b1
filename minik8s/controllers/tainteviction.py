"""The taint eviction controller, mirroring `pkg/controller/tainteviction/taint_eviction.go` and
`timed_workers.go` (upstream's NoExecuteTaintManager, split out of the node lifecycle controller).

When a Node's NoExecute taints change, every pod on it is decided again: a pod that does not
tolerate one of them is deleted at once; a pod whose matching tolerations all have
`tolerationSeconds` is deleted when the smallest runs out (counted from when the taint was
first seen); a pod that tolerates them forever stays. A scheduled deletion is cancelled with an
event when the taints go away. A deleted pod first gets the `DisruptionTarget` condition.
Scheduled deletions are background timers, like heartbeats: `run(seconds)` reaches them,
`settle()` does not wait for them. Left out: the worker sharding by node name, metrics.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from minik8s.api.errors import Conflict, NotFound
from minik8s.api.taints import NO_EXECUTE, tolerates_taint
from minik8s.client.cache import NODE_NAME_INDEX, ensure_index, meta_namespace_key, node_name_index
from minik8s.controllers.base import Controller
from minik8s.controllers.nodeutil import RETRIES, get_condition

Obj = dict[str, Any]


def get_matching_tolerations(taints: list[Obj], tolerations: list[Obj]) -> tuple[bool, list[Obj]]:
    """upstream `GetMatchingTolerations`: all taints tolerated?, and the tolerations used."""
    used = []
    for taint in taints:
        match = next((t for t in tolerations if tolerates_taint(t, taint)), None)
        if match is None:
            return False, []
        used.append(match)
    return True, used


def get_min_toleration_time(tolerations: list[Obj]) -> float:
    """upstream `getMinTolerationTime`: seconds until eviction; -1 means never."""
    if not tolerations:
        return 0.0
    seconds = [
        t["tolerationSeconds"] for t in tolerations if t.get("tolerationSeconds") is not None
    ]
    if any(s <= 0 for s in seconds):
        return 0.0
    return float(min(seconds)) if seconds else -1.0


@dataclass
class TimedWorker:
    """One scheduled pod deletion (upstream `TimedWorker`)."""

    created_at: float
    fire_at: float
    timer: Any


class TaintEvictionController(Controller):
    """Deletes pods from nodes with NoExecute taints they do not tolerate (for long enough)."""

    name = "taint-eviction-controller"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.tainted_nodes: dict[str, list[Obj]] = {}
        self.workers: dict[str, TimedWorker | None] = {}
        pods = self.informers.informer_for("pods")
        ensure_index(pods.indexer, NODE_NAME_INDEX, node_name_index)
        self.pods = pods.indexer  # upstream's podLister (by key) and pods-by-node index
        self.nodes = self.informers.lister_for("nodes")
        self.informers.informer_for("nodes").add_event_handler(
            on_add=lambda n: self.enqueue("node:" + n["metadata"]["name"]),
            on_update=self._node_updated,
            on_delete=lambda n: self.enqueue("node:" + _name_of(n)),
        )
        pods.add_event_handler(
            on_add=lambda p: self.enqueue("pod:" + meta_namespace_key(p)),
            on_update=self._pod_updated,
            on_delete=lambda p: self.enqueue("pod:" + meta_namespace_key(p)),
        )

    def _node_updated(self, old: Obj, new: Obj) -> None:
        """upstream `NodeUpdated`: only a change of NoExecute taints matters."""
        if _no_execute(old) != _no_execute(new):
            self.enqueue("node:" + new["metadata"]["name"])

    def _pod_updated(self, old: Obj, new: Obj) -> None:
        """upstream `PodUpdated`: only a change of node or tolerations matters."""
        o, n = old.get("spec") or {}, new.get("spec") or {}
        if o.get("nodeName") != n.get("nodeName") or o.get("tolerations") != n.get("tolerations"):
            self.enqueue("pod:" + meta_namespace_key(new))

    def reconcile(self, key: str) -> float | None:
        kind, _, name = key.partition(":")
        if kind == "node":
            self.handle_node_update(name)
        else:
            self.handle_pod_update(name)
        return None

    def handle_node_update(self, name: str) -> None:
        """upstream `handleNodeUpdate`: re-decide every pod on the node."""
        try:
            node = self.nodes.get(None, name)
        except NotFound:
            self.tainted_nodes.pop(name, None)
            return
        taints = _no_execute(node)
        if taints:
            self.tainted_nodes[name] = taints
        else:
            self.tainted_nodes.pop(name, None)
        for pod in self.pods.by_index(NODE_NAME_INDEX, name):
            if not taints:
                self.cancel_work_with_event(meta_namespace_key(pod))
            else:
                self.process_pod_on_node(
                    meta_namespace_key(pod), pod["spec"].get("tolerations") or [], taints
                )

    def handle_pod_update(self, key: str) -> None:
        """upstream `handlePodUpdate`: O(1), a cache lookup and the node's taints as the node
        events left them in `tainted_nodes`; no scan, no copy."""
        pod = self.pods.get_by_key(key)
        if pod is None:  # deleted
            self.cancel_work_with_event(key)
            return
        spec = pod.get("spec") or {}
        taints = self.tainted_nodes.get(spec.get("nodeName") or "")
        if taints:
            self.process_pod_on_node(key, spec.get("tolerations") or [], taints)

    def process_pod_on_node(self, key: str, tolerations: list[Obj], taints: list[Obj]) -> None:
        """upstream `processPodOnNode`: delete now, at the smallest tolerationSeconds, or never."""
        now = self.loop.now
        tolerated, used = get_matching_tolerations(taints, tolerations)
        if not tolerated:
            self.cancel_work_with_event(key)
            self.add_work(key, now, now)
            return
        seconds = get_min_toleration_time(used)
        if seconds < 0:
            self.cancel_work_with_event(key)
            return
        start = now
        scheduled = self.workers.get(key)
        if scheduled is not None:
            start = scheduled.created_at
            if start + seconds < now + seconds:
                return
            self.cancel_work_with_event(key)
        self.add_work(key, start, start + seconds)

    def add_work(self, key: str, created_at: float, fire_at: float) -> None:
        """upstream `TimedWorkerQueue.AddWork`: existing work is kept."""
        if key in self.workers:
            return
        if fire_at <= self.loop.now:
            self.workers[key] = None  # running: no longer cancellable
            self.loop.call_soon(self._fire, key, label=f"evict {key}")
            return
        timer = self.loop.call_at(fire_at, self._fire, key, label=f"evict {key}", background=True)
        self.workers[key] = TimedWorker(created_at, fire_at, timer)
        if self.tracer is not None:
            self.tracer.emit(self.name, f"evict {key} at t={fire_at:g}")

    def cancel_work_with_event(self, key: str) -> None:
        """Cancel a scheduled deletion; a pending one is reported with an event."""
        if key not in self.workers:
            return
        worker = self.workers.pop(key)
        if worker is not None:
            worker.timer.cancel()
            self._pod_event(key, f"Cancelling deletion of Pod {key}")

    def _fire(self, key: str) -> None:
        """upstream `deletePodHandler`: event, DisruptionTarget condition, DELETE."""
        self._pod_event(key, f"Marking for deletion Pod {key}")
        namespace, _, name = key.partition("/")
        for _ in range(RETRIES):
            try:
                self._add_condition_and_delete_pod(namespace, name)
                break
            except NotFound:
                break
            except Conflict:
                continue
        self.workers.pop(key, None)
        if self.tracer is not None:
            self.tracer.emit(self.name, f"deleted pod {key} (NoExecute taint)")

    def _add_condition_and_delete_pod(self, namespace: str, name: str) -> None:
        pod = copy.deepcopy(self.client.get("pods", name, namespace))
        conditions = pod.setdefault("status", {}).setdefault("conditions", [])
        target = {
            "type": "DisruptionTarget",
            "status": "True",
            "reason": "DeletionByTaintManager",
            "message": "Taint manager: deleting due to NoExecute taint",
        }
        current = get_condition(conditions, "DisruptionTarget")
        if current is None or any(current.get(k) != v for k, v in target.items()):
            conditions[:] = [c for c in conditions if c.get("type") != "DisruptionTarget"]
            conditions.append({**target, "lastTransitionTime": self.loop.timestamp()})
            self.client.update_status("pods", pod, namespace)
        self.client.delete("pods", name, namespace)

    def _pod_event(self, key: str, message: str) -> None:
        namespace, _, name = key.partition("/")
        ref = {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": name, "namespace": namespace},
        }
        self.recorder.event(ref, "Normal", "TaintManagerEviction", message)


def _no_execute(node: Obj) -> list[Obj]:
    return [
        t for t in (node.get("spec") or {}).get("taints") or [] if t.get("effect") == NO_EXECUTE
    ]


def _name_of(obj: Any) -> str:
    return str((getattr(obj, "obj", None) or obj)["metadata"]["name"])
