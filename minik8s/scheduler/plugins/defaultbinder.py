"""DefaultBinder, mirroring `pkg/scheduler/framework/plugins/defaultbinder/default_binder.go`:
POST a `Binding` to the pod's `binding` subresource."""

from __future__ import annotations

from typing import Any

from minik8s.api.errors import StatusError
from minik8s.scheduler.framework import Code, CycleState, Status
from minik8s.scheduler.types import PodInfo

NAME = "DefaultBinder"


class DefaultBinder:
    """Bind through the API server, like every upstream component writes."""

    name = NAME

    def __init__(self, handle: Any) -> None:
        self.handle = handle

    def __repr__(self) -> str:
        return NAME

    def bind(self, state: CycleState, pod: PodInfo, node_name: str) -> Status | None:
        meta = pod.pod["metadata"]
        binding = {
            "apiVersion": "v1",
            "kind": "Binding",
            "metadata": {"name": pod.name, "namespace": pod.namespace, "uid": meta.get("uid")},
            "target": {"kind": "Node", "name": node_name},
        }
        try:
            self.handle.client.create("pods", binding, pod.namespace, subresource="binding")
        except StatusError as err:
            return Status(Code.Error, str(err))
        return None


def new(args: dict[str, Any], handle: Any) -> DefaultBinder:
    return DefaultBinder(handle)
