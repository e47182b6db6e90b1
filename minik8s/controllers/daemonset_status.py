"""The DaemonSet status counters, mirroring `updateDaemonSetStatus` of
`pkg/controller/daemon/daemon_controller.go`.

Each node is judged by its oldest daemon pod. Leaves out: the status write and its retry (the
executor in `daemonset.py` does them).
"""

from __future__ import annotations

from typing import Any

from minik8s.controllers.daemonset_actions import Eligibility, NodePods
from minik8s.controllers.daemonset_nodes import eligibility, nodes_to_daemon_pods
from minik8s.controllers.daemonset_util import (
    get_template_generation,
    is_pod_updated,
    pod_order_key,
)
from minik8s.controllers.statefulset_util import is_pod_available, is_pod_ready

Obj = dict[str, Any]


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
