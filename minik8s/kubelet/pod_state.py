"""What the kubelet remembers about each pod it runs (upstream spreads this over the pod
workers' `podSyncStatus`, the runtime cache and the `ReasonCache`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from minik8s.cri.api import PodSandboxConfig
from minik8s.scheduler.types import pod_requests

if TYPE_CHECKING:
    from collections.abc import MutableMapping

    from minik8s.kubelet.termination_order import TerminationOrdering
    from minik8s.sim.loop import Timer

Obj = dict[str, Any]


@dataclass(slots=True)  # (one per container, 150,000s at scale: no instance dicts)
class ContainerRecord:
    """One container of the pod spec across its restarts."""

    name: str
    init: bool = False
    current: str = ""  # the latest runtime container id
    previous: str = ""  # the one before it (`kubectl logs --previous`)
    attempt: int = -1  # CRI metadata.attempt of `current`
    restart_count: int = 0
    has_run: bool = False  # a container was started before (here or before a reboot)
    waiting: tuple[str, str] | None = None  # (reason, message) from the last sync
    killing: str = ""  # why the kubelet is stopping `current`
    kill_restart: str = ""  # the container killed with the intent to restart it (`restart`)
    resume: str = ""  # that container while the sync that killed it has not gone on yet
    spec_hash: str = ""  # hash of the container spec `current` was started from
    hashed: Obj | None = field(default=None, repr=False)  # the spec object `spec_hash` is of
    restarting: str = ""  # the exited container whose restart already took a back-off step

    def __repr__(self) -> str:
        return f"<ContainerRecord {self.name} attempt={self.attempt} restarts={self.restart_count}>"


@dataclass(slots=True)
class PodState:
    """One pod on this node."""

    uid: str
    pod: Obj
    records: dict[str, ContainerRecord] = field(default_factory=dict)
    sandbox_id: str = ""
    sandbox_config: PodSandboxConfig | None = None
    sandbox_attempt: int = -1
    ip: str = ""
    volumes: dict[str, MutableMapping[str, str]] | None = None
    start_time: str = ""
    terminating: bool = False  # graceful deletion in progress
    ordering: TerminationOrdering | None = None  # sidecars waiting for their turn to stop
    finished: bool = False  # reached a terminal phase; nothing runs any more
    deleted: bool = False  # the API object is gone
    frozen: bool = False  # terminal before this kubelet saw it: its status is final
    rejected: tuple[str, str] | None = None  # (reason, message) when admission refused it
    evicted: tuple[str, str] | None = None  # (reason, message) of a pod sync handler's eviction
    busy_until: float = 0.0  # a postStart hook holds the sync until then (`lifecycle.held`)
    pulling_until: float = 0.0  # an image pull holds the sync until then (`EnsureImageExists`)
    holding: str = ""  # the container a failed postStart hook killed: the sync ends at its exit
    timers: dict[float, Timer] = field(default_factory=dict)
    requeue: Timer | None = None  # the pod worker's retry after a failed sync (`completeWork`)
    continuing: bool = False  # a hook or a pull held the last sync: the next one goes on with it
    pending: bool = False  # a sync was asked for while one was held: it runs once that one ends
    refresh: Timer | None = None  # the next volume resync, when armed (`volume_refresh.py`)
    refresh_next: float = 0.0  # when the next resync is due (0: the volumes are not resynced)
    _requests: dict[str, int] | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        meta = self.pod["metadata"]
        return f"<PodState {meta['namespace']}/{meta['name']} ip={self.ip or '-'}>"

    @property
    def key(self) -> str:
        return f"{self.pod['metadata']['namespace']}/{self.pod['metadata']['name']}"

    @property
    def requests(self) -> dict[str, int]:
        """The pod's resource requests (`PodRequests`), summed once: a pod's spec is immutable."""
        if self._requests is None:
            self._requests = pod_requests(self.pod)
        return self._requests

    def record(self, name: str, init: bool = False) -> ContainerRecord:
        """The record for container `name`, created on first use."""
        if name not in self.records:
            self.records[name] = ContainerRecord(name, init)
        return self.records[name]
