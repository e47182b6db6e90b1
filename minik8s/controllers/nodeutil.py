"""Node helpers shared by the node controllers, mirroring `pkg/controller/util/node/
controller_utils.go` (`MarkPodsNotReady`, `SwapNodeControllerTaint`, `RecordNodeEvent`,
`RecordNodeStatusChange`, `GetNodeCondition`) and `pkg/util/taints` (`TaintExists`).

Writes retry a Conflict at once with a fresh GET (upstream's `RetryOnConflict`), five times.
Left out: strategic merge patches (a full update carries the resourceVersion instead).
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from minik8s.api.errors import Conflict, NotFound
from minik8s.api.taints import match_taint

if TYPE_CHECKING:
    from minik8s.client.client import Client
    from minik8s.client.record import EventRecorder

Obj = dict[str, Any]
RETRIES = 5


def get_condition(conditions: list[Obj] | None, kind: str) -> Obj | None:
    """upstream `GetNodeCondition` / `GetPodCondition`: the condition of type `kind`."""
    return next((c for c in conditions or [] if c.get("type") == kind), None)


def taint_exists(taints: list[Obj] | None, taint: Obj) -> bool:
    """upstream `taints.TaintExists`: a taint with the same key and effect."""
    return any(match_taint(t, taint) for t in taints or [])


def swap_node_controller_taint(
    client: Client, name: str, add: list[Obj], remove: list[Obj]
) -> bool:
    """upstream `SwapNodeControllerTaint`: add taints (stamped `timeAdded`), remove others."""
    for _ in range(RETRIES):
        try:
            node = copy.deepcopy(client.get("nodes", name))
        except NotFound:
            return False
        spec = node.setdefault("spec", {})
        taints = [t for t in spec.get("taints") or [] if not taint_exists(remove, t)]
        for taint in add:
            if not taint_exists(taints, taint):
                taints.append({**taint, "timeAdded": client.loop.timestamp()})
        if taints == (spec.get("taints") or []):
            return True
        spec["taints"] = taints
        try:
            client.update("nodes", node)
        except Conflict:
            continue
        return True
    return False


def mark_conditions_unknown(node: Obj, kinds: tuple[str, ...], now: str) -> Obj:
    """A copy of `node` whose `kinds` conditions are Unknown, worded as the lifecycle controller
    words them (`NodeStatusUnknown`, or `NodeStatusNeverUpdated` for a missing one)."""
    node = copy.deepcopy(node)
    conditions = node.setdefault("status", {}).setdefault("conditions", [])
    for kind in kinds:
        condition = get_condition(conditions, kind)
        if condition is None:
            conditions.append(
                {
                    "type": kind,
                    "status": "Unknown",
                    "lastHeartbeatTime": node["metadata"]["creationTimestamp"],
                    "lastTransitionTime": now,
                    "reason": "NodeStatusNeverUpdated",
                    "message": "Kubelet never posted node status.",
                }
            )
        elif condition.get("status") != "Unknown":
            condition.update(
                status="Unknown",
                reason="NodeStatusUnknown",
                message="Kubelet stopped posting node status.",
                lastTransitionTime=now,
            )
    return node


def record_node_event(recorder: EventRecorder, node: Obj, reason: str, event: str) -> None:
    """upstream `RecordNodeEvent`: a Normal event `Node <name> event: <event>`."""
    recorder.event(node, "Normal", reason, f"Node {node['metadata']['name']} event: {event}")


def record_node_status_change(recorder: EventRecorder, node: Obj, status: str) -> None:
    """upstream `RecordNodeStatusChange`: `Node <name> status is now: <status>`."""
    recorder.event(
        node, "Normal", status, f"Node {node['metadata']['name']} status is now: {status}"
    )


def mark_pods_not_ready(
    client: Client, recorder: EventRecorder, pods: list[Obj], node_name: str
) -> bool:
    """upstream `MarkPodsNotReady`: each pod's Ready condition becomes False; False on errors."""
    ok = True
    for pod in pods:
        if (pod.get("spec") or {}).get("nodeName") != node_name:
            continue
        ready = get_condition((pod.get("status") or {}).get("conditions"), "Ready")
        if ready is None or ready.get("status") == "False":
            continue
        pod = copy.deepcopy(pod)
        ready = get_condition(pod["status"]["conditions"], "Ready")
        assert ready is not None
        ready.update(status="False", lastTransitionTime=client.loop.timestamp())
        try:
            client.update_status("pods", pod, pod["metadata"]["namespace"])
        except NotFound:
            continue
        except Conflict:
            ok = False
            continue
        recorder.event(pod, "Warning", "NodeNotReady", "Node is not ready")
    return ok
