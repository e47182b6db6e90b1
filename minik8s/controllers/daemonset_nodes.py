"""Which nodes should run a daemon pod and which daemon pods are on each node, mirroring
`getNodesToDaemonPods` and the `NodeShouldRunDaemonPod` loop of
`pkg/controller/daemon/daemon_controller.go`.

Pods are visited in name order (upstream iterates a Go map, in random order). Leaves out:
nothing; the predicates themselves are `daemonset_util.DaemonPodPredicates`.
"""

from __future__ import annotations

from typing import Any

from minik8s.controllers.daemonset_actions import Eligibility
from minik8s.controllers.daemonset_util import DaemonPodPredicates, get_target_node_name
from minik8s.controllers.statefulset_util import phase

Obj = dict[str, Any]


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
