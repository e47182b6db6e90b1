"""The condition taints of `pkg/controller/nodelifecycle/node_lifecycle_controller.go`.

upstream `nodeConditionToTaintKeyStatusMap` and the NoSchedule half of `doNoScheduleTaintingPass`:
which NoSchedule taints a node's conditions (and `spec.unschedulable`) call for, and the NoExecute
`not-ready` / `unreachable` taints the controller puts on a node that is not Ready.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.taints import (
    NO_EXECUTE,
    NO_SCHEDULE,
    TAINT_NODE_NOT_READY,
    TAINT_NODE_UNREACHABLE,
    TAINT_NODE_UNSCHEDULABLE,
)
from minik8s.controllers.nodeutil import taint_exists

Obj = dict[str, Any]

TAINT_NOT_READY, TAINT_UNREACHABLE = TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE
TAINT_UNSCHEDULABLE = TAINT_NODE_UNSCHEDULABLE
NOT_READY_TAINT = {"key": TAINT_NOT_READY, "effect": NO_EXECUTE}
UNREACHABLE_TAINT = {"key": TAINT_UNREACHABLE, "effect": NO_EXECUTE}
# upstream nodeConditionToTaintKeyStatusMap
CONDITION_TAINTS = {
    ("Ready", "False"): TAINT_NOT_READY,
    ("Ready", "Unknown"): TAINT_UNREACHABLE,
    ("MemoryPressure", "True"): "node.kubernetes.io/memory-pressure",
    ("DiskPressure", "True"): "node.kubernetes.io/disk-pressure",
    ("NetworkUnavailable", "True"): "node.kubernetes.io/network-unavailable",
    ("PIDPressure", "True"): "node.kubernetes.io/pid-pressure",
}
CONDITION_TAINT_KEYS = {*CONDITION_TAINTS.values(), TAINT_UNSCHEDULABLE}


def condition_taint_changes(node: Obj) -> tuple[list[Obj], list[Obj]]:
    """The NoSchedule condition taints to add to and remove from `node`."""
    want = [
        {"key": taint, "effect": NO_SCHEDULE}
        for c in node.get("status", {}).get("conditions") or []
        if (taint := CONDITION_TAINTS.get((c.get("type"), c.get("status")))) is not None
    ]
    if node.get("spec", {}).get("unschedulable"):
        want.append({"key": TAINT_UNSCHEDULABLE, "effect": NO_SCHEDULE})
    have = [
        t
        for t in node.get("spec", {}).get("taints") or []
        if t.get("effect") == NO_SCHEDULE and t.get("key") in CONDITION_TAINT_KEYS
    ]
    add = [t for t in want if not taint_exists(have, t)]
    remove = [t for t in have if not taint_exists(want, t)]
    return add, remove
