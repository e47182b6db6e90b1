"""What every minik8s container runtime keeps the same way: sandbox records, container ids,
and the container event stream (the sandbox half of `runtime.v1.RuntimeService` and
`GetContainerEvents`). `SimulatedRuntime` and `ProcessRuntime` differ only in how containers run.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from minik8s.cri.api import (
    ContainerEventCallback,
    ContainerEventResponse,
    ContainerEventType,
    CRIError,
    PodSandbox,
    PodSandboxConfig,
    PodSandboxFilter,
    PodSandboxStatus,
    VersionResponse,
    matches_labels,
)
from minik8s.cri.sandbox import Sandbox

if TYPE_CHECKING:
    from minik8s.sim.loop import EventLoop


class RuntimeRecords:
    """Sandboxes by id, deterministic ids, and subscribers to container events."""

    runtime_name = ""
    id_prefix = ""  # keeps the ids of different runtimes on one node apart
    loop: EventLoop
    node_name: str

    def _init_records(self) -> None:
        self.sandboxes: dict[str, Sandbox] = {}
        self._subscribers: list[ContainerEventCallback] = []
        self._serial = 0

    def _new_id(self, what: str) -> str:
        self._serial += 1
        text = f"{self.id_prefix}{self.node_name}/{self._serial}/{what}"
        return hashlib.sha256(text.encode()).hexdigest()

    def _emit(self, container: Any, kind: ContainerEventType) -> None:
        event = ContainerEventResponse(container.id, kind, self.loop.now, container.sandbox_id)
        for callback in list(self._subscribers):
            self.loop.call_soon(callback, event, label="container event")

    def get_container_events(self, callback: ContainerEventCallback) -> None:
        """Subscribe to container events; each is delivered as its own loop callback."""
        self._subscribers.append(callback)

    def version(self, version: str = "v1") -> VersionResponse:
        """The runtime's name and version."""
        return VersionResponse("0.1.0", self.runtime_name, "1.0.0", "v1")

    def run_pod_sandbox(self, config: PodSandboxConfig, runtime_handler: str = "") -> str:
        """Create a pod sandbox (upstream: the `pause` container holding the namespaces)."""
        sandbox = Sandbox(self._new_id(config.metadata.name), config, self.loop.now)
        self.sandboxes[sandbox.id] = sandbox
        # containerd's `RunPodSandbox` sends CONTAINER_CREATED then CONTAINER_STARTED with the
        # sandbox's id as container id (the kubelet's PLEG syncs the pod on it)
        for kind in (
            ContainerEventType.CONTAINER_CREATED_EVENT,
            ContainerEventType.CONTAINER_STARTED_EVENT,
        ):
            event = ContainerEventResponse(sandbox.id, kind, self.loop.now, sandbox.id)
            for callback in list(self._subscribers):
                self.loop.call_soon(callback, event, label="container event")
        return sandbox.id

    def set_pod_sandbox_ip(self, pod_sandbox_id: str, ip: str) -> None:
        """Record the sandbox's IP (from CNI)."""
        self.sandboxes[pod_sandbox_id].ip = ip

    def pod_sandbox_status(self, pod_sandbox_id: str) -> PodSandboxStatus:
        """The sandbox's status (state, IP)."""
        if pod_sandbox_id not in self.sandboxes:
            raise CRIError(
                "NotFound",
                f'an error occurred when try to find sandbox "{pod_sandbox_id}": not found',
            )
        return self.sandboxes[pod_sandbox_id].status()

    def list_pod_sandbox(self, filter: PodSandboxFilter | None = None) -> list[PodSandbox]:
        """Sandboxes matching `filter` (id, state, labels)."""
        result = [s.summary() for s in self.sandboxes.values()]
        if filter is None:
            return result
        return [
            s
            for s in result
            if (not filter.id or s.id == filter.id)
            and (filter.state is None or s.state == filter.state)
            and matches_labels(s.labels, filter.label_selector)
        ]
