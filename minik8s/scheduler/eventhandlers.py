"""The scheduler's informer event handlers, mirroring `pkg/scheduler/eventhandlers.go`.

Assigned, non-terminal pods feed the cache; pending pods of this scheduler feed the queue;
every change that may make a parked pod schedulable is turned into a `ClusterEvent` (with the
node fields that changed, as upstream's `nodeSchedulingPropertiesChange`) and moves the pods
whose rejecting plugins registered for it, among those upstream v1.31's pre-checks let through
(`precheck.py`: a node the pod could run on, an assigned pod its cross-topology terms match).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from minik8s.client.cache import DeletedFinalStateUnknown
from minik8s.scheduler.framework import NODE, POD, ActionType, ClusterEvent
from minik8s.scheduler.precheck import (
    PreEnqueueCheck,
    pods_with_cross_topology_term,
    pre_check_for_node,
)
from minik8s.scheduler.types import PodInfo

if TYPE_CHECKING:
    from minik8s.client.informer import SharedInformerFactory
    from minik8s.scheduler.cache import Cache
    from minik8s.scheduler.profile import Profile
    from minik8s.scheduler.queue import PriorityQueue
    from minik8s.scheduler.runtime import Framework

Obj = dict[str, Any]


def assigned(pod: Obj) -> bool:
    """Whether the pod is bound to a node (`spec.nodeName` set)."""
    return bool((pod.get("spec") or {}).get("nodeName"))


# the objects whose selectors PodTopologySpread's system defaults read (`DefaultSelector`)
SELECTOR_RESOURCES = ("services", "replicasets", "statefulsets", "replicationcontrollers")
VOLUME_RESOURCES = (
    ("persistentvolumeclaims", "PersistentVolumeClaim"),
    ("persistentvolumes", "PersistentVolume"),
    ("storageclasses", "StorageClass"),
)


def _terminal(pod: Obj) -> bool:
    return (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")


def _key(obj: Obj) -> str:
    meta = obj["metadata"]
    return f"{meta.get('namespace') or ''}/{meta['name']}"


class EventHandlers:
    """Mixin for `Scheduler`: the callbacks it registers on the pod and node informers."""

    cache: Cache
    framework: Framework
    queue: PriorityQueue
    informers: SharedInformerFactory
    profile: Profile

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"

    def _trace(self, text: str) -> None:
        raise NotImplementedError

    def _add_event_handlers(self) -> None:
        pods = self.informers.informer_for("pods")
        pods.add_event_handler(self._on_pod_add, self._on_pod_update, self._on_pod_delete)
        nodes = self.informers.informer_for("nodes")
        nodes.add_event_handler(self._on_node_add, self._on_node_update, self._on_node_delete)
        for resource, kind in VOLUME_RESOURCES:
            self._watch_for_moves(resource, kind)
        self.framework.selectors_version = 0
        for resource in SELECTOR_RESOURCES:
            if resource in self.framework.listers:
                self.informers.informer_for(resource).add_event_handler(
                    self._selectors_changed, self._on_selector_owner_update, self._selectors_changed
                )

    def _selectors_changed(self, _obj: Any = None) -> None:
        """A Service or controller came or went: selectors derived from them are stale."""
        self.framework.selectors_version = (self.framework.selectors_version or 0) + 1

    def _on_selector_owner_update(self, old: Obj, new: Obj) -> None:
        if (old.get("spec") or {}).get("selector") != (new.get("spec") or {}).get("selector"):
            self._selectors_changed()

    def _watch_for_moves(self, resource: str, kind: str) -> None:
        """Storage objects only matter to parked pods: a change may make one schedulable."""
        self.informers.informer_for(resource).add_event_handler(
            on_add=lambda _obj: self._move(kind, ActionType.Add),
            on_update=lambda _old, _new: self._move(kind, ActionType.Update),
        )

    def _responsible_for(self, pod: Obj) -> bool:
        name = (pod.get("spec") or {}).get("schedulerName") or "default-scheduler"
        return name == self.profile.scheduler_name

    def _move(
        self, resource: str, action: ActionType, pre_check: PreEnqueueCheck | None = None
    ) -> None:
        if self.queue.unschedulable:
            self.queue.move_all_to_active_or_backoff(ClusterEvent(resource, action), pre_check)
        else:
            self.queue.move_request_cycle = self.queue.scheduling_cycle

    def _assigned_pod_event(self, pod: Obj, action: ActionType) -> None:
        """upstream `AssignedPodAdded` / `AssignedPodUpdated`: unless the pod scaled down, only
        parked pods with a cross-topology term it may satisfy are candidates."""
        if not self.queue.unschedulable or action & ActionType.UpdatePodScaleDown:
            self._move(POD, action)
            return
        info = self.cache.pod_info(_key(pod)) or PodInfo(pod)
        ns_labels = self.framework.namespace_labels(info.namespace)
        parked = pods_with_cross_topology_term(self.queue.unschedulable.values(), info, ns_labels)
        self.queue.move_pods_to_active_or_backoff(parked, ClusterEvent(POD, action))

    def _on_pod_add(self, pod: Obj) -> None:
        if assigned(pod):
            if not _terminal(pod):
                self.cache.add_pod(pod)
                self._assigned_pod_event(pod, ActionType.Add)
        elif self._responsible_for(pod) and not _terminal(pod):
            self._trace(f"enqueue {_key(pod)}")
            self.queue.add(pod)

    def _on_pod_update(self, old: Obj, new: Obj) -> None:
        if assigned(new):
            if _terminal(new):
                self.cache.remove_pod(new)
                self._move(POD, ActionType.Delete)
                return
            if not assigned(old):
                self.queue.delete(old)
            self.cache.update_pod(old, new)
            action = _pod_update_action(old, new) if assigned(old) else ActionType.Add
            self._assigned_pod_event(new, action)
        elif self._responsible_for(new) and not _terminal(new):
            self.queue.update(old, new)

    def _on_pod_delete(self, pod: Any) -> None:
        if isinstance(pod, DeletedFinalStateUnknown):
            pod = pod.obj
        if assigned(pod):
            self.cache.remove_pod(pod)
            self._move(POD, ActionType.Delete)
        else:
            self.queue.delete(pod)

    def _on_node_add(self, node: Obj) -> None:
        info = self.cache.add_node(node)
        self._move(NODE, ActionType.Add, pre_check_for_node(info))

    def _on_node_update(self, old: Obj, new: Obj) -> None:
        info = self.cache.update_node(old, new)
        action = _node_update_action(old, new)
        if action:
            self._move(NODE, action, pre_check_for_node(info))

    def _on_node_delete(self, node: Any) -> None:
        if isinstance(node, DeletedFinalStateUnknown):
            node = node.obj
        self.cache.remove_node(node)
        self._move(NODE, ActionType.Delete)


def _labels_changed(old: Obj, new: Obj) -> bool:
    return (old["metadata"].get("labels") or {}) != (new["metadata"].get("labels") or {})


def _pod_update_action(old: Obj, new: Obj) -> ActionType:
    """upstream `extractPodLabelsChange` / scale-down detection, coarsely."""
    action = ActionType(0)
    if _labels_changed(old, new):
        action |= ActionType.UpdatePodLabel
    old_c, new_c = old["spec"].get("containers"), new["spec"].get("containers")
    if old_c != new_c:
        action |= ActionType.UpdatePodScaleDown
    return action or ActionType.UpdatePodOther


def _conditions(node: Obj) -> list[tuple[Any, Any]]:
    conditions = (node.get("status") or {}).get("conditions") or []
    return [(c.get("type"), c.get("status")) for c in conditions]


def _node_update_action(old: Obj, new: Obj) -> ActionType:
    """upstream `nodeSchedulingPropertiesChange`: which scheduling-relevant fields changed."""
    action = ActionType(0)
    get: Callable[[Obj, str], Any] = lambda n, k: (n.get("status") or {}).get(k)  # noqa: E731
    if get(old, "allocatable") != get(new, "allocatable"):
        action |= ActionType.UpdateNodeAllocatable
    if _labels_changed(old, new):
        action |= ActionType.UpdateNodeLabel
    old_spec, new_spec = old.get("spec") or {}, new.get("spec") or {}
    if old_spec.get("taints") != new_spec.get("taints") or bool(
        old_spec.get("unschedulable")
    ) != bool(new_spec.get("unschedulable")):
        action |= ActionType.UpdateNodeTaint
    if _conditions(old) != _conditions(new):
        action |= ActionType.UpdateNodeCondition
    if old["metadata"].get("annotations") != new["metadata"].get("annotations"):
        action |= ActionType.UpdateNodeAnnotation
    return action
