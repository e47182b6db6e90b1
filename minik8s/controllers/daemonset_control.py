"""The DaemonSet controller's decision, mirroring `pkg/controller/daemon/daemon_controller.go`
(`manage`, `podsShouldBeOnNode`, `getUnscheduledPodsWithoutNode`); the rolling update of
`update.go` (`rollingUpdate`) is `daemonset_update.rolling_update`, which `plan` calls.

`plan(...)` is pure: nodes, the set's pods and the current revision hash in, the nodes that need a
pod and the pods to delete out. As upstream, the rolling update runs only in a sync where `manage`
had nothing to do (upstream: when the expectations are satisfied after `manage`). Nodes and pods
are visited in name order (upstream iterates a Go map, in random order).
Left out: nothing of the decision; the failed-pod back-off is passed in as data.

The plan's values are in `daemonset_actions`, the node maps in `daemonset_nodes`, the rolling
update in `daemonset_update` and the status counters in `daemonset_status`; all re-exported here.
"""

from __future__ import annotations

from typing import Any

from minik8s.controllers.daemonset_actions import (
    Backoff,
    DaemonSetPlan,
    DeleteDaemonPod,
    Eligibility,
    NodePods,
)
from minik8s.controllers.daemonset_nodes import eligibility, nodes_to_daemon_pods
from minik8s.controllers.daemonset_status import daemon_set_status
from minik8s.controllers.daemonset_update import find_updated_pods_on_node, rolling_update
from minik8s.controllers.daemonset_util import BURST_REPLICAS, allows_surge, pod_order_key
from minik8s.controllers.history import CONTROLLER_REVISION_HASH_LABEL
from minik8s.controllers.statefulset_util import is_pod_available, is_pod_ready, phase

Obj = dict[str, Any]
__all__ = [
    "Backoff",
    "DaemonSetPlan",
    "DeleteDaemonPod",
    "Eligibility",
    "NodePods",
    "daemon_set_status",
    "eligibility",
    "find_updated_pods_on_node",
    "manage",
    "nodes_to_daemon_pods",
    "plan",
    "rolling_update",
]


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
