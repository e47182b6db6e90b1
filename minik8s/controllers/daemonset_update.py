"""The DaemonSet rolling update, mirroring `pkg/controller/daemon/update.go` (`rollingUpdate`,
`findUpdatedPodsOnNode`, `updatedDesiredNodeCounts`).

Pure: the set, its pods by node, the eligible nodes and the current revision hash in, the pods to
delete (maxUnavailable) or the nodes to surge onto (maxSurge) out. Nodes are visited in name
order. Leaves out: nothing of the decision.
"""

from __future__ import annotations

from typing import Any

from minik8s.controllers.daemonset_actions import (
    DaemonSetPlan,
    DeleteDaemonPod,
    Eligibility,
    NodePods,
)
from minik8s.controllers.daemonset_nodes import nodes_to_daemon_pods
from minik8s.controllers.daemonset_util import (
    get_template_generation,
    is_pod_updated,
    surge_count,
    unavailable_count,
)
from minik8s.controllers.statefulset_util import is_pod_available

Obj = dict[str, Any]


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
