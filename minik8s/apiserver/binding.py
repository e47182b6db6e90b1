"""pods/binding, mirroring `pkg/registry/core/pod/storage/storage.go` (`BindingREST`,
`assignPod`): the scheduler's write that puts a pod on a node, once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from minik8s.api.errors import Conflict, Invalid
from minik8s.api.field import FieldError

Obj = dict[str, Any]
SUCCESS: Obj = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success"}


def assign_pod(binding: Obj, timestamp: str) -> tuple[str, Callable[[Obj], Obj]]:
    """(pod name, the mutation that binds it): sets `spec.nodeName` and `PodScheduled=True`;
    Conflict if the pod is being deleted or already on a node."""
    name = binding.get("metadata", {}).get("name", "")
    node = (binding.get("target") or {}).get("name", "")
    if not node:
        raise Invalid.for_kind("Binding", name, [FieldError("Required value", "target.name")])

    def assign(pod: Obj) -> Obj:
        """The bound pod: a new object that shares what binding leaves as it was with `pod`,
        which stays unchanged (it is the watch cache's)."""
        if pod["metadata"].get("deletionTimestamp"):
            why = f"pod {name} is being deleted, cannot be assigned to a host"
            raise Conflict.for_resource("pods/binding", name, why)
        if pod["spec"].get("nodeName"):
            why = f'pod {name} is already assigned to node "{pod["spec"]["nodeName"]}"'
            raise Conflict.for_resource("pods/binding", name, why)
        meta = dict(pod["metadata"])
        annotations = binding.get("metadata", {}).get("annotations")
        if annotations:
            meta["annotations"] = {**(meta.get("annotations") or {}), **annotations}
        status = pod.get("status") or {}
        conditions = [c for c in status.get("conditions", []) if c.get("type") != "PodScheduled"]
        scheduled = {"type": "PodScheduled", "status": "True", "lastProbeTime": None}
        conditions.append({**scheduled, "lastTransitionTime": timestamp})
        spec = {**pod["spec"], "nodeName": node}
        status = {**status, "conditions": conditions}
        return {**pod, "metadata": meta, "spec": spec, "status": status}

    return name, assign
