"""The DaemonSet controller's decision, mirroring `pkg/controller/daemon/daemon_controller.go`
(`manage`, `podsShouldBeOnNode`, `getUnscheduledPodsWithoutNode`, `updateDaemonSetStatus`) and
`pkg/controller/daemon/update.go` (`rollingUpdate`, `findUpdatedPodsOnNode`,
`updatedDesiredNodeCounts`).

`plan(...)` is pure: nodes, the set's pods and the current revision hash in, the nodes that need a
pod and the pods to delete out. As upstream, the rolling update runs only in a sync where `manage`
had nothing to do (upstream: when the expectations are satisfied after `manage`). Nodes and pods
are visited in name order (upstream iterates a Go map, in random order).
Left out: nothing of the decision; the failed-pod back-off is passed in as data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from minik8s.controllers.daemonset_util import (
    BURST_REPLICAS,
    DaemonPodPredicates,
    allows_surge,
    get_target_node_name,
    get_template_generation,
    is_pod_updated,
    pod_order_key,
    surge_count,
    unavailable_count,
)
from minik8s.controllers.history import CONTROLLER_REVISION_HASH_LABEL
from minik8s.controllers.statefulset_util import is_pod_available, is_pod_ready, phase

Obj = dict[str, Any]
Backoff = Mapping[str, tuple[float, float]]  # node name → (last update, delay), epoch seconds
Eligibility = dict[str, tuple[bool, bool]]  # node name → (should run, should continue running)
NodePods = dict[str, list[Obj]]  # node name → its daemon pods, as `nodes_to_daemon_pods` gives


@dataclass(frozen=True)
class DeleteDaemonPod:
    """Delete a daemon pod; `reason`: failed, succeeded, excess, not-eligible, orphan, update."""

    name: str
    node: str
    reason: str

    def __repr__(self) -> str:
        return f"DeleteDaemonPod({self.name} on {self.node or '-'}, {self.reason})"


@dataclass
class DaemonSetPlan:
    """Nodes to create a pod on, pods to delete, and when to look again."""

    creates: list[str] = field(default_factory=list)
    deletes: list[DeleteDaemonPod] = field(default_factory=list)
    failed_nodes: list[str] = field(default_factory=list)
    requeue_after: float | None = None

    def __repr__(self) -> str:
        return f"DaemonSetPlan(creates={self.creates!r}, deletes={self.deletes!r})"

    def requeue(self, delay: float) -> None:
        self.requeue_after = delay if self.requeue_after is None else min(self.requeue_after, delay)


def nodes_to_daemon_pods(pods: list[Obj], include_deleted_terminal: bool = False) -> dict:
    """upstream `getNodesToDaemonPods`: node name → its daemon pods (by target node)."""
    result: dict[str, list[Obj]] = {}
    for pod in sorted(pods, key=lambda p: p["metadata"]["name"]):
        terminal = phase(pod) in ("Succeeded", "Failed")
        if not include_deleted_terminal and terminal and pod["metadata"].get("deletionTimestamp"):
            continue
        node = get_target_node_name(pod)
        if node is not None:
            result.setdefault(node, []).append(pod)
    return result


def eligibility(ds: Obj, nodes: list[Obj]) -> Eligibility:
    """`NodeShouldRunDaemonPod` for every node, computed once per sync."""
    should_run = DaemonPodPredicates(ds)
    return {n["metadata"]["name"]: should_run(n) for n in nodes}


def plan(
    ds: Obj,
    nodes: list[Obj],
    pods: list[Obj],
    hash_: str,
    now: float,
    backoff: Backoff | None = None,
    eligible: Eligibility | None = None,
    node_pods: NodePods | None = None,
    clean: int = 0,
    unready: int = 0,
) -> DaemonSetPlan:
    """What to create and delete for `ds` now (`manage`, then `rollingUpdate` if idle).

    `eligible` and `node_pods` may be passed in when the caller already has them; `clean` and
    `unready` count nodes left out of `nodes` that need nothing (see `daemonset_state`)."""
    eligible = eligibility(ds, nodes) if eligible is None else eligible
    node_pods = nodes_to_daemon_pods(pods) if node_pods is None else node_pods
    result = manage(ds, nodes, pods, hash_, now, backoff or {}, eligible, node_pods)
    if not result.creates and not result.deletes:
        strategy = (ds["spec"].get("updateStrategy") or {}).get("type", "RollingUpdate")
        if strategy == "RollingUpdate":
            update = rolling_update(ds, pods, hash_, now, eligible, node_pods, clean, unready)
            result.creates, result.deletes = update.creates, update.deletes
    result.creates = result.creates[:BURST_REPLICAS]
    result.deletes = result.deletes[:BURST_REPLICAS]
    return result


def manage(
    ds: Obj,
    nodes: list[Obj],
    pods: list[Obj],
    hash_: str,
    now: float,
    backoff: Backoff,
    eligible: Eligibility,
    node_pods: NodePods | None = None,
) -> DaemonSetPlan:
    """upstream `manage`: a pod where one should run, none where none should."""
    result = DaemonSetPlan()
    node_pods = nodes_to_daemon_pods(pods) if node_pods is None else node_pods
    surge = allows_surge(ds)
    for node in sorted(nodes, key=lambda n: n["metadata"]["name"]):
        _pods_should_be_on_node(result, node, node_pods, ds, hash_, now, backoff, eligible, surge)
    running = {n["metadata"]["name"] for n in nodes}
    for node_name, daemon_pods in sorted(node_pods.items()):
        if node_name not in running:  # upstream `getUnscheduledPodsWithoutNode`
            for pod in daemon_pods:
                if not pod["spec"].get("nodeName"):
                    result.deletes.append(DeleteDaemonPod(pod["metadata"]["name"], "", "orphan"))
    return result


def _pods_should_be_on_node(
    result: DaemonSetPlan,
    node: Obj,
    node_pods: dict[str, list[Obj]],
    ds: Obj,
    hash_: str,
    now: float,
    backoff: Backoff,
    eligible: Eligibility,
    surge: bool,
) -> None:
    """upstream `podsShouldBeOnNode` (`surge`: `AllowsSurge(ds)`, computed once per sync)."""
    name = node["metadata"]["name"]
    should_run, should_continue = eligible[name]
    daemon_pods = node_pods.get(name)
    delete = result.deletes.append
    if should_run and daemon_pods is None:
        result.creates.append(name)
        return
    if not should_continue:
        for pod in daemon_pods or []:
            if not pod["metadata"].get("deletionTimestamp"):
                delete(DeleteDaemonPod(pod["metadata"]["name"], name, "not-eligible"))
        return
    running = []
    for pod in daemon_pods or []:
        if pod["metadata"].get("deletionTimestamp"):
            continue
        if phase(pod) == "Failed":
            last, delay = backoff.get(name, (0.0, 0.0))
            if now - last < delay:
                result.requeue(delay - (now - last))
                continue
            result.failed_nodes.append(name)
            delete(DeleteDaemonPod(pod["metadata"]["name"], name, "failed"))
        elif phase(pod) == "Succeeded":
            delete(DeleteDaemonPod(pod["metadata"]["name"], name, "succeeded"))
        else:
            running.append(pod)
    running.sort(key=pod_order_key)
    if not surge:
        for pod in running[1:]:
            delete(DeleteDaemonPod(pod["metadata"]["name"], name, "excess"))
        return
    if len(running) <= 1:
        if not running and should_run:
            result.creates.append(name)
        return
    # surging: keep the oldest new pod, and the oldest old pod until the new one is available
    oldest_new = oldest_old = None
    for pod in running:
        if (pod["metadata"].get("labels") or {}).get(CONTROLLER_REVISION_HASH_LABEL) == hash_:
            if oldest_new is None:
                oldest_new = pod
                continue
        elif oldest_old is None:
            oldest_old = pod
            continue
        delete(DeleteDaemonPod(pod["metadata"]["name"], name, "excess"))
    if oldest_new is not None and oldest_old is not None:
        min_ready = int(ds["spec"].get("minReadySeconds") or 0)
        if not is_pod_ready(oldest_old) or is_pod_available(oldest_new, min_ready, now):
            delete(DeleteDaemonPod(oldest_old["metadata"]["name"], name, "update"))


# -- rolling update (update.go) -------------------------------------------------------------------
def find_updated_pods_on_node(
    ds: Obj, pods: list[Obj], hash_: str
) -> tuple[Obj | None, Obj | None, bool]:
    """upstream `findUpdatedPodsOnNode`: (new pod, old pod, at most one of each)."""
    new = old = None
    generation = get_template_generation(ds)
    for pod in pods:
        if pod["metadata"].get("deletionTimestamp"):
            continue
        if is_pod_updated(pod, hash_, generation):
            if new is not None:
                return None, None, False
            new = pod
        else:
            if old is not None:
                return None, None, False
            old = pod
    return new, old, True


def rolling_update(
    ds: Obj,
    pods: list[Obj],
    hash_: str,
    now: float,
    eligible: Eligibility,
    node_pods: NodePods | None = None,
    clean: int = 0,
    unready: int = 0,
) -> DaemonSetPlan:
    """upstream `rollingUpdate`: replace old pods within maxUnavailable, or surge by maxSurge.

    `clean` and `unready` nodes (left out of `eligible`) are desired and run one updated pod,
    available or not Ready."""
    node_pods = dict(nodes_to_daemon_pods(pods) if node_pods is None else node_pods)
    desired = clean + unready
    for name, (should_run, _) in eligible.items():
        if should_run:
            desired += 1
            node_pods.setdefault(name, [])
    max_surge, max_unavailable = surge_count(ds, desired), unavailable_count(ds, desired)
    if desired > 0 and max_unavailable == 0 and max_surge == 0:
        max_unavailable = 1
    min_ready = int(ds["spec"].get("minReadySeconds") or 0)
    available = lambda pod: is_pod_available(pod, min_ready, now)  # noqa: E731
    result = DaemonSetPlan()
    if max_surge == 0:
        unavailable, replacements, candidates = unready, [], []
        for node_name, daemon_pods in sorted(node_pods.items()):
            new, old, ok = find_updated_pods_on_node(ds, daemon_pods, hash_)
            if not ok or (new is None) == (old is None):
                unavailable += 1
            elif new is not None:
                unavailable += not available(new)
            elif old is not None and not available(old):
                replacements.append(DeleteDaemonPod(old["metadata"]["name"], node_name, "update"))
                unavailable += 1
            elif old is not None and unavailable < max_unavailable:
                candidates.append(DeleteDaemonPod(old["metadata"]["name"], node_name, "update"))
        remaining = min(max(max_unavailable - unavailable, 0), len(candidates))
        result.deletes = replacements + candidates[:remaining]
        return result
    surge, available_count, allowed, candidate_nodes, not_eligible = 0, clean, [], [], []
    for node_name, daemon_pods in sorted(node_pods.items()):
        new, old, ok = find_updated_pods_on_node(ds, daemon_pods, hash_)
        if not ok:
            surge += 1
            continue
        pod = old if old is not None else new
        available_count += pod is not None and available(pod)
        if old is None:
            continue
        runs = eligible.get(node_name, (False, False))[0]
        old_delete = DeleteDaemonPod(old["metadata"]["name"], node_name, "update")
        if new is None and not available(old):
            if not runs:
                result.deletes.append(old_delete)
            else:
                allowed.append(node_name)
        elif new is None:
            if not runs:
                not_eligible.append(old_delete)
            elif surge < max_surge:
                candidate_nodes.append(node_name)
        elif not available(new):
            surge += 1
        else:
            result.deletes.append(old_delete)
    deletable = min(available_count - desired, len(not_eligible))
    result.deletes += not_eligible[: max(deletable, 0)]
    remaining = min(max(max_surge - surge, 0), len(candidate_nodes))
    result.creates = allowed + candidate_nodes[:remaining]
    return result


# -- status ---------------------------------------------------------------------------------------
def daemon_set_status(
    ds: Obj,
    nodes: list[Obj],
    pods: list[Obj],
    hash_: str,
    now: float,
    eligible: Eligibility | None = None,
    node_pods: NodePods | None = None,
    clean: int = 0,
    unready: int = 0,
) -> Obj:
    """upstream `updateDaemonSetStatus`: the counters, judged by each node's oldest pod, plus
    `clean` and `unready` nodes left out of `nodes` (one updated pod, available or not Ready)."""
    eligible = eligibility(ds, nodes) if eligible is None else eligible
    node_pods = nodes_to_daemon_pods(pods) if node_pods is None else node_pods
    generation = get_template_generation(ds)
    min_ready = int(ds["spec"].get("minReadySeconds") or 0)
    scheduled = clean + unready
    counts = {"desiredNumberScheduled": scheduled, "currentNumberScheduled": scheduled}
    counts.update(numberMisscheduled=0, numberReady=clean, updatedNumberScheduled=scheduled)
    counts["numberAvailable"] = clean
    for node in nodes:
        should_run = eligible[node["metadata"]["name"]][0]
        daemon_pods = node_pods.get(node["metadata"]["name"]) or []
        if not should_run:
            counts["numberMisscheduled"] += bool(daemon_pods)
            continue
        counts["desiredNumberScheduled"] += 1
        if not daemon_pods:
            continue
        counts["currentNumberScheduled"] += 1
        pod = sorted(daemon_pods, key=pod_order_key)[0]
        if is_pod_ready(pod):
            counts["numberReady"] += 1
            counts["numberAvailable"] += is_pod_available(pod, min_ready, now)
        counts["updatedNumberScheduled"] += is_pod_updated(pod, hash_, generation)
    counts["numberUnavailable"] = counts["desiredNumberScheduled"] - counts["numberAvailable"]
    return counts
