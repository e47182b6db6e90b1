"""Per-ReplicaSet counts of its pods, kept current by pod events (no upstream counterpart).

Upstream's `syncReplicaSet` lists and claims every pod of the ReplicaSet and `calculateStatus`
counts them on every sync, and a sync follows nearly every pod event: at 300 pods per
ReplicaSet that is quadratic. `OwnedPodCounts` keeps, per ReplicaSet uid, what those loops would
find among the pods whose controller reference names it (the informer's controller-uid index):
how many are active and selected, fully labelled and Ready, and how many are active but not
selected (they would be released). A sync reads the counts when nothing else needs the pods
themselves: no orphans to adopt, nothing to release or delete, no `minReadySeconds` clock.
Otherwise it lists them as upstream does. The counts are built from the index the first time a
ReplicaSet asks, and again when its selector or template labels change.
"""

from __future__ import annotations

from typing import Any

from minik8s.client.cache import (
    CONTROLLER_UID_INDEX,
    DeletedFinalStateUnknown,
    Indexer,
    controller_of,
    meta_namespace_key,
)
from minik8s.controllers.replicaset_utils import is_pod_active, ready_condition_of, selector_matcher

Obj = dict[str, Any]
Facts = tuple[bool, bool, bool, bool]  # active, selected, fully labelled, Ready


class PodCounts:
    """Counts over one ReplicaSet's owned pods, for one selector and set of template labels."""

    def __init__(self, selector: Obj | None, template_labels: dict[str, str]):
        self.selector = selector
        self.template_labels = template_labels
        self._matches = selector_matcher(selector)[1]
        self._wanted = dict(template_labels).items()
        self.facts: dict[str, Facts] = {}
        self.selected = self.labeled = self.ready = self.unselected = 0

    def __repr__(self) -> str:
        return (
            f"<PodCounts selected={self.selected} labeled={self.labeled} ready={self.ready} "
            f"unselected={self.unselected}>"
        )

    def fits(self, rs: Obj) -> bool:
        """Whether these counts were made for `rs`'s selector and template labels."""
        return self.selector == rs["spec"].get("selector") and self.template_labels == (
            template_labels(rs)
        )

    def put(self, key: str, pod: Obj | None) -> None:
        """Count `pod` under `key` instead of what was counted there (None: forget it)."""
        old = self.facts.pop(key, None)
        if old is not None:
            self._add(old, -1)
        if pod is not None:
            new = self.facts[key] = self._facts(pod)
            self._add(new, 1)

    def _facts(self, pod: Obj) -> Facts:
        labels = pod["metadata"].get("labels") or {}
        ready = ready_condition_of(pod)
        return (
            is_pod_active(pod),
            self._matches(labels),
            self._wanted <= labels.items(),
            ready is not None and ready.get("status") == "True",
        )

    def _add(self, facts: Facts, sign: int) -> None:
        active, selected, labeled, ready = facts
        if not active:
            return
        if not selected:
            self.unselected += sign
            return
        self.selected += sign
        self.labeled += sign * labeled
        self.ready += sign * ready


def template_labels(rs: Obj) -> dict[str, str]:
    """The labels of the ReplicaSet's pod template."""
    return dict((rs["spec"].get("template", {}).get("metadata") or {}).get("labels") or {})


class OwnedPodCounts:
    """`PodCounts` per ReplicaSet uid, fed by the pods informer's event handlers."""

    def __init__(self, pods: Indexer):
        self.pods = pods
        self.by_owner: dict[str, PodCounts] = {}

    def __repr__(self) -> str:
        return f"<OwnedPodCounts {len(self.by_owner)} owners>"

    def of(self, rs: Obj) -> PodCounts:
        """The counts for `rs`, (re)built from the controller-uid index when missing or stale."""
        uid = rs["metadata"]["uid"]
        counts = self.by_owner.get(uid)
        if counts is None or not counts.fits(rs):
            counts = self.by_owner[uid] = PodCounts(rs["spec"].get("selector"), template_labels(rs))
            for pod in self.pods.by_index(CONTROLLER_UID_INDEX, uid):
                counts.put(meta_namespace_key(pod), pod)
        return counts

    def forget(self, rs: Obj | DeletedFinalStateUnknown) -> None:
        """Drop a deleted ReplicaSet's counts."""
        obj = rs.obj if isinstance(rs, DeletedFinalStateUnknown) else rs
        self.by_owner.pop((obj.get("metadata") or {}).get("uid", ""), None)

    def on_add(self, pod: Obj) -> None:
        """A pod appeared in the cache."""
        self._put(pod, pod)

    def on_update(self, old: Obj, new: Obj) -> None:
        """A pod changed (possibly its controller reference)."""
        if _owner(old) != _owner(new):
            self._put(old, None)
        self._put(new, new)

    def on_delete(self, pod: Obj | DeletedFinalStateUnknown) -> None:
        """A pod left the cache."""
        obj = pod.obj if isinstance(pod, DeletedFinalStateUnknown) else pod
        self._put(obj, None)

    def _put(self, pod: Obj, value: Obj | None) -> None:
        counts = self.by_owner.get(_owner(pod))
        if counts is not None:
            counts.put(meta_namespace_key(pod), value)


def _owner(pod: Obj) -> str:
    ref = controller_of(pod)
    return str(ref.get("uid", "")) if ref is not None else ""
