"""Per-DaemonSet bookkeeping that lets a sync look only at the nodes that need it; no upstream
counterpart (upstream's `syncDaemonSet` walks every node, in `manage`, `rollingUpdate` and
`updateDaemonSetStatus` alike).

Every node falls in one of four classes, kept up to date from node events (`node_changed`) and
from the set's claimed pods (compared by identity: informer objects are replaced, never changed):
- inert: should not run the pod and has no daemon pod; it adds nothing to any decision or count;
- clean: should run the pod and has exactly one, at the current revision, not terminal, not
  terminating, and available; it counts as desired, current, ready, updated and available (and
  available in the surge path) and needs nothing;
- unready: the same but the pod is not Ready; it counts as desired, current and updated, and
  unavailable in the maxUnavailable path, and needs nothing (nothing else of a rolling update
  depends on where in the node order it comes);
- dirty: everything else, including names of vanished nodes that still have daemon pods.
A clean pod stays available and an unready pod stays unready as time passes, so such a node turns
dirty only through a change of its node or its pods. The sync hands `plan` and
`daemon_set_status` the dirty nodes plus the two counts, which gives exactly the decisions and
counts of a walk over every node.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from minik8s.controllers.daemonset_util import (
    DaemonPodPredicates,
    get_target_node_name,
    is_pod_updated,
)
from minik8s.controllers.statefulset_util import is_pod_available, is_pod_ready, phase

Obj = dict[str, Any]
Version = tuple[Any, ...]  # (uid, generation, hash, template generation, minReadySeconds)


class NodeView(NamedTuple):
    """What a sync looks at: the dirty nodes, and how many nodes are clean and unready."""

    nodes: list[Obj]  # by name
    eligible: dict[str, tuple[bool, bool]]
    node_pods: dict[str, list[Obj]]
    clean: int
    unready: int


class DaemonSetState:
    """One DaemonSet's nodes, verdicts and daemon pods by node, and its dirty and clean nodes."""

    def __init__(self, version: Version, ds: Obj, hash_: str, generation: int | None):
        self.version = version
        self.should_run = DaemonPodPredicates(ds)
        self.hash, self.generation = hash_, generation
        self.min_ready = int(ds["spec"].get("minReadySeconds") or 0)
        self.nodes: dict[str, Obj] = {}  # node name → node object
        self.verdicts: dict[str, tuple[bool, bool]] = {}  # (should run, should continue running)
        self.pods: dict[str, tuple[Obj, str | None]] = {}  # pod uid → (pod, target node)
        self.by_node: dict[str, dict[str, Obj]] = {}  # target node → pod uid → pod
        self.node_pods: dict[str, list[Obj]] = {}  # as `nodes_to_daemon_pods` gives
        self.dirty: set[str] = set()
        self.clean: set[str] = set()
        self.unready: set[str] = set()
        self.stale_nodes: set[str] | None = None  # None: list every node at the next refresh

    def __repr__(self) -> str:
        return (
            f"<DaemonSetState generation={self.version[1]} nodes={len(self.nodes)} "
            f"dirty={len(self.dirty)} clean={len(self.clean)} unready={len(self.unready)}>"
        )

    def node_changed(self, name: str) -> None:
        """A node was added, deleted, or changed its labels, taints or conditions."""
        if self.stale_nodes is not None:
            self.stale_nodes.add(name)

    def refresh(
        self, list_nodes: Callable[[], list[Obj]], get_node: Callable[[str], Obj | None],
        pods: list[Obj], now: float,
    ) -> None:  # fmt: skip
        """Take in the node changes since the last sync and the claimed `pods`; reclassify."""
        touched: set[str] = set(self.dirty)
        if self.stale_nodes is None:
            nodes = {n["metadata"]["name"]: n for n in list_nodes()}
            touched.update(self.nodes, nodes)
            self.nodes = nodes
            self.verdicts = {}
        else:
            for name in self.stale_nodes:
                node = get_node(name)
                if node is None:
                    self.nodes.pop(name, None)
                else:
                    self.nodes[name] = node
                self.verdicts.pop(name, None)
                touched.add(name)
        self.stale_nodes = set()
        self._take_pods(pods, touched)
        for name in touched:
            self._classify(name, now)

    def _take_pods(self, pods: list[Obj], touched: set[str]) -> None:
        """Compare the claimed pods with the last sync's by identity; touch their nodes."""
        seen, current = self.pods, {}
        kept = 0
        for pod in pods:
            uid = pod["metadata"]["uid"]
            entry = seen.get(uid)
            if entry is not None and entry[0] is pod:
                current[uid] = entry
                kept += 1
                continue
            if entry is not None:
                kept += 1
                self._forget(uid, entry[1], touched)
            target = get_target_node_name(pod)
            current[uid] = (pod, target)
            if target is not None:
                self.by_node.setdefault(target, {})[uid] = pod
                touched.add(target)
        if kept < len(seen):
            for uid in seen.keys() - current.keys():
                self._forget(uid, seen[uid][1], touched)
        self.pods = current

    def _forget(self, uid: str, target: str | None, touched: set[str]) -> None:
        if target is None:
            return
        on_node = self.by_node.get(target, {})
        on_node.pop(uid, None)
        if not on_node:
            self.by_node.pop(target, None)
        touched.add(target)

    def _classify(self, name: str, now: float) -> None:
        """Rebuild `name`'s daemon pod list and put it in its class."""
        listed = [
            pod
            for pod in self.by_node.get(name, {}).values()
            if not (
                phase(pod) in ("Succeeded", "Failed") and pod["metadata"].get("deletionTimestamp")
            )
        ]
        if listed:
            self.node_pods[name] = sorted(listed, key=lambda p: p["metadata"]["name"])
        else:
            self.node_pods.pop(name, None)
        self.dirty.discard(name)
        self.clean.discard(name)
        self.unready.discard(name)
        node = self.nodes.get(name)
        if node is None:
            self.verdicts.pop(name, None)
            if listed:
                self.dirty.add(name)
            return
        verdict = self.verdicts.get(name)
        if verdict is None:
            verdict = self.verdicts[name] = self.should_run(node)
        if not verdict[0]:
            if listed:
                self.dirty.add(name)
        elif len(listed) != 1 or not self._current(listed[0]):
            self.dirty.add(name)
        elif is_pod_available(listed[0], self.min_ready, now):
            self.clean.add(name)
        elif not is_pod_ready(listed[0]):
            self.unready.add(name)
        else:  # Ready, not yet for minReadySeconds: time alone changes it
            self.dirty.add(name)

    def _current(self, pod: Obj) -> bool:
        """At the current revision, neither terminal nor terminating."""
        return (
            not pod["metadata"].get("deletionTimestamp")
            and phase(pod) not in ("Failed", "Succeeded")
            and is_pod_updated(pod, self.hash, self.generation)
        )

    def view(self) -> NodeView:
        """The dirty nodes (by name) with their verdicts and pods, and the two counts."""
        names = sorted(self.dirty)
        return NodeView(
            [self.nodes[n] for n in names if n in self.nodes],
            {n: self.verdicts[n] for n in names if n in self.verdicts},
            {n: self.node_pods[n] for n in names if n in self.node_pods},
            len(self.clean),
            len(self.unready),
        )


def state_version(ds: Obj, hash_: str, generation: int | None) -> Version:
    """What the classes depend on besides nodes, pods and time."""
    meta = ds["metadata"]
    min_ready = int(ds["spec"].get("minReadySeconds") or 0)
    return meta["uid"], meta.get("generation"), hash_, generation, min_ready
