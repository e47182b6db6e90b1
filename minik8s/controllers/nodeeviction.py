"""Taint-based eviction's NoExecute taints, mirroring `processTaintBaseEviction`,
`markNodeForTainting`, `markNodeAsReachable` and the per-node step of `doNoExecuteTaintingPass`
in `pkg/controller/nodelifecycle/node_lifecycle_controller.go`.

A node found not Ready is queued in its zone's rate-limited queue for the `not-ready` (Ready=False)
or `unreachable` (Unknown) NoExecute taint, or has one swapped for the other at once; a Ready node
loses both and leaves the queue. Evicting the pods is `tainteviction.py`'s job.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from minik8s.api.errors import NotFound
from minik8s.controllers.nodetaints import NOT_READY_TAINT, UNREACHABLE_TAINT
from minik8s.controllers.nodeutil import get_condition, taint_exists

if TYPE_CHECKING:
    from minik8s.controllers.nodelifecycle import NodeLifecycleController

Obj = dict[str, Any]


def process_taint_base_eviction(
    controller: NodeLifecycleController, node: Obj, observed: Obj
) -> None:
    """upstream `processTaintBaseEviction`: queue the NoExecute taint for the observed state."""
    taints, status = node.get("spec", {}).get("taints") or [], observed.get("status")
    name = node["metadata"]["name"]
    if status == "False":
        if taint_exists(taints, UNREACHABLE_TAINT):
            controller.swap_taints(name, [NOT_READY_TAINT], [UNREACHABLE_TAINT])
        else:
            controller.mark_node_for_tainting(node, NOT_READY_TAINT)
    elif status == "Unknown":
        if taint_exists(taints, NOT_READY_TAINT):
            controller.swap_taints(name, [UNREACHABLE_TAINT], [NOT_READY_TAINT])
        else:
            controller.mark_node_for_tainting(node, UNREACHABLE_TAINT)
    elif status == "True":
        controller.mark_node_as_reachable(node)


def mark_node_for_tainting(controller: NodeLifecycleController, node: Obj, taint: Obj) -> bool:
    """upstream `markNodeForTainting`."""
    tainter = controller.zones.tainter_for(node, controller.loop.now)
    if not taint_exists(node.get("spec", {}).get("taints"), taint):
        tainter.remove(node["metadata"]["name"])
    return tainter.add(node["metadata"]["name"])


def mark_node_as_reachable(controller: NodeLifecycleController, node: Obj) -> bool:
    """upstream `markNodeAsReachable`: drop both NoExecute taints, leave the queue."""
    taints = node.get("spec", {}).get("taints")
    if taints:
        remove = [t for t in (UNREACHABLE_TAINT, NOT_READY_TAINT) if taint_exists(taints, t)]
        if remove:
            controller.swap_taints(node["metadata"]["name"], [], remove)
    return controller.zones.tainter_for(node, controller.loop.now).remove(node["metadata"]["name"])


def taint_no_execute(controller: NodeLifecycleController, name: str) -> bool:
    """The NoExecute taint for the node's Ready status; False to try again later."""
    try:
        node = controller.informers.lister_for("nodes").get(None, name)
    except NotFound:
        return True
    ready = get_condition(node.get("status", {}).get("conditions"), "Ready")
    status = (ready or {}).get("status")
    if status == "False":
        return controller.swap_taints(name, [NOT_READY_TAINT], [UNREACHABLE_TAINT])
    if status == "Unknown":
        return controller.swap_taints(name, [UNREACHABLE_TAINT], [NOT_READY_TAINT])
    return True
